import Foundation

/// Applies the migrations this build carries to a database, each once, in order.
///
/// Runs under a session advisory lock, so two migrators at once are safe: the second waits and
/// then finds nothing left to do. Each file runs in its own transaction together with the row
/// that records it, with its checksum; a database whose applied file differs from this build's
/// copy is refused before anything runs.
public struct Migrator {
    /// The schema the product's tables live in.
    public static let schema = "workflow"
    /// Key of the advisory lock (`'devworkflow'` as bytes), the same for every migrator.
    static let lockKey: Int64 = 0x6465_7677_6f72_6b66

    /// A migration and whether the database has it.
    public struct Status: Sendable, Equatable {
        /// `edited`: applied, and this build's copy differs; `unknown`: applied, and this build
        /// has no such file (the binary is older than the schema).
        public enum State: String, Sendable { case applied, pending, edited, unknown }
        public let version: Int
        public let file: String
        public let state: State
        public let appliedAt: Date?
        public let appliedBy: String?
        /// Why an `edited` or `unknown` migration stops `db migrate`: the same refusal (invalid data).
        public var problem: Message? = nil
    }

    let connection: Connection
    let migrations: [Migration]

    public init(connection: Connection, migrations: [Migration] = Migration.all) {
        self.connection = connection
        self.migrations = migrations
    }

    /// Applies what is missing; returns the files applied now (empty when up to date).
    @discardableResult
    public func migrate() throws -> [Migration] {
        try connection.execute("SELECT pg_advisory_lock(\(Migrator.lockKey))")
        defer { if connection.isOK { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Migrator.lockKey))") } }
        // On a new database the schema and its ledger are made in the first file's transaction:
        // a first migration that fails (a role without CREATEROLE cannot make the group roles)
        // leaves the database as it was, not an empty schema behind.
        // Only the schema's owner migrates, and not on a read-only server, even with nothing to
        // apply: said before anything is tried, as the writes themselves would refuse it.
        let facts = try connection.query("""
            SELECT current_setting('transaction_read_only') = 'on',
                   (SELECT pg_get_userbyid(n.nspowner)::text FROM pg_namespace n
                    WHERE n.nspname = \(Migrator.schema) AND NOT pg_has_role(session_user, n.nspowner, 'MEMBER'))
            """).first!
        if try facts.decode(0, as: Bool.self) { throw WorkflowError(.readOnly, Message("error.read_only")) }
        if let owner = try facts.decode(1, as: String?.self) {
            throw WorkflowError(.notPermitted, Message("error.migrate_owner", ["owner": "\(owner)"]))
        }
        var bootstrap = try !connection.query("SELECT to_regclass('workflow.schema_migrations') IS NOT NULL").first!.decode(0, as: Bool.self)
        let applied = bootstrap ? [:] : try appliedRows()
        try verify(applied)
        var done: [Migration] = []
        for migration in migrations where applied[migration.version] == nil {
            try connection.transaction {
                if bootstrap {
                    try connection.executeScript("""
                        CREATE SCHEMA IF NOT EXISTS \(Migrator.schema);
                        CREATE TABLE \(Migrator.schema).schema_migrations (
                            version    integer PRIMARY KEY,
                            file       text NOT NULL,
                            checksum   text NOT NULL,
                            applied_at timestamptz NOT NULL DEFAULT now(),
                            applied_by text NOT NULL DEFAULT session_user
                        );
                        """)
                }
                try connection.execute(SQL(unsafe: "SET LOCAL search_path = \(Migrator.schema)"))
                try connection.executeScript(migration.sql)
                try connection.execute("""
                    INSERT INTO workflow.schema_migrations (version, file, checksum)
                    VALUES (\(migration.version), \(migration.file), \(migration.checksum))
                    """)
            }
            bootstrap = false
            done.append(migration)
        }
        return done
    }

    /// Every migration of this build with its state in the database (and any the database has
    /// that this build does not know, which means the binary is older than the schema).
    /// An edited or unknown file is listed with its `problem`, not thrown: `db status` shows the
    /// whole ledger before it fails; `migrate()` refuses on the first one.
    public func status() throws -> [Status] {
        let exists = try connection.query("SELECT to_regclass('workflow.schema_migrations') IS NOT NULL").first!.decode(0, as: Bool.self)
        var applied: [Int: (file: String, checksum: String, at: Date, by: String)] = [:]
        if exists { applied = try appliedRows() }
        var rows = migrations.map { migration in
            let row = applied[migration.version]
            let problem = row.flatMap { Self.problem(migration, $0.file, $0.checksum) }
            return Status(version: migration.version, file: migration.file, state: row == nil ? .pending : problem == nil ? .applied : .edited,
                          appliedAt: row?.at, appliedBy: row?.by, problem: problem)
        }
        let known = Set(migrations.map(\.version))
        for (version, row) in applied where !known.contains(version) {
            rows.append(Status(version: version, file: row.file, state: .unknown, appliedAt: row.at, appliedBy: row.by,
                               problem: Self.problem(nil, row.file, row.checksum)))
        }
        rows.sort { $0.version < $1.version }
        return rows
    }

    private func appliedRows() throws -> [Int: (file: String, checksum: String, at: Date, by: String)] {
        var rows: [Int: (file: String, checksum: String, at: Date, by: String)] = [:]
        for row in try connection.query("SELECT version, file, checksum, applied_at, applied_by FROM workflow.schema_migrations") {
            rows[try row.decode(0)] = (try row.decode(1), try row.decode(2), try row.decode(3), try row.decode(4))
        }
        return rows
    }

    /// Refuses a database whose applied files this build does not have, or has differently.
    private func verify(_ applied: [Int: (file: String, checksum: String, at: Date, by: String)]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, row) in applied.sorted(by: { $0.key < $1.key }) {
            if let problem = Self.problem(known[version], row.file, row.checksum) { throw WorkflowError(.invalidData, problem) }
        }
    }

    /// What is wrong with an applied file (`file`, `checksum` as the ledger holds them) that this
    /// build has as `migration` (nil: not at all); nil when nothing is.
    static func problem(_ migration: Migration?, _ file: String, _ checksum: String) -> Message? {
        guard let migration else { return Message("error.migration_unknown", ["file": "\(file)"]) }
        guard migration.checksum != checksum else { return nil }
        // Twelve digits tell most edits apart; where those agree, all of them.
        let shown = migration.checksum.prefix(12) == checksum.prefix(12) ? 64 : 12
        return Message("error.migration_edited", ["file": "\(migration.file)", "now": "\(migration.checksum.prefix(shown))",
                                                  "applied": "\(checksum.prefix(shown))"])
    }
}
