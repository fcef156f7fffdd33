import Foundation
import Testing
@testable import DevWorkflow

/// The daemon's claim does not grow with a backlog (sql/0021): among thousands of pending
/// messages, a claim reads the batch it takes in order, not every pending message.
@Suite struct OutboxClaimCostTests {
    @Test func aClaimAmongManyPendingReadsOnlyItsBatch() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let connection = try f.sql()
        try connection.execute("""
            INSERT INTO outbox (kind, request_id, recipient, payload, idempotency_key)
            SELECT 'notification', \(id), 'po' || n || '@example.ee', '{}', 'backlog:' || n FROM generate_series(1, 5000) n
            """)
        try connection.execute("ANALYZE outbox")
        let due = try connection.query("SELECT id FROM outbox WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT 50")
            .map { try $0.decode(0, as: Int64.self) }
        try connection.execute("BEGIN")
        let claimed = try Outbox(connection: connection).claim(limit: 50)
        let (scans, read) = try connection.query("""
            SELECT seq_scan, seq_tup_read + idx_tup_fetch FROM pg_stat_xact_user_tables WHERE schemaname = 'workflow' AND relname = 'outbox'
            """).first.map { (try $0.decode(0, as: Int.self), try $0.decode(1, as: Int.self)) } ?? (-1, -1)
        try connection.execute("ROLLBACK")
        #expect(claimed.count == 50)
        #expect(claimed.map(\.id) == due, "the batch is the 50 due first")
        #expect(scans == 0, "the claim read the outbox whole")
        #expect(read < 500, "rows read for a batch of 50 among 5 000 pending: \(read)")
    }
}
