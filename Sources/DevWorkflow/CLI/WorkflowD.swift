import Foundation

/// `workflowd`'s command line: parsed here so the executable only wires signals and exits.
package enum WorkflowD {
    /// The same version as workflowctl's: one build, one number.
    package static var version: String { WorkflowCtl.version }

    /// `workflowd --help` in a language, `width` columns wide: written from `options`, as
    /// workflowctl's help is from its commands.
    package static func usage(_ language: Language, width: Int = 80) -> String {
        HelpText(language: language, width: width).daemon(options)
    }

    /// workflowd's options, declared typed as workflowctl's are and read by the same parser.
    enum Options {
        static let database = Option<String>("database", "CONNINFO", help: "help.option.workflowd.database")
        static let once = Flag("once", help: "help.option.workflowd.once")
        static let interval = Option<Seconds>("interval", "SECONDS", help: "help.option.workflowd.interval")
        static let now = Option<Moment>("now", "TIMESTAMP", help: "help.option.workflowd.now")
        static let sendmail = Option<String>("sendmail", "COMMAND", help: "help.option.workflowd.sendmail")
        static let webhook = Option<String>("webhook", "URL", help: "help.option.workflowd.webhook")
        static let webhookSecretFile = Option<String>("webhook-secret-file", "FILE", help: "help.option.workflowd.webhook-secret-file")
        static let file = Option<String>("file", "PATH", help: "help.option.workflowd.file")
        static let exports = Option<String>("exports", "DIR", help: "help.option.workflowd.exports")
        static let invoices = Option<String>("invoices", "DIR", help: "help.option.workflowd.invoices")
        static let exportInterval = Option<Seconds>("export-interval", "SECONDS", help: "help.option.workflowd.export-interval")
        static let from = Option<String>("from", "ADDRESS", help: "help.option.workflowd.from")
        static let maxAttempts = Option<Int>("max-attempts", "N", help: "help.option.workflowd.max-attempts")
        static let maildir = Option<String>("maildir", "DIR", help: "help.option.workflowd.maildir")
        static let replyDomain = Option<String>("reply-domain", "DOMAIN", help: "help.option.workflowd.reply-domain")
        static let authservID = Option<String>("authserv-id", "ID", help: "help.option.workflowd.authserv-id")
        static let lease = Option<Seconds>("lease", "SECONDS", help: "help.option.workflowd.lease")
        static let retryDelay = Option<Seconds>("retry-delay", "SECONDS", help: "help.option.workflowd.retry-delay")
        static let help = Flag("help", help: "help.option.workflowd.help")
        static let version = Flag("version", help: "help.option.workflowd.version")
    }

    static let options: [OptionSpec] = [
        Options.database, Options.once, Options.interval, Options.now, Options.sendmail, Options.webhook, Options.webhookSecretFile,
        Options.file, Options.exports, Options.exportInterval, Options.invoices, Options.from, Options.maxAttempts, Options.maildir,
        Options.replyDomain, Options.authservID, Options.lease, Options.retryDelay, Options.help, Options.version,
    ]

    /// A wait in seconds: at least 10 ms (a smaller one, 1e-300, would make the loop spin), at most a week.
    struct Seconds: OptionValue {
        let value: TimeInterval
        static func read(_ text: String, option: String) throws -> Seconds {
            guard let value = Double(text), value >= 0.01, value <= 86_400 * 7 else {
                throw WorkflowError(.usage, Message("error.seconds", ["option": "\(option)", "value": "\(text)"]))
            }
            return Seconds(value: value)
        }
    }

    /// `--now`: a moment as `parseMoment` reads it.
    struct Moment: OptionValue {
        let value: Date
        static func read(_ text: String, option: String) throws -> Moment { Moment(value: try WorkflowD.parseMoment(text)) }
    }

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
            throw WorkflowError(.usage, Message("error.daemon_argument", ["argument": "\(stray.prefix(40))"]))
        }
        let option = OptionValues(declared: options, values: given, owner: "workflowd")
        if option[Options.help] || option[Options.version] {
            return Parsed(configuration: Daemon.Configuration(conninfo: ""), channels: [], help: option[Options.help],
                          version: option[Options.version] && !option[Options.help])
        }
        var configuration = Daemon.Configuration(conninfo: try Database.resolve(explicit: try option[Options.database], environment: environment))
        configuration.once = option[Options.once]
        configuration.interval = try option[Options.interval]?.value ?? 60
        configuration.exportInterval = try option[Options.exportInterval]?.value ?? 3600
        configuration.exportsDirectory = try option[Options.exports]
        configuration.maildir = try option[Options.maildir]
        configuration.replyDomain = try option[Options.replyDomain]
        configuration.authservID = try option[Options.authservID]
        configuration.invoicesDirectory = try option[Options.invoices]
        configuration.language = Language.fromEnvironment(environment)
        configuration.retry.lease = try option[Options.lease]?.value ?? 60
        configuration.retry.baseDelay = try option[Options.retryDelay]?.value ?? 5
        if given[Options.maxAttempts.name] != nil {
            // Out of range or no number: the same usage error, naming the range.
            guard let attempts = try? option[Options.maxAttempts], (1...100).contains(attempts) else {
                throw WorkflowError(.usage, Message("error.range", ["option": "--max-attempts", "low": "1", "high": "100"]))
            }
            configuration.retry.maxAttempts = attempts
        }
        if let now = try option[Options.now] { configuration.now = now.value }
        let from = try option[Options.from] ?? "DevWorkflow <devworkflow@localhost>"
        var channels: [any DeliveryChannel] = []
        if let path = try option[Options.file] {
            // A folder can never take a line: refused at start (74), before the outbox is touched.
            let channel = FileChannel(path: path)
            try channel.checkUsable()
            channels.append(channel)
        }
        if let text = try option[Options.webhook] {
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw WorkflowError(.usage, Message("error.webhook_url", ["value": "\(text)"]))
            }
            channels.append(webhook(url, try option[Options.webhookSecretFile].map(WebhookSigner.init(contentsOfFile:))))
        } else if try option[Options.webhookSecretFile] != nil {
            throw WorkflowError(.usage, Message("error.webhook_secret_needs_url"))
        }
        do {
            if let command = try option[Options.sendmail] ?? (channels.isEmpty ? "" : nil) {
                var sendmail = command.isEmpty ? try SendmailChannel(from: from) : try SendmailChannel(command: command, from: from)
                // Replies come back to reply+…@ the reply domain, else the sender's domain.
                let sender = try EmailMessage.mailbox(from, role: "sender").address
                sendmail.replyDomain = try option[Options.replyDomain] ?? sender.split(separator: "@").last.map(String.init)
                channels.append(sendmail)
            }
        } catch let error as WorkflowError {
            throw WorkflowError(.usage, Message("error.option_value", ["option": "--sendmail/--from", "problem": .message(error.text)]))
        }
        return Parsed(configuration: configuration, channels: channels)
    }

    /// `2026-12-22` or `22.12.2026` (09:00 in Tallinn), `2026-12-22T09:00[:SS]` (Tallinn time), or with an offset or Z.
    package static func parseMoment(_ text: String) throws -> Date {
        if let day = try? PeopleInput.date(text) { return day.start(in: .tallinn).addingTimeInterval(9 * 3600) }
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
