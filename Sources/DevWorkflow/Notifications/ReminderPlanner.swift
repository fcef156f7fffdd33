import Foundation

/// Decides, for one rule and the candidates the database found, which reminders are due today
/// and under which occurrence key. Pure: today and the calendar are passed in.
///
/// Occurrence keys make "once" precise: a waiting rule fires once per stay in its state
/// (`v<version>`), a quote reminder once per invitation (`<due>/<vendor>`), a deadline heads-up
/// once per deadline, an overdue order once per R business days (`<deadline>/<k>`) and its
/// escalation once (`<deadline>/escalation`), the warranty rules like the deadline rules, and a
/// warranty's end once per order (`<end>`). A moved deadline starts afresh.
public struct ReminderPlanner: Sendable {
    public let today: LocalDate
    public let calendar: BusinessCalendar

    public init(today: LocalDate, calendar: BusinessCalendar) {
        self.today = today
        self.calendar = calendar
    }

    /// A request the database found for a rule.
    public struct Candidate: Sendable, Equatable {
        public let request: String
        public let system: String
        public let title: String
        public let state: String
        public let version: Int
        /// When the request entered its state, as a date in Tallinn.
        public let since: LocalDate
        public let deadline: LocalDate?
        public let quoteDue: LocalDate?
        /// The invited vendor (quote rule) or the ordered vendor (deadline rules).
        public let vendor: String?
        /// How many reminders of this rule about this occasion were recorded already (the
        /// repeating deadline rule counts the ones about the current deadline).
        public let sent: Int
        /// The order's number (warranty_ending: the order whose warranty ends; the waiting rules:
        /// the order a warranty claim is on).
        public let order: String?
        /// The last day of the order's warranty, SQL `warranty_end(o)` (warranty_ending).
        public let warrantyEnd: LocalDate?

        public init(request: String, system: String, title: String, state: String, version: Int, since: LocalDate,
                    deadline: LocalDate? = nil, quoteDue: LocalDate? = nil, vendor: String? = nil, sent: Int = 0,
                    order: String? = nil, warrantyEnd: LocalDate? = nil) {
            self.sent = sent
            self.order = order
            self.warrantyEnd = warrantyEnd
            self.request = request
            self.system = system
            self.title = title
            self.state = state
            self.version = version
            self.since = since
            self.deadline = deadline
            self.quoteDue = quoteDue
            self.vendor = vendor
        }
    }

    /// One reminder to record and send.
    public struct Due: Sendable, Equatable {
        public let request: String
        public let rule: String
        public let occurrence: String
        public let audiences: [String]
        public let vendors: [String]
        public let payload: JSONValue

        /// The item `enqueue_reminders` takes.
        public var json: JSONValue {
            .object([("request", .string(request)), ("rule", .string(rule)), ("occurrence", .string(occurrence)),
                     ("due_on", .string(payload["due_on"]?.plain ?? "")), ("audiences", .array(audiences.map(JSONValue.string))),
                     ("vendors", .array(vendors.map(JSONValue.string))), ("payload", payload)])
        }
    }

    /// The latest date `d` with at least `n` business days in (d, today]; for n = 0, yesterday.
    /// A waiting rule is due for a request that entered its state on or before this date.
    public func cutoff(businessDays n: Int) -> LocalDate {
        guard n > 0 else { return today.adding(days: -1) }
        var date = today
        var counted = 0
        while counted < n {
            if calendar.isBusinessDay(date) { counted += 1 }
            date = date.adding(days: -1)
        }
        return date
    }

    /// The last deadline that is within `n` business days from today (the heads-up horizon).
    public func horizon(businessDays n: Int) -> LocalDate { calendar.adding(businessDays: n, to: today) }

    /// The reminders due today among the candidates of a rule.
    public func plan(_ rule: ReminderRule, _ candidates: [Candidate]) -> [Due] {
        guard rule.enabled else { return [] }
        var due: [Due] = []
        for c in candidates {
            switch rule.kind {
            case .proposedWaiting, .quotedWaiting, .acceptancePending, .releasePending:
                // "More than N business days": due on the (N+1)th business day in the state.
                guard c.state == rule.kind.waitingState, c.since <= cutoff(businessDays: rule.businessDays + 1) else { continue }
                due.append(item(rule, c, occurrence: "v\(c.version)", number: 1, audiences: ["system_owners"], vendors: [],
                                days: calendar.businessDays(after: c.since, through: today),
                                extra: c.order.map { [("warranty_of", .string($0))] } ?? []))
            case .quoteOverdue:
                guard let quoteDue = c.quoteDue, let vendor = c.vendor, quoteDue <= cutoff(businessDays: rule.businessDays) else { continue }
                due.append(item(rule, c, occurrence: "\(quoteDue)/\(vendor)", number: 1, audiences: ["invited_vendors"], vendors: [vendor],
                                days: calendar.businessDays(after: quoteDue, through: today)))
            case .deadlineNear, .warrantyFixNear:
                guard let deadline = c.deadline, c.state == "ordered", deadline >= today,
                      deadline <= horizon(businessDays: rule.businessDays) else { continue }
                due.append(item(rule, c, occurrence: "\(deadline)", number: 1, audiences: ["ordered_vendor"], vendors: [],
                                days: calendar.businessDays(after: today, through: deadline)))
            case .warrantyEnding:
                // Once per order and warranty end, from a month and N business days before the
                // end up to the end itself.
                guard let end = c.warrantyEnd, ["accepted", "released"].contains(c.state), today <= end,
                      today >= warrantyNotice(end: end, businessDays: rule.businessDays) else { continue }
                due.append(item(rule, c, occurrence: "\(end)", number: 1, audiences: ["system_owners"], vendors: [],
                                days: calendar.businessDays(after: today, through: end),
                                extra: [("order", .optional(c.order)), ("warranty_end", .date(end))]))
            case .deadlinePassed, .warrantyFixPassed:
                guard let deadline = c.deadline, c.state == "ordered", deadline < today else { continue }
                let overdue = calendar.businessDays(after: deadline, through: today)
                guard overdue >= max(1, rule.businessDays) else { continue }
                let every = rule.repeatEvery ?? Int.max
                // k names the repeat period (so each is sent once); the number people read is
                // how many were actually sent before, plus this one: a daemon that was down for
                // two periods sends "number 1", not "number 3".
                let k = every == Int.max ? 1 : (overdue - max(1, rule.businessDays)) / every + 1
                due.append(item(rule, c, occurrence: "\(deadline)/\(k)", number: c.sent + 1, audiences: ["ordered_vendor", "system_owners"],
                                vendors: [], days: overdue))
                if let after = rule.escalateAfter, overdue >= after {
                    // The admins hear of it once: their first (and only) reminder.
                    due.append(item(rule, c, occurrence: "\(deadline)/escalation", number: 1, audiences: ["admins"], vendors: [],
                                    days: overdue, escalation: true))
                }
            }
        }
        return due
    }

    /// The first day a warranty's end is told: a month before it (the last day of a shorter
    /// month when that has no such day, as PostgreSQL's `- interval '1 month'`), then N business
    /// days earlier.
    public func warrantyNotice(end: LocalDate, businessDays n: Int) -> LocalDate {
        let (year, month) = end.month == 1 ? (end.year - 1, 12) : (end.year, end.month - 1)
        var day = end.day
        var before = LocalDate(year: year, month: month, day: day)
        while before == nil, day > 28 {
            day -= 1
            before = LocalDate(year: year, month: month, day: day)
        }
        return calendar.adding(businessDays: -n, to: before ?? end.adding(days: -31))
    }

    private func item(_ rule: ReminderRule, _ c: Candidate, occurrence: String, number: Int, audiences: [String], vendors: [String],
                      days: Int, escalation: Bool = false, extra: [(String, JSONValue)] = []) -> Due {
        Due(request: c.request, rule: rule.kind.rawValue, occurrence: occurrence, audiences: audiences, vendors: vendors,
            payload: .object([
                ("request", .string(c.request)), ("system", .string(c.system)), ("title", .string(c.title)), ("state", .string(c.state)),
                ("rule", .string(rule.kind.rawValue)), ("occurrence", .int(number)), ("due_on", .string(today.description)),
                ("deadline", .date(c.deadline)), ("quote_due", .date(c.quoteDue)), ("business_days", .int(days)),
                ("escalation", .bool(escalation)), ("vendor", .optional(c.vendor)),
            ] + extra))
    }
}
