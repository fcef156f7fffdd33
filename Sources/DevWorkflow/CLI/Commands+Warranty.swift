import Foundation

extension OptionSpec {
    static let termsNumber = Required<String>("number", "NO", help: "help.option.contract.terms.number", complete: .live(.contracts))
    static let amendedTo = Option<LocalDate>("to", "DATE", help: "help.option.contract.amend.to")
    static let amendedCap = Option<Money>("cap", "EUR", help: "help.option.contract.amend.cap")
    static let warrantyOf = Option<String>("warranty-of", "ORD", help: "help.option.request.new.warranty-of", complete: .live(.orders))
    static let holdReason = Required<String>("reason", "TEXT", help: "help.option.request.hold.reason")
}

extension Commands {
    /// A contract's warranty and penalty terms, as `contract add` and `contract terms` take them.
    static let termOptions: [OptionSpec] = [.warrantyMonths, .fixDays, .penaltyPerDay, .penaltyCap]

    static func terms(_ call: Invocation) throws -> WorkflowStore.ContractTerms {
        WorkflowStore.ContractTerms(warrantyMonths: try call[.warrantyMonths], fixDays: try call[.fixDays],
                                    penaltyPerDay: try call[.penaltyPerDay], penaltyCap: try call[.penaltyCap])
    }

    /// Terms in words (`warranty 24 months, fix within 5 business days, penalty 0.5 % a day, at most
    /// 10 %`), or nil when none is set.
    static func termsText(_ terms: WorkflowStore.ContractTerms, _ text: PeopleText) -> String? {
        guard !terms.isEmpty else { return nil }
        var parts: [String] = []
        if let months = terms.warrantyMonths {
            parts.append(months > 0 ? text.say("out.terms.warranty", ["months": "\(months)"]) : text.say("out.terms.no_warranty"))
        }
        if let days = terms.fixDays { parts.append(text.say("out.terms.fix_days", ["days": "\(days)"])) }
        if let rate = terms.penaltyPerDay {
            parts.append(rate > 0 ? text.say("out.terms.penalty", ["rate": "\(rate)"]) : text.say("out.terms.no_penalty"))
        }
        if let cap = terms.penaltyCap { parts.append(text.say("out.terms.cap", ["cap": "\(cap)"])) }
        return parts.joined(separator: ", ")
    }

    /// `contract terms`, `request hold|resume`: the warranty and late-delivery commands beside the
    /// nouns they belong to.
    static var warranty: [Command] {
        [
            Command("contract", "terms", options: [.termsNumber] + termOptions, summary: "help.contract.terms") { call in
                let number = try call[.termsNumber]
                let terms = try Commands.terms(call)
                guard !terms.isEmpty else { throw WorkflowError(.usage, Message("error.terms_needed")) }
                let now = try call.store().setContractTerms(number, terms)
                // Numbers as numbers, as contract list gives them.
                func numeric(_ value: (some CustomStringConvertible)?) -> JSONValue { value.map { .number($0.description) } ?? .null }
                call.emit(.object([("contract", .string(number)), ("warranty_months", numeric(now.warrantyMonths)),
                                   ("fix_days", numeric(now.fixDays)), ("penalty_per_day", numeric(now.penaltyPerDay)),
                                   ("penalty_cap", numeric(now.penaltyCap))]),
                          text: call.say("out.contract_terms", ["contract": "\(number)",
                                                                "terms": "\(termsText(now, PeopleText(call.language)) ?? "")"]))
            },
            Command("contract", "amend", options: [.termsNumber, .amendedTo, .amendedCap], summary: "help.contract.amend") { call in
                let number = try call[.termsNumber]
                let (to, cap) = (try call[.amendedTo], try call[.amendedCap])
                guard to != nil || cap != nil else { throw WorkflowError(.usage, Message("error.amend_needed")) }
                let now = try call.store().amendContract(number, to: to, cap: cap)
                let text = PeopleText(call.language)
                call.emit(now, text: call.say("out.contract_amended", ["contract": "\(number)", "from": "\(text.date(now["valid_from"]) ?? "")",
                                                                       "to": "\(text.date(now["valid_to"]) ?? "")", "cap": "\(text.money(now["cap"]))",
                                                                       "used": "\(text.money(now["used"]))"]))
            },
            Command("request", "hold", arguments: "ID", positionals: 1...1, options: [.holdReason, .expectVersion], summary: "help.request.hold",
                    complete: [.live(.requests)]) { call in
                let id = call.argument(0), reason = try call[.holdReason]
                let outcome = try call.store().move(id, "hold", inputs: TransitionInputs(reason: reason), expectedVersion: try call[.expectVersion])
                call.emit(.object([("id", .string(id)), ("state", .string(outcome.to)), ("version", .int(outcome.version)), ("held", true)]),
                          text: call.say("out.held", ["request": "\(id)", "reason": "\(reason)"]))
            },
            Command("request", "resume", arguments: "ID", positionals: 1...1, options: [.expectVersion], summary: "help.request.resume",
                    complete: [.live(.requests)]) { call in
                let id = call.argument(0)
                let outcome = try call.store().move(id, "resume", expectedVersion: try call[.expectVersion])
                call.emit(.object([("id", .string(id)), ("state", .string(outcome.to)), ("version", .int(outcome.version)), ("held", false)]),
                          text: call.say("out.resumed", ["request": "\(id)"]))
            },
        ]
    }
}
