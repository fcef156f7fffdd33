/// A text a person reads: a catalogue key and the values for its `{placeholders}`, rendered in
/// either language when it is shown, not when it is made.
public struct Message: Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public let arguments: [String: MessageArgument]

    public init(_ key: String, _ arguments: [String: MessageArgument] = [:]) {
        self.key = key
        self.arguments = arguments
    }

    /// The text in a language, placeholders filled.
    ///
    /// `{name}` takes the argument as it is; `{name:money}` writes an amount (`1200.00`, as the
    /// database and the code pass it) the way the language writes money: `1 200,00 €` in
    /// Estonian, `1 200.00 €` in English, and an amount in another currency (`12.40 USD`) with its
    /// code (`12,40 USD`); text that is no amount stays as it is. `{name:date}` a
    /// date (`2026-12-03`) as the language writes it (`03.12.2026`); `{name:number}` a decimal
    /// number (`0.5`) with the language's decimal mark (`0,5`);
    /// `{name:plural:one|other}` chooses a word by the number (see `plurals`).
    public func text(_ language: Language) -> String {
        guard let entry = Catalogue.entries[key] else {
            preconditionFailure("message key '\(key)' is not in the catalogue")
        }
        var text = language == .et ? entry.et : entry.en
        for (name, value) in arguments {
            let filled = value.text(language)
            // A day, as the database and the code pass it (ISO), reads as the language writes
            // days wherever it is shown: 05.12.2026 in Estonian.
            text = text.replacingPlaceholder("{\(name)}") { Message.isISODay(filled) ? Message.day(filled, language) : filled }
            text = text.replacingPlaceholder("{\(name):money}") { Message.money(filled, language) }
            text = text.replacingPlaceholder("{\(name):date}") {
                (try? LocalDate(parsing: filled)).map { ReportFormatting.for(language).date($0) } ?? filled
            }
            text = text.replacingPlaceholder("{\(name):number}") {
                filled.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" } ? ReportFormatting.for(language).decimal(filled) : filled
            }
            text = Message.plurals(in: text, name: name, count: filled)
        }
        return text
    }

    /// `{name:money}`'s text: an amount (`1200.00`) as the language writes euros, an amount with
    /// its currency (`12.40 USD`, an e-invoice's own) with that currency's code and no euro sign;
    /// any other text as it is.
    static func money(_ text: String, _ language: Language) -> String {
        let formatting = ReportFormatting.for(language)
        if let amount = try? Money(parsing: text) { return formatting.money(amount) }
        let parts = text.split(separator: " ")
        guard parts.count == 2, parts[1].utf8.count == 3, parts[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
              let amount = try? Money(parsing: String(parts[0])) else { return text }
        return formatting.money(amount, currency: String(parts[1]))
    }

    /// Whether a value is exactly a day in ISO form (`2026-12-05`).
    static func isISODay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }
    }

    static func day(_ text: String, _ language: Language) -> String {
        (try? LocalDate(parsing: text)).map { ReportFormatting.for(language).date($0) } ?? text
    }

    /// `{count:plural:rida|rida}`, `{count:plural:row|rows}`: the first word for a count of one
    /// (or minus one), the second for any other (0, 2, 1,5 …), as Estonian and English both
    /// choose; the number itself is written with `{count}`.
    static func plurals(in text: String, name: String, count: String) -> String {
        let opening = "{\(name):plural:"
        var text = text
        while let start = text.firstUTF8Range(of: opening), let end = text[start.upperBound...].firstIndex(of: "}") {
            let forms = text[start.upperBound..<end].split(separator: "|", omittingEmptySubsequences: false)
            let one = Int(count.filter { !PeopleInput.groupSeparators.contains($0) }).map { $0.magnitude == 1 } ?? false
            let word = forms.count == 2 ? String(one ? forms[0] : forms[1]) : String(forms.first ?? "")
            text.replaceSubrange(start.lowerBound...end, with: word)
        }
        return text
    }

    /// English: what logs, `description` and debug output use.
    public var description: String { text(.en) }
}

/// A value put into a message: plain text (a number, an id, what a user typed), another message,
/// a state or transition named for people, or a list of those.
public indirect enum MessageArgument: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    case text(String)
    case message(Message)
    /// A state or transition in running text: in Estonian its name with the key after it, in
    /// English the key (what a command line takes).
    case named(kind: String, key: String)
    /// Items joined with commas ("none" when empty), or with "or" (`conjunction`).
    case list([MessageArgument], conjunction: Bool)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }

    public static func state(_ key: String) -> MessageArgument { .named(kind: "state", key: key) }
    public static func transition(_ key: String) -> MessageArgument { .named(kind: "transition", key: key) }
    public static func states(_ keys: [String]) -> MessageArgument { .list(keys.map(MessageArgument.state), conjunction: false) }
    public static func transitions(_ keys: [String]) -> MessageArgument { .list(keys.map(MessageArgument.transition), conjunction: false) }
    public static func words(_ keys: [String]) -> MessageArgument { .list(keys.map { .text($0) }, conjunction: false) }

    func text(_ language: Language) -> String {
        switch self {
        case let .text(value):
            return value
        case let .message(message):
            return message.text(language)
        case let .named(kind, key):
            // English keys are English words already and are what a command takes; Estonian
            // gives the name and keeps the key beside it.
            guard language == .et, let entry = Catalogue.entries["\(kind).\(key)"] else { return key }
            return "\(entry.et) (\(key))"
        case let .list(items, conjunction):
            if items.isEmpty { return Message("word.none").text(language) }
            let texts = items.map { $0.text(language) }
            guard conjunction, texts.count > 1 else { return texts.joined(separator: ", ") }
            return texts.dropLast().joined(separator: ", ") + " " + Message("word.or").text(language) + " " + texts.last!
        }
    }
}

extension String {
    /// Every occurrence of `placeholder`, left to right, replaced by what `value` gives (asked
    /// once, and only when there is one). Found by `firstUTF8Range(of:)`, byte for byte, as
    /// Foundation's literal search compares code units, without its trip through NSString: for
    /// the one line a move prints that trip was 1.3 million instructions (callgrind).
    func replacingPlaceholder(_ placeholder: String, with value: () -> String) -> String {
        guard var found = firstUTF8Range(of: placeholder) else { return self }
        let replacement = value()
        var result = ""
        result.reserveCapacity(utf8.count)
        var rest = self[...]
        while true {
            result += rest[..<found.lowerBound]
            result += replacement
            rest = rest[found.upperBound...]
            guard let next = rest.firstUTF8Range(of: placeholder) else { break }
            found = next
        }
        result += rest
        return result
    }
}

extension StringProtocol {
    /// Where `target` first occurs, compared byte for byte (as Foundation's literal search
    /// compares code units), without Foundation's trip through NSString or the standard library's
    /// `firstRange(of:)`, which builds a searcher of Characters each call: a message rendered for
    /// every delivery looks for placeholders many times. The bytes are read in place (a copy only
    /// for a string that is not stored as UTF-8).
    func firstUTF8Range(of target: String) -> Range<Index>? {
        var target = target
        let offset: Int?? = target.withUTF8 { pattern in
            utf8.withContiguousStorageIfAvailable { firstOffset(of: pattern, in: $0) }
        }
        guard let at = offset ?? Array(utf8).withUnsafeBufferPointer({ text in target.withUTF8 { firstOffset(of: $0, in: text) } }) else {
            return nil
        }
        let lower = utf8.index(utf8.startIndex, offsetBy: at)
        return lower..<utf8.index(lower, offsetBy: target.utf8.count)
    }
}

/// Where `pattern` first starts in `text`, as a byte offset.
private func firstOffset(of pattern: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let head = pattern.first, pattern.count <= text.count else { return nil }
    for at in 0...(text.count - pattern.count) where text[at] == head {
        var matched = 1
        while matched < pattern.count, text[at + matched] == pattern[matched] { matched += 1 }
        if matched == pattern.count { return at }
    }
    return nil
}
