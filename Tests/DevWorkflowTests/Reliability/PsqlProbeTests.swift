import Foundation
import Testing
@testable import DevWorkflow

/// Issue 13: what a login could still do in psql. Each test replays the probe's attack as the
/// login that made it, against a real PostgreSQL, and expects the hole closed at its root.
@Suite struct PsqlProbeTests {
    /// 1. Numbers that are not numbers: NaN and infinity enter nowhere, whoever sends them.
    @Test func numbersThatAreNotNumbersAreRefusedWhereTheyEnter() throws {
        let f = try Fixture()
        let id = try f.request(in: "quoted")
        let vendor = try f.sql(as: f.vendorA)
        for inputs in [#"{"hours":"NaN","price":"NaN","delivery":"infinity"}"#, #"{"hours":10,"price":"Infinity","delivery":"2099-01-01"}"#,
                       #"{"hours":"1e3","price":"100","delivery":"2099-01-01"}"#, #"{"hours":10,"price":"100","delivery":"-infinity"}"#] {
            #expect(throws: PostgresError.self, "\(inputs)") {
                try vendor.query("SELECT workflow.move(\(id), 'quote', NULL, \(JSONDocument(text: inputs)))")
            }
        }
        // The tables refuse them too, for whoever writes (the owner here, past every function).
        let owner = try f.sql()
        for statement: SQL in ["UPDATE quote SET price = 'NaN' WHERE request_id = \(id)",
                               "UPDATE invitation SET due = 'infinity' WHERE request_id = \(id)",
                               "UPDATE budget SET amount = 'Infinity'"] {
            do {
                _ = try owner.execute(statement)
                Issue.record("stored: \(statement)")
            } catch let error as PostgresError {
                #expect([.checkViolation, .invalidTextRepresentation, .numericValueOutOfRange].contains(error.sqlState), "\(statement): \(error.message)")
            }
        }
    }

    /// 1, continued. A row stored before the checks existed stops neither a report nor the daemon:
    /// it is left out with a logged error, and everything else goes on.
    @Test func aStoredRowThatCannotBeReadStopsNothing() throws {
        let f = try Fixture()
        let bad = try f.request(in: "quoted")
        let good = try f.request(in: "ordered")
        let owner = try f.sql()
        try owner.execute("ALTER TABLE quote DROP CONSTRAINT quote_ranges")   // a database from before the checks
        try owner.execute("UPDATE quote SET price = 'NaN' WHERE request_id = \(bad)")
        let conninfo = try f.db.conninfo()
        let report = try Binary.run("workflowctl", ["report", "vendor", "ACME", "--format", "json", "--database", conninfo])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("\"\(good)\"") && !report.stdout.contains("\"\(bad)\""))
        #expect(report.stderr.contains("workflowctl: warning: ") && report.stderr.contains(bad), "\(report.stderr)")
        let file = workPath("unreadable-\(UUID().uuidString.prefix(6)).jsonl"), exports = workPath("unreadable-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        let daemon = try Binary.run("workflowd", ["--once", "--file", file, "--exports", exports, "--database", conninfo])
        // The price was changed by hand, around the quote's history: the daily seal says so (74,
        // sql/0050), and the daemon still delivers and exports everything else.
        #expect(daemon.status == 74 && daemon.stderr.contains("event=chain_broken") && daemon.stderr.contains("row quote \(bad)/ACME"),
                "\(daemon.stderr)")
        #expect(daemon.stderr.contains("row_unreadable"), "\(daemon.stderr)")
        #expect(try jsonLines(file).contains { $0["request"] == .string(good) }, "messages were delivered")
        #expect(FileManager.default.fileExists(atPath: exports + "/vendor-ACME.html"))
    }

    /// 2. No login holds a table privilege it does not need: nobody can lock a table everyone's
    /// policies read, nor write one; the product's own sessions wait a bounded time.
    @Test func noLoginCanLockOrWriteATable() throws {
        let f = try Fixture()
        for login in [f.nobody, f.vendorA, f.requester, f.owner] {
            let c = try f.sql(as: login)
            for statement: SQL in ["LOCK TABLE workflow.person IN ACCESS EXCLUSIVE MODE", "LOCK TABLE workflow.request IN ROW EXCLUSIVE MODE",
                                   "UPDATE workflow.person SET name = name", "INSERT INTO workflow.system (key, name) VALUES ('X', 'x')"] {
                try c.execute("BEGIN")
                do {
                    _ = try c.execute(statement)
                    Issue.record("\(login): \(statement)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == .insufficientPrivilege, "\(login): \(statement): \(error.message)")
                }
                _ = try? c.execute("ROLLBACK")
            }
        }
        // A person's login may not sit idle in a transaction for long (a move left open holds a row).
        let settings = try f.sql().query("""
            SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = \(f.vendorA)
            """).first?.decode(0, as: String.self)
        #expect(settings?.contains("idle_in_transaction_session_timeout=60s") == true, "\(settings ?? "none")")
        // Staff logins got their read privilege from their person record; vendors' did not.
        let staff = try f.sql().query("SELECT pg_has_role(\(f.owner), 'devworkflow_staff', 'MEMBER'), pg_has_role(\(f.vendorA), 'devworkflow_staff', 'MEMBER')").first!
        #expect(try staff.decode(0, as: Bool.self) && !(try staff.decode(1, as: Bool.self)))
    }

    /// 3. No side channel through EXPLAIN: a vendor cannot plan a query over a table at all, and
    /// what the functions made for it return holds nothing to count of another vendor's rows.
    @Test func explainCountsNothingAVendorMayNotSee() throws {
        let f = try Fixture()
        let hidden = try f.request(in: "proposed")
        _ = try f.request(in: "quote_requested")   // one BETA may see
        let vendor = try f.sql(as: f.vendorB)
        try vendor.execute("SET enable_seqscan = off")
        #expect(throws: PostgresError.self) { try vendor.query("EXPLAIN ANALYZE SELECT * FROM workflow.request WHERE id = \(hidden)") }
        #expect(throws: PostgresError.self) { try vendor.query("EXPLAIN ANALYZE SELECT * FROM workflow.outbox WHERE recipient = 'piret@example.ee'") }
        func plan(_ id: String) throws -> String {
            try vendor.query(SQL(unsafe: "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM workflow.request_list() WHERE id = '\(id)'"))
                .map { try $0.decode(0, as: String.self) }.joined(separator: "\n").replacingOccurrences(of: id, with: "ID")
        }
        let (ofHidden, ofMissing) = (try plan(hidden), try plan("VOLIS-999"))
        // The function returned the one request BETA may see, and the filter removed it, in both.
        #expect(ofHidden.contains("Rows Removed by Filter: 1"), "\(ofHidden)")
        #expect(ofHidden == ofMissing, "an existing hidden request plans like a missing one: \(ofHidden) / \(ofMissing)")
    }

    /// 4. No existence oracle: a hidden request and a missing one are refused alike, CONTEXT too.
    @Test func aHiddenRequestIsRefusedLikeAMissingOne() throws {
        let f = try Fixture()
        let hidden = try f.request(in: "proposed")
        let missing = "VOLIS-999"
        let vendor = try f.sql(as: f.vendorB)
        func refusal(_ id: String) -> String {
            do {
                _ = try vendor.query("SELECT workflow.move(\(id), 'prioritise', NULL, '{\"priority\": 2}')")
                return "moved"
            } catch let error as PostgresError {
                return String(reflecting: error).replacingOccurrences(of: id, with: "ID")
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(hidden) == refusal(missing))
        for function in ["request_card", "request_events", "request_comments", "transitions"] {
            func read(_ id: String) -> String {
                do {
                    _ = try vendor.query(SQL(unsafe: "SELECT * FROM workflow.\(function)('\(id)')"))
                    return "read"
                } catch {
                    return String(reflecting: error).replacingOccurrences(of: id, with: "ID")
                }
            }
            #expect(read(hidden) == read(missing), "\(function)")
        }
    }

    /// 5. The loser does not see the winner: after an order to ACME, BETA's history shows its own
    /// quote and that the quoting closed; nothing of ACME's order, delivery or price.
    @Test func aVendorThatLostSeesOnlyThatTheQuotingClosed() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        _ = try f.store(as: f.vendorB).move(id, "quote", inputs: .init(hours: 12, price: Money(cents: 99_900), delivery: Fixture.today.adding(days: 9)))
        _ = try f.store().move(id, "quote", inputs: .init(vendor: "ACME", hours: 15, price: Money(cents: 111_100), delivery: Fixture.today.adding(days: 9)))
        _ = try f.store().move(id, "order", inputs: .init(vendor: "ACME"))
        _ = try f.store(as: f.vendorA).move(id, "deliver", inputs: .init(note: "ACME tegi valmis"))
        let (events, _) = try f.store(as: f.vendorB).history(id)
        let text = events.map { "\($0.transition) \($0.actor) \($0.inputs.text)" }.joined(separator: "\n")
        #expect(events.map(\.transition) == ["propose", "prioritise", "request_quote", "quote", "quoting_closed"], "\(text)")
        #expect(!text.contains("ACME") && !text.contains("1111") && !text.contains(f.vendorA) && !text.contains("valmis"), "\(text)")
        // Its invitation says when its quote was due, not whom else the buyer asked.
        #expect(events[2].inputs["vendors"] == nil && events[2].inputs["due"] != nil)
    }

    /// 6. move() keeps only the inputs the transition takes, each checked and bounded.
    @Test func moveKeepsOnlyTheInputsItTakes() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        let vendor = try f.sql(as: f.vendorA)
        let long = String(repeating: "k", count: 2_000_000)
        for inputs in [#"{"note": "x", "price": "1"}"#, #"{"note": "x", "order": "ORD-1"}"#, #"{"note": "x", "\#(long)": 1}"#] {
            do {
                _ = try vendor.query("SELECT workflow.move(\(id), 'deliver', NULL, \(JSONDocument(text: inputs)))")
                Issue.record("kept extra inputs")
            } catch let error as PostgresError {
                #expect(WorkflowError.catalogueText(in: error.detail)?.key == "error.extra_inputs")
                #expect((error.detail ?? "").count < 500, "the refusal does not repeat a huge key")
            }
        }
        _ = try vendor.query("SELECT workflow.move(\(id), 'deliver', NULL, '{\"note\": \"  valmis  \"}')")
        let kept = try f.sql().query("SELECT inputs::text FROM event WHERE request_id = \(id) AND transition = 'deliver'").first!.decode(0, as: String.self)
        #expect(kept == #"{"note": "valmis", "vendor": "ACME"}"#)
    }

    /// 7. No session setting widens what a login may do: the bulk switch is gone with the INSERT
    /// privilege, a proposal always tells the product owners, and a vendor's user named as the
    /// requester does not become one.
    @Test func noSessionSettingWidensWhatALoginMayDo() throws {
        let f = try Fixture()
        let requester = try f.sql(as: f.requester)
        try requester.execute("SET devworkflow.bulk = 'on'")
        #expect(throws: PostgresError.self) { try requester.execute("INSERT INTO workflow.request (system, title, requester) VALUES ('VOLIS', 'x', 'y')") }
        let row = try requester.query("SELECT id FROM workflow.propose('VOLIS', 'Vaikne soov', '', \(f.vendorA))").first!
        let id: String = try row.decode(0)
        let owner = try f.sql()
        #expect(try owner.query("SELECT requester_login FROM request WHERE id = \(id)").first!.decode(0, as: String?.self) == nil)
        #expect(try owner.query("SELECT count(*) FROM outbox WHERE request_id = \(id) AND recipient = 'piret@example.ee'").first!.decode(0, as: Int.self) == 1)
        #expect(try owner.query("SELECT count(*) FROM outbox WHERE request_id = \(id) AND recipient = 'anna@acme.ee'").first!.decode(0, as: Int.self) == 0)
    }

    /// 8. Metadata: no login draws from the product's sequences, and the wake-up says nothing.
    @Test func sequencesAreClosedAndTheWakeUpSaysNothing() throws {
        let f = try Fixture()
        for login in [f.nobody, f.vendorA, f.owner] {
            #expect(throws: PostgresError.self, "\(login)") { try f.sql(as: login).query("SELECT nextval('workflow.outbox_id_seq')") }
        }
        let id = try f.request(in: "ordered")
        let listener = try f.db.connect(user: f.nobody)
        try listener.listen(Outbox.channel)
        // psql's move (a plain session, not the product's) wakes workflowd inside the transaction.
        _ = try f.db.connect(user: f.vendorA).query("SELECT workflow.move(\(id), 'deliver', NULL, '{\"note\": \"x\"}')")
        var woken: [Connection.Notification] = []
        while woken.isEmpty { woken = try listener.waitForNotifications(timeout: 1) }
        #expect(woken.allSatisfy { $0.payload.isEmpty }, "\(woken.map(\.payload))")
    }
}
