import Foundation

/// The SHA-256 of a report's content rows, the same whichever format the report is written in.
///
/// What is hashed, in order: for each section the line `section:<id>\n`, then each of its rows
/// as its canonical CSV line followed by `\n`. The canonical line is RFC 4180 with `,`, a decimal
/// point, money as `1234.50`, dates as `2026-11-25`, timestamps as `2026-11-25T09:18:01Z`,
/// booleans as `true`/`false`, a null as an empty field and empty text as `""` (so the two
/// differ). Titles, charts, the as-of time and parameters are not hashed: the fingerprint says
/// "same rows", so two runs over unchanged data match.
///
/// A one-section report in plain CSV can be checked by hand: its data lines are exactly the
/// canonical lines (with CRLF), so `section:<id>\n` followed by them, LF-terminated, hashes to
/// the fingerprint — unless a text cell had to be made safe to open (a leading `'` before a
/// formula's `=`, a control character shown; see `CSVRenderer`): the fingerprint is the data's.
public struct ReportFingerprint: Sendable {
    private var hasher = SHA256()

    /// An empty fingerprint (no sections).
    public init() {}

    /// Adds the start of a section.
    public mutating func beginSection(id: String) {
        hasher.update("section:\(id)\n")
    }

    /// Adds a row.
    public mutating func add(_ row: [ReportValue]) {
        add(line: ReportFingerprint.canonicalLine(row))
    }

    /// Adds a row already turned into its canonical line.
    mutating func add(line: String) {
        hasher.update(line.utf8)
        hasher.update(byte: UInt8(ascii: "\n"))
    }

    /// The digest so far, as 64 lowercase hex digits.
    public var hexDigest: String { hasher.hexDigest() }

    /// A row as one canonical CSV line, without a line ending.
    public static func canonicalLine(_ row: [ReportValue]) -> String {
        var line = ""
        for (index, value) in row.enumerated() {
            if index > 0 { line += "," }
            line += canonicalField(value, format: .rfc4180)
        }
        return line
    }

    /// One value as an encoded CSV field in a format: the canonical text, quoted as needed, with
    /// the format's decimal mark for money and decimals.
    static func canonicalField(_ value: ReportValue, format: CSVFormat) -> String {
        switch value {
        case .null: return ""
        case let .text(text): return text.isEmpty ? "\"\"" : format.field(text)
        case .integer, .date, .timestamp, .boolean: return canonicalText(value) ?? ""
        case .money, .decimal: return format.number(canonicalText(value) ?? "")
        }
    }

    /// A value's canonical text before CSV quoting; nil for `.null`. JSON uses it too.
    static func canonicalText(_ value: ReportValue) -> String? {
        switch value {
        case .null: return nil
        case let .text(text): return text
        case let .integer(number): return String(number)
        case let .money(money): return money.description
        case let .decimal(text): return text
        case let .date(date): return date.description
        case let .timestamp(instant): return JSONValue.iso8601(instant)
        case let .boolean(flag): return flag ? "true" : "false"
        }
    }
}
