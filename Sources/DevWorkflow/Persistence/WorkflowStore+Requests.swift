import Foundation

extension WorkflowStore {
    /// A new request's id and version.
    public struct Proposed: Sendable, Equatable {
        public let id: String
        public let version: Int
    }

    /// Proposes a request; the database checks it, numbers it per system, records the proposal as
    /// its first event and tells the system's product owners.
    public func propose(system: String, title: String, description: String? = nil, requester: String? = nil) throws -> Proposed {
        let call: SQL = "SELECT id, version FROM workflow.propose(\(system), \(title), \(description ?? ""), \(requester))"
        // The proposal notifies the system's product owners: wake workflowd once it has committed.
        let row = try run(denied: Message("error.propose_denied")) { try writeThenWake(call) }.first!
        return Proposed(id: try row.decode(0), version: try row.decode(1))
    }

    /// Adds a comment to a request; staff may keep it internal (not shown to vendors).
    public func comment(_ id: String, _ text: String, isInternal: Bool = false) throws {
        try run("SELECT workflow.add_comment(\(id), \(text), \(isInternal))", denied: Message("error.comment_denied"))
    }

    /// Which requests `requests(_:)` lists, in which order, and which page of them.
    public struct Filter: Sendable {
        /// Any of these states (all when empty).
        public var states: [String]
        public var system: String?
        /// Requests this vendor was invited to (or ordered from).
        public var vendor: String?
        public var overdueOn: LocalDate?
        /// Only those awaiting this person: a transition is allowed to them now.
        public var mine = false
        /// Every word of it in the title or description (case and Estonian letters aside).
        public var search: String?
        /// `id`, `created`, `state`, `priority` or `deadline`; always then by id.
        public var sort = "id"
        public var limit: Int?
        public var offset = 0
        public init(states: [String] = [], system: String? = nil, vendor: String? = nil, overdueOn: LocalDate? = nil) {
            self.states = states
            self.system = system
            self.vendor = vendor
            self.overdueOn = overdueOn
        }
    }

    static let summaryColumns: SQL = """
        id, system, title, state, version, priority, requester, vendor, order_number, deadline, quote_due, state_since, created_at, held_since, late
        """

    static func summary(_ row: Row) throws -> RequestSummary {
        RequestSummary(id: try row.decode(0), system: try row.decode(1), title: try row.decode(2), state: try row.decode(3),
                       version: try row.decode(4), priority: try row.decode(5), requester: try row.decode(6), vendor: try row.decode(7),
                       orderNumber: try row.decode(8), deadline: try row.decode(9), quoteDue: try row.decode(10),
                       stateSince: try row.decode(11), createdAt: try row.decode(12), heldSince: try row.decode(13), isLate: try row.decode(14))
    }

    /// Streams the requests this person may see that match the filter, in its order
    /// (`request_list()` decides what a vendor's user sees; an unknown state, system, vendor or
    /// sort is refused there). Returns how many match in all, the page aside (0 when none).
    @discardableResult
    public func requests(_ filter: Filter, _ body: (RequestSummary) throws -> Void) throws -> Int {
        let states: TextArray? = filter.states.isEmpty ? nil : TextArray(filter.states)
        var total = 0
        try stream("""
            SELECT \(WorkflowStore.summaryColumns), total
            FROM workflow.request_list(\(states), \(filter.system), \(filter.vendor), \(filter.overdueOn), \(filter.mine), \(filter.search),
                                       \(filter.sort), \(filter.limit.map(Int32.init(clamping:))), \(Int32(clamping: filter.offset)))
            """) { row in
            total = try row.decode(15)
            try body(try WorkflowStore.summary(row))
        }
        return total
    }

    /// One request, or a not-found error (the same for one this person may not see).
    public func request(_ id: String) throws -> RequestSummary {
        guard let row = try run("SELECT \(WorkflowStore.summaryColumns) FROM workflow.request_row(\(id))").first else {
            throw WorkflowError(.notFound, Message("error.no_request", ["request": "\(id)"]))
        }
        return try WorkflowStore.summary(row)
    }

    /// A request with everything this person may see of it, as one JSON document.
    public func details(_ id: String) throws -> JSONValue {
        let summary = try request(id)
        // The card and what warranty and holds add to it, in one statement.
        let extra = try document("SELECT (workflow.request_card(\(id)) || workflow.request_terms(\(id)))::text")
        guard case var .object(pairs) = summary.json, case let .object(more) = extra else { return summary.json }
        // The card says again what the row holds (since when the order is held): once.
        let named = Set(pairs.map(\.0))
        pairs += more.filter { !named.contains($0.0) }
        return .object(pairs)
    }

    /// The request's history as this person may see it, oldest first, with its comments.
    public func history(_ id: String) throws -> (events: [HistoryEntry], comments: [CommentEntry]) {
        var events: [HistoryEntry] = []
        try stream("SELECT seq, transition, from_state, to_state, actor, by_login, at, inputs::text, via FROM workflow.request_events(\(id))") { row in
            events.append(HistoryEntry(seq: try row.decode(0), transition: try row.decode(1), from: try row.decode(2), to: try row.decode(3),
                                       actor: try row.decode(4), byLogin: try row.decode(5), at: try row.decode(6),
                                       inputs: try JSONValue.parse(try row.decode(7, as: String.self)), via: try row.decode(8)))
        }
        var comments: [CommentEntry] = []
        try stream("SELECT author, by_login, at, body, internal, id, via FROM workflow.request_comments(\(id))") { row in
            var comment = CommentEntry(author: try row.decode(0), byLogin: try row.decode(1), at: try row.decode(2), body: try row.decode(3),
                                       isInternal: try row.decode(4))
            comment.number = try row.decode(5)
            comment.via = try row.decode(6)
            comments.append(comment)
        }
        return (events, comments)
    }

    /// Runs a write whose refusal by row-level security means "not permitted", with words for it.
    @discardableResult
    func run(_ sql: SQL, denied: Message) throws -> QueryResult {
        try run(denied: denied) { try connection.query(sql) }
    }

    func run(denied: Message, _ body: () throws -> QueryResult) throws -> QueryResult {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
            throw WorkflowError(.notPermitted, denied, underlying: error)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }
}
