import Foundation

/// The demo's warranty claim and late orders (issue 19).
extension DemoData {
    /// Every demo contract's terms.
    static let terms = WorkflowStore.ContractTerms(warrantyMonths: 24, fixDays: 5, penaltyPerDay: 0.5, penaltyCap: 10)

    /// A defect found in a released change: a claim on its order, ordered from the same vendor at
    /// no cost, due in the contract's five business days.
    func warrantyClaim() throws {
        defer { try? act(as: nil) }
        guard let row = try store.run("""
            SELECT o.number, r.system FROM purchase_order o JOIN request r ON r.id = o.request_id
            WHERE r.state = 'released' AND r.definition = 'small_development' ORDER BY o.number LIMIT 1
            """).first else { return }
        let order: String = try row.decode(0), system: String = try row.decode(1)
        try act(as: owner(of: system))
        let claim = try store.openWarrantyClaim(on: order, title: "Garantiiviga: eksport katkeb täpitähtedega failinime korral",
                                                description: "Pärast paigaldust katkeb eksport, kui failinimes on õ, ä, ö või ü.", requester: "tiina")
        let fix = try store.move(claim.id, "order")
        log(Message("out.demo.claim", ["request": "\(claim.id)", "order": "\(order)", "fix": "\(fix.orderNumber ?? "")",
                                       "deadline": "\(fix.inputs["deadline"]?.plain ?? "")"]))
    }

    /// Two orders whose deadlines passed: one delivered ten days late after the buyer held it
    /// three days, one still not delivered. The clock cannot be turned back through the rules, so
    /// the cluster's owner (the embedded default's superuser) writes their history weeks earlier,
    /// each step on its own day, and links their hash chains again so `audit verify` holds. Left
    /// out, with a line saying why, on a database the demo does not own or early in January (an
    /// order's year is its budget's).
    func lateOrders() throws {
        let today = store.today
        let superuser: Bool = try store.run("SELECT rolsuper FROM pg_roles WHERE rolname = session_user").first?.decode(0) ?? false
        guard superuser, today.adding(days: -46).year == today.year else {
            log(Message("out.demo.no_late_orders"))
            return
        }
        // Days before today of each step: ordered 40 days ago (the quote's delivery date, 24 or 25
        // days on, became a deadline 16 or 15 days ago), held 12 days ago, resumed 9, delivered 5.
        // Every date the steps were given moves with the order: 40 days (a quotes' due date to the
        // business day it then falls on or after, as the product counts due dates).
        let delivered = try lateOrder(system: "KOVTP", title: "Istungite salvestiste arhiiv", seed: 4, holdAndDeliver: true)
        let running = try lateOrder(system: "ANNATEADA", title: "Teadete kaardi klasterdamine", seed: 5, holdAndDeliver: false)
        for id in [delivered, running] {
            try store.connection.transaction {
                try store.connection.execute("SET LOCAL session_replication_role = replica")
                try store.connection.execute(SQL("""
                    WITH days(transition, n) AS (VALUES ('propose', 46), ('prioritise', 45), ('request_quote', 44), ('quote', 42),
                                                        ('order', 40), ('hold', 12), ('resume', 9), ('deliver', 5))
                    UPDATE workflow.event e SET at = e.at - make_interval(days => d.n),
                        inputs = coalesce((SELECT jsonb_object_agg(k, CASE WHEN k = 'due'
                                                                       THEN to_jsonb(workflow.add_business_days((v #>> '{}')::date - 41, 1)::text)
                                                                       WHEN k IN ('delivery', 'deadline')
                                                                       THEN to_jsonb(((v #>> '{}')::date - 40)::text) ELSE v END)
                                           FROM jsonb_each(e.inputs) x(k, v)), '{}')
                    FROM days d WHERE e.request_id = \(id) AND d.transition = e.transition
                    """))
                try store.connection.execute(SQL("""
                    UPDATE workflow.request r SET created_at = r.created_at - interval '46 days',
                        quote_due = workflow.add_business_days(r.quote_due - 41, 1),
                        state_since = (SELECT max(at) FROM workflow.event WHERE request_id = r.id)
                    WHERE r.id = \(id)
                    """))
                try store.connection.execute(SQL("""
                    UPDATE workflow.invitation SET invited_at = invited_at - interval '44 days', due = workflow.add_business_days(due - 41, 1)
                    WHERE request_id = \(id)
                    """))
                try store.connection.execute(SQL("""
                    UPDATE workflow.quote SET quoted_at = quoted_at - interval '42 days', delivery = delivery - 40 WHERE request_id = \(id)
                    """))
                try store.connection.execute(SQL("""
                    UPDATE workflow.purchase_order SET ordered_at = ordered_at - interval '40 days', order_date = order_date - 40,
                        deadline = deadline - 40, delivered_at = delivered_at - interval '5 days' WHERE request_id = \(id)
                    """))
                // The request's chain, linked again event by event in the trigger's own encoding.
                try store.connection.execute(SQL("""
                    WITH RECURSIVE linked(id, seq, prev, hash) AS (
                        SELECT e.id, e.seq, workflow.chain_genesis(),
                               sha256(workflow.chain_genesis() || convert_to(workflow.chain_content_event(e.request_id, e.seq, e.transition,
                                   e.from_state, e.to_state, e.actor, e.by_login, e.at, e.inputs, e.audience), 'UTF8'))
                        FROM workflow.event e WHERE e.request_id = \(id) AND e.seq = 1
                        UNION ALL
                        SELECT e.id, e.seq, l.hash,
                               sha256(l.hash || convert_to(workflow.chain_content_event(e.request_id, e.seq, e.transition,
                                   e.from_state, e.to_state, e.actor, e.by_login, e.at, e.inputs, e.audience), 'UTF8'))
                        FROM linked l JOIN workflow.event e ON e.request_id = \(id) AND e.seq = l.seq + 1
                    )
                    UPDATE workflow.event e SET prev = l.prev, hash = l.hash FROM linked l WHERE e.id = l.id
                    """))
            }
        }
        log(Message("out.demo.late", ["delivered": "\(delivered)", "running": "\(running)"]))
    }

    /// A request driven to ordered today with a delivery date 45 days on, then held, resumed and
    /// delivered (or left ordered).
    private func lateOrder(system: String, title: String, seed: Int, holdAndDeliver: Bool) throws -> String {
        defer { try? act(as: nil) }
        let id = try store.propose(system: system, title: title, description: "Demo", requester: "tiina").id
        try drive(id, system: system, to: "ordered", seed: seed)
        guard holdAndDeliver else { return id }
        let owner = owner(of: system)
        let vendor = try store.request(id).vendor ?? ""
        try act(as: owner)
        _ = try store.move(id, "hold", inputs: TransitionInputs(reason: "Ootame volikogu otsust salvestiste säilitustähtaja kohta."))
        _ = try store.move(id, "resume")
        try act(as: vendor.lowercased() + "_kasutaja")
        _ = try store.move(id, "deliver", inputs: TransitionInputs(note: "Arhiiv paigaldatud testkeskkonda."))
        return id
    }
}
