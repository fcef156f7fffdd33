import Foundation
import Testing
@testable import DevWorkflow

/// One rule, one place: every refusal a move can meet, run every way a move comes in — psql
/// calling `workflow.move()`, `workflowctl request move --dry-run`, `workflowctl request move`, and,
/// for a permission or a guard that reads no input, `request transitions` — must give the same message key and exit code, and
/// change nothing. The list of refusals is read from the database (the functions a move runs
/// and the refusals each guard declares), so a refusal added without a case here fails the test.
@Suite struct RefusalTests {
    /// One refusal: who tries what on which request, as JSON for psql and as options for workflowctl.
    struct Case: Sendable, CustomTestStringConvertible {
        let key: String
        let login: @Sendable (Fixture) -> String
        let request: @Sendable (Fixture) throws -> String
        let transition: String
        let json: JSONValue
        /// workflowctl's options for the same inputs; nil when a command line cannot say it (a
        /// JSON value that is not text), with the reason.
        let options: [String]?
        var expectedVersion: (@Sendable (Fixture, String) throws -> Int)? = nil
        var actAs: (@Sendable (Fixture) -> String)? = nil
        var testDescription: String { key }
    }

    static func the(_ state: String, system: String = "VOLIS") -> @Sendable (Fixture) throws -> String { { try $0.request(in: state, system: system) } }
    static let admin: @Sendable (Fixture) -> String = { $0.admin }
    static let owner: @Sendable (Fixture) -> String = { $0.owner }

    /// Refusals the small development road cannot produce, and why (another definition may).
    static let unreachable: [String: String] = [
        "error.not_quoted": "order leaves only from quoted, where some vendor has quoted: the refusal names them (not_quoted_others)",
        "error.quoted_already": "not_quoted is no step's guard: only `request list --mine` asks it, whether a request still waits for a vendor's quote (sql/0049)",
    ]

    static let cases: [Case] = [
        // Who acts.
        Case(key: "error.no_person", login: { $0.nobody }, request: the("proposed"), transition: "prioritise", json: ["priority": "2"], options: ["--priority", "2"]),
        Case(key: "error.act_as_admins_only", login: owner, request: the("proposed"), transition: "prioritise", json: ["priority": "2"],
             options: ["--priority", "2"], actAs: { $0.requester }),
        Case(key: "error.no_person_to_act_as", login: admin, request: the("proposed"), transition: "prioritise", json: ["priority": "2"],
             options: ["--priority", "2"], actAs: { _ in "ghost" }),
        // Which request, which version, which step.
        Case(key: "error.no_request", login: { $0.vendorB }, request: the("proposed"), transition: "prioritise", json: ["priority": "2"], options: ["--priority", "2"]),
        Case(key: "error.changed", login: owner, request: the("proposed"), transition: "prioritise", json: ["priority": "2"], options: ["--priority", "2"],
             expectedVersion: { _, _ in 7 }),
        Case(key: "error.unknown_transition", login: owner, request: the("proposed"), transition: "fly", json: [:], options: []),
        Case(key: "error.not_possible_now", login: owner, request: the("proposed"), transition: "accept", json: [:], options: []),
        Case(key: "error.not_possible_final", login: owner, request: the("rejected"), transition: "accept", json: [:], options: []),
        Case(key: "error.may_not", login: { $0.otherOwner }, request: the("proposed"), transition: "prioritise", json: ["priority": "2"], options: ["--priority", "2"]),
        // Its inputs.
        Case(key: "error.missing_inputs", login: owner, request: the("proposed"), transition: "prioritise", json: [:], options: []),
        Case(key: "error.extra_inputs", login: owner, request: the("proposed"), transition: "prioritise", json: ["priority": "2", "note": "x"],
             options: ["--priority", "2", "--note", "x"]),
        Case(key: "error.inputs_object", login: owner, request: the("proposed"), transition: "prioritise", json: ["2"], options: nil),
        Case(key: "error.priority_range", login: owner, request: the("proposed"), transition: "prioritise", json: ["priority": "9"], options: ["--priority", "9"]),
        Case(key: "error.hours_format", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "NaN", "price": "100", "delivery": "2099-01-01"], options: ["--hours", "NaN", "--price", "100", "--delivery", "2099-01-01"]),
        Case(key: "error.money_format", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "Infinity", "delivery": "2099-01-01"], options: ["--hours", "10", "--price", "Infinity", "--delivery", "2099-01-01"]),
        Case(key: "error.hours_range", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "0", "price": "100", "delivery": "2099-01-01"], options: ["--hours", "0", "--price", "100", "--delivery", "2099-01-01"]),
        Case(key: "error.price_positive", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "0", "delivery": "2099-01-01"], options: ["--hours", "10", "--price", "0", "--delivery", "2099-01-01"]),
        Case(key: "error.amount_too_large", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "1000000000000", "delivery": "2099-01-01"],
             options: ["--hours", "10", "--price", "1000000000000", "--delivery", "2099-01-01"]),
        Case(key: "error.date_format", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "100", "delivery": "infinity"], options: ["--hours", "10", "--price", "100", "--delivery", "infinity"]),
        Case(key: "error.date_range", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "100", "delivery": "2200-01-01"], options: ["--hours", "10", "--price", "100", "--delivery", "2200-01-01"]),
        Case(key: "error.date_past", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "100", "delivery": "2001-01-01"], options: ["--hours", "10", "--price", "100", "--delivery", "2001-01-01"]),
        Case(key: "error.text_expected", login: owner, request: the("proposed"), transition: "reject", json: ["reason": ["a": 1]], options: nil),
        Case(key: "error.too_long", login: owner, request: the("proposed"), transition: "reject", json: ["reason": .string(String(repeating: "ä", count: 5001))],
             options: ["--reason", String(repeating: "ä", count: 5001)]),
        Case(key: "error.vendors_needed", login: owner, request: the("prioritised"), transition: "request_quote", json: ["vendors": []], options: nil),
        Case(key: "error.vendor_twice", login: owner, request: the("prioritised"), transition: "request_quote", json: ["vendors": ["ACME", "ACME"]],
             options: ["--vendor", "ACME", "--vendor", "ACME"]),
        // The guards.
        Case(key: "error.no_vendor", login: owner, request: the("prioritised"), transition: "request_quote", json: ["vendors": ["ACME", "NOPE"]],
             options: ["--vendor", "ACME", "--vendor", "NOPE"]),
        Case(key: "error.contract_expired", login: owner, request: the("prioritised"), transition: "request_quote", json: ["vendors": ["GAMMA"]],
             options: ["--vendor", "GAMMA"]),
        Case(key: "error.no_contract_at_all", login: owner, request: the("prioritised"), transition: "request_quote", json: ["vendors": ["DELTA"]],
             options: ["--vendor", "DELTA"]),
        Case(key: "error.other_vendor", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["vendor": "BETA", "hours": "10", "price": "100", "delivery": "2099-01-01"],
             options: ["--vendor", "BETA", "--hours", "10", "--price", "100", "--delivery", "2099-01-01"]),
        Case(key: "error.quote_needs_vendor", login: owner, request: the("quote_requested"), transition: "quote",
             json: ["hours": "10", "price": "100", "delivery": "2099-01-01"], options: ["--hours", "10", "--price", "100", "--delivery", "2099-01-01"]),
        Case(key: "error.not_invited", login: owner, request: the("quote_requested"), transition: "quote",
             json: ["vendor": "GAMMA", "hours": "10", "price": "100", "delivery": "2099-01-01"],
             options: ["--vendor", "GAMMA", "--hours", "10", "--price", "100", "--delivery", "2099-01-01"]),
        Case(key: "error.over_rate", login: { $0.vendorA }, request: the("quote_requested"), transition: "quote",
             json: ["hours": "1", "price": "1000", "delivery": "2099-01-01"], options: ["--hours", "1", "--price", "1000", "--delivery", "2099-01-01"]),
        Case(key: "error.not_quoted_others", login: owner, request: the("quoted"), transition: "order", json: ["vendor": "BETA"], options: ["--vendor", "BETA"]),
        Case(key: "error.over_cap", login: owner, request: { f in try f.request(in: "quoted", price: Money(cents: 600_000)) }, transition: "order",
             json: ["vendor": "ACME"], options: ["--vendor", "ACME"]),
        Case(key: "error.over_budget_gross", login: owner, request: { f in try f.request(in: "quoted", system: "VOLIS", price: Money(cents: 200_000)) },
             transition: "order", json: ["vendor": "ACME"], options: ["--vendor", "ACME"]),
        Case(key: "error.no_budget", login: { $0.otherOwner }, request: the("quoted", system: "KOVTP"), transition: "order", json: ["vendor": "ACME"],
             options: ["--vendor", "ACME"]),
        Case(key: "error.ordered_from_other", login: owner, request: the("ordered"), transition: "deliver", json: ["vendor": "BETA", "note": "x"],
             options: ["--vendor", "BETA", "--note", "x"]),
        // Holding the clock, and the warranty road.
        Case(key: "error.already_held", login: owner, request: { f in try held(f) }, transition: "hold", json: ["reason": "again"],
             options: ["--reason", "again"]),
        Case(key: "error.not_held", login: owner, request: the("ordered"), transition: "resume", json: [:], options: []),
        Case(key: "error.fix_deadline_needed", login: owner, request: { f in try claim(f, fixDays: nil) }, transition: "order", json: [:], options: []),
        // Two faults at once: every way meets the earlier check first.
        Case(key: "error.no_request", login: { $0.vendorB }, request: the("proposed"), transition: "fly", json: ["x": "y"], options: nil),
        Case(key: "error.may_not", login: { $0.otherOwner }, request: the("proposed"), transition: "prioritise", json: [:], options: []),
        Case(key: "error.extra_inputs", login: owner, request: the("proposed"), transition: "prioritise", json: ["priority": "9", "note": "x"],
             options: ["--priority", "9", "--note", "x"]),
    ]

    /// An ordered request whose clock the buyer holds.
    static func held(_ f: Fixture) throws -> String {
        let id = try f.request(in: "ordered")
        _ = try f.store().move(id, "hold", inputs: TransitionInputs(reason: "ootame"))
        return id
    }

    /// A warranty claim (proposed) on an accepted ACME order placed under a 12-month warranty,
    /// with the fix days given or none.
    static func claim(_ f: Fixture, fixDays: Int?) throws -> String {
        let store = try f.store()
        try store.setContractTerms("RL-ACME", .init(warrantyMonths: 12, fixDays: fixDays))
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        return try store.openWarrantyClaim(on: order, title: "Viga").id
    }

    /// The exit code workflowctl gives a database refusal of this SQLSTATE.
    static func exitCode(_ state: SQLState?) -> Int32 {
        WorkflowCtl.exitCode(for: WorkflowError(postgres: PostgresError(code: .server, sqlState: state, message: "")).code)
    }

    /// Sets up what some cases need beyond the fixture: a vendor without any contract, a budget of
    /// 1 500 for VOLIS and a cap of 5 000 (so 2 000 is over the budget only, 6 000 over the cap), KOVTP without a budget.
    static func fixture() throws -> Fixture {
        let f = try Fixture(budget: Money(cents: 150_000), cap: Money(cents: 500_000))
        try f.store().addVendor(key: "DELTA", name: "Delta OÜ", email: "delta@delta.ee")
        try f.sql().execute("DELETE FROM budget WHERE system = 'KOVTP'")
        return f
    }

    @Test func everyRefusalAMoveCanMeetIsCoveredHere() throws {
        let db = try TestDatabase.migrated().connect()
        // The refusals raised by the functions a move runs, and those its guards declare.
        let text = try db.query("""
            SELECT string_agg(prosrc, E'\\n') FROM pg_proc WHERE pronamespace = 'workflow'::regnamespace
              AND proname IN ('move', 'actor', 'acting_person', 'visible_request', 'transition_now', 'permission_refusal', 'checked_inputs',
                              'input_value', 'contract_on', 'run_step', 'refuse_final') OR (pronamespace = 'workflow'::regnamespace AND proname LIKE 'step\\_%')
            """).first!.decode(0, as: String.self)
        let pattern = try NSRegularExpression(pattern: #"'(error\.[a-z_]+)'"#)
        var raised = Set(pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range(at: 1), in: text)!]) })
        for row in try db.query("SELECT DISTINCT unnest(refusals) FROM workflow.workflow_step") { raised.insert(try row.decode(0)) }
        // 'error.' || kind || '_format' in input_value.
        raised.formUnion(["error.hours_format", "error.money_format"])
        let covered = Set(Self.cases.map(\.key)).union(Self.unreachable.keys)
        #expect(raised.subtracting(covered).isEmpty, "refusals without a case: \(raised.subtracting(covered).sorted())")
        #expect(covered.subtracting(raised).isEmpty, "cases for refusals a move cannot raise: \(covered.subtracting(raised).sorted())")
    }

    @Test(arguments: cases) func aRefusalIsTheSameEveryWayIn(_ c: Case) throws {
        let f = try Self.fixture()
        let id = try c.request(f)
        let login = c.login(f)
        let version = try c.expectedVersion?(f, id)
        let before = try f.fingerprint()

        // psql: the function itself, as the login.
        let plain = try f.db.connect(user: login)
        if let actAs = c.actAs { try plain.execute(SQL(unsafe: "SET devworkflow.act_as = '\(actAs(f))'")) }
        var psqlState: SQLState?, psqlKey: String?
        do {
            _ = try plain.query("SELECT workflow.move(\(id), \(c.transition), \(version.map(Int32.init)), \(JSONDocument(text: c.json.text)))")
            Issue.record("\(c.key): psql moved")
        } catch let error as PostgresError {
            psqlState = error.sqlState
            psqlKey = WorkflowError.catalogueText(in: error.detail)?.key
        }
        #expect(psqlKey == c.key, "\(c.key): psql refused with \(psqlKey ?? "no key") (\(String(describing: psqlState)))")
        #expect(try f.fingerprint() == before)

        // workflowctl, with --dry-run and without: the same key and the exit code of that SQLSTATE.
        guard let options = c.options else { return }
        var arguments = ["--json", "request", "move", id, c.transition] + options + ["--database", try f.db.conninfo(user: login)]
        if let version { arguments += ["--expect-version", "\(version)"] }
        if let actAs = c.actAs { arguments += ["--as", actAs(f)] }
        for dryRun in [true, false] {
            let result = try Binary.run("workflowctl", arguments + (dryRun ? ["--dry-run"] : []), environment: ["LANG": "en_US.UTF-8"])
            #expect(result.status == Self.exitCode(psqlState), "\(c.key) dry run \(dryRun): exit \(result.status): \(result.stderr)")
            let key = (try? JSONValue.parse(result.stdout))?["error"]?["message_key"]?.plain
            #expect(key == c.key, "\(c.key) dry run \(dryRun): \(result.stdout) \(result.stderr)")
            #expect(result.stderr.hasPrefix("workflowctl: error: ") && result.stderr.filter { $0 == "\n" }.count == 1)
            #expect(try f.fingerprint() == before, "\(c.key): the database changed")
        }

        // A permission refusal, and the refusal of a guard that reads no input (sql/0022), is what
        // `request transitions` says of that step, too.
        let standing = try f.sql().query("SELECT DISTINCT unnest(refusals) FROM workflow.workflow_step WHERE NOT reads_inputs")
            .map { try $0.decode(0, as: String.self) }
        if c.key == "error.may_not" || standing.contains(c.key) {
            let result = try Binary.run("workflowctl", ["--json", "request", "transitions", id, "--database", try f.db.conninfo(user: login)])
            #expect(result.status == 0, "\(result.stderr)")
            guard case let .array(options)? = try JSONValue.parse(result.stdout)["transitions"] else {
                Issue.record("no transitions: \(result.stdout)")
                return
            }
            let option = options.first { $0["name"]?.plain == c.transition }
            #expect(option?["allowed"] == .bool(false))
            #expect(option?["reason_key"]?.plain == c.key)
            #expect(try f.fingerprint() == before, "\(c.key): request transitions changed the database")
        }
    }
}
