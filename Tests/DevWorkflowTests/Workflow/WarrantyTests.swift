import Foundation
import Testing
@testable import DevWorkflow

/// Warranty claims on their own road, holding an order's clock, and late-delivery penalties
/// (issue 19), against the real database: the terms an order keeps, the warranty definition run by
/// the same engine, the refusals of a claim, and the penalty arithmetic on worked examples.
@Suite struct WarrantyTests {
    static func ctl(_ f: Fixture, _ arguments: [String], as login: String? = nil) throws -> Binary.Result {
        try Binary.run("workflowctl", arguments + ["--database", try f.db.conninfo(user: login), "--lang", "en"], environment: ["LANG": "en_US.UTF-8"])
    }

    static func value(_ f: Fixture, _ sql: SQL) throws -> String? {
        try f.sql().query(sql).first!.decode(0, as: String?.self)
    }

    // MARK: Terms

    @Test func anOrderKeepsTheTermsOfItsContractOnItsOrderDateAndChangingThemIsAudited() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.setContractTerms("RL-ACME", .init(warrantyMonths: 24, fixDays: 5, penaltyPerDay: 0.5, penaltyCap: 10))
        let first = try f.request(in: "ordered")
        try admin.setContractTerms("RL-ACME", .init(penaltyPerDay: 1))
        let second = try f.request(in: "ordered")
        let terms = { (id: String) in try Self.value(f, "SELECT concat_ws('/', warranty_months, fix_days, penalty_per_day, penalty_cap) FROM purchase_order WHERE request_id = \(id)") }
        #expect(try terms(first) == "24/5/0.500/10.00")
        #expect(try terms(second) == "24/5/1.000/10.00")
        // The change is on the record, with the old and the new value.
        let change = try admin.auditLog(kind: "contract").last!
        #expect(change["object"]?.plain == "RL-ACME")
        #expect(change["old"] == .object([("penalty_per_day", .number("0.500"))]))
        #expect(change["new"] == .object([("penalty_per_day", .number("1.000"))]))
        // The order's card shows the terms it kept.
        let card = try admin.details(first)
        #expect(card["terms"]?["penalty_per_day"]?.plain == "0.500")
        // contract terms --json gives numbers as numbers, as contract list does.
        let json = try JSONValue.parse(try Self.ctl(f, ["--json", "contract", "terms", "--number", "RL-ACME", "--fix-days", "7"]).stdout)
        #expect(json["fix_days"] == .number("7") && json["warranty_months"] == .number("24") && json["penalty_per_day"] == .number("1"), "\(json)")
    }

    @Test func badTermsAreRefusedWithOneLineAndChangeNothing() throws {
        let f = try Fixture()
        let before = try f.fingerprint()
        let over = try Self.ctl(f, ["contract", "terms", "--number", "RL-ACME", "--penalty-per-day", "150"])
        #expect(over.status == 65)
        #expect(over.stderr == "workflowctl: error: the penalty per day must be 0 to 100, not 150\n")
        let word = try Self.ctl(f, ["contract", "terms", "--number", "RL-ACME", "--warranty-months", "two"])
        #expect(word.status == 65, "a number that is not one is invalid data, as for every whole-number option")
        // A number with more decimals than the term keeps says how many it may have (the
        // columns' scale: numeric(6,3) a day, numeric(5,2) the cap): the database's rule and words.
        for (option, value, shown, term, places) in [("--penalty-per-day", "0.1234", "0.1234", "penalty per day", 3),
                                                      ("--penalty-cap", "10,555", "10.555", "penalty cap", 2),
                                                      ("--penalty-per-day", "0,5001", "0.5001", "penalty per day", 3)] {
            let decimals = try Self.ctl(f, ["contract", "terms", "--number", "RL-ACME", option, value])
            #expect(decimals.status == 65, "\(option) \(value): \(decimals.stderr)")
            #expect(decimals.stderr.contains("\(term) may have at most \(places) decimals, not \(shown)\n"), "\(decimals.stderr)")
        }
        let estonian = try Binary.run("workflowctl", ["contract", "terms", "--number", "RL-ACME", "--penalty-cap", "10,555", "--database", try f.db.conninfo()],
                                      environment: ["LANG": "et_EE.UTF-8"])
        #expect(estonian.stderr == "workflowctl: error: leppetrahvi ülemmäär võib olla kõige rohkem 2 kümnendkohaga, mitte 10,555\n", "\(estonian.stderr)")
        let notNumber = try Self.ctl(f, ["contract", "terms", "--number", "RL-ACME", "--penalty-cap", "kümme"])
        #expect(notNumber.status == 65 && notNumber.stderr.contains("is not a number"), "\(notNumber.stderr)")
        let none = try Self.ctl(f, ["contract", "terms", "--number", "RL-ACME"])
        #expect(none.status == 64)
        #expect(none.stderr.contains("give at least one term"))
        let missing = try Self.ctl(f, ["contract", "terms", "--number", "RL-NOPE", "--fix-days", "3"])
        #expect(missing.status == 66)
        let vendor = try Self.ctl(f, ["contract", "terms", "--number", "RL-ACME", "--fix-days", "3"], as: f.vendorA)
        #expect(vendor.status == 77)
        // A contract added with a bad term is not added at all.
        let added = try Self.ctl(f, ["contract", "add", "--vendor", "GAMMA", "--number", "RL-G2", "--from", "2090-01-01", "--to", "2090-12-31",
                                     "--rate", "50", "--cap", "1000", "--fix-days", "0"])
        #expect(added.status == 65)
        #expect(try f.fingerprint() == before)
        let threeDecimals = try Self.ctl(f, ["--json", "contract", "terms", "--number", "RL-ACME", "--penalty-per-day", "0,125", "--penalty-cap", "7,50"])
        #expect(threeDecimals.status == 0, "a day's penalty keeps three decimals: \(threeDecimals.stderr)")
        #expect(try Self.value(f, "SELECT concat_ws('/', penalty_per_day, penalty_cap) FROM contract WHERE number = 'RL-ACME'") == "0.125/7.50")
        let good = try Self.ctl(f, ["contract", "add", "--vendor", "GAMMA", "--number", "RL-G2", "--from", "2090-01-01", "--to", "2090-12-31",
                                    "--rate", "50", "--cap", "1000", "--warranty-months", "12", "--fix-days", "3", "--penalty-cap", "7,5"])
        #expect(good.status == 0, "\(good.stderr)")
        let listed = try Self.ctl(f, ["contract", "list"])
        #expect(listed.stdout.split(separator: "\n").contains { $0.contains(" RL-G2 ") && $0.hasSuffix(" 2090-01-01 – 2090-12-31") }, "\(listed.stdout)")
        let en = ReportFormatting.for(.en)
        #expect(listed.stdout.contains("\n    rate \(en.money(Money(cents: 5000))), cap \(en.money(Money(cents: 100_000))), used \(en.money(Money(cents: 0)))\n"),
                "\(listed.stdout)")
        #expect(listed.stdout.contains("\n    warranty 12 months, fix within 3 business days, at most 7.5 %\n"), "\(listed.stdout)")
    }

    // MARK: The warranty road

    @Test func aClaimRunsOnTheWarrantyDefinitionAtNoCostByTheSameVendorWithinTheFixDays() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.setContractTerms("RL-ACME", .init(warrantyMonths: 24, fixDays: 5))
        let original = try f.request(in: "released")
        let order = try f.orderNumber(of: original)
        let used = { try Self.value(f, "SELECT concat_ws('/', (SELECT used FROM budget WHERE system = 'VOLIS' AND year = \(Fixture.today.year)), (SELECT used FROM contract WHERE number = 'RL-ACME'))") }
        let usedBefore = try used()

        let opened = try Self.ctl(f, ["request", "new", "--warranty-of", order, "--title", "Vorm ei salvesta", "--json"], as: f.owner)
        #expect(opened.status == 0, "\(opened.stderr)")
        let json = try JSONValue.parse(opened.stdout)
        let claim = try #require(json["id"]?.plain)
        #expect(json["definition"]?.plain == "warranty")
        #expect(json["warranty_of"]?.plain == order)
        // Accepted today under 24 months: its last day two years from today, worked out here, not by
        // the function under test (PostgreSQL's month arithmetic takes 29 February to the 28th).
        let today = Fixture.today
        let end = LocalDate(year: today.year + 2, month: today.month, day: today.day) ?? LocalDate(year: today.year + 2, month: 2, day: 28)!
        #expect(json["warranty_end"]?.plain == end.description)

        // Only the warranty road's moves; no quoting.
        let offered = try admin.transitions(claim).options.map(\.transition)
        #expect(offered == ["order", "reject", "cancel"])
        let drawn = try Self.ctl(f, ["workflow", "show", "--definition", "warranty"])
        #expect(drawn.status == 0)
        #expect(!drawn.stdout.contains("request_quote") && drawn.stdout.contains("order: proposed -> ordered"))
        // The vendor learns of a claim when the fix is ordered, not before.
        #expect(try Self.ctl(f, ["request", "show", claim], as: f.vendorA).status == 66)

        let ordered = try f.store(as: f.owner).move(claim, "order")
        let fix = try #require(ordered.orderNumber)
        let facts = try Self.value(f, """
            SELECT concat_ws('/', o.vendor, c.number, o.price, o.gross, o.deadline)
            FROM purchase_order o JOIN contract c ON c.id = o.contract_id WHERE o.number = \(fix)
            """)
        // The fix days are business days, counted here by the calendar, not by the SQL that set them.
        let deadline = try Calendars.estonian.adding(businessDays: 5, to: today)
        #expect(facts == "ACME/RL-ACME/0.00/0.00/\(deadline)")
        #expect(try used() == usedBefore, "a warranty fix spends neither budget nor cap")
        // Linked both ways.
        #expect(try admin.details(claim)["warranty_of_request"]?.plain == original)
        guard case let .array(claims)? = try admin.details(original)["claims"] else { Issue.record("no claims on \(original)"); return }
        #expect(claims.map { $0["request"]?.plain } == [claim])
        #expect(try admin.details(claim)["warranty_end"] == nil, "a fix has no warranty of its own")
        // The vendor was told, and now reads the claim and delivers the fix.
        #expect(try Self.value(f, "SELECT count(*)::text FROM outbox WHERE request_id = \(claim) AND transition = 'order' AND recipient = 'anna@acme.ee'") == "1")
        let shown = try Self.ctl(f, ["request", "show", claim], as: f.vendorA)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("Warranty claim on: \(order) (\(original))"))
        _ = try f.store(as: f.vendorA).move(claim, "deliver", inputs: TransitionInputs(note: "parandatud"))
        _ = try admin.move(claim, "accept")
        _ = try admin.move(claim, "release", inputs: TransitionInputs(versionName: "1.0.1"))
        #expect(try admin.request(claim).state == "released")
        // A second claim on the same order is a claim of its own; a claim on the fix is not taken.
        #expect(try admin.openWarrantyClaim(on: order, title: "Teine viga").id != claim)
        let onFix = try Self.ctl(f, ["request", "new", "--warranty-of", fix, "--title", "x"])
        #expect(onFix.status == 65)
        #expect(onFix.stderr.contains("itself a warranty fix: claim on the order it fixes (\(order))"))
    }

    /// A fix is ordered from the vendor without an invitation: the vendor's report (its rows and
    /// files) still lists it, and the vendor's history of its order goes on past the delivery —
    /// accepting and releasing name no vendor in their inputs, yet concern the ordered one.
    @Test func theVendorReadsItsFixInItsReportAndItsOrdersWholeHistory() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.setContractTerms("RL-ACME", .init(warrantyMonths: 24, fixDays: 5))
        let original = try f.request(in: "released")
        let claim = try admin.openWarrantyClaim(on: try f.orderNumber(of: original), title: "Vorm ei salvesta").id
        let fix = try #require(try f.store(as: f.owner).move(claim, "order").orderNumber)
        _ = try admin.attach(claim, name: "veateade.txt", kind: "spec", reading: RequestFilesTests.reader([[7, 7]]))
        for login in [nil, f.vendorA] {
            let run = try Self.ctl(f, ["report", "vendor", "ACME", "--format", "json"], as: login)
            #expect(run.status == 0, "\(run.stderr)")
            let report = try JSONValue.parse(run.stdout)
            func rows(_ id: String) -> [JSONValue] {
                guard case let .array(sections)? = report["sections"], let section = sections.first(where: { $0["id"]?.plain == id }),
                      case let .array(rows)? = section["rows"] else { return [] }
                return rows
            }
            let mine = rows("requests").filter { $0["request"]?.plain == claim }
            #expect(mine.count == 1 && mine.first?["order_number"]?.plain == fix, "\(login ?? "admin"): \(rows("requests").map(\.text))")
            #expect(rows("action").contains { $0["request"]?.plain == claim }, "the fix's deadline is the vendor's to meet")
            #expect(rows("files").contains { $0["request"]?.plain == claim && $0["file_name"]?.plain == "veateade.txt" })
        }
        // The other vendor's report does not list it.
        #expect(!(try Self.ctl(f, ["report", "vendor", "BETA", "--format", "csv"]).stdout.contains(claim)))

        let history = try JSONValue.parse(try Self.ctl(f, ["request", "history", original, "--json"], as: f.vendorA).stdout)
        let steps = history["events"]?.arrayValue?.compactMap { $0["transition"]?.plain } ?? []
        #expect(Array(steps.suffix(3)) == ["deliver", "accept", "release"], "\(steps)")
        // A vendor quoting without an order reads no step after the order to another vendor.
        let lost = try JSONValue.parse(try Self.ctl(f, ["request", "history", original, "--json"], as: f.vendorB).stdout)
        let theirs = lost["events"]?.arrayValue?.compactMap { $0["transition"]?.plain } ?? []
        #expect(!theirs.contains("accept") && !theirs.contains("deliver"), "\(theirs)")
    }

    @Test func aClaimIsRefusedBeforeAcceptanceWithoutWarrantyAfterItEndedAndForWhoMayNotPropose() throws {
        let f = try Fixture()
        let admin = try f.store()
        let withoutTerms = try f.orderNumber(of: try f.request(in: "accepted"))
        try admin.setContractTerms("RL-ACME", .init(warrantyMonths: 12, fixDays: 5))
        let notAccepted = try f.orderNumber(of: try f.request(in: "delivered"))
        let accepted = try f.request(in: "accepted")
        let old = try f.orderNumber(of: accepted)
        let before = try f.fingerprint()

        let cases: [(String, [String], String?, Int32, String)] = [
            ("not accepted", ["--warranty-of", notAccepted], nil, 65, "has not been accepted: its warranty has not started"),
            ("no warranty", ["--warranty-of", withoutTerms], nil, 65, "was ordered without a warranty (contract RL-ACME)"),
            ("no such order", ["--warranty-of", "ORD-2099-9999"], nil, 66, "no order ORD-2099-9999"),
            ("a vendor", ["--warranty-of", old], f.vendorA, 77, "is a vendor user and may not propose requests"),
            // BETA was invited to quote for it: it sees the request, and may not propose either.
            ("another vendor", ["--warranty-of", old], f.vendorB, 77, "is a vendor user and may not propose requests"),
            ("both", ["--warranty-of", old, "--system", "VOLIS"], nil, 64, "--system does not go with --warranty-of"),
            ("neither", [], nil, 64, "give --system"),
        ]
        for (name, options, login, status, text) in cases {
            let result = try Self.ctl(f, ["request", "new", "--title", "Viga"] + options, as: login)
            #expect(result.status == status, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(text), "\(name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): one line")
        }
        #expect(try f.fingerprint() == before)

        // Accepted 13 months ago under a 12-month warranty: ended.
        try f.tamper("UPDATE purchase_order SET accepted_at = now() - interval '13 months' WHERE number = '\(old)'")
        let ended = try Self.ctl(f, ["request", "new", "--warranty-of", old, "--title", "Viga"])
        #expect(ended.status == 65)
        #expect(ended.stderr.contains("the warranty of \(old) ended on"))
        // On its last day it is still open: accepted a year ago to the day. On 29 February no day a
        // year ago ends today; then the day after that year's 28 February, which ends tomorrow.
        let today = Fixture.today
        let acceptedOn = LocalDate(year: today.year - 1, month: today.month, day: today.day) ?? LocalDate(year: today.year - 1, month: 3, day: 1)!
        try f.tamper("UPDATE purchase_order SET accepted_at = '\(acceptedOn) 12:00 Europe/Tallinn' WHERE number = '\(old)'")
        #expect(try Self.ctl(f, ["request", "new", "--warranty-of", old, "--title", "Viga"]).status == 0)
    }

    // MARK: Holding the clock

    @Test func aHoldAndAResumeAreEventsTheVendorHearsOfAndADeliveryEndsAHold() throws {
        let f = try Fixture()
        let id = try f.request(in: "ordered")
        let held = try Self.ctl(f, ["request", "hold", id, "--reason", "ootame testkeskkonda"], as: f.owner)
        #expect(held.status == 0, "\(held.stderr)")
        #expect(try Self.value(f, "SELECT (held_since IS NOT NULL)::text FROM purchase_order WHERE request_id = \(id)") == "true")
        #expect(try Self.value(f, "SELECT inputs ->> 'reason' FROM event WHERE request_id = \(id) AND transition = 'hold'") == "ootame testkeskkonda")
        #expect(try Self.value(f, "SELECT count(*)::text FROM outbox WHERE request_id = \(id) AND transition = 'hold' AND recipient = 'anna@acme.ee'") == "1")
        // The vendor reads the hold in its history; it may not hold or resume.
        #expect(try f.store(as: f.vendorA).history(id).events.contains { $0.transition == "hold" })
        #expect(try Self.ctl(f, ["request", "resume", id], as: f.vendorA).status == 77)
        let twice = try Self.ctl(f, ["request", "hold", id, "--reason", "veel"], as: f.owner)
        #expect(twice.status == 65)
        #expect(twice.stderr.contains("is on hold since"))
        #expect(try Self.ctl(f, ["request", "resume", id], as: f.owner).status == 0)
        #expect(try Self.ctl(f, ["request", "resume", id], as: f.owner).status == 65)
        // Held again, then delivered: the delivery ends the hold.
        _ = try f.store().move(id, "hold", inputs: TransitionInputs(reason: "uuesti"))
        _ = try f.store(as: f.vendorA).move(id, "deliver", inputs: TransitionInputs(note: "valmis"))
        #expect(try Self.value(f, "SELECT held_since::text FROM purchase_order WHERE request_id = \(id)") == nil)
        // Only an ordered request is held.
        let proposed = try Self.ctl(f, ["request", "hold", try f.request(in: "proposed"), "--reason", "x"], as: f.owner)
        #expect(proposed.status == 65)
        #expect(proposed.stderr.contains("is proposed: 'hold' is not possible now"))
    }

    /// `request hold --reason` is asked why the buyer holds the work up, not "why (reject, return,
    /// cancel)"; `request move --reason` names every transition of both definitions that asks for one.
    @Test func theReasonsHelpFitsHoldAndMoveNamesEveryTransitionThatAsksForOne() throws {
        let f = try Fixture()
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for (language, locale) in [(Language.en, "en_US.UTF-8"), (.et, "et_EE.UTF-8")] {
            let hold = words(try Binary.run("workflowctl", ["request", "hold", "--help"], environment: ["LANG": locale]).stdout)
            #expect(hold.contains("--reason TEXT " + words(Message("help.option.request.hold.reason").text(language))), "\(hold)")
            #expect(!hold.contains(Message("transition.reject").text(language)), "\(hold)")
            let moveHelp = words(try Binary.run("workflowctl", ["request", "move", "--help"], environment: ["LANG": locale]).stdout)
            // The --reason option's own text, up to the next option.
            let move = moveHelp.components(separatedBy: "--reason TEXT ").dropFirst().first?.components(separatedBy: " --").first ?? ""
            let store = try f.store()
            let asking = try ["small_development", "warranty"].flatMap { try store.definition($0).transitions }.filter { $0.required.contains(.reason) }
            #expect(Set(asking.map(\.name)) == ["reject", "return", "cancel", "hold"])
            for transition in Set(asking.map(\.name)) {
                #expect(move.contains(Message("transition.\(transition)").text(language)), "\(language): move's --reason names \(transition): \(move)")
            }
        }
    }

    // MARK: Penalties

    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let deadline: String
        let delivered: String
        let holds: [(String, String)]
        let price: String
        let rate: String
        let cap: String?
        /// days late / held / counted / amount / cap amount / penalty / capped
        let expected: String
        var testDescription: String { name }
    }

    /// Worked examples, each figure computed by hand.
    static let examples: [Example] = [
        Example(name: "late, no hold", deadline: "2026-03-10", delivered: "2026-03-22", holds: [], price: "10000.00", rate: "0.5", cap: "10",
                expected: "12/0/12/600.00/1000.00/600.00/f"),
        Example(name: "late, a hold inside the late period", deadline: "2026-03-10", delivered: "2026-03-22", holds: [("2026-03-15", "2026-03-18")],
                price: "10000.00", rate: "0.5", cap: "10", expected: "12/3/9/450.00/1000.00/450.00/f"),
        Example(name: "a hold before the deadline does not count", deadline: "2026-03-10", delivered: "2026-03-22",
                holds: [("2026-03-01", "2026-03-05")], price: "10000.00", rate: "0.5", cap: "10", expected: "12/0/12/600.00/1000.00/600.00/f"),
        Example(name: "a hold across the deadline counts its late days", deadline: "2026-03-10", delivered: "2026-03-22",
                holds: [("2026-03-08", "2026-03-13")], price: "10000.00", rate: "0.5", cap: "10", expected: "12/2/10/500.00/1000.00/500.00/f"),
        Example(name: "the cap reached", deadline: "2026-01-10", delivered: "2026-02-19", holds: [], price: "10000.00", rate: "0.5", cap: "10",
                expected: "40/0/40/2000.00/1000.00/1000.00/t"),
        Example(name: "delivered on the deadline", deadline: "2026-03-10", delivered: "2026-03-10", holds: [], price: "10000.00", rate: "0.5", cap: "10",
                expected: "0/0/0/0.00/1000.00/0.00/f"),
        Example(name: "no cap", deadline: "2026-01-10", delivered: "2026-02-19", holds: [], price: "10000.00", rate: "0.5", cap: nil,
                expected: "40/0/40/2000.00//2000.00/f"),
        Example(name: "rounded once, to the cent", deadline: "2026-05-01", delivered: "2026-05-08", holds: [], price: "333.33", rate: "0.333", cap: "100",
                expected: "7/0/7/7.77/333.33/7.77/f"),
        Example(name: "held the whole late period", deadline: "2026-03-10", delivered: "2026-03-14", holds: [("2026-03-09", "2026-03-20")],
                price: "1000.00", rate: "1", cap: "10", expected: "4/4/0/0.00/100.00/0.00/f"),
    ]

    @Test(arguments: examples) func thePenaltyArithmeticOnWorkedExamples(_ e: Example) throws {
        let db = try TestDatabase.migrated().connect()
        let holds = "{" + e.holds.map { "\"[\($0.0),\($0.1))\"" }.joined(separator: ",") + "}"
        let row = try db.query("""
            SELECT concat_ws('/', days_late, held_days, days_counted, amount, coalesce(cap_amount::text, ''), penalty, capped)
            FROM workflow.penalty_figures(\(e.deadline)::date, \(e.delivered)::date, \(holds)::daterange[], \(e.price)::numeric,
                                          \(e.rate)::numeric, \(e.cap)::numeric)
            """).first!
        #expect(try row.decode(0, as: String.self) == e.expected)
    }

    @Test func penaltiesAreComputedFromTheHistoryAndBothPartiesReadTheSameFigures() throws {
        let f = try Fixture()
        let admin = try f.store()
        try admin.setContractTerms("RL-ACME", .init(penaltyPerDay: 0.5, penaltyCap: 10))
        let late = try f.request(in: "ordered", price: Money(cents: 1_000_000))
        _ = try admin.move(late, "hold", inputs: TransitionInputs(reason: "ootame"))
        _ = try admin.move(late, "resume")
        _ = try admin.move(late, "hold", inputs: TransitionInputs(reason: "jälle"))
        _ = try f.store(as: f.vendorA).move(late, "deliver", inputs: TransitionInputs(note: "valmis"))
        let onTime = try f.request(in: "delivered")
        let running = try f.request(in: "ordered")
        // The history as it happened in spring (times in Tallinn): deadline 10 March; held 15–17
        // March; held again from 21 March until the delivery on 22 March.
        try f.tamper("""
            UPDATE purchase_order SET deadline = '2026-03-10' WHERE request_id = '\(late)';
            UPDATE event SET at = '2026-03-15 10:00+02' WHERE request_id = '\(late)' AND transition = 'hold' AND inputs ->> 'reason' = 'ootame';
            UPDATE event SET at = '2026-03-18 09:00+02' WHERE request_id = '\(late)' AND transition = 'resume';
            UPDATE event SET at = '2026-03-21 16:00+02' WHERE request_id = '\(late)' AND transition = 'hold' AND inputs ->> 'reason' = 'jälle';
            UPDATE event SET at = '2026-03-22 12:00+02' WHERE request_id = '\(late)' AND transition = 'deliver';
            UPDATE purchase_order SET delivered_at = '2026-03-22 12:00+02' WHERE request_id = '\(late)';
            UPDATE purchase_order SET deadline = '2026-03-10', delivered_at = '2026-03-10 23:30+02' WHERE request_id = '\(onTime)';
            UPDATE purchase_order SET deadline = '2026-11-30' WHERE request_id = '\(running)';
            """)
        let query: SQL = """
            SELECT request, concat_ws('/', deadline, coalesce(delivered::text, ''), running, base_price, rate, cap, days_late, held_days, days_counted, amount, penalty, capped),
                   holds::text
            FROM workflow.penalties(2026, NULL, '2026-12-03') ORDER BY deadline
            """
        func rows(_ login: String?) throws -> [[String]] {
            try f.sql(as: login).query(query).map { [try $0.decode(0), try $0.decode(1), try $0.decode(2)] }
        }
        let buyer = try rows(nil)
        #expect(buyer.map { $0[0] } == [late, running], "delivered on the deadline is not late")
        // 12 days late, 3 + 1 held (15–17 and 21 March), 8 counted: 10 000.00 × 0.5 % × 8 = 400.00.
        #expect(buyer.first?[1] == "2026-03-10/2026-03-22/f/10000.00/0.500/10.00/12/4/8/400.00/400.00/f")
        #expect(buyer.first?[2] == #"[{"to": "2026-03-17", "from": "2026-03-15"}, {"to": "2026-03-21", "from": "2026-03-21"}]"#)
        // Not delivered: late so far, to the day asked about (3 days after 30 November).
        #expect(buyer.last?[1] == "2026-11-30//t/1000.00/0.500/10.00/3/0/3/15.00/15.00/f")
        // The vendor's copy is the buyer's, for its own orders; another vendor sees none of them.
        #expect(try rows(f.vendorA) == buyer)
        #expect(try rows(f.vendorB).isEmpty)
        #expect(try rows(f.owner) == buyer)
        #expect(throws: (any Error).self) { try rows(f.nobody) }
    }
}
