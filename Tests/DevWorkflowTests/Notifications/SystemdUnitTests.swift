import Foundation
import Testing
@testable import DevWorkflow

/// `dist/systemd/workflowd.service` as systemd would run it: the options its own comment gives
/// reach workflowd as the words they are meant to be, and its state folder is not the embedded
/// database's.
@Suite struct SystemdUnitTests {
    static let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("dist/systemd/workflowd.service")

    /// The unit's `ExecStart`, with systemd's `$$` as the `$` it hands on, run by a real `sh` with
    /// the comment's `WORKFLOWD_OPTIONS`; a script standing in for workflowd prints its arguments.
    @Test func theCommentsOptionsReachTheDaemonWordForWord() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let exec = try #require(lines.first { $0.hasPrefix("ExecStart=") }).dropFirst("ExecStart=".count)
        let options = try #require(lines.first { $0.hasPrefix("#   WORKFLOWD_OPTIONS=") }).dropFirst("#   WORKFLOWD_OPTIONS=".count)
        // systemd splits ExecStart into words at blanks outside quotes, and turns $$ into $.
        #expect(exec.hasPrefix("/bin/sh -c '") && exec.hasSuffix("'"), "\(exec)")
        let script = String(exec.dropFirst("/bin/sh -c '".count).dropLast()).replacingOccurrences(of: "$$", with: "$")
        // The stand-in is read by sh, not executed itself: a file just written can be held open
        // by a process another test forks meanwhile, and exec of it then fails ("Text file busy").
        let standIn = workPath("workflowd-stand-in")
        try "for a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n".write(toFile: standIn, atomically: true, encoding: .utf8)
        let run = try Subprocess.run("/bin/sh", ["-c", script.replacingOccurrences(of: "/usr/local/bin/workflowd", with: "/bin/sh " + standIn)],
                                     environment: ["WORKFLOWD_OPTIONS": String(options), "PATH": "/usr/bin:/bin"], timeout: 30)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "<--sendmail>\n</usr/sbin/sendmail -t -i>\n<--exports>\n</var/lib/workflowd/exports>\n", "\(run.stdout)")
        // And workflowd itself takes them (its --help ends the parse before anything is opened).
        let daemon = try Subprocess.run("/bin/sh", ["-c", script.replacingOccurrences(of: "/usr/local/bin/workflowd", with: try Binary.path("workflowd"))
                                                     + " --help"],
                                        environment: ["WORKFLOWD_OPTIONS": String(options), "PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8"], timeout: 30)
        #expect(daemon.status == 0 && daemon.stdout.contains("--sendmail"), "\(daemon.stderr)")
    }

    /// Under the unit's umask the exports — a vendor's report and calendar, the daily seal — are
    /// readable by the daemon's group (the web server) and nobody else.
    @Test func itsExportsAreNotWorldReadable() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        let umask = try #require(text.split(separator: "\n").first { $0.hasPrefix("UMask=") }).dropFirst("UMask=".count)
        #expect(umask == "0027")
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let exports = workPath("umask-\(UUID().uuidString.prefix(6))")
        let run = try Subprocess.run("/bin/sh", ["-c", "umask \(umask); exec \"$0\" \"$@\"", try Binary.path("workflowd"), "--once",
                                                 "--file", workPath("umask.jsonl"), "--exports", exports, "--database", try f.db.conninfo()],
                                     environment: ["PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8"], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: exports)
        #expect(files.contains("vendor-ACME.csv") && files.contains("calendar-vendor-ACME.ics"), "\(files)")
        for name in files {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: "\(exports)/\(name)")[.posixPermissions] as? Int)
            #expect(mode == 0o640, "\(name): \(String(mode, radix: 8))")
        }
    }

    @Test func itsStateIsNotTheEmbeddedDatabasesFolder() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        let state = try #require(text.split(separator: "\n").first { $0.hasPrefix("StateDirectory=") }).dropFirst("StateDirectory=".count)
        let embedded = URL(fileURLWithPath: EmbeddedCluster.defaultDirectory(environment: [:], isRoot: true)).lastPathComponent
        #expect(String(state) != embedded, "systemd would give \(embedded) — root's embedded database — to the daemon's user")
        #expect(!text.contains("/var/lib/\(embedded)/") && !text.contains("ReadWritePaths=/var/lib/\(embedded)\n"))
    }
}
