import Foundation

/// A report over the product's data: it reads through one connection and writes rows into a
/// renderer as they arrive, so memory does not grow with the number of requests.
public protocol WorkflowReport: Sendable {
    /// Writes the whole report (header, sections, charts) into `renderer`.
    func render(from connection: Connection, into renderer: any ReportRenderer, asOf: Date) throws
}

/// Runs a report in one read-only snapshot, so every section describes the same moment.
public enum ReportRun {
    /// Renders `report` into `renderer`; the caller commits or discards the sink.
    public static func render(_ report: any WorkflowReport, from connection: Connection, into renderer: any ReportRenderer,
                              asOf: Date) throws {
        do {
            try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try report.render(from: connection, into: renderer, asOf: asOf)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }
}

extension Connection {
    /// Streams a report section's rows straight into the renderer: as values, or, when the
    /// renderer takes them and every column's kind allows, as canonical lines the database makes
    /// (the query wrapped in one that encodes each row exactly as `ReportFingerprint` does).
    func streamRows(_ sql: SQL, into renderer: any ReportRenderer, columns: [ReportColumn]) throws {
        if renderer.takesCanonicalLines, let line = CanonicalLineSQL.expression(for: columns) {
            let names = SQL(unsafe: columns.indices.map { "c\($0)" }.joined(separator: ", "))
            try stream("SELECT \(line) FROM (\(sql)) AS report_rows(\(names))") { row in try renderer.canonicalRow(row.text(0) ?? "") }
        } else {
            try stream(sql) { row in try renderer.row(try row.values(columns)) }
        }
    }
}

/// A row's canonical line (`ReportFingerprint.canonicalLine`) as one SQL expression over the
/// columns `c0`, `c1` … of a wrapped query: RFC 4180 with `,`, null as an empty field, empty text
/// as `""`, text quoted when it holds `,`, `"`, CR or LF or starts or ends with a space or tab,
/// money with two decimals, dates as `YYYY-MM-DD`. Timestamps and booleans are left to the
/// client (nil): no report streams them.
enum CanonicalLineSQL {
    static func expression(for columns: [ReportColumn]) -> SQL? {
        var fields: [String] = []
        for (index, column) in columns.enumerated() {
            let c = "c\(index)"
            switch column.kind {
            case .text:
                let t = "\(c)::text"
                fields.append("""
                    CASE WHEN \(c) IS NULL THEN '' WHEN \(t) = '' THEN '""' \
                    WHEN strpos(\(t), ',') > 0 OR strpos(\(t), '"') > 0 OR strpos(\(t), chr(10)) > 0 OR strpos(\(t), chr(13)) > 0 \
                    OR left(\(t), 1) IN (' ', chr(9)) OR right(\(t), 1) IN (' ', chr(9)) \
                    THEN '"' || replace(\(t), '"', '""') || '"' ELSE \(t) END
                    """)
            case .integer: fields.append("coalesce(\(c)::bigint::text, '')")
            case .money: fields.append("coalesce(\(c)::numeric(20,2)::text, '')")
            case .decimal: fields.append("coalesce(\(c)::numeric::text, '')")
            case .date: fields.append("coalesce(to_char(\(c)::date, 'YYYY-MM-DD'), '')")
            case .timestamp, .boolean: return nil
            }
        }
        return SQL(unsafe: fields.joined(separator: " || ',' || "))
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
