import Foundation

/// The workflow engine against PostgreSQL: every move is one call of the schema's `move()`,
/// which decides and writes it (sql/0006: the rules live there, once, whatever way a move comes
/// in). The store sends the call, wakes workflowd after the commit, and reads back what happened.
///
/// A move costs one round trip; many moves can share one (`move(_:)` with a batch, pipelined).
public final class WorkflowStore {
    public let connection: Connection
    let clock: @Sendable () -> Date
    /// Whether a batch of moves may commit them without waiting for the disk and flush once at
    /// the end; false after the server refused the flush statement, and each move waits again.
    private(set) var groupCommit = true

    public init(connection: Connection, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.connection = connection
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

    /// A JSON document one of the schema's functions returns.
    func document(_ sql: SQL) throws -> JSONValue {
        guard let row = try run(sql).first, let text = try row.decode(0, as: String?.self) else {
            throw WorkflowError(.internalError, Message("error.database", ["state": "-", "reason": "no answer"]))
        }
        return try JSONValue.parse(text)
    }

    /// The person this session acts as (`--as` or the login); a login with no person record is
    /// refused by the database (`error.no_person`).
    public func actor() throws -> Actor {
        let json = try document("SELECT workflow.whoami()::text")
        guard let login = json["login"]?.plain, let role = json["role"].flatMap({ PersonRole(rawValue: $0.plain) }) else {
            throw WorkflowError(.notPermitted, Message("error.no_person"))
        }
        var systems: Set<String> = []
        if case let .array(items)? = json["systems"] { systems = Set(items.map(\.plain)) }
        return Actor(login: login, role: role, systems: systems, vendor: json["vendor"].flatMap { $0 == .null ? nil : $0.plain })
    }

    /// A workflow definition as the database holds it.
    public func definition(_ name: String = "small_development") throws -> WorkflowDefinition {
        let text = try run("SELECT workflow.definition(\(name))::text").first!.decode(0, as: String.self)
        do { return try JSONDocument(text: text).decode(WorkflowDefinition.self) } catch let error as PostgresError { throw WorkflowError(postgres: error) }
    }

    /// The business-day calendar: the public holidays and closures the database knows (its
    /// `days_off()` is the one definition of a day off).
    public func calendar() throws -> BusinessCalendar { try BusinessCalendar.load(from: connection) }

    /// The date `count` business days after (before, when negative) a date, as `move()`'s
    /// defaults count them.
    public func adding(businessDays count: Int, to date: LocalDate) throws -> LocalDate {
        try run("SELECT workflow.add_business_days(\(date), \(count)::integer)").first!.decode(0)
    }

    /// Why a day is not a business day, or nil when it is one.
    public enum DayOff: Equatable, Sendable {
        /// A public holiday, by its key (`holiday.KEY` in the catalogue).
        case holiday(String)
        /// A day the organisation closes (`calendar close`).
        case closure
        case weekend
    }

    /// Whether a day is off, as `add_business_days()` counts days off.
    public func dayOff(_ date: LocalDate) throws -> DayOff? {
        if let row = try run("SELECT kind, coalesce(key, '') FROM workflow.days_off(\(date), \(date)) LIMIT 1").first {
            return try row.decode(0, as: String.self) == "closure" ? .closure : .holiday(try row.decode(1))
        }
        return date.isWeekend ? .weekend : nil
    }

    /// The public holidays of a year.
    public func holidays(in year: Int) throws -> [Holiday] {
        try run("SELECT day, key FROM workflow.public_holidays(\(year)::integer)").map { Holiday(date: try $0.decode(0), key: try $0.decode(1)) }
    }

    // MARK: Moving

    /// One move: which request, which transition, its inputs and the version the caller saw.
    public struct MoveCall: Sendable {
        public var request: String
        public var transition: String
        /// The inputs as `move()` reads them: a JSON object of the transition's fields.
        public var inputs: JSONValue
        public var expectedVersion: Int?
        public init(_ request: String, _ transition: String, inputs: TransitionInputs = TransitionInputs(), expectedVersion: Int? = nil) {
            self.init(request, transition, json: inputs.json, expectedVersion: expectedVersion)
        }
        /// Inputs as given (`workflowctl` passes what was typed; `move()` checks every value).
        public init(_ request: String, _ transition: String, json inputs: JSONValue, expectedVersion: Int? = nil) {
            self.request = request
            self.transition = transition
            self.inputs = inputs
            self.expectedVersion = expectedVersion
        }
    }

    /// Moves a request, all or nothing: `move()` checks the acting person, the request, the
    /// version, the transition, the permission, the inputs and the guards, in that order, and
    /// writes the step with its event and notifications.
    ///
    /// - Parameters:
    ///   - expectedVersion: the version the caller saw (`--expect-version`); a change since is a
    ///     conflict.
    ///   - dryRun: the same call in a transaction rolled back: every check, nothing written.
    public func move(_ id: String, _ transition: String, inputs: TransitionInputs = TransitionInputs(), expectedVersion: Int? = nil,
                     dryRun: Bool = false) throws -> MoveOutcome {
        try move(MoveCall(id, transition, inputs: inputs, expectedVersion: expectedVersion), dryRun: dryRun)
    }

    /// Moves a request as `move(_:_:inputs:expectedVersion:dryRun:)` does, with the inputs as given.
    public func move(_ call: MoveCall, dryRun: Bool = false) throws -> MoveOutcome {
        let result: QueryResult
        do {
            if dryRun {
                result = try connection.pipeline(["BEGIN", WorkflowStore.call(call), "ROLLBACK"])[1]
            } else {
                result = try writeThenWake(WorkflowStore.call(call))
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        return try WorkflowStore.outcome(call, result, dryRun: dryRun)
    }

    /// Moves many requests, one step each, every move in a transaction of its own, sent
    /// pipelined: the client waits on the network once per batch, not once per move.
    ///
    /// One refused step (a guard, a stale version) is that step's failure and leaves the others
    /// alone. Every step reported written is on disk when this returns.
    ///
    /// Throws only when the batch as a whole is in doubt (a lost connection, a disk that would not
    /// flush): some steps may then have been written.
    public func move(_ calls: [MoveCall]) throws -> [Result<MoveOutcome, WorkflowError>] {
        guard !calls.isEmpty else { return [] }
        // Group commit (see `groupCommitted`): every move reported written is on disk on return.
        let results = try groupCommitted(calls.map(WorkflowStore.call))
        return try zip(calls, results).map { call, result in
            switch result {
            case let .success(rows): return .success(try WorkflowStore.outcome(call, rows, dryRun: false))
            case let .failure(error): return .failure(WorkflowError(postgres: error))
            }
        }
    }

    /// Runs statements pipelined, each in a transaction of its own (`Connection.each`), then
    /// wakes workflowd; every statement that succeeded is on disk when this returns.
    ///
    /// Group commit done by the client: the statements commit without each waiting for the disk,
    /// then one transaction that writes to the WAL and commits synchronously flushes it past all
    /// of them, before this returns. Every statement reported written is on disk by then, as if
    /// each had waited (PostgreSQL's manual, "Asynchronous Commit": a synchronous commit makes the
    /// asynchronous ones before it durable). Other sessions may see a write a few milliseconds
    /// before it is on disk; workflowd cannot send word of it before then, since its own claim
    /// commits synchronously after it.
    ///
    /// Throws only when the batch as a whole is in doubt (a lost connection, a disk that would not
    /// flush): some statements may then have been written.
    func groupCommitted(_ statements: [SQL]) throws -> [Result<QueryResult, PostgresError>] {
        let grouped = groupCommit
        let before: [SQL] = grouped ? ["SET synchronous_commit = off"] : []
        let after: [SQL] = grouped ? ["RESET synchronous_commit", WorkflowStore.flush, WorkflowStore.wake] : [WorkflowStore.wake]
        let written: [Result<QueryResult, PostgresError>]
        do { written = try connection.each(before + statements + after) } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        if grouped {
            let reset = written[before.count + statements.count], flushed = written[before.count + statements.count + 1]
            // A session left asynchronous would let a later single write return before it is on disk.
            if case let .failure(error) = reset { throw WorkflowError(postgres: error) }
            if case .failure = flushed {
                // The flush statement is refused (EXECUTE revoked): wait for the WAL writer to
                // flush this batch, and let later batches wait for the disk statement by statement.
                groupCommit = false
                try waitForWALFlush()
            }
        }
        return Array(written.dropFirst(before.count).prefix(statements.count))
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

    /// The schema's `move()` called for a move: one statement that checks and writes it.
    static func call(_ call: MoveCall) -> SQL {
        """
        SELECT workflow.move(\(call.request), \(call.transition), \(call.expectedVersion.map(Int32.init)), \(JSONDocument(text: call.inputs.text)))::text
        """
    }

    /// What a written move did, from `move()`'s answer.
    static func outcome(_ call: MoveCall, _ result: QueryResult, dryRun: Bool) throws -> MoveOutcome {
        let answer = try JSONValue.parse(try result.first!.decode(0, as: String.self))
        guard let from = answer["from"]?.plain, let to = answer["state"]?.plain, let version = answer["version"].flatMap({ Int($0.plain) })
        else { throw WorkflowError(.internalError, Message("error.database", ["state": "-", "reason": "move() answered \(answer.text.prefix(200))"])) }
        let order = answer["order"].flatMap { $0 == .null ? nil : $0.plain }
        return MoveOutcome(request: call.request, transition: call.transition, from: from, to: to, version: version, orderNumber: order,
                           dryRun: dryRun, inputs: answer["inputs"] ?? .object([]))
    }

    /// What the acting person may do with a request now, as `move()` would decide it.
    public func transitions(_ id: String) throws -> TransitionOptions {
        let json = try document("SELECT workflow.transitions(\(id))::text")
        func fields(_ value: JSONValue?) -> [WorkflowDefinition.InputField] {
            guard case let .array(items)? = value else { return [] }
            return items.compactMap { WorkflowDefinition.InputField(rawValue: $0.plain) }
        }
        var options: [TransitionOptions.Option] = []
        if case let .array(items)? = json["transitions"] {
            for item in items {
                let refusal = item["refusal"].flatMap { $0 == .null ? nil : WorkflowError.catalogueText(in: $0.text) }
                var guards: [String] = []
                if case let .array(names)? = item["guards"] { guards = names.map(\.plain) }
                options.append(.init(transition: item["name"]?.plain ?? "", to: item["to"]?.plain ?? "", allowed: refusal == nil,
                                     reason: refusal, required: fields(item["required"]), optional: fields(item["optional"]), guards: guards))
            }
        }
        return TransitionOptions(request: json["request"]?.plain ?? id, state: json["state"]?.plain ?? "",
                                 version: Int(json["version"]?.plain ?? "") ?? 0, definition: json["definition"]?.plain ?? "",
                                 options: options)
    }
}

/// What a person may do with a request now (`request transitions`).
public struct TransitionOptions: Sendable, Equatable {
    /// A transition leaving the current state, and whether this person may take it.
    public struct Option: Sendable, Equatable {
        public let transition: String
        public let to: String
        public let allowed: Bool
        /// Why not, when not allowed: the refusal `move()` would give.
        public let reason: Message?
        public let required: [WorkflowDefinition.InputField]
        public let optional: [WorkflowDefinition.InputField]
        /// The guards it runs, by name.
        public let guards: [String]
    }
    public let request: String
    public let state: String
    public let version: Int
    public let definition: String
    public let options: [Option]
}

@available(*, unavailable)
extension WorkflowStore: Sendable {}
