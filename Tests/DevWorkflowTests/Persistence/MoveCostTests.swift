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

    /// A move leaves the request's words alone (sql/0031): no index of `request` reads the
    /// description, so the new row version a move writes (never a HOT update: the state is
    /// indexed) puts nothing into a trigram index, however long the description; the search text
    /// is written on proposing and editing only.
    @Test func aMoveWritesNoSearchText() throws {
        let f = try Fixture()
        let owner = try f.sql()
        let indexes = try owner.query("""
            SELECT indexrelid::regclass::text FROM pg_index
            WHERE indrelid = 'workflow.request'::regclass AND pg_get_indexdef(indexrelid) LIKE '%description%'
            """).map { try $0.decode(0, as: String.self) }
        #expect(indexes == [], "indexes of request that read the description: \(indexes)")
        let long = String(repeating: "Kodanik teatab tänavavalgustuse rikkest. ", count: 30)
        let id = try f.store().propose(system: "VOLIS", title: "Valgustus", description: long).id
        let written = { (connection: Connection) -> Int in
            try connection.query("""
                SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0)::int FROM pg_stat_xact_user_tables
                WHERE schemaname = 'workflow' AND relname = 'request_search'
                """).first!.decode(0, as: Int.self)
        }
        let session = try f.sql(as: f.owner)
        try session.execute("BEGIN")
        _ = try session.query(WorkflowStore.call(.init(id, "prioritise", inputs: .init(priority: 2))))
        #expect(try written(session) == 0, "a move wrote the search text")
        try session.execute("ROLLBACK")
        try session.execute("BEGIN")
        _ = try session.query("SELECT workflow.edit_request(\(id), NULL, 'Tänavavalgus kustub öösiti', NULL, NULL)")
        #expect(try written(session) == 1, "an edited description is written for the search")
        try session.execute("ROLLBACK")
        let folded = try owner.query("SELECT folded FROM workflow.request_search WHERE request_id = \(id)").first!.decode(0, as: String.self)
        #expect(folded.hasPrefix("valgustus kodanik teatab tanavavalgustuse"), "\(folded.prefix(60))")
    }

    /// The value rules of the tables a move writes (sql/0018) refuse what their CHECK constraints
    /// refused, with the same SQLSTATE and constraint name, for whoever writes, the owner and
    /// workflowd too; a step that writes other columns does not run them.
    @Test func valueRulesRefuseAsCheckConstraintsDidButOnlyWhenTheirColumnsAreWritten() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let owner = try f.sql()   // the superuser that owns the tables, past every function
        /// The refusal a write meets, or a recorded issue when it is stored.
        func refusal(_ statement: SQL) throws -> PostgresError? {
            do {
                _ = try owner.execute(statement)
                Issue.record("stored: \(statement.text)")
                return nil
            } catch let error as PostgresError {
                return error
            }
        }
        func expectRefused(_ statement: SQL, _ table: String, _ rule: String) throws {
            let error = try refusal(statement)
            #expect(error?.sqlState == .checkViolation, "\(statement.text): \(error?.message ?? "")")
            #expect(error?.message == "new row for relation \"\(table)\" violates check constraint \"\(rule)\"", "\(error?.message ?? "")")
        }
        // Written with the schema named and a search_path without it: the triggers name what they call.
        _ = try owner.execute("SET search_path = public")
        try expectRefused("UPDATE workflow.request SET title = '  ' WHERE id = \(ordered)", "request", "request_title_present")
        try expectRefused("UPDATE workflow.request SET priority = 9 WHERE id = \(ordered)", "request", "request_priority_range")
        try expectRefused("UPDATE workflow.request SET quote_due = '1999-12-31' WHERE id = \(ordered)", "request", "request_quote_due_range")
        try expectRefused("""
            INSERT INTO workflow.request (id, system, number, title, created_by, state, version)
            VALUES ('VOLIS-999999', 'VOLIS', 999999, 'x', session_user, 'proposed', 1), ('VOLIS-999998', 'VOLIS', 999998, '', session_user, 'proposed', 1)
            """, "request", "request_title_present")
        try expectRefused("UPDATE workflow.purchase_order SET gross = gross + 1 WHERE request_id = \(ordered)", "purchase_order", "order_gross")
        try expectRefused("UPDATE workflow.purchase_order SET deadline = '2101-01-01' WHERE request_id = \(ordered)", "purchase_order", "order_ranges")
        try expectRefused("UPDATE workflow.purchase_order SET number = 'ORD-1' WHERE request_id = \(ordered)", "purchase_order", "order_number_format")
        try expectRefused("UPDATE workflow.contract SET valid_to = valid_from - 1 WHERE number = 'RL-ACME'", "contract", "contract_period")
        try expectRefused("UPDATE workflow.contract SET penalty_cap = 0 WHERE number = 'RL-ACME'", "contract", "contract_terms_range")
        try expectRefused("UPDATE workflow.budget SET amount = -1 WHERE system = 'VOLIS'", "budget", "budget_amount_nonnegative")
        // workflowd sets outbox statuses itself: it meets the same refusal, not a missing privilege.
        _ = try owner.execute("SET ROLE devworkflow_daemon")
        try expectRefused("UPDATE workflow.outbox SET status = 'lost' WHERE id = (SELECT min(id) FROM workflow.outbox)", "outbox", "outbox_status_check")
        _ = try owner.execute("RESET ROLE")

        // Rows stored before a range existed (written here past the triggers): the order is refused
        // when a checked column is set again; a move, which sets other columns of both, runs
        // neither table's rules (PostgreSQL's own count of the calls in the move's transaction).
        try f.tamper("""
            UPDATE purchase_order SET deadline = '1999-06-30' WHERE request_id = '\(ordered)';
            UPDATE request SET quote_due = '1999-06-30' WHERE id = '\(ordered)'
            """)
        try expectRefused("UPDATE workflow.purchase_order SET price = price WHERE request_id = \(ordered)", "purchase_order", "order_ranges")
        _ = try owner.execute("SET track_functions = 'all'")
        _ = try owner.execute("BEGIN")
        _ = try owner.query(WorkflowStore.call(.init(ordered, "deliver", inputs: TransitionInputs(note: "valmis"))))
        var calls: [String: Int] = [:]
        for row in try owner.query("SELECT funcname::text, calls FROM pg_stat_xact_user_functions WHERE funcname LIKE '%values_checked'") {
            calls[try row.decode(0, as: String.self)] = try row.decode(1, as: Int.self)
        }
        _ = try owner.execute("COMMIT")
        #expect(calls["request_values_checked"] == nil && calls["purchase_order_values_checked"] == nil, "\(calls)")
        #expect(calls["outbox_values_checked"] == 1, "the product owner's message: \(calls)")
        #expect(try f.store().request(ordered).state == "delivered")
    }
}
