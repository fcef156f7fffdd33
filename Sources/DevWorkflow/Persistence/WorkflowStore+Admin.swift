import Foundation

extension WorkflowStore {
    /// Runs one of the schema's administration functions: it checks the values and the admin
    /// role once, in the database, and refuses with the catalogue's words.
    private func administer(_ sql: SQL) throws {
        try run(sql, denied: Message("error.admins_only"))
    }

    /// Adds an information system.
    public func addSystem(key: String, name: String) throws {
        try administer("SELECT workflow.add_system(\(key), \(name))")
    }

    /// Adds a vendor, with its business registry code (8 digits: the seller on its e-invoices).
    public func addVendor(key: String, name: String, email: String, lang: String = "et", registryCode: String? = nil) throws {
        try administer("SELECT workflow.add_vendor(\(key), \(name), \(email), \(lang), \(registryCode))")
    }

    /// Adds a vendor's framework contract (refused when it overlaps one the vendor has).
    public func addContract(vendor: String, number: String, from: LocalDate, to: LocalDate, rate: Money, cap: Money) throws {
        try administer("SELECT workflow.add_contract(\(vendor), \(number), \(from), \(to), \(rate), \(cap))")
    }

    /// Amends a contract (admins): a new last day, a new cap, or both (nil leaves one as it is).
    /// Refused below what its orders use, before an order placed under it, or into another of
    /// the vendor's contracts. Returns the contract as it is now.
    public func amendContract(_ number: String, to: LocalDate?, cap: Money?) throws -> JSONValue {
        let text: String = try run("SELECT workflow.amend_contract(\(number), \(to), \(cap))::text", denied: Message("error.admins_only")).first!.decode(0)
        return try JSONValue.parse(text)
    }

    /// Sets a system's budget for a year (refused below what orders have already committed).
    public func setBudget(system: String, year: Int, amount: Money) throws {
        try administer("SELECT workflow.set_budget(\(system), \(year)::integer, \(amount))")
    }

    /// Adds a person: the login is their PostgreSQL role (a DBA grants it devworkflow_user); a
    /// staff person's existing login is granted devworkflow_staff at once.
    public func addPerson(login: String, name: String, email: String, role: PersonRole, systems: [String] = [],
                          vendor: String? = nil, lang: String = "et") throws {
        try administer("""
            SELECT workflow.add_person(\(login), \(name), \(email), \(role.rawValue), \(TextArray(systems)), \(vendor), \(lang))
            """)
    }

    /// What an admin should know about a person just added: their login does not exist yet (they
    /// are reached by mail only), or is not let into DevWorkflow; others have the same address.
    public func personNotes(login: String, email: String) throws -> [Message] {
        let row = try run("""
            SELECT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = \(login)),
                   EXISTS (SELECT FROM pg_roles r WHERE r.rolname = \(login) AND pg_has_role(r.oid, 'devworkflow_user', 'MEMBER')),
                   (SELECT string_agg(p.login, ', ' ORDER BY p.login) FROM workflow.person p
                    WHERE lower(p.email) = lower(\(email)) AND p.login <> \(login))
            """).first!
        var notes: [Message] = []
        // The login as SQL names it: a name PostgreSQL would fold to lower case ("Jaan") in quotes.
        let role = login.range(of: "^[a-z_][a-z0-9_$]*$", options: .regularExpression) != nil
            ? login : "\"" + login.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        if try !row.decode(0, as: Bool.self) {
            notes.append(Message("out.person.no_login", ["login": "\(login)", "role": "\(role)"]))
        } else if try !row.decode(1, as: Bool.self) {
            notes.append(Message("out.person.not_a_user", ["login": "\(login)", "role": "\(role)"]))
        }
        if let others = try row.decode(2, as: String?.self) {
            notes.append(Message("out.person.same_email", ["email": "\(email)", "others": "\(others)"]))
        }
        return notes
    }

    /// Brings every person's login in step with its record (after a DBA created logins);
    /// returns how many logins it looked at.
    public func syncLogins() throws -> Int {
        try run("SELECT workflow.sync_logins()", denied: Message("error.admins_only")).first!.decode(0)
    }

    /// Adds a day off that business days skip.
    public func addClosure(_ day: LocalDate, note: String = "") throws {
        try administer("SELECT workflow.add_closure(\(day), \(note))")
    }

    /// Rows of an admin listing (systems, vendors, contracts, budgets, people, closures) as JSON objects.
    /// A person's row says whether they are `active` (a deactivated login can do nothing).
    public func list(_ what: AdminListing) throws -> [JSONValue] {
        let sql: SQL
        switch what {
        case .systems:
            sql = "SELECT json_build_object('key', key, 'name', name)::text FROM system ORDER BY key"
        case .vendors:
            sql = "SELECT json_build_object('key', key, 'name', name, 'email', email, 'lang', lang, 'registry_code', registry_code)::text FROM vendor ORDER BY key"
        case .contracts:
            sql = """
                SELECT json_build_object('vendor', c.vendor, 'number', c.number, 'valid_from', c.valid_from, 'valid_to', c.valid_to,
                    'rate', c.hourly_rate, 'cap', c.cap,
                    'used', c.used, 'warranty_months', c.warranty_months, 'fix_days', c.fix_days,
                    'penalty_per_day', c.penalty_per_day, 'penalty_cap', c.penalty_cap)::text
                FROM contract c ORDER BY c.vendor, c.valid_from, c.number
                """
        case .budgets:
            sql = "SELECT json_build_object('system', system, 'year', year, 'amount', amount, 'committed', used, 'left', amount - used)::text FROM budget ORDER BY system, year"
        case .people:
            sql = """
                SELECT json_build_object('login', p.login, 'name', p.name, 'email', p.email, 'role', p.role, 'active', p.active, 'vendor', p.vendor,
                    'lang', p.lang, 'systems', coalesce((SELECT json_agg(system ORDER BY system) FROM person_system WHERE login = p.login), '[]'))::text
                FROM person p ORDER BY p.login
                """
        case .closures:
            sql = "SELECT json_build_object('date', day, 'note', note)::text FROM calendar_closure ORDER BY day"
        case .settings:
            sql = "SELECT json_build_object('key', key, 'value', value)::text FROM setting ORDER BY key"
        }
        return try run(sql).map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
    }

    /// What `list(_:)` can list.
    public enum AdminListing: String, Sendable, CaseIterable {
        case systems, vendors, contracts, budgets, people, closures, settings
    }
}
