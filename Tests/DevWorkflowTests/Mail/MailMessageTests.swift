import Foundation
import Testing
@testable import DevWorkflow

@Suite struct MailMessageTests {
    @Test func thunderbirdsPlainReply() throws {
        let message = try MailMessage(parsing: MailSamples.thunderbird)
        #expect(message.subject == "Re: [VOLIS-12] Hinnapakkumise päring: Tööpäevade arvestus")
        #expect(message.from == [MailAddress(name: "Mari Maasikas", address: "mari@acme.example")])
        #expect(message.to.map(\.address) == ["reply+volis-12.mari.abcdefghijklmnop@devworkflow.example"])
        #expect(message.messageID == "b7c1d2e3-4f50-6a7b-8c9d-0e1f2a3b4c5d@acme.example")
        #expect(message.inReplyTo == [MailSamples.ourMessageID] && message.references == [MailSamples.ourMessageID])
        #expect(message.textSource == .plain)
        #expect(message.text.hasPrefix("pakkumine: 12,5 h; 1 500,00 €; 20.12.2026\n\nTere!\n"))
        #expect(message.attachments.isEmpty)
        #expect(!message.isAutomatic && message.authenticationFailure == nil)
        let results = try #require(message.authenticationResults.first)
        #expect(results.authservID == "mx.devworkflow.example")
        #expect(results.results.map(\.method) == ["dkim", "spf"])
        #expect(results.results.map(\.result) == ["pass", "pass"])
        #expect(results.results[0].properties["header.d"] == "acme.example")
        #expect(results.results[0].properties["header.b"] == "aBcD1234")
        #expect(results.results[1].properties["smtp.mailfrom"] == "mari@acme.example")
    }

    @Test func gmailsAlternativePrefersThePlainText() throws {
        let message = try MailMessage(parsing: MailSamples.gmail)
        #expect(message.subject == "Re: [VOLIS-12] Tellimus: Tööpäevade arvestus")
        #expect(message.from == [MailAddress(name: "Jüri Tõnisson", address: "jyri.tonisson@gmail.com")])
        #expect(message.messageID == "CAF=k4x1Q9nYtUu8pB0nG2a+Vw6VZ0y8=Yk5hT0mL@mail.gmail.com")
        #expect(message.textSource == .plain)
        // The long line came in quoted-printable with soft breaks, some inside a character's bytes.
        #expect(message.text.hasPrefix("deliver: Paigaldatud testkeskkonda, kasutusjuhend on lisatud. Palun vaadake üle ja andke teada, kui midagi on puudu – õige versioon on 2.4.1.\n"))
        #expect(message.attachments.isEmpty, "the HTML alternative is no attachment")
        #expect(message.authenticationResults.first?.results.map(\.method) == ["dkim", "spf", "dmarc"])
    }

    @Test func outlooksWindows1257AndItsAttachment() throws {
        let message = try MailMessage(parsing: MailSamples.outlook)
        #expect(message.subject == "RE: [VOLIS-12] Tellimus: Tööpäevade arvestus")
        #expect(message.from == [MailAddress(name: "Õie Šõmer", address: "Oie@ACME.example")])
        #expect(message.from[0].isSame(as: "oie@acme.example"))
        #expect(message.cc == [MailAddress(name: "Maasikas, Mari", address: "mari@acme.example")])
        #expect(message.text.contains("Šveitsi partneri tõttu ootame žürii otsust."))
        #expect(message.mediaType == "multipart/mixed")
        let pdf = try #require(message.attachments.first)
        #expect(message.attachments.count == 1)
        #expect(pdf.filename == "Põhijoonis võrdlus.pdf")
        #expect(pdf.mediaType == "application/pdf" && !pdf.isInline)
        #expect(pdf.data == MailSamples.outlookPDF)
    }

    @Test func anHTMLOnlyMessageIsReadAsText() throws {
        let message = try MailMessage(parsing: MailSamples.iphone)
        #expect(message.subject == "Re: [VOLIS-12] Küsimus")
        #expect(message.textSource == .html)
        #expect(message.text == """
            Kas "Šveitsi" moodul on ka hinnas?\u{A0}Küsin, sest žürii & eelarve.

            Saadetud minu iPhone'ist

            > 2. dets 2026 kell 09:00 kirjutas DevWorkflow:
            >
            > Tere, Mari!
            > Hinnapakkumise tähtaeg: 09.12.2026
            """)
    }

    @Test func filesWithRFC2231NamesInANestedTree() throws {
        let message = try MailMessage(parsing: MailSamples.attachments)
        #expect(message.from == [MailAddress(name: "Tõnisson, Jüri (BETA)", address: "jyri@beta.example")])
        #expect(message.references == ["older@devworkflow", MailSamples.ourMessageID])
        #expect(message.text == "Lisatud on lähteandmed ja märkused.\nLogo on allkirjas.\n")
        #expect(message.attachments.map(\.filename) == ["logo.png", "Tellimuse lähteandmed.xlsx", "Märkused ü šž pikk nimi.txt"])
        #expect(message.attachments.map(\.mediaType) == ["image/png", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain"])
        #expect(message.attachments.map(\.isInline) == [true, false, false])
        #expect(message.attachments[0].contentID == "logo@beta.example")
        #expect(message.attachments[0].data == MailSamples.logo)
        #expect(message.attachments[1].data == MailSamples.spreadsheet)
        // The line break before the closing delimiter belongs to the delimiter.
        #expect(message.attachments[2].data == MailSamples.bytes(MailSamples.notes.trimmingCharacters(in: .newlines), in: .iso885915))
    }

    @Test func headerFieldsAreUnfoldedAndEncodedWordsJoined() throws {
        let message = try MailMessage(parsing: MailSamples.message([
            "From: =?UTF-8?Q?J=C3=BC?= =?UTF-8?Q?ri?= <a@b.example>, \"Quoted \\\"Name\\\"\" <c@d.example>, plain@e.example,",
            "  Team: x@f.example, \"y\" <y@f.example>;, old@g.example (Old Style), <@relay.example:route@h.example>",
            // One character split over two words (its two bytes in two B words).
            "Subject: =?UTF-8?B?w7U=?=   =?UTF-8?B?w7U=?= and =?utf-8?B?w6Q=?==?UTF-8?B?w7Y=?= =?UTF-8?Q?=C3?=",
            " =?UTF-8?Q?=B5?=, =?iso-8859-15?q?=A8=B8_and_=A4?=; =?windows-1252?Q?=80?= =?bogus?Q?x?= =?UTF-8?X?y?=",
            "Reply-To: =?ISO-8859-1?Q?J=FCri_T=F5nisson?= <jyri@beta.example>",
            "Auto-Submitted: auto-replied (vacation)",
            "Precedence: bulk",
            "",
            "body",
        ]))
        #expect(message.from.map(\.description) == ["Jüri <a@b.example>", "Quoted \"Name\" <c@d.example>", "plain@e.example", "x@f.example",
                                                   "y <y@f.example>", "old@g.example", "route@h.example"])
        // Whitespace between encoded-words goes, whatever their charsets; an unknown charset reads as UTF-8.
        #expect(message.subject == "õõ and äöõ, šž and €; €x =?UTF-8?X?y?=")
        #expect(message.replyTo == [MailAddress(name: "Jüri Tõnisson", address: "jyri@beta.example")])
        #expect(message.autoSubmitted == "auto-replied" && message.precedence == "bulk" && message.isAutomatic)
        #expect(message.text == "body\n")
    }

    @Test func machinesAreToldApart() throws {
        func automatic(_ header: String) throws -> Bool {
            try MailMessage(parsing: MailSamples.message(["From: a@b.example", header, "", "x"])).isAutomatic
        }
        #expect(try !automatic("Auto-Submitted: no"))
        #expect(try automatic("Auto-Submitted: auto-generated"))
        #expect(try automatic("Precedence: list"))
        #expect(try automatic("Precedence: junk"))
        #expect(try !automatic("Precedence: first-class"))
        #expect(try automatic("X-Autoreply: yes"))
        #expect(try automatic("Return-Path: <>"))
        #expect(try !automatic("Return-Path: <a@b.example>"))
        #expect(try automatic("Content-Type: multipart/report; report-type=delivery-status; boundary=x"))
    }

    @Test func aFailedDKIMOrSPFResultIsFound() throws {
        func failure(_ values: [String]) throws -> String? {
            let message = try MailMessage(parsing: MailSamples.message(["From: a@b.example"] + values.map { "Authentication-Results: \($0)" } + ["", "x"]))
            return message.authenticationFailure.map { "\($0.method)=\($0.result)" }
        }
        #expect(try failure(["mx.example; dkim=pass header.d=b.example; spf=pass smtp.mailfrom=b.example"]) == nil)
        #expect(try failure(["mx.example; dkim=fail (signature did not verify) header.d=b.example; spf=pass"]) == "dkim=fail")
        #expect(try failure(["mx.example; spf=softfail smtp.mailfrom=b.example"]) == "spf=softfail")
        #expect(try failure(["mx.example 1; dkim/1=permerror"]) == "dkim=permerror")
        #expect(try failure(["mx.example; dkim=none; spf=neutral; dmarc=fail"]) == nil, "no signature, neutral SPF: nothing failed; DMARC is not asked")
        #expect(try failure(["mx.example; none"]) == nil)
        // A forged header cannot hide the receiving server's verdict.
        #expect(try failure(["mx.example; spf=fail smtp.mailfrom=b.example", "forged.example; dkim=pass; spf=pass"]) == "spf=fail")
        #expect(try failure(["mx.example; dkim=pass reason=\"a; b\"; spf=temperror"]) == "spf=temperror")
    }

    @Test func flowedTextIsJoined() throws {
        let message = try MailMessage(parsing: MailSamples.message([
            "From: a@b.example", "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=no", "",
            "Esimene rida, mis jätkub ", "järgmisel real.", " >Not a quote, space-stuffed.", "> Tsitaat, mis ", "> jätkub.",
            "-- ", "Allkiri",
        ]))
        #expect(message.text == "Esimene rida, mis jätkub järgmisel real.\n>Not a quote, space-stuffed.\n> Tsitaat, mis jätkub.\n-- \nAllkiri\n")
        let deleting = MIMEEntity.unflowed("Sõna, mis on poo \nleks.", deleteSpace: true)
        #expect(deleting == "Sõna, mis on poo\nleks." || deleting == "Sõna, mis on poo" + "leks.")
    }

    @Test func leniencyWhereRealMailIsSloppy() throws {
        // An mbox From line, LF line ends, a part without a header, an unterminated multipart.
        let text = "From mari@acme.example Thu Dec  3 10:15:00 2026\nFrom: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nheaderless part\n--b\nContent-Type: text/plain\n\nlast part, never closed\n"
        let message = try MailMessage(parsing: Array(text.utf8))
        #expect(message.from.map(\.address) == ["a@b.example"])
        #expect(message.text == "headerless part")
        // Broken base64 characters are skipped, a stray `=` in quoted-printable is kept.
        #expect(TransferEncoding.base64(Array("w7XD*\ntQ==".utf8)) == Array("õõ".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("a=zz b =\r\nc  \r\nd".utf8)) == Array("a=zz b c\r\nd".utf8))
    }

    @Test func unreadableInputIsRefusedClearly() throws {
        func key(_ bytes: [UInt8], _ limits: MailLimits = MailLimits()) -> String? {
            do {
                _ = try MailMessage(parsing: bytes, limits: limits)
                return nil
            } catch let error as WorkflowError {
                #expect(error.code == .invalidData)
                return error.text.key
            } catch {
                return "\(error)"
            }
        }
        #expect(key([]) == "error.mail_not_a_message")
        #expect(key(Array("Hello, this is not mail\n".utf8)) == "error.mail_not_a_message")
        #expect(key((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }) == "error.mail_not_a_message")
        #expect(key(Array("From: a@b\nthis line is no field\n\nbody".utf8)) == "error.mail_header_line")
        #expect(key(Array("From: a@b\nContent-Type: multipart/mixed\n\nbody".utf8)) == "error.mail_no_boundary")
        #expect(key(MailSamples.gmail, MailLimits(maximumBytes: 1000)) == "error.mail_too_large")
        #expect(key(MailSamples.attachments, MailLimits(maximumParts: 5)) == "error.mail_too_many_parts")
        #expect(key(MailSamples.attachments, MailLimits(maximumDepth: 2)) == "error.mail_too_deep")
        #expect(key(MailSamples.attachments, MailLimits(maximumDepth: 3)) == nil)
        let error = try #require(throws: WorkflowError.self) { try MailMessage(parsing: Array("From: a@b\nSubject: x\nno colon here\n\n".utf8)) }
        #expect(error.message == "line 3 of the e-mail's header is not a header field ('Name: value')")
    }

    @Test func hostileMessagesEndWithinTheLimits() throws {
        // Ten thousand nested multiparts: refused at the depth limit, the stack untouched.
        var deep = "From: a@b.example\r\n"
        for level in 0..<10_000 { deep += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n" }
        #expect(throws: WorkflowError.self) { try MailMessage(parsing: Array(deep.utf8)) }
        // A hundred thousand empty parts: refused at the part limit.
        let many = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n" + String(repeating: "--x\r\n\r\n", count: 100_000) + "--x--\r\n"
        let error = try #require(throws: WorkflowError.self) { try MailMessage(parsing: Array(many.utf8)) }
        #expect(error.text.key == "error.mail_too_many_parts")
        // Fifty thousand header fields.
        let fields = "From: a@b.example\r\n" + String(repeating: "X-Spam: 1\r\n", count: 50_000) + "\r\nbody"
        #expect(throws: WorkflowError.self) { try MailMessage(parsing: Array(fields.utf8)) }
        // A large base64 body and many encoded-words are read whole.
        let big = MailSamples.message(["From: a@b.example", "Subject: " + String(repeating: "=?UTF-8?B?w7U=?= ", count: 20_000),
                                       "Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", ""]
                                      + MailSamples.base64([UInt8](repeating: 0xF5, count: 4_000_000)))
        let message = try MailMessage(parsing: big)
        #expect(message.subject.count == 20_000)
        #expect(message.attachments.first?.data.count == 4_000_000)
    }

    @Test func theProductsOwnMailReadsBack() throws {
        // What EmailMessage writes (RFC 2047 subject, QP body), read by the parser: the same text.
        let email = try EmailMessage(OutboxSamples.notification("quote", title: "Tööpäevade arvestus"),
                                     RenderedMessage(subject: "[VOLIS-12] Hinnapakkumine: Tööpäevade arvestus „eelarve” ja žürii, väga pikk pealkiri mis murtakse",
                                                     body: String(repeating: "Õunapuu ääres ööbiku laul. ", count: 20) + "\nTeine rida.\n", language: .et))
        let message = try MailMessage(parsing: Array(email.text(lineEnding: "\r\n").utf8))
        #expect(message.subject == "[VOLIS-12] Hinnapakkumine: Tööpäevade arvestus „eelarve” ja žürii, väga pikk pealkiri mis murtakse")
        #expect(message.text.trimmingCharacters(in: .newlines) == (String(repeating: "Õunapuu ääres ööbiku laul. ", count: 20) + "\nTeine rida.").trimmingCharacters(in: .newlines))
        #expect(message.messageID == email.messageID.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
    }
}
