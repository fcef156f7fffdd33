/// What a person is in DevWorkflow.
public enum PersonRole: String, Sendable, CaseIterable, Codable {
    case admin
    case productOwner = "product_owner"
    case vendor
    case requester
}

/// The person acting, as the state machine needs to know them.
public struct Actor: Sendable, Equatable, Codable {
    /// The PostgreSQL login that is this person.
    public let login: String
    public let role: PersonRole
    /// The systems a product owner owns.
    public let systems: Set<String>
    /// The vendor a vendor's user works for.
    public let vendor: String?

    public init(login: String, role: PersonRole, systems: Set<String> = [], vendor: String? = nil) {
        self.login = login
        self.role = role
        self.systems = systems
        self.vendor = vendor
    }
}
