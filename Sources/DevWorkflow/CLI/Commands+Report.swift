import Foundation

extension TextOutput: ReportSink {}

extension Commands {
    static let reportOptions: [OptionSpec] = [
        .value("format", "csv|json|md|html", "help.option.format"),
        .value("out", "FILE", "help.option.out"),
        .flag("excel", "help.option.excel"),
        .value("lang", "et|en", "help.option.lang"),
    ]

    /// `report vendor|status|budget|flow`.
    static var report: [Command] {
        [
            Command("report", "vendor", arguments: "KEY", positionals: 1...1, options: reportOptions,
                    summary: "help.report.vendor") { call in
                try render(VendorReport(vendor: call.argument(0)), call)
            },
            Command("report", "status", options: reportOptions,
                    summary: "help.report.status") { call in
                try render(StatusReport(), call)
            },
            Command("report", "budget", options: reportOptions + [.value("year", "YYYY", "help.option.report.budget.year")],
                    summary: "help.report.budget") { call in
                let year = try call.integer("year") ?? LocalDate.today(at: call.clock()).year
                guard (2000...2100).contains(year) else { throw WorkflowError(.invalidData, Message("error.year_range", ["year": "\(year)"])) }
                try render(BudgetReport(year: year), call)
            },
            Command("report", "flow", options: reportOptions + [.value("since", "DATE", "help.option.report.flow.since")],
                    summary: "help.report.flow") { call in
                let since = try call.date("since")
                try render(FlowReport(since: since), call)
            },
        ]
    }

    static func render(_ report: any WorkflowReport, _ call: Invocation) throws {
        let out = call.value("out")
        let format: ReportFormat
        if let name = call.value("format") {
            guard let chosen = ReportFormat(rawValue: name) else {
                throw WorkflowError(.usage, Message("error.unknown_format", ["format": "\(name)", "known": "csv, json, md, html"]))
            }
            format = chosen
        } else if let out, let guessed = ReportFormat(rawValue: String(out.split(separator: ".").last ?? "")) {
            format = guessed
        } else {
            format = call.json && out == nil ? .json : .csv
        }
        // The report's language: --lang, else the reader's locale (LC_ALL, LC_MESSAGES, LANG), else Estonian.
        let formatting = ReportFormatting.for(try call.value("lang").map(Language.init(parsing:)) ?? call.language)
        let connection = try call.connection()
        let asOf = call.clock()
        guard let out else {
            // --json promises one JSON document on stdout: another format goes to a file.
            guard !call.json || format == .json else {
                throw WorkflowError(.usage, Message("error.json_format", ["format": "\(format.rawValue)"]))
            }
            let renderer = format.renderer(writingTo: call.out, excel: call.flag("excel"), formatting: formatting)
            if let json = renderer as? JSONRenderer { call.streamJSON(endingOnError: json.ending(withError:)) }
            try ReportRun.render(report, from: connection, into: renderer, asOf: asOf, unreadable: call.warnUnreadable)
            return
        }
        let sink = try AtomicFileSink(path: out)
        let renderer = format.renderer(writingTo: sink, excel: call.flag("excel"), formatting: formatting)
        do {
            try ReportRun.render(report, from: connection, into: renderer, asOf: asOf, unreadable: call.warnUnreadable)
            try sink.commit()
        } catch {
            sink.discard()
            throw error
        }
        call.emit(.object([("file", .string(out)), ("format", .string(format.rawValue)), ("rows", .int(renderer.rowCount)),
                           ("sha256", .optional(renderer.fingerprint)), ("as_of", .timestamp(asOf))]),
                  text: call.say("out.report.written", ["file": "\(out)", "rows": "\(renderer.rowCount)", "sha256": "\(renderer.fingerprint ?? "")"]))
    }
}
