import Foundation

extension WorkflowStore {
    /// Keys of systems and vendors: capitals, digits and `_`, starting with a letter.
    static func checkKey(_ key: String, _ what: String) throws {
        let ok = key.count <= 20 && key.first.map { $0.isASCII && $0.isUppercase } == true
            && key.allSatisfy { ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "_" }
        guard ok else {
            throw WorkflowError(.invalidData, Message("error.key_format", ["what": .message(Message("word.\(what)")), "value": "\(key.prefix(40))"]))
        }
    }

    static func checkName(_ name: String, _ what: String) throws {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        // Counted as PostgreSQL length() counts: Unicode scalars.
        guard !trimmed.isEmpty, name.unicodeScalars.count <= 200 else {
            throw WorkflowError(.invalidData, Message("error.name_length", ["what": .message(Message("word.\(what)"))]))
        }
    }

    static func checkEmail(_ email: String) throws {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: \.isWhitespace) else {
            throw WorkflowError(.invalidData, Message("error.email_format", ["value": "\(email.prefix(60))"]))
        }
    }

    /// Runs an admin's write: not-admin, duplicates and unknown references get their own words.
    private func adminWrite(_ sql: SQL, duplicate: Message, missing: Message? = nil) throws {
        do {
            try connection.execute(sql)
        } catch let error as PostgresError where error.sqlState == .insufficientPrivilege {
            throw WorkflowError(.notPermitted, Message("error.admins_only"), underlying: error)
        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
            throw WorkflowError(.invalidData, duplicate, underlying: error)
        } catch let error as PostgresError where error.sqlState == .foreignKeyViolation && missing != nil {
            throw WorkflowError(.notFound, missing!, underlying: error)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// Adds an information system.
    public func addSystem(key: String, name: String) throws {
        try WorkflowStore.checkKey(key, "system")
        try WorkflowStore.checkName(name, "system")
        try adminWrite("INSERT INTO system (key, name) VALUES (\(key), \(name))", duplicate: Message("error.exists_system", ["key": "\(key)"]))
    }

    /// Adds a vendor.
    public func addVendor(key: String, name: String, email: String, lang: String = "et") throws {
        try WorkflowStore.checkKey(key, "vendor")
        try WorkflowStore.checkName(name, "vendor")
        try WorkflowStore.checkEmail(email)
        try WorkflowStore.checkLanguage(lang)
        try adminWrite("INSERT INTO vendor (key, name, email, lang) VALUES (\(key), \(name), \(email), \(lang))",
                       duplicate: Message("error.exists_vendor", ["key": "\(key)"]))
    }

    /// Adds a vendor's framework contract.
    public func addContract(vendor: String, number: String, from: LocalDate, to: LocalDate, rate: Money, cap: Money) throws {
        guard !number.trimmingCharacters(in: .whitespaces).isEmpty, number.unicodeScalars.count <= 100 else {
            throw WorkflowError(.invalidData, Message("error.contract_number"))
        }
        guard to >= from else { throw WorkflowError(.invalidData, Message("error.contract_period", ["from": "\(from)", "to": "\(to)"])) }
        guard rate > .zero else { throw WorkflowError(.invalidData, Message("error.rate_positive")) }
        guard cap > .zero else { throw WorkflowError(.invalidData, Message("error.cap_positive")) }
        try adminWrite("""
            INSERT INTO contract (vendor, number, valid_from, valid_to, hourly_rate, cap)
            VALUES (\(vendor), \(number), \(from), \(to), \(rate), \(cap))
            """, duplicate: Message("error.exists_contract", ["key": "\(number)"]), missing: Message("error.no_vendor", ["vendor": "\(vendor)"]))
    }

    /// Sets a system's budget for a year (replacing the amount if one was set).
    public func setBudget(system: String, year: Int, amount: Money) throws {
        guard (2000...2100).contains(year) else { throw WorkflowError(.invalidData, Message("error.year_range", ["year": "\(year)"])) }
        guard amount >= .zero else { throw WorkflowError(.invalidData, Message("error.budget_negative")) }
        try adminWrite("""
            INSERT INTO budget (system, year, amount) VALUES (\(system), \(year), \(amount))
            ON CONFLICT (system, year) DO UPDATE SET amount = EXCLUDED.amount
            """, duplicate: Message("error.exists_budget"), missing: Message("error.no_system", ["system": "\(system)"]))
    }

    static func checkLanguage(_ lang: String) throws {
        guard ["et", "en"].contains(lang) else { throw WorkflowError(.invalidData, Message("error.language", ["value": "\(lang)"])) }
    }

    /// Adds a person: the login is their PostgreSQL role (a DBA grants it devworkflow_user).
    public func addPerson(login: String, name: String, email: String, role: PersonRole, systems: [String] = [],
                          vendor: String? = nil, lang: String = "et") throws {
        guard !login.isEmpty, login.count <= 63, !login.contains(where: { $0.isWhitespace || $0 == "\u{0}" }) else {
            throw WorkflowError(.invalidData, Message("error.login_format", ["value": "\(login.prefix(63))"]))
        }
        try WorkflowStore.checkName(name, "person")
        try WorkflowStore.checkEmail(email)
        try WorkflowStore.checkLanguage(lang)
        switch role {
        case .vendor:
            guard vendor != nil else { throw WorkflowError(.usage, Message("error.vendor_user_needs_vendor")) }
            guard systems.isEmpty else { throw WorkflowError(.usage, Message("error.system_for_owners")) }
        case .productOwner:
            guard vendor == nil else { throw WorkflowError(.usage, Message("error.vendor_for_vendors")) }
            guard !systems.isEmpty else { throw WorkflowError(.usage, Message("error.owner_needs_system")) }
        case .admin, .requester:
            guard vendor == nil else { throw WorkflowError(.usage, Message("error.vendor_for_vendors")) }
            guard systems.isEmpty else { throw WorkflowError(.usage, Message("error.system_for_owners")) }
        }
        do {
            try connection.transaction {
                try adminWrite("""
                    INSERT INTO person (login, name, email, role, vendor, lang)
                    VALUES (\(login), \(name), \(email), \(role.rawValue), \(vendor), \(lang))
                    """, duplicate: Message("error.exists_person", ["key": "\(login)"]), missing: Message("error.no_vendor", ["vendor": "\(vendor ?? "")"]))
                for system in systems {
                    try adminWrite("INSERT INTO person_system (login, system) VALUES (\(login), \(system))",
                                   duplicate: Message("error.system_twice", ["system": "\(system)"]), missing: Message("error.no_system", ["system": "\(system)"]))
                }
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// Adds a day off that business days skip.
    public func addClosure(_ day: LocalDate, note: String = "") throws {
        try adminWrite("INSERT INTO calendar_closure (day, note) VALUES (\(day), \(note))", duplicate: Message("error.exists_closure", ["date": "\(day)"]))
    }

    /// Rows of an admin listing (systems, vendors, contracts, budgets, people, closures) as JSON objects.
    public func list(_ what: AdminListing) throws -> [JSONValue] {
        let sql: SQL
        switch what {
        case .systems:
            sql = "SELECT json_build_object('key', key, 'name', name)::text FROM system ORDER BY key"
        case .vendors:
            sql = "SELECT json_build_object('key', key, 'name', name, 'email', email, 'lang', lang)::text FROM vendor ORDER BY key"
        case .contracts:
            sql = """
                SELECT json_build_object('vendor', c.vendor, 'number', c.number, 'valid_from', c.valid_from, 'valid_to', c.valid_to,
                    'rate', c.hourly_rate, 'cap', c.cap,
                    'used', (SELECT coalesce(sum(price), 0) FROM purchase_order o WHERE o.contract_id = c.id AND o.cancelled_at IS NULL))::text
                FROM contract c ORDER BY c.vendor, c.valid_from, c.number
                """
        case .budgets:
            sql = "SELECT json_build_object('system', system, 'year', year, 'amount', amount)::text FROM budget ORDER BY system, year"
        case .people:
            sql = """
                SELECT json_build_object('login', p.login, 'name', p.name, 'email', p.email, 'role', p.role, 'vendor', p.vendor,
                    'lang', p.lang, 'systems', coalesce((SELECT json_agg(system ORDER BY system) FROM person_system WHERE login = p.login), '[]'))::text
                FROM person p ORDER BY p.login
                """
        case .closures:
            sql = "SELECT json_build_object('date', day, 'note', note)::text FROM calendar_closure ORDER BY day"
        }
        return try run(sql).map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
    }

    /// What `list(_:)` can list.
    public enum AdminListing: String, Sendable, CaseIterable {
        case systems, vendors, contracts, budgets, people, closures
    }
}
