import Foundation

extension OptionSpec {
    static let editTitle = Option<String>("title", "TEXT", help: "help.option.request.edit.title")
    static let editDescription = Option<String>("description", "TEXT", help: "help.option.request.edit.description")
    static let editRequester = Option<String>("requester", "TEXT", help: "help.option.request.edit.requester")

    static let newName = Option<String>("name", "NAME", help: "help.option.edit.name")
    static let newSystemName = Required<String>("name", "NAME", help: "help.option.edit.name")
    static let newEmail = Option<String>("email", "EMAIL", help: "help.option.edit.email")
    static let newLanguage = Option<String>("lang", "et|en", help: "help.option.edit.lang")
    static let newRole = Option<PersonRole>("role", "ROLE", help: "help.option.person.add.role", complete: .choices(PersonRole.allCases.map(\.rawValue)))
    static let newSystems = Repeated<String>("system", "KEY", help: "help.option.person.edit.system", complete: .live(.systems))
    static let newVendor = Option<String>("vendor", "KEY", help: "help.option.person.add.vendor", complete: .live(.vendors))
}

extension Commands {
    /// Correcting what was entered wrong: requests, people, vendors, systems.
    static var edit: [Command] {
        [
            Command("request", "edit", arguments: "ID", positionals: 1...1, options: [.editTitle, .editDescription, .editRequester, .expectVersion],
                    summary: "help.request.edit", complete: [.live(.requests)]) { call in
                let id = call.argument(0)
                let edited = try call.store().edit(id, title: try call[.editTitle], description: try call[.editDescription],
                                                   requester: try call[.editRequester], expectedVersion: try call[.expectVersion])
                let json = JSONValue.object([
                    ("request", .string(edited.request)), ("version", .int(edited.version)), ("edited", .bool(!edited.changes.isEmpty)),
                    ("changes", .object(edited.changes.map { ($0.field, .object([("old", .optional($0.old)), ("new", .optional($0.new))])) })),
                ])
                call.emit(json, text: edited.changes.isEmpty ? call.say("out.edit.unchanged", ["request": "\(id)"])
                            : call.say("out.edit.done", ["request": "\(id)", "version": "\(edited.version)",
                                                         "fields": .list(edited.changes.map { .message(Message("out.input.\($0.field)")) }, conjunction: false)]))
            },
            Command("system", "edit", arguments: "KEY", positionals: 1...1, options: [.newSystemName], summary: "help.system.edit",
                    complete: [.live(.systems)]) { call in
                try call.store().editSystem(call.argument(0), name: try call[.newSystemName])
                call.emit(.object([("system", .string(call.argument(0))), ("edited", true)]), text: call.say("out.edited", ["key": "\(call.argument(0))"]))
            },
            Command("vendor", "edit", arguments: "KEY", positionals: 1...1, options: [.newName, .newEmail, .newLanguage, .vendorRegistryCode],
                    summary: "help.vendor.edit", complete: [.live(.vendors)]) { call in
                let name = try call[.newName], email = try call[.newEmail], lang = try call[.newLanguage], code = try call[.vendorRegistryCode]
                try requireChange([name, email, lang, code].contains { $0 != nil }, call)
                try call.store().editVendor(call.argument(0), name: name, email: email, lang: lang, registryCode: code)
                call.emit(.object([("vendor", .string(call.argument(0))), ("edited", true)]), text: call.say("out.edited", ["key": "\(call.argument(0))"]))
            },
            Command("person", "edit", arguments: "LOGIN", positionals: 1...1,
                    options: [.newName, .newEmail, .newRole, .newSystems, .newVendor, .newLanguage], summary: "help.person.edit",
                    complete: [.live(.logins)]) { call in
                let name = try call[.newName], email = try call[.newEmail], role = try call[.newRole], systems = try call[.newSystems]
                let vendor = try call[.newVendor], lang = try call[.newLanguage]
                try requireChange([name, email, vendor, lang].contains { $0 != nil } || role != nil || !systems.isEmpty, call)
                try call.store().editPerson(call.argument(0), name: name, email: email, role: role,
                                            systems: systems.isEmpty ? nil : systems, vendor: vendor, lang: lang)
                call.emit(.object([("person", .string(call.argument(0))), ("edited", true)]), text: call.say("out.edited", ["key": "\(call.argument(0))"]))
            },
            activation("deactivate", active: false),
            activation("activate", active: true),
        ]
    }

    /// Refuses an edit that names nothing to change (64, as `request edit` without options),
    /// before the database is asked: saying "changed" when nothing was is wrong.
    static func requireChange(_ given: Bool, _ call: Invocation) throws {
        guard given else {
            throw WorkflowError(.usage, Message("error.change_needed", ["command": "\(call.command.name)",
                                                                         "options": .list(call.command.options.map { .text("--" + $0.name) }, conjunction: true)]))
        }
    }

    /// `person deactivate|activate LOGIN`.
    static func activation(_ verb: String, active: Bool) -> Command {
        Command("person", verb, arguments: "LOGIN", positionals: 1...1, summary: "help.person.\(verb)", complete: [.live(.logins)]) { call in
            let login = call.argument(0)
            let changed = try call.store().setActive(login, active)
            call.emit(.object([("person", .string(login)), ("active", .bool(active)), ("changed", .bool(changed))]),
                      text: call.say(changed ? "out.person.\(verb)d" : "out.person.already_\(verb)d", ["login": "\(login)"]))
        }
    }
}
