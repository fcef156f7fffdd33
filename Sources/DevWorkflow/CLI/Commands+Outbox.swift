import Foundation

extension Commands {
    /// `outbox list|retry`, `reminder rules`.
    static var outbox: [Command] {
        [
            Command("outbox", "list", options: [.flag("failed", "only messages that used all their attempts"),
                                                .flag("pending", "only messages waiting to be sent"),
                                                .value("limit", "N", "at most N messages, newest first (default 50)")],
                    summary: "messages queued for workflowd, with their state and last error") { call in
                let limit = try call.integer("limit") ?? 50
                guard (1...100_000).contains(limit) else { throw WorkflowError(.invalidData, "--limit must be 1 to 100000") }
                let status: String? = call.flag("failed") ? "failed" : call.flag("pending") ? "pending" : nil
                let rows = try call.store().run("""
                    SELECT json_build_object('id', id, 'kind', kind, 'request', request_id, 'rule', rule, 'transition', transition,
                        'to', recipient, 'status', status, 'attempts', attempts, 'next_attempt_at', next_attempt_at,
                        'last_error', last_error, 'created_at', created_at, 'delivered_at', delivered_at,
                        'idempotency_key', idempotency_key)::text
                    FROM outbox WHERE \(status) IS NULL OR status = \(status)
                    ORDER BY id DESC LIMIT \(limit)
                    """).map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
                call.emit(.object([("messages", .array(rows))]), text: rows.isEmpty ? "no messages" : rows.map { row in
                    "\(row["id"]?.plain ?? "")  \(row["status"]?.plain ?? "")  \(row["kind"]?.plain ?? "") \(row["transition"] == .null ? row["rule"]?.plain ?? "" : row["transition"]?.plain ?? "")  \(row["request"]?.plain ?? "")  to \(row["to"]?.plain ?? "")  attempts \(row["attempts"]?.plain ?? "")"
                        + ((row["last_error"].map { $0 == .null } ?? true) ? "" : "  error: \(row["last_error"]?.plain ?? "")")
                }.joined(separator: "\n"))
            },
            Command("outbox", "retry", arguments: "ID", positionals: 1...1, summary: "send a failed message again (admins)") { call in
                guard let id = Int64(call.argument(0)) else { throw WorkflowError(.invalidData, "message id '\(call.argument(0))' is not a number") }
                let previous = try call.store().run("SELECT workflow.retry_outbox(\(id))", denied: "only admins may retry messages")
                    .first!.decode(0, as: String.self)
                call.emit(.object([("id", .string(String(id))), ("was", .string(previous)), ("status", "pending")]),
                          text: "message \(id) (\(previous)) is queued again")
            },
            Command("reminder", "rules", arguments: "[list | set KEY]", positionals: 0...2,
                    options: [.value("days", "N", "business days the rule waits"), .value("repeat", "N", "repeat every N business days"),
                              .value("escalate", "N", "tell an admin after N business days"), .flag("enable", "turn the rule on"),
                              .flag("disable", "turn the rule off")],
                    summary: "list the reminder rules, or change one (admins)") { call in
                let store = try call.store()
                switch call.positionals.first ?? "list" {
                case "list":
                    guard call.positionals.count <= 1 else { throw WorkflowError(.usage, "'reminder rules list' takes no key") }
                case "set":
                    guard call.positionals.count == 2 else { throw WorkflowError(.usage, "'reminder rules set' needs the rule's key") }
                    if call.flag("enable") && call.flag("disable") { throw WorkflowError(.usage, "--enable or --disable, not both") }
                    let enabled: Bool? = call.flag("enable") ? true : call.flag("disable") ? false : nil
                    func days(_ name: String) throws -> Int32? {
                        guard let value = try call.integer(name) else { return nil }
                        guard (name == "days" ? 0...250 : 1...250).contains(value) else {
                            throw WorkflowError(.invalidData, "--\(name) \(value) is out of range: expected \(name == "days" ? 0 : 1) to 250")
                        }
                        return Int32(value)
                    }
                    try store.run("SELECT workflow.set_reminder_rule(\(call.positionals[1]), \(enabled), \(try days("days")), \(try days("repeat")), \(try days("escalate")))",
                                  denied: "only admins may edit reminder rules")
                default:
                    throw WorkflowError(.usage, "unknown command 'reminder rules \(call.positionals[0])': expected list or set KEY")
                }
                let rules = try store.run("""
                    SELECT json_build_object('key', key, 'enabled', enabled, 'business_days', business_days, 'repeat_every', repeat_every,
                        'escalate_after', escalate_after, 'description', description)::text FROM reminder_rule ORDER BY key
                    """).map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
                call.emit(.object([("rules", .array(rules))]), text: rules.map { rule in
                    "\(rule["key"]?.plain ?? "")  \(rule["enabled"] == .bool(true) ? "on " : "off")  N=\(rule["business_days"]?.plain ?? "")"
                        + (rule["repeat_every"] == .null ? "" : " R=\(rule["repeat_every"]?.plain ?? "")")
                        + (rule["escalate_after"] == .null ? "" : " E=\(rule["escalate_after"]?.plain ?? "")")
                        + "  \(rule["description"]?.plain ?? "")"
                }.joined(separator: "\n"))
            },
        ]
    }
}
