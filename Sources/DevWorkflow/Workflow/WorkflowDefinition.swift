/// A workflow as the database defines it: its states, which are final, and the transitions
/// between them with who may take them, the inputs they take, the guards and effects they run
/// and whom they notify.
///
/// The definition has one source, the schema's `workflow_*` tables (sql/0006), which the
/// database checks when a definition is written and `move()` runs. This value is what the client
/// reads of it (`WorkflowStore.definition(_:)`) to draw and explain it; it decides nothing.
public struct WorkflowDefinition: Sendable, Equatable, Decodable {
    /// A state a request can be in.
    public struct State: Sendable, Equatable, Hashable, Decodable {
        public let name: String
        public let isFinal: Bool
        public init(_ name: String, final isFinal: Bool = false) {
            self.name = name
            self.isFinal = isFinal
        }
        enum CodingKeys: String, CodingKey {
            case name
            case isFinal = "final"
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
        case quotingVendors = "quoting_vendors"
        case orderedVendor = "ordered_vendor"
        case requester
        case admins
    }

    /// A named step from one or more states to another (or back to the state it leaves).
    public struct Transition: Sendable, Equatable, Decodable {
        public let name: String
        public let from: [String]
        /// The state it leads to; nil when it stays in the state it leaves (`invite`).
        public let to: String?
        public let actors: [ActorKind]
        public let required: [InputField]
        public let optional: [InputField]
        /// The guards it runs, by name, in order; `guard.<name>` in the catalogue says each in words.
        public let guards: [String]
        /// The effects it writes, by name, in order.
        public let effects: [String]
        public let notify: [Audience]

        public init(_ name: String, from: [String], to: String?, actors: [ActorKind], required: [InputField] = [],
                    optional: [InputField] = [], guards: [String] = [], effects: [String] = [], notify: [Audience] = []) {
            self.name = name
            self.from = from
            self.to = to
            self.actors = actors
            self.required = required
            self.optional = optional
            self.guards = guards
            self.effects = effects
            self.notify = notify
        }

        /// Where it leads from a state.
        public func target(from state: String) -> String { to ?? state }

        /// The guards in words.
        public var guardMessages: [Message] { guards.map { Message("guard.\($0)") } }
    }

    public let name: String
    public let start: String
    public let states: [State]
    public let transitions: [Transition]

    public init(name: String, start: String, states: [State], transitions: [Transition]) {
        self.name = name
        self.start = start
        self.states = states
        self.transitions = transitions
    }

    /// The state with a name.
    public func state(_ name: String) -> State? { states.first { $0.name == name } }

    /// The transitions that leave a state.
    public func transitions(from state: String) -> [Transition] { transitions.filter { $0.from.contains(state) } }

    /// The transition with a name.
    public func transition(_ name: String) -> Transition? { transitions.first { $0.name == name } }
}
