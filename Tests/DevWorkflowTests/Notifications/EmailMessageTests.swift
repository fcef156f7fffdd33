import Foundation
import Testing
@testable import DevWorkflow

@Suite struct EmailMessageTests {
    let renderer = MessageRenderer()

    func email(_ message: OutboxMessage, from: String = EmailMessage.defaultFrom) throws -> EmailMessage {
        try EmailMessage(message, renderer.render(message), from: from)
    }

    @Test func estonianSubjectAndNameRoundTrip() throws {
        let title = "Tööpäevade arvestus: õigusaktide ülevaade, šifreeritud žurnaal ja Äänemaa ÕIGUSKANTSLER 🇪🇪"
        let message = OutboxSamples.notification("request_quote", inputs: ["due": "2026-12-02"], title: title,
                                                 recipientName: "Jüri Õunapuu-Šmidt")
        let mail = try email(message)
        let parsed = ParsedMail(mail.text())

        #expect(parsed.decoded("Subject") == "[VOLIS-12] Quote requested: \(title)")
        #expect(parsed.decoded("To") == "Jüri Õunapuu-Šmidt <mari@acme.example>")
        #expect(parsed.raw("Subject")?.hasPrefix("[VOLIS-12] Quote requested: =?UTF-8?B?") == true, "ASCII stays readable")
        for line in parsed.headerLines {
            #expect(line.utf8.count <= 78, "\(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "\(line)")
        }
        for word in parsed.encodedWords { #expect(word.count <= 75, "\(word)") }
    }

    @Test func longNonASCIIValuesSplitIntoManyWholeCharacterWords() throws {
        let title = String(repeating: "õ", count: 150) + " " + String(repeating: "🇪🇪", count: 20)
        let mail = try email(OutboxSamples.notification("accept", title: title, recipientName: String(repeating: "Ülle ", count: 30)))
        let parsed = ParsedMail(mail.text())
        #expect(parsed.decoded("Subject") == "[VOLIS-12] Accepted: \(title)")
        #expect(parsed.decoded("To") == String(repeating: "Ülle ", count: 30).trimmingCharacters(in: .whitespaces) + " <mari@acme.example>")
        #expect(parsed.encodedWords.count > 6)
        for word in parsed.encodedWords {
            #expect(word.count <= 75)
            // Each word decodes on its own: no character is split between two words.
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            let bytes = try #require(Data(base64Encoded: String(base64)))
            #expect(String(data: bytes, encoding: .utf8) != nil, "\(word)")
        }
        for line in parsed.headerLines { #expect(line.utf8.count <= 78, "\(line)") }
    }

    @Test func longASCIISubjectFoldsAtSpaces() throws {
        let title = (1...30).map { "word\($0)" }.joined(separator: " ")
        let parsed = ParsedMail(try email(OutboxSamples.notification("accept", title: title)).text())
        #expect(parsed.headerLines.filter { $0.hasPrefix(" ") }.count >= 2)
        for line in parsed.headerLines { #expect(line.utf8.count <= 78, "\(line)") }
        #expect(parsed.decoded("Subject") == "[VOLIS-12] Accepted: \(title)")
        #expect(parsed.encodedWords.isEmpty)
    }

    @Test func textThatLooksEncodedIsEncoded() throws {
        let title = "=?UTF-8?B?SGk=?= is not a greeting"
        let parsed = ParsedMail(try email(OutboxSamples.notification("accept", title: title)).text())
        #expect(parsed.decoded("Subject") == "[VOLIS-12] Accepted: \(title)")
    }

    @Test func messageIDDerivesFromTheIdempotencyKey() throws {
        let first = try email(OutboxSamples.notification("accept", key: "notification:7:mari@acme.example"))
        var resent = OutboxSamples.notification("accept", key: "notification:7:mari@acme.example")
        resent.attempts = 3
        resent.createdAt = Date()
        let again = try email(resent)
        let other = try email(OutboxSamples.notification("accept", key: "notification:8:mari@acme.example"))
        #expect(first.messageID == again.messageID)
        #expect(first.messageID != other.messageID)
        #expect(first.messageID == "<\(SHA256.hex("notification:7:mari@acme.example").prefix(32))@devworkflow>")
        #expect(ParsedMail(first.text()).raw("Message-ID") == first.messageID)

        let longKey = "notification:1234567:" + String(repeating: "a", count: 70) + "@municipality.example"
        let long = ParsedMail(try email(OutboxSamples.notification("accept", key: longKey)).text())
        #expect(long.headerLines.contains("X-DevWorkflow-Idempotency-Key: \(longKey)"), "machine-read values stay whole")
    }

    @Test func lineBreaksInValuesNeverStartAHeader() throws {
        let message = OutboxSamples.notification("accept", title: "Harmless\r\nBcc: x@y\nX-Evil: 1", recipientName: "Mari\r\nCc: evil@x",
                                                 key: "notification:1:a@b\r\nBcc: z@z")
        let text = try EmailMessage(message, RenderedMessage(subject: "[VOLIS-12] Sneaky\r\nBcc: x@y\rReply-To: q@q", body: "Hi\n"),
                                    from: "DevWorkflow <devworkflow@localhost>").text()
        let parsed = ParsedMail(text)
        let names = parsed.headerLines.filter { !$0.hasPrefix(" ") }.map { String($0.prefix { $0 != ":" }) }
        #expect(names == ["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
                          "Content-Transfer-Encoding", "Content-Language", "Auto-Submitted", "X-DevWorkflow-Request", "X-DevWorkflow-Idempotency-Key"])
        #expect(parsed.decoded("Subject") == "[VOLIS-12] Sneaky Bcc: x@y Reply-To: q@q")
        #expect(parsed.decoded("To") == "\"Mari Cc: evil@x\" <mari@acme.example>")
        #expect(!text.contains("\r"))

        for bad in ["mari@acme.example\r\nBcc: x@y", "mari@acme.example, eve@x.example", "Mari <mari@acme.example>", "mari", "@x", "a@b@c"] {
            var message = OutboxSamples.notification("accept")
            message.recipient = bad
            #expect(throws: WorkflowError.self, "\(bad)") { try self.email(message) }
        }
        #expect(throws: WorkflowError.self) { try self.email(OutboxSamples.notification("accept"), from: "Me <me@x>\r\nBcc: y@z") }
    }

    @Test func bodyIsQuotedPrintableThatDecodesToTheText() throws {
        let body = """
            Tere, Jüri! Hind: 1200.00 EUR = tuhat kakssada; 50% ette.
            \(String(repeating: "pikk rida õõõ ", count: 20))
            trailing spaces   \n\ttab first, tab last\t
            From the vendor: hello
            .
            .leading dot
            \(String(repeating: "=", count: 100))
            \(String(repeating: "x", count: 75))
            \(String(repeating: "x", count: 76))
            \(String(repeating: "x", count: 77))
            🇪🇪 done

            """
        let mail = try EmailMessage(OutboxSamples.notification("accept"), RenderedMessage(subject: "s", body: body))
        let parsed = ParsedMail(mail.text())
        #expect(parsed.raw("Content-Transfer-Encoding") == "quoted-printable")
        #expect(parsed.raw("Content-Type") == "text/plain; charset=utf-8")
        #expect(parsed.raw("MIME-Version") == "1.0")
        for line in parsed.bodyLines {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII })
            #expect(!line.hasPrefix("From ") && !line.hasPrefix("."), "\(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "\(line)")
        }
        #expect(parsed.decodedBody == body)
        // A rendered message too, with CRLF line ends for SMTP.
        let rendered = renderer.render(OutboxSamples.notification("request_quote", inputs: ["due": "2026-12-02"], title: "Õigusaktid"))
        let crlf = try EmailMessage(OutboxSamples.notification("request_quote"), rendered).text(lineEnding: "\r\n")
        #expect(crlf.hasSuffix("\r\n"))
        #expect(ParsedMail(crlf.replacingOccurrences(of: "\r\n", with: "\n")).decodedBody == rendered.body)
    }

    @Test func dateIsRFC5322InTallinn() throws {
        #expect(EmailMessage.rfc5322Date(OutboxSamples.createdAt) == "Wed, 25 Nov 2026 11:18:01 +0200")
        #expect(EmailMessage.rfc5322Date(Date(timeIntervalSince1970: 1_782_900_000)) == "Wed, 1 Jul 2026 13:00:00 +0300")
        let mail = try email(OutboxSamples.notification("accept"))
        #expect(ParsedMail(mail.text()).raw("Date") == "Wed, 25 Nov 2026 11:18:01 +0200")
    }

    @Test func headersOfAPlainMessage() throws {
        let mail = try email(OutboxSamples.notification("accept", title: "PDF export"),
                             from: "\"Linnade Liit, töövoog\" <workflow@ell.example>")
        let parsed = ParsedMail(mail.text())
        #expect(Array(parsed.headerLines.prefix(3)) == [
            "From: =?UTF-8?B?TGlubmFkZSBMaWl0LCB0w7bDtnZvb2c=?= <workflow@ell.example>",
            "To: Mari Maasikas <mari@acme.example>",
            "Subject: [VOLIS-12] Accepted: PDF export",
        ])
        #expect(parsed.decoded("From") == "Linnade Liit, töövoog <workflow@ell.example>")
        #expect(parsed.raw("X-DevWorkflow-Request") == "VOLIS-12")
        #expect(parsed.raw("X-DevWorkflow-Idempotency-Key") == "notification:7:mari@acme.example")
        #expect(parsed.raw("Auto-Submitted") == "auto-generated")
        func header(_ name: String, _ message: OutboxMessage, from: String = EmailMessage.defaultFrom) throws -> String? {
            ParsedMail(try email(message, from: from).text()).raw(name)
        }
        #expect(try header("From", OutboxSamples.notification("accept")) == "DevWorkflow <devworkflow@localhost>")
        #expect(try header("From", OutboxSamples.notification("accept"), from: "ops@ell.example") == "ops@ell.example")
        var nameless = OutboxSamples.notification("accept")
        nameless.recipientName = nil
        #expect(try header("To", nameless) == "mari@acme.example")
        var dotted = OutboxSamples.notification("accept")
        dotted.recipientName = "J. \"Jaan\" Tamm"
        #expect(try header("To", dotted) == "\"J. \\\"Jaan\\\" Tamm\" <mari@acme.example>")
    }
}

/// A small reader of the messages EmailMessage writes (LF line ends): headers unfolded, RFC 2047
/// encoded-words and quoted-printable decoded — written independently of the code under test.
struct ParsedMail {
    var headerLines: [String] = []
    var bodyLines: [String] = []

    init(_ text: String) {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let blank = lines.firstIndex(of: "") ?? lines.count
        headerLines = Array(lines[..<blank])
        bodyLines = blank < lines.count ? Array(lines[(blank + 1)...]) : []
    }

    /// Each header's value with folding undone, in order.
    var fields: [(name: String, value: String)] {
        var fields: [(String, String)] = []
        for line in headerLines {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !fields.isEmpty {
                fields[fields.count - 1].1 += line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields
    }

    func raw(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// RFC 2047: encoded-words decoded; the space between two adjacent encoded-words dropped.
    func decoded(_ name: String) -> String? {
        guard let value = raw(name) else { return nil }
        var output = ""
        var previousEncoded = false
        for (index, word) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            let encoded = Self.decodeWord(String(word))
            if index > 0, !(previousEncoded && encoded != nil) { output += " " }
            output += encoded ?? String(word)
            previousEncoded = encoded != nil
        }
        return output
    }

    private static func decodeWord(_ word: String) -> String? {
        let parts = word.split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "=", parts[4] == "=", parts[1].uppercased() == "UTF-8", parts[2].uppercased() == "B",
              let data = Data(base64Encoded: String(parts[3])) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    var encodedWords: [String] {
        fields.flatMap { $0.value.split(separator: " ").map(String.init) }.filter { Self.decodeWord($0) != nil }
    }

    /// Quoted-printable: `=` at a line's end joins it to the next; `=XX` is a byte.
    var decodedBody: String {
        var bytes: [UInt8] = []
        for line in bodyLines {
            var soft = false
            var chars = Array(line.utf8)
            if chars.last == UInt8(ascii: "=") { chars.removeLast(); soft = true }
            var i = 0
            while i < chars.count {
                if chars[i] == UInt8(ascii: "="), i + 2 < chars.count, let byte = UInt8(String(decoding: chars[i + 1...i + 2], as: UTF8.self), radix: 16) {
                    bytes.append(byte)
                    i += 3
                } else {
                    bytes.append(chars[i])
                    i += 1
                }
            }
            if !soft { bytes.append(UInt8(ascii: "\n")) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
