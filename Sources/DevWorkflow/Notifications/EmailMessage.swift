import Foundation

/// An e-mail in RFC 5322 form, as a sendmail-compatible command reads it on standard input.
///
/// - The body is UTF-8 plain text in **quoted-printable** (RFC 2045): the messages are mostly
///   ASCII, so the text stays readable in the raw mail and in logs, and no line is longer than 76
///   characters. A line's leading `.` and `From ` are encoded too, so no transport mangles them.
/// - A header value with non-ASCII letters (Estonian names and titles) is written as RFC 2047
///   encoded-words (`=?UTF-8?B?…?=`, each at most 75 characters, never splitting a character),
///   folded onto continuation lines; ASCII values are folded at spaces near 78 characters.
/// - Line breaks and other control characters in a header value become spaces, so no value can
///   start a header of its own (`"…\r\nBcc: x@y"` stays part of the subject). An address must be
///   a plain `local@domain`; anything else throws.
/// - `Message-ID` is `<HEX@devworkflow>`, HEX being the first 32 hex digits of the SHA-256 of the
///   idempotency key, so a resent message carries the same id and a mail client shows it once.
/// - `Date` is the instant given (by default when the message was queued) in Europe/Tallinn.
/// - `Content-Language` is the language the message was rendered in (`et` or `en`).
/// - `Reply-To` is the signed reply address (`reply+<request>.<login>.<code>@domain`) when the
///   message goes to a person about a request and a reply domain is given: a reply comes back to
///   the mail gateway, tied to its request and person.
/// - `Auto-Submitted: auto-generated`, or `auto-replied` with `In-Reply-To` and `References` for
///   the answer to a message the gateway did not apply (RFC 3834): no robot answers either.
public struct EmailMessage: Sendable, Equatable {
    /// The sender used when none is configured.
    public static let defaultFrom = "DevWorkflow <devworkflow@localhost>"

    /// The sender's display name, if any.
    public var fromName: String?
    /// The sender's address.
    public var fromAddress: String
    /// The recipient's display name, if any.
    public var toName: String?
    /// The recipient's address.
    public var toAddress: String
    /// The subject, as rendered.
    public var subject: String
    /// The plain-text body, as rendered.
    public var body: String
    /// The `Date` header's instant.
    public var date: Date
    /// The message's idempotency key (the `Message-ID` derives from it).
    public var idempotencyKey: String
    /// The request's id, for the `X-DevWorkflow-Request` header.
    public var request: String
    /// Addresses copied (`Cc`): a vendor's other people and its company address.
    public var ccAddresses: [String]
    /// The language of subject and body, for the `Content-Language` header.
    public var language: Language
    /// The signed address replies go to, if any.
    public var replyTo: String?
    /// The `Message-ID` (without brackets) of the message this one answers, if any.
    public var inReplyTo: String?
    /// Files sent with the text: the message is then `multipart/mixed`, each file a base64 part.
    public var attachments: [MailDocuments.File]

    /// The e-mail for a rendered outbox message.
    ///
    /// `from` is a mailbox, `Name <address>` or a bare address. Throws `invalidData` when `from`
    /// or the recipient is not a plain `local@domain` address.
    public init(_ message: OutboxMessage, _ rendered: RenderedMessage, from: String = EmailMessage.defaultFrom,
                date: Date? = nil, replyDomain: String? = nil) throws {
        let sender = try Self.mailbox(from, role: "sender")
        fromName = sender.name
        fromAddress = sender.address
        toName = message.recipientName.map(Self.headerText).flatMap { $0.isEmpty ? nil : $0 }
        toAddress = try Self.address(message.recipient, role: "recipient")
        ccAddresses = try message.cc.map { try Self.address($0, role: "recipient") }
        subject = rendered.subject
        body = rendered.body
        self.date = date ?? message.createdAt
        idempotencyKey = message.idempotencyKey
        request = message.request
        language = rendered.language
        if let domain = replyDomain, let local = message.replyLocalPart {
            replyTo = try Self.address(local + "@" + domain, role: "Reply-To")
        }
        if case let .string(id)? = message.payload["in_reply_to"], id.contains("@"),
           !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || "<>".unicodeScalars.contains($0) || $0.value < 32 }) {
            inReplyTo = id
        }
        attachments = rendered.attachments.filter { $0.bytes != nil }
    }

    /// `<HEX@devworkflow>`: the same for the same idempotency key.
    public var messageID: String {
        "<\(SHA256.hex(idempotencyKey).prefix(32))@devworkflow>"
    }

    /// The whole message, headers and body; lines end with `lineEnding` (`\n` for sendmail, which
    /// converts line ends itself; `\r\n` for SMTP).
    public func text(lineEnding: String = "\n") -> String {
        var lines: [String] = []
        lines += Self.fold("From", Self.mailboxWords(name: fromName, address: fromAddress))
        lines += Self.fold("To", Self.mailboxWords(name: toName, address: toAddress))
        if !ccAddresses.isEmpty { lines += Self.fold("Cc", ccAddresses.joined(separator: ", ").split(separator: " ").map(String.init)) }
        lines += Self.fold("Subject", Self.unstructuredWords(subject, used: "Subject: ".count))
        lines.append("Date: \(Self.rfc5322Date(date))")
        lines.append("Message-ID: \(messageID)")
        if let inReplyTo {
            lines += Self.fold("In-Reply-To", ["<\(inReplyTo)>"])
            lines += Self.fold("References", ["<\(inReplyTo)>"])
        }
        if let replyTo { lines += Self.fold("Reply-To", Self.mailboxWords(name: fromName, address: replyTo)) }
        lines.append("MIME-Version: 1.0")
        let text = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
        if attachments.isEmpty { lines += text } else { lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"") }
        lines.append("Content-Language: \(language.rawValue)")
        lines.append("Auto-Submitted: \(inReplyTo == nil ? "auto-generated" : "auto-replied")")
        lines += Self.fold("X-DevWorkflow-Request", Self.machineWords(request))
        lines += Self.fold("X-DevWorkflow-Idempotency-Key", Self.machineWords(idempotencyKey))
        lines.append("")
        guard !attachments.isEmpty else {
            lines += Self.quotedPrintable(body)
            return lines.joined(separator: lineEnding) + lineEnding
        }
        lines += ["--" + boundary] + text + [""] + Self.quotedPrintable(body)
        for file in attachments {
            lines += ["--" + boundary] + Self.attachmentHeaders(file) + [""] + Self.base64Lines(file.bytes ?? [])
        }
        lines.append("--" + boundary + "--")
        return lines.joined(separator: lineEnding) + lineEnding
    }

    /// The parts' boundary: the same for the same message, and never in a part (quoted-printable
    /// writes `=` as `=3D` and base64 has no `_`).
    var boundary: String { "=_devworkflow_" + SHA256.hex("boundary:" + idempotencyKey).prefix(24) }

    // MARK: - Attachments

    /// A file's part headers: its name as given for the mail program to save it by (RFC 2231
    /// `filename*=` with UTF-8 when it is not plain ASCII), its type, base64.
    static func attachmentHeaders(_ file: MailDocuments.File) -> [String] {
        let name = headerText(file.storedName)
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0 != "%" && $0 != "'" }
        let parameter = plain ? "filename=\"\(name)\"" : "filename*=UTF-8''" + percentEncoded(name)
        let type = name.lowercased().hasSuffix(".pdf") ? "application/pdf" : "application/octet-stream"
        return ["Content-Type: \(type)", "Content-Disposition: attachment; \(parameter)", "Content-Transfer-Encoding: base64"]
    }

    /// RFC 2231's `value-chars`: letters, digits and `!#$&+-.^_`|~` as they are, every other byte `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let kept = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8)
        return text.utf8.map { kept.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    /// Base64 (RFC 2045) in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        stride(from: 0, to: bytes.count, by: 57).map { Data(bytes[$0..<min($0 + 57, bytes.count)]).base64EncodedString() }
    }

    // MARK: - Addresses

    /// Splits `Name <address>` or a bare address; throws `invalidData` for a bad address.
    static func mailbox(_ text: String, role: String) throws -> (name: String?, address: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            return (nil, try address(trimmed, role: role))
        }
        var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        name = headerText(name)
        let inner = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        return (name.isEmpty ? nil : name, try address(inner, role: role))
    }

    /// A plain `local@domain`: no spaces, controls, quotes, brackets or list separators, which
    /// could otherwise add a recipient or a header.
    private static func address(_ text: String, role: String) throws -> String {
        let address = text.trimmingCharacters(in: .whitespaces)
        let forbidden = Set("<>()[]\\,;:\"".unicodeScalars)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              address.unicodeScalars.allSatisfy({ !forbidden.contains($0) && !$0.properties.isWhitespace
                  && $0.properties.generalCategory != .control })
        else {
            throw WorkflowError(.invalidData, Message("error.mail_address", ["role": "\(role)", "value": "\(headerText(String(text.prefix(80))))"]),
                                context: ["address": text])
        }
        return address
    }

    // MARK: - Header values

    /// The value with every control character (line breaks included) as a space, runs of spaces
    /// as one.
    package static func headerText(_ text: String) -> String {
        var output = ""
        var space = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                space = !output.isEmpty
                continue
            }
            if space { output += " " }
            space = false
            output.unicodeScalars.append(scalar)
        }
        return output
    }

    private static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// `Name <address>` as words to fold: the name as atoms, one quoted string, or encoded-words.
    private static func mailboxWords(name: String?, address: String) -> [String] {
        guard let name, !name.isEmpty else { return [address] }
        let words: [String]
        if name.unicodeScalars.allSatisfy({ $0 == " " || atext.contains($0) }), !name.contains("=?") {
            words = name.split(separator: " ").map(String.init)
        } else if name.unicodeScalars.allSatisfy({ $0.isASCII }), !name.contains("=?") {
            words = ["\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""]
        } else {
            words = encodedWords(name, firstWidth: 75)
        }
        return words + ["<\(address)>"]
    }

    /// An unstructured value (subject, ids) as words to fold. A run of words with non-ASCII
    /// letters (or too long to fold, or that would read as an encoded-word) becomes encoded-words;
    /// the rest stays readable, so `[VOLIS-12]` can still be matched in the raw subject.
    static func unstructuredWords(_ value: String, used: Int) -> [String] {
        func plain(_ word: Substring) -> Bool {
            word.unicodeScalars.allSatisfy(\.isASCII) && !word.contains("=?") && word.utf8.count <= 76
        }
        var words: [String] = []
        var run: [Substring] = []
        func flush() {
            guard !run.isEmpty else { return }
            // The spaces inside a run are encoded with it: a decoder drops space between encoded-words.
            words += encodedWords(run.joined(separator: " "), firstWidth: words.isEmpty ? 78 - used : 75)
            run = []
        }
        for word in headerText(value).split(separator: " ") {
            if plain(word) {
                flush()
                words.append(String(word))
            } else {
                run.append(word)
            }
        }
        flush()
        return words
    }

    /// A value programs match on (request id, idempotency key): one word, never folded, so it
    /// reads back exactly; encoded-words only when it is not ASCII.
    static func machineWords(_ value: String) -> [String] {
        let text = headerText(value)
        if text.unicodeScalars.allSatisfy(\.isASCII), !text.contains("=?") { return [text] }
        return encodedWords(text, firstWidth: 75)
    }

    /// RFC 2047 `B` encoded-words of at most 75 characters (the first at most `firstWidth`, to fit
    /// after the header's name), each holding whole characters.
    static func encodedWords(_ text: String, firstWidth: Int) -> [String] {
        let overhead = "=?UTF-8?B??=".count
        var width = min(75, firstWidth >= overhead + 8 ? firstWidth : 75)
        var words: [String] = []
        var chunk: [UInt8] = []
        func emit() {
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
            width = 75
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, (chunk.count + bytes.count + 2) / 3 * 4 > width - overhead { emit() }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { emit() }
        return words
    }

    /// `Name: word word …`, folded before a word that would take a line past 78 characters.
    private static func fold(_ name: String, _ words: [String]) -> [String] {
        var lines = [name + ":"]
        var hasWord = false
        for word in words {
            if hasWord, lines[lines.count - 1].utf8.count + 1 + word.utf8.count > 78 {
                lines.append(" " + word)
            } else {
                lines[lines.count - 1] += " " + word
            }
            hasWord = true
        }
        return lines
    }

    /// `Wed, 25 Nov 2026 11:18:01 +0200`, in Europe/Tallinn.
    static func rfc5322Date(_ instant: Date) -> String {
        let p = TallinnTime.parts(of: instant)
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let two = TallinnTime.two
        let offset = abs(p.offset) / 60
        return "\(days[p.date.weekday - 1]), \(p.date.day) \(months[p.date.month - 1]) \(p.date.year) "
            + "\(two(p.hour)):\(two(p.minute)):\(two(p.second)) \(p.offset < 0 ? "-" : "+")\(two(offset / 60))\(two(offset % 60))"
    }

    // MARK: - Body

    /// Quoted-printable lines (RFC 2045 6.7) of UTF-8 text: at most 76 characters, a soft break
    /// `=` where a line is split, trailing spaces and any `.` or `From ` at a line's start encoded.
    static func quotedPrintable(_ text: String) -> [String] {
        let hex = Array("0123456789ABCDEF".utf8)
        func escaped(_ byte: UInt8) -> String {
            String(decoding: [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
        }
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output: [String] = []
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var tokens: [String] = []
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    tokens.append(last ? escaped(byte) : String(UnicodeScalar(byte)))
                case 33...126 where byte != UInt8(ascii: "="):
                    tokens.append(String(UnicodeScalar(byte)))
                default:
                    tokens.append(escaped(byte))
                }
            }
            var current = ""
            for (index, token) in tokens.enumerated() {
                let limit = index == tokens.count - 1 ? 76 : 75
                if !current.isEmpty, current.utf8.count + token.utf8.count > limit {
                    output.append(current + "=")
                    current = ""
                }
                if current.isEmpty, token == "." {
                    current = escaped(UInt8(ascii: "."))
                } else if current.isEmpty, token == "F", tokens[index...].prefix(5).joined() == "From " {
                    current = escaped(UInt8(ascii: "F"))
                } else {
                    current += token
                }
            }
            output.append(current)
        }
        if output.last == "" { output.removeLast() }
        return output
    }
}
