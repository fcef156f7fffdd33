import Foundation

/// Evaluates the reminder rules against the database and queues what is due, each once.
///
/// A pass is three round trips whatever the size of the tables: the rules and closure days; the
/// candidates of every rule (pipelined, each found through an index on what makes it due); one
/// call that records the reminders and queues their messages in one transaction.
public struct Reminders {
    public let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// What a pass did.
    public struct PassResult: Sendable, Equatable {
        public let candidates: Int
        public let due: Int
        public let queued: Int
        /// Candidate rows the client could not read (left out, for the caller to log).
        public var unreadable: [String] = []
    }

    /// The rules as stored.
    public func rules() throws -> [ReminderRule] {
        try connection.query("SELECT key, enabled, business_days, repeat_every, escalate_after, description FROM reminder_rule ORDER BY key")
            .compactMap { row in
                guard let kind = ReminderRule.Kind(rawValue: try row.decode(0)) else { return nil }
                return ReminderRule(kind: kind, enabled: try row.decode(1), businessDays: try row.decode(2), repeatEvery: try row.decode(3),
                                    escalateAfter: try row.decode(4), description: try row.decode(5))
            }
    }

    /// Runs every enabled rule as of `today` and queues the reminders that are due.
    public func pass(today: LocalDate) throws -> PassResult {
        let rules = try self.rules().filter(\.enabled)
        let planner = ReminderPlanner(today: today, calendar: try BusinessCalendar.load(from: connection))
        guard !rules.isEmpty else { return PassResult(candidates: 0, due: 0, queued: 0) }
        let results = try connection.pipeline(rules.map { candidateQuery($0, planner) })
        var due: [ReminderPlanner.Due] = []
        var candidates = 0
        var unreadable: [String] = []
        for (rule, rows) in zip(rules, results) {
            // A row this client cannot read is left out and named, not a reason to stop the pass.
            let found = rows.compactMap { row -> ReminderPlanner.Candidate? in
                do {
                    return ReminderPlanner.Candidate(request: try row.decode(0), system: try row.decode(1), title: try row.decode(2),
                                                     state: try row.decode(3), version: try row.decode(4), since: try row.decode(5),
                                                     deadline: try row.decode(6), quoteDue: try row.decode(7), vendor: try row.decode(8),
                                                     sent: try row.decode(9), order: try row.decode(10), warrantyEnd: try row.decode(11))
                } catch {
                    unreadable.append("\(rule.kind.rawValue) \(row.text(0) ?? "?"): \(error)")
                    return nil
                }
            }
            candidates += found.count
            due += planner.plan(rule, found)
        }
        guard !due.isEmpty else { return PassResult(candidates: candidates, due: 0, queued: 0, unreadable: unreadable) }
        let queued = try connection.query("SELECT workflow.enqueue_reminders(\(JSONDocument(text: JSONValue.array(due.map(\.json)).text)))")
            .first!.decode(0, as: Int.self)
        return PassResult(candidates: candidates, due: due.count, queued: queued, unreadable: unreadable)
    }

    /// The statement that finds a rule's candidates: only requests that could be due today.
    ///
    /// The deadline rules watch the small development road's orders, the warranty fix rules the
    /// warranty road's; neither an order the buyer holds (`held_since`): a hold pauses them (a
    /// passed deadline is `order_late()`'s, the rule `request list --overdue` and the reports ask).
    func candidateQuery(_ rule: ReminderRule, _ planner: ReminderPlanner) -> SQL {
        let columns: SQL = "r.id, r.system, r.title, r.state, r.version, (r.state_since AT TIME ZONE 'Europe/Tallinn')::date"
        let key = rule.kind.rawValue
        let road: SQL = rule.kind == .warrantyFixNear || rule.kind == .warrantyFixPassed ? "r.definition = 'warranty'" : "r.definition <> 'warranty'"
        switch rule.kind {
        case .proposedWaiting, .quotedWaiting, .acceptancePending, .releasePending:
            let state = rule.kind.waitingState ?? ""
            let before = planner.cutoff(businessDays: rule.businessDays + 1).adding(days: 1).start(in: .tallinn)
            // A warranty claim names the order it is on (the order column), for its own text.
            return """
                SELECT \(columns), NULL::date, r.quote_due, NULL::text, 0, r.warranty_of, NULL::date FROM request r
                WHERE r.state = \(state) AND r.state_since < \(before)
                  AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.request_id = r.id AND m.rule = \(key) AND m.occurrence = 'v' || r.version)
                """
        case .quoteOverdue:
            let cutoff = planner.cutoff(businessDays: rule.businessDays)
            return """
                SELECT \(columns), NULL::date, i.due, i.vendor, 0, NULL::text, NULL::date FROM request r JOIN invitation i ON i.request_id = r.id
                WHERE r.state IN ('quote_requested', 'quoted') AND r.quote_due <= \(cutoff) AND i.due <= \(cutoff)
                  AND NOT EXISTS (SELECT 1 FROM quote q WHERE q.request_id = i.request_id AND q.vendor = i.vendor)
                  AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.request_id = r.id AND m.rule = \(key)
                                  AND m.occurrence = i.due::text || '/' || i.vendor)
                """
        case .deadlineNear, .warrantyFixNear:
            return """
                SELECT \(columns), o.deadline, r.quote_due, o.vendor, 0, o.number, NULL::date FROM request r JOIN purchase_order o ON o.request_id = r.id
                WHERE r.state = 'ordered' AND \(road) AND o.held_since IS NULL
                  AND o.deadline >= \(planner.today) AND o.deadline <= \(planner.horizon(businessDays: rule.businessDays))
                  AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.request_id = r.id AND m.rule = \(key) AND m.occurrence = o.deadline::text)
                """
        case .deadlinePassed, .warrantyFixPassed:
            // With each, how many reminders about this deadline were recorded already: the next
            // one is told as number that + 1, however many repeat periods passed unsent.
            return """
                SELECT \(columns), o.deadline, r.quote_due, o.vendor,
                       (SELECT count(*) FROM reminder m WHERE m.request_id = r.id AND m.rule = \(key)
                          AND m.occurrence LIKE o.deadline::text || '/%' AND m.occurrence <> o.deadline::text || '/escalation'),
                       o.number, NULL::date
                FROM request r JOIN purchase_order o ON o.request_id = r.id
                WHERE r.state = 'ordered' AND \(road) AND order_late(o, \(planner.today))
                """
        case .warrantyEnding:
            // Found through sql/0017's index on the warranty's last day (`warranty_last_day`, which
            // `warranty_end(o)` calls for the value): ends from today to a month and N business
            // days ahead, and a few days more, since months differ in length; the planner decides.
            let latest = planner.horizon(businessDays: rule.businessDays).adding(days: 34)
            return """
                SELECT \(columns), NULL::date, r.quote_due, o.vendor, 0, o.number, warranty_end(o)
                FROM purchase_order o JOIN request r ON r.id = o.request_id
                WHERE o.warranty_months > 0 AND o.cancelled_at IS NULL AND o.accepted_at IS NOT NULL
                  AND warranty_last_day(o.accepted_at, o.warranty_months) BETWEEN \(planner.today) AND \(latest)
                  AND r.state IN ('accepted', 'released') AND r.definition <> 'warranty'
                  AND NOT EXISTS (SELECT 1 FROM reminder m WHERE m.request_id = r.id AND m.rule = \(key)
                                  AND m.occurrence = warranty_end(o)::text)
                """
        }
    }
}

@available(*, unavailable)
extension Reminders: Sendable {}
