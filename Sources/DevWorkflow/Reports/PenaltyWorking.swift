import Foundation

/// A late order's penalty as one line of arithmetic, from the figures `workflow.penalties()`
/// computed: `12 days late − 3 held = 9 days × 0.5 % × 10 000.00 € = 450.00 €`, and when the cap
/// is reached `…, capped at 10 % = 1 000.00 €`.
///
/// The line is kept in a report as its canonical form (`canonical`: the English words, numbers
/// as the database writes them, `EUR`), the same in every language, so that the vendor's copy and
/// the buyer's hold the same bytes and fingerprint. Markdown and HTML show it worded in the
/// reader's language and number format (`text(_:)`), read back from the canonical line
/// (`init?(canonical:)`); a line that does not read back exactly is shown as it is.
public struct PenaltyWorking: Sendable, Equatable {
    /// Calendar days from the deadline to the delivery (or to today, while not delivered).
    public var daysLate: Int
    /// Days of the late period on which the buyer held the clock.
    public var heldDays: Int
    /// `daysLate - heldDays`, at least 0.
    public var daysCounted: Int
    /// Percent of the price per day counted as plain decimal text (`0.5`); nil: the order's terms
    /// have no penalty.
    public var rate: String?
    /// The order's net price (a warranty fix's is the order it fixes).
    public var price: Money
    /// price × rate % × days counted.
    public var amount: Money
    /// The cap in percent of the price (`10`), when the terms have one and the amount reached it.
    public var cap: String?
    /// price × cap %, when the amount reached it.
    public var capAmount: Money?

    public init(daysLate: Int, heldDays: Int, daysCounted: Int, rate: String?, price: Money, amount: Money,
                cap: String? = nil, capAmount: Money? = nil) {
        self.daysLate = daysLate
        self.heldDays = heldDays
        self.daysCounted = daysCounted
        self.rate = rate
        self.price = price
        self.amount = amount
        self.cap = capAmount == nil ? nil : cap
        self.capAmount = cap == nil ? nil : capAmount
    }

    /// The line in the canonical form CSV, JSON and the fingerprint hold.
    public var canonical: String {
        line(.en, number: { $0 }, money: { "\($0.description) EUR" })
    }

    /// The line in a language's words and number format, for people; a percent sign keeps to
    /// its number (a no-break space), so a narrow cell does not break `10 %` apart.
    public func text(_ formatting: ReportFormatting) -> String {
        line(formatting.language, number: formatting.decimal, money: formatting.money).replacingOccurrences(of: " %", with: "\u{A0}%")
    }

    private func line(_ language: Language, number: (String) -> String, money: (Money) -> String) -> String {
        func say(_ key: String, _ arguments: [String: String]) -> String {
            Message(key, arguments.mapValues { MessageArgument.text($0) }).text(language)
        }
        let days: [String: String] = ["late": number(String(daysLate)), "held": number(String(heldDays)),
                                      "counted": number(String(daysCounted))]
        var text = say(heldDays > 0 ? "penalty.working.held" : "penalty.working.late", days)
        guard let rate else { return text + "; " + say("penalty.working.no_rate", [:]) }
        text += " " + say("penalty.working.amount", ["rate": number(rate), "price": money(price), "amount": money(amount)])
        if let cap, let capAmount {
            text += ", " + say("penalty.working.capped", ["cap": number(cap), "cap_amount": money(capAmount)])
        }
        return text
    }

    /// The figures of a canonical line; nil when the line is not one `canonical` writes.
    public init?(canonical line: String) {
        var numbers: [String] = []
        var current = ""
        for character in line + " " {
            if character.isASCII, character.isNumber || (character == "." && !current.isEmpty) {
                current.append(character)
            } else if !current.isEmpty {
                numbers.append(current.hasSuffix(".") ? String(current.dropLast()) : current)
                current = ""
            }
        }
        let held = line.contains(" held = ")
        let rated = line.contains(" % × ")
        let capped = line.contains(", capped at ")
        let expected = 1 + (held ? 2 : 0) + (rated ? 3 : 0) + (capped ? 2 : 0)
        guard numbers.count == expected, rated || !capped else { return nil }
        var next = numbers.makeIterator()
        func integer() -> Int? { next.next().flatMap { Int($0) } }
        func amount() -> Money? { next.next().flatMap { try? Money(parsing: $0) } }
        guard let late = integer() else { return nil }
        var heldDays = 0, counted = late
        if held {
            guard let h = integer(), let c = integer() else { return nil }
            (heldDays, counted) = (h, c)
        }
        var rate: String?, price = Money.zero, total = Money.zero, cap: String?, capAmount: Money?
        if rated {
            rate = next.next()
            guard let p = amount(), let a = amount() else { return nil }
            (price, total) = (p, a)
            if capped {
                cap = next.next()
                capAmount = amount()
            }
        }
        let working = PenaltyWorking(daysLate: late, heldDays: heldDays, daysCounted: counted, rate: rate, price: price, amount: total,
                                     cap: cap, capAmount: capAmount)
        // Only a line this type writes is read: anything else is shown as it is.
        guard working.canonical == line else { return nil }
        self = working
    }
}
