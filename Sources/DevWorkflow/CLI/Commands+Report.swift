import Foundation

extension TextOutput: ReportSink {}

extension OptionSpec {
    static let reportFormat = Option<String>("format", "csv|json|md|html", help: "help.option.format")
    static let reportFile = Option<String>("out", "FILE", help: "help.option.out", complete: .files)
    static let excel = Flag("excel", help: "help.option.excel")
    static let reportSection = Option<String>("section", "ID", help: "help.option.report.section")
    static let reportYear = Option<Int>("year", "YYYY", help: "help.option.report.budget.year")
    static let penaltyYear = Option<Int>("year", "YYYY", help: "help.option.report.penalties.year")
    static let since = Option<LocalDate>("since", "DATE", help: "help.option.report.flow.since")
}

extension Commands {
    /// The options every report takes; its language is the global --lang (else the locale's).
    static let reportOptions: [OptionSpec] = [.reportFormat, .reportFile, .excel, .reportSection]

    /// `report vendor|status|budget|penalties|flow`.
    static var report: [Command] {
        [
            Command("report", "vendor", arguments: "KEY", positionals: 1...1, options: reportOptions,
                    summary: "help.report.vendor", complete: [.live(.vendors)]) { call in
                try render(VendorReport(vendor: call.argument(0)), call)
            },
            Command("report", "status", options: reportOptions,
                    summary: "help.report.status") { call in
                try render(StatusReport(), call)
            },
            Command("report", "budget", options: reportOptions + [.reportYear],
                    summary: "help.report.budget") { call in
                try render(BudgetReport(year: try year(call, .reportYear)), call)
            },
            Command("report", "penalties", options: reportOptions + [.penaltyYear],
                    summary: "help.report.penalties") { call in
                try render(PenaltyReport(year: try year(call, .penaltyYear)), call)
            },
            Command("report", "flow", options: reportOptions + [.since],
                    summary: "help.report.flow") { call in
                let since = try call[.since]
                try render(FlowReport(since: since), call)
            },
        ]
    }

    /// A report's `--year`, this year when not given; refused (65) outside 2000–2100 before
    /// anything is read or written.
    static func year(_ call: Invocation, _ option: Option<Int>) throws -> Int {
        let year = try call[option] ?? LocalDate.today(at: call.clock()).year
        guard (2000...2100).contains(year) else { throw WorkflowError(.invalidData, Message("error.year_range", ["year": "\(year)"])) }
        return year
    }

    static func render(_ report: any WorkflowReport, _ call: Invocation) throws {
        let out = try call[.reportFile]
        let format: ReportFormat
        if let name = try call[.reportFormat] {
            guard let chosen = ReportFormat(rawValue: name) else {
                throw WorkflowError(.usage, Message("error.unknown_format", ["format": "\(name)", "known": "csv, json, md, html"]))
            }
            format = chosen
        } else if let out, let dot = (out.split(separator: "/").last ?? "").lastIndex(of: ".") {
            // The file's ending names the format; one that names none (x.xlsx) is not written
            // as CSV behind the name's back.
            let ending = String((out.split(separator: "/").last ?? "")[dot...].dropFirst()).lowercased()
            guard let guessed = ReportFormat(rawValue: ["htm": "html", "markdown": "md"][ending] ?? ending) else {
                throw WorkflowError(.usage, Message("error.out_format", ["file": "\(out)", "known": "csv, json, md, html"]))
            }
            format = guessed
        } else if call.json && out == nil {
            format = .json
        } else {
            // Read by a person at a terminal (or its pager): Markdown, whose tables read as text;
            // down a pipe or into a file, CSV as before.
            format = out == nil && call.out.isRead ? .markdown : .csv
        }
        // One table of a CSV report, as a plain RFC 4180 file (the others left out of the text).
        let section = try call[.reportSection]
        guard section == nil || format == .csv else {
            throw WorkflowError(.usage, Message("error.section_csv", ["format": "\(format.rawValue)"]))
        }
        // A section the report has not: said with the ones it has, nothing written.
        func askedSectionWritten(_ renderer: any ReportRenderer) throws {
            guard let csv = renderer as? CSVRenderer, !csv.wroteAskedSection else { return }
            throw WorkflowError(.usage, Message("error.unknown_section", ["section": "\(section ?? "")", "known": "\(csv.sectionIDs.joined(separator: ", "))"]))
        }
        // The report's language: --lang, else the reader's locale (LC_ALL, LC_MESSAGES, LANG), else Estonian.
        let formatting = ReportFormatting.for(call.language)
        let connection = try call.connection()
        let asOf = call.clock()
        guard let out else {
            // --json promises one JSON document on stdout: another format goes to a file.
            guard !call.json || format == .json else {
                throw WorkflowError(.usage, Message("error.json_format", ["format": "\(format.rawValue)"]))
            }
            let renderer = format.renderer(writingTo: call.out, excel: call[.excel], section: section, formatting: formatting)
            if let json = renderer as? JSONRenderer { call.streamJSON(endingOnError: json.ending(withError:)) }
            try ReportRun.render(report, from: connection, into: renderer, asOf: asOf, unreadable: call.warnUnreadable)
            try askedSectionWritten(renderer)
            return
        }
        let sink = try AtomicFileSink(path: out)
        let renderer = format.renderer(writingTo: sink, excel: call[.excel], section: section, formatting: formatting)
        do {
            try ReportRun.render(report, from: connection, into: renderer, asOf: asOf, unreadable: call.warnUnreadable)
            try askedSectionWritten(renderer)
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
