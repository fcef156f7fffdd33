import Foundation
import Testing
@testable import DevWorkflow

@Suite struct DaemonTests {
    static func daemon(_ arguments: [String]) throws -> Binary.Result { try Binary.run("workflowd", arguments) }

    /// A moment in Tallinn for --now.
    static func moment(_ day: LocalDate) -> String { "\(day)T09:00:00+02:00" }

    @Test func remindersComeOnTimeToTheRightPeopleOnce() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let conninfo = try f.db.conninfo()
        let calendar = try Calendars.estonian
        let today = Fixture.today
        let file = workPath("reminders.jsonl")
        // Deliver the proposal's own notification first, so the file then holds only reminders.
        #expect(try Self.daemon(["--once", "--file", file, "--database", conninfo]).status == 0)
        let notifications = try jsonLines(file).count
        let tenth = calendar.adding(businessDays: 10, to: today)
        let early = try Self.daemon(["--once", "--file", file, "--now", Self.moment(tenth), "--database", conninfo])
        #expect(early.status == 0, "\(early.stderr)")
        #expect(try jsonLines(file).count == notifications, "no reminder before its time")
        let eleventh = calendar.adding(businessDays: 11, to: today)
        #expect(try Self.daemon(["--once", "--file", file, "--now", Self.moment(eleventh), "--database", conninfo]).status == 0)
        let lines = try jsonLines(file).dropFirst(notifications)
        #expect(lines.count == 1)
        #expect(lines.first?["kind"] == .string("reminder"))
        #expect(lines.first?["rule"] == .string("proposed_waiting"))
        #expect(lines.first?["request"] == .string(.init(id)))
        #expect(lines.first?["to"] == .array([.string("piret@example.ee")]))
        #expect(lines.first?["subject"]?.plain.contains(id) == true)
        // A second pass, even later, sends nothing new.
        let again = try Self.daemon(["--once", "--file", file, "--now", Self.moment(eleventh.adding(days: 3)), "--database", conninfo])
        #expect(again.status == 0)
        #expect(try jsonLines(file).count == notifications + 1)
        #expect(again.stderr.contains("event=reminders"))
    }

    @Test func theHeadsUpBeforeAChristmasDeadlineIsCountedOverTheHolidays() throws {
        let f = try Fixture()
        let today = Fixture.today
        let year = today < LocalDate(year: today.year, month: 12, day: 10)! ? today.year : today.year + 1
        let deadline = LocalDate(year: year, month: 12, day: 29)!
        let store = try f.store()
        let id = try f.request(in: "quoted", price: Money(cents: 50_000))
        _ = try store.move(id, "quote", inputs: .init(vendor: "ACME", hours: 7, price: Money(cents: 50_000), delivery: deadline))
        _ = try store.move(id, "order", inputs: .init(vendor: "ACME"))
        let conninfo = try f.db.conninfo()
        let file = workPath("christmas.jsonl")
        #expect(try Self.daemon(["--once", "--file", file, "--database", conninfo]).status == 0)
        let before = try jsonLines(file).count
        let fire = (try Calendars.estonian).adding(businessDays: -3, to: deadline)
        if year == 2026 { #expect(fire == LocalDate(year: 2026, month: 12, day: 22)) }
        #expect(fire.days(until: deadline) >= 5, "24–26 December are skipped")
        _ = try Self.daemon(["--once", "--file", file, "--now", Self.moment(fire.adding(days: -1)), "--database", conninfo])
        #expect(try jsonLines(file).filter { $0["rule"] == .string("deadline_near") }.isEmpty)
        _ = try Self.daemon(["--once", "--file", file, "--now", Self.moment(fire), "--database", conninfo])
        let headsUp = try jsonLines(file).dropFirst(before).filter { $0["rule"] == .string("deadline_near") }
        // One message to the vendor: its person, copying the company.
        #expect(headsUp.map { $0["to"]?.text } == ["[\"anna@acme.ee\"]"])
        #expect(headsUp.map { $0["cc"]?.text } == ["[\"info@acme.ee\"]"])
        #expect(headsUp.allSatisfy { $0["request"] == .string(id) })
    }

    /// Imports `count` requests and returns the day their "proposed" reminders are due.
    static func backlog(_ f: Fixture, count: Int) throws -> LocalDate {
        let path = workPath("backlog.csv")
        var text = "title\n"
        for i in 0..<count { text += "Vana soov \(i)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Binary.run("workflowctl", ["request", "import", "--system", "VOLIS", path, "--database", try f.db.conninfo(user: f.owner)])
        precondition(result.status == 0, result.stderr)
        return (try Calendars.estonian).adding(businessDays: 11, to: Fixture.today)
    }

    @Test func threeDaemonsAtOnceDeliverTenThousandRemindersExactlyOnce() throws {
        let f = try Fixture()
        let due = try Self.backlog(f, count: 10_000)
        let conninfo = try f.db.conninfo()
        let file = workPath("three.jsonl")
        let daemons = try (0..<3).map { n in
            try BackgroundProcess("workflowd", ["--once", "--file", file, "--now", Self.moment(due), "--database", conninfo],
                                  logPath: workPath("daemon-\(n).log"))
        }
        for daemon in daemons { #expect(daemon.wait(timeout: 180) == 0, "\(daemon.log.suffix(500))") }
        let lines = try jsonLines(file)
        let keys = lines.compactMap { $0["idempotency_key"]?.plain }
        #expect(lines.count == 10_000)
        #expect(Set(keys).count == 10_000)
        #expect(try f.sql().query("SELECT count(*) FROM outbox WHERE status <> 'delivered'").first!.decode(0, as: Int.self) == 0)
        #expect(try f.sql().query("SELECT count(*) FROM reminder").first!.decode(0, as: Int.self) == 10_000)
        // Every daemon took part in the reminder pass; the unique key kept each reminder single.
        #expect(daemons.allSatisfy { $0.log.contains("event=reminders") })
    }

    @Test func aDaemonKilledMidDeliveryLosesNothingAndRepeatsOnlyWhatWasInFlight() throws {
        let f = try Fixture()
        let due = try Self.backlog(f, count: 5_000)
        let conninfo = try f.db.conninfo()
        let file = workPath("killed.jsonl")
        let first = try BackgroundProcess("workflowd", ["--file", file, "--now", Self.moment(due), "--lease", "1", "--interval", "3600",
                                                        "--database", conninfo], logPath: workPath("killed-1.log"))
        #expect(eventually(60) { (try? jsonLines(file).count ?? 0) ?? 0 >= 1000 })
        first.signal(SIGKILL)
        #expect(first.wait(timeout: 10) == 128 + SIGKILL)
        let atKill = try jsonLines(file).count
        #expect(atKill < 5_000, "killed before the end")
        usleep(1_500_000)  // let the dead daemon's lease expire
        let second = try Self.daemon(["--once", "--file", file, "--now", Self.moment(due), "--lease", "1", "--database", conninfo])
        #expect(second.status == 0, "\(second.stderr.suffix(400))")
        let lines = try jsonLines(file)
        var seen: [String: Int] = [:]
        for line in lines { seen[line["idempotency_key"]?.plain ?? "", default: 0] += 1 }
        #expect(seen.count == 5_000, "every message delivered at least once")
        let repeats = seen.values.reduce(0) { $0 + $1 - 1 }
        #expect(repeats <= 50, "repeats (\(repeats)) are at most one batch in flight")
        // A repeat is the same message: same id, same key, same body.
        var firstSeen: [String: JSONValue] = [:]
        for line in lines {
            let key = line["idempotency_key"]?.plain ?? ""
            if let earlier = firstSeen[key] { #expect(earlier == line) } else { firstSeen[key] = line }
        }
        print("killed after \(atKill) of 5000 deliveries; \(repeats) repeated after the restart")
    }

    @Test func aFailingWebhookEndsAsFailedWhileOthersFlowAndRetryResendsIt() throws {
        let f = try Fixture()
        let broken = try f.request(in: "proposed")
        let fine = try f.request(in: "proposed")
        let healed = Locked(false)
        let server = try TestHTTPServer(.decide { request in
            let body = String(decoding: request.body, as: UTF8.self)
            return body.contains("\"request\":\"\(broken)\"") && !healed.current ? 500 : 200
        })
        defer { server.stop() }
        let conninfo = try f.db.conninfo()
        let arguments = ["--once", "--webhook", server.url.absoluteString, "--max-attempts", "3", "--retry-delay", "0.2", "--database", conninfo]
        for _ in 0..<8 {
            _ = try Self.daemon(arguments)
            usleep(300_000)
        }
        let c = try f.sql()
        let statuses = try c.query("SELECT request_id, status, attempts, coalesce(last_error, '') FROM outbox ORDER BY id").map {
            (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self), try $0.decode(2, as: Int.self), try $0.decode(3, as: String.self))
        }
        let brokenRow = try #require(statuses.first { $0.0 == broken })
        #expect(brokenRow.1 == "failed")
        #expect(brokenRow.2 == 3)
        #expect(brokenRow.3.contains("500"))
        #expect(statuses.filter { $0.0 == fine }.allSatisfy { $0.1 == "delivered" })
        let list = try Binary.run("workflowctl", ["outbox", "list", "--failed", "--json", "--database", conninfo])
        guard case let .array(failed)? = try JSONValue.parse(list.stdout)["messages"] else {
            Issue.record("no failed list")
            return
        }
        #expect(failed.count == 1)
        let messageID = failed.first?["id"]?.plain ?? ""
        healed.withValue { $0 = true }
        #expect(try Binary.run("workflowctl", ["outbox", "retry", messageID, "--database", conninfo]).status == 0)
        #expect(try Self.daemon(arguments).status == 0)
        #expect(try c.query("SELECT status FROM outbox WHERE id = \(Int64(messageID)!)").first!.decode(0, as: String.self) == "delivered")
        let keys = server.requests.compactMap { $0.headers["idempotency-key"] }
        #expect(keys.filter { $0.contains(":piret@") }.count >= 2)
        // Only admins may retry.
        #expect(try Binary.run("workflowctl", ["outbox", "retry", messageID, "--database", try f.db.conninfo(user: f.owner)]).status == 77)
    }

    @Test func sigtermDuringDeliveriesExitsCleanlyAndLosesNothing() throws {
        let f = try Fixture()
        let due = try Self.backlog(f, count: 3_000)
        let conninfo = try f.db.conninfo()
        let file = workPath("sigterm.jsonl")
        let daemon = try BackgroundProcess("workflowd", ["--file", file, "--now", Self.moment(due), "--database", conninfo],
                                           logPath: workPath("sigterm.log"))
        #expect(eventually(60) { (try? jsonLines(file).count ?? 0) ?? 0 >= 300 })
        let asked = Date()
        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 10) == 0)
        #expect(Date().timeIntervalSince(asked) < 5)
        #expect(daemon.log.contains("event=stopped"))
        let c = try f.sql()
        #expect(try c.query("SELECT count(*) FROM outbox WHERE lease_owner IS NOT NULL").first!.decode(0, as: Int.self) == 0, "nothing stuck")
        let delivered = try c.query("SELECT count(*) FROM outbox WHERE status = 'delivered'").first!.decode(0, as: Int.self)
        #expect(delivered == Set(try jsonLines(file).compactMap { $0["idempotency_key"]?.plain }).count, "every line recorded")
        // What was left is delivered by the next run.
        #expect(try Self.daemon(["--once", "--file", file, "--now", Self.moment(due), "--database", conninfo]).status == 0)
        #expect(Set(try jsonLines(file).compactMap { $0["idempotency_key"]?.plain }).count == 3_000)
    }

    @Test func aDaemonRidesOutAnImmediatePostgreSQLRestart() throws {
        // A cluster of its own, so restarting it disturbs no other test.
        let dir = workPath("restart-cluster")
        let cluster = EmbeddedCluster(directory: dir)
        try cluster.start(trust: true)
        defer { _ = try? cluster.stop() }
        let conninfo = "host=\(cluster.socketDirectory) dbname=devworkflow"
        try Migrator(connection: try Database.connect(conninfo)).migrate()
        let store = WorkflowStore(connection: try Database.connect(conninfo))
        try store.addSystem(key: "VOLIS", name: "Volikogu")
        try store.addPerson(login: "po", name: "Piret", email: "piret@example.ee", role: .productOwner, systems: ["VOLIS"])
        let file = workPath("restart.jsonl")
        let daemon = try BackgroundProcess("workflowd", ["--file", file, "--interval", "1", "--database", conninfo], logPath: workPath("restart.log"))
        _ = try store.propose(system: "VOLIS", title: "Enne")
        #expect(eventually(20) { (try? jsonLines(file).count) == 1 })
        let pgctl = try EmbeddedCluster.binary("pg_ctl")
        let restart = try Subprocess.run("/usr/sbin/runuser", ["-u", "postgres", "--", pgctl, "restart", "-D", cluster.dataDirectory, "-m", "immediate", "-w",
                                                               "-l", cluster.logFile])
        #expect(restart.status == 0, "\(restart.stderr)")
        let after = WorkflowStore(connection: try Database.connect(conninfo))
        _ = try after.propose(system: "VOLIS", title: "Pärast")
        #expect(eventually(40) { (try? jsonLines(file).count) == 2 }, "\(daemon.log.suffix(800))")
        #expect(daemon.log.contains("event=database_unavailable"))
        #expect(daemon.log.components(separatedBy: "event=connected").count >= 3)
        daemon.signal(SIGTERM)
        #expect(daemon.wait(timeout: 10) == 0)
    }

    @Test func exportsAreWrittenAtomicallyAndAnUnwritableFolderIsAClearError() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let conninfo = try f.db.conninfo()
        let dir = workPath("exports")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try Self.daemon(["--once", "--file", workPath("x.jsonl"), "--exports", dir, "--database", conninfo])
        #expect(run.status == 0)
        // The day's seal of the record's chains, then each vendor's report (the calendars beside
        // them are CalendarFeedTests').
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix("calendar-") }.sorted()
        #expect(files == ["seal-\(LocalDate.today(at: Date())).json", "vendor-ACME.csv", "vendor-ACME.html", "vendor-BETA.csv", "vendor-BETA.html",
                          "vendor-GAMMA.csv", "vendor-GAMMA.html"])
        let csv = try String(contentsOfFile: dir + "/vendor-BETA.csv", encoding: .utf8)
        #expect(csv.hasPrefix("request,system,title,action,") && csv.contains("\r\n\r\nrequest,system,title,state,"), "what needs action, then the requests")
        #expect(!csv.contains("ACME"))
        // Each vendor reads its report in its own language: ACME Estonian (the default), BETA English.
        let acme = try String(contentsOfFile: dir + "/vendor-ACME.html", encoding: .utf8)
        let beta = try String(contentsOfFile: dir + "/vendor-BETA.html", encoding: .utf8)
        #expect(acme.contains("<html lang=\"et\">") && acme.contains("Seisuga") && acme.contains("Tarnija Acme OÜ arendustellimuste seis"))
        #expect(beta.contains("<html lang=\"en\">") && beta.contains("As of") && beta.contains("Status report for Beta AS"))
        // A folder that cannot be written, or a file in its place: each file fails with the
        // system's reason (the seal's too, no framework error number), the pass exits 74, and
        // the messages are still delivered. (root ignores permissions: the file cases are its.)
        let blocker = workPath("blocker")
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        var refused = [blocker: "Not a directory", blocker + "/sub": "Not a directory"]
        if getuid() != 0 {
            let locked = workPath("locked")
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
            chmod(locked, 0o555)
            refused[locked] = "Permission denied"
        }
        for (path, reason) in refused {
            _ = try f.store().propose(system: "VOLIS", title: "Teade \(path.count)")
            let failed = try Self.daemon(["--once", "--file", workPath("y.jsonl"), "--exports", path, "--database", conninfo])
            #expect(failed.status == 74, "\(path): \(failed.stderr)")
            #expect(failed.stderr.contains("event=export_failed") && failed.stderr.contains("event=seal_failed"), "\(failed.stderr)")
            #expect(failed.stderr.contains("cannot write \(path)") && failed.stderr.contains(reason), "\(failed.stderr)")
            #expect(!failed.stderr.contains("Unknown error"), "\(failed.stderr)")
            #expect(try f.sql().query("SELECT count(*) FROM workflow.outbox WHERE status = 'pending'").first!.decode(0, as: Int.self) == 0)
        }
        // A folder not there yet is made.
        let new = workPath("exports-new/daily")
        #expect(try Self.daemon(["--once", "--file", workPath("z.jsonl"), "--exports", new, "--database", conninfo]).status == 0)
        #expect(FileManager.default.fileExists(atPath: new + "/vendor-ACME.csv"))
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir)).allSatisfy { !$0.contains(".tmp") })
    }

    /// A login without workflowd's role: one pass ends at once with 77 naming the grant, and a
    /// running daemon says so too instead of reconnecting every second (it used to: each new
    /// connection restarted the give-up clock, so `--once` never ended).
    @Test func aLoginWithoutTheDaemonsRoleIsToldWhichGrantItLacks() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let run = try Self.daemon(["--once", "--file", workPath("x.jsonl"), "--database", try f.db.conninfo(user: f.owner)])
        #expect(run.status == 77, "\(run.stderr)")
        #expect(run.stderr.contains("GRANT devworkflow_daemon TO \(f.owner)"), "\(run.stderr)")
        #expect(run.stderr.contains("event=done") && run.stderr.contains("exit=77"))
        // Told once, on its first connection: not taken for an unavailable database and retried.
        #expect(run.stderr.components(separatedBy: "event=failed").count == 2 && !run.stderr.contains("database_unavailable"), "\(run.stderr)")
        // The same login with the role runs.
        try f.sql().execute(SQL(unsafe: "GRANT devworkflow_daemon TO \(f.owner)"))
        #expect(try Self.daemon(["--once", "--file", workPath("y.jsonl"), "--database", try f.db.conninfo(user: f.owner)]).status == 0)
    }

    @Test func badCommandLinesAreUsageErrors() throws {
        #expect(try Self.daemon(["--bogus"]).status == 64)
        let stray = try Self.daemon(["extra", "--database", "host=/nonexistent"])
        #expect(stray.status == 64 && stray.stderr.contains("takes options only, not the argument 'extra'"), "\(stray.stderr)")
        #expect(try Self.daemon(["--interval", "-3", "--database", "host=/nonexistent"]).status == 64)
        #expect(try Self.daemon(["--interval", "1e-300", "--database", "host=/nonexistent"]).status == 64, "a wait too short to be a wait")
        #expect(try Self.daemon(["--now", "yesterday", "--database", "host=/nonexistent"]).status == 64)
        #expect(try Self.daemon(["--webhook", "ftp://x", "--database", "host=/nonexistent"]).status == 64)
        let help = try Self.daemon(["--help"])
        #expect(help.status == 0 && help.stdout.contains("Usage: workflowd"))
        #expect(try WorkflowD.parseMoment("2026-12-22") == PostgresTimestamp.parse("2026-12-22 07:00:00+00"))
        #expect(try WorkflowD.parseMoment("2026-07-01T09:30") == PostgresTimestamp.parse("2026-07-01 06:30:00+00"))
        #expect(try WorkflowD.parseMoment("2026-07-01T09:30:00Z") == PostgresTimestamp.parse("2026-07-01 09:30:00+00"))
    }

    /// Every reminder rule reaches the people it names (an audience the database does not know
    /// would reach nobody, silently).
    @Test func everyReminderRuleReachesThePeopleItNames() throws {
        let f = try Fixture()
        let ids = [
            "proposed_waiting": try f.request(in: "proposed"),
            "quote_overdue": try f.request(in: "quote_requested"),
            "deadline_passed": try f.request(in: "ordered"),
            "acceptance_pending": try f.request(in: "delivered"),
            "release_pending": try f.request(in: "accepted"),
        ]
        let file = workPath("every-rule-\(UUID().uuidString.prefix(6)).jsonl")
        let run = try Self.daemon(["--once", "--file", file, "--now", Self.moment(Fixture.today.adding(days: 60)), "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        let reminders = try jsonLines(file).filter { $0["kind"] == "reminder" }
        func to(_ rule: String) -> Set<String> {
            Set(reminders.filter { $0["rule"]?.plain == rule && $0["request"]?.plain == ids[rule] }.compactMap { $0["to"]?.text })
        }
        #expect(to("proposed_waiting") == ["[\"piret@example.ee\"]"])
        #expect(to("quote_overdue") == ["[\"anna@acme.ee\"]", "[\"bert@beta.ee\"]"], "the invited vendors that have not quoted")
        #expect(to("deadline_passed").contains("[\"anna@acme.ee\"]") && to("deadline_passed").contains("[\"piret@example.ee\"]"))
        #expect(to("acceptance_pending") == ["[\"piret@example.ee\"]"])
        #expect(to("release_pending") == ["[\"piret@example.ee\"]"])
    }
}
