import Foundation

/// The pure state machine of one request: given its state, the person and the inputs, it decides
/// the transition or says exactly why not. No I/O; today and the calendar are passed in.
///
/// The store reads `RequestFacts`, asks the machine, and performs the returned `Decision` in one
/// transaction; the database checks the same rules again as the last line of defence.
public struct RequestMachine: Sendable {
    public let definition: WorkflowDefinition
    /// The request as the machine knows it; `move` advances its state and version.
    public private(set) var facts: RequestFacts

    public init(definition: WorkflowDefinition = .smallDevelopment, facts: RequestFacts) {
        self.definition = definition
        self.facts = facts
    }

    public var state: String { facts.state }
    public var version: Int { facts.version }

    /// What the store must write for a move the machine allowed.
    public struct Decision: Sendable, Equatable {
        public let request: String
        public let transition: String
        public let effect: WorkflowDefinition.Effect
        public let from: String
        public let to: String
        /// The version the request must still have when the change is written.
        public let expectedVersion: Int
        /// The inputs with defaults filled in (quote due date, order deadline, quoting vendor).
        public let inputs: TransitionInputs
    }

    /// A transition leaving the current state, and whether this person may take it now.
    public struct Option: Sendable, Equatable {
        public let transition: String
        public let to: String
        public let allowed: Bool
        /// Why not, when not allowed.
        public let reason: Message?
        public let required: [WorkflowDefinition.InputField]
        public let optional: [WorkflowDefinition.InputField]
        public let guards: [Message]
    }

    /// Decides a move. On success the machine is in the new state and the decision says what to
    /// write; otherwise it throws a `WorkflowError` naming what was wrong and what would be right.
    public mutating func move(_ name: String, by actor: Actor?, inputs given: TransitionInputs,
                              today: LocalDate, calendar: BusinessCalendar) throws -> Decision {
        guard let actor else {
            throw WorkflowError(.notPermitted, Message("error.no_person"))
        }
        let allowedNow = definition.transitions(from: state).map(\.name)
        let allowedText = allowedNow.joined(separator: ",")
        guard let transition = definition.transition(name) else {
            throw WorkflowError(.invalidData, Message("error.unknown_transition", ["transition": "\(name)",
                                                                                  "known": .words(definition.transitions.map(\.name))]),
                                context: ["allowed": allowedText])
        }
        guard transition.from.contains(state) else {
            throw WorkflowError(.invalidData, Message(allowedNow.isEmpty ? "error.not_possible_final" : "error.not_possible_now",
                                                      ["request": "\(facts.id)", "state": .state(state), "transition": .transition(name),
                                                       "allowed": .transitions(allowedNow)]),
                                context: ["allowed": allowedText, "state": state])
        }
        if let refusal = refusal(of: transition, for: actor) {
            throw WorkflowError(.notPermitted, refusal)
        }
        var inputs = given
        try bindVendor(of: transition, for: actor, into: &inputs)
        try checkPresence(of: transition, in: inputs)
        try validate(inputs, today: today)
        try applyGuardsAndDefaults(of: transition, to: &inputs, today: today, calendar: calendar)

        let decision = Decision(request: facts.id, transition: transition.name, effect: transition.effect, from: state,
                                to: transition.to, expectedVersion: version, inputs: inputs)
        facts = facts.applying(decision, today: today)
        return decision
    }

    /// Every transition leaving the current state, with whether this person may take it.
    public func options(for actor: Actor?) -> [Option] {
        definition.transitions(from: state).map { transition in
            let reason = actor.map { refusal(of: transition, for: $0) } ?? Message("error.no_person")
            return Option(transition: transition.name, to: transition.to, allowed: reason == nil, reason: reason,
                          required: transition.required, optional: transition.optional, guards: transition.effect.guards)
        }
    }

    /// Why this person may not take the transition on this request, or nil when they may.
    func refusal(of transition: WorkflowDefinition.Transition, for actor: Actor) -> Message? {
        for kind in transition.actors {
            switch kind {
            case .admin where actor.role == .admin: return nil
            case .systemOwner where actor.role == .productOwner && actor.systems.contains(facts.system): return nil
            case .invitedVendor where actor.role == .vendor && actor.vendor.map({ facts.invitation($0) != nil }) == true: return nil
            case .orderedVendor where actor.role == .vendor && actor.vendor != nil && actor.vendor == facts.orderedVendor: return nil
            case .admin, .systemOwner, .invitedVendor, .orderedVendor: continue
            }
        }
        let who = transition.actors.map { kind -> MessageArgument in
            switch kind {
            case .admin: return .message(Message("who.admin"))
            case .systemOwner: return .message(Message("who.system_owner", ["system": "\(facts.system)"]))
            case .invitedVendor: return .message(Message("who.invited_vendor"))
            case .orderedVendor: return .message(Message("who.ordered_vendor"))
            }
        }
        let me: MessageArgument = actor.role == .vendor
            ? .message(Message("who.vendor_user", ["login": "\(actor.login)", "vendor": "\(actor.vendor ?? "?")"]))
            : .message(Message("who.person", ["login": "\(actor.login)", "role": .message(Message("role.\(actor.role.rawValue)"))]))
        return Message("error.may_not", ["who": me, "transition": .transition(transition.name), "request": "\(facts.id)",
                                         "allowed_for": .list(who, conjunction: true)])
    }

    /// A vendor's user acts for its own vendor; others name the vendor they act for.
    private func bindVendor(of transition: WorkflowDefinition.Transition, for actor: Actor, into inputs: inout TransitionInputs) throws {
        guard transition.effect == .quote || transition.effect == .deliver else { return }
        if actor.role == .vendor {
            if let named = inputs.vendor, named != actor.vendor {
                throw WorkflowError(.notPermitted, Message("error.other_vendor", ["login": "\(actor.login)", "vendor": "\(actor.vendor ?? "?")", "named": "\(named)"]))
            }
            inputs.vendor = actor.vendor
        } else if transition.effect == .quote, inputs.vendor == nil {
            throw WorkflowError(.usage, Message("error.quote_needs_vendor", ["invited": .words(facts.invitations.map(\.vendor))]))
        } else if transition.effect == .deliver {
            if let named = inputs.vendor, named != facts.orderedVendor {
                throw WorkflowError(.invalidData, Message("error.ordered_from_other", ["request": "\(facts.id)", "vendor": "\(facts.orderedVendor ?? "-")", "named": "\(named)"]))
            }
            inputs.vendor = facts.orderedVendor
        }
    }

    private func checkPresence(of transition: WorkflowDefinition.Transition, in inputs: TransitionInputs) throws {
        let missing = transition.required.filter { !inputs.has($0) }
        if !missing.isEmpty {
            throw WorkflowError(.usage, Message("error.missing_inputs", ["transition": .transition(transition.name), "options": .words(missing.map(\.option))]),
                                context: ["missing": missing.map(\.rawValue).joined(separator: ",")])
        }
        let accepted = Set(transition.required + transition.optional)
        let extra = WorkflowDefinition.InputField.allCases.filter { inputs.has($0) && !accepted.contains($0) }
            // the vendor field doubles for --vendor lists; count it once
            .filter { !($0 == .vendor && accepted.contains(.vendors)) && !($0 == .vendors && accepted.contains(.vendor)) }
        if !extra.isEmpty {
            throw WorkflowError(.usage, Message("error.extra_inputs", ["transition": .transition(transition.name), "options": .words(extra.map(\.option))]))
        }
    }

    private func validate(_ inputs: TransitionInputs, today: LocalDate) throws {
        if let priority = inputs.priority, !(1...5).contains(priority) {
            throw WorkflowError(.invalidData, Message("error.priority_range", ["priority": "\(priority)"]))
        }
        if let hours = inputs.hours, hours <= 0 || hours > 100_000 {
            throw WorkflowError(.invalidData, Message("error.hours_range", ["hours": "\(hours)"]))
        }
        if let price = inputs.price, price <= .zero || price > .maximum {
            throw WorkflowError(.invalidData, Message("error.price_positive", ["price": "\(price)"]))
        }
        for (label, date) in [("word.quote_due", inputs.due), ("word.delivery_date", inputs.delivery), ("word.deadline", inputs.deadline)] {
            if let date, date < today {
                throw WorkflowError(.invalidData, Message("error.date_past", ["what": .message(Message(label)), "date": "\(date)", "today": "\(today)"]))
            }
        }
        if Set(inputs.vendors).count != inputs.vendors.count {
            throw WorkflowError(.invalidData, Message("error.vendor_twice"))
        }
        for (label, text) in [("--reason", inputs.reason), ("--note", inputs.note), ("--version-name", inputs.versionName)] {
            if let text, text.count > 5000 { throw WorkflowError(.invalidData, Message("error.too_long", ["what": "\(label)", "limit": "5000"])) }
        }
    }

    private func applyGuardsAndDefaults(of transition: WorkflowDefinition.Transition, to inputs: inout TransitionInputs,
                                        today: LocalDate, calendar: BusinessCalendar) throws {
        switch transition.effect {
        case .none, .prioritise, .deliver, .accept, .returnToVendor, .release, .close:
            return
        case .invite:
            for vendor in inputs.vendors {
                guard facts.knownVendors.contains(vendor) else { throw WorkflowError(.notFound, Message("error.no_vendor", ["vendor": "\(vendor)"])) }
                let contracts = facts.contracts.filter { $0.vendor == vendor }
                guard contracts.contains(where: { $0.isValid(on: today) }) else {
                    let latest = contracts.max { $0.validTo < $1.validTo }
                    throw WorkflowError(.invalidData, latest.map {
                        Message("error.contract_expired", ["vendor": "\(vendor)", "today": "\(today)", "contract": "\($0.number)",
                                                           "from": "\($0.validFrom)", "to": "\($0.validTo)"])
                    } ?? Message("error.no_contract_at_all", ["vendor": "\(vendor)", "today": "\(today)"]))
                }
            }
            if inputs.due == nil { inputs.due = calendar.adding(businessDays: 5, to: today) }
        case .quote:
            guard let vendor = inputs.vendor, facts.invitation(vendor) != nil else {
                throw WorkflowError(.invalidData, Message("error.not_invited", ["vendor": "\(inputs.vendor ?? "?")", "request": "\(facts.id)"]))
            }
        case .order:
            guard let vendor = inputs.vendor else { return }
            guard let invitation = facts.invitation(vendor), let quote = invitation.quote else {
                let quoted = facts.invitations.filter { $0.quote != nil }.map(\.vendor)
                throw WorkflowError(.invalidData, Message(quoted.isEmpty ? "error.not_quoted" : "error.not_quoted_others",
                                                          ["vendor": "\(vendor)", "request": "\(facts.id)", "quoted": .words(quoted)]))
            }
            let valid = facts.contracts.filter { $0.vendor == vendor && $0.isValid(on: today) }
            guard !valid.isEmpty else {
                throw WorkflowError(.invalidData, Message("error.no_contract", ["vendor": "\(vendor)", "today": "\(today)"]))
            }
            guard valid.contains(where: { quote.price <= $0.left }) else {
                let best = valid.max { $0.left < $1.left }!
                throw WorkflowError(.invalidData, Message("error.over_cap", ["price": "\(quote.price)", "contract": "\(best.number)",
                                                                              "left": "\(best.left)", "cap": "\(best.cap)"]))
            }
            guard let budget = facts.budget, budget.year == today.year else {
                throw WorkflowError(.invalidData, Message("error.no_budget", ["system": "\(facts.system)", "year": "\(today.year)"]))
            }
            guard quote.price <= budget.left else {
                throw WorkflowError(.invalidData, Message("error.over_budget", ["price": "\(quote.price)", "system": "\(facts.system)", "year": "\(budget.year)",
                                                                                 "left": "\(budget.left)", "amount": "\(budget.amount)"]))
            }
            if inputs.deadline == nil { inputs.deadline = quote.delivery }
        }
    }
}
