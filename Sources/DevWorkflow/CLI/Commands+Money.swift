import Foundation

extension OptionSpec {
    static let vatFrom = Required<LocalDate>("from", "DATE", help: "help.option.vat.set.from")
    static let vatRate = Required<Decimal>("rate", "PCT", help: "help.option.vat.set.rate")
    static let heldInvoices = Flag("held", help: "help.option.invoice.list.held")
    static let invoiceOrder = Option<String>("order", "ORD", help: "help.option.invoice.list.order", complete: .live(.orders))
    static let releaseReason = Required<String>("reason", "TEXT", help: "help.option.invoice.release.reason")
    static let paidOn = Required<LocalDate>("date", "DATE", help: "help.option.invoice.pay.date")
}

extension Commands {
    /// `vat list|set` and `invoice import|list|show|release|pay`: the money trail.
    static var money: [Command] {
        [
            Command("vat", "list", summary: "help.vat.list") { call in
                let rates = try call.store().vatRates()
                let text = PeopleText(call.language)
                call.emit(.object([("vat_rates", .array(rates.map { rate in
                    .object([("valid_from", .date(rate.from)), ("valid_to", .date(rate.to)), ("rate", .number("\(rate.rate)"))])
                }))]), text: rates.map { rate in
                    call.say("out.vat.line", ["from": "\(text.formatting.date(rate.from))", "to": "\(rate.to.map(text.formatting.date) ?? "")",
                                              "rate": "\(text.formatting.decimal("\(rate.rate)"))"])
                }.joined(separator: "\n"))
            },
            Command("vat", "set", options: [.vatFrom, .vatRate], summary: "help.vat.set") { call in
                let from = try call[.vatFrom], rate = try call[.vatRate]
                try call.store().setVATRate(from: from, rate: rate)
                call.emit(.object([("valid_from", .date(from)), ("rate", .number("\(rate)"))]),
                          text: call.say("out.vat.set", ["rate": "\(PeopleText(call.language).formatting.decimal("\(rate)"))",
                                                         "from": "\(PeopleText(call.language).formatting.date(from))"]))
            },
            Command("invoice", "import", arguments: "FILE|-", positionals: 1...1, summary: "help.invoice.import", complete: [.files]) { call in
                let path = call.argument(0)
                let read: EInvoiceReader.Read
                if path == "-" {
                    guard isatty(0) == 0 else { throw WorkflowError(.usage, Message("error.invoice_stdin_tty")) }
                    read = try EInvoiceReader().readDigesting(descriptor: 0)
                } else {
                    read = try EInvoiceReader().readDigesting(file: path)
                }
                let result = try call.store().importInvoice(read)
                call.emit(invoiceImportJSON(result, read), text: invoiceImportText(result, read, call.language))
            },
            Command("invoice", "list", options: [.heldInvoices, .invoiceOrder], summary: "help.invoice.list", pages: true) { call in
                let rows = try call.store().invoices(held: call[.heldInvoices], order: try call[.invoiceOrder])
                let text = PeopleText(call.language)
                call.emit(.object([("invoices", .array(rows))]),
                          text: rows.isEmpty ? call.say("out.nothing") : call.fitted(rows.map { text.invoiceLine($0) }))
            },
            Command("invoice", "show", arguments: "ID", positionals: 1...1, summary: "help.invoice.show", complete: [.live(.invoices)],
                    pages: true) { call in
                let row = try call.store().invoice(try invoiceID(call.argument(0)))
                call.emit(row, text: PeopleText(call.language).invoice(row, width: call.width))
            },
            Command("invoice", "release", arguments: "ID", positionals: 1...1,
                    options: [.releaseReason], summary: "help.invoice.release", complete: [.live(.invoices)]) { call in
                let id = try invoiceID(call.argument(0))
                try call.store().releaseInvoice(id, reason: try call[.releaseReason])
                call.emit(.object([("invoice", .number("\(id)")), ("status", "released")]), text: call.say("out.invoice.released", ["id": "\(id)"]))
            },
            Command("invoice", "pay", arguments: "ID", positionals: 1...1, options: [.paidOn], summary: "help.invoice.pay",
                    complete: [.live(.invoices)]) { call in
                let id = try invoiceID(call.argument(0))
                let date = try call[.paidOn]
                let store = try call.store()
                try store.payInvoice(id, on: date)
                // A credit note is not paid by the buyer: its money comes back, and it is settled.
                let settled = try store.invoice(id)["kind"]?.plain == "credit_note"
                call.emit(.object([("invoice", .number("\(id)")), ("paid_on", .date(date))]),
                          text: call.say(settled ? "out.credit_note.settled" : "out.invoice.paid",
                                         ["id": "\(id)", "date": "\(PeopleText(call.language).formatting.date(date))"]))
            },
        ]
    }

    /// An invoice's database id as typed (`17` or `#17`).
    static func invoiceID(_ text: String) throws -> Int64 {
        let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let id = Int64(digits), id > 0 else { throw WorkflowError(.invalidData, Message("error.invoice_id", ["value": "\(text.prefix(40))"])) }
        return id
    }

    static func invoiceImportJSON(_ result: WorkflowStore.InvoiceImport, _ read: EInvoiceReader.Read) -> JSONValue {
        .object([("id", .number("\(result.id)")), ("kind", .string(read.invoice.kind.rawValue)), ("number", .string(read.invoice.number)),
                 ("status", .string(result.status)), ("order", .optional(result.order)), ("vendor", .optional(result.vendor)),
                 ("reasons", .array(result.reasons.map { .string($0.text(.en)) })), ("reason_keys", .array(result.reasons.map { .string($0.key) })),
                 ("sha256", .string(read.sha256)), ("again", .bool(result.again))])
    }

    static func invoiceImportText(_ result: WorkflowStore.InvoiceImport, _ read: EInvoiceReader.Read, _ language: Language) -> String {
        let text = PeopleText(language)
        if result.again {
            return text.say("out.invoice.again", ["id": "\(result.id)", "status": .message(Message("invoice.status.\(result.status)"))])
        }
        var lines = [text.say("out.invoice.imported", ["kind": .message(Message("invoice.kind.\(read.invoice.kind.rawValue)")),
                                                       "number": "\(read.invoice.number)", "id": "\(result.id)",
                                                       "status": .message(Message("invoice.status.\(result.status)"))])]
        lines += result.reasons.map { text.say("out.invoice.reason", ["reason": .message($0)]) }
        return lines.joined(separator: "\n")
    }
}

extension PeopleText {
    /// One line of `invoice list`.
    func invoiceLine(_ row: JSONValue) -> String {
        let paid = date(row["paid_on"]).map { say("out.invoice.paid_suffix", ["date": "\($0)"]) } ?? ""
        return say("out.invoice.line", [
            "id": "\(row["id"]?.plain ?? "")", "status": .message(Message("invoice.status.\(row["status"]?.plain ?? "held")")),
            "kind": .message(Message("invoice.kind.\(row["kind"]?.plain ?? "invoice")")), "number": "\(row["number"]?.plain ?? "")",
            "seller": "\(row["vendor"]?.nonNull?.plain ?? row["seller"]?.plain ?? "")", "order": "\(row["order"]?.nonNull?.plain ?? "–")",
            "net": "\(money(row["net"], in: row["currency"]))", "vat": "\(money(row["vat"], in: row["currency"]))",
            "gross": "\(money(row["gross"], in: row["currency"]))", "paid": "\(paid)",
        ])
    }

    /// An invoice's amount in its currency: `992,00 €`, `12,40 USD`.
    func money(_ value: JSONValue?, in currency: JSONValue?) -> String {
        guard let text = value?.plain, let amount = try? Money(parsing: text) else { return value?.plain ?? "–" }
        return formatting.money(amount, currency: currency?.plain ?? "EUR")
    }

    /// `invoice show`: labelled lines, the reasons it is held last.
    func invoice(_ row: JSONValue, width: Int = .max) -> String {
        var rows: [(String, String)] = []
        func add(_ label: String, _ value: String?) { if let value, !value.isEmpty { rows.append((say("out.invoice.show.\(label)"), value)) } }
        add("document", "\(say("invoice.kind.\(row["kind"]?.plain ?? "invoice")")) \(row["number"]?.plain ?? "")")
        add("status", say("invoice.status.\(row["status"]?.plain ?? "held")"))
        add("seller", "\(row["seller"]?.plain ?? "") (\(row["seller_code"]?.plain ?? ""))" + (row["vendor"]?.nonNull.map { " = \($0.plain)" } ?? ""))
        add("order", row["order"]?.nonNull?.plain)
        add("contract", row["contract"]?.nonNull?.plain)
        if case let .array(numbers)? = row["preceding"], !numbers.isEmpty { add("corrects", numbers.map(\.plain).joined(separator: ", ")) }
        add("dates", say("out.invoice.show.dates_value", ["issued": "\(date(row["issue_date"]) ?? "")", "due": "\(date(row["due_date"]) ?? "–")"]))
        add("amounts", "\(money(row["net"], in: row["currency"])) + \(money(row["vat"], in: row["currency"])) = \(money(row["gross"], in: row["currency"]))")
        add("lines", row["lines"]?.plain)
        add("imported", "\(time(row["imported_at"])) (\(row["imported_by"]?.plain ?? ""))")
        if let by = row["released_by"]?.nonNull?.plain { add("released", "\(by): \(row["release_reason"]?.plain ?? "")") }
        add("paid", date(row["paid_on"]))
        add("sha256", row["sha256"]?.plain)
        let reasons = WorkflowStore.reasons(row["reasons"]).map { "– " + $0.text(language) }
        if !reasons.isEmpty { add("reasons", reasons.joined(separator: "\n")) }
        let labels = rows.map { $0.0.count }.max() ?? 0
        let indent = String(repeating: " ", count: labels + 4)
        // Each value broken at the terminal's width under its column; a reason's own lines hang
        // under its text, past the dash.
        return rows.flatMap { label, value in
            value.split(separator: "\n").enumerated().flatMap { index, line in
                Terminal.breaking(String(line), width: width,
                                  first: index == 0 ? "  " + label + ":" + String(repeating: " ", count: labels + 2 - label.count - 1) : indent,
                                  rest: indent + (line.hasPrefix("– ") ? "  " : ""))
            }
        }.joined(separator: "\n")
    }
}
