import Foundation

/// A Swift value that can be bound as a statement parameter, in PostgreSQL's text format.
public protocol PostgresEncodable {
    /// The value as PostgreSQL reads it; nil binds NULL.
    var postgresText: String? { get }
    /// The parameter's type OID, or 0 to let the server infer it from the statement.
    static var postgresType: UInt32 { get }
}

/// A Swift value that can be read from a result column in PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Decodes a non-NULL value; throws when the text is not of this type.
    init(postgresText text: String) throws
    /// Called for NULL: throws for non-optional types, `Optional` answers nil.
    static func postgresNull() throws -> Self
}

extension PostgresDecodable {
    public static func postgresNull() throws -> Self {
        throw PostgresError(code: .decoding, message: "unexpected NULL for \(Self.self)")
    }
}

/// Type OIDs the encoders use.
package enum PostgresOID {
    package static let bool: UInt32 = 16
    package static let int8: UInt32 = 20
    package static let int4: UInt32 = 23
    package static let text: UInt32 = 25
    package static let json: UInt32 = 114
    package static let float8: UInt32 = 701
    package static let date: UInt32 = 1082
    package static let timestamptz: UInt32 = 1184
    package static let numeric: UInt32 = 1700
    package static let jsonb: UInt32 = 3802
    package static let textArray: UInt32 = 1009
}

package func decodingError<T>(_ text: String, _ type: T.Type) -> PostgresError {
    PostgresError(code: .decoding, message: "cannot read '\(text.prefix(60))' as \(type)")
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String) throws { self = .some(try Wrapped(postgresText: text)) }
    public static func postgresNull() throws -> Self { nil }
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public static var postgresType: UInt32 { PostgresOID.text }
    public init(postgresText text: String) { self = text }
}

extension Substring: PostgresEncodable {
    public var postgresText: String? { String(self) }
    public static var postgresType: UInt32 { PostgresOID.text }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static var postgresType: UInt32 { PostgresOID.int8 }
    public init(postgresText text: String) throws {
        guard let value = Int(text) else { throw decodingError(text, Int.self) }
        self = value
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static var postgresType: UInt32 { PostgresOID.int8 }
    public init(postgresText text: String) throws {
        guard let value = Int64(text) else { throw decodingError(text, Int64.self) }
        self = value
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static var postgresType: UInt32 { PostgresOID.int4 }
    public init(postgresText text: String) throws {
        guard let value = Int32(text) else { throw decodingError(text, Int32.self) }
        self = value
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public static var postgresType: UInt32 { PostgresOID.float8 }
    public init(postgresText text: String) throws {
        guard let value = Double(text) else { throw decodingError(text, Double.self) }
        self = value
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "t" : "f" }
    public static var postgresType: UInt32 { PostgresOID.bool }
    public init(postgresText text: String) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw decodingError(text, Bool.self)
        }
    }
}

/// Exact decimals (`numeric`) as Foundation's `Decimal`: 38 significant digits, no binary floating point.
extension Decimal: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
    public static var postgresType: UInt32 { PostgresOID.numeric }
    public init(postgresText text: String) throws {
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), "\(value)" != "NaN" || text == "NaN" else {
            throw decodingError(text, Decimal.self)
        }
        self = value
    }
}

/// Instants (`timestamptz`) as `Date`, exact to the microsecond PostgreSQL keeps.
extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { PostgresTimestamp.format(self) }
    public static var postgresType: UInt32 { PostgresOID.timestamptz }
    public init(postgresText text: String) throws {
        guard let value = PostgresTimestamp.parse(text) else { throw decodingError(text, Date.self) }
        self = value
    }
}

/// A JSON document, kept as its text; decode it with `decode(_:)`.
public struct JSONDocument: PostgresEncodable, PostgresDecodable, Hashable, Sendable {
    public let text: String
    public init(text: String) { self.text = text }
    /// Encodes a value with sorted keys, so equal values give equal text.
    public init<T: Encodable>(encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    public var postgresText: String? { text }
    public static var postgresType: UInt32 { PostgresOID.jsonb }
    public init(postgresText text: String) { self.text = text }
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw PostgresError(code: .decoding, message: "cannot read JSON as \(T.self): \(error)")
        }
    }
}

/// A list of ids bound as `bigint[]`.
public struct Int64Array: PostgresEncodable, Sendable {
    public var values: [Int64]
    public init(_ values: [Int64]) { self.values = values }
    public var postgresText: String? { "{" + values.map(String.init).joined(separator: ",") + "}" }
    public static var postgresType: UInt32 { 1016 }
}

/// A list of whole numbers bound as `integer[]`.
public struct IntArray: PostgresEncodable, Sendable {
    public var values: [Int]
    public init(_ values: [Int]) { self.values = values }
    public var postgresText: String? { "{" + values.map(String.init).joined(separator: ",") + "}" }
    public static var postgresType: UInt32 { 1007 }
}

/// A list of texts bound as `text[]` (for `= ANY(\(list))`).
public struct TextArray: PostgresEncodable, Sendable {
    public var values: [String]
    public init(_ values: [String]) { self.values = values }
    public var postgresText: String? {
        "{" + values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }
    public static var postgresType: UInt32 { PostgresOID.textArray }
}

/// PostgreSQL's ISO timestamp text: `2026-11-25 11:18:01.123456+02` (any offset, seconds optional).
package enum PostgresTimestamp {
    package static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int64((micros / 1_000_000).rounded(.down))
        var fraction = Int64(micros) - seconds * 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secondOfDay = Int(seconds - Int64(days) * 86400)
        let day = CivilDate.date(days: days)
        let f = String(fraction)
        return "\(day.text) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))."
            + String(repeating: "0", count: 6 - f.count) + f + "+00"
    }

    package static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        // Date part
        guard s.count >= 19, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
              s[10] == UInt8(ascii: " ") || s[10] == UInt8(ascii: "T"),
              let year = number(s, 0, 4), let month = number(s, 5, 7), let dayOfMonth = number(s, 8, 10),
              let hour = number(s, 11, 13), let minute = number(s, 14, 16), let second = number(s, 17, 19),
              hour <= 23, minute <= 59, second <= 59,
              CivilDate.isValid(year: year, month: month, day: dayOfMonth) else { return nil }
        var index = 19
        var micros = 0
        if index < s.count, s[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < s.count, (48...57).contains(s[index]) {
                if digits < 6 { micros = micros * 10 + Int(s[index] - 48) }
                digits += 1
                index += 1
            }
            // (Not `for _ in digits..<6 where …`: with seven digits that range traps before the
            // where is read, and `workflowd --now` hands this people's text.)
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        var offset = 0
        if index < s.count {
            let sign = s[index] == UInt8(ascii: "-") ? -1 : 1
            guard s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-") || s[index] == UInt8(ascii: "Z") else { return nil }
            if s[index] == UInt8(ascii: "Z") {
                guard index + 1 == s.count else { return nil }
            } else {
                index += 1
                var fields: [Int] = []
                while index < s.count {
                    guard let value = number(s, index, index + 2) else { return nil }
                    fields.append(value)
                    index += 2
                    if index < s.count, s[index] == UInt8(ascii: ":") { index += 1 }
                }
                guard (1...3).contains(fields.count) else { return nil }
                offset = sign * (fields[0] * 3600 + (fields.count > 1 ? fields[1] * 60 : 0) + (fields.count > 2 ? fields[2] : 0))
            }
        }
        let seconds = Int64(CivilDate.days(year: year, month: month, day: dayOfMonth)) * 86400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    private static func number(_ s: [UInt8], _ from: Int, _ to: Int) -> Int? {
        guard to <= s.count else { return nil }
        var value = 0
        for i in from..<to {
            guard (48...57).contains(s[i]) else { return nil }
            value = value * 10 + Int(s[i] - 48)
        }
        return value
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// Days since 1970-01-01 and back (Howard Hinnant's days_from_civil and civil_from_days): the one
/// copy of that arithmetic, for timestamps here and for the product's `LocalDate`.
package enum CivilDate {
    /// Days since 1970-01-01 (negative before) of a proleptic Gregorian date.
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number.
    package static func date(days: Int) -> (year: Int, month: Int, day: Int, text: String) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let text = String(repeating: "0", count: max(0, 4 - String(y).count)) + "\(y)-" + (m < 10 ? "0" : "") + "\(m)-" + (d < 10 ? "0" : "") + "\(d)"
        return (y, m, d, text)
    }

    /// Days in a month of a year (February in leap years has 29).
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether a date exists, in the years 1 to 9999.
    package static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }
}
