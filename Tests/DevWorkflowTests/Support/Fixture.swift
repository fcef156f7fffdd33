import Foundation
import Testing
@testable import DevWorkflow

/// A migrated database with the product's people as real PostgreSQL logins: two systems, three
/// vendors (GAMMA's contract has expired), budgets, and a person for each role.
struct Fixture {
    let db: TestDatabase
    /// Logins, unique to this database (roles are cluster-wide).
    let admin = "root"
    let owner: String        // product owner of VOLIS
    let otherOwner: String   // product owner of KOVTP only
    let vendorA: String      // user of ACME
    let vendorB: String      // user of BETA
    let requester: String
    let nobody: String       // a login with no person record

    /// Today in Tallinn, read on every use: a value kept from the start of the run would be
    /// yesterday for every test after midnight, while the database's today (`now()` in Tallinn)
    /// moves on.
    static var today: LocalDate { LocalDate.today(at: Date()) }
    /// The vendors' registry codes: ACME's is the seller's on the e-invoice fixtures.
    static let acmeCode = "12345678"
    static let betaCode = "10987654"

    init(budget: Money = Money(cents: 10_000_000), cap: Money = Money(cents: 5_000_000)) throws {
        db = try TestDatabase.migrated()
        let suffix = db.name.suffix(8)
        owner = "po_\(suffix)"
        otherOwner = "po2_\(suffix)"
        vendorA = "acme_\(suffix)"
        vendorB = "beta_\(suffix)"
        requester = "req_\(suffix)"
        nobody = "nobody_\(suffix)"
        let superuser = try db.connect()
        for login in [owner, otherOwner, vendorA, vendorB, requester, nobody] {
            try superuser.execute(SQL(unsafe: "CREATE ROLE \(login) LOGIN IN ROLE devworkflow_user"))
        }
        let store = try self.store()
        let today = Fixture.today
        try store.addSystem(key: "VOLIS", name: "Volikogu infosüsteem")
        try store.addSystem(key: "KOVTP", name: "Kohaliku omavalitsuse veebiplatvorm")
        try store.addVendor(key: "ACME", name: "Acme OÜ", email: "info@acme.ee", registryCode: Fixture.acmeCode)
        try store.addVendor(key: "BETA", name: "Beta AS", email: "sales@beta.ee", lang: "en", registryCode: Fixture.betaCode)
        try store.addVendor(key: "GAMMA", name: "Gamma OÜ", email: "gamma@gamma.ee")
        try store.addContract(vendor: "ACME", number: "RL-ACME", from: today.adding(days: -365), to: today.adding(days: 365),
                              rate: Money(cents: 8000), cap: cap)
        try store.addContract(vendor: "BETA", number: "RL-BETA", from: today.adding(days: -365), to: today.adding(days: 365),
                              rate: Money(cents: 9000), cap: cap)
        try store.addContract(vendor: "GAMMA", number: "RL-GAMMA", from: today.adding(days: -800), to: today.adding(days: -1),
                              rate: Money(cents: 7000), cap: cap)
        try store.setBudget(system: "VOLIS", year: today.year, amount: budget)
        try store.setBudget(system: "KOVTP", year: today.year, amount: budget)
        try store.addPerson(login: owner, name: "Piret Omanik", email: "piret@example.ee", role: .productOwner, systems: ["VOLIS"])
        try store.addPerson(login: otherOwner, name: "Olev Teine", email: "olev@example.ee", role: .productOwner, systems: ["KOVTP"])
        try store.addPerson(login: vendorA, name: "Anna Acme", email: "anna@acme.ee", role: .vendor, vendor: "ACME")
        try store.addPerson(login: vendorB, name: "Bert Beta", email: "bert@beta.ee", role: .vendor, vendor: "BETA", lang: "en")
        try store.addPerson(login: requester, name: "Rein Soovija", email: "rein@example.ee", role: .requester)
    }

    /// A store acting as a login (the superuser admin by default).
    func store(as login: String? = nil) throws -> WorkflowStore {
        WorkflowStore(connection: try db.product(user: login))
    }

    /// A raw connection as a login, for plain SQL.
    func sql(as login: String? = nil) throws -> Connection { try db.product(user: login) }

    /// Writes as the tables' owner with the triggers off (`session_replication_role = replica`),
    /// as someone holding the superuser's password could by hand: what the product must detect,
    /// or a history the rules would not let a test write (a date in the past).
    func tamper(_ statement: String) throws {
        try db.connect().executeScript("SET search_path = workflow; SET session_replication_role = replica; \(statement); SET session_replication_role = DEFAULT;")
    }

    /// Moves orders' deadlines as a superuser could, so that a test has late orders: the order's
    /// row and its order event's deadline together, then every chain hashed again. `audit verify`
    /// without a seal cannot tell such a history from a true one (README, "What it proves"), so
    /// the check of orders against their history still holds.
    func backdate(orders requests: [String], deadline: LocalDate) throws {
        let ids = requests.map { "'\($0)'" }.joined(separator: ", ")
        try tamper("""
            UPDATE purchase_order SET deadline = '\(deadline)' WHERE request_id IN (\(ids));
            UPDATE event SET inputs = jsonb_set(inputs, '{deadline}', to_jsonb('\(deadline)'::text))
            WHERE request_id IN (\(ids)) AND transition = 'order'
            """)
        try rehashHistory()
    }

    /// Hashes every request's event chain again over its history as it stands (as sql/0008's
    /// backfill computed it), after a test rewrote the history by hand.
    func rehashHistory() throws {
        try tamper("""
            DO $$
            DECLARE
                e workflow.event;
                v_prev bytea;
            BEGIN
                FOR e IN SELECT * FROM workflow.event ORDER BY request_id, seq LOOP
                    v_prev := CASE WHEN e.seq = 1 THEN workflow.chain_genesis() ELSE v_prev END;
                    UPDATE workflow.event SET prev = v_prev,
                        hash = sha256(v_prev || convert_to(workflow.chain_content_event(e.request_id, e.seq, e.transition, e.from_state, e.to_state,
                                                                                        e.actor, e.by_login, e.at, e.inputs, e.audience), 'UTF8'))
                    WHERE id = e.id RETURNING hash INTO v_prev;
                END LOOP;
            END
            $$
            """)
    }

    /// The number of a request's order.
    func orderNumber(of request: String) throws -> String {
        try sql().query("SELECT number FROM purchase_order WHERE request_id = \(request)").first!.decode(0, as: String.self)
    }

    /// The states a new request passes through, in order, to reach each state.
    static let road = ["proposed", "prioritised", "quote_requested", "quoted", "ordered", "delivered", "accepted", "released"]

    /// A new request driven by the admin to `state`, invited ACME and BETA, ordered from ACME.
    func request(in state: String, system: String = "VOLIS", store given: WorkflowStore? = nil, price: Money = Money(cents: 100_000)) throws -> String {
        let store = try given ?? self.store()
        let id = try store.propose(system: system, title: "Muudatus \(UUID().uuidString.prefix(6))", requester: requester).id
        let today = Fixture.today
        switch state {
        case "rejected":
            _ = try store.move(id, "reject", inputs: TransitionInputs(reason: "ei ole vaja"))
            return id
        case "cancelled":
            _ = try store.move(id, "cancel", inputs: TransitionInputs(reason: "loobutud"))
            return id
        default:
            break
        }
        guard let target = Fixture.road.firstIndex(of: state) else { preconditionFailure("unknown state \(state)") }
        let steps: [(String, TransitionInputs)] = [
            ("prioritise", TransitionInputs(priority: 2)),
            ("request_quote", TransitionInputs(vendors: ["ACME", "BETA"])),
            // Enough hours at ACME's rate (80 EUR) for the price: framework rates are maximum rates.
            ("quote", TransitionInputs(vendor: "ACME", hours: Fixture.hours(for: price), price: price, delivery: today.adding(days: 30))),
            ("order", TransitionInputs(vendor: "ACME")),
            ("deliver", TransitionInputs(note: "valmis")),
            ("accept", TransitionInputs()),
            ("release", TransitionInputs(versionName: "1.0")),
        ]
        for (name, inputs) in steps.prefix(target) { _ = try store.move(id, name, inputs: inputs) }
        return id
    }

    /// The hours at ACME's rate (80 EUR an hour) that a price needs at least, to the hundredth.
    static func hours(for price: Money, rate: Int64 = 8000) -> Decimal {
        Decimal((price.cents * 100 + rate - 1) / rate) / 100
    }

    /// Counts of every table and the sum of versions: equal before and after means nothing changed.
    func fingerprint() throws -> String {
        let c = try sql()
        let row = try c.query("""
            SELECT concat_ws(',', (SELECT count(*) FROM system), (SELECT count(*) FROM vendor), (SELECT count(*) FROM contract),
              (SELECT count(*) FROM budget), (SELECT sum(amount) FROM budget), (SELECT count(*) FROM person),
              (SELECT count(*) FROM request), (SELECT coalesce(sum(version), 0) FROM request), (SELECT count(*) FROM event),
              (SELECT count(*) FROM invitation), (SELECT count(*) FROM quote), (SELECT count(*) FROM purchase_order),
              (SELECT count(*) FROM comment), (SELECT count(*) FROM outbox), (SELECT count(*) FROM calendar_closure),
              (SELECT count(*) FROM invoice), (SELECT count(*) FROM vat_rate), (SELECT coalesce(sum(used), 0) FROM budget),
              (SELECT count(*) FROM audit))
            """).first!
        return try row.decode(0)
    }
}
