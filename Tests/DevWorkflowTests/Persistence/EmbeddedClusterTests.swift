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

        let added = try Binary.run("workflowctl", ["cluster", "add-login", "nobody"], environment: asRoot)
        #expect(added.status == 0, "\(added)")
        #expect(try Binary.run("workflowctl", ["person", "add", "nobody", "--name", "Keegi", "--email", "keegi@example.ee", "--role", "requester"],
                               environment: asRoot).status == 0)
        let list = try asNobody(["request", "list"])
        #expect(list.status == 0 && list.stdout == "no requests\n", "\(list)")

        #expect(try Binary.run("workflowctl", ["cluster", "stop"], environment: asRoot).status == 0)
        let stopped = try asNobody(["cluster", "status"])
        #expect(stopped.status == 3 && stopped.stdout.contains(": stopped"), "\(stopped)")
        let down = try asNobody(["request", "list"])
        #expect(down.status == 69 && down.stderr.contains("is not running: root (or postgres) starts it with `sudo workflowctl cluster start`"),
                "\(down)")
    }
}
