import Foundation

/// The record of every change and its hash chains (sql/0008): the audit log, seals, and the two
/// redactions that replace personal text while the chains keep holding.
extension WorkflowStore {
    /// The audit records since a day (Europe/Tallinn) and of one kind, oldest first.
    public func auditLog(since: LocalDate? = nil, kind: String? = nil) throws -> [JSONValue] {
        try run("SELECT workflow.audit_log(\(since), \(kind))::text", denied: Message("error.auditors"))
            .map { try JSONValue.parse(try $0.decode(0, as: String.self)) }
    }

    /// Recomputes every chain (and checks a seal's heads); the first record that does not hold, if any.
    public func verifyChains(against seal: Seal? = nil, keepingHeads: Bool = false, hashingFiles: Bool = false) throws -> AuditChains.Result {
        do {
            return try AuditChains(connection: connection).verify(against: seal, keepingHeads: keepingHeads, hashingFiles: hashingFiles)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// Verifies the chains and, when they hold, seals their heads: the seal joins the audit chain
    /// (reports name the last one). A record that does not hold is refused (65), never sealed.
    public func seal(at moment: Date) throws -> Seal {
        let result = try verifyChains(keepingHeads: true)
        if let problem = result.problem { throw WorkflowError(.invalidData, problem.message) }
        let seal = Seal(result: result, at: moment)
        try run("SELECT workflow.record_seal(\(seal.digest), \(Int64(seal.heads.count)), \(Int64(seal.records)))", denied: Message("error.auditors"))
        return seal
    }

    /// The last seal taken: when, and its digest; nil before the first.
    public func lastSeal() throws -> (at: String, digest: String)? {
        guard let row = try run("SELECT workflow.last_seal()::text").first, let text: String = try row.decode(0) else { return nil }
        let value = try JSONValue.parse(text)
        return (value["at"]?.plain ?? "", value["digest"]?.plain ?? "")
    }

    /// An admin replaces a comment's text (the number `request history` shows) with a tombstone.
    public func redactComment(request: String, number: Int64, reason: String) throws {
        try run("SELECT workflow.redact_comment(\(request), \(number), \(reason))", denied: Message("error.admins_only"))
    }

    /// An admin replaces a person's name and e-mail with tombstones, in the audit record too.
    public func forgetPerson(login: String, reason: String) throws {
        try run("SELECT workflow.forget_person(\(login), \(reason))", denied: Message("error.admins_only"))
    }
}
