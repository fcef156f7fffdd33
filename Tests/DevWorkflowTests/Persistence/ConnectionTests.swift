import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ConnectionTests {
    @Test func valuesRoundTripExactly() throws {
        let db = try TestDatabase.empty()
        let c = try db.product()
        try c.execute("""
            CREATE TEMP TABLE v (t text, i bigint, b boolean, d numeric, m numeric(14,2), day date, at timestamptz, j jsonb, n text)
            """)
        let texts = ["'); DROP TABLE x; --", "Õun, äär, öö, üle, šokk, žürii — ÕÄÖÜŠŽ", "", "line\nbreak\t\"quoted\"\\"]
        let big = Decimal(string: "12345678901234567890123456.789012")!
        let instant = Date(timeIntervalSince1970: 1_795_000_000.123456)
        for text in texts {
            try c.execute("""
                INSERT INTO v VALUES (\(text), \(Int64.max), \(true), \(big), \(Money(cents: -123456)), \(LocalDate(year: 2026, month: 2, day: 28)!),
                                      \(instant), \(JSONDocument(text: #"{"k": "õ"}"#)), \(nil as String?))
                """)
        }
        let rows = Array(try c.query("SELECT t, i, b, d, m, day, at, j ->> 'k', n FROM v"))
        #expect(rows.count == texts.count)
        #expect(try rows.map { try $0.decode(0, as: String.self) } == texts)
        for row in rows {
            #expect(try row.decode(1, as: Int64.self) == Int64.max)
            #expect(try row.decode(2, as: Bool.self))
            #expect(try row.decode(3, as: Decimal.self) == big)
            #expect(try row.decode(4, as: Money.self) == Money(cents: -123456))
            #expect(try row.decode(5, as: LocalDate.self) == LocalDate(year: 2026, month: 2, day: 28)!)
            #expect(try row.decode(6, as: Date.self) == instant)
            #expect(try row.decode(7, as: String.self) == "õ")
            #expect(try row.decode(8, as: String?.self) == nil)
            #expect(throws: PostgresError.self) { try row.decode(8, as: String.self) }
        }
        // The table the injection string names is untouched because it was never SQL.
        #expect(try c.query("SELECT count(*) FROM v").first!.decode(0, as: Int.self) == 4)
    }

    /// libpq keeps single-row mode on after a streamed statement (issue 20's `demo run` met it):
    /// a pipeline right after one must still get each statement's rows whole.
    @Test func aPipelineAfterAStreamGetsWholeResults() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        for rows in [0, 3] {
            var streamed = 0
            try c.stream("SELECT g FROM generate_series(1, \(rows)) g") { _ in streamed += 1 }
            #expect(streamed == rows)
            // A statement this session has prepared already, then one it has not.
            let known: SQL = "SELECT g FROM generate_series(1, 2) g"
            _ = try c.each([known])
            try c.stream("SELECT 1 WHERE false") { _ in }
            let results = try c.each([known, "SELECT g, \(rows) FROM generate_series(1, 4) g"]).map { try $0.get() }
            #expect(results.map(\.count) == [2, 4], "after a stream of \(rows) rows")
            try c.stream("SELECT 1 WHERE false") { _ in }
            #expect(try c.pipeline([known, "SELECT 5"]).map(\.count) == [2, 1])
        }
    }

    @Test func timestampsKeepTheirInstantInAnyZone() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        for zone in ["UTC", "Europe/Tallinn", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"] {
            try c.execute(SQL(unsafe: "SET TimeZone = '\(zone)'"))
            let row = try c.query("SELECT '2026-03-29 00:30:00+00'::timestamptz, '1880-01-01 12:00:00+00'::timestamptz").first!
            #expect(try row.decode(0, as: Date.self) == Date(timeIntervalSince1970: 1_774_744_200), "zone \(zone)")
            #expect(try row.decode(1, as: Date.self) == Date(timeIntervalSince1970: -2_840_097_600), "zone \(zone)")
        }
    }

    @Test func failedStatementRollsBackTheWholeTransaction() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        try c.execute("CREATE TABLE a (id int PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try c.transaction {
                try c.execute("INSERT INTO a VALUES (1)")
                try c.execute("INSERT INTO a VALUES (2)")
                try c.execute("INSERT INTO a VALUES (1)")
            }
        }
        #expect(try c.query("SELECT count(*) FROM a").first!.decode(0, as: Int.self) == 0)
        #expect(!c.inTransaction)
        let value: Int = try c.transaction {
            try c.execute("INSERT INTO a VALUES (3)")
            return 3
        }
        #expect(value == 3)
        #expect(try c.query("SELECT count(*) FROM a").first!.decode(0, as: Int.self) == 1)
    }

    @Test func errorsKeepWhatTheServerSaid() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        do {
            try c.execute("SELEC 1")
            Issue.record("a syntax error was accepted")
        } catch let error as PostgresError {
            #expect(error.sqlState == .syntaxError)
            #expect(error.code == .server)
            #expect(error.message.contains("syntax error"))
            #expect(!error.description.contains("SELEC 1"))
            #expect(error.debugDescription.contains("SELEC 1"))
        }
        try c.execute("CREATE TABLE u (k text CONSTRAINT u_k_key UNIQUE)")
        try c.execute("INSERT INTO u VALUES ('a')")
        do {
            try c.execute("INSERT INTO u VALUES (\("a"))")
            Issue.record("a duplicate was accepted")
        } catch let error as PostgresError {
            #expect(error.sqlState == .uniqueViolation)
            #expect(error.constraint == "u_k_key")
            #expect(error.table == "u")
            #expect(error.detail?.contains("already exists") == true)
        }
        // The connection is still usable after errors.
        #expect(try c.query("SELECT 1").first!.decode(0, as: Int.self) == 1)
    }

    @Test func killedBackendSurfacesAsConnectionLost() throws {
        let db = try TestDatabase.empty()
        let victim = try db.connect()
        let killer = try db.connect()
        try killer.execute("SELECT pg_terminate_backend(\(victim.backendPID))")
        do {
            try victim.execute("SELECT 1")
            Issue.record("a terminated connection still answered")
        } catch let error as PostgresError {
            #expect(error.code == .connectionLost)
            #expect(WorkflowError(postgres: error).code == .unavailable)
        }
        #expect(!victim.isOK)
        // Every later call fails cleanly too, and deinit finishes the handle once.
        #expect(throws: PostgresError.self) { try victim.query("SELECT 1") }
    }

    @Test func failedConnectIsAClearError() throws {
        do {
            _ = try Connection("host=/nonexistent dbname=x")
            Issue.record("connected to nothing")
        } catch let error as PostgresError {
            #expect(error.code == .connectionFailed)
            #expect(!error.message.contains("\n"))
        }
        #expect(throws: PostgresError.self) { _ = try Connection("this is = not valid ===") }
    }

    @Test func copyInAndOutStreamOneHundredThousandRows() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        try c.execute("CREATE TABLE big (id int, label text)")
        let rows = 100_000
        let copied = try c.copyIn("COPY big FROM STDIN (FORMAT csv)") { writer in
            for i in 0..<rows { try writer.write("\(i),\"row \(i), õ\"\n") }
        }
        #expect(copied == rows)
        var chunks = 0
        var largest = 0
        var checksum = 0
        let out = try c.copyOut("COPY (SELECT id, label FROM big ORDER BY id) TO STDOUT (FORMAT csv)") { chunk in
            chunks += 1
            largest = max(largest, chunk.count)
            checksum &+= chunk.count
        }
        #expect(out == rows)
        // One chunk a row: the reader never holds more than a row at a time.
        #expect(chunks == rows)
        #expect(largest < 64)
        #expect(checksum > rows * 10)
    }

    @Test func abortedCopyStoresNothing() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        try c.execute("CREATE TABLE big (id int)")
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try c.copyIn("COPY big FROM STDIN") { writer in
                for i in 0..<1000 { try writer.write("\(i)\n") }
                throw Stop()
            }
        }
        #expect(throws: PostgresError.self) {
            try c.copyIn("COPY big FROM STDIN") { writer in try writer.write("1\nnot-a-number\n") }
        }
        #expect(try c.query("SELECT count(*) FROM big").first!.decode(0, as: Int.self) == 0)
    }

    @Test func singleRowStreamingAndEarlyStop() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        var seen = 0
        var sum = 0
        try c.stream("SELECT g FROM generate_series(1, \(50_000)) g") { row in
            seen += 1
            sum += try row.decode(0, as: Int.self)
        }
        #expect(seen == 50_000)
        #expect(sum == 50_000 * 50_001 / 2)
        struct Enough: Error {}
        var before = 0
        #expect(throws: Enough.self) {
            try c.stream("SELECT g FROM generate_series(1, 10000000) g") { _ in
                before += 1
                if before == 10 { throw Enough() }
            }
        }
        #expect(before == 10)
        #expect(try c.query("SELECT 2").first!.decode(0, as: Int.self) == 2)
        #expect(throws: PostgresError.self) { try c.stream("SELECT 1/0") { _ in } }
    }

    @Test func pipelineSendsSeveralStatementsAtOnceAndIsAtomic() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        try c.execute("CREATE TABLE p (id int PRIMARY KEY)")
        let results = try c.pipeline(["INSERT INTO p VALUES (\(1))", "INSERT INTO p VALUES (\(2))", "SELECT count(*) FROM p"])
        #expect(results.count == 3)
        #expect(try results[2].first!.decode(0, as: Int.self) == 2)
        do {
            _ = try c.pipeline(["INSERT INTO p VALUES (\(3))", "INSERT INTO p VALUES (\(1))", "INSERT INTO p VALUES (\(4))"])
            Issue.record("duplicate key accepted")
        } catch let error as PostgresError {
            #expect(error.sqlState == .uniqueViolation)
        }
        // 3 was rolled back with the failing statement, 4 never ran.
        #expect(try c.query("SELECT array_agg(id ORDER BY id)::text FROM p").first!.decode(0, as: String.self) == "{1,2}")
    }

    @Test func eachStatementOfAPipelineCommitsOrFailsAlone() throws {
        let db = try TestDatabase.empty()
        let c = try db.connect()
        try c.execute("CREATE TABLE p (id int PRIMARY KEY)")
        let insert = { (id: Int32) -> SQL in "INSERT INTO p VALUES (\(id)) RETURNING id" }
        // The duplicate fails alone; a statement the server cannot parse fails alone; the rest commit.
        let results = try c.each([insert(1), insert(2), insert(1), "SELEC 1", insert(3), "SELECT count(*) FROM p"])
        #expect(results.count == 6)
        #expect(try results[0].get().first!.decode(0, as: Int.self) == 1)
        #expect(try results[4].get().first!.decode(0, as: Int.self) == 3)
        guard case let .failure(duplicate) = results[2], case let .failure(syntax) = results[3] else {
            Issue.record("the duplicate and the typo were accepted")
            return
        }
        #expect(duplicate.sqlState == .uniqueViolation)
        #expect(syntax.sqlState == .syntaxError)
        #expect(try results[5].get().first!.decode(0, as: Int.self) == 3)
        // Each was its own transaction: all three rows stay, and the session is idle, not in a block.
        #expect(!c.inTransaction)
        #expect(try c.query("SELECT array_agg(id ORDER BY id)::text FROM p").first!.decode(0, as: String.self) == "{1,2,3}")
        // More statements than one pipeline keeps in flight, and the prepared ones are reused.
        let many = (10..<(10 + Int32(Connection.pipelineDepth) * 2 + 5)).map(insert)
        let outcomes = try c.each(many)
        #expect(outcomes.count == many.count)
        #expect(try outcomes.map { try $0.get().first!.decode(0, as: Int32.self) } == Array(10..<(10 + Int32(Connection.pipelineDepth) * 2 + 5)))
        #expect(try c.query("SELECT count(*) FROM pg_prepared_statements").first!.decode(0, as: Int.self) == 2)
        // The typo was not remembered as prepared: fixed, it runs.
        #expect(try c.each(["SELECT count(*) FROM p"])[0].get().first!.decode(0, as: Int.self) == many.count + 3)
        // A failed prepare between two good ones gives no later statement a name already taken.
        let mixed = try c.each(["SELECT 1 AS a", "SELECT nope FROM p", "SELECT 2 AS b"])
        #expect(try mixed[0].get().first!.decode(0, as: Int.self) == 1 && mixed[2].get().first!.decode(0, as: Int.self) == 2)
        #expect(try c.each(["SELECT 3 AS c"])[0].get().first!.decode(0, as: Int.self) == 3)
    }

    @Test func listenReceivesNotifications() throws {
        let db = try TestDatabase.empty()
        let listener = try db.connect()
        let sender = try db.connect()
        try listener.listen("outbox channel")
        #expect(try listener.waitForNotifications(timeout: 0.05).isEmpty)
        try sender.notify("outbox channel", payload: "VOLIS-12 õ")
        var received: [Connection.Notification] = []
        for _ in 0..<50 where received.isEmpty { received = try listener.waitForNotifications(timeout: 0.1) }
        #expect(received.map(\.payload) == ["VOLIS-12 õ"])
        #expect(received.first?.channel == "outbox channel")
        #expect(received.first?.senderPID == sender.backendPID)
    }

    @Test func productSettingsFixSearchPathAndZone() throws {
        let db = try TestDatabase.migrated()
        let c = try db.product()
        let row = try c.query("SELECT current_setting('search_path'), current_setting('TimeZone')").first!
        #expect(try row.decode(0, as: String.self) == "workflow")
        #expect(try row.decode(1, as: String.self) == "Europe/Tallinn")
    }
}
