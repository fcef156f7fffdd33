import Foundation
import Testing
@testable import DevWorkflow

@Suite struct WorkflowStoreTests {
    @Test func oneRequestWalksEveryTransitionWithAnUnbrokenHistory() throws {
        let f = try Fixture()
        let owner = try f.store(as: f.owner)
        let vendor = try f.store(as: f.vendorA)
        let today = Fixture.today
        let id = try f.store(as: f.requester).propose(system: "VOLIS", title: "Otsingu filter õäöü", description: "Kirjeldus").id
        #expect(id == "VOLIS-1")
        #expect(try owner.move(id, "prioritise", inputs: .init(priority: 1)).version == 2)
        #expect(try owner.move(id, "request_quote", inputs: .init(vendors: ["ACME", "BETA"], due: today.adding(days: 7))).to == "quote_requested")
        _ = try vendor.move(id, "quote", inputs: .init(hours: 19, price: Money(cents: 150_000), delivery: today.adding(days: 20)))
        // A new quote replaces the vendor's own.
        _ = try vendor.move(id, "quote", inputs: .init(hours: 15, price: Money(cents: 120_000), delivery: today.adding(days: 25)))
        let order = try owner.move(id, "order", inputs: .init(vendor: "ACME"))
        #expect(order.orderNumber == "ORD-\(today.year)-0001")
        #expect(order.inputs["deadline"]?.plain == today.adding(days: 25).description)
        _ = try vendor.move(id, "deliver", inputs: .init(note: "Valmis"))
        _ = try owner.move(id, "return", inputs: .init(deadline: today.adding(days: 30), reason: "Filter ei tööta"))
        _ = try vendor.move(id, "deliver", inputs: .init(note: "Parandatud"))
        _ = try owner.move(id, "accept", inputs: .init())
        let released = try owner.move(id, "release", inputs: .init(versionName: "VOLIS 4.2"))
        #expect(released.to == "released" && released.version == 11)

        let (events, _) = try owner.history(id)
        #expect(events.map(\.transition) == ["propose", "prioritise", "request_quote", "quote", "quote", "order", "deliver", "return",
                                             "deliver", "accept", "release"])
        #expect(events.map(\.seq) == Array(1...11))
        #expect(events.first?.from == nil)
        for (previous, next) in zip(events, events.dropFirst()) { #expect(next.from == previous.to) }
        #expect(events[3].actor == f.vendorA)
        let c = try f.sql()
        let row = try c.query("SELECT count(*), min(q.price)::text, max(o.returns) FROM quote q JOIN purchase_order o USING (request_id) WHERE request_id = \(id)").first!
        #expect(try row.decode(0, as: Int.self) == 1)
        #expect(try row.decode(1, as: String.self) == "1200.00")
        #expect(try row.decode(2, as: Int.self) == 1)
        #expect(try c.query("SELECT deadline FROM purchase_order WHERE request_id = \(id)").first!.decode(0, as: LocalDate.self) == today.adding(days: 30))
        // Notifications were queued with the transitions: the invited vendors, the ordered vendor, the owner, the requester.
        let recipients = try c.query("SELECT transition, string_agg(recipient, ',' ORDER BY recipient) FROM outbox GROUP BY transition ORDER BY transition")
            .map { "\(try $0.decode(0, as: String.self)):\(try $0.decode(1, as: String.self))" }
        // One message per vendor, to its person, copying the company; nobody hears of their own step
        // (the owner released it: only the requester hears); the vendor that lost hears the quoting closed.
        #expect(recipients == ["accept:anna@acme.ee", "deliver:piret@example.ee,piret@example.ee", "order:anna@acme.ee,bert@beta.ee",
                               "prioritise:rein@example.ee", "propose:piret@example.ee", "quote:piret@example.ee,piret@example.ee",
                               "release:rein@example.ee", "request_quote:anna@acme.ee,bert@beta.ee", "return:anna@acme.ee"])
        let copies = try c.query("SELECT DISTINCT array_to_string(cc, ',') FROM outbox WHERE recipient = 'anna@acme.ee'").map { try $0.decode(0, as: String.self) }
        #expect(copies == ["info@acme.ee"])
        let lost = try c.query("SELECT payload::text FROM outbox WHERE transition = 'order' AND recipient = 'bert@beta.ee'").first!.decode(0, as: String.self)
        #expect(lost.contains("\"audience\": \"quoting_vendor\"") && !lost.contains("ACME") && !lost.contains("1200"), "\(lost)")
    }

    /// PRODUCT.md's table of who may take each transition.
    static let allowed: [String: Set<String>] = [
        "prioritise": ["admin", "owner"], "reject": ["admin", "owner"], "request_quote": ["admin", "owner"],
        "quote": ["admin", "owner", "vendorA", "vendorB"], "order": ["admin", "owner"], "deliver": ["admin", "owner", "vendorA"],
        "accept": ["admin", "owner"], "return": ["admin", "owner"], "release": ["admin", "owner"], "cancel": ["admin", "owner"],
    ]

    @Test func everyRoleAgainstEveryTransitionFollowsPRODUCTsTable() throws {
        let f = try Fixture()
        let today = Fixture.today
        let roles = ["admin": f.admin, "owner": f.owner, "otherOwner": f.otherOwner, "vendorA": f.vendorA, "vendorB": f.vendorB,
                     "requester": f.requester, "nobody": f.nobody]
        let stores = try roles.mapValues { try f.store(as: $0) }
        let cases: [(String, String, TransitionInputs)] = [
            ("prioritise", "proposed", .init(priority: 3)), ("reject", "prioritised", .init(reason: "ei")),
            ("request_quote", "prioritised", .init(vendors: ["ACME"], due: today.adding(days: 5))),
            ("quote", "quote_requested", .init(hours: 7, price: Money(cents: 50_000), delivery: today.adding(days: 10))),
            ("order", "quoted", .init(vendor: "ACME")), ("deliver", "ordered", .init(note: "valmis")), ("accept", "delivered", .init()),
            ("return", "delivered", .init(reason: "viga")), ("release", "accepted", .init(versionName: "1.1")), ("cancel", "ordered", .init(reason: "ei")),
        ]
        for (transition, state, baseInputs) in cases {
            let id = try f.request(in: state)
            for (role, store) in stores.sorted(by: { $0.key < $1.key }) {
                var inputs = baseInputs
                if transition == "quote" && !role.hasPrefix("vendor") { inputs.vendor = "BETA" }
                let expected = Self.allowed[transition]!.contains(role)
                // Through the state machine, with the database's own checks in a dry run.
                var code: WorkflowError.Code? = nil
                do { _ = try store.move(id, transition, inputs: inputs, dryRun: true) } catch let error as WorkflowError { code = error.code }
                if expected {
                    #expect(code == nil, "\(role) should \(transition)")
                } else {
                    // Vendors not invited do not even learn the request exists.
                    let invisible = role.hasPrefix("vendor") && ["proposed", "prioritised"].contains(state)
                    #expect(code == (invisible ? .notFound : .notPermitted), "\(role) must not \(transition): got \(String(describing: code))")
                }
                // Straight at the database, past the machine: the last line of defence says the same.
                let c = store.connection
                let version = try f.sql().query("SELECT version FROM request WHERE id = \(id)").first!.decode(0, as: Int32.self)
                var sqlState: SQLState? = nil
                do {
                    _ = try c.pipeline(["BEGIN", "SELECT workflow.move(\(id), \(transition), \(version), \(JSONDocument(text: inputs.json.text)))", "ROLLBACK"])
                } catch let error as PostgresError { sqlState = error.sqlState }
                if expected {
                    #expect(sqlState == nil, "database refused \(role) \(transition): \(String(describing: sqlState))")
                } else {
                    #expect(sqlState == .workflowForbidden || sqlState == .workflowNotFound, "database let \(role) \(transition)")
                }
            }
            #expect(try f.sql().query("SELECT state FROM request WHERE id = \(id)").first!.decode(0, as: String.self) == state, "dry runs wrote nothing")
        }
    }

    @Test func randomMovesMatchAPlainModel() throws {
        let f = try Fixture(budget: Money(cents: 1_000_000_000_00), cap: Money(cents: 1_000_000_000_00))
        let store = try f.store()
        let definition = try Definitions.smallDevelopment
        var generator = SplitMix64(seed: 20261125)
        struct Model { var state = "proposed"; var version = 1; var quoted: Set<String> = []; var held = false }
        var models: [String: Model] = [:]
        for _ in 0..<60 { models[try store.propose(system: "VOLIS", title: "Juhuslik").id] = Model() }
        let today = Fixture.today
        var moves = 0, refusals = 0
        for step in 0..<400 {
            let id = models.keys.sorted()[Int(generator.next() % UInt64(models.count))]
            var model = models[id]!
            // Mostly steps the model says are possible, sometimes any step at all.
            let possibleNow = definition.transitions(from: model.state)
            // Closing steps are drawn rarely, so requests travel the whole road.
            let onward = possibleNow.filter { !["reject", "cancel"].contains($0.name) || generator.next() % 6 == 0 }
            let pool = generator.next() % 4 == 0 || onward.isEmpty ? definition.transitions : onward
            let transition = pool[Int(generator.next() % UInt64(pool.count))]
            let vendor = generator.next() % 2 == 0 ? "ACME" : "BETA"
            let inputs: TransitionInputs
            switch transition.name {
            case "prioritise": inputs = .init(priority: Int(generator.next() % 5) + 1)
            case "request_quote", "invite": inputs = .init(vendors: ["ACME", "BETA"])
            case "quote": inputs = .init(vendor: vendor, hours: 13, price: Money(cents: Int64(generator.next() % 100_000) + 1), delivery: today.adding(days: 9))
            case "order": inputs = .init(vendor: vendor)
            case "deliver": inputs = .init(note: "n")
            case "release": inputs = .init(versionName: "v")
            case "reject", "cancel", "return", "hold": inputs = .init(reason: "r")
            default: inputs = .init()
            }
            let possible = transition.from.contains(model.state) && (transition.name != "order" || model.quoted.contains(vendor))
                && (transition.name != "hold" || !model.held) && (transition.name != "resume" || model.held)
            do {
                let outcome = try store.move(id, transition.name, inputs: inputs)
                #expect(possible, "step \(step): \(transition.name) from \(model.state) was allowed")
                model.state = outcome.to
                model.version += 1
                if transition.name == "quote" { model.quoted.insert(vendor) }
                if transition.name == "hold" { model.held = true }
                if transition.name == "resume" || transition.name == "deliver" { model.held = false }
                moves += 1
            } catch let error as WorkflowError {
                #expect(!possible, "step \(step): \(transition.name) from \(model.state) refused: \(error.message)")
                #expect(error.code == .invalidData)
                refusals += 1
            }
            models[id] = model
            let row = try store.connection.query("SELECT state, version, (SELECT count(*) FROM event WHERE request_id = \(id)) FROM request WHERE id = \(id)").first!
            #expect(try row.decode(0, as: String.self) == model.state)
            #expect(try row.decode(1, as: Int.self) == model.version)
            #expect(try row.decode(2, as: Int.self) == model.version)
        }
        #expect(moves > 100 && refusals > 30, "moves \(moves), refusals \(refusals)")
        let events = try store.connection.query("SELECT count(*) FROM event").first!.decode(0, as: Int.self)
        #expect(events == models.count + moves)
    }

    @Test func racingConnectionsEachMoveWinsExactlyOnce() throws {
        let f = try Fixture()
        let setup = try f.store()
        let ids = try (0..<12).map { _ in try setup.propose(system: "VOLIS", title: "Võidujooks").id }
        let conninfo = try f.db.conninfo()
        let steps: [(String, TransitionInputs)] = [("prioritise", .init(priority: 2)), ("request_quote", .init(vendors: ["ACME"])),
                                                   ("quote", .init(vendor: "ACME", hours: 1, price: Money(cents: 1000), delivery: Fixture.today.adding(days: 5)))]
        let wins = Locked<[String: Int]>([:])
        let conflicts = Locked(0)
        let others = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let store = WorkflowStore(connection: try Database.connect(conninfo))
                for (index, (name, inputs)) in steps.enumerated() {
                    for id in (worker % 2 == 0 ? ids : ids.reversed()) {
                        do {
                            _ = try store.move(id, name, inputs: inputs, expectedVersion: index + 1)
                            wins.withValue { $0["\(id) \(name)", default: 0] += 1 }
                        } catch let error as WorkflowError where error.code == .conflict {
                            conflicts.withValue { $0 += 1 }
                        } catch let error as WorkflowError where error.code == .invalidData && error.message.contains("not possible now") {
                            // Read after a later step was already won: also a lost race, seen as state.
                            conflicts.withValue { $0 += 1 }
                        }
                    }
                }
            } catch {
                others.withValue { $0.append(String(reflecting: error)) }
            }
        }
        #expect(others.current.isEmpty)
        #expect(wins.current.count == ids.count * steps.count)
        #expect(wins.current.values.allSatisfy { $0 == 1 })
        #expect(conflicts.current == ids.count * steps.count * 7)
        let c = try f.sql()
        for id in ids {
            let row = try c.query("SELECT version, (SELECT count(*) FROM event WHERE request_id = \(id)), (SELECT count(DISTINCT seq) FROM event WHERE request_id = \(id)) FROM request WHERE id = \(id)").first!
            #expect(try row.decode(0, as: Int.self) == 4)
            #expect(try row.decode(1, as: Int.self) == 4)
            #expect(try row.decode(2, as: Int.self) == 4)
        }
        // The CLI says 75 for the same conflict.
        let cli = try Binary.run("workflowctl", ["--database", conninfo, "request", "move", ids[0], "cancel", "--reason", "x", "--expect-version", "2"])
        #expect(cli.status == 75)
        #expect(cli.stderr.contains("changed since version 2"))
    }

    @Test func budgetAndCapGuardsRefuseAnOrderAboveWhatIsLeft() throws {
        let f = try Fixture(budget: Money(cents: 300_000), cap: Money(cents: 250_000))
        let store = try f.store()
        _ = try f.request(in: "ordered", price: Money(cents: 200_000))          // 2480 gross of the 3000 budget, 2000 net of ACME's 2500 cap
        let second = try f.request(in: "quoted", price: Money(cents: 60_000))  // 600 > 500 cap left
        do {
            _ = try store.move(second, "order", inputs: .init(vendor: "ACME"))
            Issue.record("order above the cap was accepted")
        } catch let error as WorkflowError {
            #expect(error.code == .invalidData)
            let eur = { (cents: Int64) in ReportFormatting.for(.en).money(Money(cents: cents)) }
            #expect(error.message == "price \(eur(60_000)) exceeds the cap left on contract RL-ACME (\(eur(50_000)) of \(eur(250_000)))")
        }
        // BETA's cap is untouched but the system budget has 520 left: 1200 net is 1488 with VAT, too much.
        _ = try store.move(second, "quote", inputs: .init(vendor: "BETA", hours: 14, price: Money(cents: 120_000), delivery: Fixture.today.adding(days: 3)))
        do {
            _ = try store.move(second, "order", inputs: .init(vendor: "BETA"))
            Issue.record("order above the budget was accepted")
        } catch let error as WorkflowError {
            let eur = { (cents: Int64) in ReportFormatting.for(.en).money(Money(cents: cents)) }
            #expect(error.message == "price \(eur(148_800)) with VAT (\(eur(120_000)) net) exceeds the budget left for VOLIS in \(Fixture.today.year) (\(eur(52_000)) of \(eur(300_000)))")
        }
        // psql gets the same refusal: the rule has one place.
        do {
            _ = try store.connection.query("SELECT workflow.move(\(second), 'order', NULL, '{\"vendor\": \"BETA\"}')")
            Issue.record("psql ordered above the budget")
        } catch let error as PostgresError {
            #expect(error.sqlState == .workflowRefused)
            #expect(WorkflowError.catalogueText(in: error.detail)?.key == "error.over_budget_gross")
        }
        _ = try store.move(second, "quote", inputs: .init(vendor: "BETA", hours: 12, price: Money(cents: 40_000), delivery: Fixture.today.adding(days: 3)))
        #expect(try store.move(second, "order", inputs: .init(vendor: "BETA")).to == "ordered")
    }

    @Test func anExpiredContractRefusesAQuoteRequest() throws {
        let f = try Fixture()
        let id = try f.request(in: "prioritised")
        do {
            _ = try f.store(as: f.owner).move(id, "request_quote", inputs: .init(vendors: ["ACME", "GAMMA"]))
            Issue.record("an expired contract was accepted")
        } catch let error as WorkflowError {
            #expect(error.code == .invalidData)
            #expect(error.message.hasPrefix("vendor GAMMA has no contract valid on \(Fixture.today)"))
        }
        #expect(try f.store().request(id).state == "prioritised")
    }

    @Test func vendorsAndPersonlessLoginsAreKeptOut() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        // BETA was invited, so it sees the request, but it may not deliver ACME's order.
        do {
            _ = try f.store(as: f.vendorB).move(ordered, "deliver", inputs: .init(note: "meie tegime"))
            Issue.record("another vendor delivered")
        } catch let error as WorkflowError {
            #expect(error.code == .notPermitted)
        }
        let cli = try Binary.run("workflowctl", ["--database", try f.db.conninfo(user: f.vendorB), "request", "move", ordered, "deliver", "--note", "x"])
        #expect(cli.status == 77)
        #expect(cli.stderr.hasPrefix("workflowctl: error: "))
        // A login with no person record can do nothing and read nothing.
        let nobody = try f.store(as: f.nobody)
        for attempt in [{ _ = try nobody.move(ordered, "cancel", inputs: .init(reason: "x")) },
                        { _ = try nobody.propose(system: "VOLIS", title: "x") },
                        { try nobody.comment(ordered, "x") }] as [() throws -> Void] {
            do { try attempt(); Issue.record("a person-less login wrote") } catch let error as WorkflowError { #expect(error.code == .notPermitted) }
        }
        // It holds no privilege on any table: it cannot even read one (nor count rows through EXPLAIN).
        let plain = try f.sql(as: f.nobody)
        for table in ["request", "event", "quote", "purchase_order", "person", "vendor", "budget", "outbox"] {
            do {
                _ = try plain.query(SQL(unsafe: "SELECT count(*) FROM \(table)"))
                Issue.record("a login with no person record read \(table)")
            } catch let error as PostgresError {
                #expect(error.sqlState == .insufficientPrivilege, "\(table)")
            }
        }
        #expect(try Binary.run("workflowctl", ["--database", try f.db.conninfo(user: f.nobody), "request", "move", ordered, "cancel", "--reason", "x"]).status == 77)
        // Vendors cannot write tables directly either.
        #expect(throws: PostgresError.self) { try f.sql(as: f.vendorA).execute("UPDATE request SET state = 'accepted'") }
        #expect(throws: PostgresError.self) { try f.sql(as: f.vendorA).execute("INSERT INTO quote VALUES (\(ordered), 'BETA', 1, 1, now()::date, now(), 'x')") }
    }

    @Test func aVendorLoginSeesNoOtherVendorsQuoteInPlainSQL() throws {
        let f = try Fixture()
        let id = try f.request(in: "quoted")
        _ = try f.store(as: f.vendorB).move(id, "quote", inputs: .init(hours: 12, price: Money(cents: 99_900), delivery: Fixture.today.adding(days: 9)))
        let onlyACME = try f.request(in: "proposed")
        let beta = try f.sql(as: f.vendorB)
        // A vendor's login reads through the functions made for it, never the tables.
        for table in ["quote", "request", "vendor", "event", "budget", "contract"] {
            #expect(throws: PostgresError.self, "\(table)") { try beta.query(SQL(unsafe: "SELECT count(*) FROM \(table)")) }
        }
        let card = try beta.query("SELECT workflow.request_card(\(id))::text").first!.decode(0, as: String.self)
        #expect(card.contains("999.00") && !card.contains("ACME") && !card.contains("1000.00"))
        #expect(throws: PostgresError.self) { try beta.query("SELECT workflow.request_card(\(onlyACME))") }
        let events = try beta.query("SELECT transition || ' ' || inputs::text FROM workflow.request_events(\(id))").map { try $0.decode(0, as: String.self) }
        #expect(!events.joined().contains("ACME") && !events.joined().contains("1000.00"), "\(events)")
        let details = try f.store(as: f.vendorB).details(id).text
        #expect(!details.contains("ACME") && !details.contains("1000.00"))
    }

    @Test func theHistoryIsAppendOnlyEvenForItsOwner() throws {
        let f = try Fixture()
        let id = try f.request(in: "prioritised")
        let owner = try f.sql()  // the superuser that owns the tables
        for statement: SQL in ["UPDATE event SET actor = 'mallory' WHERE request_id = \(id)", "DELETE FROM event WHERE request_id = \(id)",
                               "TRUNCATE event CASCADE", "UPDATE comment SET body = 'x'", "DELETE FROM comment"] {
            do {
                try owner.execute(statement)
                if statement.text.contains("event") { Issue.record("\(statement.text) was accepted") }
            } catch let error as PostgresError {
                #expect(error.sqlState == .historyAppendOnly, "\(statement.text)")
            }
        }
        // A state change the workflow does not allow cannot be written by hand.
        do {
            try owner.execute("UPDATE request SET state = 'released', version = version + 1 WHERE id = \(id)")
            Issue.record("a forbidden state change was written")
        } catch let error as PostgresError {
            #expect(error.sqlState == .workflowRefused)
        }
        // Nor an allowed one without its event in the history.
        #expect(throws: PostgresError.self) {
            try owner.execute("UPDATE request SET state = 'rejected', version = version + 1 WHERE id = \(id)")
        }
        #expect(try owner.query("SELECT count(*) FROM event WHERE request_id = \(id)").first!.decode(0, as: Int.self) == 2)
    }

    @Test func anAdminActingAsSomeoneRecordsBoth() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        let conninfo = try f.db.conninfo()
        let result = try Binary.run("workflowctl", ["request", "move", id, "prioritise", "--priority", "4", "--as", f.owner, "--database", conninfo])
        #expect(result.status == 0, "\(result.stderr)")
        let event = try f.sql().query("SELECT actor, by_login FROM event WHERE request_id = \(id) AND seq = 2").first!
        #expect(try event.decode(0, as: String.self) == f.owner)
        #expect(try event.decode(1, as: String.self) == f.admin)
        let refused = try Binary.run("workflowctl", ["request", "move", id, "reject", "--reason", "x", "--as", f.admin,
                                                     "--database", try f.db.conninfo(user: f.owner)])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("only admins may act as another person"))
    }

    @Test func badInputGivesOneLineAndTheRightCodeAndChangesNothing() throws {
        let f = try Fixture()
        let proposed = try f.request(in: "proposed")
        let quoting = try f.request(in: "quote_requested")
        let conninfo = try f.db.conninfo(user: f.owner)
        let before = try f.fingerprint()
        let cases: [([String], Int32)] = [
            (["request", "new", "--system", "VOLIS", "--title", "  "], 65),
            (["request", "new", "--system", "NOPE", "--title", "Pealkiri"], 66),
            (["request", "move", proposed, "prioritise", "--priority", "9"], 65),
            (["request", "move", proposed, "prioritise", "--priority", "kaks"], 65),
            (["request", "move", quoting, "quote", "--vendor", "ACME", "--hours", "2", "--price", "-5", "--delivery", "2027-01-10"], 65),
            (["request", "move", quoting, "quote", "--vendor", "ACME", "--hours", "2", "--price", "5", "--delivery", "2026-13-45"], 65),
            (["request", "move", proposed, "accept"], 65),
            (["request", "move", "VOLIS-999", "accept"], 66),
            (["request", "move", proposed, "prioritise"], 64),
            (["request", "move", proposed, "prioritise", "--priority", "1", "--bogus"], 64),
            (["request", "list", "--state", "flying"], 65),
            (["system", "add", "KOVMEN", "--name", "Portaal"], 77),
            (["budget", "set", "--system", "VOLIS", "--year", "2026", "--amount", "12,345.6"], 65),
            // Who may, before what: the database checks the admin role first, as move() checks permission first.
            (["contract", "add", "--vendor", "ACME", "--number", "X", "--from", "2026-01-01", "--to", "2025-01-01", "--rate", "1", "--cap", "1"], 77),
            (["contract", "add", "--vendor", "ACME", "--number", "X", "--from", "2026-01-01", "--to", "2025-01-01", "--rate", "1", "--cap", "1",
              "--as", f.admin], 77),
            (["calendar", "add", "2026-02-30", "3"], 65),
        ]
        let asAdmin: [([String], Int32)] = [
            (["contract", "add", "--vendor", "ACME", "--number", "X", "--from", "2026-01-01", "--to", "2025-01-01", "--rate", "1", "--cap", "1"], 65),
            (["contract", "add", "--vendor", "ACME", "--number", "X", "--from", "2026-01-01", "--to", "2030-01-01", "--rate", "1", "--cap", "1"], 65),
            (["budget", "set", "--system", "VOLIS", "--year", "2026", "--amount", "999999999999999"], 65),
        ]
        let adminConninfo = try f.db.conninfo(user: f.admin)
        for (arguments, expected) in cases + asAdmin.map({ ($0.0 + ["--database", adminConninfo], $0.1) }) {
            let result = try Binary.run("workflowctl", arguments.contains("--database") ? arguments : arguments + ["--database", conninfo])
            #expect(result.status == expected, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("workflowctl: error: "), "\(arguments)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
        #expect(try f.fingerprint() == before)
    }

    @Test func aMoveWithAStaleVersionIsAConflictAndWritesNothing() throws {
        let f = try Fixture()
        let id = try f.request(in: "quote_requested")
        let store = try f.store(as: f.owner)
        let seen = try store.request(id).version
        _ = try f.store().move(id, "quote", inputs: .init(vendor: "ACME", hours: 4, price: Money(cents: 30_000), delivery: Fixture.today.adding(days: 9)))
        // Someone else moved it since: the version the caller saw is stale, the database says so.
        let before = try f.fingerprint()
        do {
            _ = try store.move(id, "cancel", inputs: .init(reason: "x"), expectedVersion: seen)
            Issue.record("a stale version was accepted")
        } catch let error as WorkflowError {
            #expect(error.code == .conflict)
            #expect(error.text.key == "error.changed")
        }
        #expect(try f.fingerprint() == before)
        // With the version it has now, the same move goes through, and says what it wrote.
        let outcome = try store.move(id, "order", inputs: .init(vendor: "ACME"), expectedVersion: seen + 1)
        #expect(outcome.version == seen + 2 && outcome.to == "ordered")
        #expect(outcome.inputs["deadline"]?.plain == Fixture.today.adding(days: 9).description)
        #expect(outcome.orderNumber?.hasPrefix("ORD-") == true)
    }

    @Test func manyMovesGoTogetherEachInItsOwnTransaction() throws {
        let f = try Fixture()
        let store = try f.store()
        let ids = try (0..<4).map { _ in try f.request(in: "ordered") }
        let seen = try ids.map { try store.request($0).version }
        // The third went on meanwhile (the version seen is stale); the fourth is not possible now.
        _ = try f.store().move(ids[2], "deliver", inputs: .init(note: "elsewhere"))
        let before = try f.sql().query("SELECT count(*) FROM event").first!.decode(0, as: Int.self)
        let outcomes = try store.move([
            .init(ids[0], "deliver", inputs: .init(note: "valmis"), expectedVersion: seen[0]),
            .init(ids[1], "deliver", inputs: .init(note: "valmis"), expectedVersion: seen[1]),
            .init(ids[2], "deliver", inputs: .init(note: "valmis"), expectedVersion: seen[2]),
            .init(ids[3], "accept", expectedVersion: seen[3]),
        ])
        #expect(outcomes.count == 4)
        #expect(try outcomes[0].get().to == "delivered" && outcomes[1].get().version == 6)
        guard case let .failure(stale) = outcomes[2], case let .failure(refused) = outcomes[3] else {
            Issue.record("a stale version or an impossible step was accepted: \(outcomes)")
            return
        }
        #expect(stale.code == .conflict)
        #expect(refused.code == .invalidData && refused.text.key == "error.not_possible_now")
        let c = try f.sql()
        #expect(try c.query("SELECT count(*) FROM event").first!.decode(0, as: Int.self) == before + 2)
        #expect(try c.query("SELECT count(*) FROM outbox WHERE transition = 'deliver' AND payload ->> 'inputs' LIKE '%valmis%' AND request_id = ANY (\(TextArray([ids[0], ids[1]])))")
            .first!.decode(0, as: Int.self) > 0)
    }

    /// A batch commits its moves without waiting for the disk one by one, then flushes once: when
    /// the call returns, every move it reported is on disk. Proven on a cluster of this test's
    /// own, stopped the hard way (no checkpoint; WAL still in shared buffers is gone) the moment
    /// the call returns. Where the flush statement is refused, the batch waits for the WAL writer
    /// instead (the crash then follows that first batch) and later batches wait move by move.
    @Test(arguments: [true, false]) func aBatchOfMovesIsOnDiskWhenTheCallReturns(flushPermitted: Bool) throws {
        let cluster = EmbeddedCluster(directory: workPath("durable-\(UUID().uuidString.prefix(8))"))
        try cluster.start(trust: true)
        defer { _ = try? cluster.stop() }
        let conninfo = cluster.conninfo
        try Migrator(connection: try Database.connect(conninfo)).migrate()
        let store = WorkflowStore(connection: try Database.connect(conninfo))
        let today = store.today
        try store.addSystem(key: "VOLIS", name: "Volikogu")
        try store.addVendor(key: "ACME", name: "Acme OÜ", email: "info@acme.ee")
        try store.addContract(vendor: "ACME", number: "RL-1", from: today.adding(days: -1), to: today.adding(days: 365),
                              rate: Money(cents: 8000), cap: Money(cents: 100_000_000))
        try store.setBudget(system: "VOLIS", year: today.year, amount: Money(cents: 100_000_000))
        try store.addPerson(login: "po", name: "Piret", email: "piret@example.ee", role: .productOwner, systems: ["VOLIS"])
        var ids: [String] = []
        for n in 0..<40 {
            let id = try store.propose(system: "VOLIS", title: "Muudatus \(n)").id
            for (name, inputs) in [("prioritise", TransitionInputs(priority: 3)), ("request_quote", TransitionInputs(vendors: ["ACME"])),
                                   ("quote", TransitionInputs(vendor: "ACME", hours: 5, price: Money(cents: 40_000), delivery: today.adding(days: 30))),
                                   ("order", TransitionInputs(vendor: "ACME"))] {
                _ = try store.move(id, name, inputs: inputs)
            }
            ids.append(id)
        }
        // The mover is no superuser: a superuser would pass a revoked EXECUTE.
        try store.connection.execute("CREATE ROLE po LOGIN IN ROLE devworkflow_user")
        if !flushPermitted {
            try store.connection.execute("REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC")
        }
        let mover = WorkflowStore(connection: try Database.connect(conninfo + " user=po"))
        // Three rounds, so the last round's moves follow many others into the WAL buffers.
        let rounds = flushPermitted ? 3 : 1
        for round in 0..<rounds {
            let calls = ids.map { round % 2 == 0 ? WorkflowStore.MoveCall($0, "deliver", inputs: TransitionInputs(note: "valmis \(round)"))
                                                 : WorkflowStore.MoveCall($0, "return", inputs: TransitionInputs(reason: "viga \(round)")) }
            for outcome in try mover.move(calls) { _ = try outcome.get() }
        }
        #expect(mover.groupCommit == flushPermitted, "a refused flush is noticed")
        // The session is back to its own setting.
        #expect(try mover.connection.query("SHOW synchronous_commit").first!.decode(0, as: String.self) == "on")
        let crash = try Subprocess.run("/usr/sbin/runuser", ["-u", "postgres", "--", try EmbeddedCluster.binary("pg_ctl"), "stop",
                                                             "-D", cluster.dataDirectory, "-m", "immediate", "-w"])
        #expect(crash.status == 0, "\(crash.stderr)")
        _ = try cluster.start(trust: true)
        let after = try Database.connect(conninfo)
        let states = try after.query("SELECT state, count(*) FROM request GROUP BY state").map { "\(try $0.decode(0, as: String.self)):\(try $0.decode(1, as: Int.self))" }
        #expect(states == ["delivered:40"])
        #expect(try after.query("SELECT count(*) FROM event WHERE transition IN ('deliver', 'return')").first!.decode(0, as: Int.self) == 40 * rounds)
        guard !flushPermitted else { return }
        // Once the flush was refused, the store's next batches commit move by move.
        let again = WorkflowStore(connection: try Database.connect(conninfo + " user=po"))
        for (transition, inputs) in [("return", TransitionInputs(reason: "r")), ("deliver", TransitionInputs(note: "n"))] {
            for outcome in try again.move(ids.prefix(2).map { WorkflowStore.MoveCall($0, transition, inputs: inputs) }) { _ = try outcome.get() }
        }
        #expect(!again.groupCommit)
        #expect(try after.query("SELECT count(*) FROM request WHERE state = 'delivered' AND version = 8").first!.decode(0, as: Int.self) == 2)
    }

    @Test func productSessionsWakeWorkflowdAfterTheCommitNotInsideIt() throws {
        let f = try Fixture()
        let listener = try f.db.connect()
        try listener.listen(Outbox.channel)
        let marker = try f.db.connect()
        /// What reached the listener before a marker sent now: NOTIFY delivers in commit order, so
        /// everything committed before this call is in it. Waits for the marker, not for a time.
        func heardBeforeMarker() throws -> [Connection.Notification] {
            let text = "marker-\(UUID().uuidString)"
            _ = try marker.query("SELECT pg_notify(\(Outbox.channel), \(text))")
            var heard: [Connection.Notification] = []
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                for note in try listener.waitForNotifications(timeout: 1) {
                    if note.payload == text { return heard }
                    heard.append(note)
                }
            }
            Issue.record("the marker never arrived")
            return heard
        }
        let id = try f.request(in: "ordered")
        _ = try heardBeforeMarker()   // the set-up's own wake-ups
        let product = try f.store(as: f.owner)
        // move() itself no longer notifies in a product session: the message is queued all the same…
        let c = try f.sql()
        _ = try f.store(as: f.vendorA).connection.query("SELECT workflow.move(\(id), 'deliver', NULL, '{\"note\": \"x\"}'::jsonb)")
        #expect(try heardBeforeMarker().isEmpty)
        #expect(try c.query("SELECT count(*) FROM outbox WHERE request_id = \(id) AND transition = 'deliver'").first!.decode(0, as: Int.self) > 0)
        // …and the store's move wakes it once committed.
        _ = try product.move(id, "return", inputs: .init(reason: "viga"))
        #expect(try heardBeforeMarker().map(\.payload) == ["committed"])
        // A session that is not the product's (psql, a script) is still woken for inside move().
        let raw = try f.db.connect()
        _ = try raw.query("SELECT workflow.move(\(id), 'deliver', NULL, '{\"note\": \"y\"}'::jsonb)")
        let woken = try heardBeforeMarker()
        #expect(woken.count == 1 && woken.first?.payload != "committed", "\(woken)")
    }

    /// A deactivated person is sent nothing: not as a system's product owner, a requester or a
    /// vendor's user (the vendor is written to at its own address then); activated, again.
    @Test func aDeactivatedPersonIsSentNoMail() throws {
        let f = try Fixture()
        let admin = try f.store()
        let recipients = { (id: String) throws -> Set<String> in
            Set(try f.sql().query("SELECT recipient FROM workflow.outbox WHERE request_id = \(id)").map { try $0.decode(0, as: String.self) })
        }
        let quoted = try f.request(in: "quoted")
        for login in [f.owner, f.requester, f.vendorA] { #expect(try admin.setActive(login, false)) }
        let proposed = try admin.propose(system: "VOLIS", title: "Kellelegi ei teatata", requester: f.requester).id
        _ = try admin.move(proposed, "reject", inputs: TransitionInputs(reason: "pole vaja"))
        _ = try admin.move(quoted, "order", inputs: TransitionInputs(vendor: "ACME"))
        let nobody = try recipients(proposed)
        #expect(nobody.isEmpty, "\(nobody)")
        let told = try f.sql().query("SELECT recipient FROM workflow.outbox WHERE request_id = \(quoted) AND transition = 'order'")
            .map { try $0.decode(0, as: String.self) }
        #expect(told.contains("info@acme.ee") && !told.contains("anna@acme.ee"), "\(told)")
        for login in [f.owner, f.requester, f.vendorA] { #expect(try admin.setActive(login, true)) }
        let again = try admin.propose(system: "VOLIS", title: "Nüüd teatatakse", requester: f.requester).id
        #expect(try recipients(again) == ["piret@example.ee"])
        _ = try admin.move(again, "reject", inputs: TransitionInputs(reason: "pole vaja"))
        #expect(try recipients(again) == ["piret@example.ee", "rein@example.ee"])
    }

    @Test func injectionStringsAreStoredVerbatim() throws {
        let f = try Fixture()
        let store = try f.store()
        let nasty = "'); DROP TABLE request; -- \" ; \\ õäöüšž"
        let id = try store.propose(system: "VOLIS", title: nasty, description: nasty, requester: nasty).id
        try store.comment(id, nasty)
        _ = try store.move(id, "reject", inputs: .init(reason: nasty))
        #expect(try store.request(id).title == nasty)
        let (events, comments) = try store.history(id)
        #expect(events.last?.inputs["reason"] == .string(nasty))
        #expect(comments.map(\.body) == [nasty])
    }
}
