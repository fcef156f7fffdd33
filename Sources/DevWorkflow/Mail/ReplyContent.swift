import Foundation

/// What a reply by mail asks for: a quote, a delivery, or a comment.
///
/// The first line decides — after a greeting line, if the reply opens with one ("Tere!", "Hello
/// Mari,", "Lugupeetud tooteomanik") — in English or Estonian, letters in any case:
/// - `quote: 12 h; 1500.00; 2026-12-20` / `pakkumine: 12,5 h; 1 500,00 €; 20.12.2026`: hours
///   (`12`, `12 h`, `12,5 h`, `12.5 t`), a price in euros (`1500.00`, `1500,00`, `1 500,00 €`,
///   `1,500.00`, `EUR 1500`), a delivery date (ISO or `dd.mm.yyyy`); the lines after it are a remark;
/// - `deliver: note` / `üle antud: märkus`: the rest of the line and the lines after it are the note;
/// - anything else: the whole text is a comment — but a quote's line that lost its colon
///   (`pakkumine 12 h; 1500; 20.12.2026`) is a quote that cannot be read.
///
/// Numbers are read exactly (hours by `TransitionInputs.parseHours`, money by
/// `Money(parsing:)`, never through floating point). A first line that names a command but
/// cannot be read throws an `invalidData` error whose key says which field was wrong
/// (`error.reply_quote_format`, `error.reply_hours`, `error.reply_price`, `error.reply_date`);
/// an empty reply throws `error.reply_empty`.
public enum ReplyContent: Sendable, Equatable {
    /// A quote; `remark` is the text after the command line (empty when there is none).
    case quote(QuoteFacts, remark: String)
    /// A delivery with its note (may be empty).
    case deliver(note: String)
    /// A comment: the reply's text.
    case comment(String)

    /// Reads a reply's own text (see `ReplyText.newText`).
    public init(parsing text: String) throws {
        let text = text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw WorkflowError(.invalidData, Message("error.reply_empty")) }
        // People open a reply with a greeting: the command is the line after it.
        var commandText = Substring(text)
        if let end = commandText.firstIndex(of: "\n"), Self.isGreeting(commandText[..<end]) {
            commandText = commandText[commandText.index(after: end)...].drop { $0.isWhitespace }
        }
        let lines = commandText.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let first = String(lines[0]).trimmingCharacters(in: .whitespaces)
        let after = lines.count > 1 ? String(lines[1]).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        guard !first.isEmpty, let colon = first.firstIndex(of: ":") else {
            // "pakkumine 12 h; 1500; 20.12.2026": a quote's line without its colon is a quote that
            // cannot be read, told so, not a comment nobody meant to write.
            let words = first.lowercased().split(whereSeparator: \.isWhitespace)
            if words.count > 1, Self.quoteWords.contains(String(words[0])), words[1].first?.isNumber == true, first.contains(";") {
                throw WorkflowError(.invalidData, Message("error.reply_quote_format", ["line": "\(first.prefix(120))"]))
            }
            self = .comment(text)
            return
        }
        let keyword = first[..<colon].lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let rest = first[first.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        switch keyword {
        case _ where Self.quoteWords.contains(keyword):
            self = .quote(try Self.quote(rest, line: first), remark: after)
        case "deliver", "delivered", "üle antud", "üleantud":
            self = .deliver(note: [rest, after].filter { !$0.isEmpty }.joined(separator: "\n"))
        default:
            self = .comment(text)
        }
    }

    /// The words a quote's line starts with.
    static let quoteWords: Set<String> = ["quote", "pakkumine", "hinnapakkumine"]

    /// The words a greeting line starts with, in English and Estonian.
    static let greetings: Set<String> = ["tere", "tervist", "tsau", "hei", "head", "lugupeetud", "austatud", "hea", "hello", "hi", "hey",
                                         "dear", "good", "greetings"]

    /// Whether a line is a greeting: short, no colon, and starting with a greeting word
    /// ("Tere!", "Tere, Mari!", "Hello Mari,", "Good morning,", "Lugupeetud tooteomanik").
    static func isGreeting(_ line: Substring) -> Bool {
        let line = line.trimmingCharacters(in: .whitespaces)
        guard line.count <= 60, !line.contains(":"),
              let word = line.lowercased().split(whereSeparator: { !$0.isLetter }).first else { return false }
        return greetings.contains(String(word))
    }

    /// The reply of a whole message body: its quoted part and signature removed, then read.
    public init(replyBody body: String) throws {
        try self.init(parsing: ReplyText.newText(body))
    }

    /// The workflow transition the reply asks for and its inputs (the vendor is the caller's to
    /// add); nil for a comment.
    public var transition: (name: String, inputs: TransitionInputs)? {
        switch self {
        case let .quote(quote, _): return ("quote", TransitionInputs(hours: quote.hours, price: quote.price, delivery: quote.delivery))
        case let .deliver(note): return ("deliver", TransitionInputs(note: note))
        case .comment: return nil
        }
    }

    private static func quote(_ text: String, line: String) throws -> QuoteFacts {
        var fields = text.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if fields.last == "" { fields.removeLast() }
        guard fields.count == 3 else {
            throw WorkflowError(.invalidData, Message("error.reply_quote_format", ["line": "\(line.prefix(120))"]))
        }
        return QuoteFacts(hours: try hours(fields[0]), price: try price(fields[1]), delivery: try date(fields[2]))
    }

    /// `12`, `12 h`, `12,5h`, `12.5 tundi`.
    static func hours(_ text: String) throws -> Decimal {
        var number = Substring(text.lowercased())
        for unit in ["tundi", "tund", "hours", "hour", "hrs", "h", "t"] where number.hasSuffix(unit) {
            number = number.dropLast(unit.count)
            break
        }
        guard let hours = TransitionInputs.parseHours(number.trimmingCharacters(in: .whitespaces)), hours >= 0 else {
            throw WorkflowError(.invalidData, Message("error.reply_hours", ["value": "\(text.prefix(40))"]))
        }
        return hours
    }

    /// `1500.00`, `1500,00`, `1 500,00 €`, `1.500,00`, `1,500.00`, `EUR 1500`: spaces and one
    /// kind of thousands separator (in groups of three) removed, then read as `Money`.
    static func price(_ text: String) throws -> Money {
        let bad = WorkflowError(.invalidData, Message("error.reply_price", ["value": "\(text.prefix(40))"]))
        var amount = text.lowercased()
        for currency in ["eurot", "euro", "eur", "€"] { amount = amount.replacingOccurrences(of: currency, with: "") }
        amount = amount.filter { !$0.isWhitespace }
        if amount.contains(","), amount.contains(".") {
            // Both marks: the last is the decimal mark, the other separates thousands.
            let decimal: Character = amount.lastIndex(of: ",")! > amount.lastIndex(of: ".")! ? "," : "."
            let grouping: Character = decimal == "," ? "." : ","
            let whole = amount[..<amount.lastIndex(of: decimal)!].split(separator: grouping, omittingEmptySubsequences: false)
            guard whole.count > 1, (1...3).contains(whole[0].count), whole.dropFirst().allSatisfy({ $0.count == 3 }) else { throw bad }
            amount.removeAll { $0 == grouping }
        }
        guard !amount.hasPrefix("-"), !amount.hasPrefix("+"), let money = try? Money(parsing: amount) else { throw bad }
        return money
    }

    /// `2026-12-20` or `20.12.2026` (day and month may have one digit).
    static func date(_ text: String) throws -> LocalDate {
        if let iso = try? LocalDate(parsing: text) { return iso }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let date = LocalDate(year: Int(parts[2])!, month: Int(parts[1])!, day: Int(parts[0])!)
        else { throw WorkflowError(.invalidData, Message("error.reply_date", ["value": "\(text.prefix(40))"])) }
        return date
    }
}

/// A vendor's quote as a reply states it: hours, price, promised delivery.
public struct QuoteFacts: Sendable, Equatable {
    public let hours: Decimal
    public let price: Money
    public let delivery: LocalDate

    public init(hours: Decimal, price: Money, delivery: LocalDate) {
        self.hours = hours
        self.price = price
        self.delivery = delivery
    }
}
