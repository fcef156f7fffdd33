import DevWorkflow
import Foundation

/// The figures of the benchmark, each beside its reference measured on the same cluster.
struct Measurements {
    let size: Size
    /// A connection string to the cluster's maintenance database; others differ in dbname.
    let host: String
    let user: String
    let binDirectory: String
    /// The workflowctl binary measured (and used to seed).
    let workflowctl: String
    let work: String

    func conninfo(_ database: String) -> String { "host=\(host) user=\(user) dbname=\(database)" }

    /// Creates (again) a migrated database.
    func freshDatabase(_ name: String, migrate: Bool = true) throws -> Connection {
        let admin = try Connection(conninfo("postgres"))
        try admin.execute(SQL(unsafe: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        try admin.execute(SQL(unsafe: "CREATE DATABASE \(name)"))
        let connection = try Database.connect(conninfo(name))
        if migrate { try Migrator(connection: connection).migrate() }
        return connection
    }

    // MARK: Transitions

    /// Sets up a system, a vendor with a contract, a budget and requests in `ordered`, through the product.
    func seedTransitions(_ connection: Connection, requests: Int) throws -> [String] {
        let store = WorkflowStore(connection: connection)
        let today = store.today
        try store.addSystem(key: "VOLIS", name: "Volikogu infosüsteem")
        try store.addVendor(key: "ACME", name: "Acme OÜ", email: "info@acme.ee")
        try store.addContract(vendor: "ACME", number: "RL-1", from: today.adding(days: -30), to: today.adding(days: 365),
                              rate: Money(cents: 8000), cap: Money(cents: 100_000_000_000))
        try store.setBudget(system: "VOLIS", year: today.year, amount: Money(cents: 100_000_000_000))
        try store.addPerson(login: "piret", name: "Piret", email: "piret@example.ee", role: .productOwner, systems: ["VOLIS"])
        var ids: [String] = []
        for n in 0..<requests {
            let id = try store.propose(system: "VOLIS", title: "Muudatus \(n)", description: Self.description(n)).id
            _ = try store.move(id, "prioritise", inputs: TransitionInputs(priority: 3))
            _ = try store.move(id, "request_quote", inputs: TransitionInputs(vendors: ["ACME"]))
            _ = try store.move(id, "quote", inputs: TransitionInputs(vendor: "ACME", hours: 5, price: Money(cents: 40_000), delivery: today.adding(days: 30)))
            _ = try store.move(id, "order", inputs: TransitionInputs(vendor: "ACME"))
            ids.append(id)
        }
        return ids
    }

    /// A description as a product owner writes one: what is wanted, why, and how it is checked
    /// (about 800 characters). Requests without one hid that every move used to write the
    /// description's trigrams into the search index again (sql/0031).
    static func description(_ n: Int) -> String {
        """
        Istungi protokolli \(n). punkt: volikogu istungi protokoll tuleb pärast istungit avaldada veebis \
        koos hääletustulemuste ja lisadega. Praegu kopeerib sekretär hääletustulemused käsitsi \
        tabelisse, mis võtab iga istungi järel umbes kaks tundi ja kus on eelmisel aastal olnud \
        vähemalt kolm viga. Soovime, et protokolli koostamisel loetaks hääletustulemused otse \
        hääletusmoodulist, iga päevakorrapunkti juurde lisataks poolt, vastu ja erapooletuks jäänud \
        liikmete nimed ning avaldatud protokollile lisataks masinloetav versioon (CSV). \
        Vastuvõtmisel kontrollime kolme eelmise istungi andmetega, et tulemused ühtivad \
        hääletusmooduli omadega, et nimed on õiges järjekorras ja et täpitähed (õ, ä, ö, ü) on \
        õiged nii veebis kui ka CSV-failis. Muudatus peab töötama ka erakorraliste istungite puhul.
        """
    }

    /// Moves requests between delivered and ordered for `duration` on `threads` connections,
    /// each request moved by one connection only; returns transitions per second.
    ///
    /// Awaited, each move waits for its answer before the next is sent; pipelined, a connection
    /// moves all its requests one step each with `WorkflowStore.move(_:_:)`, every move still its
    /// own transaction, the batch flushed to disk once before the call returns.
    func transitionsPerSecond(database: String, ids: [String], threads: Int, duration: Double, pipelined: Bool) throws -> (Double, Int) {
        let counted = Shared(0)
        let failures = Shared<[String]>([])
        let conninfo = self.conninfo(database)
        let group = DispatchGroup()
        let start = Date()
        for worker in 0..<threads {
            let mine = ids.enumerated().filter { $0.offset % threads == worker }.map(\.element)
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let store = WorkflowStore(connection: try Database.connect(conninfo))
                    // Each request goes back and forth between ordered and delivered, each move with
                    // the version it was last seen at.
                    var seen = try mine.map { try store.request($0) }.map { (state: $0.state, version: $0.version) }
                    let step = { (index: Int) -> WorkflowStore.MoveCall in
                        seen[index].state == "ordered"
                            ? WorkflowStore.MoveCall(mine[index], "deliver", inputs: TransitionInputs(note: "valmis"), expectedVersion: seen[index].version)
                            : WorkflowStore.MoveCall(mine[index], "return", inputs: TransitionInputs(reason: "viga"), expectedVersion: seen[index].version)
                    }
                    var moves = 0
                    while Date().timeIntervalSince(start) < duration {
                        if pipelined {
                            for (index, outcome) in try store.move(mine.indices.map(step)).enumerated() {
                                let moved = try outcome.get()
                                seen[index] = (moved.to, moved.version)
                                moves += 1
                            }
                        } else {
                            let i = moves % mine.count
                            let moved = try store.move(step(i))
                            seen[i] = (moved.to, moved.version)
                            moves += 1
                        }
                    }
                    counted.update { $0 += moves }
                } catch {
                    failures.update { $0.append("\(error)") }
                }
            }
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(start)
        if let failure = failures.current.first { throw BenchFailure("transition run failed: \(failure)") }
        return (Double(counted.current) / elapsed, counted.current)
    }

    /// The benchmark checks its own work: events = transitions, every history an unbroken chain.
    func checkHistory(_ connection: Connection, expectedEvents: Int) throws {
        let events = try connection.query("SELECT count(*) FROM event").first!.decode(0, as: Int.self)
        guard events == expectedEvents else {
            throw BenchFailure("the history holds \(events) events, the run counted \(expectedEvents)")
        }
        let broken = try connection.query("""
            SELECT count(*) FROM (
                SELECT r.id FROM request r JOIN event e ON e.request_id = r.id
                LEFT JOIN event p ON p.request_id = e.request_id AND p.seq = e.seq - 1
                GROUP BY r.id, r.version, r.state
                HAVING count(*) <> r.version OR max(e.seq) <> r.version
                    OR bool_or(e.seq > 1 AND (p.to_state IS NULL OR p.to_state <> e.from_state))
                    OR (array_agg(e.to_state ORDER BY e.seq DESC))[1] <> r.state
            ) bad
            """).first!.decode(0, as: Int.self)
        let impossible = try connection.query("""
            SELECT count(*) FROM request WHERE state NOT IN (SELECT name FROM workflow_state)
                OR (state IN ('ordered', 'delivered') AND NOT EXISTS (SELECT 1 FROM purchase_order o WHERE o.request_id = request.id))
            """).first!.decode(0, as: Int.self)
        guard broken == 0, impossible == 0 else {
            throw BenchFailure("\(broken) requests with a broken history, \(impossible) in an impossible state")
        }
    }

    /// pgbench's TPC-B-like transactions per second on the same cluster.
    func pgbench(clients: Int, duration: Double) throws -> Double {
        let pgbench = try EmbeddedCluster.binary("pgbench")
        let output = try runChecked(pgbench, ["-h", host, "-U", user, "-c", String(clients), "-j", String(clients),
                                              "-T", String(max(1, Int(duration.rounded()))), "-n", "bench_pgbench"])
        guard let line = output.stdout.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
              let value = Double(line.dropFirst(6).split(separator: " ").first ?? "") else {
            throw BenchFailure("cannot read pgbench's tps from: \(output.stdout.suffix(300))")
        }
        return value
    }

    // MARK: Command line

    /// Median wall times of one `workflowctl request move`, of psql making the same move
    /// (`SELECT workflow.move(…)`), and of `psql -Xqc 'select 1'`, interleaved.
    func cliMove(database: String, id: String) throws -> (ours: Double, psqlMove: Double, psqlSelect: Double) {
        let ctl = workflowctl
        let psql = try EmbeddedCluster.binary("psql")
        var ours: [Double] = [], moves: [Double] = [], selects: [Double] = []
        // The transition runs left the request in either state: start from where it is.
        var state = try WorkflowStore(connection: try Database.connect(conninfo(database))).request(id).state
        func step() -> (transition: String, option: String, json: String) {
            state == "ordered" ? ("deliver", "--note", #"{"note": "x"}"#) : ("return", "--reason", #"{"reason": "x"}"#)
        }
        for _ in 0..<size.cliRuns {
            var (transition, option, _) = step()
            ours.append(try seconds { try runChecked(ctl, ["request", "move", id, transition, option, "x", "--database", conninfo(database)]) })
            state = state == "ordered" ? "delivered" : "ordered"
            let json: String
            (transition, option, json) = step()
            moves.append(try seconds { try runChecked(psql, ["-Xqc", "SELECT workflow.move('\(id)', '\(transition)', NULL, '\(json)')", conninfo(database)]) })
            state = state == "ordered" ? "delivered" : "ordered"
            selects.append(try seconds { try runChecked(psql, ["-Xqc", "select 1", conninfo(database)]) })
        }
        return (median(ours), median(moves), median(selects))
    }

    /// A database whose system has `orders` orders this year (stored in bulk), and `runs`
    /// proposed requests to prioritise.
    func seedOrders(_ name: String, orders: Int, runs: Int) throws -> [String] {
        let connection = try freshDatabase(name)
        let store = try seedACMEOrders(connection, count: orders, state: "ordered")
        return try (0..<runs).map { n in try store.propose(system: "VOLIS", title: "Uus \(n)").id }
    }

    /// VOLIS with a year's budget, ACME (the invoices' seller) under a contract with room, and
    /// `count` requests in `state`, each with an order of ACME for 400 net, 24 % VAT.
    func seedACMEOrders(_ connection: Connection, count: Int, state: String) throws -> WorkflowStore {
        let store = WorkflowStore(connection: connection)
        let today = store.today
        try store.addSystem(key: "VOLIS", name: "Volikogu infosüsteem")
        try store.addVendor(key: "ACME", name: "Acme OÜ", email: "info@acme.ee", registryCode: Self.seller.code)
        try store.addContract(vendor: "ACME", number: "RL-1", from: today.adding(days: -30), to: today.adding(days: 365),
                              rate: Money(cents: 8000), cap: Money(cents: 100_000_000_000))
        try store.setBudget(system: "VOLIS", year: today.year, amount: Money(cents: 100_000_000_000))
        try connection.executeScript("""
            INSERT INTO request (id, system, number, title, created_by, state, version)
            SELECT 'VOLIS-' || n, 'VOLIS', n, 'Tellitud ' || n, session_user, '\(state)', 1 FROM generate_series(1, \(count)) n;
            INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, vat_rate, vat, gross, order_date, deadline)
            SELECT 'ORD-\(today.year)-' || lpad(n::text, 7, '0'), 'VOLIS-' || n, 'ACME', (SELECT id FROM contract), 400, 24, 96, 496,
                   '\(today)'::date, '\(today.adding(days: 30))'::date
            FROM generate_series(1, \(count)) n;
            UPDATE budget SET used = \(count) * 496; UPDATE contract SET used = \(count) * 400;
            """)
        // Settled before anything is measured, as the report's seeding is: vacuumed, not only
        // analysed, so that autovacuum does not come by for the bulk rows (and the search
        // index's pending entries) in the middle of the timed moves.
        try connection.execute("VACUUM ANALYZE")
        return store
    }

    /// Median wall time of `workflowctl request move ID prioritise` over the given requests.
    func prioritise(database: String, ids: [String]) throws -> Double {
        median(try ids.map { id in
            try seconds { try runChecked(workflowctl, ["request", "move", id, "prioritise", "--priority", "2", "--database", conninfo(database)]) }
        })
    }

    // MARK: Reports

    /// A database with `count` requests, all invited to vendor ACME, half of them quoted.
    func seedReport(_ name: String, count: Int) throws {
        let connection = try freshDatabase(name)
        try connection.executeScript("""
            INSERT INTO system (key, name) VALUES ('VOLIS', 'Volikogu infosüsteem');
            INSERT INTO vendor (key, name, email) VALUES ('ACME', 'Acme OÜ', 'info@acme.ee');
            """)
        // Requests come in through the product's own import; invitations and quotes in bulk.
        let csv = work + "/\(name).csv"
        var text = "title,description\n"
        text.reserveCapacity(count * 60)
        for n in 1...count { text += "Muudatus \(n) mõõdukalt pika pealkirjaga,Kirjeldus \(n)\n" }
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        try runChecked(workflowctl, ["request", "import", "--system", "VOLIS", csv, "--database", conninfo(name)])
        try connection.executeScript("""
            INSERT INTO invitation (request_id, vendor, due) SELECT id, 'ACME', current_date + 5 FROM request;
            INSERT INTO quote (request_id, vendor, hours, price, delivery, quoted_by)
                SELECT id, 'ACME', 10, 1000 + number, current_date + 30, 'bench' FROM request WHERE number % 2 = 0;
            """)
        try connection.execute("VACUUM ANALYZE")
    }

    /// Wall time of `report vendor` as CSV against psql's COPY of the same rows, and peak memory.
    func reportVendor(database: String) throws -> (Double, Double, Int) {
        let ctl = workflowctl
        let psql = try EmbeddedCluster.binary("psql")
        let out = work + "/vendor-\(database).csv"
        var ours: [Double] = [], theirs: [Double] = [], peak = 0
        // The same rows as the report's two sections that hold them (action, requests), by the
        // same queries, which read the vendor and the dates from the same settings (given to psql
        // as variables); the other two sections are empty here. COPY's CSV as psql writes it.
        let today = LocalDate.today(at: Date())
        let script = work + "/copy-\(database).sql", copied = work + "/copy-\(database).csv"
        try """
            SELECT set_config('devworkflow.report_vendor', :'vendor', false), set_config('devworkflow.report_today', :'today', false),
                   set_config('devworkflow.report_soon', :'soon', false) \\g /dev/null
            COPY (\(VendorReport.actionQuery(rows: "workflow.vendor_report_query").text)) TO STDOUT (FORMAT csv);
            COPY (\(VendorReport.requestsQuery(rows: "workflow.vendor_report_query").text)) TO STDOUT (FORMAT csv);

            """.write(toFile: script, atomically: true, encoding: .utf8)
        let copy = ["-Xq", "-v", "vendor=ACME", "-v", "today=\(today)", "-v", "soon=\(today.adding(days: VendorReport.dueSoonDays))",
                    "-f", script, "-o", copied, conninfo(database)]
        let arguments = ["report", "vendor", "ACME", "--format", "csv", "--out", out, "--database", conninfo(database)]
        for _ in 0..<3 {
            ours.append(try seconds { try runChecked(ctl, arguments) })
            theirs.append(try seconds { try runChecked(psql, copy) })
        }
        // The reference stays the same rows: psql's lines are the rows of the report's first two
        // sections (each section a header, its rows and a blank line), in order.
        let sections = try String(contentsOfFile: out, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n").map { $0.split(separator: "\n").dropFirst() }
        let reportRows = sections.prefix(2).joined(), copiedRows = try String(contentsOfFile: copied, encoding: .utf8).split(separator: "\n")
        guard reportRows.elementsEqual(copiedRows) else {
            throw BenchFailure("the reference copied \(copiedRows.count) rows that are not the report's \(reportRows.count)")
        }
        // Memory apart from the timed runs, so that GNU time's fork costs no timed run anything.
        for _ in 0..<2 { peak = max(peak, try peakKilobytes(ctl, arguments)) }
        return (median(ours), median(theirs), peak)
    }

    // MARK: Reminders

    /// `total` requests, of which `due` have waited long in `proposed` and the rest are released.
    func seedReminders(_ name: String, total: Int, due: Int) throws {
        let connection = try freshDatabase(name)
        try connection.executeScript("""
            SET session_replication_role = replica;
            INSERT INTO system (key, name) VALUES ('VOLIS', 'Volikogu infosüsteem');
            INSERT INTO person (login, name, email, role) VALUES ('piret', 'Piret', 'piret@example.ee', 'product_owner');
            INSERT INTO person_system (login, system) VALUES ('piret', 'VOLIS');
            INSERT INTO request (id, system, number, title, created_by, state, version, created_at, state_since)
                SELECT 'VOLIS-' || g, 'VOLIS', g, 'Muudatus ' || g, 'piret',
                       CASE WHEN g <= \(due) THEN 'proposed' ELSE 'released' END, 1,
                       now() - interval '400 days', now() - interval '60 days' - (g % 300) * interval '1 day'
                FROM generate_series(1, \(total)) g;
            SET session_replication_role = DEFAULT;
            """)
        try connection.execute("VACUUM ANALYZE")
    }

    /// Median time of one reminder pass (the queued reminders are cleared between passes).
    func reminderPass(database: String) throws -> (Double, Int) {
        let connection = try Database.connect(conninfo(database))
        let reminders = Reminders(connection: connection)
        let today = LocalDate.today(at: Date())
        var times: [Double] = []
        var queued = 0
        for _ in 0..<5 {
            try connection.executeScript("DELETE FROM outbox; DELETE FROM reminder;")
            var result: Reminders.PassResult? = nil
            times.append(try seconds { result = try reminders.pass(today: today) })
            queued = result?.queued ?? 0
        }
        return (median(times), queued)
    }

    // MARK: Outbox

    /// Messages per second that workflowd's drain delivers to the file sink.
    func outboxThroughput(count: Int) throws -> Double {
        let connection = try freshDatabase("bench_outbox")
        try connection.executeScript("""
            SET session_replication_role = replica;
            INSERT INTO system (key, name) VALUES ('VOLIS', 'Volikogu infosüsteem');
            INSERT INTO request (id, system, number, title, created_by, state, version) VALUES ('VOLIS-1', 'VOLIS', 1, 'Muudatus', 'bench', 'proposed', 1);
            INSERT INTO outbox (kind, request_id, rule, recipient, recipient_name, lang, payload, idempotency_key)
                SELECT 'reminder', 'VOLIS-1', 'proposed_waiting', 'po' || g || '@example.ee', 'Piret', 'en',
                       jsonb_build_object('request', 'VOLIS-1', 'system', 'VOLIS', 'title', 'Muudatus', 'state', 'proposed',
                                          'rule', 'proposed_waiting', 'occurrence', 1, 'due_on', current_date, 'business_days', 11,
                                          'escalation', false),
                       'reminder:VOLIS-1:proposed_waiting:v1:po' || g || '@example.ee'
                FROM generate_series(1, \(count)) g;
            SET session_replication_role = DEFAULT;
            """)
        let file = work + "/outbox.jsonl"
        try? FileManager.default.removeItem(atPath: file)
        var configuration = Daemon.Configuration(conninfo: conninfo("bench_outbox"))
        configuration.once = true
        configuration.batchSize = 200
        let daemon = Daemon(configuration: configuration, channels: [FileChannel(path: file)], log: Log(program: "bench") { _ in }, stop: StopSignal())
        var status: Int32 = 0
        let elapsed = seconds { status = daemon.run() }
        let lines = (try String(contentsOfFile: file, encoding: .utf8)).split(separator: "\n").count
        guard status == 0, lines == count, daemon.totals.delivered == count else {
            throw BenchFailure("outbox run delivered \(daemon.totals.delivered) and wrote \(lines) lines of \(count) (exit \(status))")
        }
        return Double(count) / elapsed
    }

    // MARK: Files

    /// What moving one file of `bytes` costs both ways, beside psql moving the same bytes as a
    /// large object (`\lo_import`, `\lo_export`): seconds and peak memory (KiB) of
    /// `workflowctl request attach` and of `request file … --out`, then of psql's two.
    ///
    /// Each run is timed under GNU time, which also gives its peak memory: a run lasts seconds,
    /// so the fork costs it nothing that shows. The file read back must be the file sent.
    func files(bytes: Int) throws -> (attach: Double, read: Double, loImport: Double, loExport: Double,
                                      attachPeak: Int, readPeak: Int, importPeak: Int, exportPeak: Int) {
        let connection = try freshDatabase("bench_files")
        let store = WorkflowStore(connection: connection)
        try store.addSystem(key: "VOLIS", name: "Volikogu infosüsteem")
        try store.setSetting("file_size_limit", String(max(bytes, 104_857_600)))
        let id = try store.propose(system: "VOLIS", title: "Suur fail").id
        // Bytes that do not compress: a file as documents are (PDFs, archives, images).
        let source = work + "/file.bin", back = work + "/file.back", exported = work + "/file.lo"
        guard FileManager.default.createFile(atPath: source, contents: nil), let out = FileHandle(forWritingAtPath: source) else {
            throw BenchFailure("cannot create \(source)")
        }
        var generator = SplitMix64(seed: 17)
        var block = [UInt64](repeating: 0, count: 1 << 17)
        for _ in 0..<(bytes + (1 << 20) - 1) >> 20 {
            for i in block.indices { block[i] = generator.next() }
            block.withUnsafeBytes { out.write(Data($0)) }
        }
        try out.truncate(atOffset: UInt64(bytes))
        try out.close()
        let psql = try EmbeddedCluster.binary("psql")
        var attachPeak = 0, readPeak = 0, importPeak = 0, exportPeak = 0
        let attach = try seconds {
            attachPeak = try peakKilobytes(workflowctl, ["--json", "request", "attach", id, source, "--kind", "spec", "--database", conninfo("bench_files")])
        }
        let read = try seconds {
            readPeak = try peakKilobytes(workflowctl, ["request", "file", id, "1", "--out", back, "--database", conninfo("bench_files")])
        }
        let loImport = try seconds { importPeak = try peakKilobytes(psql, ["-Xq", "-c", "\\lo_import '\(source)'", conninfo("bench_files")]) }
        let oid = try connection.query("SELECT max(oid)::text FROM pg_largeobject_metadata").first!.decode(0, as: String.self)
        let loExport = try seconds {
            exportPeak = try peakKilobytes(psql, ["-Xq", "-c", "\\lo_export \(oid) '\(exported)'", conninfo("bench_files")])
        }
        // The product's own check (the digest read back is the one recorded) ran; the sizes too.
        let stored = try store.files(id)
        for path in [back, exported] {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
            guard size == bytes, stored.first?.size == Int64(bytes) else {
                throw BenchFailure("\(path) holds \(size) bytes, the database \(stored.first?.size ?? -1), of \(bytes) sent")
            }
        }
        for path in [source, back, exported] { try? FileManager.default.removeItem(atPath: path) }
        return (attach, read, loImport, loExport, attachPeak, readPeak, importPeak, exportPeak)
    }

    // MARK: Invoices

    static let seller = EInvoiceWriter.Party(name: "Acme OÜ", code: "12345678")
    /// The organisation as a fresh database's settings name it (the invoices are addressed to it).
    static let buyer = EInvoiceWriter.Party(name: "Eesti Linnade ja Valdade Liit", code: "80000000")

    /// `count` accepted orders of ACME (the registry code the invoices name), and a drop folder
    /// holding one Peppol invoice for each, written as an operator would leave them.
    func seedInvoices(_ name: String, count: Int) throws -> String {
        let store = try seedACMEOrders(try freshDatabase(name), count: count, state: "accepted")
        let today = store.today
        let folder = work + "/invoices-" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for n in 1...count {
            let invoice = EInvoiceWriter(number: "A-\(n)", issueDate: today, seller: Self.seller, buyer: Self.buyer,
                                         order: "ORD-\(today.year)-" + String(repeating: "0", count: max(0, 7 - "\(n)".count)) + "\(n)",
                                         contract: "RL-1", vatRate: 24,
                                         lines: [EInvoiceWriter.Line(item: "Arendustöö", hours: 4, price: Money(cents: 6000)),
                                                 EInvoiceWriter.Line(item: "Testimine", hours: 2, price: Money(cents: 8000))])
            try invoice.data().write(to: URL(fileURLWithPath: folder + "/invoice-\(n).xml"))
        }
        return folder
    }

    /// Invoices per second that `workflowd --once --invoices DIR` takes in, each matched and moved to `done/`.
    func invoiceFolderImport(database: String, folder: String, count: Int) throws -> Double {
        var configuration = Daemon.Configuration(conninfo: conninfo(database))
        configuration.once = true
        configuration.invoicesDirectory = folder
        let daemon = Daemon(configuration: configuration, channels: [FileChannel(path: work + "/invoices-outbox.jsonl")],
                            log: Log(program: "bench") { _ in }, stop: StopSignal())
        var status: Int32 = 0
        let elapsed = seconds { status = daemon.run() }
        let done = try FileManager.default.contentsOfDirectory(atPath: folder + "/done").count
        guard status == 0, daemon.totals.invoicesDone == count, done == count else {
            throw BenchFailure("the drop folder run took in \(daemon.totals.invoicesDone) of \(count) invoices as matched, \(daemon.totals.invoicesHeld) held, "
                               + "\(daemon.totals.invoicesRefused) refused (exit \(status))")
        }
        return Double(count) / elapsed
    }

    /// The reference for the folder: psql inserting the same number of rows, one statement each, in one session.
    func psqlInserts(database: String, count: Int) throws -> Double {
        let psql = try EmbeddedCluster.binary("psql")
        let script = work + "/inserts.sql"
        var text = "CREATE TEMP TABLE t (n int, sha text);\n"
        for n in 1...count { text += "INSERT INTO t VALUES (\(n), md5('\(n)'));\n" }
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        let elapsed = try seconds { try runChecked(psql, ["-Xq", "-f", script, conninfo(database)]) }
        return Double(count) / elapsed
    }

    /// Peak memory of `workflowctl invoice import` of one invoice of about `mebibytes` MiB (many
    /// lines), beside the same import of a one-line invoice.
    func bigInvoiceImport(database: String, mebibytes: Int) throws -> (big: Int, small: Int, bytes: Int) {
        let connection = try Database.connect(conninfo(database))
        let store = WorkflowStore(connection: connection)
        let today = store.today
        try connection.executeScript("""
            INSERT INTO request (id, system, number, title, created_by, state, version)
            VALUES ('VOLIS-900001', 'VOLIS', 900001, 'Suur arve', session_user, 'accepted', 1),
                   ('VOLIS-900002', 'VOLIS', 900002, 'Väike arve', session_user, 'accepted', 1);
            INSERT INTO purchase_order (number, request_id, vendor, contract_id, price, vat_rate, vat, gross, order_date, deadline)
            SELECT 'ORD-\(today.year)-900000' || n, 'VOLIS-90000' || n, 'ACME', (SELECT id FROM contract), 100000000, 24, 24000000, 124000000,
                   '\(today)'::date, '\(today.adding(days: 30))'::date FROM generate_series(1, 2) n;
            """)
        let line = EInvoiceWriter.Line(item: "Arendustöö ülesanne", hours: 1, price: Money(cents: 100))
        let one = EInvoiceWriter(number: "S-1", issueDate: today, seller: Self.seller, buyer: Self.buyer, order: "ORD-\(today.year)-9000002",
                                 vatRate: 24, lines: [line])
        let perLine = EInvoiceWriter(number: "S-1", issueDate: today, seller: Self.seller, buyer: Self.buyer, order: "ORD-\(today.year)-9000002",
                                     vatRate: 24, lines: [line, line]).data().count - one.data().count
        let lines = mebibytes * 1_048_576 / perLine
        let big = EInvoiceWriter(number: "B-1", issueDate: today, seller: Self.seller, buyer: Self.buyer, order: "ORD-\(today.year)-9000001",
                                 vatRate: 24, lines: Array(repeating: line, count: lines)).data()
        try big.write(to: URL(fileURLWithPath: work + "/big-invoice.xml"))
        try one.data().write(to: URL(fileURLWithPath: work + "/small-invoice.xml"))
        let bigPeak = try peakKilobytes(workflowctl, ["invoice", "import", work + "/big-invoice.xml", "--database", conninfo(database)])
        let smallPeak = try peakKilobytes(workflowctl, ["invoice", "import", work + "/small-invoice.xml", "--database", conninfo(database)])
        let imported = try connection.query("SELECT count(*) FROM invoice WHERE number IN ('B-1', 'S-1') AND status = 'matched'").first!.decode(0, as: Int.self)
        guard imported == 2 else { throw BenchFailure("the big and the small invoice were not both matched (\(imported))") }
        return (bigPeak, smallPeak, big.count)
    }

    // MARK: The record's chains

    /// `requests` requests of `perRequest` history events each, chained by the database's own
    /// trigger as moves chain them (one INSERT per step number, so each event's predecessor exists).
    func seedChains(_ name: String, requests: Int, perRequest: Int) throws {
        let connection = try freshDatabase(name)
        try connection.executeScript("""
            INSERT INTO system (key, name) VALUES ('VOLIS', 'Volikogu infosüsteem');
            INSERT INTO request (id, system, number, title, created_by, state, version)
            SELECT 'VOLIS-' || n, 'VOLIS', n, 'Muudatus ' || n, session_user, 'delivered', \(perRequest) FROM generate_series(1, \(requests)) n;
            """)
        for seq in 1...perRequest {
            try connection.execute(SQL(unsafe: """
                INSERT INTO event (request_id, seq, transition, from_state, to_state, actor, by_login, at, inputs, audience)
                SELECT 'VOLIS-' || n, \(seq), 'deliver', 'ordered', 'delivered', 'piret', 'piret', now() - interval '1 day' + \(seq) * interval '1 second',
                       jsonb_build_object('note', 'Tarnitud versioon ' || n || '.' || \(seq)), '*'
                FROM generate_series(1, \(requests)) n
                """))
        }
        try connection.execute("VACUUM ANALYZE")
    }

    /// `workflowctl audit verify` beside psql's COPY of the same columns piped to sha256sum, and
    /// its peak memory.
    func verifyChains(database: String) throws -> (ours: Double, reference: Double, peak: Int) {
        let psql = try EmbeddedCluster.binary("psql")
        let copy = """
            COPY (SELECT request_id, seq, transition, from_state, to_state, actor, by_login, workflow.chain_micros(at), inputs, audience, \
            encode(prev, 'hex'), encode(hash, 'hex') FROM workflow.event ORDER BY request_id, seq) TO STDOUT
            """
        let pipeline = "'\(psql)' -Xq -c \"\(copy)\" '\(conninfo(database))' | sha256sum > /dev/null"
        let arguments = ["audit", "verify", "--database", conninfo(database)]
        var ours: [Double] = [], theirs: [Double] = []
        for _ in 0..<3 {
            ours.append(try seconds { try runChecked(workflowctl, arguments) })
            theirs.append(try seconds { try runChecked("/bin/bash", ["-c", "set -o pipefail; " + pipeline]) })
        }
        return (median(ours), median(theirs), try peakKilobytes(workflowctl, arguments))
    }
}
