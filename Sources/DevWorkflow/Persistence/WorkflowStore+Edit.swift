import Foundation

extension WorkflowStore {
    /// What an edit changed: each field with its old and new text (none: nothing differed, and
    /// the version stayed).
    public struct Edited: Sendable, Equatable {
        public let request: String
        public let version: Int
        public let changes: [(field: String, old: String?, new: String?)]

        public static func == (lhs: Edited, rhs: Edited) -> Bool {
            lhs.request == rhs.request && lhs.version == rhs.version && lhs.changes.map(\.field) == rhs.changes.map(\.field)
        }
    }

    /// Corrects a request's title, description or requester (nil keeps it). The database decides
    /// who may (`edit_refusal`), records the old and new values as an `edit` event and advances
    /// the version, refusing with 75 when `expectedVersion` is no longer the request's.
    public func edit(_ id: String, title: String? = nil, description: String? = nil, requester: String? = nil,
                     expectedVersion: Int? = nil) throws -> Edited {
        let json = try document("""
            SELECT workflow.edit_request(\(id), \(title), \(description), \(requester), \(expectedVersion.map(Int32.init)))::text
            """)
        var changes: [(String, String?, String?)] = []
        if case let .object(pairs)? = json["changes"] {
            for (field, change) in pairs {
                func text(_ key: String) -> String? { change[key].flatMap { $0 == .null ? nil : $0.plain } }
                changes.append((field, text("old"), text("new")))
            }
        }
        return Edited(request: json["request"]?.plain ?? id, version: Int(json["version"]?.plain ?? "") ?? 0, changes: changes)
    }

    /// Deactivates a person (`active: false`: their login can do nothing any more, 77) or
    /// activates them again; says whether anything changed.
    public func setActive(_ login: String, _ active: Bool) throws -> Bool {
        try run("SELECT workflow.set_person_active(\(login), \(active))", denied: Message("error.admins_only")).first!.decode(0)
    }

    /// Changes a person (nil keeps a field; `systems` replaces them all).
    public func editPerson(_ login: String, name: String? = nil, email: String? = nil, role: PersonRole? = nil, systems: [String]? = nil,
                           vendor: String? = nil, lang: String? = nil) throws {
        try run("""
            SELECT workflow.edit_person(\(login), \(name), \(email), \(role?.rawValue), \(systems.map(TextArray.init)), \(vendor), \(lang))
            """, denied: Message("error.admins_only"))
    }

    /// Renames a system.
    public func editSystem(_ key: String, name: String) throws {
        try run("SELECT workflow.edit_system(\(key), \(name))", denied: Message("error.admins_only"))
    }

    /// Changes a vendor's name, address, language or registry code (nil keeps it).
    public func editVendor(_ key: String, name: String? = nil, email: String? = nil, lang: String? = nil, registryCode: String? = nil) throws {
        try run("SELECT workflow.edit_vendor(\(key), \(name), \(email), \(lang), \(registryCode))", denied: Message("error.admins_only"))
    }

    /// Refuses (read-only, exit 78) when the session is on a standby: for a command that writes
    /// but may find nothing left to write (`demo run` a second time), which a standby would
    /// otherwise let pass.
    public func requireWritable() throws {
        if try run("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean").first?.decode(0, as: Bool.self) == true {
            throw WorkflowError(.readOnly, Message("error.read_only"))
        }
    }

    /// Takes a closure day back: business days count it again.
    public func removeClosure(_ day: LocalDate) throws {
        try run("SELECT workflow.remove_closure(\(day))", denied: Message("error.admins_only"))
    }

    /// Sends every failed message again (of one request, when given); returns how many.
    public func retryFailedMessages(request: String? = nil) throws -> Int {
        try run("SELECT workflow.retry_failed_outbox(\(request))", denied: Message("error.retry_admins_only")).first!.decode(0)
    }
}
