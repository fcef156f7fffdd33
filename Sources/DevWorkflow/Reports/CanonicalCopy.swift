/// A section's rows as canonical lines (`ReportFingerprint.canonicalLine`) written by
/// PostgreSQL's own CSV encoder: `COPY (…) TO STDOUT` costs the server half of what building
/// each line with SQL expressions did, and the client takes a row per copy message instead of
/// a result per row in single-row mode.
///
/// COPY's CSV (`,`, `"`, NULL as an unquoted empty field, UTF-8) quotes a field when it holds
/// `,`, `"`, CR or LF or is the empty string, doubling inner quotes: the canonical rules but for
/// two, which `add(_:line:)` applies to each record:
/// - canonical CSV also quotes text that starts or ends with a space or tab. Such a field comes
///   unquoted, so it holds no quote, comma or line break, and quotes around it are all it needs;
/// - COPY quotes a lone `\.` in a one-column row (its end-of-data marker); canonical CSV does not.
///
/// Other kinds are cast so that the server's output function writes the canonical text: `bigint`,
/// `numeric` (money as `numeric(20,2)`), and `date`, which is ISO because `ReportRun` sets
/// DateStyle. Timestamps and booleans have no such cast (no report streams them): nil.
///
/// COPY takes no bind parameters, so a streamed query must have none: a report passes its values
/// with `Connection.setReportParameters` and reads them with `current_setting`.
struct CanonicalCopy {
    /// The COPY statement over `sql`, or nil when a column's kind has no COPY form.
    static func statement(_ sql: SQL, columns: [ReportColumn]) -> SQL? {
        var fields: [String] = []
        for (index, column) in columns.enumerated() {
            switch column.kind {
            case .text: fields.append("c\(index)::text")
            case .integer: fields.append("c\(index)::bigint")
            case .money: fields.append("c\(index)::numeric(20,2)")
            case .decimal: fields.append("c\(index)::numeric")
            case .date: fields.append("c\(index)::date")
            case .timestamp, .boolean: return nil
            }
        }
        precondition(sql.binds.isEmpty, "a report query streamed through COPY must read its values with current_setting: \(sql.text)")
        let names = SQL(unsafe: columns.indices.map { "c\($0)" }.joined(separator: ", "))
        return """
            COPY (SELECT \(SQL(unsafe: fields.joined(separator: ", "))) FROM (\(sql)) AS report_rows(\(names)))
            TO STDOUT (FORMAT csv, DELIMITER ',', QUOTE '"', NULL '', ENCODING 'UTF8')
            """
    }

    private let columnCount: Int
    /// The start of a record whose end has not come yet.
    private var partial: [UInt8] = []

    init(columnCount: Int) { self.columnCount = columnCount }

    /// Whether every record given so far has ended.
    var isAtRecordEnd: Bool { partial.isEmpty }

    /// Takes a piece of COPY's output and hands each record it completes to `line`, as its
    /// canonical line. libpq hands over one whole record per piece, but nothing here depends on
    /// it: an unfinished record waits for the next piece and is scanned again from its start.
    mutating func add(_ chunk: UnsafeRawBufferPointer, line: (String) throws -> Void) throws {
        if partial.isEmpty {
            let used = try records(in: chunk, line)
            partial.append(contentsOf: chunk[used...])
        } else {
            partial.append(contentsOf: chunk)
            let used = try partial.withUnsafeBytes { try records(in: $0, line) }
            partial.removeFirst(used)
        }
    }

    /// Hands each complete record in `bytes` to `line`; returns how many bytes they took. One
    /// pass: quote parity tells a separator or line feed that is data from one that is not.
    private func records(in bytes: UnsafeRawBufferPointer, _ line: (String) throws -> Void) throws -> Int {
        var recordStart = 0, fieldStart = 0, inQuotes = false
        var needQuotes: [Range<Int>] = []
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            guard !inQuotes, byte == UInt8(ascii: ",") || byte == 0x0A else { continue }
            if index > fieldStart, bytes[fieldStart] != UInt8(ascii: "\""),
               Self.isBlank(bytes[fieldStart]) || Self.isBlank(bytes[index - 1]) || Self.startsWithByteOrderMark(bytes, fieldStart, index) {
                needQuotes.append(fieldStart..<index)
            }
            fieldStart = index + 1
            guard byte == 0x0A else { continue }
            try line(canonical(UnsafeRawBufferPointer(rebasing: bytes[recordStart..<index]), needQuotes: needQuotes, at: recordStart))
            needQuotes.removeAll(keepingCapacity: true)
            recordStart = index + 1
        }
        return recordStart
    }

    /// One record without its line feed as the canonical line, given the fields (offsets from
    /// `base`) that need the quotes COPY left off.
    private func canonical(_ record: UnsafeRawBufferPointer, needQuotes: [Range<Int>], at base: Int) -> String {
        if needQuotes.isEmpty {
            if columnCount == 1, record.elementsEqual(#""\.""#.utf8) { return #"\."# }
            return String(decoding: record, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(record.count + 2 * needQuotes.count)
        var copied = 0
        for field in needQuotes {
            bytes.append(contentsOf: record[copied..<field.lowerBound - base])
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: record[field.lowerBound - base..<field.upperBound - base])
            bytes.append(UInt8(ascii: "\""))
            copied = field.upperBound - base
        }
        bytes.append(contentsOf: record[copied...])
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// A field that starts with U+FEFF, which the CSV writer quotes (readers take it away).
    private static func startsWithByteOrderMark(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        end - start >= 3 && bytes[start] == 0xEF && bytes[start + 1] == 0xBB && bytes[start + 2] == 0xBF
    }
}
