/// A workflow as data: its states, which of them are final, and the transitions between them.
///
/// A definition is validated when it is made: unique names, every state reachable from the
/// start, every non-final state able to reach a final one, inputs that fit each effect. The
/// engine runs any valid definition; `smallDevelopment` is the one PRODUCT.md describes.
public struct WorkflowDefinition: Sendable, Equatable {
    /// A state a request can be in.
    public struct State: Sendable, Equatable, Hashable {
        public let name: String
        public let isFinal: Bool
        public init(_ name: String, final isFinal: Bool = false) {
            self.name = name
            self.isFinal = isFinal
        }
    }

    /// Who may take a transition, relative to the request.
    public enum ActorKind: String, Sendable, CaseIterable, Codable {
        /// Any admin.
        case admin
        /// A product owner of the request's system.
        case systemOwner = "system_owner"
        /// A user of a vendor invited to quote for the request.
        case invitedVendor = "invited_vendor"
        /// A user of the vendor the request was ordered from.
        case orderedVendor = "ordered_vendor"
    }

    /// What a transition does besides moving the state; a closed set the store knows how to write.
    public enum Effect: String, Sendable, CaseIterable, Codable {
        case none, prioritise, invite, quote, order, deliver, accept
        case returnToVendor = "return"
        case release, close

        /// The inputs this effect cannot do without.
        public var needs: [InputField] {
            switch self {
            case .none, .accept: return []
            case .prioritise: return [.priority]
            case .invite: return [.vendors]
            case .quote: return [.hours, .price, .delivery]
            case .order: return [.vendor]
            case .deliver: return [.note]
            case .returnToVendor, .close: return [.reason]
            case .release: return [.versionName]
            }
        }

        /// The guards the effect checks, in words.
        public var guards: [Message] {
            switch self {
            case .none, .prioritise, .deliver, .accept, .returnToVendor, .release, .close: return []
            case .invite: return [Message("guard.contract_today")]
            case .quote: return [Message("guard.invited"), Message("guard.one_quote")]
            case .order: return [Message("guard.quoted"), Message("guard.contract_order_date"), Message("guard.budget"), Message("guard.cap")]
            }
        }
    }

    /// A value a transition takes from the caller.
    public enum InputField: String, Sendable, CaseIterable, Codable {
        case priority, vendors, vendor, due, hours, price, delivery, deadline, reason, note
        case versionName = "version_name"

        /// The command-line option that supplies it.
        public var option: String {
            switch self {
            case .priority: return "--priority N"
            case .vendors: return "--vendor KEY ..."
            case .vendor: return "--vendor KEY"
            case .due: return "--due DATE"
            case .hours: return "--hours H"
            case .price: return "--price EUR"
            case .delivery: return "--delivery DATE"
            case .deadline: return "--deadline DATE"
            case .reason: return "--reason TEXT"
            case .note: return "--note TEXT"
            case .versionName: return "--version-name V"
            }
        }
    }

    /// Who hears of a transition: notifications are queued for them in its transaction.
    public enum Audience: String, Sendable, CaseIterable, Codable {
        case systemOwners = "system_owners"
        case invitedVendors = "invited_vendors"
        case orderedVendor = "ordered_vendor"
        case requester
    }

    /// A named step from one or more states to another.
    public struct Transition: Sendable, Equatable {
        public let name: String
        public let from: [String]
        public let to: String
        public let actors: [ActorKind]
        public let required: [InputField]
        public let optional: [InputField]
        public let effect: Effect
        public let notify: [Audience]

        public init(_ name: String, from: [String], to: String, actors: [ActorKind], required: [InputField] = [],
                    optional: [InputField] = [], effect: Effect = .none, notify: [Audience] = []) {
            self.name = name
            self.from = from
            self.to = to
            self.actors = actors
            self.required = required
            self.optional = optional
            self.effect = effect
            self.notify = notify
        }
    }

    public let name: String
    public let start: String
    public let states: [State]
    public let transitions: [Transition]

    /// Makes a definition, or throws an `invalidData` error that says what is wrong with it.
    public init(name: String, start: String, states: [State], transitions: [Transition]) throws {
        self.name = name
        self.start = start
        self.states = states
        self.transitions = transitions
        let problems = validate()
        guard problems.isEmpty else {
            throw WorkflowError(.invalidData, Message("error.workflow_invalid", ["name": "\(name)", "problems": "\(problems.joined(separator: "; "))"]))
        }
    }

    /// The state with a name.
    public func state(_ name: String) -> State? { states.first { $0.name == name } }

    /// The transitions that leave a state.
    public func transitions(from state: String) -> [Transition] { transitions.filter { $0.from.contains(state) } }

    /// The transition with a name.
    public func transition(_ name: String) -> Transition? { transitions.first { $0.name == name } }

    /// Everything wrong with this definition (empty when valid).
    func validate() -> [String] {
        var problems: [String] = []
        let names = states.map(\.name)
        if Set(names).count != names.count { problems.append("state names are not unique") }
        let transitionNames = transitions.map(\.name)
        if Set(transitionNames).count != transitionNames.count { problems.append("transition names are not unique") }
        let known = Set(names)
        guard let startState = state(start) else { return problems + ["start state '\(start)' is not a state"] }
        if startState.isFinal { problems.append("start state '\(start)' is final") }
        for transition in transitions {
            for endpoint in transition.from + [transition.to] where !known.contains(endpoint) {
                problems.append("transition '\(transition.name)' names unknown state '\(endpoint)'")
            }
            for from in transition.from where state(from)?.isFinal == true {
                problems.append("transition '\(transition.name)' leaves final state '\(from)'")
            }
            if transition.from.isEmpty { problems.append("transition '\(transition.name)' has no from-state") }
            if transition.actors.isEmpty { problems.append("nobody may take transition '\(transition.name)'") }
            for needed in transition.effect.needs where !transition.required.contains(needed) {
                problems.append("transition '\(transition.name)' must require \(needed.rawValue) for its effect \(transition.effect.rawValue)")
            }
        }
        // Reachability from the start.
        var reached: Set<String> = [start]
        var frontier = [start]
        while let current = frontier.popLast() {
            for transition in transitions(from: current) where !reached.contains(transition.to) {
                reached.insert(transition.to)
                frontier.append(transition.to)
            }
        }
        for name in names where !reached.contains(name) { problems.append("state '\(name)' cannot be reached from '\(start)'") }
        // Every non-final state can reach a final one.
        var canFinish = Set(states.filter(\.isFinal).map(\.name))
        var changed = true
        while changed {
            changed = false
            for transition in transitions where canFinish.contains(transition.to) {
                for from in transition.from where !canFinish.contains(from) {
                    canFinish.insert(from)
                    changed = true
                }
            }
        }
        if states.allSatisfy({ !$0.isFinal }) { problems.append("no state is final") }
        for name in names where !canFinish.contains(name) { problems.append("state '\(name)' cannot reach a final state") }
        return problems
    }
}
