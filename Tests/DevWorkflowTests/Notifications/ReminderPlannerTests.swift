import Testing
@testable import DevWorkflow

@Suite struct ReminderPlannerTests {
    static func day(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }
    static func candidate(state: String, since: String, deadline: String? = nil, quoteDue: String? = nil, vendor: String? = nil) -> ReminderPlanner.Candidate {
        ReminderPlanner.Candidate(request: "VOLIS-1", system: "VOLIS", title: "T", state: state, version: 3, since: day(since),
                                  deadline: deadline.map(day), quoteDue: quoteDue.map(day), vendor: vendor)
    }
    static let rules = Dictionary(uniqueKeysWithValues: ReminderRule.defaults.map { ($0.kind, $0) })

    func plan(_ kind: ReminderRule.Kind, today: String, _ c: ReminderPlanner.Candidate) throws -> [ReminderPlanner.Due] {
        ReminderPlanner(today: Self.day(today), calendar: try Calendars.estonian).plan(Self.rules[kind]!, [c])
    }

    @Test func proposedWaitsMoreThanTenBusinessDays() throws {
        // Proposed Monday 2026-11-02: ten business days end Monday 11-16; the 11th is Tuesday 11-17.
        let c = Self.candidate(state: "proposed", since: "2026-11-02")
        #expect(try plan(.proposedWaiting, today: "2026-11-16", c).isEmpty)
        let due = try plan(.proposedWaiting, today: "2026-11-17", c)
        #expect(due.map(\.occurrence) == ["v3"])
        #expect(due.first?.audiences == ["system_owners"])
        #expect(due.first?.payload["business_days"] == .number("11"))
        #expect(try plan(.proposedWaiting, today: "2026-12-30", Self.candidate(state: "quoted", since: "2026-11-02")).isEmpty)
    }

    @Test func theHeadsUpBeforeADeadlineAfterChristmasCountsOverTheHolidays() throws {
        // Deadline Tuesday 2026-12-29: three business days before are 28, 23 and 22 December.
        let c = Self.candidate(state: "ordered", since: "2026-12-01", deadline: "2026-12-29", vendor: "ACME")
        #expect(try plan(.deadlineNear, today: "2026-12-21", c).isEmpty)
        #expect(try plan(.deadlineNear, today: "2026-12-22", c).map(\.occurrence) == ["2026-12-29"])
        #expect(try plan(.deadlineNear, today: "2026-12-27", c).first?.payload["business_days"] == .number("2"))
        #expect(try plan(.deadlineNear, today: "2026-12-30", c).isEmpty)
    }

    @Test func anOverdueOrderRepeatsEveryTwoBusinessDaysAndEscalatesAfterTen() throws {
        // Deadline Friday 2026-11-06.
        let c = Self.candidate(state: "ordered", since: "2026-10-01", deadline: "2026-11-06", vendor: "ACME")
        #expect(try plan(.deadlinePassed, today: "2026-11-07", c).isEmpty)  // a Saturday: no business day late yet
        #expect(try plan(.deadlinePassed, today: "2026-11-09", c).map(\.occurrence) == ["2026-11-06/1"])
        #expect(try plan(.deadlinePassed, today: "2026-11-10", c).map(\.occurrence) == ["2026-11-06/1"])
        #expect(try plan(.deadlinePassed, today: "2026-11-11", c).map(\.occurrence) == ["2026-11-06/2"])
        #expect(try plan(.deadlinePassed, today: "2026-11-19", c).map(\.occurrence) == ["2026-11-06/5"])
        let escalated = try plan(.deadlinePassed, today: "2026-11-20", c)
        #expect(escalated.map(\.occurrence) == ["2026-11-06/5", "2026-11-06/escalation"])
        #expect(escalated.last?.audiences == ["admins"])
        #expect(escalated.first?.audiences == ["ordered_vendor", "system_owners"])
    }

    /// The number people read is how many were sent before, plus one: a daemon that was down
    /// for the first two periods sends "number 1" in the fifth, not "number 5".
    @Test func theReminderNumberCountsWhatWasSent() throws {
        func number(sent: Int, today: String) throws -> [JSONValue?] {
            let c = ReminderPlanner.Candidate(request: "VOLIS-1", system: "VOLIS", title: "T", state: "ordered", version: 3,
                                              since: Self.day("2026-10-01"), deadline: Self.day("2026-11-06"), vendor: "ACME", sent: sent)
            return try plan(.deadlinePassed, today: today, c).map { $0.payload["occurrence"] }
        }
        #expect(try number(sent: 0, today: "2026-11-19") == [.number("1")])
        #expect(try number(sent: 1, today: "2026-11-19") == [.number("2")])
        #expect(try number(sent: 0, today: "2026-11-20") == [.number("1"), .number("1")], "the admins' escalation is their first")
    }

    @Test func aPassedQuoteDueDateRemindsTheVendorThatHasNotQuoted() throws {
        let c = Self.candidate(state: "quote_requested", since: "2026-11-02", quoteDue: "2026-11-09", vendor: "BETA")
        #expect(try plan(.quoteOverdue, today: "2026-11-09", c).isEmpty)
        let due = try plan(.quoteOverdue, today: "2026-11-10", c)
        #expect(due.map(\.occurrence) == ["2026-11-09/BETA"])
        #expect(due.first?.vendors == ["BETA"])
    }

    /// Issue 19: a month (and N business days) before a released order's warranty ends, once.
    @Test func aWarrantysEndIsToldFromAMonthAndNBusinessDaysBeforeUpToTheEnd() throws {
        let calendar = try Calendars.estonian
        // 31 March 2027: a month before is the last day of February, Sunday the 28th; two business
        // days before that are Friday 26 and Thursday 25 February.
        let end = Self.day("2027-03-31")
        let rule = ReminderRule(kind: .warrantyEnding, businessDays: 2)
        func plan(_ today: String, state: String = "released") -> [ReminderPlanner.Due] {
            let c = ReminderPlanner.Candidate(request: "VOLIS-1", system: "VOLIS", title: "T", state: state, version: 9, since: Self.day("2025-03-31"),
                                              vendor: "ACME", order: "ORD-2025-0007", warrantyEnd: end)
            return ReminderPlanner(today: Self.day(today), calendar: calendar).plan(rule, [c])
        }
        #expect(ReminderPlanner(today: end, calendar: calendar).warrantyNotice(end: end, businessDays: 0) == Self.day("2027-02-28"))
        #expect(ReminderPlanner(today: end, calendar: calendar).warrantyNotice(end: end, businessDays: 2) == Self.day("2027-02-25"))
        #expect(plan("2027-02-24").isEmpty)
        let due = plan("2027-02-25")
        #expect(due.map(\.occurrence) == ["2027-03-31"], "once per order and end")
        #expect(due.first?.audiences == ["system_owners"])
        #expect(due.first?.payload["order"] == .string("ORD-2025-0007"))
        #expect(due.first?.payload["warranty_end"] == .string("2027-03-31"))
        #expect(plan("2027-03-31").map(\.occurrence) == ["2027-03-31"])
        #expect(plan("2027-04-01").isEmpty, "the warranty has ended")
        #expect(plan("2027-03-01", state: "ordered").isEmpty)
        #expect(plan("2027-03-01", state: "accepted").count == 1)
    }

    /// The warranty fix rules count like the deadline rules, with their own numbers.
    @Test func aWarrantyFixsDeadlineIsRemindedLikeAnOrders() throws {
        let c = Self.candidate(state: "ordered", since: "2026-11-02", deadline: "2026-11-06", vendor: "ACME")
        #expect(try plan(.warrantyFixNear, today: "2026-11-03", c).isEmpty, "three business days ahead: the rule waits for two")
        #expect(try plan(.warrantyFixNear, today: "2026-11-04", c).map(\.audiences) == [["ordered_vendor"]])
        #expect(try plan(.warrantyFixPassed, today: "2026-11-09", c).map(\.occurrence) == ["2026-11-06/1"])
        #expect(try plan(.warrantyFixPassed, today: "2026-11-10", c).map(\.occurrence) == ["2026-11-06/2"], "again every business day")
        let escalated = try plan(.warrantyFixPassed, today: "2026-11-13", c)
        #expect(escalated.map(\.occurrence) == ["2026-11-06/5", "2026-11-06/escalation"], "an admin after five")
    }

    @Test func aDisabledRuleSendsNothing() throws {
        let rule = ReminderRule(kind: .proposedWaiting, enabled: false, businessDays: 0)
        let planner = ReminderPlanner(today: Self.day("2027-01-01"), calendar: try Calendars.estonian)
        #expect(planner.plan(rule, [Self.candidate(state: "proposed", since: "2026-01-01")]).isEmpty)
    }
}
