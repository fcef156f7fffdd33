import Foundation
import Testing
@testable import DevWorkflow

/// Issue 19's reminders against the real database: a hold pauses the deadline reminders, a
/// warranty fix has its own deadline rules (and the order rules leave it alone), and the product
/// owner hears once that a released order's warranty is about to end.
@Suite struct WarrantyReminderTests {
    /// The reminders recorded for a request, as `rule occurrence`.
    static func reminders(_ c: Connection, _ request: String) throws -> [String] {
        try c.query("SELECT rule || ' ' || occurrence FROM workflow.reminder WHERE request_id = \(request) ORDER BY rule, occurrence")
            .map { try $0.decode(0, as: String.self) }
    }

    /// Who was sent a reminder of a rule about a request.
    static func recipients(_ c: Connection, _ request: String, _ rule: String) throws -> Set<String> {
        Set(try c.query("SELECT recipient FROM workflow.outbox WHERE kind = 'reminder' AND request_id = \(request) AND rule = \(rule)")
            .map { try $0.decode(0, as: String.self) })
    }

    static func setDeadline(_ f: Fixture, _ request: String, _ deadline: LocalDate) throws {
        let c = try f.db.connect()
        try c.execute("SET session_replication_role = replica")
        try c.execute("UPDATE workflow.purchase_order SET deadline = \(deadline) WHERE request_id = \(request)")
    }

    @Test func aHoldPausesTheDeadlineRemindersAndResumingRestartsThem() throws {
        let f = try Fixture()
        let store = try f.store()
        let c = try f.sql()
        let day = Fixture.today.adding(days: 20)
        let near = try f.request(in: "ordered"), late = try f.request(in: "ordered")
        try Self.setDeadline(f, near, day)
        try Self.setDeadline(f, late, day.adding(days: -10))
        for id in [near, late] { _ = try store.move(id, "hold", inputs: TransitionInputs(reason: "ootame testkeskkonda")) }
        let reminders = Reminders(connection: c)
        _ = try reminders.pass(today: day.adding(days: -1))
        #expect(try Self.reminders(c, near).isEmpty, "a held order is not reminded of its deadline")
        #expect(try Self.reminders(c, late).isEmpty, "nor told it is late")
        for id in [near, late] { _ = try store.move(id, "resume", inputs: TransitionInputs()) }
        _ = try reminders.pass(today: day.adding(days: -1))
        #expect(try Self.reminders(c, near) == ["deadline_near \(day)"])
        #expect(try Self.reminders(c, late).first?.hasPrefix("deadline_passed \(day.adding(days: -10))/") == true)
        #expect(try Self.recipients(c, late, "deadline_passed").contains("anna@acme.ee"))
    }

    /// A hold stops the order's clock wherever a person reads of it, not only in the reminders:
    /// `request list --overdue` and the status report's overdue section leave it out, the list and
    /// `request show` say since when it is held, and the vendor's report asks it to wait for the
    /// buyer instead of telling it to deliver. Resuming makes it late again everywhere.
    @Test func aHeldOrderIsLateNowhereAPersonReads() throws {
        let f = try Fixture()
        let store = try f.store()
        let c = try f.sql()
        let late = try f.request(in: "ordered")
        try Self.setDeadline(f, late, Fixture.today.adding(days: -10))
        let vendor = try c.query("SELECT vendor FROM workflow.purchase_order WHERE request_id = \(late)").first!.decode(0, as: String.self)
        func overdue() throws -> [RequestSummary] {
            var rows: [RequestSummary] = []
            try store.requests(WorkflowStore.Filter(states: [], system: nil, vendor: nil, overdueOn: Fixture.today)) { rows.append($0) }
            return rows
        }
        func csv(_ report: any WorkflowReport, section: String) throws -> String {
            let sink = StringSink()
            try ReportRun.render(report, from: c, into: CSVRenderer(sink: sink, section: section), asOf: Date())
            return sink.text
        }
        let action = "\(late),", overdueRow = ",\(Fixture.today.adding(days: -10)),10\r\n"
        #expect(try overdue().map(\.id).contains(late))
        #expect(try csv(StatusReport(), section: "overdue").contains(overdueRow))
        #expect(try csv(VendorReport(vendor: vendor), section: "action").split(separator: "\r\n").contains { $0.hasPrefix(action) && $0.contains(",overdue,") })

        // Listed and shown as late, as --overdue finds it (order_late()).
        #expect(try store.request(late).isLate && PeopleText(.en).line(try store.request(late)).contains("ordered, late"))
        let lateCard = try Binary.run("workflowctl", ["request", "show", late, "--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
        #expect(lateCard.stdout.contains("Late:") && lateCard.stdout.contains("has passed"), "\(lateCard.stdout)")
        let orderedSince = try store.request(late).stateSince
        _ = try store.move(late, "hold", inputs: TransitionInputs(reason: "ootame testkeskkonda"))
        #expect(try store.request(late).stateSince == orderedSince, "a hold leaves 'ordered since' as it was")
        let card = try Binary.run("workflowctl", ["request", "show", late, "--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
        #expect(card.stdout.contains(": ootame testkeskkonda"), "the hold's reason beside since when: \(card.stdout)")
        #expect(try !overdue().map(\.id).contains(late))
        #expect(try !csv(StatusReport(), section: "overdue").contains(late))
        let actions = try csv(VendorReport(vendor: vendor), section: "action").split(separator: "\r\n").filter { $0.hasPrefix(action) }
        #expect(actions.count == 1 && actions[0].contains(",on_hold,\(Fixture.today.adding(days: -10)),,"), "\(actions)")
        let row = try #require(try csv(VendorReport(vendor: vendor), section: "requests").split(separator: "\r\n").first { $0.hasPrefix(action) })
        #expect(row.contains(",\(Fixture.today.adding(days: -10)),10,\(Fixture.today),"), "days late as they are, and since when held: \(row)")
        let listed = try store.request(late)
        #expect(listed.heldSince != nil && !listed.isLate, "held: not late")
        #expect(PeopleText(.en).line(listed).contains("ordered, on hold"), "\(PeopleText(.en).line(listed))")
        let shown = try store.details(late)
        guard case let .object(pairs) = shown else { Issue.record("not an object"); return }
        #expect(pairs.filter { $0.0 == "held_since" }.count == 1, "request show names it once")

        _ = try store.move(late, "resume", inputs: TransitionInputs())
        #expect(try store.request(late).stateSince == orderedSince, "and so does a resume")
        #expect(try overdue().map(\.id).contains(late))
        #expect(try store.request(late).heldSince == nil)
        #expect(try csv(StatusReport(), section: "overdue").contains(overdueRow))
    }

    /// A warranty claim left undecided is reminded as one: order the fix or reject the claim,
    /// never "prioritise it" (the warranty road has no prioritising), in both languages.
    @Test func anUndecidedWarrantyClaimIsRemindedAsAClaim() throws {
        let f = try Fixture()
        let c = try f.sql()
        _ = try c.query("SELECT workflow.set_contract_terms('RL-ACME', 24, 5, 0.5, 10)")
        let order = try f.orderNumber(of: try f.request(in: "released"))
        let claim = try c.query("SELECT id FROM workflow.open_warranty_claim(\(order), 'Eksport kaotab täpitähed')").first!.decode(0, as: String.self)
        let raw = try f.db.connect()
        try raw.execute("SET session_replication_role = replica")
        try raw.execute("UPDATE workflow.request SET state_since = now() - interval '40 days' WHERE id = \(claim)")
        _ = try Reminders(connection: c).pass(today: Fixture.today)
        #expect(try Self.reminders(c, claim).first?.hasPrefix("proposed_waiting ") == true)
        let messages = try Outbox(connection: c).claim(limit: 1000).filter { $0.request == claim && $0.rule == "proposed_waiting" }
        #expect(!messages.isEmpty)
        for var message in messages {
            for lang in ["en", "et"] {
                message.lang = lang
                let body = MessageRenderer().render(message).body
                #expect(body.contains(order) && body.contains("move \(claim) order"), "\(body)")
                #expect(!body.contains("prioritise") && !body.contains("prioritee"), "\(body)")
            }
        }
    }

    @Test func aWarrantyFixHasItsOwnDeadlineRulesAndTheOrderRulesLeaveItAlone() throws {
        let f = try Fixture()
        let c = try f.sql()
        _ = try c.query("SELECT workflow.set_contract_terms('RL-ACME', 24, 5, 0.5, 10)")
        let released = try f.request(in: "released")
        let order = try f.orderNumber(of: released)
        let claim = try c.query("SELECT id FROM workflow.open_warranty_claim(\(order), 'Eksport kaotab täpitähed')").first!.decode(0, as: String.self)
        _ = try f.store().move(claim, "order", inputs: TransitionInputs())
        let deadline = try c.query("SELECT deadline FROM workflow.purchase_order WHERE request_id = \(claim)").first!.decode(0, as: LocalDate.self)
        #expect(deadline == (try Calendars.estonian).adding(businessDays: 5, to: Fixture.today), "fix days are business days")
        // An ordinary order due the same day, for the other road's rules.
        let ordinary = try f.request(in: "ordered")
        try Self.setDeadline(f, ordinary, deadline)

        let reminders = Reminders(connection: c)
        _ = try reminders.pass(today: deadline)
        #expect(try Self.reminders(c, claim) == ["warranty_fix_near \(deadline)"])
        #expect(try Self.reminders(c, ordinary) == ["deadline_near \(deadline)"])
        #expect(try Self.recipients(c, claim, "warranty_fix_near") == ["anna@acme.ee"], "the vendor of the original order fixes it")

        _ = try reminders.pass(today: deadline.adding(days: 7))
        let fix = try Self.reminders(c, claim)
        #expect(fix.contains { $0.hasPrefix("warranty_fix_passed \(deadline)/") })
        #expect(!fix.contains { $0.hasPrefix("deadline_") }, "the order rules leave warranty fixes to their own: \(fix)")
        let ordinaries = try Self.reminders(c, ordinary)
        #expect(ordinaries.contains { $0.hasPrefix("deadline_passed \(deadline)/") }, "the order rules ran in that pass: \(ordinaries)")
        #expect(!ordinaries.contains { $0.hasPrefix("warranty_") })
        #expect(try Self.recipients(c, claim, "warranty_fix_passed").isSuperset(of: ["anna@acme.ee", "piret@example.ee"]))
    }

    @Test func theProductOwnerHearsOnceAMonthBeforeAReleasedOrdersWarrantyEnds() throws {
        let f = try Fixture()
        let c = try f.sql()
        _ = try c.query("SELECT workflow.set_contract_terms('RL-ACME', 24, 5, 0.5, 10)")
        let released = try f.request(in: "released")
        let end = try c.query("SELECT warranty_end(o) FROM workflow.purchase_order o WHERE request_id = \(released)").first!.decode(0, as: LocalDate.self)
        let reminders = Reminders(connection: c)
        let rule = try #require(try reminders.rules().first { $0.kind == .warrantyEnding })
        let notice = ReminderPlanner(today: end, calendar: try BusinessCalendar.load(from: c)).warrantyNotice(end: end, businessDays: rule.businessDays)
        #expect(notice < end.adding(days: -27) && notice >= end.adding(days: -31 - 2 * rule.businessDays))

        _ = try reminders.pass(today: notice.adding(days: -1))
        #expect(!(try Self.reminders(c, released)).contains { $0.hasPrefix("warranty_ending") }, "not before its time")
        _ = try reminders.pass(today: notice)
        #expect(try Self.reminders(c, released).filter { $0.hasPrefix("warranty_ending") } == ["warranty_ending \(end)"])
        #expect(try Self.recipients(c, released, "warranty_ending") == ["piret@example.ee"])
        let payload = try c.query("SELECT payload::text FROM workflow.outbox WHERE request_id = \(released) AND rule = 'warranty_ending'")
            .first!.decode(0, as: String.self)
        let json = try JSONValue.parse(payload)
        #expect(json["warranty_end"] == .string(end.description))
        #expect(json["order"]?.plain.hasPrefix("ORD-") == true)
        _ = try reminders.pass(today: notice.adding(days: 3))
        #expect(try Self.recipients(c, released, "warranty_ending").count == 1)
        #expect(try c.query("SELECT count(*) FROM workflow.outbox WHERE request_id = \(released) AND rule = 'warranty_ending'")
            .first!.decode(0, as: Int.self) == 1, "once")

        // An order placed when the contract's warranty was 0 months, released the same day: on the
        // day the 24-month order was told, nothing to tell of it.
        _ = try c.query("SELECT workflow.set_contract_terms('RL-ACME', 0)")
        let plain = try f.request(in: "released")
        _ = try reminders.pass(today: notice)
        #expect(!(try Self.reminders(c, plain)).contains { $0.hasPrefix("warranty_ending") })
    }

    /// The candidate query is served by sql/0017's index, not a scan of every order.
    @Test func theWarrantyEndingCandidatesAreFoundThroughTheirIndex() throws {
        let f = try Fixture()
        let c = try f.sql()
        let planner = ReminderPlanner(today: Fixture.today, calendar: try BusinessCalendar.load(from: c))
        let query = Reminders(connection: c).candidateQuery(ReminderRule(kind: .warrantyEnding, businessDays: 0), planner)
        try c.execute("SET enable_seqscan = off")
        let plan = try c.query("EXPLAIN (COSTS OFF) " + query).map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
        #expect(plan.contains("purchase_order_warranty_end_idx"), "\(plan)")
    }
}
