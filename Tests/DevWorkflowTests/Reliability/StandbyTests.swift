import Foundation
import Testing
@testable import DevWorkflow

/// Issue 7, item 5 in CI: a read-only server serves every read and refuses every write at once
/// with exit 78 and one line, in workflowctl and workflowd. `scripts/reliability.d/50-standby`
/// runs the whole command set against a streaming replica; these are its fast core.
@Suite struct StandbyTests {
    /// Writes a person might try, each of which must be refused by a read-only server.
    static let writes: [[String]] = [
        ["request", "new", "--system", "VOLIS", "--title", "Not on a standby"],
        ["request", "move", "VOLIS-1", "prioritise", "--priority", "2"],
        ["request", "comment", "VOLIS-1", "a comment"],
        ["system", "add", "NEWSYS", "--name", "New system"],
        ["calendar", "closure", "add", "2026-12-31"],
        ["db", "migrate"],
    ]

    static func expectRefusedAsReadOnly(_ result: Binary.Result, _ what: String) {
        #expect(result.status == 78, "\(what): \(result.stderr)")
        #expect(result.stderr.hasPrefix("workflowctl: error: "), "\(what): \(result.stderr)")
        #expect(result.stderr.contains("read-only"), "\(what): \(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(what): \(result.stderr)")
    }

    /// `default_transaction_read_only` makes the same SQLSTATE (25006) a standby gives, in a
    /// database of the shared test cluster: fast enough for every test run.
    @Test func aReadOnlyDatabaseServesReadsAndRefusesWritesWith78() throws {
        let fixture = try Fixture()
        let store = try fixture.store()
        let proposed = try store.propose(system: "VOLIS", title: "Read me on a standby", description: nil, requester: nil)
        let conninfo = try fixture.db.conninfo()
        let before = try Binary.run("workflowctl", ["request", "list", "--json", "--database", conninfo], environment: ["LANG": "en_US.UTF-8"])
        try fixture.db.connect().execute(SQL(unsafe: "ALTER DATABASE \(fixture.db.name) SET default_transaction_read_only = on"))

        for reads in [["request", "list", "--json"], ["request", "show", proposed.id], ["request", "history", proposed.id],
                      ["request", "transitions", proposed.id], ["db", "status"], ["report", "status", "--format", "csv"]] {
            let result = try Binary.run("workflowctl", reads + ["--database", conninfo], environment: ["LANG": "en_US.UTF-8"])
            #expect(result.status == 0, "\(reads): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(reads)")
        }
        let after = try Binary.run("workflowctl", ["request", "list", "--json", "--database", conninfo], environment: ["LANG": "en_US.UTF-8"])
        #expect(after.stdout == before.stdout)
        for write in Self.writes {
            let started = Date()
            let result = try Binary.run("workflowctl", write + ["--database", conninfo], environment: ["LANG": "en_US.UTF-8"])
            Self.expectRefusedAsReadOnly(result, write.joined(separator: " "))
            #expect(Date().timeIntervalSince(started) < 10, "\(write): took \(Date().timeIntervalSince(started)) s")
        }
        let estonian = try Binary.run("workflowctl", Self.writes[0] + ["--database", conninfo], environment: ["LANG": "et_EE.UTF-8"])
        #expect(estonian.status == 78)
        #expect(estonian.stderr.contains("ainult lugemiseks"), "\(estonian.stderr)")
        let json = try Binary.run("workflowctl", ["--json"] + Self.writes[0] + ["--database", conninfo], environment: ["LANG": "en_US.UTF-8"])
        #expect(try JSONValue.parse(json.stdout)["error"]?["exit_code"] == .number("78"))

        // The daemon: one pass ends at once with 78 and says why, delivering nothing.
        let file = (ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()) + "/standby-\(UUID().uuidString).jsonl"
        let started = Date()
        let daemon = try Binary.run("workflowd", ["--once", "--database", conninfo, "--file", file])
        #expect(daemon.status == 78, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=read_only"), "\(daemon.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").isEmpty)
    }

    /// A real streaming replica (`pg_basebackup -R`) of a cluster of this test's own: the same
    /// reads, the same answers; writes and the daemon refused with 78 (LISTEN fails there too).
    @Test func aStreamingStandbyAnswersLikeItsPrimaryAndRefusesWrites() throws {
        let work = (ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()) + "/standby-\(UUID().uuidString.prefix(8))"
        let primary = EmbeddedCluster(directory: work + "/primary")
        let standby = StandbyServer(directory: work + "/standby")
        defer {
            standby.stop()
            _ = try? primary.stop()
            try? FileManager.default.removeItem(atPath: work)
        }
        try primary.start(trust: true)
        let primaryInfo = primary.conninfo
        let english = ["LANG": "en_US.UTF-8"]
        #expect(try Binary.run("workflowctl", ["db", "migrate", "--database", primaryInfo]).status == 0)
        let demo = try Binary.run("workflowctl", ["demo", "run", "--database", primaryInfo], environment: english)
        #expect(demo.status == 0, "\(demo.stderr)")

        try standby.create(from: primary)
        try standby.waitUntilCaughtUp(with: primaryInfo)
        let standbyInfo = standby.conninfo
        #expect(try Connection(standbyInfo).query("SELECT pg_is_in_recovery()").first!.decode(0, as: Bool.self))

        let ids = try Connection(primaryInfo).query("SELECT id FROM workflow.request ORDER BY id").map { try $0.decode(0, as: String.self) }
        #expect(ids.count > 10)
        var reads: [[String]] = [["request", "list", "--json"], ["request", "list", "--state", "ordered"], ["db", "status"],
                                 ["outbox", "list", "--json"], ["report", "status", "--format", "csv"], ["report", "flow", "--format", "csv"],
                                 ["report", "budget", "--year", "2026", "--format", "csv"], ["calendar", "add", "2026-12-20", "5"]]
        for id in ids.prefix(5) { reads += [["request", "show", id, "--json"], ["request", "history", id], ["request", "transitions", id]] }
        for read in reads {
            let onPrimary = try Binary.run("workflowctl", read + ["--database", primaryInfo], environment: english)
            let onStandby = try Binary.run("workflowctl", read + ["--database", standbyInfo], environment: english)
            #expect(onPrimary.status == 0, "\(read): \(onPrimary.stderr)")
            #expect(onStandby.status == 0, "\(read): \(onStandby.stderr)")
            #expect(onStandby.stdout == onPrimary.stdout, "\(read) differs on the standby")
        }
        for write in Self.writes {
            Self.expectRefusedAsReadOnly(try Binary.run("workflowctl", write + ["--database", standbyInfo], environment: english),
                                         write.joined(separator: " "))
        }
        let daemon = try Binary.run("workflowd", ["--once", "--database", standbyInfo, "--file", work + "/messages.jsonl"])
        #expect(daemon.status == 78, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("event=read_only"), "\(daemon.stderr)")
    }
}

/// A hot standby of an embedded cluster, for tests: `pg_basebackup -R` into its own folder,
/// its own socket, run by the same system user as the primary.
struct StandbyServer {
    let directory: String
    var dataDirectory: String { directory + "/data" }
    var socketDirectory: String { directory + "/run" }
    var conninfo: String { "host=\(socketDirectory) dbname=\(EmbeddedCluster.databaseName)" }

    func create(from primary: EmbeddedCluster) throws {
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        for path in [directory, socketDirectory] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            if getuid() == 0, let owner = getpwnam("postgres") { chown(path, owner.pointee.pw_uid, owner.pointee.pw_gid) }
        }
        let backup = try Self.asServerUser(try EmbeddedCluster.binary("pg_basebackup"),
                                           ["-D", dataDirectory, "-R", "-X", "stream", "-c", "fast", "-h", primary.socketDirectory,
                                            "-U", EmbeddedCluster.currentUserName()])
        guard backup.status == 0 else { throw Failure("pg_basebackup: \(backup.stderr)") }
        // Appending keeps the file's owner (the server's user).
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.auto.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nunix_socket_directories = '\(socketDirectory)'\nhot_standby = on\n".utf8))
        try handle.close()
        let start = try Self.asServerUser(try EmbeddedCluster.binary("pg_ctl"),
                                          ["start", "-D", dataDirectory, "-l", directory + "/postgresql.log", "-w", "-t", "60"])
        guard start.status == 0 else { throw Failure("pg_ctl start: \(start.stderr) \(start.stdout)") }
    }

    /// Waits until the standby has replayed everything the primary wrote so far.
    func waitUntilCaughtUp(with primary: String, timeout: TimeInterval = 60) throws {
        let target = try Connection(primary).query("SELECT pg_current_wal_lsn()::text").first!.decode(0, as: String.self)
        let connection = try Connection(conninfo)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try connection.query("SELECT pg_last_wal_replay_lsn() >= \(target)::pg_lsn").first!.decode(0, as: Bool.self) { return }
            usleep(100_000)
        }
        throw Failure("the standby did not replay up to \(target) in \(Int(timeout)) s")
    }

    func stop() {
        guard let pgCtl = try? EmbeddedCluster.binary("pg_ctl") else { return }
        _ = try? Self.asServerUser(pgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w"])
    }

    /// Runs a PostgreSQL program as the user that runs the servers (postgres, when we are root).
    static func asServerUser(_ program: String, _ arguments: [String]) throws -> Subprocess.Output {
        guard getuid() == 0 else { return try Subprocess.run(program, arguments) }
        let runuser = Subprocess.which("runuser") ?? "/usr/sbin/runuser"
        return try Subprocess.run(runuser, ["-u", "postgres", "--", program] + arguments)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
