import Foundation
import Testing
@testable import DevWorkflow

/// Every change on the record, and the record tamper-evident (issue 16): the audit log, the hash
/// chains recomputed by `audit verify`, seals, and redaction that keeps the chains holding. The
/// tampering is done as a superuser with triggers disabled, as an insider would.
@Suite struct AuditTrailTests {
    static func ctl(_ f: Fixture, _ arguments: [String], as login: String? = nil) throws -> Binary.Result {
        try Binary.run("workflowctl", arguments + ["--database", try f.db.conninfo(user: login)], environment: ["LANG": "en_US.UTF-8"])
    }

    static func log(_ f: Fixture, kind: String) throws -> [JSONValue] {
        try f.store().auditLog(kind: kind)
    }

    @Test func everyConfigurationChangeIsRecordedWithWhoWhenAndTheOldAndNewValues() throws {
        let f = try Fixture()
        let admin = try f.store()
        // The fixture's own setup is on the record: systems, vendors, contracts, budgets, people.
        for kind in ["system", "vendor", "contract", "budget", "person", "person_system"] {
            #expect(try !Self.log(f, kind: kind).isEmpty, "\(kind)")
        }
        try admin.setBudget(system: "VOLIS", year: Fixture.today.year, amount: Money(cents: 20_000_000))
        let raised = try Self.log(f, kind: "budget").last!
        #expect(raised["action"]?.plain == "update")
        #expect(raised["object"]?.plain == "VOLIS/\(Fixture.today.year)")
        #expect(raised["old"] == .object([("amount", .number("100000.00"))]))
        #expect(raised["new"] == .object([("amount", .number("200000.00"))]))
        #expect(raised["login"]?.plain == f.admin)
        #expect(raised["acting"] == .null)

        // An order changes what is used of the budget: derived, not a change anyone made.
        let before = try Self.log(f, kind: "budget").count
        _ = try f.request(in: "ordered")
        #expect(try Self.log(f, kind: "budget").count == before)

        try admin.addClosure(LocalDate(year: Fixture.today.year, month: 12, day: 31)!, note: "vana-aasta")
        try admin.setReminderRule("deadline_passed", enabled: nil, days: nil, repeat: 4, escalate: nil)
        try admin.setVATRate(from: LocalDate(year: 2099, month: 1, day: 1)!, rate: 25)
        #expect(try Self.log(f, kind: "calendar_closure").last?["new"]?["note"]?.plain == "vana-aasta")
        #expect(try Self.log(f, kind: "reminder_rule").last?["new"]?["repeat_max"] != nil || Self.log(f, kind: "reminder_rule").last?["action"]?.plain == "update")
        #expect(try Self.log(f, kind: "vat_rate").last?["object"]?.plain == "2099-01-01")

        // --as: the login and the person acted for are both recorded.
        try admin.addPerson(login: "adm2_\(f.db.name.suffix(8))", name: "Teine Admin", email: "adm2@example.ee", role: .admin)
        let acting = WorkflowStore(connection: try Database.connect(try f.db.conninfo(), actAs: "adm2_\(f.db.name.suffix(8))"))
        try acting.addClosure(LocalDate(year: Fixture.today.year, month: 12, day: 30)!, note: "as")
        let asRecord = try Self.log(f, kind: "calendar_closure").last!
        #expect(asRecord["login"]?.plain == f.admin)
        #expect(asRecord["acting"]?.plain == "adm2_\(f.db.name.suffix(8))")

        // The command line lists them, and --since and --kind narrow it.
        let listed = try Self.ctl(f, ["audit", "log", "--kind", "budget"])
        #expect(listed.status == 0, "\(listed.stderr)")
        // For people: the action in words, then each field changed, old → new, as the language writes numbers.
        let en = ReportFormatting.for(.en)
        #expect(listed.stdout.contains("changed budget VOLIS/\(Fixture.today.year)\n      amount: \(en.decimal("100000.00")) → \(en.decimal("200000.00"))"),
                "\(listed.stdout)")
        let systems = try Binary.run("workflowctl", ["audit", "log", "--kind", "system", "--database", try f.db.conninfo()], environment: ["LANG": "et_EE.UTF-8"])
        // In Estonian the record's kind and fields are Estonian words too.
        #expect(systems.stdout.contains("lisas süsteemi VOLIS\n      võti: VOLIS\n      nimi: ") && !systems.stdout.contains("+02:00")
                && !systems.stdout.contains("=,"), "\(systems.stdout)")
        let budgets = try Binary.run("workflowctl", ["audit", "log", "--kind", "budget", "--database", try f.db.conninfo()], environment: ["LANG": "et_EE.UTF-8"])
        #expect(budgets.stdout.contains("lisas eelarve VOLIS/\(Fixture.today.year)\n") && budgets.stdout.contains("      aasta: \(Fixture.today.year)\n"),
                "a year without a thousands' separator: \(budgets.stdout)")
        let json = try Self.ctl(f, ["audit", "log", "--since", "\(Fixture.today.adding(days: 1))", "--json"])
        #expect(json.status == 0)
        #expect(try JSONValue.parse(json.stdout)["audit"] == .array([]))
        // A vendor and a requester do not read it (77); a vendor's login sees no row in psql either.
        #expect(try Self.ctl(f, ["audit", "log"], as: f.vendorA).status == 77)
        #expect(try Self.ctl(f, ["audit", "verify"], as: f.requester).status == 77)
        #expect(throws: PostgresError.self) { try f.sql(as: f.vendorA).query("SELECT count(*) FROM workflow.audit") }
    }

    @Test func theRecordIsAppendOnlyForEveryRoleTheOwnerIncluded() throws {
        let f = try Fixture()
        try f.store().comment(try f.request(in: "prioritised"), "Kommentaar")
        let owner = try f.db.connect()
        for statement in ["UPDATE workflow.audit SET object = 'x' WHERE seq = 1", "DELETE FROM workflow.audit WHERE seq = 1",
                          "TRUNCATE workflow.audit", "UPDATE workflow.event SET actor = 'x'", "UPDATE workflow.comment SET body = 'x'"] {
            #expect(throws: PostgresError.self, "\(statement)") { try owner.execute(SQL(unsafe: statement)) }
        }
        // Setting the redaction flag by hand does not let the owner change what the chain covers.
        #expect(throws: PostgresError.self) {
            try owner.executeScript("BEGIN; SET LOCAL devworkflow.redacting = 'on'; UPDATE workflow.audit SET object = 'x', redacted_at = now() WHERE seq = 1; COMMIT;")
        }
        _ = try? owner.execute("ROLLBACK")
        #expect(throws: PostgresError.self) { try f.sql(as: f.owner).execute("INSERT INTO workflow.audit (seq, kind, action, object, prev, hash) VALUES (0, 'x', 'seal', 'x', '\\x', '\\x')") }
    }

    @Test func verifyHoldsOnAnHonestRecordAndNamesAnEditedEvent() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        try f.store().comment(id, "Palun kiiremini")
        let honest = try Self.ctl(f, ["audit", "verify", "--json"])
        #expect(honest.status == 0, "\(honest.stderr)")
        let result = try JSONValue.parse(honest.stdout)
        #expect(result["holds"] == .bool(true))
        #expect(Int(result["records"]?.plain ?? "") ?? 0 > 8)
        // The trigger writes the encoding inline; the migration's backfill uses chain_content_event: the same bytes.
        let differing = try f.db.connect().query("""
            SELECT count(*)::int FROM workflow.event e
            WHERE e.hash <> sha256(e.prev || convert_to(workflow.chain_content_event(e.request_id, e.seq, e.transition, e.from_state, e.to_state,
                                                                                     e.actor, e.by_login, e.at, e.inputs, e.audience), 'UTF8'))
            """).first!.decode(0, as: Int32.self)
        #expect(differing == 0)

        try f.tamper("UPDATE workflow.event SET inputs = inputs || '{\"price\": \"1.00\"}' WHERE request_id = '\(id)' AND seq = 5")
        let edited = try Self.ctl(f, ["audit", "verify"])
        #expect(edited.status == 65)
        #expect(edited.stderr.contains("chain request:\(id): the content of \(id) event 5 does not hold: expected "), "\(edited.stderr)")
        // In Estonian the record is named in Estonian; the JSON keeps the label programs read.
        let estonian = try Binary.run("workflowctl", ["audit", "verify", "--database", try f.db.conninfo()], environment: ["LANG": "et_EE.UTF-8"])
        #expect(estonian.stderr.contains("kirje \(id) sündmus 5 sisu ei pea"), "\(estonian.stderr)")
        #expect(try JSONValue.parse(try Self.ctl(f, ["audit", "verify", "--json"]).stdout)["error"]?["record"] == .string("\(id) event 5"))
    }

    /// A row changed around the log (a superuser with the triggers off) left no record: verify
    /// compares every audited row with what its records last say and names the first field that
    /// differs, for a row the product wrote and for one a migration wrote before the log began
    /// (taken in as a baseline). A change the product makes is recorded and holds.
    @Test func aRowChangedAroundTheLogIsCaught() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.setBudget(system: "VOLIS", year: Fixture.today.year, amount: Money(cents: 20_000_000))
        let honest = try Self.ctl(f, ["audit", "verify"])
        #expect(honest.status == 0, "\(honest.stderr)")
        let baselines = try f.sql().query("SELECT count(*)::int FROM workflow.audit WHERE action = 'baseline' AND kind = 'vat_rate'").first!
        #expect(try baselines.decode(0, as: Int32.self) >= 3, "the seeded VAT rates are taken in")

        try f.tamper("UPDATE vat_rate SET rate = 0 WHERE valid_from = '2025-07-01'")
        let seeded = try Self.ctl(f, ["audit", "verify", "--json"])
        #expect(seeded.status == 65)
        let error = try JSONValue.parse(seeded.stdout)["error"]
        #expect(error?["kind"] == .string("live") && error?["record"] == .string("vat_rate 2025-07-01"), "\(seeded.stdout)")
        #expect(error?["expected"] == .string("rate = 24.00") && error?["found"] == .string("rate = 0.00"), "\(seeded.stdout)")
        try f.tamper("UPDATE vat_rate SET rate = 24 WHERE valid_from = '2025-07-01'")
        #expect(try Self.ctl(f, ["audit", "verify"]).status == 0, "24 and 24.00 are one number")

        try f.tamper("UPDATE budget SET amount = 1 WHERE system = 'VOLIS' AND year = \(Fixture.today.year)")
        let budget = try Self.ctl(f, ["audit", "verify"])
        #expect(budget.status == 65 && budget.stderr.contains("row budget VOLIS/\(Fixture.today.year) is not what the audit log last recorded"),
                "\(budget.stderr)")
        // The running total is left out on purpose: an order changes it, not a person.
        try f.tamper("UPDATE budget SET amount = 200000.00, used = used + 1 WHERE system = 'VOLIS' AND year = \(Fixture.today.year)")
        #expect(try Self.ctl(f, ["audit", "verify"]).status == 0)
    }

    /// An order is recorded by its request's history, not by the audit table: verify compares its
    /// price, VAT, vendor, contract, deadline and returns with the order event (and the last
    /// return's new deadline). A warranty fix's order, a return with a new deadline and the
    /// product's own changes hold; a price or a return count changed around the log is caught.
    @Test func anOrderChangedAroundItsHistoryIsCaught() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.setContractTerms("RL-ACME", .init(warrantyMonths: 24, fixDays: 5))
        let returned = try f.request(in: "delivered")
        _ = try f.store(as: f.owner).move(returned, "return", inputs: .init(deadline: Fixture.today.adding(days: 30), reason: "Filter ei tööta"))
        let accepted = try f.request(in: "accepted")
        let claim = try admin.openWarrantyClaim(on: try f.orderNumber(of: accepted), title: "Vorm ei salvesta").id
        _ = try #require(try f.store(as: f.owner).move(claim, "order").orderNumber)
        let honest = try Self.ctl(f, ["audit", "verify"])
        #expect(honest.status == 0, "\(honest.stderr)")

        let order = try f.orderNumber(of: accepted)
        let price = try f.sql().query("SELECT price::text FROM purchase_order WHERE number = \(order)").first!.decode(0, as: String.self)
        try f.tamper("UPDATE purchase_order SET price = price * 2 WHERE number = '\(order)'")
        let raised = try Self.ctl(f, ["audit", "verify", "--json"])
        #expect(raised.status == 65)
        let error = try JSONValue.parse(raised.stdout)["error"]
        #expect(error?["kind"] == .string("live") && error?["record"] == .string("purchase_order \(order)"), "\(raised.stdout)")
        #expect(error?["expected"] == .string("price = \(price)"), "\(raised.stdout)")
        try f.tamper("UPDATE purchase_order SET price = \(price) WHERE number = '\(order)'")
        #expect(try Self.ctl(f, ["audit", "verify"]).status == 0, "put back, it holds again")

        let back = try f.orderNumber(of: returned)
        try f.tamper("UPDATE purchase_order SET returns = 0, deadline = deadline + 60 WHERE number = '\(back)'")
        let hidden = try Self.ctl(f, ["audit", "verify"])
        #expect(hidden.status == 65 && hidden.stderr.contains("row purchase_order \(back) is not what the audit log last recorded"), "\(hidden.stderr)")
        #expect(hidden.stderr.contains("recorded deadline = \"\(Fixture.today.adding(days: 30))\""), "the deadline the return set: \(hidden.stderr)")
    }

    /// What the record says exists must exist, and nothing else (sql/0050): a row inserted or
    /// deleted around the log, a request's state set past its history, an order's delivery moved
    /// (its penalty with it), a quote's price changed, an attached file deleted. Each is named; put
    /// back, the record holds again.
    @Test func rowsAndStepsChangedAroundTheRecordAreCaught() throws {
        let f = try Fixture()
        let year = Fixture.today.year
        let delivered = try f.request(in: "delivered")
        let order = try f.orderNumber(of: delivered)
        let quoted = try f.request(in: "quoted")
        var sent = false
        _ = try f.store().attach(delivered, name: "tõend.txt", kind: "test_report") { buffer in
            defer { sent = true }
            buffer = Array("kõik testid läbitud".utf8)
            return !sent
        }
        #expect(try Self.ctl(f, ["audit", "verify", "--files"]).status == 0)
        func problem() throws -> (status: Int32, error: JSONValue?) {
            let run = try Self.ctl(f, ["audit", "verify", "--files", "--json"])
            return (run.status, try JSONValue.parse(run.stdout)["error"])
        }
        func caught(_ record: String, _ expected: String, _ found: String? = nil, kind: String = "live") throws {
            let (status, error) = try problem()
            #expect(status == 65 && error?["kind"] == .string(kind) && error?["record"] == .string(record), "\(record): \(String(describing: error))")
            #expect(error?["expected"]?.plain.hasPrefix(expected) == true, "\(record): \(String(describing: error))")
            if let found { #expect(error?["found"] == .string(found), "\(record): \(String(describing: error))") }
        }

        try f.tamper("INSERT INTO budget (system, year, amount) VALUES ('VOLIS', \(year + 1), 1000)")
        try caught("budget VOLIS/\(year + 1)", "row = \"no record\"", "row = \"present\"")
        try f.tamper("DELETE FROM budget WHERE system = 'VOLIS' AND year = \(year + 1)")
        #expect(try problem().status == 0)

        try f.tamper("UPDATE request SET state = 'accepted', version = version + 1 WHERE id = '\(delivered)'")
        try caught("request \(delivered)", "state = \"delivered\"", "state = \"accepted\"")
        try f.tamper("UPDATE request SET state = 'delivered', version = version - 1 WHERE id = '\(delivered)'")
        #expect(try problem().status == 0)

        try f.tamper("UPDATE purchase_order SET delivered_at = delivered_at - interval '20 days' WHERE number = '\(order)'")
        try caught("purchase_order \(order)", "delivered_at = \"")
        try f.tamper("UPDATE purchase_order SET delivered_at = delivered_at + interval '20 days' WHERE number = '\(order)'")
        #expect(try problem().status == 0)

        let price = try f.sql().query("SELECT price::text FROM quote WHERE request_id = \(quoted)").first!.decode(0, as: String.self)
        try f.tamper("UPDATE quote SET price = 1 WHERE request_id = '\(quoted)'")
        try caught("quote \(quoted)/ACME", "price = ", "price = 1.00")
        try f.tamper("UPDATE quote SET price = \(price) WHERE request_id = '\(quoted)'")
        #expect(try problem().status == 0)

        try f.tamper("DELETE FROM vat_rate WHERE valid_from = '2025-07-01'")
        try caught("vat_rate 2025-07-01", "row = \"present\"", "row = \"absent\"")

        // Files are checked before rows: the deleted evidence is named first.
        try f.tamper("DELETE FROM request_file_chunk WHERE file_id IN (SELECT id FROM request_file WHERE request_id = '\(delivered)')")
        try f.tamper("DELETE FROM request_file WHERE request_id = '\(delivered)'")
        try caught("\(delivered) file 1", "", "-", kind: "file")
    }

    @Test func aDeletedMiddleEventAnInsertedRowAndAnEditedCommentAreCaught() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        try f.tamper("DELETE FROM workflow.event WHERE request_id = '\(id)' AND seq = 3")
        let deleted = try Self.ctl(f, ["audit", "verify", "--json"])
        #expect(deleted.status == 65)
        #expect(deleted.stdout.contains("\(id) event 4"), "\(deleted.stdout)")

        let g = try Fixture()
        let other = try g.request(in: "quoted")
        // A row inserted in the middle: the rows after it renumbered, its hash computed as the trigger would.
        try g.tamper("""
            UPDATE workflow.event SET seq = -seq WHERE request_id = '\(other)' AND seq >= 3;
            UPDATE workflow.event SET seq = 1 - seq WHERE request_id = '\(other)' AND seq < 0;
            INSERT INTO workflow.event (request_id, seq, transition, from_state, to_state, actor, by_login, inputs, prev, hash)
            SELECT request_id, 3, 'comment', to_state, to_state, actor, by_login, '{}', hash, hash FROM workflow.event WHERE request_id = '\(other)' AND seq = 2
            """)
        let inserted = try Self.ctl(g, ["audit", "verify"])
        #expect(inserted.status == 65)
        #expect(inserted.stderr.contains("\(other) event 3 does not hold"), "\(inserted.stderr)")

        let h = try Fixture()
        let commented = try h.request(in: "proposed")
        try h.store().comment(commented, "Esimene")
        try h.store().comment(commented, "Teine")
        try h.tamper("UPDATE workflow.comment SET body = 'Muudetud' WHERE request_id = '\(commented)' AND chain_seq = 1")
        let comment = try Self.ctl(h, ["audit", "verify"])
        #expect(comment.status == 65)
        #expect(comment.stderr.contains("the content of \(commented) comment 1 does not hold"), "\(comment.stderr)")
    }

    @Test func anAuditRecordEditedOrDeletedIsCaught() throws {
        let f = try Fixture()
        try f.tamper("UPDATE workflow.audit SET new = new || '{\"amount\": 999999}' WHERE kind = 'budget' AND seq = (SELECT min(seq) FROM workflow.audit WHERE kind = 'budget')")
        let edited = try Self.ctl(f, ["audit", "verify"])
        #expect(edited.status == 65)
        #expect(edited.stderr.contains("chain audit: the content of audit "), "\(edited.stderr)")

        let g = try Fixture()
        try g.tamper("DELETE FROM workflow.audit WHERE seq = 3")
        let deleted = try Self.ctl(g, ["audit", "verify"])
        #expect(deleted.status == 65)
        #expect(deleted.stderr.contains("a record is missing before audit 4: expected number 3, found 4"), "\(deleted.stderr)")
    }

    @Test func aSealCatchesRowsRemovedFromTheEndAndAnAlteredSealIsRefused() throws {
        let f = try Fixture()
        let id = try f.request(in: "delivered")
        let sealPath = workPath("seal.json")
        let sealed = try Self.ctl(f, ["audit", "seal", "--out", sealPath])
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let seal = try JSONValue.parse(try String(contentsOfFile: sealPath, encoding: .utf8))
        #expect(seal["format"]?.plain == "devworkflow-seal/1")
        #expect(seal["digest"]?.plain.count == 64)
        guard case let .array(heads)? = seal["heads"] else { Issue.record("no heads"); return }
        #expect(heads.contains { $0["chain"]?.plain == "request:\(id)" && $0["count"]?.plain == "6" })
        #expect(heads.contains { $0["chain"]?.plain == "audit" })
        // The seal joined the audit chain; more records after it still verify against it.
        #expect(try Self.log(f, kind: "seal").last?["object"]?.plain == seal["digest"]?.plain)
        // A seal is evidence: a second one to the same file is refused (74), the first kept whole.
        let kept = try String(contentsOfFile: sealPath, encoding: .utf8)
        let seals = try Self.log(f, kind: "seal").count
        let again = try Self.ctl(f, ["audit", "seal", "--out", sealPath])
        #expect(try Self.log(f, kind: "seal").count == seals, "nothing recorded by a refused seal")
        #expect(again.status == 74 && again.stderr.contains(sealPath), "\(again.stderr)")
        #expect(try String(contentsOfFile: sealPath, encoding: .utf8) == kept)
        #expect(try FileManager.default.contentsOfDirectory(atPath: (sealPath as NSString).deletingLastPathComponent)
            .allSatisfy { !$0.hasPrefix(".seal.json") }, "no temporary file left behind")
        _ = try f.store().move(id, "accept", inputs: TransitionInputs())
        #expect(try Self.ctl(f, ["audit", "verify", "--seal", sealPath]).status == 0)

        // The last two events removed, and the request and its order put back as they stood
        // before them (verify compares them with the history): every chain still links, only the
        // seal tells.
        try f.tamper("""
            DELETE FROM workflow.event WHERE request_id = '\(id)' AND seq >= 6;
            UPDATE workflow.request SET version = 5, state = (SELECT to_state FROM workflow.event WHERE request_id = '\(id)' AND seq = 5) WHERE id = '\(id)';
            UPDATE workflow.purchase_order SET delivered_at = NULL, accepted_at = NULL WHERE request_id = '\(id)'
            """)
        let unsealed = try Self.ctl(f, ["audit", "verify"])
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        let removed = try Self.ctl(f, ["audit", "verify", "--seal", sealPath])
        #expect(removed.status == 65)
        #expect(removed.stderr.contains("chain request:\(id): records were removed from the end since the seal: 6 sealed, 5 left"), "\(removed.stderr)")

        // The counts beside the heads are theirs: a seal whose record count was edited is altered.
        let recount = try String(contentsOfFile: sealPath, encoding: .utf8)
        let records = try #require(try JSONValue.parse(recount)["records"]?.plain)
        let counted = workPath("recounted-seal.json")
        try recount.replacingOccurrences(of: "\"records\":\(records)", with: "\"records\":\(Int(records)! - 2)").write(toFile: counted, atomically: true, encoding: .utf8)
        let recounted = try Self.ctl(f, ["audit", "verify", "--seal", counted])
        #expect(recounted.status == 65 && recounted.stderr.contains("was altered"), "\(recounted.stderr)")
        // A seal file edited by hand no longer matches its own digest.
        let altered = try String(contentsOfFile: sealPath, encoding: .utf8).replacingOccurrences(of: "\"count\":6", with: "\"count\":5")
        try altered.write(toFile: sealPath, atomically: true, encoding: .utf8)
        let refused = try Self.ctl(f, ["audit", "verify", "--seal", sealPath])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("was altered"), "\(refused.stderr)")
        // A seal file that is not there is a file that cannot be read (74), with the system's reason.
        let missing = try Self.ctl(f, ["audit", "verify", "--seal", workPath("no-such-seal.json")])
        #expect(missing.status == 74 && missing.stderr.hasSuffix("No such file or directory\n"), "\(missing.stderr)")
    }

    /// `--kind` is one of the record's kinds, which the database reads from its audited tables;
    /// the help names the same kinds.
    @Test func theAuditLogKnowsItsKinds() throws {
        let f = try Fixture()
        let kinds = try f.sql().query("SELECT unnest(workflow.audit_kinds())").map { try $0.decode(0, as: String.self) }
        #expect(kinds.contains("setting") && kinds.contains("invoice") && kinds.contains("seal"), "\(kinds)")
        let nonsense = try Self.ctl(f, ["--json", "audit", "log", "--kind", "contracts"])
        #expect(nonsense.status == 64, "\(nonsense.stdout)")
        #expect((try? JSONValue.parse(nonsense.stdout))?["error"]?["message_key"]?.plain == "error.audit_kind", "\(nonsense.stdout)")
        #expect(nonsense.stdout.contains("contract, invoice"), "\(nonsense.stdout)")
        #expect(try Self.ctl(f, ["audit", "log", "--kind", "budget"]).status == 0)
        for language in Language.allCases {
            let help = Message("help.option.audit.log.kind").text(language)
            let listed = help[help.firstIndex(of: "(")!...].dropFirst().dropLast().components(separatedBy: ", ")
            #expect(Set(listed) == Set(kinds), "\(language): \(listed)")
        }
    }

    @Test func redactionReplacesTheTextAndTheChainsKeepHolding() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        try f.store().comment(id, "Helistage mulle numbril 5555 1234")
        try f.store().comment(id, "Teine kommentaar")
        let history = try f.store().history(id)
        let number = try #require(history.comments.first?.number)
        #expect(try Self.ctl(f, ["request", "redact", id, "--comment", "\(number)", "--reason", "isikuandmed"], as: f.owner).status == 77)
        let redacted = try Self.ctl(f, ["request", "redact", id, "--comment", "#\(number)", "--reason", "isikuandmed"])
        #expect(redacted.status == 0, "\(redacted.stderr)")
        let after = try f.store().history(id)
        #expect(after.comments.map(\.body) == ["[redacted]", "Teine kommentaar"])
        let shown = try Self.ctl(f, ["request", "history", id])
        #expect(shown.stdout.contains("comment #\(number) by"), "\(shown.stdout)")
        #expect(try Self.log(f, kind: "comment").last?["reason"]?.plain == "isikuandmed")
        #expect(try Self.ctl(f, ["request", "redact", id, "--comment", "\(number)", "--reason", "again"]).status == 75)

        // Forgetting a person: the name and e-mail leave the person and the audit record.
        let forgot = try Self.ctl(f, ["person", "forget", f.requester, "--reason", "lahkus, taotlus 12.11."])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        let person = try f.sql().query(SQL("SELECT name, email FROM workflow.person WHERE login = \(f.requester)")).first!
        #expect(try person.decode(0, as: String.self) == "[forgotten]")
        let leftovers = try f.sql().query(SQL("SELECT count(*)::int FROM workflow.audit WHERE old::text LIKE '%rein@example.ee%' OR new::text LIKE '%Rein Soovija%'"))
        #expect(try leftovers.first!.decode(0, as: Int32.self) == 0)
        #expect(try Self.log(f, kind: "person").last?["action"]?.plain == "forget")

        let verified = try Self.ctl(f, ["audit", "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
    }

    @Test func workflowdWritesADailySealThatIsNeverOverwrittenAndReportsNameTheLastSeal() throws {
        let f = try Fixture()
        _ = try f.request(in: "ordered")
        let daemon = "wfd_\(f.db.name.suffix(8))"
        try f.sql().execute(SQL(unsafe: "CREATE ROLE \(daemon) LOGIN IN ROLE devworkflow_daemon"))
        let exports = workPath("exports")
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        let run = { try Binary.run("workflowd", ["--once", "--file", workPath("out.jsonl"), "--exports", exports, "--database", try f.db.conninfo(user: daemon)]) }
        let first = try run()
        #expect(first.status == 0, "\(first.stderr)")
        let name = "seal-\(LocalDate.today(at: Date())).json"
        let path = exports + "/" + name
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\"format\":\"devworkflow-seal/1\""))
        try f.store().addClosure(LocalDate(year: Fixture.today.year, month: 12, day: 29)!)
        #expect(try run().status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == written, "kept, never overwritten")
        #expect(try Self.ctl(f, ["audit", "verify", "--seal", path]).status == 0)

        // The vendor's report states the seal it is consistent with.
        let digest = try JSONValue.parse(written)["digest"]?.plain ?? "?"
        let report = try String(contentsOfFile: exports + "/vendor-ACME.html", encoding: .utf8)
        #expect(report.contains(digest), "the report names the seal")
        let markdown = try Self.ctl(f, ["report", "status", "--format", "md"])
        #expect(markdown.stdout.contains("- Chains: sealed "), "\(markdown.stdout.prefix(400))")
    }
}
