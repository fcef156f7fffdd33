import Foundation

/// `workflowd`'s command line: parsed here so the executable only wires signals and exits.
package enum WorkflowD {
    /// The same version as workflowctl's: one build, one number.
    package static var version: String { WorkflowCtl.version }

    /// `workflowd --help` in a language.
    package static func usage(_ language: Language) -> String { Message("help.workflowd").text(language) + "\n" }

    /// workflowd's options, read by the same parser as workflowctl's.
    static let options: [OptionSpec] = [
        .value("database", "CONNINFO", "help.workflowd"), .flag("once", "help.workflowd"), .value("interval", "SECONDS", "help.workflowd"),
        .value("now", "TIMESTAMP", "help.workflowd"), .value("sendmail", "COMMAND", "help.workflowd"), .value("webhook", "URL", "help.workflowd"),
        .value("webhook-secret-file", "FILE", "help.workflowd"), .value("file", "PATH", "help.workflowd"), .value("exports", "DIR", "help.workflowd"),
        .value("export-interval", "SECONDS", "help.workflowd"), .value("from", "ADDRESS", "help.workflowd"),
        .value("max-attempts", "N", "help.workflowd"), .value("lease", "SECONDS", "help.workflowd"), .value("retry-delay", "SECONDS", "help.workflowd"),
        .flag("help", "help.workflowd"), .flag("version", "help.workflowd"),
    ]

    /// What the command line asked for.
    package struct Parsed {
        package var configuration: Daemon.Configuration
        package var channels: [any DeliveryChannel]
        package var help = false
        package var version = false
    }

    /// Parses workflowd's arguments; throws a usage error naming what was wrong. `webhook` makes
    /// the webhook channel (with its signer, when `--webhook-secret-file` gives one), which lives
    /// in DevWorkflowWebhook (see Package.swift).
    package static func parse(_ arguments: [String], environment: [String: String],
                              webhook: (URL, WebhookSigner?) -> any DeliveryChannel) throws -> Parsed {
        let (positionals, given) = try OptionParser.parse(arguments.map { $0 == "-h" ? "--help" : $0 }, options: options, command: "workflowd") {
            WorkflowError(.usage, Message($1 == nil ? "error.unknown_option_daemon" : "error.unknown_option_daemon_hint",
                                          ["option": "\($0)", "suggestion": "\($1 ?? "")"]))
        }
        if let stray = positionals.first {
            throw WorkflowError(.usage, Message("error.unknown_option_daemon", ["option": "\(stray)"]))
        }
        let values = given.compactMapValues(\.last)
        let once = given["once"] != nil, help = given["help"] != nil, version = given["version"] != nil
        func seconds(_ key: String, _ fallback: TimeInterval) throws -> TimeInterval {
            guard let text = values[key] else { return fallback }
            // At least 10 ms: a smaller wait (1e-300) would make the loop spin.
            guard let value = Double(text), value >= 0.01, value <= 86_400 * 7 else {
                throw WorkflowError(.usage, Message("error.seconds", ["option": "--\(key)", "value": "\(text)"]))
            }
            return value
        }
        if help || version {
            return Parsed(configuration: Daemon.Configuration(conninfo: ""), channels: [], help: help, version: version && !help)
        }
        var configuration = Daemon.Configuration(conninfo: try Database.resolve(explicit: values["database"], environment: environment))
        configuration.once = once
        configuration.interval = try seconds("interval", 60)
        configuration.exportInterval = try seconds("export-interval", 3600)
        configuration.exportsDirectory = values["exports"]
        configuration.retry.lease = try seconds("lease", 60)
        configuration.retry.baseDelay = try seconds("retry-delay", 5)
        if let text = values["max-attempts"] {
            guard let attempts = Int(text), (1...100).contains(attempts) else { throw WorkflowError(.usage, Message("error.range", ["option": "--max-attempts", "low": "1", "high": "100"])) }
            configuration.retry.maxAttempts = attempts
        }
        if let text = values["now"] { configuration.now = try parseMoment(text) }
        let from = values["from"] ?? "DevWorkflow <devworkflow@localhost>"
        var channels: [any DeliveryChannel] = []
        if let path = values["file"] { channels.append(FileChannel(path: path)) }
        if let text = values["webhook"] {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw WorkflowError(.usage, Message("error.webhook_url", ["value": "\(text)"]))
            }
            channels.append(webhook(url, try values["webhook-secret-file"].map(WebhookSigner.init(contentsOfFile:))))
        } else if values["webhook-secret-file"] != nil {
            throw WorkflowError(.usage, Message("error.webhook_secret_needs_url"))
        }
        do {
            if let command = values["sendmail"] {
                channels.append(try SendmailChannel(command: command, from: from))
            } else if channels.isEmpty {
                channels.append(try SendmailChannel(from: from))
            }
        } catch let error as WorkflowError {
            throw WorkflowError(.usage, Message("error.option_value", ["option": "--sendmail/--from", "problem": .message(error.text)]))
        }
        return Parsed(configuration: configuration, channels: channels)
    }

    /// `2026-12-22` (09:00 in Tallinn), `2026-12-22T09:00[:SS]` (Tallinn time), or with an offset or Z.
    package static func parseMoment(_ text: String) throws -> Date {
        if let day = try? LocalDate(parsing: text) { return day.start(in: .tallinn).addingTimeInterval(9 * 3600) }
        var normal = text.replacingOccurrences(of: "T", with: " ")
        let hasZone = normal.dropFirst(10).contains { $0 == "+" || $0 == "-" || $0 == "Z" }
        if normal.count == 16 { normal += ":00" }
        if hasZone, let date = PostgresTimestamp.parse(normal) { return date }
        if !hasZone, let utc = PostgresTimestamp.parse(normal) {
            let offset = TimeZone.tallinn.secondsFromGMT(for: utc)
            return utc.addingTimeInterval(-Double(offset))
        }
        throw WorkflowError(.usage, Message("error.now_format", ["value": "\(text)"]))
    }
}
