import Foundation
import Testing
@testable import DevWorkflow

@Suite struct MessageRendererTests {
    let renderer = MessageRenderer()

    struct Case: Sendable, CustomTestStringConvertible {
        var key: String
        var message: OutboxMessage
        var headline: String
        var facts: [String]
        var testDescription: String { key }
    }

    static let transitions: [Case] = [
        Case(key: "propose", message: OutboxSamples.notification("propose", from: nil, to: "proposed",
                                                                  inputs: ["title": "Export council minutes as PDF"]),
             headline: "New request",
             facts: ["Jaan Tamm proposed VOLIS-12 \"Export council minutes as PDF\" on 2026-11-25 11:18.", "System: VOLIS",
                     "workflowctl request move VOLIS-12 prioritise --priority N", "workflowctl request move VOLIS-12 reject --reason TEXT"]),
        Case(key: "prioritise", message: OutboxSamples.notification("prioritise", from: "proposed", to: "prioritised", inputs: ["priority": 2]),
             headline: "Prioritised", facts: ["Jaan Tamm prioritised VOLIS-12", "Priority: 2", "will ask vendors for quotes"]),
        Case(key: "reject", message: OutboxSamples.notification("reject", from: "proposed", to: "rejected",
                                                                 inputs: ["reason": "Duplicate of VOLIS-9"]),
             headline: "Rejected", facts: ["Jaan Tamm rejected VOLIS-12", "Reason: Duplicate of VOLIS-9"]),
        Case(key: "request_quote", message: OutboxSamples.notification("request_quote", inputs: ["due": "2026-12-02"]),
             headline: "Quote requested",
             facts: ["Quote due: 2026-12-02", "Please send your quote by 2026-12-02: hours, price and delivery date.",
                     "workflowctl request move VOLIS-12 quote --hours H --price EUR --delivery DATE"]),
        Case(key: "quote", message: OutboxSamples.notification("quote", from: "quote_requested", to: "quoted", inputs: [
            "hours": .number("40"), "price": .number("1200.00"), "delivery": "2027-01-15", "vendor": "ACME",
        ]),
             headline: "Quote received from ACME",
             facts: ["Hours: 40", "Price: 1200.00 EUR", "Delivery date: 2027-01-15",
                     "workflowctl request move VOLIS-12 order --vendor ACME [--deadline DATE]"]),
        Case(key: "order", message: OutboxSamples.notification("order", from: "quoted", to: "ordered", inputs: [
            "vendor": "ACME", "order": "ORD-2026-0007", "price": .number("1200"), "contract": "RH-2025/14", "deadline": "2027-01-15",
        ]),
             headline: "Order ORD-2026-0007",
             facts: ["from ACME", "Order number: ORD-2026-0007", "Contract: RH-2025/14", "Price: 1200.00 EUR", "Deadline: 2027-01-15",
                     "Please deliver by 2027-01-15.", "workflowctl request move VOLIS-12 deliver --note TEXT"]),
        Case(key: "deliver", message: OutboxSamples.notification("deliver", from: "ordered", to: "delivered",
                                                                  inputs: ["note": "Deployed to the test server"]),
             headline: "Delivered",
             facts: ["Note: Deployed to the test server", "workflowctl request move VOLIS-12 accept",
                     "workflowctl request move VOLIS-12 return --reason TEXT"]),
        Case(key: "accept", message: OutboxSamples.notification("accept", from: "delivered", to: "accepted"),
             headline: "Accepted", facts: ["Jaan Tamm accepted the delivery of VOLIS-12", "will release it"]),
        Case(key: "return", message: OutboxSamples.notification("return", from: "delivered", to: "ordered",
                                                                 inputs: ["reason": "No page numbers", "deadline": "2027-01-29"]),
             headline: "Returned",
             facts: ["Reason: No page numbers", "New deadline: 2027-01-29", "deliver again by 2027-01-29",
                     "workflowctl request move VOLIS-12 deliver --note TEXT"]),
        Case(key: "release", message: OutboxSamples.notification("release", from: "accepted", to: "released",
                                                                  inputs: ["version_name": "2.14.0"]),
             headline: "Released in 2.14.0", facts: ["released VOLIS-12", "Version: 2.14.0"]),
        Case(key: "cancel", message: OutboxSamples.notification("cancel", from: "ordered", to: "cancelled",
                                                                 inputs: ["reason": "The law changed"]),
             headline: "Cancelled", facts: ["Jaan Tamm cancelled VOLIS-12", "Reason: The law changed"]),
        Case(key: "invite", message: OutboxSamples.notification("invite", from: "quoted", to: "quoted", inputs: ["due": "2026-12-09"]),
             headline: "Quote requested", facts: ["Quote due: 2026-12-09", "quote --hours H --price EUR --delivery DATE"]),
        // Each party a step touches reads what it means for them.
        Case(key: "cancel@requester", message: OutboxSamples.notification("cancel", from: "quoted", to: "cancelled",
                                                                           inputs: ["reason": "The law changed"], audience: "requester"),
             headline: "Cancelled", facts: ["The change you asked for will not be made", "Reason: The law changed"]),
        Case(key: "cancel@quoting_vendor", message: OutboxSamples.notification("cancel", from: "quoted", to: "cancelled",
                                                                                inputs: ["reason": "The law changed"], audience: "quoting_vendor"),
             headline: "Cancelled", facts: ["No quote is needed for this request any more", "Reason: The law changed"]),
        Case(key: "order@quoting_vendor", message: OutboxSamples.notification("order", from: "quoted", to: "ordered", audience: "quoting_vendor"),
             headline: "Quoting closed", facts: ["was ordered from another vendor", "Thank you for your quote"]),
        Case(key: "import", message: OutboxSamples.notification("import", from: nil, to: nil,
                                                                inputs: ["count": 40, "first": "VOLIS-3", "last": "VOLIS-42"]),
             headline: "40 requests imported", facts: ["imported 40 requests into VOLIS", "(VOLIS-3 to VOLIS-42)"]),
        // Issue 19.
        Case(key: "hold", message: OutboxSamples.notification("hold", from: "ordered", to: "ordered", inputs: ["reason": "Test server down"],
                                                              audience: "ordered_vendor"),
             headline: "Order on hold",
             facts: ["Jaan Tamm stopped the clock of VOLIS-12 \"Export council minutes as PDF\" on 2026-11-25 11:18: the buyer is holding the work up.",
                     "Reason: Test server down", "Days on hold do not count as days late."]),
        Case(key: "resume", message: OutboxSamples.notification("resume", from: "ordered", to: "ordered", audience: "ordered_vendor"),
             headline: "Order resumed",
             facts: ["Jaan Tamm restarted the clock of VOLIS-12", "the work can go on.", "  workflowctl request move VOLIS-12 deliver --note TEXT"]),
        Case(key: "warranty.propose",
             message: OutboxSamples.notification("propose", from: nil, to: "proposed",
                                                 inputs: ["title": "Export council minutes as PDF", "warranty_of": "ORD-2026-0007"]),
             headline: "New warranty claim",
             facts: ["Jaan Tamm filed the warranty claim VOLIS-12 \"Export council minutes as PDF\" on order ORD-2026-0007 on 2026-11-25 11:18.",
                     "Warranty of order: ORD-2026-0007", "Please order the fix from the order's vendor or reject the claim:",
                     "workflowctl request move VOLIS-12 order [--deadline DATE]", "workflowctl request move VOLIS-12 reject --reason TEXT"]),
        Case(key: "warranty.order@ordered_vendor",
             message: OutboxSamples.notification("order", from: "proposed", to: "ordered",
                                                 inputs: ["vendor": "ACME", "order": "ORD-2026-0031", "warranty_of": "ORD-2026-0007",
                                                          "price": "0.00", "deadline": "2026-12-02"], audience: "ordered_vendor"),
             headline: "Warranty fix ORD-2026-0031",
             facts: ["a warranty fix of your order ORD-2026-0007: the defect is to be fixed at no cost.", "Warranty of order: ORD-2026-0007",
                     "Deadline: 2026-12-02", "Please fix the defect by 2026-12-02."]),
    ]

    static let reminders: [Case] = [
        Case(key: "proposed_waiting", message: OutboxSamples.reminder("proposed_waiting", state: "proposed", businessDays: 11),
             headline: "Reminder: waiting for prioritisation",
             facts: ["has waited 11 business days for prioritisation", "workflowctl request move VOLIS-12 prioritise --priority N",
                     "workflowctl request move VOLIS-12 reject --reason TEXT"]),
        Case(key: "quote_overdue", message: OutboxSamples.reminder("quote_overdue", state: "quote_requested", quoteDue: "2026-12-02",
                                                                    businessDays: 2, vendor: "ACME"),
             headline: "Reminder: your quote is overdue",
             facts: ["was due on 2026-12-02", "Overdue by: 2 business days", "adds --vendor ACME",
                     "workflowctl request move VOLIS-12 quote --hours H --price EUR --delivery DATE"]),
        Case(key: "quoted_waiting", message: OutboxSamples.reminder("quoted_waiting", state: "quoted", businessDays: 6),
             headline: "Reminder: quotes wait for a decision",
             facts: ["has had quotes for 6 business days", "workflowctl request move VOLIS-12 order --vendor KEY"]),
        Case(key: "deadline_near", message: OutboxSamples.reminder("deadline_near", deadline: "2026-12-10", businessDays: 3, vendor: "ACME"),
             headline: "Reminder: delivery due 2026-12-10",
             facts: ["The deadline of VOLIS-12 \"Export council minutes as PDF\" is 2026-12-10, in 3 business days.",
                     "workflowctl request move VOLIS-12 deliver --note TEXT"]),
        Case(key: "deadline_passed", message: OutboxSamples.reminder("deadline_passed", occurrence: 2, deadline: "2026-12-10",
                                                                      businessDays: 2, vendor: "ACME"),
             headline: "Deadline 2026-12-10 passed",
             facts: ["was 2026-12-10; the delivery is 2 business days late", "This is reminder number 2", "Vendor: ACME",
                     "workflowctl request move VOLIS-12 deliver --note TEXT", "workflowctl request move VOLIS-12 cancel --reason TEXT"]),
        Case(key: "acceptance_pending", message: OutboxSamples.reminder("acceptance_pending", state: "delivered", businessDays: 11),
             headline: "Reminder: acceptance pending",
             facts: ["has waited 11 business days for acceptance", "workflowctl request move VOLIS-12 accept",
                     "workflowctl request move VOLIS-12 return --reason TEXT"]),
        Case(key: "release_pending", message: OutboxSamples.reminder("release_pending", state: "accepted", businessDays: 21),
             headline: "Reminder: release pending",
             facts: ["accepted 21 business days ago", "workflowctl request move VOLIS-12 release --version-name V"]),
        Case(key: "warranty_fix_near", message: OutboxSamples.reminder("warranty_fix_near", deadline: "2026-12-10", businessDays: 1, vendor: "ACME"),
             headline: "Reminder: warranty fix due 2026-12-10",
             facts: ["is due on 2026-12-10, in 1 business day.", "Please fix the defect in time (at no cost)"]),
        Case(key: "warranty_fix_passed", message: OutboxSamples.reminder("warranty_fix_passed", deadline: "2026-12-10", businessDays: 2, vendor: "ACME"),
             headline: "Warranty fix deadline 2026-12-10 passed",
             facts: ["was due on 2026-12-10; it is 2 business days late.", "Vendor: ACME", "a warranty fix is at the vendor's cost"]),
        Case(key: "warranty_ending", message: MessageLanguageTests.warrantyEnding(lang: "en", title: "Export council minutes as PDF"), headline: "Warranty ends 2027-01-14",
             facts: ["The warranty of VOLIS-12 \"Export council minutes as PDF\", order ORD-2026-0007, ends on 2027-01-14.",
                     "  workflowctl request new --warranty-of ORD-2026-0007 --title TEXT"]),
    ]

    @Test(arguments: transitions + reminders)
    func namesTheRequestAndTheKeyFacts(_ c: Case) {
        let rendered = renderer.render(c.message)
        #expect(rendered.subject == "[VOLIS-12] \(c.headline): Export council minutes as PDF")
        #expect(rendered.body.hasPrefix(c.message.kind == .notification ? "Hello Mari Maasikas,\n\n" : "Hello Jaan Tamm,\n\n"))
        for fact in c.facts {
            #expect(rendered.body.contains(fact), "\(c.key): \(fact)\n\(rendered.body)")
        }
        #expect(!rendered.body.contains("{") && !rendered.body.contains("}"), "no placeholder left: \(rendered.body)")
        #expect(rendered.body.hasSuffix("workflowctl request show VOLIS-12\n"))
    }

    @Test func everyTransitionOfTheWorkflowHasItsOwnText() throws {
        let names = ["propose", "import"] + (try Definitions.smallDevelopment).transitions.map(\.name)
        #expect(Set(names) == Set(Self.transitions.map(\.key).filter { !$0.contains("@") && !$0.hasPrefix("warranty.") }))
        for name in names {
            let subject = renderer.render(OutboxSamples.notification(name)).subject
            #expect(!subject.hasPrefix("[VOLIS-12] Update"), "\(name) falls back to the generic text")
        }
    }

    /// A warranty claim goes straight to an order or a rejection (the warranty road has no
    /// prioritising): its product owner is not asked to prioritise it, in either language.
    @Test func aWarrantyClaimAsksForTheFixNotAPriority() {
        for lang in ["en", "et"] {
            var message = OutboxSamples.notification("propose", from: nil, to: "proposed",
                                                     inputs: ["title": "Eksport katkeb", "warranty_of": "ORD-2026-0007"])
            message.lang = lang
            let body = renderer.render(message).body
            #expect(!body.contains("prioritise") && !body.contains("prioriteet"), "\(lang): \(body)")
            #expect(body.contains("move VOLIS-12 order") && body.contains("ORD-2026-0007"), "\(lang): \(body)")
        }
    }

    @Test func quoteRequestReadsInFull() {
        let rendered = renderer.render(OutboxSamples.notification("request_quote", inputs: ["due": "2026-12-02"]))
        #expect(rendered.subject == "[VOLIS-12] Quote requested: Export council minutes as PDF")
        #expect(rendered.body == """
            Hello Mari Maasikas,

            Jaan Tamm asked you for a quote for VOLIS-12 "Export council minutes as PDF" on 2026-11-25 11:18.

            Quote due: 2026-12-02

            Please send your quote by 2026-12-02: hours, price and delivery date.
            Record it with (a product owner recording it for you adds --vendor KEY):
              workflowctl request move VOLIS-12 quote --hours H --price EUR --delivery DATE
            Or reply to this message with the first line: quote: 12 h; 1500.00; 2026-12-20 (hours; price in euros; delivery date).

            --\u{20}
            Sent by DevWorkflow about VOLIS-12. To see it: workflowctl request show VOLIS-12

            """)
    }

    /// A vendor who cannot log in is told how to quote by replying, in its language, and is shown
    /// no command; one who can log in is shown both; unknown (a message rendered outside the
    /// daemon) reads as before.
    @Test func anInvitationToSomeoneWithoutALoginSaysHowToReplyAndNoCommand() {
        for transition in ["request_quote", "invite"] {
            var message = OutboxSamples.notification(transition, inputs: ["due": "2026-12-02"])
            message.recipientLogsIn = false
            let english = renderer.render(message).body
            #expect(english.contains("To quote, reply to this message with the first line: quote: 12 h; 1500.00; 2026-12-20 (hours; price in euros; delivery date)."),
                    "\(english)")
            #expect(!english.contains("workflowctl") && !english.contains("Record it with") && !english.contains("Or reply"), "\(english)")
            #expect(english.hasSuffix("-- \nSent by DevWorkflow about VOLIS-12.\n"), "\(english)")
            message.lang = "et"
            let estonian = renderer.render(message).body
            #expect(estonian.contains("Hinnapakkumise esitamiseks vastake sellele kirjale, kirjutades esimesele reale: pakkumine: 12 h; 1500,00; 20.12.2026"),
                    "\(estonian)")
            #expect(!estonian.contains("workflowctl"), "\(estonian)")

            message.recipientLogsIn = true
            let both = renderer.render(message).body
            #expect(both.contains("workflowctl request move VOLIS-12 quote --hours H --price EUR --delivery DATE"))
            #expect(both.contains("Võite ka vastata sellele kirjale, kirjutades esimesele reale: pakkumine: 12 h; 1500,00; 20.12.2026"))
            #expect(!both.contains("Hinnapakkumise esitamiseks vastake"))
            message.recipientLogsIn = nil
            #expect(renderer.render(message).body == both)
        }
        // The other mails a vendor answers by mail: an order (deliver), an answer to its question.
        for (transition, reply) in [("order", "To report the delivery, reply to this message with the first line: deliver: a note on the work done."),
                                    ("comment", "To answer, reply to this message: your reply is added to the request as a comment, and the files you attach as its files.")] {
            var message = OutboxSamples.notification(transition, from: "quoted", to: transition == "order" ? "ordered" : "quoted",
                                                     inputs: ["vendor": "ACME", "deadline": "2026-12-20"])
            message.recipientLogsIn = false
            let body = renderer.render(message).body
            #expect(body.contains(reply) && !body.contains("workflowctl"), "\(transition): \(body)")
        }
        // Reminders too: a quote overdue, a deadline near or passed.
        for rule in ["quote_overdue", "deadline_near", "deadline_passed"] {
            var message = OutboxSamples.reminder(rule, deadline: "2026-12-20", quoteDue: "2026-12-01", vendor: "ACME")
            message.recipientLogsIn = false
            let body = renderer.render(message).body
            #expect(body.contains("reply to this message with the first line") && !body.contains("workflowctl"), "\(rule): \(body)")
        }
    }

    /// Without the command, no sentence is left introducing it ("record the delivery with.",
    /// "sisestage üleandmine käsuga."): every mail a vendor without a login gets, in both languages.
    @Test func noSentenceIsLeftIntroducingACommandThatIsNotShown() {
        var messages = [OutboxSamples.notification("resume", from: "ordered", to: "ordered", inputs: ["vendor": "ACME", "reason": "x"]),
                        OutboxSamples.notification("order", from: "quoted", to: "ordered", inputs: ["vendor": "ACME", "deadline": "2026-12-20"]),
                        OutboxSamples.notification("return", from: "delivered", to: "ordered", inputs: ["reason": "x", "deadline": "2026-12-20"])]
        for rule in ["quote_overdue", "deadline_near", "deadline_passed", "warranty_fix_near"] {
            messages.append(OutboxSamples.reminder(rule, deadline: "2026-12-20", quoteDue: "2026-12-01", vendor: "ACME"))
        }
        for var message in messages {
            message.recipientLogsIn = false
            for language in ["et", "en"] {
                message.lang = language
                let body = renderer.render(message).body
                let dangling = body.split(separator: "\n").filter { $0.hasSuffix("käsuga.") || $0.hasSuffix(" with.") || $0.hasSuffix("record the delivery.") || $0.hasSuffix(":") }
                #expect(dangling.isEmpty && !body.contains("workflowctl"), "\(message.kind) \(language): \(dangling)\n\(body)")
            }
        }
    }

    @Test func returnWithoutNewDeadlineReadsInFull() {
        let message = OutboxSamples.notification("return", from: "delivered", to: "ordered",
                                                 inputs: ["reason": "PDF has no page numbers\r\nand the logo is missing"])
        let rendered = renderer.render(message)
        #expect(rendered.subject == "[VOLIS-12] Returned: Export council minutes as PDF")
        #expect(rendered.body == """
            Hello Mari Maasikas,

            Jaan Tamm returned the delivery of VOLIS-12 "Export council minutes as PDF" on 2026-11-25 11:18.

            Reason: PDF has no page numbers
              and the logo is missing

            Please fix what the reason names and deliver again by the order's deadline:
              workflowctl request move VOLIS-12 deliver --note TEXT
            Or reply to this message with the first line: deliver: a note on the work done.

            --\u{20}
            Sent by DevWorkflow about VOLIS-12. To see it: workflowctl request show VOLIS-12

            """)
    }

    @Test func escalatedOverdueReminderReadsInFull() {
        let message = OutboxSamples.reminder("deadline_passed", occurrence: 6, deadline: "2026-12-10", businessDays: 11,
                                             escalation: true, vendor: "ACME", recipientName: "Anu Admin")
        let rendered = renderer.render(message)
        #expect(rendered.subject == "[VOLIS-12] Deadline 2026-12-10 passed (escalated): Export council minutes as PDF")
        #expect(rendered.body == """
            Hello Anu Admin,

            The deadline of VOLIS-12 "Export council minutes as PDF" was 2026-12-10; the delivery is 11 business days late.
            This is reminder number 6 about this.

            Vendor: ACME

            You receive this as an administrator too, because the request is 11 business days overdue.

            Vendor: please deliver now, or tell the product owner when you will:
              workflowctl request move VOLIS-12 deliver --note TEXT
            Product owner: please follow up with the vendor, or cancel the order:
              workflowctl request move VOLIS-12 cancel --reason TEXT

            --\u{20}
            Sent by DevWorkflow about VOLIS-12. To see it: workflowctl request show VOLIS-12

            """)
    }

    @Test func firstReminderDoesNotCountItself() {
        let rendered = renderer.render(OutboxSamples.reminder("deadline_passed", deadline: "2026-12-10", businessDays: 1))
        #expect(!rendered.body.contains("reminder number"))
        #expect(!rendered.subject.contains("escalated"))
        #expect(rendered.body.contains("the delivery is 1 business day late"), "\(rendered.body)")
        let eleven = renderer.render(OutboxSamples.reminder("deadline_passed", deadline: "2026-12-10", businessDays: 11))
        #expect(eleven.body.contains("the delivery is 11 business days late"), "\(eleven.body)")
    }

    /// Every text that counts business days says "1 business day" and "11 business days" in
    /// English, "1 tööpäeva" and "11 tööpäeva" in Estonian, with every placeholder filled.
    @Test func everyCountOfBusinessDaysAgreesWithItsNumber() {
        let texts = Catalogue.entries.filter { $0.value.en.contains("{business_days}") }
        #expect(texts.count >= 15)
        for (key, entry) in texts {
            for (days, english) in [("1", "1 business day"), ("11", "11 business days")] {
                let facts = Dictionary(uniqueKeysWithValues: ["named", "deadline", "business_days", "warranty_of"].map { ($0, $0 == "business_days" ? days : "X") })
                let en = MessageRenderer.fill(entry.en, facts), et = MessageRenderer.fill(entry.et, facts)
                #expect(en?.contains(english) == true && en?.contains("\(english)s") == false && en?.contains("{") == false, "\(key): \(en ?? "-")")
                #expect(et?.contains("\(days) tööpäeva") == true && et?.contains("{") == false, "\(key): \(et ?? "-")")
            }
        }
    }

    @Test func unknownTransitionGivesAGenericMessage() {
        let rendered = renderer.render(OutboxSamples.notification("teleport", from: "prioritised", to: "ordered",
                                                                  inputs: ["priority": 2, "price": .number("99.9")]))
        #expect(rendered.subject == "[VOLIS-12] Update (teleport): Export council minutes as PDF")
        #expect(rendered.body.contains("Jaan Tamm moved VOLIS-12 \"Export council minutes as PDF\" from prioritised to ordered (teleport) on 2026-11-25 11:18."))
        #expect(rendered.body.contains("Priority: 2\nPrice: 99.90 EUR"))
        #expect(rendered.body.contains("workflowctl request transitions VOLIS-12"))
    }

    @Test func unknownRuleWithoutNameGivesAGenericReminder() {
        let rendered = renderer.render(OutboxSamples.reminder("mystery", state: "quoted", businessDays: 4, recipientName: nil))
        #expect(rendered.subject == "[VOLIS-12] Reminder (mystery): Export council minutes as PDF")
        #expect(rendered.body == """
            Hello,

            VOLIS-12 "Export council minutes as PDF" needs your attention (4 business days).

            State: quoted

            To see what can happen next: workflowctl request transitions VOLIS-12

            --\u{20}
            Sent by DevWorkflow about VOLIS-12. To see it: workflowctl request show VOLIS-12

            """)
    }

    @Test func emptyOrStrangePayloadsNeverBreakIt() {
        let created = OutboxSamples.createdAt
        let bare = OutboxMessage(id: 1, kind: .notification, rule: nil, transition: nil, request: "KOVTP-3", recipient: "a@b.example",
                                 recipientName: "  ", lang: "en", payload: nil, idempotencyKey: "k", attempts: 4, createdAt: created)
        let rendered = renderer.render(bare)
        #expect(rendered.subject == "[KOVTP-3] Update")
        #expect(rendered.body.hasPrefix("Hello,\n\nSomeone changed KOVTP-3"))
        #expect(rendered.body.contains("2026-11-25 11:18"), "the queue time stands in for a missing time")

        var reminder = bare
        reminder.kind = .reminder
        reminder.payload = ["title": .array([1, 2]), "business_days": .object([]), "occurrence": "x", "escalation": "yes"]
        let reminded = renderer.render(reminder)
        #expect(reminded.subject == "[KOVTP-3] Reminder")
        #expect(reminded.body.contains("needs your attention."))

        let strange = OutboxSamples.notification("quote", inputs: ["price": "a lot", "hours": .bool(true), "vendor": .null],
                                                 title: "Quotes {price} and \u{1B}[31mred\u{1B}[0m")
        let odd = renderer.render(strange)
        #expect(odd.subject == "[VOLIS-12] Quote received: Quotes {price} and  [31mred [0m")
        #expect(odd.body.contains("Price: a lot EUR"))
        #expect(!odd.body.contains("\u{1B}"))
    }

    @Test func titleAndNameStayOnOneLine() {
        let message = OutboxSamples.notification("reject", inputs: ["reason": "No"], title: "Harmless\r\nBcc: x@y",
                                                 recipientName: "Mari\nMaasikas")
        let rendered = renderer.render(message)
        #expect(rendered.subject == "[VOLIS-12] Rejected: Harmless Bcc: x@y")
        #expect(rendered.body.hasPrefix("Hello Mari Maasikas,\n"))
        #expect(rendered.body.contains("\"Harmless Bcc: x@y\""))
    }

    @Test func timesAreShownInTallinn() {
        var message = OutboxSamples.notification("accept")
        message.payload = ["title": "T", "actor": "jaan", "at": "2026-07-01T09:00:00.123456Z"]
        #expect(renderer.render(message).body.contains("jaan accepted the delivery of VOLIS-12 \"T\" on 2026-07-01 12:00."))
        // Summer time starts at 01:00 UTC on 2026-03-29: 00:59 UTC is 02:59 in Tallinn, 01:00 UTC is 04:00.
        message.payload = ["title": "T", "actor_name": "Jaan", "at": "2026-03-29 00:59:59+00"]
        #expect(renderer.render(message).body.contains("on 2026-03-29 02:59."))
        message.payload = ["title": "T", "actor_name": "Jaan", "at": "2026-03-29 04:00:00+03"]
        #expect(renderer.render(message).body.contains("on 2026-03-29 04:00."))
        message.payload = ["title": "T", "actor_name": "Jaan", "at": "yesterday"]
        #expect(renderer.render(message).body.contains("on yesterday."))
    }

    @Test func timestampParser() throws {
        let parsed = try #require(TallinnTime.parse("2026-11-25T11:18:01.5+02:00"))
        #expect(parsed.timeIntervalSince1970 == 1_795_598_281.5)
        #expect(TallinnTime.parse("2026-11-25T09:18:01Z")?.timeIntervalSince1970 == 1_795_598_281)
        #expect(TallinnTime.parse("2026-11-25T12:48:01+0330")?.timeIntervalSince1970 == 1_795_598_281)
        #expect(TallinnTime.parse("2026-11-25T09:18Z")?.timeIntervalSince1970 == 1_795_598_280)
        for bad in ["2026-11-25T09:18:01", "2026-11-25", "2026-13-25T09:18:01Z", "2026-11-25T25:00:00Z", "2026-11-25T09:18:01Zx"] {
            #expect(TallinnTime.parse(bad) == nil, "\(bad)")
        }
    }
}
