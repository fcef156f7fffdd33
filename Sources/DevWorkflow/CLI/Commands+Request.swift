import Foundation

extension OptionSpec {
    static let priority = Option<String>("priority", "N", help: "help.option.priority", complete: .choices(["1", "2", "3", "4", "5"]))
    static let moveVendor = Repeated<String>("vendor", "KEY", help: "help.option.vendor", complete: .live(.vendors))
    static let due = Option<String>("due", "DATE", help: "help.option.due")
    static let hours = Option<String>("hours", "H", help: "help.option.hours")
    static let price = Option<String>("price", "EUR", help: "help.option.price")
    static let delivery = Option<String>("delivery", "DATE", help: "help.option.delivery")
    static let deadline = Option<String>("deadline", "DATE", help: "help.option.deadline")
    static let reason = Option<String>("reason", "TEXT", help: "help.option.reason")
    static let note = Option<String>("note", "TEXT", help: "help.option.note")
    static let versionName = Option<String>("version-name", "V", help: "help.option.version-name")
    static let expectVersion = Option<Int>("expect-version", "N", help: "help.option.expect-version")
    static let dryRun = Flag("dry-run", help: "help.option.dry-run")

    static let newSystem = Option<String>("system", "KEY", help: "help.option.request.new.system", complete: .live(.systems))
    static let newTitle = Required<String>("title", "TEXT", help: "help.option.request.new.title")
    static let newDescription = Option<String>("description", "TEXT", help: "help.option.request.new.description")
    static let newRequester = Option<String>("requester", "TEXT", help: "help.option.request.new.requester")

    static let listState = Repeated<String>("state", "S", help: "help.option.request.list.state", complete: .live(.states))
    static let listSystem = Option<String>("system", "KEY", help: "help.option.request.list.system", complete: .live(.systems))
    static let listVendor = Option<String>("vendor", "KEY", help: "help.option.request.list.vendor", complete: .live(.vendors))
    static let overdue = Flag("overdue", help: "help.option.request.list.overdue")
    static let mine = Flag("mine", help: "help.option.request.list.mine")
    static let search = Option<String>("search", "TEXT", help: "help.option.request.list.search")
    static let sort = Option<String>("sort", "id|created|state|priority|deadline", help: "help.option.request.list.sort")
    static let listLimit = Option<Int>("limit", "N", help: "help.option.request.list.limit")
    static let offset = Option<Int>("offset", "N", help: "help.option.request.list.offset")

    static let internalComment = Flag("internal", help: "help.option.request.comment.internal")

    static let drawingFormat = Option<String>("format", "text|dot|mermaid", help: "help.option.workflow.show.format")
    static let definitionName = Option<String>("definition", "NAME", help: "help.option.workflow.show.definition")
    static let holidaysYear = Required<Int>("year", "YYYY", help: "help.option.calendar.holidays.year")
    static let closureNote = Option<String>("note", "TEXT", help: "help.option.calendar.closure.note")
}

extension ValueCompletion {
    /// A request id, then a transition allowed now (`request move ID TRANSITION`).
    static let requestThenTransition: [ValueCompletion] = [.live(.requests), .live(.transitions)]
}

extension Commands {
    static let moveOptions: [OptionSpec] = [.priority, .moveVendor, .due, .hours, .price, .delivery, .deadline, .reason, .note, .versionName,
                                            .expectVersion, .dryRun]

    /// `request …`: proposing, listing, reading and moving change requests.
    static var request: [Command] {
        [
            Command("request", "new", options: [.newSystem, .newTitle, .newDescription, .newRequester, .warrantyOf],
                    summary: "help.request.new") { call in
                let system = try call[.newSystem]
                if let order = try call[.warrantyOf] {
                    // A claim is in its order's system, on the warranty road.
                    guard system == nil else { throw WorkflowError(.usage, Message("error.claim_needs_no_system")) }
                    let claim = try call.store().openWarrantyClaim(on: order, title: try call[.newTitle], description: try call[.newDescription],
                                                                   requester: try call[.newRequester])
                    call.emit(.object([("id", .string(claim.id)), ("state", "proposed"), ("version", .int(claim.version)),
                                       ("definition", "warranty"), ("warranty_of", .string(claim.order)),
                                       ("warranty_end", .string(claim.warrantyEnd.description))]),
                              text: call.say("out.claim_opened", ["request": "\(claim.id)", "order": "\(claim.order)",
                                                                  "end": "\(claim.warrantyEnd)"]))
                    return
                }
                guard let system else { throw WorkflowError(.usage, Message("error.claim_needs_system")) }
                let proposed = try call.store().propose(system: system, title: try call[.newTitle],
                                                        description: try call[.newDescription], requester: try call[.newRequester])
                call.emit(.object([("id", .string(proposed.id)), ("state", "proposed"), ("version", .int(proposed.version))]),
                          text: call.say("out.proposed", ["request": "\(proposed.id)"]))
            },
            Command("request", "list", options: [.listState, .listSystem, .listVendor, .overdue, .mine, .search, .sort, .listLimit, .offset],
                    summary: "help.request.list", pages: true) { call in
                let store = try call.store()
                var filter = WorkflowStore.Filter(states: try call[.listState], system: try call[.listSystem], vendor: try call[.listVendor],
                                                  overdueOn: call[.overdue] ? store.today : nil)
                filter.mine = call[.mine]
                filter.search = try call[.search]
                filter.sort = try call[.sort] ?? "id"
                filter.limit = try call[.listLimit]
                filter.offset = try call[.offset] ?? 0
                // Straight onto a terminal (no pager took the output): a page, not 20 000 rows,
                // unless --limit asks for more; a pipe or a file gets everything.
                let capped = filter.limit == nil && !call.json && call.out.isTerminal
                if capped { filter.limit = Commands.terminalPage }
                var count = 0
                let text = PeopleText(call.language)
                // For people, in columns as wide as a batch's widest cell (batches of 500, streamed);
                // read on a terminal (or through the pager), a long title is cut to its width.
                var batch: [RequestSummary] = []
                func writeBatch() {
                    let heading = call.out.isRead && !batch.isEmpty && count == batch.count
                    for line in text.lines(batch, width: call.out.isRead ? call.width : nil, heading: heading) { call.out.line(TerminalText.line(line)) }
                    batch.removeAll(keepingCapacity: true)
                }
                let total = try store.requests(filter) { request in
                    if call.json {
                        if count == 0 {
                            call.beginJSON("{\n  \"requests\": [") { error in "\n  ],\n  \"count\": \(count),\n  \"error\": \(error)\n}\n" }
                        }
                        call.out.write((count == 0 ? "\n    " : ",\n    ") + request.json.text)
                    } else {
                        batch.append(request)
                        if batch.count == 500 { writeBatch() }
                    }
                    count += 1
                }
                writeBatch()
                if count == 0 {
                    call.emit(.object([("requests", .array([])), ("count", .int(0)), ("total", .int(0))]), text: call.say("out.no_requests"))
                } else if call.json {
                    call.endJSON("\n  ],\n  \"count\": \(count),\n  \"total\": \(total)\n}\n")
                } else if capped && filter.offset + count < total {
                    call.out.line(call.say("out.list.terminal_page", ["from": "\(filter.offset + 1)", "to": "\(filter.offset + count)",
                                                                      "total": "\(total)", "next": "\(filter.offset + count)"]))
                } else if count < total {
                    let more = filter.offset + count < total
                    call.out.line(call.say(more ? "out.list.page_more" : "out.list.page_last",
                                           ["from": "\(filter.offset + 1)", "to": "\(filter.offset + count)", "total": "\(total)",
                                            "next": "\(filter.offset + count)"]))
                }
            },
            Command("request", "show", arguments: "ID", positionals: 1...1, summary: "help.request.show", complete: [.live(.requests)],
                    pages: true) { call in
                let details = try call.store().details(call.argument(0))
                call.emit(details, text: PeopleText(call.language).show(details, width: call.width))
            },
            Command("request", "history", arguments: "ID", positionals: 1...1, summary: "help.request.history", complete: [.live(.requests)],
                    pages: true) { call in
                let id = call.argument(0)
                let (events, comments) = try call.store().history(id)
                call.emit(.object([("request", .string(id)), ("events", .array(events.map(\.json))), ("comments", .array(comments.map(\.json)))]),
                          text: PeopleText(call.language).history(events, comments, width: call.width))
            },
            Command("request", "transitions", arguments: "ID", positionals: 1...1, summary: "help.request.transitions",
                    complete: [.live(.requests)]) { call in
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
                    // The step, what it needs and what it may take; wrapped at the terminal's width
                    // (80 when it is not one), as are the explanations under it.
                    var parts = [call.say("out.transitions.step", ["transition": .transition(option.transition), "to": .state(option.to)])]
                    if !option.required.isEmpty { parts.append(call.say("out.transitions.needs", ["options": .words(option.required.map(\.option))])) }
                    if !option.optional.isEmpty { parts.append("[\(option.optional.map(\.option).joined(separator: ", "))]") }
                    lines += Terminal.wrap(words: parts, width: call.width, first: "  \(option.allowed ? "+" : "-") ", rest: "      ")
                    let explain = { (text: String) in lines += Terminal.wrap(text, width: call.width, first: "      ", rest: "        ") }
                    if let reason = option.reason {
                        // Who may take the step, or what about the request stands in its way now.
                        let why = reason.key == "error.may_not" ? "out.transitions.not_for_you" : "out.transitions.not_now"
                        explain(call.say(why, ["reason": .message(reason)]))
                    }
                    if !option.guards.isEmpty {
                        explain(call.say("out.transitions.guards", ["guards": .list(option.guards.map { .message(Message("guard.\($0)")) }, conjunction: false)]))
                    }
                }
                if now.options.isEmpty { lines.append("  " + call.say("out.transitions.final", ["state": .state(now.state)])) }
                call.emit(json, text: lines.joined(separator: "\n"))
            },
            Command("request", "move", arguments: "ID TRANSITION", positionals: 2...2, options: moveOptions,
                    summary: "help.request.move", complete: ValueCompletion.requestThenTransition) { call in
                let id = call.argument(0), transition = call.argument(1)
                // The values as typed: move() checks every one of them (what a value may be is its
                // rule, the same for psql), in its order. Only forms people write that it does not
                // read (1 500,00 or 12,5) are put into its own form here.
                var fields: [(String, JSONValue)] = []
                func put(_ field: String, _ option: Option<String>, _ normalise: (String) -> String? = { _ in nil }) throws {
                    if let text = try call[option] { fields.append((field, .string(normalise(text) ?? text))) }
                }
                let date = { (text: String) in (try? PeopleInput.date(text))?.description }
                try put("priority", .priority)
                try put("due", .due, date)
                try put("hours", .hours) { PeopleInput.hours($0).map { "\($0)" } }
                try put("price", .price) { (try? PeopleInput.money($0))?.description }
                try put("delivery", .delivery, date)
                try put("deadline", .deadline, date)
                try put("reason", .reason)
                try put("note", .note)
                try put("version_name", .versionName)
                let vendors = try call[.moveVendor]
                if vendors.count > 1 {
                    fields.append(("vendors", .array(vendors.map(JSONValue.string))))
                } else if let vendor = vendors.first {
                    fields.append(("vendor", .string(vendor)))
                }
                let outcome = try call.store().move(WorkflowStore.MoveCall(id, transition, json: .object(fields),
                                                                           expectedVersion: try call[.expectVersion]),
                                                    dryRun: call[.dryRun])
                // The dates the move set, given or filled in (quotes due +5 business days, the
                // order's deadline): said, since the reader did not necessarily write them, and
                // whether one falls on a day off (a date given by hand may).
                let people = PeopleText(call.language)
                let dates = try [("due", "out.move.quotes_due"), ("deadline", "out.move.deadline")].compactMap { key, message -> String? in
                    guard let shown = people.date(outcome.inputs[key]) else { return nil }
                    let off = try (outcome.inputs[key]?.plain).flatMap { try? LocalDate(parsing: $0) }.flatMap { try call.store().dayOff($0) }
                    return "\n" + call.say(message, ["date": "\(shown)"]) + (off.map { " (" + Self.dayOff($0, call) + ")" } ?? "")
                }.joined()
                let text = (outcome.dryRun
                    ? call.say("out.move.dry_run", ["request": "\(id)", "transition": .transition(transition), "from": .state(outcome.from), "to": .state(outcome.to)])
                    : outcome.from == outcome.to
                    // hold, resume, invite: the step is the news, not the state.
                    ? call.say("out.move.done_in_place", ["request": "\(id)", "transition": .transition(transition), "state": .state(outcome.to),
                                                          "version": "\(outcome.version)"])
                    : call.say(outcome.orderNumber == nil ? "out.move.done" : "out.move.done_order",
                               ["request": "\(id)", "from": .state(outcome.from), "to": .state(outcome.to), "version": "\(outcome.version)",
                                "order": "\(outcome.orderNumber ?? "")"])) + dates
                call.emit(outcome.json, text: text)
            },
            Command("request", "comment", arguments: "ID TEXT", positionals: 2...2, options: [.internalComment],
                    summary: "help.request.comment", complete: [.live(.requests), .none]) { call in
                try call.store().comment(call.argument(0), call.argument(1), isInternal: call[.internalComment])
                call.emit(.object([("request", .string(call.argument(0))), ("commented", true)]), text: call.say("out.commented", ["request": "\(call.argument(0))"]))
            },
        ]
    }

    /// "a public holiday: Christmas Day", "a closure day", "a weekend day".
    static func dayOff(_ off: WorkflowStore.DayOff, _ call: Invocation) -> String {
        switch off {
        case let .holiday(key): call.say("out.day_off.holiday", ["holiday": .message(Message("holiday.\(key)"))])
        case .closure: call.say("out.day_off.closure")
        case .weekend: call.say("out.day_off.weekend")
        }
    }

    /// How many requests `request list` writes straight onto a terminal when no pager takes them.
    static let terminalPage = 100

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
            Command("workflow", "show", options: [.drawingFormat, .definitionName],
                    summary: "help.workflow.show") { call in
                let definition = try call.store().definition(try call[.definitionName] ?? "small_development")
                let formatText = try call[.drawingFormat] ?? "text"
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
                // The text drawing broken at the width; dot and mermaid are code, kept as they are.
                let drawing = definition.draw(format, language: call.language)
                call.emit(json, text: format == .text ? call.fitted(drawing.components(separatedBy: "\n"), rest: "        ") : drawing)
            },
        ]
    }

    /// `calendar …`: Estonian business days.
    static var calendar: [Command] {
        [
            Command("calendar", "holidays", options: [.holidaysYear], summary: "help.calendar.holidays") { call in
                let year = try call[.holidaysYear]
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
                let start = try PeopleInput.date(call.argument(0))
                let count = try Commands.businessDayCount(call.argument(1))
                let result = try call.store().adding(businessDays: count, to: start)
                call.emit(.object([("date", .string(result.description))]), text: result.description)
            },
            Command("calendar", "closure", arguments: "add|remove DATE", positionals: 2...2, options: [.closureNote],
                    summary: "help.calendar.closure", complete: [.choices(["add", "remove"]), .none]) { call in
                let verb = call.argument(0)
                guard verb == "add" || verb == "remove" else {
                    let suggestion = Suggestion.closest(to: verb, among: ["add", "remove"])
                    throw WorkflowError(.usage, Message(suggestion == nil ? "error.unknown_command" : "error.unknown_command_hint",
                                                        ["command": "calendar closure \(verb)", "known": "add DATE, remove DATE",
                                                         "suggestion": "calendar closure \(suggestion ?? "")"]))
                }
                let day = try PeopleInput.date(call.argument(1))
                if verb == "add" {
                    try call.store().addClosure(day, note: try call[.closureNote] ?? "")
                } else {
                    try call.store().removeClosure(day)
                }
                call.emit(.object([("date", .string(day.description)), (verb == "add" ? "added" : "removed", true)]),
                          text: call.say(verb == "add" ? "out.closure_added" : "out.closure_removed", ["date": "\(day)"]))
            },
            listing("calendar", .closures) { row, text in "\(text.date(row["date"]) ?? "")  \(row["note"]?.plain ?? "")" },
        ]
    }
}
