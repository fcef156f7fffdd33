import Foundation

/// A message in words: one subject line and a plain-text body, the same for every channel.
public struct RenderedMessage: Sendable, Equatable {
    /// One line that starts with the request id in brackets, like `[VOLIS-12] Quote requested: …`.
    public var subject: String
    /// Plain text, lines separated by `\n`, ending with a newline.
    public var body: String
    /// The language subject and body are written in (the e-mail's `Content-Language`).
    public var language: Language
    /// Files the e-mail attaches (each with its bytes); the body names them. Other channels send
    /// the body only.
    public var attachments: [MailDocuments.File]

    /// A message with this subject and body; Estonian unless said otherwise, as DevWorkflow is.
    public init(subject: String, body: String, language: Language = .et, attachments: [MailDocuments.File] = []) {
        self.subject = subject
        self.body = body
        self.language = language
        self.attachments = attachments
    }
}

/// Turns an outbox message into a subject and body that say what happened and what to do next,
/// in the recipient's language.
///
/// Pure: the same message always gives the same text (times are shown in Europe/Tallinn), and it
/// never fails. A transition or rule it does not know, or a payload with facts missing, still
/// gives a sensible message: a line whose fact is missing is left out. The message's `lang`
/// chooses the language (Estonian when it is neither `et` nor `en`); `MessageLayout` says which
/// catalogue texts make up each message.
///
/// Estonian writes dates as `25.11.2026`, times as `25.11.2026 11:18`, money as `12 345,60 €`
/// (no-break spaces) and states by their Estonian names; English keeps ISO dates, `1200.00 EUR`
/// and the keys. Commands keep the keys in both.
public struct MessageRenderer: Sendable {
    private let layout: MessageLayout

    /// A renderer with the standard layout.
    public init() {
        layout = .standard
    }

    /// The language a message is rendered in: its `lang` (`et`, `en`, `en-GB` …), else Estonian.
    public static func language(of m: OutboxMessage) -> Language {
        Language(rawValue: m.lang.prefix { $0.isLetter }.lowercased()) ?? .et
    }

    /// The subject and body for one message; with `documents`, the body says which files come
    /// with it (attached, or listed with how to ask for them) and the attached ones go with it.
    public func render(_ m: OutboxMessage, documents: MailDocuments? = nil) -> RenderedMessage {
        let language = Self.language(of: m)
        let commandFacts = facts(of: m)
        let facts = localised(commandFacts, of: m, language)
        let entry: MessageLayout.Entry
        switch m.kind {
        case .notification:
            // The text for the part this recipient plays (the requester of a cancelled request is
            // told something else than the vendor doing the work), else the transition's own.
            let transition = m.transition ?? commandFacts["transition"]
            let audience = m.payload["audience"].flatMap { $0 == .null ? nil : $0.plain }
            // A warranty claim's step has its own text where the layout gives one.
            let names = transition.map { name in (commandFacts["warranty_of"] == nil ? [] : ["warranty.\(name)"]) + [name] } ?? []
            entry = names.lazy.compactMap { name in audience.flatMap { self.layout.transitions["\(name)@\($0)"] } ?? self.layout.transitions[name] }
                .first ?? layout.otherTransition
        case .reminder:
            // A warranty claim's reminder has its own text where the layout gives one.
            let names = (m.rule ?? commandFacts["rule"]).map { rule in (commandFacts["warranty_of"] == nil ? [] : ["warranty.\(rule)"]) + [rule] } ?? []
            entry = names.lazy.compactMap { self.layout.rules[$0] }.first ?? layout.otherRule
        }
        let escalated = m.kind == .reminder && m.payload["escalation"] == .bool(true)
        let text = Texts(language: language, facts: facts, commandFacts: commandFacts)

        var headline = text.first(entry.headline) ?? m.transition ?? m.rule ?? "DevWorkflow"
        if escalated {
            headline = text.first([layout.escalatedHeadline], adding: ["headline": headline]) ?? headline
        }
        let subject = text.first(layout.subject, adding: ["headline": headline]) ?? "[\(m.request)] \(headline)"

        var paragraphs: [[String]] = []
        paragraphs.append([text.first(layout.greeting) ?? ""])
        var summary = text.lines(entry.summary)
        if let occurrence = facts["occurrence"], let number = Int(occurrence), number > 1 {
            summary += text.lines(layout.repeated)
        }
        paragraphs.append(summary)
        paragraphs.append(text.lines(entry.facts))
        if escalated { paragraphs.append(text.lines(layout.escalation)) }
        paragraphs.append(text.lines(entry.next))
        if let documents { paragraphs.append(Self.lines(documents, request: m.request, language, commands: m.recipientLogsIn != false)) }
        paragraphs.append([Self.signatureSeparator] + text.lines(layout.footer))
        let body = paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
        return RenderedMessage(subject: Self.singleLine(subject), body: body, language: language,
                               attachments: documents.map { $0.attached ? $0.files : [] } ?? [])
    }

    /// What the body says of the documents: each file with its size and digest, attached, or
    /// too large to attach and how to ask for it (a reply, or the command that fetches it; only
    /// a reply for someone who cannot log in).
    static func lines(_ documents: MailDocuments, request: String, _ language: Language, commands: Bool = true) -> [String] {
        func say(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String { Message(key, arguments).text(language) }
        let files = documents.files.map { file in
            "  " + say("documents.mail.file", ["name": "\(singleLine(file.name))", "size": "\(file.size)", "sha256": "\(file.sha256)"])
        }
        guard !documents.attached else { return [say("documents.mail.attached")] + files }
        guard commands else { return [say("documents.mail.listed", ["limit": "\(MailDocuments.attachmentLimit >> 20)"])] + files + [say("documents.mail.ask.reply")] }
        // Commands keep their form in every language; a name is quoted for the shell.
        let commands = documents.files.map { file in
            "  workflowctl request file \(request) \(file.number) --out '\(file.storedName.replacingOccurrences(of: "'", with: "'\\''"))'"
        }
        return [say("documents.mail.listed", ["limit": "\(MailDocuments.attachmentLimit >> 20)"])] + files
            + [say("documents.mail.ask")] + commands
    }

    /// The line before the footer (RFC 3676): mail programs show what follows as a signature.
    static let signatureSeparator = "-- "

    /// A catalogue text in a language; a key missing from the catalogue is a bug in the layout.
    static func template(_ key: String, _ language: Language) -> String {
        guard let entry = Catalogue.entries[key] else { preconditionFailure("message key '\(key)' is not in the catalogue") }
        return language == .et ? entry.et : entry.en
    }

    /// The catalogue's texts in one language, filled with one message's facts.
    private struct Texts {
        let language: Language
        /// Facts as people read them in `language`.
        let facts: [String: String]
        /// Facts as a command takes them: keys, ISO dates.
        let commandFacts: [String: String]

        func template(_ key: String) -> String { MessageRenderer.template(key, language) }

        /// The first of the texts that can be filled.
        func first(_ keys: [String], adding extra: [String: String] = [:]) -> String? {
            let facts = extra.isEmpty ? self.facts : self.facts.merging(extra) { _, new in new }
            return keys.lazy.compactMap { MessageRenderer.fill(template($0), facts) }.first
        }

        /// Every line that can be filled; commands indented. Someone who cannot log in is shown
        /// no command at all: a text that introduces one is said as its `.mail` variant (the same
        /// request without "record it with"), or, where the sentence stands alone, ends with a
        /// full stop instead of the colon.
        func lines(_ lines: [MessageLayout.Line]) -> [String] {
            let noLogin = facts["no_login"] != nil
            func condition(_ line: MessageLayout.Line) -> String {
                line.unless.map { "{!\($0)}" }.joined() + (line.when.map { "{?\($0)}" } ?? "")
            }
            // Whether the next line shown after `index` (texts whose facts are missing are not) is a command.
            func introducesCommand(_ index: Int) -> Bool {
                for next in lines[(index + 1)...] {
                    switch next.content {
                    case .command: return true
                    case let .text(key): if MessageRenderer.fill(condition(next) + template(key), facts) != nil { return false }
                    }
                }
                return false
            }
            return lines.indices.compactMap { index in
                let line = lines[index]
                switch line.content {
                case let .text(key):
                    var text = template(key)
                    if noLogin, text.hasSuffix(":"), introducesCommand(index) {
                        text = Catalogue.entries[key + ".mail"] != nil ? template(key + ".mail") : text.dropLast() + "."
                    }
                    return MessageRenderer.fill(condition(line) + text, facts)
                case let .command(command):
                    return noLogin ? nil : MessageRenderer.fill(condition(line) + command, commandFacts).map { "  " + $0 }
                }
            }
        }
    }

    // MARK: - Facts

    /// Every fact a text may show, as the payload has them (keys, ISO dates: what a command
    /// takes), cleaned of control characters; a fact without a value is absent.
    private func facts(of m: OutboxMessage) -> [String: String] {
        var facts: [String: String] = [:]
        func put(_ key: String, _ value: String?) {
            guard let value = value.map(Self.clean), !value.unicodeScalars.allSatisfy(Whitespace.isBlank) else { return }
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
        // Someone who cannot log in is told how to answer by mail, not which command to run.
        if m.recipientLogsIn == false { facts["no_login"] = "yes" }
        // Whose part of a reminder both parties get: a vendor's, or the buyer's (staff's).
        switch m.recipientIsVendor {
        case true?: facts["to_vendor"] = "yes"
        case false?: facts["to_staff"] = "yes"
        case nil: break
        }
        put("title", facts.removeValue(forKey: "title").map(Self.singleLine))
        for key in ["reason", "note", "comment"] {
            // A multi-line value continues indented under its label.
            put(key, facts.removeValue(forKey: key).map {
                Whitespace.trimmed($0, Whitespace.isBlankOrBreak).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
            })
        }
        return facts
    }

    /// The facts as people read them in a language: who acted, when (in Tallinn), the request
    /// named with its title, dates, amounts and names of states in the language's convention.
    private func localised(_ given: [String: String], of m: OutboxMessage, _ language: Language) -> [String: String] {
        var facts = given
        facts["actor"] = (facts["actor_name"] ?? facts["actor"]).map(Self.singleLine) ?? Self.template(layout.someone, language)
        let formatting = ReportFormatting.for(language)
        func time(_ instant: Date) -> String { formatting.timestamp(instant) }
        if let at = facts["at"] {
            facts["at"] = TallinnTime.parse(at).map(time) ?? at
        } else {
            facts["at"] = time(m.createdAt)
        }
        facts["named"] = Texts(language: language, facts: facts, commandFacts: [:]).first(layout.named) ?? m.request
        // Why the mail gateway did not apply a message: a refusal as the database gives it.
        if case .object? = m.payload["why"], let why = WorkflowError.catalogueText(in: m.payload["why"]!.text) {
            facts["why"] = Self.singleLine(why.text(language))
        }
        // An invoice's reasons, each in the reader's language, one per line.
        if case let .array(items)? = m.payload["inputs"]?["reasons"], !items.isEmpty {
            facts["reasons"] = WorkflowStore.reasons(.array(items)).map { "  – " + Self.singleLine($0.text(language)) }.joined(separator: "\n")
        }
        // An invoice's amounts in its currency: euros as the layout writes money, another currency by its code.
        for key in ["net", "gross"] {
            guard let text = facts[key], let amount = try? Money(parsing: text) else { continue }
            let number = language == .et ? formatting.decimal(amount.description) : amount.description
            switch facts["currency"] {
            case nil: facts[key] = number
            case "EUR"?: facts[key] = Self.fill(Self.template(layout.money, language), ["amount": number]) ?? number
            case let currency?: facts[key] = "\(number) \(currency)"
            }
        }
        if let price = facts["price"] {
            // English mails keep the plain amount (`1200.00 EUR`); Estonian ones group it (`1 200,00 €`).
            let amount = (try? Money(parsing: price)).map { language == .et ? formatting.decimal($0.description) : $0.description } ?? price
            facts["price"] = Self.fill(Self.template(layout.money, language), ["amount": amount]) ?? price
        }
        guard language == .et else { return facts }
        for key in ["due", "delivery", "deadline", "quote_due", "due_on", "warranty_end"] {
            if let value = facts[key], let day = try? LocalDate(parsing: value) { facts[key] = formatting.date(day) }
        }
        if let hours = facts["hours"], Double(hours) != nil { facts["hours"] = formatting.decimal(hours) }
        for (key, kind) in [("state", "state"), ("from", "state"), ("to", "state"), ("transition", "transition")] {
            if let value = facts[key], let name = Catalogue.entries["\(kind).\(value)"] { facts[key] = name.et }
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
            .map { Whitespace.trimmed($0, Whitespace.isBlank) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    // MARK: - Templates

    /// Fills `{name}` placeholders (and `{name:plural:one|other}`, the word for the number, as
    /// `Message` does); nil when one has no value, when a leading `{!name}` does, or when a
    /// leading `{?name}` does not.
    static func fill(_ template: String, _ facts: [String: String]) -> String? {
        var rest = Substring(template)
        while rest.hasPrefix("{!") || rest.hasPrefix("{?"), let close = rest.firstIndex(of: "}") {
            let name = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
            if (facts[name] != nil) == rest.hasPrefix("{!") { return nil }
            rest = rest[rest.index(after: close)...]
        }
        var output = ""
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let placeholder = String(rest[rest.index(after: open)..<close])
            let name = placeholder.firstUTF8Range(of: ":plural:").map { String(placeholder[..<$0.lowerBound]) } ?? placeholder
            guard let value = facts[name] else { return nil }
            output += name == placeholder ? value : Message.plurals(in: "{\(placeholder)}", name: name, count: value)
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
