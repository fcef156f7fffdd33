/// How CSV is written: the field separator and the decimal mark of numbers.
///
/// `.rfc4180` is the interchange format (`,` and a decimal point); `.excel` suits spreadsheet
/// programs in locales with a decimal comma, such as Estonian (`;` and `1234,50`). Line endings
/// are the writer's business (reports use CRLF, as RFC 4180 says).
public struct CSVFormat: Hashable, Sendable {
    /// The field separator; an ASCII character other than `"`, CR and LF.
    public let separator: Character
    /// Whether numbers are written with a decimal comma.
    public let decimalComma: Bool
    private let separatorByte: UInt8

    /// A format; traps when the separator is not ASCII or is a quote or line break.
    public init(separator: Character = ",", decimalComma: Bool = false) {
        guard let byte = separator.asciiValue, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D else {
            preconditionFailure("CSV separator must be ASCII and not a quote or line break")
        }
        self.separator = separator
        self.decimalComma = decimalComma
        self.separatorByte = byte
    }

    /// RFC 4180: comma separator, decimal point.
    public static let rfc4180 = CSVFormat()
    /// For spreadsheet programs in decimal-comma locales: semicolon separator, decimal comma.
    public static let excel = CSVFormat(separator: ";", decimalComma: true)

    /// A field as written in a record: as-is, or in double quotes with inner quotes doubled when it
    /// holds the separator, a quote, CR or LF, starts or ends with a space or tab, or starts with a
    /// byte-order mark.
    public func field(_ text: String) -> String {
        guard needsQuotes(text) else { return text }
        var quoted = "\""
        quoted.reserveCapacity(text.utf8.count + 2)
        for character in text.unicodeScalars {
            if character == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(character) }
        }
        return quoted + "\""
    }

    /// A record: the fields encoded and joined by the separator, without a line ending.
    /// A record of one empty field is written `""`: written bare it would be a blank line.
    public func record(_ fields: [String]) -> String {
        if fields == [""] { return "\"\"" }
        return fields.map(field).joined(separator: String(separator))
    }

    /// A number's exact text (`-1234.50`) with this format's decimal mark.
    public func number(_ text: String) -> String {
        decimalComma ? String(text.map { $0 == "." ? "," : $0 }) : text
    }

    private func needsQuotes(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        // A byte-order mark at the start of a file is taken away by readers: quoted, it is data.
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { return true }
        return utf8.contains { $0 == separatorByte || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
    }
}
