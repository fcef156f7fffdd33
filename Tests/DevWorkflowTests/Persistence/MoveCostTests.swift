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
}
