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
        public let reason: String?
        public let required: [WorkflowDefinition.InputField]
        public let optional: [WorkflowDefinition.InputField]
        public let guards: [String]
    }

    /// Decides a move. On success the machine is in the new state and the decision says what to
    /// write; otherwise it throws a `WorkflowError` naming what was wrong and what would be right.
    public mutating func move(_ name: String, by actor: Actor?, inputs given: TransitionInputs,
                              today: LocalDate, calendar: BusinessCalendar) throws -> Decision {
        guard let actor else {
            throw WorkflowError(.notPermitted, "your login has no person record: an admin must add you with `workflowctl person add`")
        }
        let allowedNow = definition.transitions(from: state).map(\.name)
        let allowedText = allowedNow.isEmpty ? "none (\(state) is final)" : allowedNow.joined(separator: ", ")
        guard let transition = definition.transition(name) else {
            throw WorkflowError(.invalidData, "unknown transition '\(name)': the workflow has \(definition.transitions.map(\.name).joined(separator: ", "))",
                                context: ["allowed": allowedText])
        }
        guard transition.from.contains(state) else {
            throw WorkflowError(.invalidData, "\(facts.id) is \(state): '\(name)' is not possible now; allowed now: \(allowedText)",
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
            let reason = actor.map { refusal(of: transition, for: $0) } ?? "your login has no person record"
            return Option(transition: transition.name, to: transition.to, allowed: reason == nil, reason: reason,
                          required: transition.required, optional: transition.optional, guards: transition.effect.guards)
        }
    }

    /// Why this person may not take the transition on this request, or nil when they may.
    func refusal(of transition: WorkflowDefinition.Transition, for actor: Actor) -> String? {
        for kind in transition.actors {
            switch kind {
            case .admin where actor.role == .admin: return nil
            case .systemOwner where actor.role == .productOwner && actor.systems.contains(facts.system): return nil
            case .invitedVendor where actor.role == .vendor && actor.vendor.map({ facts.invitation($0) != nil }) == true: return nil
            case .orderedVendor where actor.role == .vendor && actor.vendor != nil && actor.vendor == facts.orderedVendor: return nil
            case .admin, .systemOwner, .invitedVendor, .orderedVendor: continue
            }
        }
        let who = transition.actors.map { kind -> String in
            switch kind {
            case .admin: return "an admin"
            case .systemOwner: return "a product owner of \(facts.system)"
            case .invitedVendor: return "an invited vendor"
            case .orderedVendor: return "the ordered vendor"
            }
        }
        let me = actor.role == .vendor ? "\(actor.login) (vendor \(actor.vendor ?? "?"))" : "\(actor.login) (\(actor.role.rawValue))"
        return "\(me) may not \(transition.name) \(facts.id): that is for \(who.joined(separator: " or "))"
    }

    /// A vendor's user acts for its own vendor; others name the vendor they act for.
    private func bindVendor(of transition: WorkflowDefinition.Transition, for actor: Actor, into inputs: inout TransitionInputs) throws {
        guard transition.effect == .quote || transition.effect == .deliver else { return }
        if actor.role == .vendor {
            if let named = inputs.vendor, named != actor.vendor {
                throw WorkflowError(.notPermitted, "\(actor.login) works for \(actor.vendor ?? "?") and may not act for vendor \(named)")
            }
            inputs.vendor = actor.vendor
        } else if transition.effect == .quote, inputs.vendor == nil {
            throw WorkflowError(.usage, "'quote' on behalf of a vendor needs --vendor KEY (invited: \(facts.invitations.map(\.vendor).joined(separator: ", ")))")
        } else if transition.effect == .deliver {
            if let named = inputs.vendor, named != facts.orderedVendor {
                throw WorkflowError(.invalidData, "\(facts.id) was ordered from \(facts.orderedVendor ?? "nobody"), not \(named)")
            }
            inputs.vendor = facts.orderedVendor
        }
    }

    private func checkPresence(of transition: WorkflowDefinition.Transition, in inputs: TransitionInputs) throws {
        let missing = transition.required.filter { !inputs.has($0) }
        if !missing.isEmpty {
            throw WorkflowError(.usage, "'\(transition.name)' needs \(missing.map(\.option).joined(separator: ", "))",
                                context: ["missing": missing.map(\.rawValue).joined(separator: ",")])
        }
        let accepted = Set(transition.required + transition.optional)
        let extra = WorkflowDefinition.InputField.allCases.filter { inputs.has($0) && !accepted.contains($0) }
            // the vendor field doubles for --vendor lists; count it once
            .filter { !($0 == .vendor && accepted.contains(.vendors)) && !($0 == .vendors && accepted.contains(.vendor)) }
        if !extra.isEmpty {
            throw WorkflowError(.usage, "'\(transition.name)' does not take \(extra.map(\.option).joined(separator: ", "))")
        }
    }

    private func validate(_ inputs: TransitionInputs, today: LocalDate) throws {
        if let priority = inputs.priority, !(1...5).contains(priority) {
            throw WorkflowError(.invalidData, "priority \(priority) is out of range: expected 1 (highest) to 5")
        }
        if let hours = inputs.hours, hours <= 0 || hours > 100_000 {
            throw WorkflowError(.invalidData, "hours \(hours) must be more than 0 and at most 100000")
        }
        if let price = inputs.price, price <= .zero || price > .maximum {
            throw WorkflowError(.invalidData, "price \(price) EUR must be more than 0")
        }
        for (label, date) in [("quote due date", inputs.due), ("delivery date", inputs.delivery), ("deadline", inputs.deadline)] {
            if let date, date < today {
                throw WorkflowError(.invalidData, "\(label) \(date) is in the past: expected \(today) or later")
            }
        }
        if Set(inputs.vendors).count != inputs.vendors.count {
            throw WorkflowError(.invalidData, "a vendor is named twice in --vendor")
        }
        for (label, text) in [("reason", inputs.reason), ("note", inputs.note), ("version name", inputs.versionName)] {
            if let text, text.count > 5000 { throw WorkflowError(.invalidData, "\(label) is longer than 5000 characters") }
        }
    }

    private func applyGuardsAndDefaults(of transition: WorkflowDefinition.Transition, to inputs: inout TransitionInputs,
                                        today: LocalDate, calendar: BusinessCalendar) throws {
        switch transition.effect {
        case .none, .prioritise, .deliver, .accept, .returnToVendor, .release, .close:
            return
        case .invite:
            for vendor in inputs.vendors {
                guard facts.knownVendors.contains(vendor) else { throw WorkflowError(.notFound, "no vendor \(vendor)") }
                let contracts = facts.contracts.filter { $0.vendor == vendor }
                guard contracts.contains(where: { $0.isValid(on: today) }) else {
                    let latest = contracts.max { $0.validTo < $1.validTo }
                    throw WorkflowError(.invalidData, "vendor \(vendor) has no contract valid on \(today)"
                        + (latest.map { " (contract \($0.number) is valid \($0.validFrom) to \($0.validTo))" } ?? " (it has no contract)"))
                }
            }
            if inputs.due == nil { inputs.due = calendar.adding(businessDays: 5, to: today) }
        case .quote:
            guard let vendor = inputs.vendor, facts.invitation(vendor) != nil else {
                throw WorkflowError(.invalidData, "vendor \(inputs.vendor ?? "?") was not invited to quote for \(facts.id)")
            }
        case .order:
            guard let vendor = inputs.vendor else { return }
            guard let invitation = facts.invitation(vendor), let quote = invitation.quote else {
                let quoted = facts.invitations.filter { $0.quote != nil }.map(\.vendor)
                throw WorkflowError(.invalidData, "vendor \(vendor) has not quoted for \(facts.id)"
                    + (quoted.isEmpty ? "" : "; quoted: \(quoted.joined(separator: ", "))"))
            }
            let valid = facts.contracts.filter { $0.vendor == vendor && $0.isValid(on: today) }
            guard !valid.isEmpty else {
                throw WorkflowError(.invalidData, "vendor \(vendor) has no contract valid on \(today)")
            }
            guard valid.contains(where: { quote.price <= $0.left }) else {
                let best = valid.max { $0.left < $1.left }!
                throw WorkflowError(.invalidData, "price \(quote.price) EUR exceeds the cap left on contract \(best.number) (\(best.left) of \(best.cap) EUR)")
            }
            guard let budget = facts.budget, budget.year == today.year else {
                throw WorkflowError(.invalidData, "\(facts.system) has no budget for \(today.year): set one with `workflowctl budget set --system \(facts.system) --year \(today.year) --amount EUR`")
            }
            guard quote.price <= budget.left else {
                throw WorkflowError(.invalidData, "price \(quote.price) EUR exceeds the budget left for \(facts.system) in \(budget.year) (\(budget.left) of \(budget.amount) EUR)")
            }
            if inputs.deadline == nil { inputs.deadline = quote.delivery }
        }
    }
}
