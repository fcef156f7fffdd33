import Foundation

/// A report over the product's data: it reads through one connection and writes rows into a
/// renderer as they arrive, so memory does not grow with the number of requests.
public protocol WorkflowReport: Sendable {
    /// Writes the whole report (header, sections, charts) into `renderer`. Call it through
    /// `ReportRun.render`: its parameters are settings that live as long as that transaction.
    func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws
}

/// Runs a report in one read-only snapshot, so every section describes the same moment.
public enum ReportRun {
    /// Renders `report` into `renderer`; the caller commits or discards the sink.
    public static func render(_ report: any WorkflowReport, from connection: Connection, into renderer: any ReportRenderer,
                              asOf: Date) throws {
        do {
            try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                // COPY passes dates on as the server writes them; canonical dates are ISO.
                _ = try connection.query("SELECT set_config('DateStyle', 'ISO, YMD', true)")
                try report.render(from: connection, into: renderer, asOf: asOf)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }
}

extension Connection {
    /// Streams a report section's rows straight into the renderer: as values, or, when the
    /// renderer takes them and every column's kind allows, as canonical lines PostgreSQL's CSV
    /// encoder writes (see `CanonicalCopy`).
    func streamRows(_ sql: SQL, into renderer: any ReportRenderer, columns: [ReportColumn]) throws {
        if renderer.takesCanonicalLines, let copy = CanonicalCopy.statement(sql, columns: columns) {
            var lines = CanonicalCopy(columnCount: columns.count)
            try copyOut(copy) { chunk in try lines.add(chunk) { try renderer.canonicalRow($0) } }
            guard lines.isAtRecordEnd else {
                throw PostgresError(code: .unexpectedResult, message: "COPY output ended inside a record", query: copy.text)
            }
        } else {
            try stream(sql) { row in try renderer.row(try row.values(columns)) }
        }
    }

    /// Makes a report's values readable as `current_setting('devworkflow.report_<name>')` until
    /// the transaction ends. They are bound as parameters: a streamed section runs as COPY, which
    /// takes none, and its text holds no values.
    func setReportParameters(_ parameters: KeyValuePairs<String, String>) throws {
        let calls = parameters.map { name, value -> SQL in "set_config(\("devworkflow.report_" + name), \(value), true)" }
        _ = try query("SELECT " + SQL.joined(calls, separator: ", "))
    }
}

extension Row {
    /// A column as a report value of the given kind (NULL becomes `.null`).
    func value(_ index: Int, _ kind: ReportColumn.Kind) throws -> ReportValue {
        guard let text = text(index) else { return .null }
        switch kind {
        case .text: return .text(text)
        case .integer: return .integer(try Int(postgresText: text))
        case .money: return .money(try Money(postgresText: text))
        case .decimal: return .decimal(text)
        case .date: return .date(try LocalDate(postgresText: text))
        case .timestamp: return .timestamp(try Date(postgresText: text))
        case .boolean: return .boolean(try Bool(postgresText: text))
        }
    }

    /// Every column in order, by the kinds of `columns`.
    func values(_ columns: [ReportColumn]) throws -> [ReportValue] {
        try columns.enumerated().map { try value($0.offset, $0.element.kind) }
    }
}
