import Foundation

extension Commands {
    static let moveOptions: [OptionSpec] = [
        .value("priority", "N", "help.option.priority"),
        .value("vendor", "KEY", "help.option.vendor", repeatable: true),
        .value("due", "DATE", "help.option.due"),
        .value("hours", "H", "help.option.hours"), .value("price", "EUR", "help.option.price"),
        .value("delivery", "DATE", "help.option.delivery"),
        .value("deadline", "DATE", "help.option.deadline"),
        .value("reason", "TEXT", "help.option.reason"), .value("note", "TEXT", "help.option.note"),
        .value("version-name", "V", "help.option.version-name"),
        .value("expect-version", "N", "help.option.expect-version"),
        .flag("dry-run", "help.option.dry-run"),
    ]

    /// `request …`: proposing, listing, reading and moving change requests.
    static var request: [Command] {
        [
            Command("request", "new", options: [.value("system", "KEY", "help.option.request.new.system"), .value("title", "TEXT", "help.option.request.new.title"),
                                                 .value("description", "TEXT", "help.option.request.new.description"), .value("requester", "TEXT", "help.option.request.new.requester")],
                    summary: "help.request.new") { call in
                try call.require(["system", "title"])
                let proposed = try call.store().propose(system: try call.required("system"), title: try call.required("title"),
                                                        description: call.value("description"), requester: call.value("requester"))
                call.emit(.object([("id", .string(proposed.id)), ("state", "proposed"), ("version", .int(proposed.version))]),
                          text: call.say("out.proposed", ["request": "\(proposed.id)"]))
            },
            Command("request", "list", options: [.value("state", "S", "help.option.request.list.state", repeatable: true),
                                                  .value("system", "KEY", "help.option.request.list.system"),
                                                  .value("vendor", "KEY", "help.option.request.list.vendor"),
                                                  .flag("overdue", "help.option.request.list.overdue")],
                    summary: "help.request.list") { call in
                let store = try call.store()
                let filter = WorkflowStore.Filter(states: call.all("state"), system: call.value("system"), vendor: call.value("vendor"),
                                                  overdueOn: call.flag("overdue") ? store.today : nil)
                var count = 0
                let text = PeopleText(call.language)
                try store.requests(filter) { request in
                    if call.json {
                        if count == 0 {
                            call.beginJSON("{\n  \"requests\": [") { error in "\n  ],\n  \"count\": \(count),\n  \"error\": \(error)\n}\n" }
                        }
                        call.out.write((count == 0 ? "\n    " : ",\n    ") + request.json.text)
                    } else {
                        call.out.line(TerminalText.line(text.line(request)))
                    }
                    count += 1
                }
                if count == 0 {
                    call.emit(.object([("requests", .array([])), ("count", .int(0))]), text: call.say("out.no_requests"))
                } else if call.json {
                    call.endJSON("\n  ],\n  \"count\": \(count)\n}\n")
                }
            },
            Command("request", "show", arguments: "ID", positionals: 1...1, summary: "help.request.show") { call in
                let details = try call.store().details(call.argument(0))
                call.emit(details, text: PeopleText(call.language).show(details))
            },
            Command("request", "history", arguments: "ID", positionals: 1...1, summary: "help.request.history") { call in
                let id = call.argument(0)
                let (events, comments) = try call.store().history(id)
                call.emit(.object([("request", .string(id)), ("events", .array(events.map(\.json))), ("comments", .array(comments.map(\.json)))]),
                          text: PeopleText(call.language).history(events, comments))
            },
            Command("request", "transitions", arguments: "ID", positionals: 1...1, summary: "help.request.transitions") { call in
                let now = try call.store().transitions(call.argument(0))
                let json = JSONValue.object([
                    ("request", .string(now.request)), ("state", .string(now.state)), ("version", .int(now.version)),
                    ("definition", .string(now.definition)),
                    ("transitions", .array(now.options.map { option in
                        .object([("name", .string(option.transition)), ("to", .string(option.to)), ("allowed", .bool(option.allowed)),
                                 ("reason", .optional(option.reason?.text(call.language))), ("reason_key", .optional(option.reason?.key)),
                                 ("required", .array(option.required.map { .string($0.rawValue) })),
                                 ("optional", .array(option.optional.map { .string($0.rawValue) })),
                                 ("guards", .array(option.guards.map { .string(Message("guard.\($0)").text(call.language)) }))])
                    })),
                ])
                var lines = [call.say("out.transitions.head", ["request": "\(now.request)", "state": .state(now.state), "version": "\(now.version)"])]
                for option in now.options {
                    lines.append("  \(option.allowed ? "+" : "-") \(call.say("out.transitions.step", ["transition": .transition(option.transition), "to": .state(option.to)]))"
                        + (option.required.isEmpty ? "" : "  " + call.say("out.transitions.needs", ["options": .words(option.required.map(\.option))]))
                        + (option.optional.isEmpty ? "" : "  [\(option.optional.map(\.option).joined(separator: ", "))]"))
                    if let reason = option.reason { lines.append("      " + call.say("out.transitions.not_for_you", ["reason": .message(reason)])) }
                    if !option.guards.isEmpty {
                        lines.append("      " + call.say("out.transitions.guards", ["guards": .list(option.guards.map { .message(Message("guard.\($0)")) }, conjunction: false)]))
                    }
                }
                if now.options.isEmpty { lines.append("  " + call.say("out.transitions.final", ["state": .state(now.state)])) }
                call.emit(json, text: lines.joined(separator: "\n"))
            },
            Command("request", "move", arguments: "ID TRANSITION", positionals: 2...2, options: moveOptions,
                    summary: "help.request.move") { call in
                let id = call.argument(0), transition = call.argument(1)
                // The values as typed: move() checks every one of them (what a value may be is its
                // rule, the same for psql), in its order. Only forms people write that it does not
                // read (1 500,00 or 12,5) are put into its own form here.
                var fields: [(String, JSONValue)] = []
                func put(_ field: String, _ option: String, _ normalise: (String) -> String? = { _ in nil }) {
                    if let text = call.value(option) { fields.append((field, .string(normalise(text) ?? text))) }
                }
                put("priority", "priority")
                put("due", "due") { (try? LocalDate(parsing: $0))?.description }
                put("hours", "hours") { TransitionInputs.parseHours($0).map { "\($0)" } }
                put("price", "price") { (try? Money(parsing: $0))?.description }
                put("delivery", "delivery") { (try? LocalDate(parsing: $0))?.description }
                put("deadline", "deadline") { (try? LocalDate(parsing: $0))?.description }
                put("reason", "reason")
                put("note", "note")
                put("version_name", "version-name")
                let vendors = call.all("vendor")
                if vendors.count > 1 {
                    fields.append(("vendors", .array(vendors.map(JSONValue.string))))
                } else if let vendor = vendors.first {
                    fields.append(("vendor", .string(vendor)))
                }
                let outcome = try call.store().move(WorkflowStore.MoveCall(id, transition, json: .object(fields),
                                                                           expectedVersion: try call.integer("expect-version")),
                                                    dryRun: call.flag("dry-run"))
                let text = outcome.dryRun
                    ? call.say("out.move.dry_run", ["request": "\(id)", "transition": .transition(transition), "from": .state(outcome.from), "to": .state(outcome.to)])
                    : call.say(outcome.orderNumber == nil ? "out.move.done" : "out.move.done_order",
                               ["request": "\(id)", "from": .state(outcome.from), "to": .state(outcome.to), "version": "\(outcome.version)",
                                "order": "\(outcome.orderNumber ?? "")"])
                call.emit(outcome.json, text: text)
            },
            Command("request", "comment", arguments: "ID TEXT", positionals: 2...2, options: [.flag("internal", "help.option.request.comment.internal")],
                    summary: "help.request.comment") { call in
                try call.store().comment(call.argument(0), call.argument(1), isInternal: call.flag("internal"))
                call.emit(.object([("request", .string(call.argument(0))), ("commented", true)]), text: call.say("out.commented", ["request": "\(call.argument(0))"]))
            },
        ]
    }

    /// `calendar add`'s N: a whole number of business days, at most 10 000 either way.
    static func businessDayCount(_ text: String) throws -> Int {
        // magnitude, not abs(): abs(Int.min) traps.
        guard let count = Int(text), count.magnitude <= 10_000 else {
            throw WorkflowError(.invalidData, Message("error.business_days_count", ["value": "\(text.prefix(20))"]))
        }
        return count
    }

    /// `workflow show`.
    static var workflow: [Command] {
        [
            Command("workflow", "show", options: [.value("format", "text|dot|mermaid", "help.option.workflow.show.format"),
                                                   .value("definition", "NAME", "help.option.workflow.show.definition")],
                    summary: "help.workflow.show") { call in
                let definition = try call.store().definition(call.value("definition") ?? "small_development")
                let formatText = call.value("format") ?? "text"
                guard let format = WorkflowDefinition.DrawingFormat(rawValue: formatText) else {
                    throw WorkflowError(.usage, Message("error.unknown_format", ["format": "\(formatText)", "known": "text, dot, mermaid"]))
                }
                let json = JSONValue.object([
                    ("name", .string(definition.name)), ("start", .string(definition.start)), ("format", .string(format.rawValue)),
                    ("states", .array(definition.states.map { .object([("name", .string($0.name)), ("final", .bool($0.isFinal))]) })),
                    ("transitions", .array(definition.transitions.map { transition in
                        .object([("name", .string(transition.name)), ("from", .array(transition.from.map(JSONValue.string))),
                                 ("to", .optional(transition.to)), ("actors", .array(transition.actors.map { .string($0.rawValue) })),
                                 ("required", .array(transition.required.map { .string($0.rawValue) })),
                                 ("optional", .array(transition.optional.map { .string($0.rawValue) })),
                                 ("guards", .array(transition.guards.map(JSONValue.string))),
                                 ("effects", .array(transition.effects.map(JSONValue.string))),
                                 ("notify", .array(transition.notify.map { .string($0.rawValue) }))])
                    })),
                    ("drawing", .string(definition.draw(format, language: call.language))),
                ])
                call.emit(json, text: definition.draw(format, language: call.language))
            },
        ]
    }

    /// `calendar …`: Estonian business days.
    static var calendar: [Command] {
        [
            Command("calendar", "holidays", options: [.value("year", "YYYY", "help.option.calendar.holidays.year")], summary: "help.calendar.holidays") { call in
                guard let year = try call.integer("year") else { throw WorkflowError(.usage, Message("error.option_needed", ["command": "calendar holidays", "option": "--year YYYY"])) }
                guard (1900...2200).contains(year) else { throw WorkflowError(.invalidData, Message("error.range", ["option": "--year", "low": "1900", "high": "2200"])) }
                let holidays = try call.store().holidays(in: year)
                // PRODUCT.md: the JSON is a list of {"date", "name"}.
                // The text in the reader's language (an English reader also sees the Estonian name).
                let formatting = ReportFormatting.for(call.language)
                call.emit(.array(holidays.map { .object([("date", .string($0.date.description)), ("name", .string($0.name(in: .en))),
                                                         ("name_et", .string($0.name(in: .et))), ("key", .string($0.key))]) }),
                          text: holidays.map { holiday in
                              "\(formatting.date(holiday.date))  "
                                  + (call.language == .et ? holiday.name(in: .et) : "\(holiday.name(in: .en)) (\(holiday.name(in: .et)))")
                          }.joined(separator: "\n"))
            },
            Command("calendar", "add", arguments: "DATE N", positionals: 2...2,
                    summary: "help.calendar.add") { call in
                let start = try LocalDate(parsing: call.argument(0))
                let count = try Commands.businessDayCount(call.argument(1))
                let result = try call.store().adding(businessDays: count, to: start)
                call.emit(.object([("date", .string(result.description))]), text: result.description)
            },
            Command("calendar", "closure", arguments: "add DATE", positionals: 2...2, options: [.value("note", "TEXT", "help.option.calendar.closure.note")],
                    summary: "help.calendar.closure") { call in
                guard call.argument(0) == "add" else {
                    throw WorkflowError(.usage, Message("error.unknown_command", ["command": "calendar closure \(call.argument(0))", "known": "add DATE"]))
                }
                let day = try LocalDate(parsing: call.argument(1))
                try call.store().addClosure(day, note: call.value("note") ?? "")
                call.emit(.object([("date", .string(day.description)), ("added", true)]), text: call.say("out.closure_added", ["date": "\(day)"]))
            },
            listing("calendar", .closures) { row, text in "\(text.date(row["date"]) ?? "")  \(row["note"]?.plain ?? "")" },
        ]
    }
}

extension Commands {
    /// `request import`.
    static var requestImport: Command {
        Command("request", "import", arguments: "FILE|-", positionals: 1...1, options: [.value("system", "KEY", "help.option.request.import.system")],
                summary: "help.request.import") { call in
            try call.require(["system"])
            let path = call.argument(0)
            let handle = path == "-" ? FileHandle.standardInput : try Files.openForReading(path)
            let result = try call.store().importRequests(system: try call.required("system"), from: CSVReader(readingFrom: handle))
            call.emit(.object([("system", .string(result.system)), ("imported", .int(result.count)), ("first", .optional(result.first)),
                               ("last", .optional(result.last))]),
                      text: result.count == 0 ? call.say("out.import.none")
                        : call.say("out.import.done", ["count": "\(result.count)", "system": "\(result.system)", "first": "\(result.first ?? "")",
                                                        "last": "\(result.last ?? "")"]))
        }
    }
}
