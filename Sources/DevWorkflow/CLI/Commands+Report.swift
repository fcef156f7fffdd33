import Foundation

extension TextOutput: ReportSink {}

extension Commands {
    static let reportOptions: [OptionSpec] = [
        .value("format", "csv|json|md|html", "the report's format (default: from --out's extension, else csv; json with --json)"),
        .value("out", "FILE", "write to FILE (replaced atomically) instead of standard output"),
        .flag("excel", "CSV for spreadsheets in Estonian locale: BOM, ; separators, decimal comma"),
    ]

    /// `report vendor|status|budget|flow`.
    static var report: [Command] {
        [
            Command("report", "vendor", arguments: "KEY", positionals: 1...1, options: reportOptions,
                    summary: "a vendor's requests, its own quotes and orders (nothing of other vendors)") { call in
                try render(VendorReport(vendor: call.argument(0)), call)
            },
            Command("report", "status", options: reportOptions,
                    summary: "requests per system and state, the prioritised backlog, everything overdue") { call in
                try render(StatusReport(), call)
            },
            Command("report", "budget", options: reportOptions + [.value("year", "YYYY", "the year (default: this year)")],
                    summary: "budgets per system (committed, spent, left) and contract caps") { call in
                let year = try call.integer("year") ?? LocalDate.today(at: call.clock()).year
                guard (2000...2100).contains(year) else { throw WorkflowError(.invalidData, "year \(year) is out of range: expected 2000 to 2100") }
                try render(BudgetReport(year: year), call)
            },
            Command("report", "flow", options: reportOptions + [.value("since", "DATE", "only history from this date on")],
                    summary: "time in each state, throughput per month, returns, vendors' promised vs actual delivery") { call in
                let since = try call.date("since")
                try render(FlowReport(since: since, calendar: try call.store().calendar()), call)
            },
        ]
    }

    static func render(_ report: any WorkflowReport, _ call: Invocation) throws {
        let out = call.value("out")
        let format: ReportFormat
        if let name = call.value("format") {
            guard let chosen = ReportFormat(rawValue: name) else {
                throw WorkflowError(.usage, "unknown format '\(name)': expected csv, json, md or html")
            }
            format = chosen
        } else if let out, let guessed = ReportFormat(rawValue: String(out.split(separator: ".").last ?? "")) {
            format = guessed
        } else {
            format = call.json && out == nil ? .json : .csv
        }
        let connection = try call.connection()
        let asOf = call.clock()
        guard let out else {
            try ReportRun.render(report, from: connection, into: format.renderer(writingTo: call.out, excel: call.flag("excel")), asOf: asOf)
            return
        }
        let sink = try AtomicFileSink(path: out)
        let renderer = format.renderer(writingTo: sink, excel: call.flag("excel"))
        do {
            try ReportRun.render(report, from: connection, into: renderer, asOf: asOf)
            try sink.commit()
        } catch {
            sink.discard()
            throw error
        }
        call.emit(.object([("file", .string(out)), ("format", .string(format.rawValue)), ("rows", .int(renderer.rowCount)),
                           ("sha256", .optional(renderer.fingerprint)), ("as_of", .timestamp(asOf))]),
                  text: "wrote \(out): \(renderer.rowCount) rows, sha256 \(renderer.fingerprint ?? "")")
    }
}
