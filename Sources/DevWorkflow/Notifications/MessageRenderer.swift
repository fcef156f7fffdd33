import Foundation

/// A message in words: one subject line and a plain-text body, the same for every channel.
public struct RenderedMessage: Sendable, Equatable {
    /// One line that starts with the request id in brackets, like `[VOLIS-12] Quote requested: …`.
    public var subject: String
    /// Plain text, lines separated by `\n`, ending with a newline.
    public var body: String

    /// A message with this subject and body.
    public init(subject: String, body: String) {
        self.subject = subject
        self.body = body
    }
}

/// Turns an outbox message into a subject and body that say what happened and what to do next.
///
/// Pure: the same message always gives the same text (times are shown in Europe/Tallinn), and it
/// never fails. A transition or rule it does not know, or a payload with facts missing, still
/// gives a sensible message: a line whose fact is missing is left out. Messages are English for
/// now; every text is in `MessageCatalogue`, so a translation is one more table there.
public struct MessageRenderer: Sendable {
    private let catalogue: MessageCatalogue

    /// A renderer with the English texts.
    public init() {
        catalogue = .english
    }

    /// The subject and body for one message.
    public func render(_ m: OutboxMessage) -> RenderedMessage {
        let facts = self.facts(of: m)
        let entry: MessageCatalogue.Entry
        switch m.kind {
        case .notification:
            entry = (m.transition ?? facts["transition"]).flatMap { catalogue.transitions[$0] } ?? catalogue.otherTransition
        case .reminder:
            entry = (m.rule ?? facts["rule"]).flatMap { catalogue.rules[$0] } ?? catalogue.otherRule
        }
        let escalated = m.kind == .reminder && m.payload["escalation"] == .bool(true)

        var headline = first(entry.headline, facts) ?? m.transition ?? m.rule ?? "DevWorkflow"
        if escalated {
            headline = Self.fill(catalogue.escalatedHeadline, ["headline": headline]) ?? headline
        }
        var subjectFacts = facts
        subjectFacts["headline"] = headline
        let subject = first(catalogue.subject, subjectFacts) ?? "[\(m.request)] \(headline)"

        var paragraphs: [[String]] = []
        paragraphs.append([first(catalogue.greeting, facts) ?? ""])
        var summary = lines(entry.summary, facts)
        if let occurrence = facts["occurrence"], let number = Int(occurrence), number > 1 {
            summary += lines(catalogue.repeated, facts)
        }
        paragraphs.append(summary)
        paragraphs.append(lines(entry.facts, facts))
        if escalated { paragraphs.append(lines(catalogue.escalation, facts)) }
        paragraphs.append(lines(entry.next, facts))
        paragraphs.append(lines(catalogue.footer, facts))
        let body = paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
        return RenderedMessage(subject: Self.singleLine(subject), body: body)
    }

    // MARK: - Facts

    /// Every fact a text may show, as display text; a fact without a value is absent.
    private func facts(of m: OutboxMessage) -> [String: String] {
        var facts: [String: String] = [:]
        func put(_ key: String, _ value: String?) {
            guard let value = value.map(Self.clean), !value.trimmingCharacters(in: .whitespaces).isEmpty else { return }
            facts[key] = value
        }
        // Inputs first, so the payload's own fields win where a name appears in both.
        if case let .object(inputs)? = m.payload["inputs"] {
            for (key, value) in inputs { put(key, Self.text(value)) }
        }
        if case let .object(pairs) = m.payload {
            for (key, value) in pairs where key != "inputs" { put(key, Self.text(value)) }
        }
        put("request", m.request)
        put("transition", m.transition)
        put("rule", m.rule)
        put("name", m.recipientName.map(Self.singleLine))
        put("title", facts.removeValue(forKey: "title").map(Self.singleLine))
        facts["actor"] = (facts["actor_name"] ?? facts["actor"]).map(Self.singleLine) ?? catalogue.someone
        if let at = facts["at"] {
            facts["at"] = TallinnTime.parse(at).map(TallinnTime.minutes) ?? at
        } else {
            facts["at"] = TallinnTime.minutes(m.createdAt)
        }
        facts["named"] = first(catalogue.named, facts) ?? m.request
        if let price = facts["price"] {
            let amount = (try? Money(parsing: price))?.description ?? price
            facts["price"] = Self.fill(catalogue.money, ["amount": amount]) ?? price
        }
        for key in ["reason", "note"] {
            // A multi-line value continues indented under its label.
            put(key, facts.removeValue(forKey: key).map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "\n  ")
            })
        }
        return facts
    }

    /// A JSON value as display text; nil for null, arrays and objects.
    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case let .string(text): return text
        case let .number(text): return text
        case let .bool(flag): return flag ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    /// Control characters out (a terminal reading the file sink must not be steered), line breaks
    /// normalised to `\n`.
    private static func clean(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\r": scalars.append("\n")
            case "\n": if !previousCR { scalars.append("\n") }
            case "\t": scalars.append(" ")
            case _ where scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}":
                scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The text on one line: any line break becomes a space.
    static func singleLine(_ text: String) -> String {
        clean(text).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    // MARK: - Templates

    private func first(_ alternatives: [String], _ facts: [String: String]) -> String? {
        alternatives.lazy.compactMap { Self.fill($0, facts) }.first
    }

    private func lines(_ templates: [String], _ facts: [String: String]) -> [String] {
        templates.compactMap { Self.fill($0, facts) }
    }

    /// Fills `{name}` placeholders; nil when one has no value, or when a leading `{!name}` does.
    static func fill(_ template: String, _ facts: [String: String]) -> String? {
        var rest = Substring(template)
        while rest.hasPrefix("{!"), let close = rest.firstIndex(of: "}") {
            let name = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
            if facts[name] != nil { return nil }
            rest = rest[rest.index(after: close)...]
        }
        var output = ""
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            guard let value = facts[String(rest[rest.index(after: open)..<close])] else { return nil }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
