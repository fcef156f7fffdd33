import Foundation
import Testing
@testable import DevWorkflow

/// Files kept with requests (sql/0009): attached in chunks, read back byte for byte with the
/// SHA-256 recorded in the history, seen by whom the database says, never half stored.
@Suite struct RequestFilesTests {
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// A reader that gives these chunks, then no more.
    static func reader(_ chunks: [[UInt8]]) -> (inout [UInt8]) throws -> Bool {
        var rest = chunks[...]
        return { buffer in
            guard let next = rest.popFirst() else { return false }
            buffer = next
            return true
        }
    }

    static func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = workPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    /// What the tables hold of a request's files, read by their owner.
    static func stored(_ f: Fixture, _ request: String) throws -> (files: Int, chunks: Int, attachEvents: Int, version: Int) {
        let row = try f.sql().query("""
            SELECT (SELECT count(*) FROM request_file WHERE request_id = \(request)),
                   (SELECT count(*) FROM request_file_chunk c JOIN request_file x ON x.id = c.file_id WHERE x.request_id = \(request)),
                   (SELECT count(*) FROM event WHERE request_id = \(request) AND transition = 'attach'),
                   (SELECT version FROM request WHERE id = \(request))
            """).first!
        return (try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3))
    }

    @Test func aFileOfSeveralChunksReadsBackByteForByteWithItsDigestInTheHistory() throws {
        let f = try Fixture()
        let store = try f.store()
        let id = try f.request(in: "prioritised")
        let before = try store.request(id).version
        let content = Self.bytes(2 * WorkflowStore.chunkSize + 12_345)
        let attached = try store.attach(id, path: try Self.write(content, "lähteülesanne.pdf"), kind: "spec")
        #expect(attached.number == 1 && attached.size == Int64(content.count) && attached.sha256 == Self.sha256(content))
        #expect(attached.name.hasSuffix("lähteülesanne.pdf") && attached.version == before + 1)
        #expect(try Self.stored(f, id).chunks == 3)

        let listed = try store.files(id)
        #expect(listed.map(\.number) == [1] && listed[0].sha256 == attached.sha256 && listed[0].kind == "spec" && listed[0].vendor == nil)
        var back: [UInt8] = []
        try store.readFile(id, 1) { back.append(contentsOf: $0) }
        #expect(back == content)

        // The attach event: transition-less (the state stays), the file's facts as its inputs.
        let (events, _) = try store.history(id)
        let event = try #require(events.last)
        #expect(event.transition == "attach" && event.from == "prioritised" && event.to == "prioritised" && event.seq == before + 1)
        #expect(event.inputs["sha256"]?.plain == attached.sha256 && event.inputs["size"]?.plain == String(content.count)
                && event.inputs["kind"]?.plain == "spec" && event.inputs["file"]?.plain == "1")
        // The request moves on as before, from its new version.
        _ = try store.move(WorkflowStore.MoveCall(id, "request_quote", inputs: TransitionInputs(vendors: ["ACME"]), expectedVersion: before + 1))

        // An empty file is a file too.
        let empty = try store.attach(id, name: "tühi.txt") { _ in false }
        #expect(empty.number == 2 && empty.size == 0 && empty.sha256 == Self.sha256([]))
    }

    /// The attach event is in the request's hash chain (0008): `audit verify` holds, and fails once
    /// the digest the event records is changed behind the product's back. A setting admins change
    /// is on the audit record.
    @Test func theDigestIsInTheHashChainAndSettingsAreAudited() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let content = Self.bytes(500, seed: 9)
        _ = try f.store().attach(id, name: "tõend.pdf", reading: Self.reader([content]))
        try f.store().setSetting("file_size_limit", "2000000")
        let database = try f.db.conninfo()
        let holds = try Binary.run("workflowctl", ["audit", "verify", "--database", database])
        #expect(holds.status == 0, "\(holds.stdout) \(holds.stderr)")
        let log = try Binary.run("workflowctl", ["--json", "audit", "log", "--kind", "setting", "--database", database])
        #expect(log.status == 0 && log.stdout.contains("file_size_limit") && log.stdout.contains("2000000"), "\(log.stdout) \(log.stderr)")
        try f.sql().executeScript("""
            SET session_replication_role = replica;
            UPDATE event SET inputs = jsonb_set(inputs, '{sha256}', to_jsonb(repeat('0', 64))) WHERE request_id = '\(id)' AND transition = 'attach';
            SET session_replication_role = DEFAULT;
            """)
        let broken = try Binary.run("workflowctl", ["--json", "audit", "verify", "--database", database])
        #expect(broken.status == 65 && broken.stdout.contains(id), "\(broken.stdout)")
    }

    /// Reading back checks the bytes against the digest recorded at attach: a chunk changed behind
    /// the product's back (by the tables' owner, past the append-only trigger) is refused, and
    /// --out leaves no file.
    @Test func aFileChangedInTheDatabaseIsRefusedWhenReadBack() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let content = Self.bytes(3000, seed: 5)
        _ = try f.store().attach(id, name: "leping.pdf", reading: Self.reader([content]))
        try f.sql().executeScript("""
            SET session_replication_role = replica;
            UPDATE request_file_chunk SET data = set_byte(data, 99, (get_byte(data, 99) + 1) % 256)
            WHERE file_id = (SELECT id FROM request_file WHERE request_id = '\(id)');
            SET session_replication_role = DEFAULT;
            """)
        let out = workPath("leping.pdf")
        let run = try Binary.run("workflowctl", ["--json", "request", "file", id, "1", "--out", out, "--database", try f.db.conninfo()])
        #expect(run.status == 65 && run.stdout.contains("error.file_digest_mismatch") && run.stdout.contains(Self.sha256(content)), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// The history is the evidence: bytes replaced together with the file's own copy of the
    /// digest (triggers off, as a superuser could) are refused when read back, named by `audit
    /// verify`, and the act keeps the history's digest. Bytes replaced alone are found by
    /// `audit verify --files`.
    @Test func aFileSwappedWithItsDigestIsCaughtAgainstItsHistory() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let content = Self.bytes(2000, seed: 11), forged = Self.bytes(2000, seed: 12)
        _ = try f.store().attach(id, name: "lähteülesanne.pdf", kind: "spec", reading: Self.reader([content]))
        let database = try f.db.conninfo()
        let clean = try Binary.run("workflowctl", ["--json", "audit", "verify", "--files", "--database", database])
        #expect(clean.status == 0 && clean.stdout.contains(#""files": 1"#), "\(clean.stdout) \(clean.stderr)")

        // The bytes alone: the file's copy still says the old digest.
        try f.sql().executeScript("""
            SET session_replication_role = replica;
            UPDATE request_file_chunk SET data = '\\x\(forged.map { String(format: "%02x", $0) }.joined())'::bytea
            WHERE file_id = (SELECT id FROM request_file WHERE request_id = '\(id)');
            SET session_replication_role = DEFAULT;
            """)
        #expect(try Binary.run("workflowctl", ["audit", "verify", "--database", database]).status == 0)
        let hashed = try Binary.run("workflowctl", ["--json", "audit", "verify", "--files", "--database", database])
        #expect(hashed.status == 65 && hashed.stdout.contains("\(id) file 1") && hashed.stdout.contains(Self.sha256(forged)), "\(hashed.stdout)")

        // And the copy of the digest set to match.
        try f.sql().executeScript("""
            SET session_replication_role = replica;
            UPDATE request_file SET sha256 = '\(Self.sha256(forged))' WHERE request_id = '\(id)';
            SET session_replication_role = DEFAULT;
            """)
        let read = try Binary.run("workflowctl", ["--json", "request", "file", id, "1", "--out", workPath("swapped.pdf"), "--database", database])
        #expect(read.status == 65 && read.stdout.contains("error.file_digest_mismatch") && read.stdout.contains(Self.sha256(content)), "\(read.stdout)")
        let verify = try Binary.run("workflowctl", ["--json", "audit", "verify", "--database", database])
        #expect(verify.status == 65, "\(verify.stdout)")
        let problem = try JSONValue.parse(verify.stdout)["error"]
        #expect(problem?["message_key"]?.plain == "audit.problem.file" && verify.stdout.contains("\(id) file 1"), "\(verify.stdout)")
        #expect(verify.stdout.contains(Self.sha256(content)) && verify.stdout.contains(Self.sha256(forged)), "\(verify.stdout)")
    }

    @Test func aNameIsCleanedToStoreAndShownAsGiven() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let file = try f.store().attach(id, name: "../../etc/pass\u{1B}wd\\x.txt", reading: Self.reader([Array("x".utf8)]))
        #expect(file.name == "../../etc/pass\u{1B}wd\\x.txt")
        #expect(file.storedName == "_.._etc_passwd_x.txt")
        // Read to standard output, the name plays no part; --out names the file.
        let out = workPath("valitud-nimi.txt")
        let result = try Binary.run("workflowctl", ["request", "file", id, "1", "--out", out, "--database", f.db.conninfo()])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "x")

        // --out a folder: the file goes in under its cleaned name, and never over a file there.
        let folder = workPath("kaust-\(id)")
        try FileManager.default.createDirectory(atPath: folder + "/etc", withIntermediateDirectories: true)
        let arguments = ["--json", "request", "file", id, "1", "--out", folder, "--database", try f.db.conninfo()]
        let into = try Binary.run("workflowctl", arguments)
        #expect(into.status == 0, "\(into.stderr)")
        #expect(try JSONValue.parse(into.stdout)["file"]?.plain == folder + "/_.._etc_passwd_x.txt", "\(into.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["_.._etc_passwd_x.txt", "etc"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/etc") == [])
        try "mine".write(toFile: folder + "/_.._etc_passwd_x.txt", atomically: false, encoding: .utf8)
        let again = try Binary.run("workflowctl", arguments)
        #expect(again.status == 74 && again.stdout.contains("File exists"), "\(again.stdout)")
        #expect(try String(contentsOfFile: folder + "/_.._etc_passwd_x.txt", encoding: .utf8) == "mine")
        let dotted = try f.store().attach(id, name: ".bashrc", reading: Self.reader([Array("y".utf8)]))
        #expect(dotted.storedName == "bashrc")
    }

    /// Who sees which file: staff every one; a vendor the files of the requests it sees that are
    /// for every vendor, and its own; nobody without a person record anything.
    @Test func eachRoleSeesTheFilesTheDatabaseShowsIt() throws {
        let f = try Fixture()
        let admin = try f.store()
        let id = try f.request(in: "quote_requested")        // ACME and BETA invited
        let hiddenFromVendors = try f.request(in: "prioritised")
        func put(_ store: WorkflowStore, _ name: String, kind: String = "other", isInternal: Bool = false) throws {
            _ = try store.attach(id, path: try Self.write(Array(name.utf8), name), kind: kind, isInternal: isInternal)
        }
        try put(admin, "spec.pdf", kind: "spec")                       // 1: every vendor
        try put(admin, "notes.txt", isInternal: true)                     // 2: staff only
        try put(try f.store(as: f.vendorA), "acme-quote.pdf", kind: "quote")   // 3: ACME and staff
        try put(admin, "beta-quote-copy.pdf", kind: "quote")            // 4: staff's copy of a quote
        try put(try f.store(as: f.vendorB), "beta-plan.pdf")            // 5: BETA and staff
        _ = try admin.attach(hiddenFromVendors, path: try Self.write([1, 2, 3], "x.bin"))

        func numbers(_ login: String?) throws -> [Int] { try f.store(as: login).files(id).map(\.number) }
        for login in [nil, f.owner, f.otherOwner, f.requester] { #expect(try numbers(login) == [1, 2, 3, 4, 5], "\(login ?? "admin")") }
        #expect(try numbers(f.vendorA) == [1, 3])
        #expect(try numbers(f.vendorB) == [1, 5])
        #expect(try f.store(as: f.vendorA).files(id).first { $0.number == 3 }?.vendor == "ACME")

        // A hidden file is refused like a missing one; a hidden request too.
        for (login, number) in [(f.vendorA, 2), (f.vendorA, 5), (f.vendorB, 3), (f.vendorB, 4), (f.vendorA, 99)] {
            #expect(throws: WorkflowError.self) { try f.store(as: login).readFile(id, number) { _ in } }
            let refused = try Binary.run("workflowctl", ["request", "file", id, "\(number)", "--database", f.db.conninfo(user: login)])
            #expect(refused.status == 66, "\(login) file \(number): \(refused.stderr)")
        }
        let hidden = try Binary.run("workflowctl", ["request", "files", hiddenFromVendors, "--database", f.db.conninfo(user: f.vendorA)])
        #expect(hidden.status == 66)
        let nobody = try Binary.run("workflowctl", ["request", "files", id, "--database", f.db.conninfo(user: f.nobody)])
        #expect(nobody.status == 77)
        var seen: [UInt8] = []
        try f.store(as: f.vendorB).readFile(id, 5) { seen.append(contentsOf: $0) }
        #expect(seen == Array("beta-plan.pdf".utf8))

        // Only staff keep a file internal; a vendor's users read no table of files.
        let internalByVendor = try Binary.run("workflowctl", ["request", "attach", id, try Self.write([1], "y.bin"), "--internal",
                                                              "--database", f.db.conninfo(user: f.vendorA)])
        #expect(internalByVendor.status == 77, "\(internalByVendor.stderr)")
        for table in ["request_file", "request_file_chunk", "setting"] {
            #expect(throws: PostgresError.self) { try f.sql(as: f.vendorA).query(SQL(unsafe: "SELECT count(*) FROM workflow.\(table)")) }
        }
    }

    /// A vendor's report lists the files of its requests it may read, each with its digest: the
    /// same rows whether staff (reading the tables) or the vendor's own login asks.
    @Test func theVendorReportListsTheFilesItsVendorMayReadWithTheirDigests() throws {
        let f = try Fixture()
        let admin = try f.store()
        let id = try f.request(in: "quote_requested")        // ACME and BETA invited
        let spec = Self.bytes(5000, seed: 11), own = Self.bytes(70, seed: 12)
        _ = try admin.attach(id, name: "Lähteülesanne.pdf", kind: "spec", reading: Self.reader([spec]))
        _ = try admin.attach(id, name: "sisemine.txt", isInternal: true, reading: Self.reader([[1]]))
        _ = try f.store(as: f.vendorA).attach(id, name: "acme-pakkumine.pdf", kind: "quote", reading: Self.reader([own]))
        _ = try f.store(as: f.vendorB).attach(id, name: "beta-pakkumine.pdf", kind: "quote", reading: Self.reader([[2]]))
        _ = try admin.attach(try f.request(in: "prioritised"), name: "teine.pdf", kind: "spec", reading: Self.reader([[3]]))
        let expected: JSONValue = .array([
            .object([("request", .string(id)), ("system", .string("VOLIS")), ("file", .int(1)), ("file_name", .string("Lähteülesanne.pdf")),
                     ("kind", .string("spec")), ("size", .int(5000)), ("sha256", .string(Self.sha256(spec)))]),
            .object([("request", .string(id)), ("system", .string("VOLIS")), ("file", .int(3)), ("file_name", .string("acme-pakkumine.pdf")),
                     ("kind", .string("quote")), ("size", .int(70)), ("sha256", .string(Self.sha256(own)))]),
        ])
        for login in [nil, f.vendorA] {
            let run = try Binary.run("workflowctl", ["report", "vendor", "ACME", "--format", "json", "--database", f.db.conninfo(user: login)])
            #expect(run.status == 0, "\(run.stderr)")
            let report = try JSONValue.parse(run.stdout)
            guard case let .array(sections)? = report["sections"], let files = sections.first(where: { $0["id"]?.plain == "files" }),
                  case let .array(rows)? = files["rows"] else {
                Issue.record("no files section: \(run.stdout.prefix(400))")
                continue
            }
            // The date is today's in Tallinn; the rest is compared whole.
            #expect(JSONValue.array(rows.map { row in
                guard case let .object(fields) = row else { return row }
                return .object(fields.filter { $0.0 != "attached_on" })
            }) == expected, "\(login ?? "admin"): \(rows.map(\.text))")
            #expect(rows.allSatisfy { $0["attached_on"]?.plain.count == 10 })
        }
        let markdown = try Binary.run("workflowctl", ["report", "vendor", "ACME", "--format", "md", "--database", f.db.conninfo(user: f.vendorA)])
        #expect(markdown.stdout.contains("## Files") && markdown.stdout.contains(Self.sha256(own)) && markdown.stdout.contains("specification")
                && !markdown.stdout.contains("beta-pakkumine"), "\(markdown.stdout)")
    }

    /// Nothing half-stored: workflowctl killed mid-upload (its file a pipe the test feeds, so it
    /// is surely in the middle) leaves no file, no chunk and no event.
    @Test func anUploadKilledMidWayLeavesNothing() throws {
        let f = try Fixture()
        let id = try f.request(in: "prioritised")
        let before = try Self.stored(f, id)
        let fifo = workPath("upload.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Read-write, so opening does not wait for the reader and the pipe stays open after writing.
        let feed = open(fifo, O_RDWR)
        defer { close(feed) }
        let upload = try BackgroundProcess("workflowctl", ["request", "attach", id, fifo, "--database", f.db.conninfo()],
                                           logPath: workPath("attach.log"))
        let chunk = Self.bytes(WorkflowStore.chunkSize)
        for _ in 0..<3 { chunk.withUnsafeBytes { #expect(Foundation.write(feed, $0.baseAddress, $0.count) == $0.count) } }
        // Two chunks are stored in its open transaction (the third waits for more bytes).
        let watcher = try f.sql()
        #expect(try eventually(20) {
            try watcher.query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE application_name = 'workflowctl' AND backend_xid IS NOT NULL AND datname = current_database()
                """).first!.decode(0, as: Int.self) == 1
        }, "the upload's transaction is open")
        upload.signal(SIGKILL)
        #expect(upload.wait(timeout: 10) != nil)
        #expect(try eventually(20) {
            try watcher.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'workflowctl' AND datname = current_database()")
                .first!.decode(0, as: Int.self) == 0
        })
        let after = try Self.stored(f, id)
        #expect(after.files == before.files && after.chunks == 0 && after.attachEvents == 0 && after.version == before.version)
    }

    /// The same when the connection is lost (the server ends the session mid-upload), and when
    /// the reader fails: the library throws, the database kept nothing.
    @Test func aLostConnectionOrAFailingReaderLeavesNothing() throws {
        let f = try Fixture()
        let id = try f.request(in: "prioritised")
        let store = try f.store()
        let killer = try f.sql()
        var sent = 0
        #expect(throws: WorkflowError.self) {
            _ = try store.attach(id, name: "katki.bin") { buffer in
                sent += 1
                if sent == 3 { try killer.execute("SELECT pg_terminate_backend(\(store.connection.backendPID))") }
                buffer = Self.bytes(200_000, seed: UInt64(sent))
                return sent < 6
            }
        }
        let reader = try f.store()
        #expect(throws: WorkflowError.self) {
            _ = try reader.attach(id, name: "pool.bin") { buffer in
                buffer = [1, 2, 3]
                throw WorkflowError(.ioError, Message("error.cannot_read", ["path": "pool.bin", "reason": "Input/output error"]))
            }
        }
        let after = try Self.stored(f, id)
        #expect(after.files == 0 && after.chunks == 0 && after.attachEvents == 0)
        // The reader's connection is usable again after its rollback.
        #expect(try reader.attach(id, name: "terve.bin", reading: Self.reader([[7]])).number == 1)
    }

    /// The size limit is a setting admins change; a file over it is refused before it is sent
    /// when its size is known, at the chunk that passes it otherwise.
    @Test func theSizeLimitIsASettingAndAFileOverItIsRefused() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let admin = try f.store()
        #expect(try admin.list(.settings).contains { $0["key"]?.plain == "file_size_limit" && $0["value"]?.plain == "104857600" })
        #expect(throws: WorkflowError.self) { try f.store(as: f.owner).setSetting("file_size_limit", "10") }
        #expect(try admin.setSetting("file_size_limit", "1000") == "1000")
        for bad in ["0", "-5", "ten", "1099511627777"] {
            #expect(throws: WorkflowError.self, "\(bad)") { try admin.setSetting("file_size_limit", bad) }
        }

        let tooBig = try Self.write(Self.bytes(1001), "suur.bin")
        let refused = try Binary.run("workflowctl", ["--json", "request", "attach", id, tooBig, "--database", f.db.conninfo()])
        #expect(refused.status == 65 && refused.stdout.contains("error.file_too_large"), "\(refused.stdout)")
        do {
            var chunks = 0
            _ = try admin.attach(id, name: "voog.bin") { buffer in
                chunks += 1
                buffer = Self.bytes(600)
                return chunks <= 2
            }
            Issue.record("a stream over the limit was stored")
        } catch let error as WorkflowError {
            #expect(error.text.key == "error.file_too_large" && error.code == .invalidData)
        }
        #expect(try Self.stored(f, id).files == 0)
        #expect(try admin.attach(id, path: try Self.write(Self.bytes(1000), "paras.bin")).size == 1000)
    }

    // MARK: The acceptance act

    /// The act names what the history knows: who delivered (the vendor's user) and who accepted
    /// (the product owner), every delivery with its note once the work was returned, the holds
    /// with their reasons (request_holds()'s periods, as the penalties count them), and the
    /// warranty that starts with the acceptance.
    @Test func theActNamesThePeopleEveryDeliveryTheHoldsAndTheWarranty() throws {
        let f = try Fixture()
        _ = try f.sql().query("SELECT workflow.set_contract_terms('RL-ACME', 24, 5, 0.5, 10)")
        let id = try f.request(in: "ordered")
        let order = try #require(try f.store().request(id).orderNumber)
        let owner = try f.store(as: f.owner), vendor = try f.store(as: f.vendorA)
        _ = try owner.move(id, "hold", inputs: TransitionInputs(reason: "Ootame testandmeid"))
        _ = try owner.move(id, "resume", inputs: TransitionInputs())
        _ = try vendor.move(id, "deliver", inputs: TransitionInputs(note: "Esimene versioon"))
        _ = try owner.move(id, "return", inputs: TransitionInputs(reason: "Eksport katkeb"))
        _ = try vendor.move(id, "deliver", inputs: TransitionInputs(note: "Parandatud eksport"))
        _ = try owner.move(id, "accept", inputs: TransitionInputs())
        // A history the rules would not let a test write: the hold put three days before it was lifted.
        try f.tamper("UPDATE event SET at = at - interval '3 days' WHERE request_id = '\(id)' AND transition = 'hold'")
        let held = Fixture.today.adding(days: -3)
        let terms = try f.sql().query("SELECT warranty_months, workflow.warranty_end(o)::text FROM workflow.purchase_order o WHERE number = \(order)").first!
        #expect(try terms.decode(0, as: Int32.self) == 24)
        let until = try LocalDate(parsing: try terms.decode(1, as: String.self))
        let act = try f.store().act(order)
        #expect(act.buyerSignatory.name == "Piret Omanik" && act.vendorSignatory.name == "Anna Acme")
        #expect(act.deliveries.map(\.note) == ["Esimene versioon", "Parandatud eksport"])
        #expect(act.holds == [AcceptanceAct.Hold(from: held, to: Fixture.today, reason: "Ootame testandmeid")])
        #expect(act.warranty == AcceptanceAct.Warranty(months: 24, until: until, fixDays: 5))
        let english = act.render(.markdown, language: .en)
        for fact in ["- **Delivered by:** Anna Acme", "- **Accepted by:** Piret Omanik",
                     "- **Warranty:** 24 months, until \(until); defects are fixed within 5 business days",
                     "| 1 | \(Fixture.today) | Esimene versioon |", "| 2 | \(Fixture.today) | Parandatud eksport |",
                     "| 1 | \(held) | \(Fixture.today) | Ootame testandmeid |"] {
            #expect(english.contains(fact), "\(fact)\n\(english)")
        }
        #expect(act.render(.markdown, language: .et).contains("vead parandatakse 5 tööpäeva jooksul"))
    }

    @Test func theActOfAnAcceptedOrderIsWrittenInEveryFormatAndLanguage() throws {
        let f = try Fixture()
        let id = try f.request(in: "delivered")
        let store = try f.store()
        _ = try store.attach(id, path: try Self.write(Array("test report".utf8), "testiaruanne.txt"), kind: "test_report")
        _ = try store.move(id, "accept")
        let order = try #require(try store.request(id).orderNumber)
        let database = try f.db.conninfo()
        for language in Language.allCases {
            for format in AcceptanceAct.Format.allCases {
                let first = workPath("akt.\(format.fileExtension)"), second = workPath("akt2.\(format.fileExtension)")
                for out in [first, second] {
                    let result = try Binary.run("workflowctl", ["order", "act", order, "--lang", language.rawValue, "--out", out, "--database", database])
                    #expect(result.status == 0, "\(format) \(language): \(result.stderr)")
                }
                let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
                #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second))), "\(format) \(language): the same bytes twice")
                let text: String
                if format == .pdf {
                    let check = try PDFTools.run("qpdf", ["--check", first])
                    #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors found"), "\(check.stdout)")
                    text = PDFTools.spaced(try PDFTools.text(of: first))
                } else {
                    // A break opportunity (<wbr>) is not in the text a reader sees or copies.
                    text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "<wbr>", with: "")
                }
                for fact in [order, id, Message("act.title").text(language), "Eesti Linnade ja Valdade Liit", TestDatabase.buyerCode, "RL-ACME",
                             Self.sha256(Array("test report".utf8)).prefix(32).description, "testiaruanne.txt"] {
                    #expect(text.contains(fact), "\(format) \(language): \(fact)")
                }
            }
        }
        // Markdown on standard output by default format from --format.
        let md = try Binary.run("workflowctl", ["order", "act", order, "--format", "md", "--lang", "en", "--database", database])
        #expect(md.status == 0 && md.stdout.hasPrefix("# Acceptance act No. \(order)"), "\(md.stdout.prefix(200))")
    }

    /// The act lists the files both parties read: staff's internal files and another vendor's
    /// stay out, so that staff and the ordered vendor get the same bytes.
    @Test func staffAndTheOrderedVendorGetTheSameActWithTheFilesBothRead() throws {
        let f = try Fixture()
        let admin = try f.store()
        let id = try f.request(in: "delivered")                 // ordered from ACME
        let order = try #require(try admin.request(id).orderNumber)
        _ = try admin.attach(id, name: "üleandmispakett.zip", kind: "delivery", reading: Self.reader([[1, 2, 3]]))
        _ = try admin.attach(id, name: "sisemärkmed.txt", isInternal: true, reading: Self.reader([[4]]))
        _ = try f.store(as: f.vendorA).attach(id, name: "acme-testiaruanne.pdf", kind: "test_report", reading: Self.reader([[5]]))
        _ = try admin.move(id, "accept")
        let staff = try admin.act(order), vendor = try f.store(as: f.vendorA).act(order)
        #expect(staff.files.map(\.name) == ["üleandmispakett.zip", "acme-testiaruanne.pdf"], "\(staff.files)")
        // The act is of what was accepted: a file attached afterwards (the signed act itself) does
        // not change it, and it is the same bytes when printed again.
        _ = try admin.attach(id, name: "allkirjastatud akt.asice", kind: "acceptance", reading: Self.reader([[6]]))
        let again = try admin.act(order)
        #expect(again.files.map(\.name) == staff.files.map(\.name))
        for language in Language.allCases {
            #expect(again.render(.pdf, language: language) == staff.render(.pdf, language: language), "\(language)")
        }
        for language in Language.allCases {
            #expect(staff.render(.pdf, language: language) == vendor.render(.pdf, language: language), "\(language)")
        }
        // Nor does an edit of the title or the description after the acceptance: the act names
        // the request as it was accepted.
        let accepted = try admin.request(id).title
        _ = try admin.edit(id, title: "Pealkiri pärast vastuvõttu", description: "Uus kirjeldus")
        _ = try admin.edit(id, title: "Veel üks pealkiri")
        let edited = try admin.act(order)
        #expect(edited.render(.markdown, language: .et) == staff.render(.markdown, language: .et))
        #expect(edited.render(.markdown, language: .et).contains(accepted))
        let pdf = workPath("akt-\(id).pdf")
        let run = try Binary.run("workflowctl", ["order", "act", order, "--out", pdf, "--database", f.db.conninfo(user: f.vendorA)])
        #expect(run.status == 0, "\(run.stderr)")
        let text = PDFTools.spaced(try PDFTools.text(of: pdf))
        #expect(text.contains("üleandmispakett.zip") && text.contains(Self.sha256([1, 2, 3]).prefix(32)) && !text.contains("sisemärkmed"), "\(text)")
    }

    /// The vendor's user has a Russian name: `order act` embeds the fonts that draw it and says
    /// nothing; without the fonts it draws "?" and names the package that has them; with a broken
    /// font file, that file.
    @Test func anActNamingACyrillicUserEmbedsTheFontsAndWarnsOnlyWithoutThem() throws {
        let f = try Fixture()
        _ = try f.store().editPerson(f.vendorA, name: "Дмитрий Иванов")
        let id = try f.request(in: "ordered")
        _ = try f.store(as: f.vendorA).move(id, "deliver", inputs: TransitionInputs(note: "Первая версия, Ωmega"))
        _ = try f.store(as: f.owner).move(id, "accept", inputs: TransitionInputs())
        let order = try #require(try f.store().request(id).orderNumber)
        let database = try f.db.conninfo()
        func act(fonts: String, language: String = "en") throws -> (run: Binary.Result, text: String, path: String) {
            let path = workPath("act-\(language).pdf")
            let run = try Binary.run("workflowctl", ["order", "act", order, "--lang", language, "--out", path, "--database", database],
                                     environment: ["WORKFLOW_PDF_FONTS": fonts])
            return (run, run.status == 0 ? try PDFTools.text(of: path) : "", path)
        }
        for language in ["en", "et"] {
            let embedded = try act(fonts: try FontSamples.folder(), language: language)
            #expect(embedded.run.status == 0 && embedded.run.stderr.isEmpty, "\(language): \(embedded.run.stderr)")
            #expect(embedded.text.contains("Дмитрий Иванов") && embedded.text.contains("Первая версия, Ωmega"), "\(embedded.text)")
            let check = try PDFTools.run("qpdf", ["--check", embedded.path])
            #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors found"), "\(check.stdout)")
            #expect(try PDFTools.fonts(of: embedded.path).allSatisfy { $0.type == "CID TrueType" && $0.flags == "yes yes yes" })
        }

        let missing = try act(fonts: "/nonexistent-fonts")
        #expect(missing.run.status == 0, "\(missing.run.stderr)")
        #expect(missing.run.stderr.hasPrefix("workflowctl: warning: the PDF's standard fonts lack "), "\(missing.run.stderr)")
        #expect(missing.run.stderr.contains("(/nonexistent-fonts/LiberationSans-Regular.ttf): install the Debian package fonts-liberation, or set WORKFLOW_PDF_FONTS"),
                "\(missing.run.stderr)")
        #expect(missing.text.contains("??????? ??????") && !missing.text.contains("Дмитрий"), "\(missing.text)")
        #expect(try PDFTools.fonts(of: missing.path).allSatisfy { $0.type == "Type 1" && $0.flags == "no no yes" })

        let folder = try FontSamples.folder(named: "cli-broken-fonts") { style, bytes in style == .regular ? Array(bytes.prefix(2_000)) : bytes }
        let broken = try act(fonts: folder, language: "et")
        #expect(broken.run.status == 0 && broken.run.stderr.contains("fondifaili \(folder)/LiberationSans-Regular.ttf ei saanud kasutada"), "\(broken.run.stderr)")
        #expect(broken.text.contains("??????? ??????"), "\(broken.text)")
    }

    @Test func theActIsRefusedBeforeAcceptanceAndToOtherVendors() throws {
        let f = try Fixture()
        let store = try f.store()
        let ordered = try #require(try store.request(try f.request(in: "ordered")).orderNumber)
        let accepted = try #require(try store.request(try f.request(in: "released")).orderNumber)
        func run(_ order: String, _ login: String?) throws -> Int32 {
            try Binary.run("workflowctl", ["order", "act", order, "--format", "md", "--database", f.db.conninfo(user: login)]).status
        }
        #expect(try run(ordered, nil) == 65)
        #expect(try run("ORD-2099-0001", nil) == 66)
        #expect(try run(accepted, nil) == 0)
        #expect(try run(accepted, f.vendorA) == 0)      // the ordered vendor
        #expect(try run(accepted, f.vendorB) == 66)     // another vendor: as if there were no such order
        #expect(try run(accepted, f.requester) == 0)
        #expect(try run(accepted, f.nobody) == 77)
        // The buyer is a setting admins change.
        try store.setSetting("organisation_name", "Tartu Linnavalitsus")
        try store.setSetting("organisation_registry_code", "75006546")
        #expect(throws: WorkflowError.self) { try store.setSetting("organisation_registry_code", "123") }
        let act = try store.act(accepted)
        #expect(act.buyer == AcceptanceAct.Party(name: "Tartu Linnavalitsus", registryCode: "75006546"))
        // The vendor's registry code and the order's VAT and gross, as the money issue (0007) keeps them.
        let money = try f.sql().query("SELECT vat_rate::text, vat::text, gross::text FROM purchase_order WHERE number = \(accepted)").first!
        let (rate, vat, gross) = (try money.decode(0, as: String.self), try money.decode(1, as: String.self), try money.decode(2, as: String.self))
        #expect(act.vendor.name == "Acme OÜ" && act.vendor.registryCode == Fixture.acmeCode)
        #expect(act.vat == AcceptanceAct.VAT(ratePercent: Decimal(string: rate)!, amount: try Money(parsing: vat)), "\(rate) \(vat)")
        #expect(act.gross == (try Money(parsing: gross)) && act.gross != act.net)
        #expect(act.deliveries.count == 1 && act.returns.isEmpty && act.net == Money(cents: 100_000))
        let text = act.render(.markdown, language: .en)
        #expect(text.contains(Fixture.acmeCode), "\(text)")
    }
}
