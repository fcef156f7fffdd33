import Foundation

extension Commands {
    /// `outbox list|retry`, `reminder rules`.
    static var outbox: [Command] {
        [
            Command("outbox", "list", options: [.flag("failed", "help.option.outbox.list.failed"),
                                                .flag("pending", "help.option.outbox.list.pending"),
                                                .value("limit", "N", "help.option.outbox.list.limit")],
                    summary: "help.outbox.list") { call in
                let limit = try call.integer("limit") ?? 50
                guard (1...100_000).contains(limit) else { throw WorkflowError(.invalidData, Message("error.range", ["option": "--limit", "low": "1", "high": "100000"])) }
                let status: String? = call.flag("failed") ? "failed" : call.flag("pending") ? "pending" : nil
                let rows = try call.store().messages(status: status, limit: limit)
                let text = PeopleText(call.language)
                call.emit(.object([("messages", .array(rows))]), text: rows.isEmpty ? call.say("out.no_messages") : rows.map { row in
                    let what = row["transition"] == .null ? text.say("out.outbox.reminder", ["rule": "\(row["rule"]?.plain ?? "")"])
                        : text.say("out.outbox.notification", ["transition": "\(text.name("transition", row["transition"]?.plain ?? ""))"])
                    return text.say("out.outbox.line", ["id": "\(row["id"]?.plain ?? "")", "status": "\(text.say("out.outbox.status.\(row["status"]?.plain ?? "pending")"))",
                                                        "what": "\(what)", "request": "\(row["request"]?.plain ?? "")", "to": "\(row["to"]?.plain ?? "")",
                                                        "attempts": "\(row["attempts"]?.plain ?? "")", "created": "\(text.time(row["created_at"]))"])
                        + ((row["last_error"].map { $0 == .null } ?? true) ? "" : "  " + text.say("out.outbox.error", ["error": "\(row["last_error"]?.plain ?? "")"]))
                }.joined(separator: "\n"))
            },
            Command("outbox", "retry", arguments: "ID", positionals: 1...1, summary: "help.outbox.retry") { call in
                let id = Int64(try Invocation.integer(call.argument(0), option: "ID"))
                let previous = try call.store().retryMessage(id)
                call.emit(.object([("id", .string(String(id))), ("was", .string(previous)), ("status", "pending")]),
                          text: call.say("out.retried", ["id": "\(id)", "was": "\(previous)"]))
            },
            Command("reminder", "rules", arguments: "[list | set KEY]", positionals: 0...2,
                    options: [.value("days", "N", "help.option.reminder.rules.days"), .value("repeat", "N", "help.option.reminder.rules.repeat"),
                              .value("escalate", "N", "help.option.reminder.rules.escalate"), .flag("enable", "help.option.reminder.rules.enable"),
                              .flag("disable", "help.option.reminder.rules.disable")],
                    summary: "help.reminder.rules") { call in
                let store = try call.store()
                switch call.positionals.first ?? "list" {
                case "list":
                    guard call.positionals.count <= 1 else { throw WorkflowError(.usage, Message("error.rules_list_key")) }
                case "set":
                    guard call.positionals.count == 2 else { throw WorkflowError(.usage, Message("error.rules_set_key")) }
                    if call.flag("enable") && call.flag("disable") { throw WorkflowError(.usage, Message("error.enable_disable")) }
                    let enabled: Bool? = call.flag("enable") ? true : call.flag("disable") ? false : nil
                    func days(_ name: String) throws -> Int? {
                        guard let value = try call.integer(name) else { return nil }
                        guard (name == "days" ? 0...250 : 1...250).contains(value) else {
                            throw WorkflowError(.invalidData, Message("error.range", ["option": "--\(name)", "low": "\(name == "days" ? 0 : 1)", "high": "250"]))
                        }
                        return value
                    }
                    try store.setReminderRule(call.positionals[1], enabled: enabled, days: try days("days"), repeat: try days("repeat"),
                                              escalate: try days("escalate"))
                default:
                    throw WorkflowError(.usage, Message("error.unknown_command", ["command": "reminder rules \(call.positionals[0])", "known": "list, set KEY"]))
                }
                let rules = try store.reminderRules()
                let width = rules.map { ($0["key"]?.plain ?? "").count }.max() ?? 0
                call.emit(.object([("rules", .array(rules))]), text: rules.map { rule in
                    let key = rule["key"]?.plain ?? ""
                    var settings = "N=\(rule["business_days"]?.plain ?? "")"
                        + (rule["repeat_every"] == .null ? "" : " R=\(rule["repeat_every"]?.plain ?? "")")
                        + (rule["escalate_after"] == .null ? "" : " E=\(rule["escalate_after"]?.plain ?? "")")
                    settings += String(repeating: " ", count: max(0, 14 - settings.count))
                    // The built-in rules are described in the reader's language; a rule added by hand by its own description.
                    let description = ReportFormatting.text("out.rule.\(key)", in: call.language, fallback: rule["description"]?.plain ?? "")
                    return key.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + call.say(rule["enabled"] == .bool(true) ? "out.rule.on" : "out.rule.off") + "  " + settings + "  " + description
                }.joined(separator: "\n"))
            },
        ]
    }
}
