/// An amount of euros, exact to the cent; never floating point.
///
/// Stored as a count of cents in 64 bits (up to ±92 quadrillion euros), which is exact for every
/// sum the product makes; `numeric(14,2)` in the database.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let cents: Int64

    public init(cents: Int64) { self.cents = cents }

    public static let zero = Money(cents: 0)

    /// The largest amount a `numeric(14,2)` column holds.
    public static let maximum = Money(cents: 999_999_999_999_99)

    /// Parses `1234`, `1234.5`, `1234.50` (a comma also works as the decimal mark); throws an
    /// `invalidData` error for anything else, more than two decimals or an amount too large.
    public init(parsing text: String) throws {
        let bad = WorkflowError(.invalidData, Message("error.money_format", ["value": "\(text.prefix(40))"]))
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        let pieces = s.split(separator: s.contains(",") ? "," : ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty,
              pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { throw bad }
        var fraction = pieces.count == 2 ? String(pieces[1]) : ""
        guard fraction.count <= 2, pieces.count == 1 || !fraction.isEmpty else { throw bad }
        // Well formed but beyond numeric(14,2): say so, and what the largest amount is. (More
        // than 12 digits that are mostly leading zeros stay a malformed amount.)
        guard pieces[0].count <= 12 else {
            guard pieces[0].drop(while: { $0 == "0" }).count > 12 else { throw bad }
            throw WorkflowError(.invalidData, Message("error.money_too_large", ["value": "\(text.prefix(40))", "largest": "\(Money.maximum)"]))
        }
        while fraction.count < 2 { fraction += "0" }
        guard let whole = Int64(pieces[0]), let part = Int64(fraction) else { throw bad }
        let cents = whole * 100 + part
        self.cents = negative ? -cents : cents
    }

    /// `1234.50`: dot, two decimals, no grouping (CSV, JSON, the database).
    public var description: String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(cents: lhs.cents - rhs.cents) }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = try Money(parsing: text)
        } else {
            // JSON numbers from PostgreSQL arrive as exact decimal text; reparse their digits.
            let number = try container.decode(Decimal.self)
            self = try Money(parsing: "\(number)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import Foundation
