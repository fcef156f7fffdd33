import Foundation
import Testing
@testable import DevWorkflow

@Suite struct MigratorTests {
    @Test func embeddedMigrationsMatchTheSQLFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("sql")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == Migration.all.map(\.file), "run scripts/embed-sql")
        for migration in Migration.all {
            let text = try String(contentsOf: folder.appendingPathComponent(migration.file), encoding: .utf8)
            #expect(text == migration.sql, "\(migration.file) differs from its embedded copy: run scripts/embed-sql")
        }
        // Numbered in order without gaps, except 0010: reserved for the warranty (issue 19), which
        // landed later than 0011 and 0012 and so after them.
        let versions = Migration.all.map(\.version)
        let reserved: Set = [10]
        #expect(versions == versions.sorted() && Set(versions).count == versions.count)
        #expect(Array(1...(versions.last ?? 0)).filter { !versions.contains($0) }.allSatisfy(reserved.contains), "numbered without gaps: \(versions)")
    }

    @Test func migrateAppliesEachFileOnceAndReportsStatus() throws {
        let db = try TestDatabase.empty()
        let c = try db.product()
        let before = try Migrator(connection: c).status()
        #expect(before.allSatisfy { $0.state == .pending })
        let applied = try Migrator(connection: c).migrate()
        #expect(applied.count == Migration.all.count)
        #expect(try Migrator(connection: c).migrate().isEmpty)
        let after = try Migrator(connection: c).status()
        #expect(after.allSatisfy { $0.state == .applied && $0.appliedBy != nil })
        let group = try c.query("SELECT count(*) FROM pg_roles WHERE rolname = 'devworkflow_user'").first!.decode(0, as: Int.self)
        #expect(group == 1)
    }

    @Test func twoMigratorsAtOnceApplyEachFileOnce() throws {
        let db = try TestDatabase.empty()
        let conninfo = try db.conninfo()
        let counts = Locked<[Int]>([])
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let connection = try Database.connect(conninfo)
                let applied = try Migrator(connection: connection).migrate()
                counts.withValue { $0.append(applied.count) }
            } catch {
                failures.withValue { $0.append(String(reflecting: error)) }
            }
        }
        #expect(failures.current.isEmpty)
        #expect(counts.current.reduce(0, +) == Migration.all.count)
        let c = try db.product()
        let rows = try c.query("SELECT count(*), count(DISTINCT version) FROM workflow.schema_migrations").first!
        #expect(try rows.decode(0, as: Int.self) == Migration.all.count)
        #expect(try rows.decode(1, as: Int.self) == Migration.all.count)
    }

    @Test func anEditedAppliedMigrationIsRefused() throws {
        let db = try TestDatabase.migrated()
        let c = try db.product()
        var edited = Migration.all
        edited[0] = Migration(file: edited[0].file, sql: edited[0].sql + "\n-- a quiet edit\n")
        do {
            try Migrator(connection: c, migrations: edited).migrate()
            Issue.record("an edited migration was accepted")
        } catch let error as WorkflowError {
            #expect(error.code == .invalidData)
            #expect(error.message.contains("was edited"))
            #expect(error.message.contains(edited[0].file))
        }
        // The status lists the whole ledger, the edited file marked with the same refusal.
        let status = try Migrator(connection: c, migrations: edited).status()
        #expect(status.count == Migration.all.count)
        #expect(status.filter { $0.state != .applied }.map(\.file) == [edited[0].file])
        #expect(status[0].state == .edited && status[0].problem?.key == "error.migration_edited")
        // A database that is newer than the binary is refused too, and listed as unknown.
        #expect(throws: WorkflowError.self) { try Migrator(connection: c, migrations: []).migrate() }
        let older = try Migrator(connection: c, migrations: Array(Migration.all.dropLast())).status()
        #expect(older.last?.state == .unknown && older.last?.file == Migration.all.last?.file)
        #expect(older.last?.problem?.key == "error.migration_unknown")
    }

    /// A role that may not create roles cannot apply the first file (it makes the group roles):
    /// the database is left as it was, without an empty schema, and the same role migrates once
    /// it has CREATEROLE.
    @Test func aFirstMigrationRefusedLeavesNoSchemaBehind() throws {
        let db = try TestDatabase.empty()
        let owner = "mig_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
        let admin = try db.connect()
        try admin.execute(SQL(unsafe: "CREATE ROLE \(owner) LOGIN"))
        try admin.execute(SQL(unsafe: "ALTER DATABASE \(db.name) OWNER TO \(owner)"))
        // The group roles exist cluster-wide once any database was migrated: take them away from
        // this test's view by making the first file need CREATEROLE again.
        let first = Migration(file: "0001_first.sql", sql: "CREATE ROLE \(owner)_group NOLOGIN;\nCREATE TABLE t (id int);\n")
        var failure: (any Error)?
        do { try Migrator(connection: try db.product(user: owner), migrations: [first]).migrate() } catch { failure = error }
        #expect(failure != nil)
        #expect(try admin.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'workflow'").first!.decode(0, as: Int.self) == 0,
                "the schema and its ledger went with the failed file")
        try admin.execute(SQL(unsafe: "ALTER ROLE \(owner) CREATEROLE"))
        #expect(try Migrator(connection: try db.product(user: owner), migrations: [first]).migrate().map(\.file) == ["0001_first.sql"])
        try admin.execute(SQL(unsafe: "DROP ROLE IF EXISTS \(owner)_group"))
    }

    /// An edit that keeps the first twelve digits of the checksum is shown with all of them.
    @Test func anEditedChecksumIsShownWhereItDiffers() throws {
        let db = try TestDatabase.migrated()
        let c = try db.product()
        try db.connect().execute("UPDATE workflow.schema_migrations SET checksum = left(checksum, 60) || 'ffff' WHERE version = 5")
        do {
            try Migrator(connection: c).migrate()
            Issue.record("an edited migration was accepted")
        } catch let error as WorkflowError {
            let stored = try db.connect().query("SELECT checksum FROM workflow.schema_migrations WHERE version = 5").first!.decode(0, as: String.self)
            #expect(error.message.contains(stored), "\(error.message)")
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let db = try TestDatabase.empty()
        let c = try db.product()
        let broken = Migration.all + [Migration(file: "9999_broken.sql", sql: "CREATE TABLE half (id int);\nSELECT 1/0;\n")]
        var failure: (any Error)?
        do { try Migrator(connection: c, migrations: broken).migrate() } catch { failure = error }
        #expect(failure is PostgresError)
        #expect((failure as? PostgresError)?.sqlState == SQLState("22012"), "\(String(reflecting: failure))")
        #expect(try c.query("SELECT to_regclass('workflow.half') IS NULL").first!.decode(0, as: Bool.self))
        let status = try Migrator(connection: c, migrations: broken).status()
        #expect(status.last?.state == .pending)
        #expect(status.dropLast().allSatisfy { $0.state == .applied }, "\(status.map { "\($0.file) \($0.state)" }), migrate failed with \(String(reflecting: failure))")
    }
}
