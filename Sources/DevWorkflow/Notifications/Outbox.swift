import Foundation

/// The outbox as the daemon drains it: claim under a lease, settle, retry with backoff, rescue.
///
/// Several daemons may drain one outbox: a claim takes rows `FOR UPDATE SKIP LOCKED` and stamps
/// them with this drainer's owner id and a lease; a delivery is recorded only while the lease is
/// still ours; expired leases go back to the pool. A message is therefore delivered at least
/// once and repeated only when a daemon died or stalled with it in flight — with the same
/// idempotency key, so a receiver can tell.
public final class Outbox {
    /// The channel on which the schema (sql/0002, 0003) and `WorkflowStore` wake workflowd.
    public static let channel = "devworkflow_outbox"

    public let connection: Connection
    /// Who holds the leases this drainer takes (host, process, random), in logs and the table.
    public let owner: String
    public let policy: RetryPolicy

    /// How long to wait between attempts, and when to give up.
    public struct RetryPolicy: Sendable {
        /// The lease on a claimed message; past it, another daemon may take it.
        public var lease: TimeInterval = 60
        /// Attempts before a message ends as `failed`.
        public var maxAttempts = 6
        /// The wait after the first failure; it doubles each time, with ±25 % jitter.
        public var baseDelay: TimeInterval = 5
        public var maxDelay: TimeInterval = 3600
        public init(lease: TimeInterval = 60, maxAttempts: Int = 6, baseDelay: TimeInterval = 5, maxDelay: TimeInterval = 3600) {
            self.lease = lease
            self.maxAttempts = maxAttempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }

        /// The wait before attempt `attempts + 1`, jittered by `unit` (0…1) so daemons spread out.
        public func delay(afterAttempt attempts: Int, unit: Double) -> TimeInterval {
            let exponential = baseDelay * pow(2, Double(max(0, attempts - 1)))
            return min(maxDelay, exponential) * (0.75 + 0.5 * unit)
        }
    }

    public init(connection: Connection, owner: String = Outbox.defaultOwner(), policy: RetryPolicy = RetryPolicy()) {
        self.connection = connection
        self.owner = owner
        self.policy = policy
    }

    /// `host:pid:random`.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Returns expired leases to the pool; returns how many.
    @discardableResult
    public func rescue() throws -> Int {
        try connection.execute("""
            UPDATE outbox SET lease_owner = NULL, lease_until = NULL
            WHERE status = 'pending' AND lease_until IS NOT NULL AND lease_until < now()
            """)
    }

    /// Claims up to `limit` messages that are due and not leased by anyone else.
    ///
    /// The due messages are read in their order from `outbox_pending_order_idx` (sql/0021) and
    /// updated by their ids: a claim reads its batch, however many messages wait and however
    /// many were delivered before (`IN (subquery)` let the planner join the whole table).
    public func claim(limit: Int) throws -> [OutboxMessage] {
        let rows = try connection.query("""
            UPDATE outbox o SET lease_owner = \(owner), lease_until = now() + make_interval(secs => \(policy.lease)),
                                attempts = o.attempts + 1
            WHERE o.id = ANY (ARRAY(SELECT id FROM outbox
                                    WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                                    ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED))
            RETURNING o.id, o.kind, o.rule, o.transition, o.request_id, o.recipient, o.recipient_name, o.lang, o.payload::text,
                      o.idempotency_key, o.attempts, o.created_at, array_to_string(o.cc, ','), workflow.recipient_logs_in(o.recipient),
                      workflow.recipient_is_vendor(o.recipient)
            """)
        var unreadable: [(Int64, String)] = []
        let messages: [OutboxMessage] = try rows.compactMap { row in
            // A row this client cannot read ends as failed, with why, instead of stopping the
            // daemon for every other message (issue 13).
            do {
                return try Outbox.message(row)
            } catch {
                unreadable.append((try row.decode(0), "unreadable: \(error)"))
                return nil
            }
        }
        for (id, reason) in unreadable {
            _ = try connection.execute("""
                UPDATE outbox SET status = 'failed', last_error = \(String(reason.prefix(1000))), lease_owner = NULL, lease_until = NULL
                WHERE id = \(id) AND lease_owner = \(owner)
                """)
        }
        return messages.sorted { $0.id < $1.id }
    }

    /// One claimed row as a message; throws when the row holds what no message can be.
    static func message(_ row: Row) throws -> OutboxMessage {
        let kindText: String = try row.decode(1)
        guard let kind = OutboxMessage.Kind(rawValue: kindText) else {
            throw WorkflowError(.internalError, Message("error.outbox_kind", ["kind": "\(kindText)"]))
        }
        var message = OutboxMessage(id: try row.decode(0), kind: kind, rule: try row.decode(2), transition: try row.decode(3),
                                    request: try row.decode(4), recipient: try row.decode(5), recipientName: try row.decode(6),
                                    lang: try row.decode(7), payload: try JSONValue.parse(try row.decode(8, as: String.self)),
                                    idempotencyKey: try row.decode(9), attempts: try row.decode(10), createdAt: try row.decode(11))
        message.cc = try row.decode(12, as: String.self).split(separator: ",").map(String.init)
        message.recipientLogsIn = try row.decode(13, as: Bool?.self)
        message.recipientIsVendor = try row.decode(14, as: Bool?.self)
        return message
    }

    /// The messages with their signed reply addresses (each written to a person about a request),
    /// their Message-IDs recorded so a reply's `In-Reply-To` finds them: for mail. The codes come
    /// from the database, which alone holds the secret.
    public func withReplyAddresses(_ messages: [OutboxMessage]) throws -> [OutboxMessage] {
        guard !messages.isEmpty else { return messages }
        var local: [Int64: String] = [:]
        for row in try connection.query("SELECT id, request, login, code FROM workflow.mail_reply_codes(\(Int64Array(messages.map(\.id))))") {
            let token = ReplyToken(request: try row.decode(1), recipient: try row.decode(2))
            let hex = Array(try row.decode(3, as: String.self).utf8)
            let code = stride(from: 0, to: hex.count - 1, by: 2).compactMap { UInt8(String(decoding: hex[$0...$0 + 1], as: UTF8.self), radix: 16) }
            local[try row.decode(0)] = token.localPart(code: code)
        }
        return messages.map { message in
            var message = message
            message.replyLocalPart = local[message.id]
            return message
        }
    }

    /// Records deliveries, for the messages whose lease is still ours; returns the ids recorded.
    /// How many messages wait for a retry after a failed attempt: pending, attempted before, and
    /// in no daemon's hands (a claim counts its attempt while it holds the lease).
    public func waitingForRetry() throws -> Int {
        try connection.query("""
            SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts > 0 AND (lease_until IS NULL OR lease_until < now())
            """).first!.decode(0, as: Int.self)
    }

    /// Messages another workflowd holds now — or held when it stopped mid-batch: they are
    /// delivered once its lease ends (by whoever claims them then), not by this pass.
    public func leasedElsewhere() throws -> Int {
        try connection.query("""
            SELECT count(*) FROM outbox WHERE status = 'pending' AND lease_until >= now() AND lease_owner IS DISTINCT FROM \(owner)
            """).first!.decode(0, as: Int.self)
    }

    public func markDelivered(_ ids: [Int64]) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let rows = try connection.query("""
            UPDATE outbox SET status = 'delivered', delivered_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL
            WHERE id = ANY (\(Int64Array(ids))) AND lease_owner = \(owner) AND status = 'pending'
            RETURNING id
            """)
        return Set(try rows.map { try $0.decode(0, as: Int64.self) })
    }

    /// What happened to a failed attempt.
    public enum FailureOutcome: Equatable, Sendable {
        /// It will be tried again at this time.
        case retry(at: Date)
        /// It used its attempts and now waits, visibly failed, for `outbox retry`.
        case failed
        /// Our lease had expired and another daemon has the message.
        case leaseLost
    }

    /// Records a failed attempt: retried later with backoff and jitter, or `failed` for good
    /// (at once when `permanent`: a message that can never be delivered, like a bad address).
    public func markFailed(_ message: OutboxMessage, error: String, permanent: Bool = false) throws -> FailureOutcome {
        let giveUp = permanent || message.attempts >= policy.maxAttempts
        let delay = policy.delay(afterAttempt: message.attempts, unit: Double.random(in: 0...1))
        let row = try connection.query("""
            UPDATE outbox SET status = \(giveUp ? "failed" : "pending"), last_error = \(String(error.prefix(1000))),
                              next_attempt_at = now() + make_interval(secs => \(delay)), lease_owner = NULL, lease_until = NULL
            WHERE id = \(message.id) AND lease_owner = \(owner) AND status = 'pending'
            RETURNING next_attempt_at
            """).first
        guard let row else { return .leaseLost }
        return giveUp ? .failed : .retry(at: try row.decode(0))
    }

    /// Gives claimed messages back untried (on shutdown), without counting the attempt.
    public func release(_ ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        try connection.execute("""
            UPDATE outbox SET lease_owner = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0)
            WHERE id = ANY (\(Int64Array(ids))) AND lease_owner = \(owner) AND status = 'pending'
            """)
    }
}

@available(*, unavailable)
extension Outbox: Sendable {}
