import Foundation
import Testing
@testable import DevWorkflow

/// A `workflowd --once` pass says how it went: in its exit code, in one summary line, and with
/// each repeated cause logged once with a count (issue 12, items 7, 11, 13 and 15).
@Suite struct DaemonPassTests {
    static func daemon(_ arguments: [String], language: String = "en_US.UTF-8") throws -> Binary.Result {
        try Binary.run("workflowd", arguments, environment: ["LANG": language])
    }

    static func lines(_ stderr: String, event: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains(" event=\(event) ") || $0.hasSuffix(" event=\(event)") }
    }

    @Test func aPassWhoseDeliveriesAllFailedSaysSoOnce() throws {
        let f = try Fixture()
        for _ in 0..<4 { _ = try f.request(in: "quote_requested") }
        let run = try Self.daemon(["--once", "--sendmail", "/nonexistent/sendmail -t -i", "--database", try f.db.conninfo()])
        #expect(run.status == 75, "\(run.stderr)")
        let failures = Self.lines(run.stderr, event: "delivery_failed")
        #expect(failures.count == 1, "one line for one cause: \(run.stderr)")
        let repeated = Self.lines(run.stderr, event: "delivery_failed_repeated")
        #expect(repeated.count == 1 && repeated.first?.contains("sendmail command not found") == true, "\(run.stderr)")
        let total = try f.sql().query("SELECT count(*) FROM outbox").first!.decode(0, as: Int.self)
        #expect(repeated.first?.contains("count=\(total) ") == true, "\(total) messages: \(run.stderr)")
        let done = Self.lines(run.stderr, event: "done")
        #expect(done.count == 1 && done.first?.contains("level=error") == true && done.first?.contains("exit=75") == true, "\(run.stderr)")
    }

    /// A log nobody reads any more (its pipe's reader gone) does not kill the daemon mid-batch:
    /// every message is delivered and marked, the pass ends 0. And a pass that finds messages
    /// under another daemon's lease (one that stopped mid-batch) says how many, in a warning and
    /// in its summary, instead of reading as "everything delivered".
    @Test func aClosedLogPipeKillsNothingAndOthersLeasesAreSaid() throws {
        let f = try Fixture()
        for _ in 0..<3 { _ = try f.request(in: "quote_requested") }
        let total = try f.sql().query("SELECT count(*) FROM workflow.outbox").first!.decode(0, as: Int.self)
        let file = workPath("closed-pipe.jsonl")
        // stderr is a pipe whose reader is closed before workflowd starts: every log write fails.
        let script = """
            import os, subprocess, sys
            r, w = os.pipe()
            os.close(r)
            print(subprocess.run(sys.argv[1:], stderr=w, stdout=subprocess.DEVNULL).returncode)
            """
        let run = try Subprocess.run("/usr/bin/python3", ["-c", script, try Binary.path("workflowd"), "--once", "--file", file,
                                                          "--database", try f.db.conninfo()], timeout: 120)
        #expect(run.status == 0 && run.stdout == "0\n", "a signal is a negative status: \(run.stdout) \(run.stderr)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == total)
        #expect(try f.sql().query("SELECT count(*) FROM workflow.outbox WHERE status <> 'delivered'").first!.decode(0, as: Int.self) == 0)

        _ = try f.request(in: "quote_requested")
        let leased = try f.sql().query("""
            UPDATE workflow.outbox SET lease_owner = 'gone:1', lease_until = now() + interval '1 hour' WHERE status = 'pending' RETURNING id
            """).count
        #expect(leased > 0)
        let after = try Self.daemon(["--once", "--file", workPath("after.jsonl"), "--database", try f.db.conninfo()])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(Self.lines(after.stderr, event: "leased_elsewhere").first?.contains("count=\(leased) ") == true, "\(after.stderr)")
        #expect(Self.lines(after.stderr, event: "done").first?.contains("leased_elsewhere=\(leased) exit=0") == true, "\(after.stderr)")
    }

    @Test func aPassWhoseExportsFailedIs74AndAGoodPassIs0() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let conninfo = try f.db.conninfo()
        let blocker = workPath("not-a-folder")
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let failed = try Self.daemon(["--once", "--file", workPath("a.jsonl"), "--exports", blocker, "--database", conninfo])
        #expect(failed.status == 74, "\(failed.stderr)")
        #expect(Self.lines(failed.stderr, event: "export_failed").count == 1, "\(failed.stderr)")
        #expect(Self.lines(failed.stderr, event: "export_failed_repeated").first?.contains("count=15 ") == true, "3 vendors × 2 reports, 6 people's and 3 vendors' calendars: \(failed.stderr)")
        let folder = workPath("exports")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let good = try Self.daemon(["--once", "--file", workPath("b.jsonl"), "--exports", folder, "--database", conninfo])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(Self.lines(good.stderr, event: "done").first?.contains("exit=0") == true)
    }

    /// `--file DIR` can never take a line: refused at start, 74 with the system's reason, before
    /// the outbox is touched (it used to fail every pending message, then exit 70 without a summary).
    @Test func aFileThatIsAFolderIsRefusedAtStart() throws {
        let f = try Fixture()
        for _ in 0..<3 { _ = try f.request(in: "quote_requested") }
        let outbox = { try f.sql().query("SELECT string_agg(concat_ws(':', id, status, attempts), ',' ORDER BY id) FROM workflow.outbox").first!.decode(0, as: String.self) }
        let before = try outbox()
        let folder = workPath("a-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let run = try Self.daemon(["--once", "--file", folder, "--database", try f.db.conninfo()])
        #expect(run.status == 74, "\(run.stderr)")
        #expect(run.stderr == "workflowd: error: cannot open \(folder): Is a directory\n", "\(run.stderr)")
        // A running daemon is refused alike (it exits; the bound only keeps a regression from hanging the suite).
        let running = try BackgroundProcess("workflowd", ["--file", folder, "--database", try f.db.conninfo()], logPath: workPath("folder-daemon.log"))
        let status = running.wait(timeout: 60)
        #expect(status == 74, "\(running.log)")
        if status == nil { running.signal(SIGKILL) }
        let estonian = try Self.daemon(["--once", "--file", folder, "--database", try f.db.conninfo()], language: "et_EE.UTF-8")
        #expect(estonian.status == 74 && estonian.stderr.hasPrefix("workflowd: error: faili \(folder) ei õnnestu avada: "), "\(estonian.stderr)")
        #expect(try outbox() == before, "the outbox untouched")
        // A file whose folder is missing is not refused at start (it may be made later): each
        // delivery fails, the cause is logged once and counted, and the pass ends 75 with its summary.
        let missing = try Self.daemon(["--once", "--file", workPath("no-such-folder/x.jsonl"), "--database", try f.db.conninfo()])
        #expect(missing.status == 75, "\(missing.stderr)")
        #expect(Self.lines(missing.stderr, event: "delivery_failed_repeated").count == 1, "\(missing.stderr)")
        #expect(Self.lines(missing.stderr, event: "done").first?.contains("exit=75") == true, "\(missing.stderr)")
    }

    /// A channel that takes every message but cannot make them durable (its flush fails).
    struct UnflushableChannel: DeliveryChannel {
        var name: String { "unflushable" }
        func deliver(_ message: OutboxMessage, _ rendered: RenderedMessage) throws {}
        func flush() throws {
            throw WorkflowError(.ioError, Message("error.file_sync", ["path": "/x.jsonl", "reason": "Input/output error"]))
        }
    }

    /// Lines a log wrote, for a daemon run in this process.
    final class Lines: @unchecked Sendable {
        // @unchecked Sendable: `text` is only touched under `lock`.
        private let lock = NSLock()
        private var text = ""
        func append(_ line: String) { lock.withLock { text += line } }
        var all: String { lock.withLock { text } }
    }

    /// A batch handed over but not made durable is not delivered: each message fails like a failed
    /// delivery (retried later), the cause is logged once and counted, and the pass ends 75 with its
    /// summary (it used to end 70, "failed", with no summary).
    @Test func aBatchThatCannotBeMadeDurableIsAFailedDelivery() throws {
        let f = try Fixture()
        for _ in 0..<3 { _ = try f.request(in: "quote_requested") }
        let total = try f.sql().query("SELECT count(*) FROM workflow.outbox").first!.decode(0, as: Int.self)
        #expect(total > 1)
        let lines = Lines()
        var configuration = Daemon.Configuration(conninfo: try f.db.conninfo())
        configuration.once = true
        let daemon = Daemon(configuration: configuration, channels: [UnflushableChannel()], log: Log(program: "workflowd") { lines.append($0) },
                            stop: StopSignal())
        let status = daemon.run()
        #expect(status == 75, "\(lines.all)")
        #expect(Self.lines(lines.all, event: "delivery_failed").count == 1, "\(lines.all)")
        #expect(Self.lines(lines.all, event: "delivery_failed_repeated").first?.contains("count=\(total) ") == true, "\(lines.all)")
        #expect(Self.lines(lines.all, event: "done").first?.contains("exit=75") == true, "\(lines.all)")
        let pending = try f.sql().query("SELECT count(*) FROM workflow.outbox WHERE status = 'pending' AND attempts = 1 AND last_error LIKE 'cannot sync%'")
            .first!.decode(0, as: Int.self)
        #expect(pending == total, "none recorded as delivered; each to be retried")
    }

    /// A database that cannot be reached: the pass retries for its 30 seconds, logs the cause once
    /// and once more with its count, and ends 69 with its summary line.
    @Test func anUnreachableDatabaseIsLoggedOnceWithItsCountAndASummary() throws {
        let run = try Self.daemon(["--once", "--file", workPath("unreached.jsonl"), "--database", "host=/nonexistent dbname=x"])
        #expect(run.status == 69, "\(run.stderr)")
        let first = Self.lines(run.stderr, event: "database_unavailable")
        #expect(first.count == 1, "one line for one cause: \(run.stderr)")
        let repeated = Self.lines(run.stderr, event: "database_unavailable_repeated")
        #expect(repeated.count == 1 && repeated.first?.contains("/nonexistent") == true, "\(run.stderr)")
        #expect(repeated.first.map { $0.contains("count=") && !$0.contains("count=1 ") } == true, "\(run.stderr)")
        let done = Self.lines(run.stderr, event: "done")
        #expect(done.count == 1 && done.first?.contains("exit=69") == true, "\(run.stderr)")
    }

    @Test func versionAndHelpInTheReadersLanguage() throws {
        let version = try Self.daemon(["--version"])
        #expect(version.status == 0 && version.stdout == "workflowd \(WorkflowCtl.version)\n")
        #expect(try Binary.run("workflowctl", ["--version"]).stdout == "workflowctl \(WorkflowCtl.version)\n")
        let english = try Self.daemon(["--help"])
        #expect(english.status == 0 && english.stdout.hasPrefix("Usage: workflowd") && english.stdout.contains("--version"))
        let estonian = try Self.daemon(["--help"], language: "et_EE.UTF-8")
        #expect(estonian.stdout.hasPrefix("Kasutus: workflowd") && estonian.stdout.contains("Lõpetamise koodid"), "\(estonian.stdout)")
        let bad = try Self.daemon(["--bogus"], language: "et_EE.UTF-8")
        #expect(bad.status == 64 && bad.stderr == "workflowd: error: tundmatu valik --bogus: vt workflowd --help\n", "\(bad.stderr)")
        let badEnglish = try Self.daemon(["--interval", "x", "--database", "host=/nonexistent"])
        #expect(badEnglish.status == 64 && badEnglish.stderr.hasPrefix("workflowd: error: --interval 'x': expected seconds"))
    }

    /// The first overdue reminder is number 1 even when the daemon first runs three periods late;
    /// the next is number 2.
    @Test func theOverdueReminderNumberIsTheCountActuallySent() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        let deadline = try f.sql().query("SELECT deadline FROM purchase_order WHERE request_id = \(id)").first!.decode(0, as: LocalDate.self)
        let calendar = BusinessCalendar()
        let conninfo = try f.db.conninfo()
        let file = workPath("overdue.jsonl")
        func overdueBodies() throws -> [String] {
            try jsonLines(file).filter { $0["rule"] == .string("deadline_passed") && $0["to"]?.text.contains("anna@acme.ee") == true }
                .compactMap { $0["body"]?.plain }
        }
        let late = calendar.adding(businessDays: 5, to: deadline)   // the third repeat period
        #expect(try Self.daemon(["--once", "--file", file, "--now", DaemonTests.moment(late), "--database", conninfo]).status == 0)
        let first = try overdueBodies()
        #expect(first.count == 1)
        #expect(first.allSatisfy { !$0.contains("meeldetuletus samal teemal") }, "number 1 says no number: \(first)")
        let next = calendar.adding(businessDays: 2, to: late)
        #expect(try Self.daemon(["--once", "--file", file, "--now", DaemonTests.moment(next), "--database", conninfo]).status == 0)
        let both = try overdueBodies()
        #expect(both.count == 2)
        #expect(both.last?.contains("See on 2. meeldetuletus samal teemal.") == true, "\(both.last ?? "")")
    }
}
