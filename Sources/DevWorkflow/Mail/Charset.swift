import Foundation

/// The character sets mail in Estonia arrives in, decoded to Unicode.
///
/// The 8-bit tables are written here: Foundation on Linux reaches Windows-1257 and ISO-8859-15
/// only through undocumented CoreFoundation raw values, and a mail gateway must read the same on
/// every platform. `CharsetTests` compares every byte with Python's codecs.
///
/// Labels are matched as mail clients do (case, `_` or `-`, the common aliases). As in browsers
/// and mail readers, `iso-8859-1` and `us-ascii` text is read as Windows-1252, its superset in
/// practice (Outlook labels `€` in 0x80 so); `us-ascii` that is valid UTF-8 is read as UTF-8.
/// An unknown label reads as UTF-8 when the bytes are valid UTF-8, else as Windows-1252: a reply
/// in a charset nobody expected is still read, never refused.
public enum Charset: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case iso885915 = "iso-8859-15"
    case windows1257 = "windows-1257"

    /// The charset a label names, or nil for a label this reader does not know.
    public init?(label: String) {
        let name = label.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8": self = .utf8
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819", "iso-ir-100":
            self = .windows1252
        case "iso-8859-15", "iso8859-15", "latin-9", "latin9", "l9": self = .iso885915
        case "windows-1257", "cp1257", "x-cp1257": self = .windows1257
        default: return nil
        }
    }

    /// The text of `bytes` in the charset `label` names (see the type's notes for unknown labels).
    public static func decode<Bytes: Collection>(_ bytes: Bytes, label: String?) -> String where Bytes.Element == UInt8 {
        if let label, let charset = Charset(label: label) { return charset.decode(bytes) }
        // No label, US-ASCII or an unknown one: UTF-8 when that is what the bytes are.
        if let text = String(validating: Array(bytes), as: UTF8.self) { return text }
        return Charset.windows1252.decode(bytes)
    }

    /// The text of `bytes` in this charset; a byte the charset leaves undefined (or broken UTF-8)
    /// becomes U+FFFD.
    public func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let table: [UInt16]
        switch self {
        case .utf8: return String(decoding: Array(bytes), as: UTF8.self)
        case .windows1252: table = Self.windows1252Table
        case .iso885915: table = Self.iso885915Table
        case .windows1257: table = Self.windows1257Table
        }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let code = byte < 0x80 ? UInt32(byte) : UInt32(table[Int(byte) - 0x80])
            scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// ISO-8859-1's upper half: each byte is its own code point.
    private static let latin1Upper: [UInt16] = (0x80...0xFF).map { UInt16($0) }

    /// Windows-1252: ISO-8859-1 with printable characters instead of the C1 controls.
    private static let windows1252Table: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ] + latin1Upper.dropFirst(32)

    /// ISO-8859-15 (Latin-9): ISO-8859-1 with eight places changed, `€` and `Š š Ž ž` among them.
    private static let iso885915Table: [UInt16] = {
        var table = latin1Upper
        let changed: [(Int, UInt16)] = [(0xA4, 0x20AC), (0xA6, 0x0160), (0xA8, 0x0161), (0xB4, 0x017D),
                                        (0xB8, 0x017E), (0xBC, 0x0152), (0xBD, 0x0153), (0xBE, 0x0178)]
        for (byte, code) in changed { table[byte - 0x80] = code }
        return table
    }()

    /// Windows-1257 (Baltic), bytes 0x80–0xFF.
    private static let windows1257Table: [UInt16] = [
        0x20AC, 0xFFFD, 0x201A, 0xFFFD, 0x201E, 0x2026, 0x2020, 0x2021, 0xFFFD, 0x2030, 0xFFFD, 0x2039, 0xFFFD, 0x00A8, 0x02C7, 0x00B8,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0xFFFD, 0x203A, 0xFFFD, 0x00AF, 0x02DB, 0xFFFD,
        0x00A0, 0xFFFD, 0x00A2, 0x00A3, 0x00A4, 0xFFFD, 0x00A6, 0x00A7, 0x00D8, 0x00A9, 0x0156, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00C6,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00F8, 0x00B9, 0x0157, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00E6,
        0x0104, 0x012E, 0x0100, 0x0106, 0x00C4, 0x00C5, 0x0118, 0x0112, 0x010C, 0x00C9, 0x0179, 0x0116, 0x0122, 0x0136, 0x012A, 0x013B,
        0x0160, 0x0143, 0x0145, 0x00D3, 0x014C, 0x00D5, 0x00D6, 0x00D7, 0x0172, 0x0141, 0x015A, 0x016A, 0x00DC, 0x017B, 0x017D, 0x00DF,
        0x0105, 0x012F, 0x0101, 0x0107, 0x00E4, 0x00E5, 0x0119, 0x0113, 0x010D, 0x00E9, 0x017A, 0x0117, 0x0123, 0x0137, 0x012B, 0x013C,
        0x0161, 0x0144, 0x0146, 0x00F3, 0x014D, 0x00F5, 0x00F6, 0x00F7, 0x0173, 0x0142, 0x015B, 0x016B, 0x00FC, 0x017C, 0x017E, 0x02D9,
    ]
}
