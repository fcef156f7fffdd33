import Foundation

/// The lexical forms of UBL's data types, read exactly: `xsd:decimal` with no exponent, grouping or
/// comma, `xsd:date` as `YYYY-MM-DD`, `xsd:boolean`. Each returns nil for text that is not of its
/// form; the parser turns that into an error naming the element and line.
enum UBLValue {
    /// A decimal's parts: `-12.50` is negative, "12", "50"; `+1`, `1.` and `.5` are decimals too.
    /// The caller trims white space first, as XML Schema does.
    struct DecimalText {
        let negative: Bool
        let integer: Substring
        let fraction: Substring

        init?(_ text: String) {
            var s = Substring(text)
            if s.first == "-" || s.first == "+" {
                negative = s.first == "-"
                s = s.dropFirst()
            } else {
                negative = false
            }
            let pieces = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            integer = pieces[0]
            fraction = pieces.count == 2 ? pieces[1] : ""
            // Decimal holds 38 digits exactly; a longer number would be rounded without a word.
            guard !(integer.isEmpty && fraction.isEmpty), integer.count + fraction.count <= 38,
                  integer.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        }

        /// The exact value.
        var value: Decimal {
            // Only digits and one point are left, which Decimal reads exactly (without a locale, a
            // point is the decimal mark whatever the environment says).
            let magnitude = Decimal(string: "\(integer.isEmpty ? "0" : integer).\(fraction.isEmpty ? "0" : fraction)") ?? 0
            return negative ? -magnitude : magnitude
        }

        /// Digits before the point, leading zeros aside.
        var significantIntegerDigits: Int { integer.drop(while: { $0 == "0" }).count }

        /// The amount, when it has at most two decimals and fits `Money.maximum`.
        var money: Money? {
            guard fraction.count <= 2, significantIntegerDigits <= 12 else { return nil }
            let whole = Int64(integer.isEmpty ? "0" : integer) ?? 0
            let part = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
            let cents = whole * 100 + part
            return Money(cents: negative ? -cents : cents)
        }
    }

    /// A date `YYYY-MM-DD`. UBL allows a zone after the date (`2026-01-31Z`), which says nothing
    /// about which day is meant, so it is dropped.
    static func date(_ text: String) -> LocalDate? {
        var day = Substring(text)
        if day.count > 10, let zone = day.dropFirst(10).first, zone == "Z" || zone == "+" || zone == "-" {
            day = day.prefix(10)
        }
        return try? LocalDate(parsing: String(day))
    }

    /// `true`/`false` (or `1`/`0`), as `xsd:boolean` has them.
    static func indicator(_ text: String) -> Bool? {
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }

    /// Text as a person reads it: runs of white space (line breaks of a pretty-printed document
    /// included) become one space, none at either end.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Money {
    /// The amount as an exact decimal of euros (or of the document's currency).
    var decimal: Decimal { Decimal(cents) / 100 }

    /// A decimal rounded half away from zero to cents (commercial rounding, as EN 16931 rounds).
    static func rounding(_ value: Decimal) -> Decimal {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        return rounded
    }

    /// An exact decimal amount as text with at least two decimals (`1234.50`, `-0.125`): what a
    /// message shows for a sum that may not be a whole number of cents.
    static func text(_ value: Decimal) -> String {
        let plain = "\(value)"
        let pieces = plain.split(separator: ".", maxSplits: 1)
        let fraction = pieces.count == 2 ? String(pieces[1]) : ""
        return "\(pieces[0]).\(fraction.count >= 2 ? fraction : fraction.padding(toLength: 2, withPad: "0", startingAt: 0))"
    }
}
