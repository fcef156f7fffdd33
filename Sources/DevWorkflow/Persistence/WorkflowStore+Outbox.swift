import Foundation

extension WorkflowStore {
    /// The newest messages of the outbox, of the given statuses (any, when none is given), as JSON objects.
    public func messages(statuses: [String], limit: Int) throws -> [JSONValue] {
        try run("""
            SELECT json_build_object('id', id, 'kind', kind, 'request', request_id, 'rule', rule, 'transition', transition,
                'to', recipient, 'cc', cc, 'status', status, 'attempts', attempts, 'next_attempt_at', next_attempt_at,
                'last_error', last_error, 'created_at', created_at, 'delivered_at', delivered_at,
                'idempotency_key', idempotency_key)::text
            FROM outbox WHERE cardinality(\(TextArray(statuses))) = 0 OR status = ANY(\(TextArray(statuses)))
            ORDER BY id DESC LIMIT \(limit)
            """).map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
    }

    /// Sends a message again (admins); returns the status it had.
    public func retryMessage(_ id: Int64) throws -> String {
        try run("SELECT workflow.retry_outbox(\(id))", denied: Message("error.retry_admins_only")).first!.decode(0, as: String.self)
    }

    /// Changes a reminder rule (admins); a nil value keeps what the rule has.
    public func setReminderRule(_ key: String, enabled: Bool?, days: Int?, repeat: Int?, escalate: Int?) throws {
        try run("""
            SELECT workflow.set_reminder_rule(\(key), \(enabled), \(days.map(Int32.init)), \(`repeat`.map(Int32.init)), \(escalate.map(Int32.init)))
            """, denied: Message("error.rules_admins_only"))
    }

    /// The reminder rules as stored, as JSON objects.
    public func reminderRules() throws -> [JSONValue] {
        try run("""
            SELECT json_build_object('key', key, 'enabled', enabled, 'business_days', business_days, 'repeat_every', repeat_every,
                'escalate_after', escalate_after, 'description', description)::text FROM reminder_rule ORDER BY key
            """).map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
    }

    /// How many requests each system has in each state, in the order of the states.
    public func stateCounts() throws -> [(system: String, state: String, count: Int)] {
        try run("""
            SELECT r.system, r.state, count(*) FROM request r GROUP BY r.system, r.state ORDER BY r.system, \(StatusReport.statePosition), r.state
            """).map { (try $0.decode(0), try $0.decode(1), try $0.decode(2)) }
    }
}
