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
    ///
    /// With `unreadable`, a stored row the client cannot read (a value no type of ours holds)
    /// does not stop the report: it is left out and `unreadable` hears why, for the caller to log.
    /// Without it, such a row fails the report.
    public static func render(_ report: any WorkflowReport, from connection: Connection, into renderer: any ReportRenderer,
                              asOf: Date, unreadable: ((String) -> Void)? = nil) throws {
        do {
            try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                // COPY passes dates on as the server writes them; canonical dates are ISO.
                _ = try connection.query("SELECT set_config('DateStyle', 'ISO, YMD', true)")
                let guarded = ReportRunRenderer(renderer, skipsUnreadable: unreadable != nil, chains: try chains(connection, renderer))
                try report.render(from: connection, into: guarded, asOf: asOf)
                if let unreadable { guarded.skipped.forEach(unreadable) }
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// The last seal of the record's chains, which every report states it is consistent with.
    private static func chains(_ connection: Connection, _ renderer: any ReportRenderer) throws -> String {
        let row = try connection.query("""
            SELECT extract(epoch FROM (s ->> 'at')::timestamptz)::float8, s ->> 'digest' FROM (SELECT workflow.last_seal() AS s) seal
            """).first
        guard let seconds: Double = try row?.decode(0), let digest: String = try row?.decode(1) else {
            return renderer.text("report.chains.unsealed")
        }
        let at = ReportFormatting.for(renderer.language).timestamp(Date(timeIntervalSince1970: seconds))
        return renderer.text("report.chains.sealed", ["at": "\(at)", "digest": "\(digest)"])
    }
}

/// The renderer a report run hands the report: the header also names the seal of the record's
/// chains, and (when the caller asked) a row the client cannot read is left out and noted.
final class ReportRunRenderer: ReportRenderer {
    let inner: any ReportRenderer
    let skipsUnreadable: Bool
    let chains: String
    private(set) var skipped: [String] = []
    init(_ inner: any ReportRenderer, skipsUnreadable: Bool, chains: String) {
        self.inner = inner
        self.skipsUnreadable = skipsUnreadable
        self.chains = chains
    }

    func skip(_ reason: String) { skipped.append(reason) }
    func begin(_ header: ReportHeader) throws {
        var header = header
        header.parameters.append((name: "chains", value: chains))
        try inner.begin(header)
    }
    func chart(_ chart: ReportChart) throws { try inner.chart(chart) }
    func beginSection(id: String, title: String, columns: [ReportColumn]) throws { try inner.beginSection(id: id, title: title, columns: columns) }
    func row(_ values: [ReportValue]) throws { try inner.row(values) }
    func endSection() throws { try inner.endSection() }
    func end() throws { try inner.end() }
    var fingerprint: String? { inner.fingerprint }
    var rowCount: Int { inner.rowCount }
    var language: Language { inner.language }
    var takesCanonicalLines: Bool { inner.takesCanonicalLines }
    func canonicalRow(_ line: String) throws { try inner.canonicalRow(line) }
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
            try streamValues(sql, columns: columns, renderer: renderer) { try renderer.row($0) }
        }
    }

    /// Streams a statement's rows decoded as `columns`' values into `body`. A row that cannot be
    /// decoded is skipped and named when the report run skips unreadable rows (issue 13: one
    /// unreadable row must not stop the report for everyone), and thrown otherwise.
    func streamValues(_ sql: SQL, columns: [ReportColumn], renderer: any ReportRenderer, _ body: ([ReportValue]) throws -> Void) throws {
        try stream(sql) { row in
            let values: [ReportValue]
            do {
                values = try row.values(columns)
            } catch let error as PostgresError where error.code == .decoding {
                guard let guarded = renderer as? ReportRunRenderer, guarded.skipsUnreadable else { throw error }
                guarded.skip("\(row.text(0) ?? "?"): \(error.message)")
                return
            }
            try body(values)
        }
    }

    /// Refuses a vendor's user, or an admin acting for one (77): the reports of the whole
    /// portfolio (status, budget, flow) are staff's. The database decides (sql/0027).
    func requireStaffReader() throws {
        _ = try query("SELECT workflow.require_staff_reader()")
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
