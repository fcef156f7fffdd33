import Foundation

extension OptionSpec {
    static let failed = Flag("failed", help: "help.option.outbox.list.failed")
    static let pending = Flag("pending", help: "help.option.outbox.list.pending")
    static let outboxLimit = Option<Int>("limit", "N", help: "help.option.outbox.list.limit")
    static let ruleDays = Option<Int>("days", "N", help: "help.option.reminder.rules.days")
    static let ruleRepeat = Option<Int>("repeat", "N", help: "help.option.reminder.rules.repeat")
    static let ruleEscalate = Option<Int>("escalate", "N", help: "help.option.reminder.rules.escalate")
    static let enable = Flag("enable", help: "help.option.reminder.rules.enable")
    static let disable = Flag("disable", help: "help.option.reminder.rules.disable")
    static let allFailed = Flag("all-failed", help: "help.option.outbox.retry.all-failed")
    static let failedOfRequest = Option<String>("request", "ID", help: "help.option.outbox.retry.request", complete: .live(.requests))
}

extension Commands {
    /// `outbox list|retry`, `reminder rules`.
    static var outbox: [Command] {
        [
            Command("outbox", "list", options: [.failed, .pending, .outboxLimit],
                    summary: "help.outbox.list", pages: true) { call in
                let limit = try call[.outboxLimit] ?? 50
                guard (1...100_000).contains(limit) else { throw WorkflowError(.invalidData, Message("error.range", ["option": "--limit", "low": "1", "high": "100000"])) }
                // --failed and --pending together list both: every message not delivered.
                let statuses = (call[.failed] ? ["failed"] : []) + (call[.pending] ? ["pending"] : [])
                let store = try call.store()
                let rows = try staffListing("outbox", store) { try store.messages(statuses: statuses, limit: limit) }
                let text = PeopleText(call.language)
                call.emit(.object([("messages", .array(rows))]), text: rows.isEmpty ? call.say("out.no_messages") : call.fitted(rows.map { row in
                    let what = row["transition"] == .null ? text.say("out.outbox.reminder", ["rule": "\(row["rule"]?.plain ?? "")"])
                        : text.say("out.outbox.notification", ["transition": "\(text.name("transition", row["transition"]?.plain ?? ""))"])
                    return text.say("out.outbox.line", ["id": "\(row["id"]?.plain ?? "")", "status": "\(text.say("out.outbox.status.\(row["status"]?.plain ?? "pending")"))",
                                                        "what": "\(what)", "request": "\(row["request"]?.plain ?? "")", "to": "\(row["to"]?.plain ?? "")",
                                                        "attempts": "\(row["attempts"]?.plain ?? "")", "created": "\(text.time(row["created_at"]))"])
                        + ((row["last_error"].map { $0 == .null } ?? true) ? "" : "  " + text.say("out.outbox.error", ["error": "\(row["last_error"]?.plain ?? "")"]))
                }, rest: "      "))
            },
            Command("outbox", "retry", arguments: "[ID]", positionals: 0...1, options: [.allFailed, .failedOfRequest],
                    summary: "help.outbox.retry") { call in
                let request = try call[.failedOfRequest]
                guard let idText = call.positionals.first else {
                    guard call[.allFailed] || request != nil else { throw WorkflowError(.usage, Message("error.retry_what")) }
                    let count = try call.store().retryFailedMessages(request: request)
                    call.emit(.object([("retried", .int(count)), ("request", .optional(request)), ("status", "pending")]),
                              text: call.say("out.retried_failed", ["count": "\(count)"]))
                    return
                }
                guard !call[.allFailed] && request == nil else { throw WorkflowError(.usage, Message("error.retry_what")) }
                let id = Int64(try Invocation.integer(idText, option: "ID"))
                let previous = try call.store().retryMessage(id)
                call.emit(.object([("id", .string(String(id))), ("was", .string(previous)), ("status", "pending")]),
                          text: call.say("out.retried", ["id": "\(id)", "was": "\(previous)"]))
            },
            Command("reminder", "rules", arguments: "[list | set KEY]", positionals: 0...2,
                    options: [.ruleDays, .ruleRepeat, .ruleEscalate, .enable, .disable],
                    summary: "help.reminder.rules", complete: [.choices(["list", "set"]), .none]) { call in
                let store = try call.store()
                switch call.positionals.first ?? "list" {
                case "list":
                    guard call.positionals.count <= 1 else { throw WorkflowError(.usage, Message("error.rules_list_key")) }
                case "set":
                    guard call.positionals.count == 2 else { throw WorkflowError(.usage, Message("error.rules_set_key")) }
                    if call[.enable] && call[.disable] { throw WorkflowError(.usage, Message("error.enable_disable")) }
                    let enabled: Bool? = call[.enable] ? true : call[.disable] ? false : nil
                    func days(_ option: Option<Int>) throws -> Int? {
                        guard let value = try call[option] else { return nil }
                        let low = option === OptionSpec.ruleDays ? 0 : 1
                        guard (low...250).contains(value) else {
                            throw WorkflowError(.invalidData, Message("error.range", ["option": "--\(option.name)", "low": "\(low)", "high": "250"]))
                        }
                        return value
                    }
                    try store.setReminderRule(call.positionals[1], enabled: enabled, days: try days(.ruleDays), repeat: try days(.ruleRepeat),
                                              escalate: try days(.ruleEscalate))
                default:
                    throw WorkflowError(.usage, Message("error.unknown_command", ["command": "reminder rules \(call.positionals[0])", "known": "list, set KEY"]))
                }
                let rules = try store.reminderRules()
                let width = rules.map { ($0["key"]?.plain ?? "").count }.max() ?? 0
                call.emit(.object([("rules", .array(rules))]), text: rules.flatMap { rule in
                    let key = rule["key"]?.plain ?? ""
                    var settings = "N=\(rule["business_days"]?.plain ?? "")"
                        + (rule["repeat_every"] == .null ? "" : " R=\(rule["repeat_every"]?.plain ?? "")")
                        + (rule["escalate_after"] == .null ? "" : " E=\(rule["escalate_after"]?.plain ?? "")")
                    settings += String(repeating: " ", count: max(0, 14 - settings.count))
                    // The built-in rules are described in the reader's language; a rule added by hand by its own description.
                    let description = ReportFormatting.text("out.rule.\(key)", in: call.language, fallback: rule["description"]?.plain ?? "")
                    let on = call.say(rule["enabled"] == .bool(true) ? "out.rule.on" : "out.rule.off")
                    let columns = key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + on + "  " + settings + "  "
                    // The description broken under its own column.
                    return Terminal.breaking(description, width: call.width, first: columns, rest: String(repeating: " ", count: columns.count))
                }.joined(separator: "\n"))
            },
        ]
    }
}
