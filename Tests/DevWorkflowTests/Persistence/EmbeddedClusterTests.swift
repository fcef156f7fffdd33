import Foundation
import Testing
@testable import DevWorkflow

/// The embedded cluster as the users of one machine share it (issue 12, item 9), and
/// `cluster status` exiting as `pg_ctl status` does.
@Suite struct EmbeddedClusterTests {
    /// A user without a cluster of their own uses the machine's; their own wins once it exists.
    @Test func theDefaultFolderIsTheUsersOwnElseTheMachines() throws {
        let home = workPath("home"), machine = workPath("machine")
        let environment = ["HOME": home]
        let own = home + "/.local/share/devworkflow"
        #expect(EmbeddedCluster.defaultDirectory(environment: environment, isRoot: false, machine: machine) == own, "none yet: one's own")
        try FileManager.default.createDirectory(atPath: machine + "/data", withIntermediateDirectories: true)
        #expect(EmbeddedCluster.defaultDirectory(environment: environment, isRoot: false, machine: machine) == machine)
        try FileManager.default.createDirectory(atPath: own + "/data", withIntermediateDirectories: true)
        #expect(EmbeddedCluster.defaultDirectory(environment: environment, isRoot: false, machine: machine) == own)
        #expect(EmbeddedCluster.defaultDirectory(environment: environment, isRoot: true, machine: machine) == machine)
        #expect(EmbeddedCluster.defaultDirectory(environment: ["WORKFLOW_HOME": "/x"], isRoot: false, machine: machine) == "/x")
    }

    @Test func statusExitsAsPgCtlStatusDoes() throws {
        let absent = try Binary.run("workflowctl", ["cluster", "status", "--dir", workPath("no-cluster")])
        #expect(absent.status == 4 && absent.stdout.contains("absent"), "\(absent)")
        let json = try Binary.run("workflowctl", ["cluster", "status", "--json", "--dir", workPath("no-cluster")])
        let document = try JSONValue.parse(json.stdout)
        #expect(json.status == 4 && document["state"] == "absent")
        let running = try Binary.run("workflowctl", ["cluster", "status", "--dir", try Self.testCluster()])
        #expect(running.status == 0 && running.stdout.contains("running"), "\(running)")
    }

    /// `cluster stop` on a folder with no cluster (a mistyped `--dir`) is refused, not "stopped":
    /// 66 and one line naming the folder; the folder is not made.
    @Test func stoppingAFolderWithNoClusterIsRefused() throws {
        let folder = workPath("no-cluster-to-stop")
        let stop = try Binary.run("workflowctl", ["cluster", "stop", "--dir", folder])
        #expect(stop.status == 66 && stop.stdout.isEmpty, "\(stop)")
        #expect(stop.stderr == "workflowctl: error: there is no embedded database in \(folder): nothing was stopped (is the folder right? `workflowctl cluster status --dir …`)\n",
                "\(stop.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder))
        let json = try Binary.run("workflowctl", ["cluster", "stop", "--json", "--dir", folder])
        let document = try JSONValue.parse(json.stdout)
        #expect(json.status == 66 && document["error"]?["message_key"] == "error.cluster_absent", "\(json)")
    }

    /// The folder of the cluster `scripts/test` started.
    static func testCluster() throws -> String { URL(fileURLWithPath: try TestDatabase.socketDirectory()).deletingLastPathComponent().path }

    /// Root's cluster, seen by another user of the machine (`nobody`): it runs (not "absent"),
    /// its owner is the one who starts and stops it, a missing login is explained with the
    /// command that makes one, and once made the user works in it.
    @Test(.enabled(if: getuid() == 0, "acting as a second operating-system user needs root"))
    func anotherUserOfTheMachineSharesRootsCluster() throws {
        let dir = workPath("shared")
        let cluster = EmbeddedCluster(directory: dir)
        defer { _ = try? cluster.stop() }
        try cluster.start()
        let asRoot = ["WORKFLOW_HOME": dir, "LANG": "en_US.UTF-8"]
        #expect(try Binary.run("workflowctl", ["db", "migrate"], environment: asRoot).status == 0)
        func asNobody(_ arguments: [String]) throws -> Binary.Result {
            let result = try Subprocess.run("/usr/sbin/runuser", ["-u", "nobody", "--", "/usr/bin/env", "WORKFLOW_HOME=\(dir)", "LANG=en_US.UTF-8",
                                                                  "HOME=/nonexistent", try Binary.path("workflowctl")] + arguments, timeout: 60)
            return Binary.Result(status: result.status, stdout: result.stdout, stderr: result.stderr, maxResidentKilobytes: 0)
        }
        let status = try asNobody(["cluster", "status"])
        #expect(status.status == 0 && status.stdout.contains(": running"), "\(status)")
        let noLogin = try asNobody(["request", "list"])
        #expect(noLogin.status == 77, "\(noLogin)")
        #expect(noLogin.stderr.contains("has no login for your operating-system user nobody") && noLogin.stderr.contains("workflowctl cluster add-login nobody"),
                "\(noLogin.stderr)")
        let stop = try asNobody(["cluster", "stop"])
        #expect(stop.status == 77 && stop.stderr.contains("belongs to the operating-system user postgres"), "\(stop)")

        // The person first, as the demo and an admin's spreadsheet make people, then the login:
        // it may start at once, with its role's grants (a requester reads the systems).
        #expect(try Binary.run("workflowctl", ["person", "add", "nobody", "--name", "Keegi", "--email", "keegi@example.ee", "--role", "requester"],
                               environment: asRoot).status == 0)
        let added = try Binary.run("workflowctl", ["cluster", "add-login", "nobody"], environment: asRoot)
        #expect(added.status == 0, "\(added)")
        let list = try asNobody(["request", "list"])
        #expect(list.status == 0 && list.stdout == "no requests\n", "\(list)")
        let systems = try asNobody(["system", "list"])
        #expect(systems.status == 0, "\(systems)")
        // Once the person exists, adding the login again says nothing more is needed.
        let again = try Binary.run("workflowctl", ["cluster", "add-login", "nobody"], environment: asRoot)
        #expect(again.status == 0 && again.stdout.contains("the person nobody exists already"), "\(again)")

        #expect(try Binary.run("workflowctl", ["cluster", "stop"], environment: asRoot).status == 0)
        let stopped = try asNobody(["cluster", "status"])
        #expect(stopped.status == 3 && stopped.stdout.contains(": stopped"), "\(stopped)")
        let down = try asNobody(["request", "list"])
        #expect(down.status == 69 && down.stderr.contains("is not running: root (or postgres) starts it with `sudo workflowctl cluster start`"),
                "\(down)")
    }
    /// root making the cluster in a folder PostgreSQL's user cannot reach (inside one closed to
    /// others, as root's home is) is told so before anything is made (74), not initdb's bare
    /// "Permission denied".
    @Test(.enabled(if: getuid() == 0, "only root makes a folder the server's user cannot reach"))
    func aFolderTheServersUserCannotReachIsRefusedBeforeAnythingIsMade() throws {
        let closed = "/tmp/dw-closed-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: closed, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: closed) }
        chmod(closed, 0o700)
        let run = try Binary.run("workflowctl", ["cluster", "start", "--dir", closed + "/home/cluster", "--lang", "en"])
        #expect(run.status == 74 && run.stderr.contains("postgres cannot pass through \(closed)"), "\(run)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: closed).isEmpty, "nothing made")
    }

    /// A start that fails names the server's own reason from its log (pg_ctl says only "could
    /// not start server, examine the log"): here another server holds the cluster's socket.
    @Test(.enabled(if: getuid() == 0, "starting a second server as postgres needs root"))
    func aStartThatFailsSaysWhyFromTheServersLog() throws {
        let dir = workPath("held")
        let cluster = EmbeddedCluster(directory: dir)
        try cluster.start()
        try cluster.stop()
        // Another server, on the same socket folder.
        // In /tmp itself: the server's user must reach it (the test's own folder is root's).
        let other = "/tmp/dw-other-pg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: other) }
        chmod(other, 0o755)
        chown(other, getpwnam("postgres").pointee.pw_uid, getpwnam("postgres").pointee.pw_gid)
        let bin = URL(fileURLWithPath: try EmbeddedCluster.binary("pg_ctl")).deletingLastPathComponent().path
        func asPostgres(_ tool: String, _ arguments: [String]) throws -> String {
            let result = try Subprocess.run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + tool] + arguments, timeout: 120)
            if result.status != 0 { Issue.record("\(tool) exited \(result.status): \(result.stderr) \(result.stdout)") }
            return result.status == 0 ? "" : "failed"
        }
        #expect(try asPostgres("initdb", ["-D", other + "/data", "-A", "trust", "--locale=C.UTF-8"]) == "")
        #expect(try asPostgres("pg_ctl", ["start", "-w", "-D", other + "/data", "-l", other + "/log",
                                          "-o", "-k \(dir)/run -c listen_addresses=''"]) == "")
        defer { _ = try? asPostgres("pg_ctl", ["stop", "-D", other + "/data", "-m", "fast"]) }
        let failed = try Binary.run("workflowctl", ["cluster", "start", "--dir", dir, "--lang", "en"])
        #expect(failed.status == 69, "\(failed)")
        #expect(failed.stderr.contains("lock file") && failed.stderr.contains("already exists. Is another postmaster"), "\(failed.stderr)")
        #expect(failed.stderr.split(separator: "\n").count == 1)
    }
}
