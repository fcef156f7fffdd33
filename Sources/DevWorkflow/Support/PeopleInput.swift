import Foundation

/// Dates and amounts as people write them, the one reader of those forms for every command line
/// value: `20.12.2026` beside `2026-12-20`; `1 500,00`, `1 500,00 €` (a space, no-break space or
/// narrow no-break space between groups of three) beside `1500.00`.
///
/// The machine forms (`LocalDate(parsing:)`, `Money(parsing:)`) stay strict: they read what the
/// database, JSON and CSV write. What comes out of here is the value itself, so what goes to the
/// database is always its own form.
package enum PeopleInput {
    /// A date as `YYYY-MM-DD` or `D.M.YYYY` (day first, as Estonians write it).
    package static func date(_ text: String) throws -> LocalDate {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? LocalDate(parsing: trimmed) { return date }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]),
              let date = LocalDate(year: year, month: month, day: day)
        else {
            throw WorkflowError(.invalidData, Message("error.people_date", ["value": "\(text.prefix(40))"]))
        }
        return date
    }

    /// An amount in euros: `1500`, `1500.5`, `1 500,00`, `1 500,00 €`, `-20,00 EUR`.
    package static func money(_ text: String) throws -> Money {
        try Money(parsing: plainNumber(text, currency: true) ?? text)
    }

    /// Hours: `12`, `12,5`, `1 000,25`; nil for anything else (as `TransitionInputs.parseHours`).
    package static func hours(_ text: String) -> Decimal? {
        TransitionInputs.parseHours(plainNumber(text, currency: false) ?? text)
    }

    /// A number as people write it: `12`, `-0,125`, `1 000,25`, with any number of decimals
    /// (up to 38 digits in all), and how many decimals it has (trailing zeros aside: `0,500` has
    /// one); nil for anything else.
    package static func number(_ text: String) -> (value: Decimal, decimals: Int)? {
        var digits = Substring(plainNumber(text, currency: false) ?? text.trimmingCharacters(in: .whitespaces))
        var sign = ""
        if let first = digits.first, first == "-" || first == "+" { sign = first == "-" ? "-" : ""; digits = digits.dropFirst() }
        let pieces = digits.split(separator: digits.contains(",") ? "," : ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              pieces.map(\.count).reduce(0, +) <= 38,
              let value = Decimal(string: sign + pieces.joined(separator: "."), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        let fraction = pieces.count == 2 ? pieces[1] : ""
        return (value, fraction.count - fraction.reversed().prefix { $0 == "0" }.count)
    }

    /// Group separators people put between thousands.
    static let groupSeparators: Set<Character> = [" ", "\u{A0}", "\u{202F}", "\u{2009}"]

    /// The number without its grouping (and currency) when the text is a grouped number: digits
    /// in groups of three after the first, each group after one separator; nil when it is not.
    static func plainNumber(_ text: String, currency: Bool) -> String? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if currency, let suffix = ["€", "EUR"].first(where: { body.hasSuffix($0) }) {
            body = body.dropLast(suffix.count)
            while let last = body.last, groupSeparators.contains(last) { body = body.dropLast() }
        }
        var sign = ""
        if let first = body.first, first == "-" || first == "+" { sign = String(first); body = body.dropFirst() }
        let decimalAt = body.lastIndex { $0 == "," || $0 == "." }
        let whole = decimalAt.map { body[..<$0] } ?? body
        let fraction = decimalAt.map { body[$0...] } ?? ""
        let groups = whole.split(omittingEmptySubsequences: false) { groupSeparators.contains($0) }
        guard groups.count > 1 || currency, let first = groups.first, (1...3).contains(first.count) || groups.count == 1,
              groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              // Only digits after the decimal mark: "14,9\t€" (a tab before the sign, which
              // no group separator is) is no amount, as it is none without the sign.
              fraction.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        return sign + groups.joined() + fraction
    }
}
