import Foundation

/// The workflow engine against PostgreSQL: reads what the state machine needs, lets the machine
/// decide, and writes its decision in one statement.
///
/// A move costs two round trips: one query for the facts (request, person, contracts, budget,
/// closures), one call of the schema's `move()` that re-checks and writes state, event and
/// notifications in its own transaction. A tracked request saves the first; moving many tracked
/// requests at once pipelines the second.
public final class WorkflowStore {
    public let connection: Connection
    public let definition: WorkflowDefinition
    let clock: @Sendable () -> Date
    /// Whether a batch of moves may commit them without waiting for the disk and flush once at
    /// the end; false after the server refused the flush statement, and each move waits again.
    private(set) var groupCommit = true

    public init(connection: Connection, definition: WorkflowDefinition = .smallDevelopment,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.connection = connection
        self.definition = definition
        self.clock = clock
    }

    /// Today in Europe/Tallinn by this store's clock.
    public var today: LocalDate { LocalDate.today(at: clock()) }

    /// Runs a statement, turning database errors into `WorkflowError`s.
    @discardableResult
    func run(_ sql: SQL) throws -> QueryResult {
        do { return try connection.query(sql) } catch let error as PostgresError { throw WorkflowError(postgres: error) }
    }

    func stream(_ sql: SQL, _ body: (Row) throws -> Void) throws {
        do { try connection.stream(sql, body) } catch let error as PostgresError { throw WorkflowError(postgres: error) }
    }

    // MARK: Facts

    struct Facts: Decodable {
        let request: RequestFacts?
        let actor: Actor?
        let closures: [LocalDate]
    }

    /// Everything the machine needs to decide a move on a request, in one query.
    func facts(_ id: String, vendors: [String]) throws -> (RequestFacts, Actor?, BusinessCalendar) {
        let today = self.today
        let row = try run("""
            SELECT json_build_object(
              'request', (SELECT json_build_object(
                  'id', r.id, 'system', r.system, 'state', r.state, 'version', r.version,
                  'invitations', coalesce((SELECT json_agg(json_build_object('vendor', i.vendor, 'due', i.due,
                        'quote', (SELECT json_build_object('hours', q.hours::text, 'price', q.price::text, 'delivery', q.delivery)
                                  FROM quote q WHERE q.request_id = i.request_id AND q.vendor = i.vendor)) ORDER BY i.vendor)
                      FROM invitation i WHERE i.request_id = r.id), '[]'),
                  'ordered_vendor', (SELECT o.vendor FROM purchase_order o WHERE o.request_id = r.id),
                  'contracts', coalesce((SELECT json_agg(json_build_object('vendor', c.vendor, 'number', c.number,
                        'valid_from', c.valid_from, 'valid_to', c.valid_to, 'cap', c.cap::text,
                        'used', (SELECT coalesce(sum(o.price), 0) FROM purchase_order o
                                 WHERE o.contract_id = c.id AND o.cancelled_at IS NULL)::text) ORDER BY c.valid_to)
                      FROM contract c WHERE c.vendor = ANY (\(TextArray(vendors)))), '[]'),
                  'budget', (SELECT json_build_object('year', b.year, 'amount', b.amount::text,
                        'used', (SELECT coalesce(sum(o.price), 0) FROM purchase_order o JOIN request r2 ON r2.id = o.request_id
                                 WHERE r2.system = b.system AND extract(year FROM o.order_date) = b.year
                                   AND o.cancelled_at IS NULL)::text)
                      FROM budget b WHERE b.system = r.system AND b.year = \(today.year)),
                  'known_vendors', coalesce((SELECT json_agg(v.key) FROM vendor v WHERE v.key = ANY (\(TextArray(vendors)))), '[]'))
                FROM request r WHERE r.id = \(id)),
              'actor', (SELECT json_build_object('login', p.login, 'role', p.role, 'vendor', p.vendor,
                  'systems', coalesce((SELECT json_agg(ps.system) FROM person_system ps WHERE ps.login = p.login), '[]'))
                FROM person p WHERE p.login = coalesce(nullif(current_setting('devworkflow.act_as', true), ''), session_user)),
              'closures', coalesce((SELECT json_agg(day) FROM calendar_closure WHERE day >= \(today.adding(days: -60))), '[]')
            )::text
            """).first!
        let facts = try JSONDocument(text: try row.decode(0, as: String.self)).decode(Facts.self)
        guard facts.actor != nil else {
            throw WorkflowError(.notPermitted, Message("error.no_person"))
        }
        guard let request = facts.request else { throw WorkflowError(.notFound, Message("error.no_request", ["request": "\(id)"])) }
        return (request, facts.actor, BusinessCalendar(closures: Set(facts.closures)))
    }

    /// The person this session acts as (`--as` or the login), or nil for a login with no person.
    public func actor() throws -> Actor? {
        let row = try run("""
            SELECT json_build_object('login', p.login, 'role', p.role, 'vendor', p.vendor,
                'systems', coalesce((SELECT json_agg(ps.system) FROM person_system ps WHERE ps.login = p.login), '[]'))::text
            FROM person p WHERE p.login = coalesce(nullif(current_setting('devworkflow.act_as', true), ''), session_user)
            """).first
        return try row.map { try JSONDocument(text: try $0.decode(0, as: String.self)).decode(Actor.self) }
    }

    /// The calendar with the closure days the database knows.
    public func calendar() throws -> BusinessCalendar {
        var closures: Set<LocalDate> = []
        for row in try run("SELECT day FROM calendar_closure") { closures.insert(try row.decode(0)) }
        return BusinessCalendar(closures: closures)
    }

    // MARK: Moving

    /// A request whose facts the caller keeps between moves, so that each move costs one round
    /// trip. The facts may go stale (someone else moved the request, spent the budget): the
    /// database re-checks everything and refuses a stale version as a conflict; track again then.
    public struct TrackedRequest: Sendable {
        public fileprivate(set) var facts: RequestFacts
        let actor: Actor?
        let calendar: BusinessCalendar
    }

    /// Reads a request's facts once for a series of moves.
    public func track(_ id: String, vendors: [String] = []) throws -> TrackedRequest {
        let (facts, actor, calendar) = try self.facts(id, vendors: vendors)
        return TrackedRequest(facts: facts, actor: actor, calendar: calendar)
    }

    /// Moves a tracked request in one round trip and keeps its facts in step.
    public func move(_ tracked: inout TrackedRequest, _ transition: String, inputs: TransitionInputs) throws -> MoveOutcome {
        var machine = RequestMachine(definition: definition, facts: tracked.facts)
        let decision = try machine.move(transition, by: tracked.actor, inputs: inputs, today: today, calendar: tracked.calendar)
        let outcome = try write(decision, dryRun: false)
        tracked.facts = machine.facts
        return outcome
    }

    /// Moves a request: the machine decides, the database re-checks and writes, all or nothing.
    ///
    /// - Parameters:
    ///   - expectedVersion: the version the caller saw (`--expect-version`); without it, the
    ///     version just read is expected, so a change in between is still a conflict.
    ///   - dryRun: check everything, the database's own checks included, and write nothing.
    public func move(_ id: String, _ transition: String, inputs: TransitionInputs, expectedVersion: Int? = nil,
                     dryRun: Bool = false) throws -> MoveOutcome {
        let named = inputs.vendors + [inputs.vendor].compactMap { $0 }
        let (facts, actor, calendar) = try self.facts(id, vendors: named)
        if let expectedVersion, expectedVersion != facts.version {
            throw WorkflowError(.conflict, Message("error.changed", ["request": "\(id)", "expected": "\(expectedVersion)", "version": "\(facts.version)",
                                                                       "state": .state(facts.state)]))
        }
        var machine = RequestMachine(definition: definition, facts: facts)
        let decision = try machine.move(transition, by: actor, inputs: inputs, today: today, calendar: calendar)
        return try write(decision, dryRun: dryRun)
    }

    /// Moves many tracked requests, one step each, every move in a transaction of its own, sent
    /// pipelined: the client waits on the network once per batch, not once per move.
    ///
    /// Each step is decided by the machine and re-checked by the database exactly as a single
    /// move is; one refused step (a guard, a stale version) is that step's failure and leaves the
    /// others alone. A tracked request's facts follow its step only when the step was written.
    /// Every step reported written is on disk when this returns.
    ///
    /// Throws only when the batch as a whole is in doubt (a lost connection, a disk that would not
    /// flush): some steps may then have been written; track the requests again.
    public func move(_ requests: inout [TrackedRequest], _ steps: [(transition: String, inputs: TransitionInputs)]) throws
        -> [Result<MoveOutcome, WorkflowError>] {
        precondition(requests.count == steps.count, "one step per tracked request")
        let today = self.today
        var outcomes: [Result<MoveOutcome, WorkflowError>?] = Array(repeating: nil, count: requests.count)
        var decided: [(index: Int, decision: RequestMachine.Decision, facts: RequestFacts)] = []
        for (index, step) in steps.enumerated() {
            var machine = RequestMachine(definition: definition, facts: requests[index].facts)
            do {
                let decision = try machine.move(step.transition, by: requests[index].actor, inputs: step.inputs, today: today,
                                                calendar: requests[index].calendar)
                decided.append((index, decision, machine.facts))
            } catch let error as WorkflowError {
                outcomes[index] = .failure(error)
            }
        }
        guard !decided.isEmpty else { return outcomes.map { $0! } }
        // Group commit done by the client: the moves commit without each waiting for the disk,
        // then one transaction that writes to the WAL and commits synchronously flushes it past
        // all of them, before this returns. Every move reported written is on disk by then, as if
        // each had waited (PostgreSQL's manual, "Asynchronous Commit": a synchronous commit makes
        // the asynchronous ones before it durable). Other sessions may see a move a few
        // milliseconds before it is on disk; workflowd cannot send word of it before then, since
        // its own claim commits synchronously after it.
        let calls = decided.map { WorkflowStore.call($0.decision) }
        let grouped = groupCommit
        let before: [SQL] = grouped ? ["SET synchronous_commit = off"] : []
        let after: [SQL] = grouped ? ["RESET synchronous_commit", WorkflowStore.flush, WorkflowStore.wake] : [WorkflowStore.wake]
        let written: [Result<QueryResult, PostgresError>]
        do { written = try connection.each(before + calls + after) } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        let results = written.dropFirst(before.count).prefix(calls.count)
        if grouped {
            let reset = written[before.count + calls.count], flushed = written[before.count + calls.count + 1]
            // A session left asynchronous would let a later single move return before it is on disk.
            if case let .failure(error) = reset { throw WorkflowError(postgres: error) }
            if case .failure = flushed {
                // The flush statement is refused (EXECUTE revoked): wait for the WAL writer to
                // flush this batch, and let later batches wait for the disk move by move.
                groupCommit = false
                try waitForWALFlush()
            }
        }
        for (entry, result) in zip(decided, results) {
            switch result {
            case let .success(rows):
                outcomes[entry.index] = .success(try WorkflowStore.outcome(entry.decision, rows, dryRun: false))
                requests[entry.index].facts = entry.facts
            case let .failure(error):
                outcomes[entry.index] = .failure(WorkflowError(postgres: error))
            }
        }
        return outcomes.map { $0! }
    }

    /// Wakes workflowd for the notifications this session's committed transactions queued.
    ///
    /// Product sessions set `devworkflow.wake_after_commit` (see `Database.settings`), so `move()`
    /// and the proposal trigger queue notifications without `pg_notify`: that holds a cluster-wide
    /// lock through the commit's flush and made every move in the cluster commit alone. This
    /// statement runs after them, in a transaction of its own, in the same round trip.
    static let wake = Connection.notification(Outbox.channel, payload: "committed")

    /// Runs one write that may queue notifications (a move, a proposal), then the wake-up, in
    /// one round trip. Every such write goes through here or through the batch move: a write
    /// that skipped the wake-up would leave its messages for workflowd's timer.
    func writeThenWake(_ sql: SQL) throws -> QueryResult {
        try connection.each([sql, WorkflowStore.wake])[0].get()
    }

    /// Waits until the WAL this session has written so far is on disk.
    func waitForWALFlush(timeout: TimeInterval = 10) throws {
        let end = try run("SELECT pg_current_wal_insert_lsn()::text").first!.decode(0, as: String.self)
        let deadline = Date().addingTimeInterval(timeout)
        while try !run("SELECT pg_current_wal_flush_lsn() >= \(end)::pg_lsn").first!.decode(0, as: Bool.self) {
            guard Date() < deadline else {
                throw WorkflowError(.unavailable, Message("error.not_flushed", ["seconds": "\(Int(timeout))"]))
            }
            usleep(2_000)
        }
    }

    /// A transaction that writes to the WAL and so, committed synchronously, flushes it up to
    /// here: an XID alone writes nothing, and a commit that wrote nothing waits for nothing.
    static let flush: SQL = "SELECT pg_logical_emit_message(true, 'devworkflow', 'batch')"

    /// The schema's `move()` called with a decision: one statement that re-checks and writes it.
    /// Of `move()`'s answer only the order number is new to the caller (the machine knows the
    /// rest), so only that comes back: no JSON to parse on every move.
    static func call(_ decision: RequestMachine.Decision) -> SQL {
        """
        SELECT workflow.move(\(decision.request), \(decision.transition), \(Int32(decision.expectedVersion)), \(JSONDocument(text: decision.inputs.json.text))) ->> 'order'
        """
    }

    /// What a written decision did, from `move()`'s answer.
    static func outcome(_ decision: RequestMachine.Decision, _ result: QueryResult, dryRun: Bool) throws -> MoveOutcome {
        let order = try result.first!.decode(0, as: String?.self)
        return MoveOutcome(request: decision.request, transition: decision.transition, from: decision.from, to: decision.to,
                           version: decision.expectedVersion + 1, orderNumber: order, dryRun: dryRun, inputs: decision.inputs)
    }

    /// Writes a decision with the schema's `move()`, in one statement (a dry run rolls it back).
    func write(_ decision: RequestMachine.Decision, dryRun: Bool) throws -> MoveOutcome {
        let call = WorkflowStore.call(decision)
        let result: QueryResult
        do {
            if dryRun {
                result = try connection.pipeline(["BEGIN", call, "ROLLBACK"])[1]
            } else {
                result = try writeThenWake(call)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        return try WorkflowStore.outcome(decision, result, dryRun: dryRun)
    }

    /// What this person may do with a request now, and what each step needs.
    public func transitions(_ id: String) throws -> (RequestFacts, [RequestMachine.Option]) {
        let (facts, actor, _) = try self.facts(id, vendors: [])
        return (facts, RequestMachine(definition: definition, facts: facts).options(for: actor))
    }
}

@available(*, unavailable)
extension WorkflowStore: Sendable {}
