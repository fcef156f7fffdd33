import Foundation
import Testing
@testable import DevWorkflow

/// Issue 18's last gaps against a real PostgreSQL: a reply's attachments become the request's
/// files in the transaction that applies it (or the whole reply is refused), `person forget`
/// redacts the mail a person sent, and a vendor who never logs in does everything by mail.
@Suite struct MailFilesTests {
    typealias Gateway = MailGatewayTests

    /// Bytes no text encoding survives unharmed: every byte value, NULs and CRs included.
    static func binary(_ prefix: String, size: Int) -> [UInt8] {
        Array(prefix.utf8) + (0..<max(0, size - prefix.utf8.count)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ ($0 >> 8)) }
    }

    static let pdf = binary("%PDF-1.4\n", size: 3000)
    static let png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + binary("IHDR", size: 700)
    static let logo = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + binary("logo", size: 120)
    /// The names as the sender's program wrote them: RFC 2231 (Thunderbird) and RFC 2047 in a
    /// parameter (Outlook, Gmail).
    static let pdfName = "Hinnapakkumine Õie Šõmer.pdf"
    static let pngName = "tööplaan.png"

    /// A Thunderbird reply (multipart/mixed) with a PDF named per RFC 2231, a PNG named per RFC
    /// 2047, and a logo shown inline in the signature (a Content-ID: not a file of the request).
    static func reply(from: String, to: String, id: String, text: String, pdf: [UInt8] = pdf, withLogo: Bool = true,
                      authentication: String = "dkim=pass header.d=acme.ee; spf=pass smtp.mailfrom=acme.ee") -> [UInt8] {
        let rfc2231 = "UTF-8''" + pdfName.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_")))!
        let rfc2047 = "=?UTF-8?B?\(Data(pngName.utf8).base64EncodedString())?="
        var lines = [
            "Return-Path: <\(from)>",
            "Authentication-Results: mx.dw.example; \(authentication)",
            "Message-ID: <\(id)>",
            "Date: Thu, 3 Dec 2026 10:15:00 +0200",
            "MIME-Version: 1.0",
            "User-Agent: Mozilla Thunderbird",
            "Subject: Re: [VOLIS-1] =?UTF-8?Q?Hinnapakkumise_k=c3=bcsimine?=",
            "Content-Language: et",
            "To: DevWorkflow <\(to)>",
            "From: Anna Acme <\(from)>",
            "Content-Type: multipart/mixed; boundary=\"------------mixed0123\"",
            "",
            "This is a multi-part message in MIME format.",
            "--------------mixed0123",
            "Content-Type: text/plain; charset=UTF-8; format=flowed",
            "Content-Transfer-Encoding: 8bit",
            "",
        ] + text.components(separatedBy: "\n") + [
            "",
            "DevWorkflow kirjutas 02.12.2026 09:00:",
            "> Tere, Anna!",
            "-- ",
            "Anna Acme",
            "",
            "--------------mixed0123",
            "Content-Type: application/pdf",
            "Content-Disposition: attachment;",
            " filename*=\(rfc2231)",
            "Content-Transfer-Encoding: base64",
            "",
        ] + MailSamples.base64(pdf) + [
            "",
            "--------------mixed0123",
            "Content-Type: image/png; name=\"\(rfc2047)\"",
            "Content-Disposition: attachment; filename=\"\(rfc2047)\"",
            "Content-Transfer-Encoding: base64",
            "",
        ] + MailSamples.base64(png)
        if withLogo {
            lines += ["", "--------------mixed0123", "Content-Type: image/png; name=\"logo.png\"", "Content-Disposition: inline; filename=\"logo.png\"",
                      "Content-ID: <logo.acme@acme.ee>", "Content-Transfer-Encoding: base64", ""] + MailSamples.base64(logo)
        }
        return MailSamples.message(lines + ["", "--------------mixed0123--", ""])
    }

    static func count(_ f: Fixture, _ sql: SQL) throws -> Int { try f.sql().query(sql).first!.decode(0, as: Int.self) }

    static func bytes(_ f: Fixture, as login: String, _ request: String, _ number: Int) throws -> [UInt8] {
        var read: [UInt8] = []
        try f.store(as: login).readFile(request, number) { read += $0 }
        return read
    }

    static func verify(_ f: Fixture) throws -> Binary.Result {
        try Binary.run("workflowctl", ["audit", "verify", "--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
    }

    // MARK: Attachments become the request's files

    @Test func aQuotesFilesBecomeTheRequestsFilesAsItsVendorInTheSameTransaction() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Gateway.replyAddress(f, id, f.vendorA)
        let version = try Self.count(f, "SELECT version FROM request WHERE id = \(id)")
        let due = Fixture.today.adding(days: 40)

        let answer = try Gateway.receive(f, Self.reply(from: "anna@acme.ee", to: anna, id: "files-1@acme.ee",
                                                       text: "pakkumine: 12 h; 900,00; \(due.description)\n\nHinnapakkumine ja tööplaan on lisatud."))
        #expect(answer.status == 0 && answer.json["outcome"] == "applied", "\(answer.json)")
        #expect(answer.json["files"] == [1, 2], "the inline logo is not a file of the request: \(answer.json)")

        // The quote, its remark and both files, in one step: the version moved by the quote and two attaches.
        #expect(try Self.count(f, "SELECT count(*) FROM quote WHERE request_id = \(id) AND vendor = 'ACME'") == 1)
        #expect(try Self.count(f, "SELECT version FROM request WHERE id = \(id)") == version + 3)
        let files = try f.store(as: f.vendorA).files(id)
        #expect(files.map(\.name) == [Self.pdfName, Self.pngName], "RFC 2231 and RFC 2047 names, letter for letter")
        #expect(files.allSatisfy { $0.kind == "quote" && $0.vendor == "ACME" && $0.attachedBy == f.vendorA && !$0.isInternal })
        var hasher = SHA256()
        hasher.update(Self.pdf)
        #expect(files.first?.sha256 == hasher.hexDigest() && files.first?.size == Int64(Self.pdf.count))
        #expect(try Self.bytes(f, as: f.vendorA, id, 1) == Self.pdf && Self.bytes(f, as: f.owner, id, 2) == Self.png, "stored byte for byte")
        // A vendor's file follows its quote: that vendor and staff read it, the other invited vendor does not.
        #expect(try f.store(as: f.vendorB).files(id).isEmpty)
        #expect(throws: WorkflowError.self) { try Self.bytes(f, as: f.vendorB, id, 1) }
        #expect(try f.store(as: f.owner).files(id).count == 2)
        // Recorded as the person (the gateway's login beside it), the digest in the request's chain.
        let events = try f.sql().query("SELECT actor, by_login, inputs ->> 'sha256' FROM event WHERE request_id = \(id) AND transition = 'attach' ORDER BY seq")
        #expect(try events.map { try $0.decode(0, as: String.self) } == [f.vendorA, f.vendorA])
        #expect(try events.map { try $0.decode(1, as: String.self) } == [f.admin, f.admin])
        #expect(try events.first?.decode(2, as: String.self) == hasher.hexDigest())
        let recorded = try JSONValue.parse(try f.sql().query("SELECT attachments::text FROM mail_in WHERE message_id = 'files-1@acme.ee'").first!.decode(0, as: String.self))
        guard case let .array(items) = recorded, items.count == 3 else { Issue.record("\(recorded)"); return }
        #expect(items[0]["file"] == 1 && items[1]["file"] == 2 && items[2]["stored"] == false && items[2]["name"] == "logo.png", "\(recorded)")
        #expect(try Self.verify(f).status == 0)

        // A reply of files alone (no text of its own) stores them as other documents; one whose
        // only part is a signature's logo is empty and refused.
        let only = Self.reply(from: "anna@acme.ee", to: anna, id: "files-2@acme.ee", text: "")
        let stored = try Gateway.receive(f, only)
        #expect(stored.json["outcome"] == "applied" && stored.json["asked"] == "files" && stored.json["files"] == [3, 4], "\(stored.json)")
        #expect(try f.store(as: f.vendorA).files(id).suffix(2).allSatisfy { $0.kind == "other" && $0.vendor == "ACME" })
        #expect(try Self.count(f, "SELECT count(*) FROM comment WHERE request_id = \(id)") == 1, "no empty comment")
        let logoOnly = MailSamples.message([
            "From: anna@acme.ee", "To: \(anna)", "Subject: Re: [\(id)]", "Message-ID: <files-3@acme.ee>",
            "Authentication-Results: mx.dw.example; dkim=pass header.d=acme.ee", "Content-Type: multipart/related; boundary=\"r\"", "",
            "--r", "Content-Type: text/html; charset=UTF-8", "", "<p><img src=\"cid:logo@acme.ee\"></p>", "",
            "--r", "Content-Type: image/png", "Content-Disposition: inline; filename=\"logo.png\"", "Content-ID: <logo@acme.ee>",
            "Content-Transfer-Encoding: base64", "",
        ] + MailSamples.base64(Self.logo) + ["", "--r--"])
        let empty = try Gateway.receive(f, logoOnly)
        #expect(empty.json["outcome"] == "refused" && empty.json["reason"]?["key"] == "error.reply_empty", "\(empty.json)")
        #expect(try f.store(as: f.owner).files(id).count == 4)
    }

    /// A requester's file by mail is what `request attach` as that person gives: a document every
    /// vendor that sees the request reads.
    @Test func aRequestersFilesByMailFollowTheRequestLikeTheirAttach() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        let rein = try Gateway.replyAddress(f, id, f.requester)
        let answer = try Gateway.receive(f, Self.reply(from: "rein@example.ee", to: rein, id: "rein-files@example.ee",
                                                       text: "Lisan ekraanipildi veast.", withLogo: false))
        #expect(answer.json["outcome"] == "applied" && answer.json["files"] == [1, 2], "\(answer.json)")
        let files = try f.store(as: f.vendorA).files(id)
        #expect(files.map(\.name) == [Self.pdfName, Self.pngName] && files.allSatisfy { $0.kind == "other" && $0.vendor == nil && $0.attachedBy == f.requester })
    }

    /// A file the rules refuse (here: over the size limit an admin set) refuses the whole reply:
    /// no quote, no comment, no file, the version unchanged; its sender is answered once, in their
    /// language, naming the file and why. A forged reply with files stores nothing either.
    @Test func aRefusedFileRefusesTheWholeReplyAndItsSenderIsToldWhyInTheirLanguage() throws {
        let f = try Fixture()
        try f.store().setSetting("file_size_limit", "2048")
        let id = try f.request(in: "quote_requested")
        let anna = try Gateway.replyAddress(f, id, f.vendorA)
        let bert = try Gateway.replyAddress(f, id, f.vendorB)
        let before = try Gateway.business(f)
        let due = Fixture.today.adding(days: 30).description

        let estonian = try Gateway.receive(f, Self.reply(from: "anna@acme.ee", to: anna, id: "big-1@acme.ee", text: "pakkumine: 10 h; 800,00; \(due)\nVaadake lisa."))
        #expect(estonian.status == 0 && estonian.json["outcome"] == "refused" && estonian.json["answered"] == true, "\(estonian.json)")
        #expect(estonian.json["reason"]?["key"] == "error.mail_file_refused" && estonian.json["reason"]?["name"] == .string(Self.pdfName), "\(estonian.json)")
        let english = try Gateway.receive(f, Self.reply(from: "bert@beta.ee", to: bert, id: "big-2@beta.ee", text: "quote: 10 h; 700.00; \(due)",
                                                        authentication: "dkim=pass header.d=beta.ee; spf=pass"))
        #expect(english.json["reason"]?["key"] == "error.mail_file_refused", "\(english.json)")
        // The PNG is within the limit, the PDF beside it is not: nothing of the reply is kept.
        #expect(try Gateway.business(f) == before, "nothing applied: no quote, no comment, no file, no version")
        #expect(try Self.count(f, "SELECT count(*) FROM mail_in WHERE outcome = 'refused' AND jsonb_array_length(attachments) = 3") == 2,
                "what came is recorded by name, size and digest")

        let sent = try Gateway.sent(f).compactMap { try? MailMessage(parsing: Array($0.utf8)) }
        let toAnna = try #require(sent.first { $0.inReplyTo == ["big-1@acme.ee"] })
        #expect(toAnna.text.contains("Põhjus: manust „\(Self.pdfName)” ei saanud talletada: fail on suurem kui lubatud 2048 baiti. Kirjast ei rakendatud midagi"),
                "\(toAnna.text)")
        let toBert = try #require(sent.first { $0.inReplyTo == ["big-2@beta.ee"] })
        #expect(toBert.text.contains("Reason: the attached file \"\(Self.pdfName)\" could not be stored: the file is larger than the limit of 2048 bytes. Nothing of the message was applied"),
                "\(toBert.text)")
        #expect(try Gateway.refusals(f) == ["anna@acme.ee", "bert@beta.ee"], "one answer each")

        // Within the limit it goes through whole.
        try f.store().setSetting("file_size_limit", "104857600")
        #expect(try Gateway.receive(f, Self.reply(from: "anna@acme.ee", to: anna, id: "big-3@acme.ee", text: "pakkumine: 10 h; 800,00; \(due)")).json["files"] == [1, 2])

        // Forged replies carrying files store none.
        let stored = try Gateway.business(f)
        let code = String(anna.split(separator: ".")[2].prefix(16))
        let tampered = anna.replacingOccurrences(of: code, with: String(code.dropLast()) + (code.last == "a" ? "b" : "a"))
        for (what, message) in [
            ("an altered reply address", Self.reply(from: "anna@acme.ee", to: tampered, id: "forged-1@x", text: "Lisa.")),
            ("DKIM failed", Self.reply(from: "anna@acme.ee", to: anna, id: "forged-2@x", text: "Lisa.", authentication: "dkim=fail header.d=acme.ee")),
            ("another sender", Self.reply(from: "mallory@evil.example", to: anna, id: "forged-3@x", text: "Lisa.", authentication: "dkim=none")),
            ("files alone by a guessed In-Reply-To and another sender", Self.reply(from: "mallory@evil.example", to: "devworkflow@dw.example", id: "forged-4@x", text: "")),
        ] {
            #expect(try Gateway.receive(f, message).json["outcome"] == "refused", "\(what)")
        }
        #expect(try Gateway.business(f) == stored)
    }

    // MARK: Forgetting a person

    @Test func forgettingAPersonRedactsTheMailTheySentAndTheChainsKeepHolding() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Gateway.replyAddress(f, id, f.vendorA)
        let bert = try Gateway.replyAddress(f, id, f.vendorB)
        let due = Fixture.today.adding(days: 30).description
        #expect(try Gateway.receive(f, Self.reply(from: "anna@acme.ee", to: anna, id: "anna-1@acme.ee", text: "pakkumine: 10 h; 800,00; \(due)")).json["outcome"] == "applied")
        let unreadable = try Gateway.receive(f, Gateway.thunderbird(from: "anna@acme.ee", to: anna, id: "anna-2@acme.ee",
                                                                    text: "pakkumine: kümme tundi; 5555 1234; homme"))
        #expect(unreadable.json["outcome"] == "refused")
        #expect(try Gateway.receive(f, Gateway.thunderbird(from: "bert@beta.ee", to: bert, id: "bert-1@beta.ee", text: "A question from Bert.")).json["outcome"] == "applied")
        _ = try Gateway.sent(f)

        let forgot = try Binary.run("workflowctl", ["person", "forget", f.vendorA, "--reason", "lahkus ettevõttest", "--database", try f.db.conninfo()])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        let rows = try f.sql().query("SELECT sender, subject, reason::text, attachments::text, redacted_at IS NOT NULL FROM mail_in WHERE message_id LIKE 'anna-%' ORDER BY id")
        #expect(rows.count == 2)
        for row in rows {
            let sender: String = try row.decode(0), subject: String = try row.decode(1)
            #expect(sender.hasSuffix("@forgotten.invalid") && subject == "[forgotten]")
            #expect(try row.decode(4, as: Bool.self))
            let text = try (row.decode(2, as: String?.self) ?? "") + row.decode(3, as: String.self)
            #expect(!text.contains("anna") && !text.contains("Õie") && !text.contains("5555") && !text.contains("tööplaan"), "\(text)")
        }
        let reason = try JSONValue.parse(try rows[1].decode(2, as: String.self))
        let refusedKey = try #require(unreadable.json["reason"]?["key"])
        #expect(reason["key"] == refusedKey, "the refusal's key stays: \(reason)")
        #expect(try f.sql().query("SELECT sender FROM mail_in WHERE message_id = 'bert-1@beta.ee'").first?.decode(0, as: String.self) == "bert@beta.ee",
                "another's mail stays")
        // The answer to Anna's refused message keeps no words of hers.
        let answer = try f.sql().query("SELECT recipient, payload::text FROM outbox WHERE transition = 'mail_refused'").first
        #expect(try answer?.decode(0, as: String.self).hasSuffix("@forgotten.invalid") == true)
        #expect(try answer.map { try !$0.decode(1, as: String.self).contains("kümme") && $0.decode(1, as: String.self).contains("[forgotten]") } == true)
        // What the mail applied stays the request's, and every chain still verifies.
        #expect(try f.store(as: f.owner).files(id).count == 2)
        let verified = try Self.verify(f)
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    // MARK: A vendor who never logs in, all by mail

    /// The issue's "done when", with the vendor's person having no login at all: invited (told
    /// how to quote by replying, no command), it quotes with its offer attached, asks a question,
    /// reads the answer, is ordered, sees the deadline in its calendar, delivers by mail with the
    /// acceptance protocol attached; a forged reply on its address changes nothing.
    @Test func aVendorWhoNeverLogsInDoesEverythingByMail() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.addVendor(key: "DELTA", name: "Delta OÜ", email: "info@delta.ee")
        try admin.addContract(vendor: "DELTA", number: "RL-DELTA", from: Fixture.today.adding(days: -10), to: Fixture.today.adding(days: 300),
                              rate: Money(cents: 7500), cap: Money(cents: 5_000_000))
        let tiina = "tiina_\(f.db.name.suffix(8))"
        try admin.addPerson(login: tiina, name: "Tiina Tamm", email: "tiina@delta.ee", role: .vendor, vendor: "DELTA")
        #expect(try Self.count(f, "SELECT count(*) FROM pg_roles WHERE rolname = \(tiina)") == 0, "no login")
        let id = try f.request(in: "prioritised")
        _ = try admin.move(id, "request_quote", inputs: .init(vendors: ["DELTA", "ACME"]))

        func mail(to address: String, _ sent: [String]) throws -> MailMessage {
            try MailMessage(parsing: Array(try #require(sent.first { $0.contains("<\(address)>") && !$0.contains("Auto-Submitted: auto-replied") }).utf8))
        }
        var sent = try Gateway.sent(f)
        let invitation = try mail(to: "tiina@delta.ee", sent)
        #expect(invitation.text.contains("Hinnapakkumise esitamiseks vastake sellele kirjale, kirjutades esimesele reale: pakkumine: 12 h; 1500,00; 20.12.2026"))
        #expect(!invitation.text.contains("workflowctl"), "\(invitation.text)")
        // A vendor's person with a login is shown the command and the reply.
        let toAnna = try mail(to: "anna@acme.ee", sent)
        #expect(toAnna.text.contains("workflowctl request move \(id) quote") && toAnna.text.contains("Võite ka vastata sellele kirjale"), "\(toAnna.text)")
        let address = try #require(invitation.replyTo.first?.address)

        // The quote, with its offer attached.
        let due = Fixture.today.adding(days: 40)
        let quote = try Gateway.receive(f, Self.reply(from: "tiina@delta.ee", to: address, id: "tiina-q@delta.ee",
                                                      text: "pakkumine: 20 h; 1 500,00; \(due.description)", authentication: "dkim=pass header.d=delta.ee"))
        #expect(quote.json["outcome"] == "applied" && quote.json["files"] == [1, 2], "\(quote.json)")
        let stored = try f.store(as: f.owner).files(id)
        #expect(stored.count == 2 && stored.allSatisfy { $0.vendor == "DELTA" && $0.attachedBy == tiina }, "\(stored)")
        #expect(try f.store(as: f.vendorA).files(id).isEmpty, "another vendor does not read Delta's offer")

        // A question, and the owner's answer, which reaches Tiina by mail with no command in it.
        let question = try Gateway.receive(f, Gateway.thunderbird(from: "tiina@delta.ee", to: address, id: "tiina-k@delta.ee",
                                                                  text: "Kas testandmed on olemas?", authentication: "dkim=pass header.d=delta.ee"))
        #expect(question.json["outcome"] == "applied", "\(question.json)")
        try f.store(as: f.owner).comment(id, "Jah, testandmed on testkeskkonnas.")
        sent = try Gateway.sent(f)
        let reply = try mail(to: "tiina@delta.ee", sent)
        #expect(reply.text.contains("Jah, testandmed on testkeskkonnas.") && reply.text.contains("Vastamiseks vastake sellele kirjale"), "\(reply.text)")
        #expect(!reply.text.contains("workflowctl"), "\(reply.text)")

        // Ordered: the order mail says how to report the delivery by mail; the deadline is in Delta's calendar.
        _ = try admin.move(id, "order", inputs: .init(vendor: "DELTA", deadline: Fixture.today.adding(days: 50)))
        sent = try Gateway.sent(f)
        let order = try mail(to: "tiina@delta.ee", sent)
        #expect(order.text.contains("Üleandmisest teatamiseks vastake sellele kirjale") && !order.text.contains("workflowctl"), "\(order.text)")
        let feed = try Binary.run("workflowctl", ["calendar", "feed", "--vendor", "DELTA", "--database", try f.db.conninfo()])
        #expect(feed.status == 0, "\(feed.stderr)")
        let unfolded = feed.stdout.replacingOccurrences(of: "\r\n ", with: "")
        let deadline = Fixture.today.adding(days: 50).description.replacingOccurrences(of: "-", with: "")
        #expect(unfolded.contains("DTSTART;VALUE=DATE:\(deadline)") && unfolded.contains(id), "\(unfolded)")

        // A forged delivery on Tiina's address (another vendor's person, with a file) changes nothing.
        let before = try Gateway.business(f)
        let forged = try Gateway.receive(f, Self.reply(from: "bert@beta.ee", to: address, id: "bert-on-delta@beta.ee", text: "üle antud: valmis"))
        #expect(forged.json["reason"]?["key"] == "error.mail_other_sender", "\(forged.json)")
        #expect(try Gateway.business(f) == before)

        // The delivery, with the acceptance protocol attached.
        let delivery = try Gateway.receive(f, Self.reply(from: "tiina@delta.ee", to: address, id: "tiina-d@delta.ee",
                                                         text: "üle antud: paigaldatud testkeskkonda", withLogo: false,
                                                         authentication: "dkim=pass header.d=delta.ee"))
        #expect(delivery.json["outcome"] == "applied" && delivery.json["files"] == [3, 4], "\(delivery.json)")
        #expect(try f.sql().query("SELECT state FROM request WHERE id = \(id)").first!.decode(0, as: String.self) == "delivered")
        #expect(try f.store(as: f.owner).files(id).suffix(2).allSatisfy { $0.kind == "delivery" && $0.vendor == "DELTA" })
        #expect(try Self.verify(f).status == 0)
    }
}
