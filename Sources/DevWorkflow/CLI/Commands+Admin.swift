import Foundation

extension OptionSpec {
    static let systemName = Required<String>("name", "NAME", help: "help.option.system.add.name")
    static let vendorName = Required<String>("name", "NAME", help: "help.option.vendor.add.name")
    static let vendorEmail = Required<String>("email", "EMAIL", help: "help.option.vendor.add.email")
    static let vendorLanguage = Option<String>("lang", "et|en", help: "help.option.vendor.add.lang")
    static let vendorRegistryCode = Option<String>("registry-code", "CODE", help: "help.option.vendor.add.registry_code")
    static let contractVendor = Required<String>("vendor", "KEY", help: "help.option.contract.add.vendor", complete: .live(.vendors))
    static let contractNumber = Required<String>("number", "NO", help: "help.option.contract.add.number")
    static let contractFrom = Required<LocalDate>("from", "DATE", help: "help.option.contract.add.from")
    static let contractTo = Required<LocalDate>("to", "DATE", help: "help.option.contract.add.to")
    static let contractRate = Required<Money>("rate", "EUR", help: "help.option.contract.add.rate")
    static let contractCap = Required<Money>("cap", "EUR", help: "help.option.contract.add.cap")
    static let warrantyMonths = Option<Int>("warranty-months", "N", help: "help.option.contract.warranty-months")
    static let fixDays = Option<Int>("fix-days", "N", help: "help.option.contract.fix-days")
    static let penaltyPerDay = Option<Decimal>("penalty-per-day", "PCT", help: "help.option.contract.penalty-per-day")
    static let penaltyCap = Option<Decimal>("penalty-cap", "PCT", help: "help.option.contract.penalty-cap")
    static let budgetSystem = Required<String>("system", "KEY", help: "help.option.budget.set.system", complete: .live(.systems))
    static let budgetYear = Required<Int>("year", "YYYY", help: "help.option.budget.set.year")
    static let budgetAmount = Required<Money>("amount", "EUR", help: "help.option.budget.set.amount")
    static let personName = Required<String>("name", "NAME", help: "help.option.person.add.name")
    static let personEmail = Required<String>("email", "EMAIL", help: "help.option.person.add.email")
    static let personRole = Required<PersonRole>("role", "ROLE", help: "help.option.person.add.role",
                                                 complete: .choices(PersonRole.allCases.map(\.rawValue)))
    static let personSystem = Repeated<String>("system", "KEY", help: "help.option.person.add.system", complete: .live(.systems))
    static let personVendor = Option<String>("vendor", "KEY", help: "help.option.person.add.vendor", complete: .live(.vendors))
    static let personLanguage = Option<String>("lang", "et|en", help: "help.option.person.add.lang")
}

extension Commands {
    /// `system`, `vendor`, `contract`, `budget`, `person`: what admins manage.
    static var admin: [Command] {
        [
            Command("system", "add", arguments: "KEY", positionals: 1...1, options: [.systemName],
                    summary: "help.system.add") { call in
                let key = call.argument(0)
                try call.store().addSystem(key: key, name: try call[.systemName])
                call.emit(.object([("system", .string(key)), ("added", true)]), text: call.say("out.added.system", ["key": "\(key)"]))
            },
            listing("system", .systems, table: { rows, text in text.columns(rows.map { [$0["key"]?.plain ?? "", $0["name"]?.plain ?? ""] }) }),
            Command("vendor", "add", arguments: "KEY", positionals: 1...1,
                    options: [.vendorName, .vendorEmail, .vendorLanguage, .vendorRegistryCode],
                    summary: "help.vendor.add") { call in
                let key = call.argument(0)
                let code = try call[.vendorRegistryCode]
                try call.store().addVendor(key: key, name: try call[.vendorName], email: try call[.vendorEmail],
                                           lang: try call[.vendorLanguage] ?? "et", registryCode: code)
                call.emit(.object([("vendor", .string(key)), ("registry_code", .optional(code)), ("added", true)]),
                          text: code.map { call.say("out.added.vendor_code", ["key": "\(key)", "code": "\($0)"]) }
                              ?? call.say("out.added.vendor", ["key": "\(key)"]))
            },
            listing("vendor", .vendors, table: { rows, text in
                text.columns(rows.map { [$0["key"]?.plain ?? "", $0["name"]?.plain ?? "", "<\($0["email"]?.plain ?? "")>", $0["registry_code"]?.nonNull?.plain ?? ""] })
            }),
            Command("contract", "add",
                    options: [.contractVendor, .contractNumber, .contractFrom, .contractTo, .contractRate, .contractCap] + Commands.termOptions,
                    summary: "help.contract.add") { call in
                let number = try call[.contractNumber]
                try call.store().addContract(vendor: try call[.contractVendor], number: number, from: try call[.contractFrom], to: try call[.contractTo],
                                             rate: try call[.contractRate], cap: try call[.contractCap], terms: try Commands.terms(call))
                call.emit(.object([("contract", .string(number)), ("added", true)]), text: call.say("out.added.contract", ["key": "\(number)"]))
            },
            // In columns (vendor, number, period), then the money and the terms under each.
            listing("contract", .contracts, table: { rows, text in
                let heads = text.columns(rows.map { row in
                    [row["vendor"]?.plain ?? "", row["number"]?.plain ?? "", "\(text.date(row["valid_from"]) ?? "") – \(text.date(row["valid_to"]) ?? "")"]
                }).components(separatedBy: "\n")
                return zip(heads, rows).map { head, row in
                    head + "\n    " + text.say("out.list.contract", ["rate": "\(text.money(row["rate"]))", "cap": "\(text.money(row["cap"]))",
                                                                    "used": "\(text.money(row["used"]))"])
                        + (Commands.termsText(WorkflowStore.ContractTerms(row), text).map { "\n    \($0)" } ?? "")
                }.joined(separator: "\n")
            }),
            Command("budget", "set", options: [.budgetSystem, .budgetYear, .budgetAmount],
                    summary: "help.budget.set") { call in
                let system = try call[.budgetSystem]
                let year = try call[.budgetYear], amount = try call[.budgetAmount]
                try call.store().setBudget(system: system, year: year, amount: amount)
                call.emit(.object([("system", .string(system)), ("year", .int(year)), ("amount", .money(amount))]),
                          text: call.say("out.budget_set", ["system": "\(system)", "year": "\(year)", "amount": "\(amount)"]))
            },
            // What the budget guard counts: the gross of the year's orders and their invoices (see
            // report budget for what of it is invoiced and paid), and what is left; in columns.
            listing("budget", .budgets, table: { rows, text in
                text.columns(rows.map { row in
                    [row["system"]?.plain ?? "", row["year"]?.plain ?? "", text.money(row["amount"]),
                     text.say("out.budget.used", ["committed": "\(text.money(row["committed"]))", "left": "\(text.money(row["left"]))"])]
                })
            }),
            Command("person", "add", arguments: "LOGIN", positionals: 1...1,
                    options: [.personName, .personEmail, .personRole, .personSystem, .personVendor, .personLanguage],
                    summary: "help.person.add") { call in
                let login = call.argument(0)
                let role = try call[.personRole], email = try call[.personEmail]
                let store = try call.store()
                try store.addPerson(login: login, name: try call[.personName], email: email, role: role,
                                    systems: try call[.personSystem], vendor: try call[.personVendor], lang: try call[.personLanguage] ?? "et")
                // What the admin should know next: a login that is missing or not let in, an
                // address another person has too.
                let notes = try store.personNotes(login: login, email: email).map { call.say($0.key, $0.arguments) }
                call.emit(.object([("person", .string(login)), ("role", .string(role.rawValue)), ("added", true),
                                   ("notes", .array(notes.map(JSONValue.string)))]),
                          text: ([call.say("out.added.person", ["role": .message(Message("role.\(role.rawValue)")), "key": "\(login)"])]
                                 + notes.map { call.say("out.note", ["note": "\($0)"]) }).joined(separator: "\n"))
            },
            listing("person", .people, table: { rows, text in text.people(rows) }),
        ]
    }

    /// `NOUN list`: an admin listing as lines, one a row, or a JSON array.
    static func listing(_ noun: String, _ what: WorkflowStore.AdminListing, line: @escaping (JSONValue, PeopleText) -> String) -> Command {
        listing(noun, what, table: { rows, text in rows.map { line($0, text) }.joined(separator: "\n") })
    }

    /// A listing staff logins read from the tables themselves. When the login may not, the person
    /// record may say why: a vendor's user is told the listings are the buyer's staff's (a
    /// deactivated person gets the database's own refusal, which names who can undo it).
    static func staffListing<T>(_ noun: String, _ store: WorkflowStore, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch let error as WorkflowError where error.code == .notPermitted {
            let actor = try store.actor()
            if actor.role == .vendor {
                throw WorkflowError(.notPermitted, Message("error.staff_listings", ["login": "\(actor.login)", "noun": "\(noun)"]))
            }
            throw error
        }
    }

    /// `NOUN list`: an admin listing as a text `table` drawn from all its rows (columns aligned
    /// across them), or a JSON array.
    static func listing(_ noun: String, _ what: WorkflowStore.AdminListing, table: @escaping ([JSONValue], PeopleText) -> String) -> Command {
        Command(noun, "list", summary: "help.\(noun).list", pages: true) { call in
            let store = try call.store()
            let rows = try staffListing(noun, store) { try store.list(what) }
            let text = PeopleText(call.language)
            call.emit(.object([(what.rawValue, .array(rows))]),
                      text: rows.isEmpty ? call.say("out.nothing") : call.fitted(table(rows, text).components(separatedBy: "\n")))
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
