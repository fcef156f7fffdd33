import Foundation

extension Commands {
    /// `system`, `vendor`, `contract`, `budget`, `person`: what admins manage.
    static var admin: [Command] {
        [
            Command("system", "add", arguments: "KEY", positionals: 1...1, options: [.value("name", "NAME", "the system's name")],
                    summary: "add an information system (admins)") { call in
                let key = call.argument(0)
                try call.store().addSystem(key: key, name: try call.required("name"))
                call.emit(.object([("system", .string(key)), ("added", true)]), text: "added system \(key)")
            },
            listing("system", .systems) { "\($0["key"]?.plain ?? "")  \($0["name"]?.plain ?? "")" },
            Command("vendor", "add", arguments: "KEY", positionals: 1...1,
                    options: [.value("name", "NAME", "the company's name"), .value("email", "EMAIL", "where its notifications go"),
                              .value("lang", "et|en", "language of its messages (default et)")],
                    summary: "add a vendor (admins)") { call in
                let key = call.argument(0)
                try call.store().addVendor(key: key, name: try call.required("name"), email: try call.required("email"),
                                           lang: call.value("lang") ?? "et")
                call.emit(.object([("vendor", .string(key)), ("added", true)]), text: "added vendor \(key)")
            },
            listing("vendor", .vendors) { "\($0["key"]?.plain ?? "")  \($0["name"]?.plain ?? "")  <\($0["email"]?.plain ?? "")>" },
            Command("contract", "add",
                    options: [.value("vendor", "KEY", "the vendor"), .value("number", "NO", "the contract's number"),
                              .value("from", "DATE", "first day valid"), .value("to", "DATE", "last day valid"),
                              .value("rate", "EUR", "hourly rate"), .value("cap", "EUR", "the most that may be ordered under it")],
                    summary: "add a vendor's framework contract (admins)") { call in
                let number = try call.required("number")
                guard let from = try call.date("from"), let to = try call.date("to") else {
                    throw WorkflowError(.usage, "'contract add' needs --from DATE and --to DATE")
                }
                guard let rate = try call.money("rate"), let cap = try call.money("cap") else {
                    throw WorkflowError(.usage, "'contract add' needs --rate EUR and --cap EUR")
                }
                try call.store().addContract(vendor: try call.required("vendor"), number: number, from: from, to: to, rate: rate, cap: cap)
                call.emit(.object([("contract", .string(number)), ("added", true)]), text: "added contract \(number)")
            },
            listing("contract", .contracts) { row in
                "\(row["vendor"]?.plain ?? "")  \(row["number"]?.plain ?? "")  \(row["valid_from"]?.plain ?? "")..\(row["valid_to"]?.plain ?? "")  rate \(row["rate"]?.plain ?? "")  cap \(row["cap"]?.plain ?? "")  used \(row["used"]?.plain ?? "")"
            },
            Command("budget", "set", options: [.value("system", "KEY", "the system"), .value("year", "YYYY", "the calendar year"),
                                               .value("amount", "EUR", "what the system may spend that year")],
                    summary: "set a system's budget for a year (admins)") { call in
                let system = try call.required("system")
                guard let year = try call.integer("year") else { throw WorkflowError(.usage, "'budget set' needs --year YYYY") }
                guard let amount = try call.money("amount") else { throw WorkflowError(.usage, "'budget set' needs --amount EUR") }
                try call.store().setBudget(system: system, year: year, amount: amount)
                call.emit(.object([("system", .string(system)), ("year", .int(year)), ("amount", .money(amount))]),
                          text: "budget of \(system) for \(year): \(amount) EUR")
            },
            listing("budget", .budgets) { "\($0["system"]?.plain ?? "")  \($0["year"]?.plain ?? "")  \($0["amount"]?.plain ?? "") EUR" },
            Command("person", "add", arguments: "LOGIN", positionals: 1...1,
                    options: [.value("name", "NAME", "full name"), .value("email", "EMAIL", "where notifications go"),
                              .value("role", "ROLE", "admin, product_owner, vendor or requester"),
                              .value("system", "KEY", "a system this product owner owns", repeatable: true),
                              .value("vendor", "KEY", "the vendor this user works for"),
                              .value("lang", "et|en", "language of the person's messages (default et)")],
                    summary: "add a person; LOGIN is their PostgreSQL role (admins)") { call in
                let login = call.argument(0)
                let roleText = try call.required("role")
                guard let role = PersonRole(rawValue: roleText) else {
                    throw WorkflowError(.invalidData, "unknown role '\(roleText)': expected admin, product_owner, vendor or requester")
                }
                try call.store().addPerson(login: login, name: try call.required("name"), email: try call.required("email"), role: role,
                                           systems: call.all("system"), vendor: call.value("vendor"), lang: call.value("lang") ?? "et")
                call.emit(.object([("person", .string(login)), ("role", .string(role.rawValue)), ("added", true)]),
                          text: "added \(role.rawValue) \(login)")
            },
            listing("person", .people) { row in
                "\(row["login"]?.plain ?? "")  \(row["role"]?.plain ?? "")  \(row["name"]?.plain ?? "")  <\(row["email"]?.plain ?? "")>"
            },
        ]
    }

    /// `NOUN list`: an admin listing as lines or a JSON array.
    static func listing(_ noun: String, _ what: WorkflowStore.AdminListing, line: @escaping (JSONValue) -> String) -> Command {
        Command(noun, "list", summary: "list \(what.rawValue)") { call in
            let rows = try call.store().list(what)
            call.emit(.object([(what.rawValue, .array(rows))]), text: rows.isEmpty ? "no \(what.rawValue)" : rows.map(line).joined(separator: "\n"))
        }
    }
}

extension JSONValue {
    /// A scalar as plain text (strings unquoted), for text output.
    var plain: String {
        switch self {
        case .null: return ""
        case let .bool(value): return value ? "true" : "false"
        case let .number(value): return value
        case let .string(value): return value
        case .array, .object: return text
        }
    }
}
