import Foundation

/// How workflowctl's text output reads for a person (requests, their history, the listings, the outbox): labelled lines in
/// the reader's language, states and transitions by their names, dates, money and times (in
/// Europe/Tallinn) written the way that language writes them. `--json` is the stable form for
/// programs; this is the form for people.
struct PeopleText {
    let language: Language
    let formatting: ReportFormatting

    init(_ language: Language) {
        self.language = language
        self.formatting = ReportFormatting.for(language)
    }

    func say(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String { Message(key, arguments).text(language) }

    /// A state or transition by its name in this language.
    func name(_ kind: String, _ key: String) -> String { ReportFormatting.text("\(kind).\(key)", in: language) }

    /// One line of `request files`: the file's number and name, what it is, its size and digest,
    /// who attached it when, and who besides staff sees it.
    func file(_ file: StoredFile) -> String {
        var line = say("out.file.line", ["file": "\(file.number)", "name": "\(oneLine(file.name))", "size": "\(formatting.integer(Int(file.size)))",
                                         "kind": "\(ReportFormatting.text("act.file_kind.\(file.kind)", in: language, fallback: file.kind))",
                                         "sha256": "\(file.sha256)", "at": "\(formatting.timestamp(file.attachedAt))", "by": "\(file.attachedBy)"])
        if file.isInternal { line += "  " + say("out.file.internal") }
        if let vendor = file.vendor { line += "  " + say("out.file.vendor", ["vendor": "\(vendor)"]) }
        return line
    }

    /// One line of `request list`, as `lines(_:width:)` lays out a list of one.
    func line(_ request: RequestSummary) -> String { lines([request], width: nil)[0] }

    /// `request list`'s rows in columns: the id, the state (an order the buyer holds marked so),
    /// the priority, the vendor, the date it waits for (quotes due while quotes are asked for,
    /// else the order's deadline), and the title; each column as wide as its widest cell among
    /// these rows, an empty column left out. With `heading`, the columns' names first. With
    /// `width` (a person reads the list on a terminal) a title longer than the room left ends
    /// in "…".
    func lines(_ requests: [RequestSummary], width: Int?, heading: Bool = false) -> [String] {
        var rows = requests.map { request -> [String] in
            var state = ReportFormatting.text("list_state.\(request.state)", in: language, fallback: name("state", request.state))
            if request.heldSince != nil { state += ", " + say("out.list.held") }
            if request.isLate { state += ", " + say("out.list.late") }
            var due = ""
            if request.state == "quote_requested", let date = request.quoteDue {
                due = formatting.date(date)
            } else if let deadline = request.deadline, ["ordered", "delivered"].contains(request.state) {
                due = formatting.date(deadline)
            }
            return [request.id, state, request.priority.map { "P\($0)" } ?? "", request.vendor ?? "", due, oneLine(request.title)]
        }
        let used = (0..<5).map { column in rows.contains { !$0[column].isEmpty } }
        if heading { rows.insert(say("out.list.head").components(separatedBy: "|"), at: 0) }
        let widths = (0..<5).map { column in used[column] ? rows.map { $0[column].count }.max() ?? 0 : 0 }
        return rows.map { row in
            var line = ""
            for column in 0..<5 where widths[column] > 0 { line += pad(row[column], widths[column]) + "  " }
            var title = row[5]
            if let width, line.count + title.count > width {
                let room = max(16, width - line.count)
                if title.count > room { title = title.prefix(room - 1) + "…" }
            }
            return line + title
        }
    }

    /// Rows of cells as lines, every column as wide as its widest cell, two spaces between; no
    /// line ends in blanks (a row's missing last cells are left out).
    func columns(_ rows: [[String]]) -> String {
        let count = rows.map(\.count).max() ?? 0
        let cells = rows.map { $0.map(oneLine) }
        let widths = (0..<count).map { column in cells.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return cells.map { row in
            var line = row.indices.map { pad(row[$0], widths[$0]) }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// `person list`: two lines a person. The first in aligned columns: login, role, whether the
    /// login may act (active or deactivated), name; the second, indented, the address and the
    /// systems a product owner owns or the vendor a vendor's user works for. Two lines keep a
    /// listing of long names and addresses within 80 columns.
    func people(_ rows: [JSONValue]) -> String {
        let people = rows.map { row -> (login: String, role: String, status: String, name: String, more: String) in
            var more = ["<\(row["email"]?.plain ?? "")>"]
            if case let .array(systems)? = row["systems"], !systems.isEmpty {
                more.append(say("out.person.systems", ["systems": .words(systems.map(\.plain))]))
            }
            if let vendor = row["vendor"]?.nonNull?.plain { more.append(say("out.person.vendor", ["vendor": "\(vendor)"])) }
            return (oneLine(row["login"]?.plain ?? ""), name("role", row["role"]?.plain ?? ""),
                    say(row["active"] == .bool(false) ? "out.person.inactive" : "out.person.active"), oneLine(row["name"]?.plain ?? ""),
                    oneLine(more.joined(separator: "  ")))
        }
        // A very long login does not push every other row's columns to the right.
        let loginWidth = min(people.map(\.login.count).max() ?? 0, 20)
        let roleWidth = people.map(\.role.count).max() ?? 0, statusWidth = people.map(\.status.count).max() ?? 0
        return people.map { person in
            [pad(person.login, loginWidth), pad(person.role, roleWidth), pad(person.status, statusWidth), person.name].joined(separator: "  ")
                + "\n    " + person.more
        }.joined(separator: "\n")
    }

    /// `request show`: the request, its quotes and its order, from the store's details.
    func show(_ details: JSONValue, width: Int = 80) -> String {
        var rows: [(String, String)] = []
        func add(_ label: String, _ value: String?) { if let value, !value.isEmpty { rows.append((say("out.show.\(label)"), value)) } }
        let state = details["state"]?.plain ?? ""
        add("system", details["system"]?.plain)
        add("state", say("out.show.state_value", ["state": "\(name("state", state))", "since": "\(time(details["state_since"]))",
                                                  "version": "\(details["version"]?.plain ?? "")"]))
        add("priority", details["priority"]?.plain)
        add("requester", details["requester"]?.plain)
        add("proposed", say("out.show.by", ["at": "\(time(details["created_at"]))", "login": "\(details["created_by"]?.plain ?? "")"]))
        // The description keeps its paragraphs, each line under the value column.
        add("description", details["description"].map {
            $0.plain.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        })
        if let order = details["warranty_of"]?.nonNull?.plain {
            add("warranty_of", say("out.show.warranty_of_value", ["order": "\(order)", "request": "\(details["warranty_of_request"]?.plain ?? "")"]))
        }
        add("quote_due", date(details["quote_due"]))
        if case let .array(invitations)? = details["invitations"], !invitations.isEmpty {
            let width = invitations.map { ($0["vendor"]?.plain ?? "").count }.max() ?? 0
            let quotes = invitations.map { invitation -> String in
                let vendor = pad(invitation["vendor"]?.plain ?? "", width)
                guard let quote = invitation["quote"], quote != .null else { return "\(vendor)  " + say("out.show.not_quoted") }
                return "\(vendor)  " + say("out.show.quote_value", [
                    "hours": "\(formatting.decimal(quote["hours"]?.plain ?? ""))", "price": "\(money(quote["price"]))",
                    "delivery": "\(date(quote["delivery"]) ?? "")", "login": "\(quote["quoted_by"]?.plain ?? "")", "at": "\(time(quote["quoted_at"]))",
                ])
            }
            add("quotes", quotes.joined(separator: "\n"))
        }
        if let order = details["purchase_order"], order != .null {
            add("order", say("out.show.order_value", [
                "order": "\(order["number"]?.plain ?? "")", "vendor": "\(order["vendor"]?.plain ?? "")",
                "contract": "\(order["contract"]?.plain ?? "")", "price": "\(money(order["price"]))",
                "vat_rate": "\(order["vat_rate"].flatMap { Decimal(string: $0.plain) }.map { "\($0)" } ?? "")", "gross": "\(money(order["gross"]))",
                "date": "\(date(order["order_date"]) ?? "")", "deadline": "\(date(order["deadline"]) ?? "")",
            ]))
            add("delivered", optionalTime(order["delivered_at"]))
            if let returns = order["returns"]?.plain, returns != "0" { add("returned", say("out.show.times", ["count": "\(returns)"])) }
            add("accepted", optionalTime(order["accepted_at"]))
            if let released = optionalTime(order["released_at"]) {
                add("released", say("out.show.released_value", ["at": "\(released)", "version": "\(order["release_version"]?.plain ?? "")"]))
            }
            add("cancelled", optionalTime(order["cancelled_at"]))
            if details["late"] == .bool(true) { add("late", say("out.show.late_value", ["deadline": "\(date(order["deadline"]) ?? "")"])) }
            add("held", optionalTime(details["held_since"]).map { since in
                guard let reason = details["held_reason"]?.nonNull?.plain else { return say("out.show.held_value", ["since": "\(since)"]) }
                return say("out.show.held_value_reason", ["since": "\(since)", "reason": "\(reason)"])
            })
            add("terms", Commands.termsText(WorkflowStore.ContractTerms(details["terms"]), self))
            add("warranty_until", date(details["warranty_end"]))
        }
        if case let .array(claims)? = details["claims"], !claims.isEmpty {
            // In columns: the claims' ids and states padded to the longest.
            let ids = claims.map { $0["request"]?.plain ?? "" }, states = claims.map { name("state", $0["state"]?.plain ?? "") }
            let idWidth = ids.map(\.count).max() ?? 0, stateWidth = states.map(\.count).max() ?? 0
            add("claims", zip(claims, zip(ids, states)).map { claim, column in
                "\(pad(column.0, idWidth))  \(pad(column.1, stateWidth))  \(oneLine(claim["title"]?.plain ?? ""))"
            }.joined(separator: "\n"))
        }
        add("comments", details["comments"]?.plain)
        let labels = rows.map { $0.0.count }.max() ?? 0
        let indent = String(repeating: " ", count: labels + 4)
        // The title after the id, a long one broken under itself.
        let id = details["id"]?.plain ?? ""
        var lines = Terminal.breaking(oneLine(details["title"]?.plain ?? ""), width: width, first: "\(id): ",
                                      rest: String(repeating: " ", count: id.count + 2))
        for (label, value) in rows {
            // Each line of a value under the value column, one too long for the width broken at
            // its spaces there (keeping the columns of a list); an empty line (between a
            // description's paragraphs) stays empty.
            for (index, line) in value.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let head = index == 0 ? "  " + pad(label + ":", labels + 2) : indent
                if line.allSatisfy(\.isWhitespace) && index > 0 { lines.append(""); continue }
                lines += Terminal.breaking(String(line), width: width, first: head, rest: indent)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `request history`: one line per step (its inputs under it), then the comments; a line
    /// too long for `width` broken at its spaces, under where its text starts.
    func history(_ events: [HistoryEntry], _ comments: [CommentEntry], width: Int = 80) -> String {
        var lines: [String] = []
        for event in events {
            let line = "\(pad(String(event.seq) + ".", 4)) \(formatting.timestamp(event.at))  \(name("transition", event.transition)): "
                + "\(event.from.map { name("state", $0) } ?? "–") → \(name("state", event.to))  "
                + (event.via == "mail" ? say("out.history.by_mail", ["actor": "\(event.actor)"])
                   : event.byLogin == event.actor ? event.actor : say("out.history.as", ["actor": "\(event.actor)", "login": "\(event.byLogin)"]))
            lines += Terminal.breaking(line, width: width, first: "", rest: "     ")
            for fact in inputs(event.inputs) {
                lines += Terminal.breaking(fact, width: width, first: "       ", rest: "         ")
            }
        }
        for comment in comments {
            let line = "\(formatting.timestamp(comment.at))  " + say(comment.isInternal ? "out.history.comment_internal" : "out.history.comment", ["number": "\(comment.number.map(String.init) ?? "–")", "author": "\(comment.via == "mail" ? say("out.history.by_mail", ["actor": "\(comment.author)"]) : comment.author)",
                                                                                           "text": "\(oneLine(comment.body))"])
            lines += Terminal.breaking(line, width: width, first: "     ", rest: "       ")
        }
        return lines.joined(separator: "\n")
    }

    /// An event's inputs as `label: value` lines, in the order a person reads them.
    func inputs(_ inputs: JSONValue) -> [String] {
        guard case let .object(pairs) = inputs else { return [] }
        let order = ["title", "priority", "vendors", "vendor", "due", "hours", "price", "vat_rate", "vat", "gross", "delivery", "order", "deadline",
                     "reason", "note", "version_name"]
        let sorted = pairs.sorted { (order.firstIndex(of: $0.0) ?? order.count, $0.0) < (order.firstIndex(of: $1.0) ?? order.count, $1.0) }
        return sorted.compactMap { key, value -> String? in
            let text: String
            switch (key, value) {
            case (_, .null): return nil
            case ("price", _), ("vat", _), ("gross", _): text = money(value)
            case ("vat_rate", _): text = (Decimal(string: value.plain).map { formatting.decimal("\($0)") } ?? value.plain) + " %"
            case ("due", _), ("delivery", _), ("deadline", _): text = date(value) ?? value.plain
            case ("hours", _): text = formatting.decimal(value.plain)
            case ("kind", _): text = ReportFormatting.text("act.file_kind.\(value.plain)", in: language, fallback: value.plain)
            case let (_, .array(items)): text = items.map(\.plain).joined(separator: ", ")
            case let (_, .object(change)) where change.contains(where: { $0.0 == "new" }):
                // An edit: the old value and the new; an empty one is shown as the dash of "none".
                func shown(_ side: String) -> String {
                    let text = oneLine(value[side]?.plain ?? "")
                    return text.trimmingCharacters(in: .whitespaces).isEmpty ? "–" : text
                }
                text = "\(shown("old")) → \(shown("new"))"
            default: text = oneLine(value.plain)
            }
            return "\(ReportFormatting.text("out.input.\(key)", in: language, fallback: key)): \(text)"
        }
    }

    // MARK: Values

    func date(_ value: JSONValue?) -> String? {
        guard let text = value?.plain, let day = try? LocalDate(postgresText: text) else { return nil }
        return formatting.date(day)
    }

    func time(_ value: JSONValue?) -> String { optionalTime(value) ?? "–" }

    func optionalTime(_ value: JSONValue?) -> String? {
        guard let text = value?.plain, let instant = PostgresTimestamp.parse(text) else { return nil }
        return formatting.timestamp(instant)
    }

    func money(_ value: JSONValue?) -> String {
        guard let text = value?.plain, let amount = try? Money(parsing: text) else { return value?.plain ?? "–" }
        return formatting.money(amount)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
