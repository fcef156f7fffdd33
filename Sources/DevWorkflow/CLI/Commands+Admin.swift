import Foundation

extension Commands {
    /// `system`, `vendor`, `contract`, `budget`, `person`: what admins manage.
    static var admin: [Command] {
        [
            Command("system", "add", arguments: "KEY", positionals: 1...1, options: [.value("name", "NAME", "help.option.system.add.name")],
                    summary: "help.system.add") { call in
                let key = call.argument(0)
                try call.require(["name"])
                try call.store().addSystem(key: key, name: try call.required("name"))
                call.emit(.object([("system", .string(key)), ("added", true)]), text: call.say("out.added.system", ["key": "\(key)"]))
            },
            listing("system", .systems) { row, _ in "\(row["key"]?.plain ?? "")  \(row["name"]?.plain ?? "")" },
            Command("vendor", "add", arguments: "KEY", positionals: 1...1,
                    options: [.value("name", "NAME", "help.option.vendor.add.name"), .value("email", "EMAIL", "help.option.vendor.add.email"),
                              .value("lang", "et|en", "help.option.vendor.add.lang"),
                              .value("registry-code", "CODE", "help.option.vendor.add.registry_code")],
                    summary: "help.vendor.add") { call in
                let key = call.argument(0)
                try call.require(["name", "email"])
                let code = call.value("registry-code")
                try call.store().addVendor(key: key, name: try call.required("name"), email: try call.required("email"),
                                           lang: call.value("lang") ?? "et", registryCode: code)
                call.emit(.object([("vendor", .string(key)), ("registry_code", .optional(code)), ("added", true)]),
                          text: code.map { call.say("out.added.vendor_code", ["key": "\(key)", "code": "\($0)"]) }
                              ?? call.say("out.added.vendor", ["key": "\(key)"]))
            },
            listing("vendor", .vendors) { row, _ in
                "\(row["key"]?.plain ?? "")  \(row["name"]?.plain ?? "")  <\(row["email"]?.plain ?? "")>" + (row["registry_code"]?.nonNull.map { "  \($0.plain)" } ?? "")
            },
            Command("contract", "add",
                    options: [.value("vendor", "KEY", "help.option.contract.add.vendor"), .value("number", "NO", "help.option.contract.add.number"),
                              .value("from", "DATE", "help.option.contract.add.from"), .value("to", "DATE", "help.option.contract.add.to"),
                              .value("rate", "EUR", "help.option.contract.add.rate"), .value("cap", "EUR", "help.option.contract.add.cap")],
                    summary: "help.contract.add") { call in
                try call.require(["vendor", "number", "from", "to", "rate", "cap"])
                let number = try call.required("number")
                guard let from = try call.date("from"), let to = try call.date("to"), let rate = try call.money("rate"),
                      let cap = try call.money("cap") else { preconditionFailure("contract add: required options checked above") }
                try call.store().addContract(vendor: try call.required("vendor"), number: number, from: from, to: to, rate: rate, cap: cap)
                call.emit(.object([("contract", .string(number)), ("added", true)]), text: call.say("out.added.contract", ["key": "\(number)"]))
            },
            listing("contract", .contracts) { row, text in
                text.say("out.list.contract", ["vendor": "\(row["vendor"]?.plain ?? "")", "number": "\(row["number"]?.plain ?? "")",
                                               "from": "\(text.date(row["valid_from"]) ?? "")", "to": "\(text.date(row["valid_to"]) ?? "")",
                                               "rate": "\(text.money(row["rate"]))", "cap": "\(text.money(row["cap"]))", "used": "\(text.money(row["used"]))"])
            },
            Command("budget", "set", options: [.value("system", "KEY", "help.option.budget.set.system"), .value("year", "YYYY", "help.option.budget.set.year"),
                                               .value("amount", "EUR", "help.option.budget.set.amount")],
                    summary: "help.budget.set") { call in
                try call.require(["system", "year", "amount"])
                let system = try call.required("system")
                guard let year = try call.integer("year"), let amount = try call.money("amount") else {
                    preconditionFailure("budget set: required options checked above")
                }
                try call.store().setBudget(system: system, year: year, amount: amount)
                call.emit(.object([("system", .string(system)), ("year", .int(year)), ("amount", .money(amount))]),
                          text: call.say("out.budget_set", ["system": "\(system)", "year": "\(year)", "amount": "\(amount)"]))
            },
            listing("budget", .budgets) { row, text in "\(row["system"]?.plain ?? "")  \(row["year"]?.plain ?? "")  \(text.money(row["amount"]))" },
            Command("person", "add", arguments: "LOGIN", positionals: 1...1,
                    options: [.value("name", "NAME", "help.option.person.add.name"), .value("email", "EMAIL", "help.option.person.add.email"),
                              .value("role", "ROLE", "help.option.person.add.role"),
                              .value("system", "KEY", "help.option.person.add.system", repeatable: true),
                              .value("vendor", "KEY", "help.option.person.add.vendor"),
                              .value("lang", "et|en", "help.option.person.add.lang")],
                    summary: "help.person.add") { call in
                let login = call.argument(0)
                try call.require(["name", "email", "role"])
                let roleText = try call.required("role")
                guard let role = PersonRole(rawValue: roleText) else {
                    throw WorkflowError(.invalidData, Message("error.unknown_role", ["role": "\(roleText)"]))
                }
                try call.store().addPerson(login: login, name: try call.required("name"), email: try call.required("email"), role: role,
                                           systems: call.all("system"), vendor: call.value("vendor"), lang: call.value("lang") ?? "et")
                call.emit(.object([("person", .string(login)), ("role", .string(role.rawValue)), ("added", true)]),
                          text: call.say("out.added.person", ["role": .message(Message("role.\(role.rawValue)")), "key": "\(login)"]))
            },
            listing("person", .people) { row, text in
                "\(row["login"]?.plain ?? "")  \(text.name("role", row["role"]?.plain ?? ""))  \(row["name"]?.plain ?? "")  <\(row["email"]?.plain ?? "")>"
            },
        ]
    }

    /// `NOUN list`: an admin listing as lines or a JSON array.
    static func listing(_ noun: String, _ what: WorkflowStore.AdminListing, line: @escaping (JSONValue, PeopleText) -> String) -> Command {
        Command(noun, "list", summary: "help.\(noun).list") { call in
            let rows = try call.store().list(what)
            let text = PeopleText(call.language)
            call.emit(.object([(what.rawValue, .array(rows))]), text: rows.isEmpty ? call.say("out.nothing") : rows.map { line($0, text) }.joined(separator: "\n"))
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
