import Foundation
import Testing
@testable import DevWorkflow

/// A move's cost does not grow with the history (issue 14): among thousands of requests, orders
/// and invitations, no step of any transition reads one of those tables whole. Counted, not
/// timed: PostgreSQL's own count of the transaction's sequential scans.
@Suite struct MoveCostTests {
    /// The tables that grow with the history and that a move looks up by request.
    static let growing = ["request", "purchase_order", "invitation", "event", "outbox"]

    @Test func noMoveScansAGrowingTableWhole() throws {
        let f = try Fixture(budget: Money(cents: 100_000_000_000), cap: Money(cents: 100_000_000_000))
        let today = Fixture.today
        // A history as the benchmark seeds it: many ordered requests of VOLIS, each invited ACME,
        // each with its first event and a message.
        try f.db.connect().executeScript("""
            SET search_path = workflow;
            INSERT INTO request (id, system, number, title, created_by, state, version)
            SELECT 'VOLIS-' || n, 'VOLIS', n, 'Tellitud ' || n, session_user, 'ordered', 1 FROM generate_series(100001, 103000) n;
            INSERT INTO invitation (request_id, vendor, due) SELECT 'VOLIS-' || n, 'ACME', '\(today.adding(days: 5))' FROM generate_series(100001, 103000) n;
            INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, vat_rate, vat, gross, order_date, deadline)
            SELECT 'ORD-\(today.year)-' || n, 'VOLIS-' || n, 'ACME', (SELECT id FROM contract WHERE number = 'RL-ACME'), 400, 24, 96, 496,
                   '\(today)'::date, '\(today.adding(days: 30))'::date
            FROM generate_series(100001, 103000) n;
            INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, at, inputs, audience)
            SELECT 'VOLIS-' || n, 1, 'propose', NULL, 'proposed', 'root', 'root', now() - interval '1 day', '{}', '*' FROM generate_series(100001, 103000) n;
            INSERT INTO outbox (kind, request_id, recipient, payload, idempotency_key, status)
            SELECT 'notification', 'VOLIS-' || n, 'piret@example.ee', '{}', 'seeded:' || n, 'delivered' FROM generate_series(100001, 103000) n;
            ANALYZE;
            """)
        let owner = try f.sql(as: f.owner), vendor = try f.sql(as: f.vendorA)
        /// One move in a transaction of its own, and the sequential scans it made of the growing tables.
        func scans(_ connection: Connection, _ id: String, _ transition: String, _ inputs: TransitionInputs) throws -> [String: Int] {
            try connection.execute("BEGIN")
            _ = try connection.query(WorkflowStore.call(.init(id, transition, inputs: inputs)))
            var counts: [String: Int] = [:]
            for row in try connection.query("SELECT relname::text, seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = 'workflow' AND relname = ANY (\(TextArray(Self.growing)))") {
                counts[try row.decode(0, as: String.self)] = try row.decode(1, as: Int.self)
            }
            try connection.execute("COMMIT")
            return counts
        }
        let none = Dictionary(uniqueKeysWithValues: Self.growing.map { ($0, 0) })
        // Every audience a step notifies: the requester, invited vendors, system owners, the
        // ordered vendor, the vendors still quoting.
        let id = try f.store(as: f.requester).propose(system: "VOLIS", title: "Uus").id
        let road: [(Connection, String, TransitionInputs)] = [
            (owner, "prioritise", .init(priority: 2)),
            (owner, "request_quote", .init(vendors: ["ACME", "BETA"])),
            (vendor, "quote", .init(hours: 10, price: Money(cents: 40_000), delivery: today.adding(days: 30))),
            (owner, "order", .init(vendor: "ACME")),
            (vendor, "deliver", .init(note: "valmis")),
            (owner, "return", .init(reason: "viga")),
            (owner, "cancel", .init(reason: "loobutud")),
        ]
        for (connection, transition, inputs) in road {
            #expect(try scans(connection, id, transition, inputs) == none, "\(transition)")
        }
        let quoted = try f.request(in: "quoted")
        #expect(try scans(owner, quoted, "cancel", .init(reason: "loobutud")) == none, "cancel while quoting")
    }

    /// The value rules of the tables a move writes (sql/0018) refuse what their CHECK constraints
    /// refused, with the same SQLSTATE and constraint name, for whoever writes, the owner too; a
    /// step that writes other columns does not run them.
    @Test func valueRulesRefuseAsCheckConstraintsDidButOnlyWhenTheirColumnsAreWritten() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let owner = try f.sql()   // the superuser that owns the tables, past every function
        _ = try owner.execute("SET search_path = workflow")
        let broken: [(SQL, String, String)] = [
            ("UPDATE request SET title = '  ' WHERE id = \(ordered)", "request", "request_title_present"),
            ("UPDATE request SET priority = 9 WHERE id = \(ordered)", "request", "request_priority_range"),
            ("UPDATE request SET quote_due = '1999-12-31' WHERE id = \(ordered)", "request", "request_quote_due_range"),
            ("""
             INSERT INTO request (id, system, number, title, created_by, state, version)
             VALUES ('VOLIS-999999', 'VOLIS', 999999, 'x', session_user, 'proposed', 1), ('VOLIS-999998', 'VOLIS', 999998, '', session_user, 'proposed', 1)
             """, "request", "request_title_present"),
            ("UPDATE purchase_order SET gross = gross + 1 WHERE request_id = \(ordered)", "purchase_order", "order_gross"),
            ("UPDATE purchase_order SET deadline = '2101-01-01' WHERE request_id = \(ordered)", "purchase_order", "order_ranges"),
            ("UPDATE purchase_order SET number = 'ORD-1' WHERE request_id = \(ordered)", "purchase_order", "order_number_format"),
            ("UPDATE contract SET valid_to = valid_from - 1 WHERE number = 'RL-ACME'", "contract", "contract_period"),
            ("UPDATE contract SET penalty_cap = 0 WHERE number = 'RL-ACME'", "contract", "contract_terms_range"),
            ("UPDATE budget SET amount = -1 WHERE system = 'VOLIS'", "budget", "budget_amount_nonnegative"),
            ("UPDATE outbox SET status = 'lost' WHERE id = (SELECT min(id) FROM outbox)", "outbox", "outbox_status_check"),
        ]
        for (statement, table, rule) in broken {
            do {
                _ = try owner.execute(statement)
                Issue.record("stored: \(statement.text)")
            } catch let error as PostgresError {
                #expect(error.sqlState == .checkViolation, "\(statement.text): \(error.message)")
                #expect(error.message == "new row for relation \"\(table)\" violates check constraint \"\(rule)\"", "\(error.message)")
            }
        }
        // The same refusal for a writer whose search_path does not name the schema.
        _ = try owner.execute("SET search_path = public")
        do {
            _ = try owner.execute("UPDATE workflow.budget SET amount = -1 WHERE system = 'VOLIS'")
            Issue.record("stored a negative budget")
        } catch let error as PostgresError {
            #expect(error.sqlState == .checkViolation && error.message.hasSuffix("\"budget_amount_nonnegative\""), "\(error.message)")
        }
        // workflowd sets outbox statuses itself: it meets the same refusal, not a missing privilege.
        #expect(try owner.query("SELECT has_function_privilege('devworkflow_daemon', 'workflow.value_refused(text, text)', 'EXECUTE')")
            .first!.decode(0, as: Bool.self))
        // A row stored before a range existed (written here past the triggers) is refused when its
        // checked column is set again, and moves on when a step writes other columns.
        try f.tamper("UPDATE purchase_order SET deadline = '1999-06-30' WHERE request_id = '\(ordered)'")
        #expect(throws: PostgresError.self) { try owner.execute("UPDATE purchase_order SET price = price WHERE request_id = \(ordered)") }
        let moved = try f.store().move(ordered, "deliver", inputs: TransitionInputs(note: "valmis"))
        #expect(moved.to == "delivered")
    }
}
