import Foundation
import Testing
@testable import DevWorkflow

/// The mail gateway against a real PostgreSQL: replies written the way mail clients write them,
/// handed in through `workflowctl mail receive` (an MTA's pipe) and `workflowd --maildir`, go
/// through the same rules as the command line; forged ones change nothing.
@Suite struct MailGatewayTests {
    static let domain = "dw.example"

    /// The signed reply address of mail about `request` to `login`, with the code the database makes.
    static func replyAddress(_ f: Fixture, _ request: String, _ login: String) throws -> String {
        let hex: String = try f.sql().query("SELECT encode(workflow.reply_code(\(request), \(login)), 'hex')").first!.decode(0)
        let code = stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
        return ReplyToken(request: request, recipient: login).address(code: code, domain: domain)
    }

    /// `workflowctl mail receive --json` as the gateway's login (the superuser admin by default).
    static func receive(_ f: Fixture, _ message: [UInt8], as login: String? = nil) throws -> (status: Int32, json: JSONValue) {
        let run = try Binary.run("workflowctl", ["mail", "receive", "--json", "--domain", domain, "--database", try f.db.conninfo(user: login)],
                                 bytes: message)
        return (run.status, (try? JSONValue.parse(run.stdout)) ?? .string(run.stdout + run.stderr))
    }

    /// Every table but the outbox, and the money: what a refused message must leave as it was
    /// (its answer is the one outbox row it may add).
    static func business(_ f: Fixture) throws -> String {
        try f.sql().query("""
            SELECT concat_ws(',', (SELECT count(*) FROM system), (SELECT count(*) FROM vendor), (SELECT count(*) FROM contract),
              (SELECT count(*) FROM budget), (SELECT sum(amount) FROM budget), (SELECT count(*) FROM person),
              (SELECT count(*) FROM request), (SELECT coalesce(sum(version), 0) FROM request), (SELECT count(*) FROM event),
              (SELECT count(*) FROM invitation), (SELECT count(*) FROM quote), (SELECT count(*) FROM purchase_order),
              (SELECT count(*) FROM comment), (SELECT count(*) FROM calendar_closure), (SELECT count(*) FROM invoice),
              (SELECT coalesce(sum(used), 0) FROM budget), (SELECT count(*) FROM request_file), (SELECT count(*) FROM request_file_chunk))
            """).first!.decode(0)
    }

    static func refusals(_ f: Fixture) throws -> [String] {
        try f.sql().query("SELECT recipient FROM outbox WHERE transition = 'mail_refused' ORDER BY id").map { try $0.decode(0) }
    }

    // MARK: Replies as mail clients write them

    /// Thunderbird: plain text, 8bit UTF-8, format=flowed, an Estonian attribution, quoted text, a signature.
    static func thunderbird(from: String, to: String, id: String, inReplyTo: String? = nil, text: String,
                            authentication: String = "dkim=pass header.d=acme.ee; spf=pass smtp.mailfrom=acme.ee") -> [UInt8] {
        MailSamples.message([
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
        ] + (inReplyTo.map { ["In-Reply-To: <\($0)>", "References: <\($0)>"] } ?? []) + [
            "Content-Type: text/plain; charset=UTF-8; format=flowed",
            "Content-Transfer-Encoding: 8bit",
            "",
        ] + text.components(separatedBy: "\n") + [
            "",
            "DevWorkflow kirjutas 02.12.2026 09:00:",
            "> Tere, Anna!",
            ">",
            "> Arendustellimus ootab Teie hinnapakkumist.",
            "-- ",
            "Anna Acme",
            "Acme OÜ | +372 5555 0000",
        ])
    }

    /// Gmail: multipart/alternative, both parts quoted-printable, a long line, a wrapped attribution.
    static func gmail(from: String, to: String, id: String, text: String) -> [UInt8] {
        let plain = text + "\n\nOn Wed, Dec 2, 2026 at 9:00 AM DevWorkflow <\n\(to)> wrote:\n\n> Hello,\n> a quote is asked of you.\n>\n"
        let html = "<div dir=\"ltr\">" + text.replacingOccurrences(of: "\n", with: "<br>") + "</div><br><div class=\"gmail_quote\">"
            + "<div class=\"gmail_attr\">On Wed, Dec 2, 2026 at 9:00 AM DevWorkflow wrote:<br></div><blockquote>Hello,<br>a quote is asked of you.</blockquote></div>"
        return MailSamples.message([
            "Delivered-To: \(to)",
            "Authentication-Results: mx.dw.example; dkim=pass header.i=@acme.ee; spf=pass smtp.mailfrom=\(from)",
            "MIME-Version: 1.0",
            "From: =?UTF-8?B?\(Data("Anna Ääremaa".utf8).base64EncodedString())?= <\(from)>",
            "Date: Thu, 3 Dec 2026 11:02:41 +0200",
            "Message-ID: <\(id)>",
            "Subject: Re: [VOLIS-1] =?UTF-8?B?\(Data("Küsimus".utf8).base64EncodedString())?=",
            "To: DevWorkflow <\(to)>",
            "Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"",
            "",
            "--000000000000a1b2c3",
            "Content-Type: text/plain; charset=\"UTF-8\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ] + MailSamples.quotedPrintable(Array(plain.utf8)) + [
            "",
            "--000000000000a1b2c3",
            "Content-Type: text/html; charset=\"UTF-8\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ] + MailSamples.quotedPrintable(Array(html.utf8)) + ["", "--000000000000a1b2c3--"])
    }

    /// Outlook: mixed + alternative in Windows-1257, an Outlook quoted block, a PDF attached.
    static func outlook(from: String, to: String, id: String, text: String) -> [UInt8] {
        let plain = text + "\n\nLugupidamisega\nÕie Šõmer\n\n________________________________\nFrom: DevWorkflow <\(to)>\n"
            + "Sent: Wednesday, December 2, 2026 9:00 AM\nTo: Õie Šõmer <\(from)>\nSubject: [VOLIS-1] Tellimus\n\nTere!\n"
        return MailSamples.message([
            "Authentication-Results: mx.dw.example; dkim=pass header.d=acme.ee; spf=pass smtp.mailfrom=acme.ee",
            "From: =?windows-1257?Q?=D5ie_=D0=F5mer?= <\(from.uppercased())>",
            "To: DevWorkflow <\(to)>",
            "Subject: RE: [VOLIS-1] Tellimus",
            "Date: Thu, 3 Dec 2026 09:30:12 +0000",
            "Message-ID: <\(id)>",
            "Content-Language: et-EE",
            "Content-Type: multipart/mixed; boundary=\"_004_AM0PR07_\"",
            "MIME-Version: 1.0",
            "",
            "--_004_AM0PR07_",
            "Content-Type: multipart/alternative; boundary=\"_000_AM0PR07_\"",
            "",
            "--_000_AM0PR07_",
            "Content-Type: text/plain; charset=\"windows-1257\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ] + MailSamples.quotedPrintable(MailSamples.bytes(plain, in: .windows1257)) + [
            "",
            "--_000_AM0PR07_",
            "Content-Type: text/html; charset=\"windows-1257\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
        ] + MailSamples.quotedPrintable(MailSamples.bytes("<html><body><p>\(text)</p></body></html>", in: .windows1257)) + [
            "", "--_000_AM0PR07_--", "",
            "--_004_AM0PR07_",
            "Content-Type: application/pdf; name=\"akt.pdf\"",
            "Content-Disposition: attachment; filename=\"akt.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
        ] + MailSamples.base64(MailSamples.outlookPDF) + ["", "--_004_AM0PR07_--", ""])
    }

    // MARK: Tests

    @Test func aVendorQuotesAsksReadsTheAnswerAndDeliversByMail() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)

        // A quote in Estonian, with a remark, the quoted invitation and a signature.
        let quote = try Self.receive(f, Self.thunderbird(from: "anna@acme.ee", to: anna, id: "q1@acme.ee",
                                                         text: "pakkumine: 12,5 h; 1 000,00 €; \(Fixture.today.adding(days: 40).description)\n\nTeeme ära enne jõule."))
        #expect(quote.status == 0 && quote.json["outcome"] == "applied", "\(quote.json)")
        let row = try f.sql().query("SELECT hours::text, price::text, delivery::text, quoted_by FROM quote WHERE request_id = \(id) AND vendor = 'ACME'").first!
        #expect(try row.decode(0, as: String.self) == "12.50" && row.decode(1, as: String.self) == "1000.00")
        #expect(try row.decode(3, as: String.self) == f.vendorA, "recorded as the person, not the gateway")
        let event = try f.sql().query("SELECT actor, by_login FROM event WHERE request_id = \(id) ORDER BY seq DESC LIMIT 1").first!
        #expect(try event.decode(0, as: String.self) == f.vendorA && event.decode(1, as: String.self) == f.admin)
        #expect(try f.sql().query("SELECT body FROM comment WHERE request_id = \(id)").first!.decode(0, as: String.self) == "Teeme ära enne jõule.")

        // A question (Gmail, HTML alternative): a comment, which the product owner hears of.
        let question = try Self.receive(f, Self.gmail(from: "anna@acme.ee", to: anna, id: "CAF=q2@mail.gmail.com",
                                                      text: "Kas testkeskkond on olemas? Palun täpsustage ka, millise versiooniga peab muudatus ühilduma – meie arendajad soovivad seda teada juba enne tööde algust, et vältida hilisemaid üllatusi."))
        #expect(question.json["outcome"] == "applied", "\(question.json)")
        let asked = try f.sql().query("SELECT body FROM comment WHERE request_id = \(id) ORDER BY id DESC LIMIT 1").first!.decode(0, as: String.self)
        #expect(asked.hasPrefix("Kas testkeskkond on olemas?") && asked.hasSuffix("üllatusi.") && !asked.contains("wrote") && !asked.contains(">"))
        #expect(try f.sql().query("SELECT count(*) FROM outbox WHERE transition = 'comment' AND recipient = 'piret@example.ee'").first!.decode(0, as: Int.self) == 2)

        // The answer: staff's comment reaches the vendor by mail, with its own reply address.
        try f.store(as: f.owner).comment(id, "Testkeskkond on olemas, versioon 2.4.")
        let answer = try f.sql().query("""
            SELECT recipient, payload ->> 'comment' FROM outbox WHERE transition = 'comment' AND request_id = \(id) AND recipient = 'anna@acme.ee'
            """).first
        #expect(try answer?.decode(1, as: String.self) == "Testkeskkond on olemas, versioon 2.4.")
        let file = workPath("answer.jsonl")
        #expect(try Binary.run("workflowd", ["--once", "--file", file, "--database", try f.db.conninfo()]).status == 0)
        let mail = try jsonLines(file).first { $0["transition"] == "comment" && $0["to"] == ["anna@acme.ee"] }
        #expect(mail?["body"]?.plain.contains("Testkeskkond on olemas, versioon 2.4.") == true)
        // Anna's quote by mail was acknowledged to her, with what was recorded (sql/0059); her
        // question, a comment, was not.
        let receipts = try jsonLines(file).filter { $0["transition"] == "mail_applied" }
        #expect(receipts.count == 1 && receipts.first?["to"] == ["anna@acme.ee"], "\(receipts)")
        let receipt = receipts.first?["body"]?.plain ?? ""
        #expect(receipt.contains("salvestasime selle Teie hinnapakkumisena") && receipt.contains("Töötunnid: 12,50") && receipt.contains("Hind: 1"), "\(receipt)")

        // Ordered; the delivery comes from Outlook in Windows-1257, with a PDF.
        _ = try f.store().move(id, "order", inputs: .init(vendor: "ACME"))
        let delivery = try Self.receive(f, Self.outlook(from: "anna@acme.ee", to: anna, id: "AM0PR07MB4321@outlook.com",
                                                        text: "üle antud: paigaldatud testkeskkonda, žürii kiitis heaks"))
        #expect(delivery.json["outcome"] == "applied", "\(delivery.json)")
        let note = try f.sql().query("SELECT delivery_note FROM purchase_order WHERE request_id = \(id)").first!.decode(0, as: String.self)
        #expect(note.hasPrefix("paigaldatud testkeskkonda, žürii kiitis heaks") && !note.contains("From:") && !note.contains("Tere!"),
                "the Outlook block is cut; a sign-off without `-- ` is the writer's")
        #expect(try f.sql().query("SELECT state FROM request WHERE id = \(id)").first!.decode(0, as: String.self) == "delivered")
        let files = try f.sql().query("SELECT attachments::text FROM mail_in WHERE message_id = 'AM0PR07MB4321@outlook.com'").first!.decode(0, as: String.self)
        #expect(files.contains("akt.pdf") && files.contains("application/pdf"), "the attachment is recorded by name and digest")

        // The history says which steps and comments came by mail — not "by" the gateway's login,
        // as an admin acting for Anna would read; a step made at the command line does not.
        let history = try Binary.run("workflowctl", ["request", "history", id, "--database", try f.db.conninfo()],
                                     environment: ["LANG": "en_US.UTF-8", "COLUMNS": "200"])
        let lines = history.stdout.split(separator: "\n")
        for step in ["quote: quote requested → quoted", "deliver: ordered → delivered", "attach: delivered → delivered"] {
            #expect(lines.contains { $0.contains(step) && $0.hasSuffix("\(f.vendorA) (by mail reply)") }, "\(step): \(history.stdout)")
        }
        #expect(lines.contains { $0.contains("order: quoted → ordered") && !$0.contains("mail") }, "\(history.stdout)")
        #expect(!history.stdout.contains("(by \(f.admin))"), "\(history.stdout)")
        #expect(history.stdout.contains("by \(f.vendorA) (by mail reply): Teeme ära enne jõule."), "\(history.stdout)")
        let json = try JSONValue.parse(try Binary.run("workflowctl", ["request", "history", id, "--json", "--database", try f.db.conninfo()]).stdout).text
        #expect(json.components(separatedBy: "\"via\":\"mail\"").count - 1 == 5, "quote, deliver, attach, 2 comments: \(json.prefix(600))")
    }

    @Test func aForgedReplyChangesNothing() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let other = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let text = "pakkumine: 10 h; 500,00; \(Fixture.today.adding(days: 30).description)"
        let code = String(anna.split(separator: ".")[2].prefix(16))
        let tampered = anna.replacingOccurrences(of: code, with: String(code.dropLast()) + (code.last == "a" ? "b" : "a"))
        let forgeries: [(String, [UInt8], String)] = [
            ("a code that is not the database's", Self.thunderbird(from: "anna@acme.ee", to: tampered, id: "f1@x", text: text), "error.mail_token_invalid"),
            ("another request's address", Self.thunderbird(from: "anna@acme.ee", to: anna.replacingOccurrences(of: id.lowercased(), with: other.lowercased()),
                                                          id: "f2@x", text: text), "error.mail_token_invalid"),
            ("another sender", Self.thunderbird(from: "bert@beta.ee", to: anna, id: "f3@x", text: text), "error.mail_other_sender"),
            ("a stranger", Self.thunderbird(from: "mallory@evil.example", to: anna, id: "f4@x", text: text, authentication: "dkim=none; spf=none"),
             "error.mail_other_sender"),
            ("DKIM failed", Self.thunderbird(from: "anna@acme.ee", to: anna, id: "f5@x", text: text,
                                             authentication: "dkim=fail (bad signature) header.d=acme.ee; spf=pass"), "error.mail_not_authenticated"),
            ("SPF failed", Self.thunderbird(from: "anna@acme.ee", to: anna, id: "f6@x", text: text, authentication: "spf=softfail smtp.mailfrom=acme.ee"),
             "error.mail_not_authenticated"),
            ("no reply address, a guessed In-Reply-To", Self.thunderbird(from: "anna@acme.ee", to: "devworkflow@dw.example", id: "f7@x",
                                                                        inReplyTo: "0123456789abcdef0123456789abcdef@devworkflow", text: text), "error.mail_not_tied"),
        ]
        // One honest reply, then its replay.
        let honest = try Self.receive(f, Self.thunderbird(from: "anna@acme.ee", to: anna, id: "honest@acme.ee", text: text))
        #expect(honest.json["outcome"] == "applied", "\(honest.json.text)")
        let before = try Self.business(f)
        for (what, message, key) in forgeries {
            let answer = try Self.receive(f, message)
            #expect(answer.status == 0 && answer.json["outcome"] == "refused", "\(what): \(answer.json)")
            #expect(answer.json["reason"]?["key"] == .string(key), "\(what): \(answer.json)")
        }
        let replay = try Self.receive(f, Self.thunderbird(from: "anna@acme.ee", to: anna, id: "honest@acme.ee", text: "pakkumine: 1 h; 1,00; 2099-01-01"))
        #expect(replay.json["outcome"] == "duplicate" && replay.json["original"] == "applied")
        // The mail_in rows aside (the record of what came), nothing changed.
        #expect(try Self.business(f) == before)
        // A refusal is answered only to an address the product knows (or whose origin was
        // authenticated): a forged stranger gets no mail.
        #expect(try Self.refusals(f).allSatisfy { ["anna@acme.ee", "bert@beta.ee"].contains($0) })
        #expect(try !Self.refusals(f).contains("mallory@evil.example"))
        // Only the gateway (the daemon's login or an admin) hands in mail: the rest is refused, 77.
        for login in [f.owner, f.vendorA, f.requester, f.nobody] {
            let refused = try Self.receive(f, Self.thunderbird(from: "anna@acme.ee", to: anna, id: "as-\(login)@x", text: text), as: login)
            #expect(refused.status == 77, "\(login): \(refused.json)")
        }
        #expect(try Self.business(f) == before)
    }

    @Test func aMessageThatIsNotAppliedIsAnsweredOnceAndTheAnswerIsNeverAnswered() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let bert = try Self.replyAddress(f, id, f.vendorB)
        // More than the contract's rate allows: move() refuses, as it would on the command line.
        let message = Self.thunderbird(from: "bert@beta.ee", to: bert, id: "over@beta.ee", text: "quote: 1 h; 5000.00; \(Fixture.today.adding(days: 30).description)")
        let first = try Self.receive(f, message)
        #expect(first.json["outcome"] == "refused" && first.json["reason"]?["key"] == "error.over_rate" && first.json["answered"] == true)
        #expect(try Self.receive(f, message).json["outcome"] == "duplicate")
        #expect(try Self.refusals(f) == ["bert@beta.ee"], "one answer")
        // The answer goes out in Bert's language (English), threaded under his message, as an automatic reply.
        let fake = workPath("sendmail")
        let folder = workPath("sent")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try writeScript("#!/bin/sh\ncat > \(folder)/$$.eml\n", to: fake)
        let run = try Binary.run("workflowd", ["--once", "--sendmail", fake, "--reply-domain", Self.domain, "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        let sent = try FileManager.default.contentsOfDirectory(atPath: folder).map { try String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8) }
        guard let answer = sent.first(where: { $0.contains("In-Reply-To: <over@beta.ee>") }) else { Issue.record("no answer among \(sent.count)"); return }
        #expect(answer.contains("Auto-Submitted: auto-replied") && answer.contains("References: <over@beta.ee>"))
        #expect(answer.contains("Content-Language: en") && answer.contains("Your message was not applied"))
        #expect(answer.contains("Reason: price 5000.00 EUR is more than") || answer.contains("Reason: price"), "\(answer)")
        // Every other message carries its signed reply address, and the database knows its Message-ID.
        let notification = try #require(sent.first { $0.contains("Auto-Submitted: auto-generated") })
        let replyTo = try #require(notification.replacingOccurrences(of: "\n ", with: " ").split(separator: "\n").first { $0.hasPrefix("Reply-To:") })
        let address = String(replyTo.split(separator: "<").last!.dropLast())
        let secret: String = try f.sql().query("SELECT encode(secret, 'hex') FROM mail_secret").first!.decode(0)
        let key = stride(from: 0, to: secret.count, by: 2).map { UInt8(secret.dropFirst($0).prefix(2), radix: 16)! }
        #expect(try ReplyToken(verifying: address, secret: key).request == id.lowercased(), "the database's HMAC is the one ReplyToken checks")
        let messageID = try #require(notification.split(separator: "\n").first { $0.hasPrefix("Message-ID:") }).dropFirst("Message-ID: <".count).dropLast()
        #expect(try f.sql().query("SELECT count(*) FROM outbox WHERE message_id = \(String(messageID))").first!.decode(0, as: Int.self) == 1)
        // An auto-reply to the answer (a vacation notice) is never answered, nor is a bounce.
        let vacation = MailSamples.message(["From: bert@beta.ee", "To: devworkflow@localhost", "Subject: Out of office", "Message-ID: <away@beta.ee>",
                                            "Auto-Submitted: auto-replied", "In-Reply-To: <over@beta.ee>", "", "I am away until Monday."])
        let bounce = MailSamples.message(["From: MAILER-DAEMON@beta.ee", "Return-Path: <>", "To: \(bert)", "Subject: Undelivered", "Message-ID: <bounce@beta.ee>",
                                          "", "550 no such user"])
        #expect(try Self.receive(f, vacation).json["outcome"] == "ignored")
        #expect(try Self.receive(f, bounce).json["outcome"] == "ignored")
        #expect(try Self.refusals(f) == ["bert@beta.ee"])
        // A reply to the sent notification by its Message-ID alone (no reply address): a comment is
        // taken, a command is not (In-Reply-To can be guessed).
        let byReference = Self.thunderbird(from: "bert@beta.ee", to: "devworkflow@dw.example", id: "ref1@beta.ee", inReplyTo: String(messageID),
                                           text: "Thank you, we will look at it.")
        let viaReference = try Self.receive(f, byReference)
        let owner = try f.sql().query("SELECT outbox_login(recipient) FROM outbox WHERE message_id = \(String(messageID))").first!.decode(0, as: String.self)
        #expect(viaReference.json["outcome"] == (owner == f.vendorB ? "applied" : "refused"), "\(viaReference.json)")
    }

    @Test func theMaildirTakesTheSameRepliesAndSaysWhyNot() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let maildir = workPath("Maildir")
        for folder in ["new", "cur", "tmp"] { try FileManager.default.createDirectory(atPath: "\(maildir)/\(folder)", withIntermediateDirectories: true) }
        let good = Self.gmail(from: "anna@acme.ee", to: anna, id: "md1@acme.ee", text: "pakkumine: 8 h; 600,00; \(Fixture.today.adding(days: 20).description)")
        let forged = Self.thunderbird(from: "anna@acme.ee", to: anna, id: "md2@acme.ee", text: "quote: 1 h; 1.00; 2099-01-01",
                                      authentication: "dkim=fail header.d=acme.ee")
        try Data(good).write(to: URL(fileURLWithPath: "\(maildir)/new/1.good.host"))
        try Data(forged).write(to: URL(fileURLWithPath: "\(maildir)/new/2.forged.host"))
        try Data("not a message at all".utf8).write(to: URL(fileURLWithPath: "\(maildir)/new/3.junk.host"))
        try Data(Self.latin9(to: anna, id: "md4@acme.ee", subject: "Re: =?iso-8859-15?q?K=FCsimus?=",
                             text: "Kas 1 440,00 € on ilma käibemaksuta? Šabloonid ja žürii on hinnas."))
            .write(to: URL(fileURLWithPath: "\(maildir)/new/4.latin9.host"))
        let file = workPath("maildir.jsonl")
        let run = try Binary.run("workflowd", ["--once", "--maildir", maildir, "--reply-domain", Self.domain, "--file", file, "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("mail_applied=2 mail_not_applied=2"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/new").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/cur").sorted() == ["1.good.host:2,S", "4.latin9.host:2,S"])
        #expect(try f.sql().query("SELECT body FROM comment WHERE request_id = \(id) ORDER BY id DESC LIMIT 1").first?.decode(0, as: String.self)
                == "Kas 1 440,00 € on ilma käibemaksuta? Šabloonid ja žürii on hinnas.", "8-bit Latin-9 from the Maildir, letter for letter")
        let failed = try FileManager.default.contentsOfDirectory(atPath: "\(maildir)/failed").sorted()
        #expect(failed == ["2.forged.host", "2.forged.host.reason", "3.junk.host", "3.junk.host.reason"])
        #expect(try String(contentsOfFile: "\(maildir)/failed/2.forged.host.reason", encoding: .utf8).hasPrefix("refused: the message's origin could not be confirmed: dkim said fail"))
        #expect(try String(contentsOfFile: "\(maildir)/failed/3.junk.host.reason", encoding: .utf8).hasPrefix("unreadable:"))
        #expect(try f.sql().query("SELECT price::text FROM quote WHERE request_id = \(id) AND vendor = 'ACME'").first!.decode(0, as: String.self) == "600.00")
        // The same pass sent the one answer, in Anna's language.
        let answers = try jsonLines(file).filter { $0["transition"] == "mail_refused" }
        #expect(answers.count == 1 && answers.first?["to"] == ["anna@acme.ee"] && answers.first?["lang"] == "et")
        #expect(answers.first?["body"]?.plain.contains("Põhjus: kirja päritolu ei leidnud kinnitust: dkim andis tulemuse fail") == true)
    }

    /// Everything workflowd sends in one pass, as a fake sendmail receives each message.
    static func sent(_ f: Fixture) throws -> [String] {
        let fake = workPath("sendmail"), folder = workPath("sent")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try writeScript("#!/bin/sh\ncat > \(folder)/$$.eml\n", to: fake)
        let run = try Binary.run("workflowd", ["--once", "--sendmail", fake, "--reply-domain", Self.domain, "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        return try FileManager.default.contentsOfDirectory(atPath: folder).map { try String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8) }
    }

    /// Evolution writing 8-bit ISO-8859-15 from Anna, her name an RFC 2047 word in the same charset.
    static func latin9(to: String, id: String, subject: String, text: String) -> [UInt8] {
        let body = text + "\n\nOn Wed, 2026-12-02 at 09:00 +0200, DevWorkflow wrote:\n> Tere!\n> Arendustellimus ootab hinnapakkumist.\n\n-- \nAnna Ääremaa, Acme OÜ\n"
        return MailSamples.message([
            "Authentication-Results: mx.dw.example; dkim=pass header.d=acme.ee; spf=pass smtp.mailfrom=acme.ee",
            "From: =?ISO-8859-15?Q?Anna_=C4=E4remaa?= <anna@acme.ee>",
            "To: \(to)",
            "Subject: \(subject)",
            "Message-ID: <\(id)>",
            "Date: Thu, 03 Dec 2026 10:00:00 +0200",
            "X-Mailer: Evolution 3.46.4-2",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=\"ISO-8859-15\"",
            "Content-Transfer-Encoding: 8bit",
            "",
        ]) + MailSamples.bytes(body.replacingOccurrences(of: "\n", with: "\r\n"), in: .iso885915)
    }

    /// An older client (Evolution, mutt) writing 8-bit ISO-8859-15: the euro sign is one byte
    /// (0xA4), š and ž are Latin-9's own; the name and the subject are RFC 2047 words in the same
    /// charset. The quote is read and recorded, the remark is a comment, letter for letter.
    @Test func aLatin9ReplyIsReadLetterForLetter() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let due = Fixture.today.adding(days: 25)
        let dotted = String(format: "%02d.%02d.%04d", due.day, due.month, due.year)
        let message = Self.latin9(to: anna, id: "latin9-1@acme.ee", subject: "Re: [\(id)] =?iso-8859-15?q?Hinnapakkumine_=A4_=A8ablooni_j=E4rgi?=",
                                  text: "pakkumine: 18 h; 1 440,00 €; \(dotted)\nHinnas on šabloonid ja žürii ülevaatus, õhtuti ka.")
        #expect(message.contains(0xA4) && message.contains(0xA8) && message.contains(0xB8), "the euro, š and ž as Latin-9 bytes")
        let answer = try Self.receive(f, message)
        #expect(answer.status == 0 && answer.json["outcome"] == "applied" && answer.json["asked"] == "quote", "\(answer.json)")
        let row = try f.sql().query("SELECT hours::text, price::text, delivery::text FROM quote WHERE request_id = \(id) AND vendor = 'ACME'").first
        #expect(try row?.decode(0, as: String.self) == "18.00" && row?.decode(1, as: String.self) == "1440.00" && row?.decode(2, as: String.self) == due.description)
        let comment = try f.sql().query("SELECT body FROM comment WHERE request_id = \(id)").first?.decode(0, as: String.self)
        #expect(comment == "Hinnas on šabloonid ja žürii ülevaatus, õhtuti ka.", "the quoted part and the signature left out")
        let subject = try f.sql().query("SELECT subject FROM mail_in WHERE message_id = 'latin9-1@acme.ee'").first?.decode(0, as: String.self)
        #expect(subject == "Re: [\(id)] Hinnapakkumine € šablooni järgi")
    }

    /// Two robots can never write to each other: our own answer coming back (as it is, or with
    /// its Auto-Submitted taken off by a forwarder), a list's copy (`Precedence: bulk`) and an
    /// out-of-office reply are neither applied nor answered, however well they are signed.
    @Test func loopsAreImpossible() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let bert = try Self.replyAddress(f, id, f.vendorB)
        let over = Self.thunderbird(from: "bert@beta.ee", to: bert, id: "loop-over@beta.ee",
                                    text: "quote: 1 h; 5000.00; \(Fixture.today.adding(days: 30).description)")
        #expect(try Self.receive(f, over).json["answered"] == true)
        let answer = try #require(try Self.sent(f).first { $0.contains("In-Reply-To: <loop-over@beta.ee>") })
        let before = try Self.business(f)
        let outbox = try f.sql().query("SELECT count(*) FROM outbox").first!.decode(0, as: Int.self)

        // Our answer coming back with its Auto-Submitted taken off and From made Bert's, as a
        // forwarding rule might: known by its Message-ID as our own.
        let forwarded = answer.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("Auto-Submitted:") }
            .map { $0.hasPrefix("From:") ? "From: bert@beta.ee" : String($0) }
            .joined(separator: "\n")
        #expect(!forwarded.contains("Auto-Submitted") && forwarded.contains("Message-ID: <"))
        let own = try Self.receive(f, Array(forwarded.utf8))
        #expect(own.json["outcome"] == "ignored" && own.json["reason"]?["key"] == "error.mail_own", "\(own.json)")
        // Our answer as it was sent, delivered back to the reply domain (a misdirected alias):
        // automatic (and seen already).
        var unchanged = answer.replacingOccurrences(of: "Message-ID: <", with: "Message-ID: <again.")
        let back = try Self.receive(f, Array(unchanged.utf8))
        #expect(back.json["outcome"] == "ignored" && back.json["reason"]?["key"] == "error.mail_automatic", "\(back.json)")
        unchanged = answer
        #expect(try Self.receive(f, Array(unchanged.utf8)).json["outcome"] == "duplicate")
        // A mailing list's copy of a well-signed quote, and a vacation notice to it.
        let list = String(decoding: Self.thunderbird(from: "bert@beta.ee", to: bert, id: "list-1@beta.ee",
                                                     text: "quote: 2 h; 100.00; \(Fixture.today.adding(days: 30).description)"), as: UTF8.self)
            .replacingOccurrences(of: "User-Agent: Mozilla Thunderbird", with: "Precedence: bulk\r\nList-Id: <vendors.beta.ee>")
        let bulk = try Self.receive(f, Array(list.utf8))
        #expect(bulk.json["outcome"] == "ignored" && bulk.json["reason"]?["why"] == "Precedence: bulk", "\(bulk.json)")
        let away = MailSamples.message(["From: bert@beta.ee", "To: \(bert)", "Subject: Automatic reply: Re: [\(id)]", "Message-ID: <away-2@beta.ee>",
                                        "Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All", "", "I am out of the office."])
        #expect(try Self.receive(f, away).json["outcome"] == "ignored")

        #expect(try Self.business(f) == before, "nothing applied")
        #expect(try f.sql().query("SELECT count(*) FROM outbox").first!.decode(0, as: Int.self) == outbox, "nothing answered")
        #expect(try f.sql().query("SELECT count(*) FROM quote WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 0)
        // Nor is there anything left for the daemon to send.
        #expect(try Self.sent(f).isEmpty)
    }

    /// `mail receive`'s text says whether the sender is answered, as its `answered` says: a forged
    /// stranger (no answer, no backscatter) is told of as not answered, a known sender as answered.
    @Test func theTextSaysWhetherTheSenderIsAnswered() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let text = "pakkumine: 10 h; 500,00; \(Fixture.today.adding(days: 30).description)"
        let cases: [(String, String, String, Bool, String)] = [
            ("mallory@evil.example", "dkim=none; spf=none", "en", false, "message not applied (\(id)); its sender is not answered: "),
            ("mallory@evil.example", "dkim=none; spf=none", "et", false, "kirja ei rakendatud (\(id)); saatjale ei vastata: "),
            ("bert@beta.ee", "dkim=pass header.d=beta.ee; spf=pass", "en", true, "message not applied (\(id)); its sender is answered: "),
            ("bert@beta.ee", "dkim=pass header.d=beta.ee; spf=pass", "et", true, "kirja ei rakendatud (\(id)); saatjale vastatakse: "),
        ]
        for (n, (from, authentication, language, answered, expected)) in cases.enumerated() {
            let message = Self.thunderbird(from: from, to: anna, id: "text-\(n)@x", text: text, authentication: authentication)
            let run = try Binary.run("workflowctl", ["mail", "receive", "--lang", language, "--domain", Self.domain, "--database", try f.db.conninfo()],
                                     bytes: message)
            #expect(run.status == 0 && run.stdout.hasPrefix(expected), "\(from) \(language): \(run.stdout)\(run.stderr)")
            let recorded = try f.sql().query("SELECT answered FROM mail_in WHERE message_id = \("text-\(n)@x")").first!.decode(0, as: Bool.self)
            #expect(recorded == answered, "\(from): answered is the database's")
        }
        #expect(try !Self.refusals(f).contains("mallory@evil.example"))
    }

    /// Someone the product does not know, whose server vouched for them (DKIM and SPF pass), is
    /// told once why nothing happened, in the language their mail said it was written in.
    @Test func anAuthenticatedStrangerIsAnsweredInTheLanguageTheyWrote() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        func stranger(_ from: String, _ language: String, _ messageID: String) -> [UInt8] {
            let text = String(decoding: Self.thunderbird(from: from, to: anna, id: messageID, text: "Could you send me the specification?",
                                                          authentication: "dkim=pass header.d=partner.example; spf=pass smtp.mailfrom=partner.example"),
                              as: UTF8.self)
            return Array(text.replacingOccurrences(of: "Content-Language: et", with: "Content-Language: \(language)").utf8)
        }
        for (from, language, expected) in [("carol@partner.example", "en-GB", "en"), ("kalle@partner.example", "et-EE", "et")] {
            let answer = try Self.receive(f, stranger(from, language, "\(from).1"))
            #expect(answer.json["reason"]?["key"] == "error.mail_other_sender" && answer.json["answered"] == true, "\(answer.json)")
            let lang = try f.sql().query("SELECT lang FROM outbox WHERE transition = 'mail_refused' AND recipient = \(from)").map { try $0.decode(0, as: String.self) }
            #expect(lang == [expected], "\(from)")
        }
        let sent = try Self.sent(f).filter { $0.contains("In-Reply-To: <carol@partner.example.1>") || $0.contains("In-Reply-To: <kalle@partner.example.1>") }
        #expect(sent.count == 2)
        let english = try #require(sent.first { $0.contains("To: carol@partner.example") || $0.contains("<carol@partner.example>") })
        #expect(english.contains("Content-Language: en") && english.contains("Your message was not applied"))
        let estonian = try #require(sent.first { $0.contains("kalle@partner.example>") || $0.contains("To: kalle@partner.example") })
        #expect(estonian.contains("Content-Language: et"))
        #expect(try f.sql().query("SELECT count(*) FROM quote WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 0)
    }

    /// With no Content-Language of its own, a stranger's answer is in the language of the person
    /// the reply address was written for (Anna reads English: so does whom she forwarded it to);
    /// its reason ends with a full stop and is not said twice.
    @Test func aStrangerWithoutALanguageIsAnsweredInTheThreadsLanguage() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        try f.store().editPerson(f.vendorA, lang: "en")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let text = String(decoding: Self.thunderbird(from: "mallory@evil.example", to: anna, id: "m1@evil.example", text: "Hello?",
                                                     authentication: "dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=evil.example"),
                          as: UTF8.self).replacingOccurrences(of: "Content-Language: et\r\n", with: "").replacingOccurrences(of: "Content-Language: et\n", with: "")
        let answer = try Self.receive(f, Array(text.utf8))
        #expect(answer.json["answered"] == true, "\(answer.json)")
        let lang = try f.sql().query("SELECT lang FROM outbox WHERE transition = 'mail_refused' AND recipient = 'mallory@evil.example'").map { try $0.decode(0, as: String.self) }
        #expect(lang == ["en"])
        let sent = try #require(try Self.sent(f).first { $0.contains("In-Reply-To: <m1@evil.example>") })
        let body = sent.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=\n", with: "")
        #expect(body.contains("(nor one of the same vendor's people).") && !body.contains("Reply from the address the message came to"), "\(sent)")
    }

    /// `--authserv-id` names the receiving server: only its Authentication-Results count, and a
    /// message it does not show passing is refused — no header at all (the trial's forged From:),
    /// a sender's own "pass" under another server's name, "none". Its own pass applies.
    @Test func withAnAuthservIdOnlyThatServersPassApplies() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let text = "pakkumine: 10 h; 500,00; \(Fixture.today.adding(days: 30).description)"
        func message(_ n: Int, header: String?) -> [UInt8] {
            let raw = String(decoding: Self.thunderbird(from: "anna@acme.ee", to: anna, id: "auth\(n)@acme.ee", text: text), as: UTF8.self)
            let line = raw.components(separatedBy: "\r\n").first { $0.hasPrefix("Authentication-Results:") }!
            return Array(raw.replacingOccurrences(of: line + "\r\n", with: header.map { $0 + "\r\n" } ?? "").utf8)
        }
        func receive(_ bytes: [UInt8], trusting: String? = "mx.dw.example") throws -> JSONValue {
            let run = try Binary.run("workflowctl", ["mail", "receive", "--json", "--domain", Self.domain] + (trusting.map { ["--authserv-id", $0] } ?? [])
                                     + ["--database", try f.db.conninfo()], bytes: bytes)
            #expect(run.status == 0, "\(run.stderr)")
            return try JSONValue.parse(run.stdout)
        }
        let before = try Self.business(f)
        // The refusal names what the trusted server found: nothing, or its first result that is no pass.
        for (n, header, said) in [(1, nil, "none"), (2, "Authentication-Results: mx.evil.example; dkim=pass header.d=acme.ee; spf=pass", "none"),
                                  (3, "Authentication-Results: mx.dw.example; dkim=none; spf=none", "none"),
                                  (7, "Authentication-Results: mx.dw.example; spf=neutral smtp.mailfrom=acme.ee", "neutral")] as [(Int, String?, String)] {
            let answer = try receive(message(n, header: header))
            #expect(answer["outcome"] == "refused" && answer["reason"]?["key"] == "error.mail_not_authenticated", "\(n): \(answer)")
            #expect(answer["reason"]?["result"]?.plain == said, "\(n): \(answer)")
        }
        #expect(try Self.business(f) == before)
        // Without --authserv-id, a message with no result is taken on its From: (the README says so).
        #expect(try receive(message(4, header: nil), trusting: nil)["outcome"] == "applied")
        // workflowd --maildir takes the same option: a pass from a server it does not trust is refused.
        let maildir = workPath("Maildir-authserv")
        for folder in ["new", "cur", "tmp"] { try FileManager.default.createDirectory(atPath: "\(maildir)/\(folder)", withIntermediateDirectories: true) }
        try Data(message(6, header: "Authentication-Results: mx.dw.example; dkim=pass header.d=acme.ee")).write(to: URL(fileURLWithPath: "\(maildir)/new/6.host"))
        let daemon = try Binary.run("workflowd", ["--once", "--maildir", maildir, "--reply-domain", Self.domain, "--authserv-id", "mx.other.example",
                                                  "--file", workPath("authserv.jsonl"), "--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
        #expect(daemon.stderr.contains("mail_applied=0 mail_not_applied=1"), "\(daemon.stderr)")
        #expect(try String(contentsOfFile: "\(maildir)/failed/6.host.reason", encoding: .utf8).hasPrefix("refused: the message's origin could not be confirmed"))
        let trusted = try receive(message(5, header: "Authentication-Results: MX.dw.example; dkim=pass header.d=acme.ee"))
        #expect(trusted["outcome"] == "applied", "\(trusted)")
    }

    /// At most once even when an MTA hands the same message to several pipes at the same moment
    /// (a retried delivery, two MX hosts): one applies it, the others see a duplicate.
    @Test func theSameMessageHandedInAtOnceIsAppliedOnce() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let message = Self.thunderbird(from: "anna@acme.ee", to: anna, id: "twice@acme.ee",
                                       text: "pakkumine: 10 h; 800,00; \(Fixture.today.adding(days: 30).description)\nKaks korda saadetud.")
        let outcomes = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let outcome = (try? Self.receive(f, message).json["outcome"]?.plain) ?? "error"
            outcomes.withValue { $0.append(outcome) }
        }
        #expect(outcomes.current.sorted() == ["applied", "duplicate", "duplicate", "duplicate"], "\(outcomes.current)")
        #expect(try f.sql().query("SELECT count(*) FROM quote WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 1)
        #expect(try f.sql().query("SELECT count(*) FROM comment WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 1)
        #expect(try f.sql().query("SELECT count(*) FROM mail_in WHERE message_id = 'twice@acme.ee'").first!.decode(0, as: Int.self) == 1)
    }

    /// The issue's "done when": a vendor whose person has no database login at all is invited by
    /// mail and quotes by answering that very mail, through the reply address workflowd wrote.
    @Test func aVendorWithoutALoginIsInvitedAndQuotesThroughTheAddressItWasSent() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.addVendor(key: "DELTA", name: "Delta OÜ", email: "info@delta.ee")
        try admin.addContract(vendor: "DELTA", number: "RL-DELTA", from: Fixture.today.adding(days: -10), to: Fixture.today.adding(days: 300),
                              rate: Money(cents: 7500), cap: Money(cents: 5_000_000))
        let tiina = "tiina_\(f.db.name.suffix(8))"
        try admin.addPerson(login: tiina, name: "Tiina Tamm", email: "tiina@delta.ee", role: .vendor, vendor: "DELTA")
        #expect(try f.sql().query("SELECT count(*) FROM pg_roles WHERE rolname = \(tiina)").first!.decode(0, as: Int.self) == 0, "no login")
        let id = try f.request(in: "prioritised")
        _ = try admin.move(id, "request_quote", inputs: .init(vendors: ["DELTA"]))

        let invitation = try #require(try Self.sent(f).first { $0.contains("To: Tiina Tamm <tiina@delta.ee>") })
        // Read back as a mail client would (its body is quoted-printable).
        let mail = try MailMessage(parsing: Array(invitation.utf8))
        #expect(mail.cc.map(\.address) == ["info@delta.ee"], "the vendor's company address")
        #expect(mail.text.contains("Hinnapakkumise esitamiseks vastake sellele kirjale, kirjutades esimesele reale: pakkumine: 12 h; 1500,00; 20.12.2026"),
                "the mail says how to answer, in Tiina's language")
        #expect(!mail.text.contains("workflowctl"), "no command for someone who cannot log in: \(mail.text)")
        let address = try #require(mail.replyTo.first?.address)
        #expect(address.hasPrefix("reply+\(id.lowercased()).\(tiina).") && address.hasSuffix("@\(Self.domain)"), "\(address)")
        let messageID = try #require(mail.messageID)

        let due = Fixture.today.adding(days: 40)
        let reply = Self.thunderbird(from: "tiina@delta.ee", to: address, id: "tiina-1@delta.ee", inReplyTo: String(messageID),
                                     text: "pakkumine: 20 h; 1 500,00; \(due.description)")
        let answer = try Self.receive(f, reply)
        #expect(answer.json["outcome"] == "applied", "\(answer.json)")
        let row = try f.sql().query("SELECT price::text, quoted_by FROM quote WHERE request_id = \(id) AND vendor = 'DELTA'").first
        #expect(try row?.decode(0, as: String.self) == "1500.00" && row?.decode(1, as: String.self) == tiina)
        #expect(try f.sql().query("SELECT state FROM request WHERE id = \(id)").first!.decode(0, as: String.self) == "quoted")
        // The same address read by someone else (a person of another vendor) moves nothing.
        let bert = Self.thunderbird(from: "bert@beta.ee", to: address, id: "bert-on-delta@beta.ee", text: "pakkumine: 1 h; 1,00; \(due.description)")
        #expect(try Self.receive(f, bert).json["reason"]?["key"] == "error.mail_other_sender")
        #expect(try f.sql().query("SELECT count(*) FROM quote WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 1)
    }

    /// A refusal names the request, its title and a reply address only to a sender who may read
    /// the request (sql/0053): a person of a vendor that was not invited, writing to an address it
    /// was forwarded, is told why, of no request; one of an invited vendor is told which.
    @Test func aRefusalNamesTheRequestOnlyToWhoMayReadIt() throws {
        let f = try Fixture()
        let id = try f.request(in: "prioritised")
        _ = try f.store().move(id, "request_quote", inputs: .init(vendors: ["ACME"]))
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let bert = Self.thunderbird(from: "bert@beta.ee", to: anna, id: "bert-forwarded@beta.ee", text: "Kas see on meile?")
        #expect(try Self.receive(f, bert).json["reason"]?["key"] == "error.mail_other_sender")
        let told = try f.sql().query("""
            SELECT request_id, payload ->> 'title' IS NULL, payload ->> 'request' IS NULL FROM outbox
            WHERE transition = 'mail_refused' AND recipient = 'bert@beta.ee'
            """)
        #expect(told.count == 1)
        #expect(try told.first?.decode(0, as: String.self) == "" && told.first?.decode(1, as: Bool.self) == true
                && told.first?.decode(2, as: Bool.self) == true, "BETA is not invited: nothing of the request")
        // Invited, BETA is told which request refused it.
        _ = try f.store().move(id, "invite", inputs: .init(vendors: ["BETA"]))
        let again = Self.thunderbird(from: "bert@beta.ee", to: anna, id: "bert-invited@beta.ee", text: "Kas see on meile?")
        #expect(try Self.receive(f, again).json["reason"]?["key"] == "error.mail_other_sender")
        let named = try f.sql().query("SELECT request_id FROM outbox WHERE transition = 'mail_refused' AND recipient = 'bert@beta.ee' ORDER BY id DESC LIMIT 1")
        #expect(try named.first?.decode(0, as: String.self) == id)
    }

    /// A requester answers as themselves: a question is their comment; a delivery line is refused
    /// with the very refusal the command line gives that person.
    @Test func aRequesterRepliesAsThemselvesUnderTheSameRules() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        let rein = try Self.replyAddress(f, id, f.requester)
        let question = Self.gmail(from: "rein@example.ee", to: rein, id: "rein-1@example.ee", text: "Millal saab uut versiooni proovida?")
        #expect(try Self.receive(f, question).json["outcome"] == "applied")
        let comment = try f.sql().query("SELECT author, body FROM comment WHERE request_id = \(id) ORDER BY id DESC LIMIT 1").first
        #expect(try comment?.decode(0, as: String.self) == f.requester && comment?.decode(1, as: String.self) == "Millal saab uut versiooni proovida?")

        let cli = try #require(throws: WorkflowError.self) { try f.store(as: f.requester).move(id, "deliver", inputs: .init(note: "valmis")) }
        let before = try Self.business(f)
        let deliver = Self.thunderbird(from: "rein@example.ee", to: rein, id: "rein-2@example.ee", text: "deliver: done")
        let answer = try Self.receive(f, deliver)
        #expect(answer.json["outcome"] == "refused" && answer.json["reason"]?["key"] == .string(cli.text.key), "\(answer.json) vs \(cli.text.key)")
        #expect(try Self.business(f) == before)
        #expect(try f.sql().query("SELECT state FROM request WHERE id = \(id)").first!.decode(0, as: String.self) == "ordered")
    }

    /// exim, the real MTA Debian ships, delivers a reply to `workflowctl mail receive` through its
    /// pipe transport, as a mail server of a municipality would. When exim is missing the test
    /// installs it from Debian (scripts/install-deps does too), and fails if it cannot.
    @Test func aReplyDeliveredByEximThroughItsPipe() throws {
        if Subprocess.which("exim4") == nil, getuid() == 0 {
            _ = try Subprocess.run("/usr/bin/apt-get", ["install", "-y", "-qq", "--no-install-recommends", "exim4-daemon-light"], timeout: 600)
        }
        guard let exim = Subprocess.which("exim4") else {
            Issue.record("no exim4 and it could not be installed (apt-get install exim4-daemon-light, as root)")
            return
        }
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let anna = try Self.replyAddress(f, id, f.vendorA)
        let work = workPath("exim")
        for folder in ["spool", "log"] { try FileManager.default.createDirectory(atPath: "\(work)/\(folder)", withIntermediateDirectories: true) }
        // Debian's exim gives up root for a configuration named with -C: it runs as its own user,
        // which then owns the spool and runs the pipe.
        _ = try Subprocess.run("/bin/chown", ["-R", "Debian-exim:Debian-exim", work])
        let config = """
            primary_hostname = \(Self.domain)
            domainlist local_domains = \(Self.domain)
            exim_user = Debian-exim
            exim_group = Debian-exim
            spool_directory = \(work)/spool
            log_file_path = \(work)/log/%slog
            begin routers
            devworkflow:
              driver = accept
              domains = +local_domains
              local_part_prefix = reply+
              transport = devworkflow_pipe
            begin transports
            devworkflow_pipe:
              driver = pipe
              command = \(try Binary.path("workflowctl")) mail receive --domain \(Self.domain) --database "\(try f.db.conninfo(user: f.admin))"
              user = Debian-exim
              group = Debian-exim
              return_fail_output
              temp_errors = 75
              log_output

            """
        try config.write(toFile: "\(work)/exim.conf", atomically: true, encoding: .utf8)
        let message = Self.thunderbird(from: "anna@acme.ee", to: anna, id: "exim1@acme.ee", text: "Kas tööd võib alustada juba enne tellimust?")
        let run = try Subprocess.run(exim, ["-C", "\(work)/exim.conf", "-odi", "-f", "anna@acme.ee", anna], input: String(decoding: message, as: UTF8.self), timeout: 120)
        let log = (try? String(contentsOfFile: "\(work)/log/mainlog", encoding: .utf8)) ?? ""
        #expect(run.status == 0, "\(run.stderr)\n\(log)")
        #expect(log.contains("T=devworkflow_pipe") && log.contains("Completed"), "\(log)")
        let row = try f.sql().query("SELECT outcome, actor, comment_id IS NOT NULL FROM mail_in WHERE message_id = 'exim1@acme.ee'").first
        #expect(try row?.decode(0, as: String.self) == "applied" && row?.decode(1, as: String.self) == f.vendorA && row?.decode(2, as: Bool.self) == true, "\(log)")
    }
}
