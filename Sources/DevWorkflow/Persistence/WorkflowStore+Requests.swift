import Foundation

extension WorkflowStore {
    /// A new request's id and version.
    public struct Proposed: Sendable, Equatable {
        public let id: String
        public let version: Int
    }

    /// Proposes a request; the database numbers it per system and records the proposal as its
    /// first event.
    public func propose(system: String, title: String, description: String? = nil, requester: String? = nil) throws -> Proposed {
        try RequestValidation.check(title: title, description: description, requester: requester)
        let insert: SQL = """
            INSERT INTO request (system, title, description, requester)
            VALUES (\(system), \(title.trimmingCharacters(in: .whitespacesAndNewlines)), \(description ?? ""), \(requester))
            RETURNING id, version
            """
        // The proposal notifies the system's product owners: wake workflowd once it has committed.
        let row = try run(denied: Message("error.propose_denied")) { try writeThenWake(insert) }.first!
        return Proposed(id: try row.decode(0), version: try row.decode(1))
    }

    /// Adds a comment to a request.
    public func comment(_ id: String, _ text: String) throws {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw WorkflowError(.invalidData, Message("error.comment_empty")) }
        guard body.unicodeScalars.count <= 10_000 else { throw WorkflowError(.invalidData, Message("error.too_long", ["what": .message(Message("word.comment")), "limit": "10000"])) }
        try run("INSERT INTO comment (request_id, body) VALUES (\(id), \(body))", denied: Message("error.comment_denied"))
    }

    /// Which requests `requests(_:)` lists.
    public struct Filter: Sendable {
        /// Requests in any of these states (all states when empty).
        public var states: [String]
        public var system: String?
        /// Requests this vendor was invited to (or ordered from).
        public var vendor: String?
        public var overdueOn: LocalDate?
        public init(states: [String] = [], system: String? = nil, vendor: String? = nil, overdueOn: LocalDate? = nil) {
            self.states = states
            self.system = system
            self.vendor = vendor
            self.overdueOn = overdueOn
        }
    }

    static let summaryColumns: SQL = """
        r.id, r.system, r.title, r.state, r.version, r.priority, r.requester, o.vendor, o.number, o.deadline, r.quote_due,
        r.state_since, r.created_at
        """

    static func summary(_ row: Row) throws -> RequestSummary {
        RequestSummary(id: try row.decode(0), system: try row.decode(1), title: try row.decode(2), state: try row.decode(3),
                       version: try row.decode(4), priority: try row.decode(5), requester: try row.decode(6), vendor: try row.decode(7),
                       orderNumber: try row.decode(8), deadline: try row.decode(9), quoteDue: try row.decode(10),
                       stateSince: try row.decode(11), createdAt: try row.decode(12))
    }

    /// Streams the requests this login may see that match the filter, by system and number.
    /// An unknown state is `invalidData`; a system or vendor that does not exist (for this
    /// login) is `notFound`, so that a typo does not read as "no requests".
    public func requests(_ filter: Filter, _ body: (RequestSummary) throws -> Void) throws {
        if let state = filter.states.first(where: { definition.state($0) == nil }) {
            throw WorkflowError(.invalidData, Message("error.unknown_state", ["state": "\(state)", "known": .words(definition.states.map(\.name))]))
        }
        if filter.system != nil || filter.vendor != nil {
            let found = try run("""
                SELECT \(filter.system) IS NULL OR EXISTS (SELECT 1 FROM system WHERE key = \(filter.system)),
                       \(filter.vendor) IS NULL OR EXISTS (SELECT 1 FROM vendor WHERE key = \(filter.vendor))
                """).first!
            if let system = filter.system, !(try found.decode(0, as: Bool.self)) {
                throw WorkflowError(.notFound, Message("error.no_system", ["system": "\(system)"]))
            }
            if let vendor = filter.vendor, !(try found.decode(1, as: Bool.self)) {
                throw WorkflowError(.notFound, Message("error.no_vendor", ["vendor": "\(vendor)"]))
            }
        }
        var conditions: [SQL] = ["true"]
        if !filter.states.isEmpty { conditions.append("r.state = ANY (\(TextArray(filter.states)))") }
        if let system = filter.system { conditions.append("r.system = \(system)") }
        if let vendor = filter.vendor {
            conditions.append("EXISTS (SELECT 1 FROM invitation i WHERE i.request_id = r.id AND i.vendor = \(vendor))")
        }
        if let today = filter.overdueOn {
            conditions.append("((r.state = 'ordered' AND o.deadline < \(today)) OR (r.state = 'quote_requested' AND r.quote_due < \(today)))")
        }
        let sql: SQL = """
            SELECT \(WorkflowStore.summaryColumns)
            FROM request r LEFT JOIN purchase_order o ON o.request_id = r.id
            WHERE \(SQL.joined(conditions, separator: " AND "))
            ORDER BY r.system, r.number
            """
        try stream(sql) { row in try body(try WorkflowStore.summary(row)) }
    }

    /// One request, or a not-found error.
    public func request(_ id: String) throws -> RequestSummary {
        guard let row = try run("""
            SELECT \(WorkflowStore.summaryColumns)
            FROM request r LEFT JOIN purchase_order o ON o.request_id = r.id WHERE r.id = \(id)
            """).first else { throw WorkflowError(.notFound, Message("error.no_request", ["request": "\(id)"])) }
        return try WorkflowStore.summary(row)
    }

    /// A request with everything this login may see of it, as one JSON document.
    public func details(_ id: String) throws -> JSONValue {
        let summary = try request(id)
        let row = try run("""
            SELECT json_build_object(
              'description', r.description,
              'requester_login', r.requester_login,
              'created_by', r.created_by,
              'invitations', coalesce((SELECT json_agg(json_build_object('vendor', i.vendor, 'due', i.due, 'invited_at', i.invited_at,
                    'quote', (SELECT json_build_object('hours', q.hours, 'price', q.price, 'delivery', q.delivery,
                                                       'quoted_at', q.quoted_at, 'quoted_by', q.quoted_by)
                              FROM quote q WHERE q.request_id = i.request_id AND q.vendor = i.vendor)) ORDER BY i.vendor)
                  FROM invitation i WHERE i.request_id = r.id), '[]'),
              'purchase_order', (SELECT json_build_object('number', o.number, 'vendor', o.vendor, 'contract', c.number, 'price', o.price,
                    'order_date', o.order_date, 'deadline', o.deadline, 'delivered_at', o.delivered_at,
                    'accepted_at', o.accepted_at, 'returns', o.returns, 'released_at', o.released_at,
                    'release_version', o.release_version, 'cancelled_at', o.cancelled_at)
                  FROM purchase_order o JOIN contract c ON c.id = o.contract_id WHERE o.request_id = r.id),
              'comments', (SELECT count(*) FROM comment WHERE request_id = r.id)
            )::text
            FROM request r WHERE r.id = \(id)
            """).first!
        let extra = try JSONValue.parse(try row.decode(0, as: String.self))
        guard case var .object(pairs) = summary.json, case let .object(more) = extra else { return summary.json }
        pairs += more
        return .object(pairs)
    }

    /// The request's history, oldest first, with its comments.
    public func history(_ id: String) throws -> (events: [HistoryEntry], comments: [CommentEntry]) {
        _ = try request(id)
        var events: [HistoryEntry] = []
        try stream("SELECT seq, transition, from_state, to_state, actor, by_login, at, inputs::text FROM event WHERE request_id = \(id) ORDER BY seq") { row in
            events.append(HistoryEntry(seq: try row.decode(0), transition: try row.decode(1), from: try row.decode(2), to: try row.decode(3),
                                       actor: try row.decode(4), byLogin: try row.decode(5), at: try row.decode(6),
                                       inputs: try JSONValue.parse(try row.decode(7, as: String.self))))
        }
        var comments: [CommentEntry] = []
        try stream("SELECT author, by_login, at, body FROM comment WHERE request_id = \(id) ORDER BY at, id") { row in
            comments.append(CommentEntry(author: try row.decode(0), byLogin: try row.decode(1), at: try row.decode(2), body: try row.decode(3)))
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

/// Checks of a request's text fields, shared by `request new` and `request import`.
enum RequestValidation {
    // Lengths count Unicode scalars, as PostgreSQL's length() does: counted in Swift characters,
    // 300 letters with combining accents passed here and then broke the table's CHECK.
    static func check(title: String, description: String?, requester: String?) throws {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw WorkflowError(.invalidData, Message("error.title_empty")) }
        guard trimmed.unicodeScalars.count <= 300 else { throw WorkflowError(.invalidData, Message("error.too_long", ["what": .message(Message("word.title")), "limit": "300"])) }
        if let description, description.unicodeScalars.count > 20_000 {
            throw WorkflowError(.invalidData, Message("error.too_long", ["what": .message(Message("word.description")), "limit": "20000"]))
        }
        if let requester, requester.unicodeScalars.count > 200 {
            throw WorkflowError(.invalidData, Message("error.too_long", ["what": .message(Message("word.requester")), "limit": "200"]))
        }
        for text in [title, description ?? "", requester ?? ""] where text.unicodeScalars.contains(where: { $0.value == 0 }) {
            throw WorkflowError(.invalidData, Message("error.nul"))
        }
    }
}
