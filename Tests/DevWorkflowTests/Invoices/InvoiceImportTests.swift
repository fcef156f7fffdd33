import Foundation
import Testing
@testable import DevWorkflow

/// The money trail against a real PostgreSQL: e-invoices matched to orders, held with every
/// reason, refused whole, duplicates, credit notes, payments; VAT on orders and the gross budget.
@Suite struct InvoiceImportTests {
    /// The number of the order placed for a request.
    /// A fixture document made to name `order` (and the ACME contract unless told otherwise),
    /// with its own number, written to a file and read as `invoice import` reads it.
    static func document(_ name: String = "simple-invoice.xml", order: String?, number: String, contract: String = "RL-ACME",
                         more: [(String, String)] = []) throws -> EInvoiceReader.Read {
        var replacements: [(String, String)] = [(">PT-2026-0042<", ">\(number)<"), (">RL-2025/14<", ">\(contract)<")]
        if name == "credit-note.xml" { replacements = [(">PT-2026-0051<", ">\(number)<")] }
        if name == "allowance-charge-two-rates.xml" { replacements = [(">2026/117<", ">\(number)<")] }
        if let order { replacements.append((">ORD-2026-0007<", ">\(order)<")) }
        if name == "allowance-charge-two-rates.xml", let order { replacements = replacements.filter { $0.0 != ">ORD-2026-0007<" } + [(">ORD-2026-0012<", ">\(order)<")] }
        let data = try InvoiceFixtures.variant(name, replacements + more)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inv-\(UUID().uuidString).xml")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try EInvoiceReader().readDigesting(file: url.path)
    }

    static func keys(_ result: WorkflowStore.InvoiceImport) -> [String] { result.reasons.map(\.key) }

    /// simple-invoice.xml's one line and totals made other amounts (the line's quantity is its net,
    /// at a price of 1.00), in a VAT category and rate.
    static func amounts(net: String, vat: String, gross: String, category: String = "S", rate: String = "24") -> [(String, String)] {
        [(">800.00<", ">\(net)<"), (">192.00<", ">\(vat)<"), (">992.00<", ">\(gross)<"), ("unitCode=\"HUR\">10<", "unitCode=\"HUR\">\(net)<"),
         (">80.00</cbc:PriceAmount>", ">1.00</cbc:PriceAmount>"), ("<cbc:Percent>24<", "<cbc:Percent>\(rate)<"),
         ("<cbc:ID>S</cbc:ID>", "<cbc:ID>\(category)</cbc:ID>")]
    }

    /// A document's amounts in another currency than EUR.
    static func currency(_ code: String) -> [(String, String)] {
        [("currencyID=\"EUR\"", "currencyID=\"\(code)\""), (">EUR</cbc:DocumentCurrencyCode>", ">\(code)</cbc:DocumentCurrencyCode>")]
    }

    /// What was invoiced for an order (net): matched and released documents, credit notes less.
    static func invoiced(_ f: Fixture, _ order: String) throws -> String {
        try f.sql().query("""
            SELECT coalesce(sum(workflow.invoice_sign(kind) * net), 0)::text FROM workflow.invoice WHERE order_ref = \(order) AND status <> 'held'
            """).first!.decode(0)
    }

    static func count(_ f: Fixture, _ sql: SQL = "SELECT count(*)::int FROM workflow.invoice") throws -> Int {
        Int(try f.sql().query(sql).first!.decode(0, as: Int32.self))
    }

    @Test func anInvoiceOfAnAcceptedOrderMatchesAndOneBeforeAcceptanceIsHeldUntilReleased() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let early = try f.store(as: f.owner).importInvoice(try Self.document(order: try f.orderNumber(of: ordered), number: "A-1"))
        #expect(early.status == "held")
        #expect(Self.keys(early) == ["invoice.held.not_accepted"])
        #expect(early.reasons[0].text(.en).contains("is not accepted yet (it is ordered)"))
        #expect(early.reasons[0].text(.et).contains("ei ole veel vastu võetud (see on olekus tellitud (ordered))"), "\(early.reasons[0].text(.et))")

        let accepted = try f.request(in: "accepted")
        let order = try f.orderNumber(of: accepted)
        let matched = try f.store(as: f.owner).importInvoice(try Self.document(order: order, number: "A-2"))
        #expect(matched.status == "matched")
        #expect(matched.reasons.isEmpty)
        #expect(matched.order == order)
        #expect(matched.vendor == "ACME")
        let row = try f.store().invoice(matched.id)
        #expect(row["net"] == .number("800.00"))
        #expect(row["vat"] == .number("192.00"))
        #expect(row["gross"] == .number("992.00"))
        #expect(row["sha256"]?.plain.count == 64)

        // What a person reads: a held one shows its reasons and no release.
        func show(_ id: Int64) throws -> String {
            let result = try Binary.run("workflowctl", ["invoice", "show", "\(id)", "--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        let heldText = try show(early.id)
        #expect(heldText.contains("Status:") && heldText.contains("held") && heldText.contains("is not accepted yet"), "\(heldText)")
        #expect(!heldText.contains("Released"), "\(heldText)")

        // Only an admin releases, and a reason is needed; then it can be paid.
        #expect(throws: WorkflowError.self) { try f.store(as: f.owner).releaseInvoice(early.id, reason: "tarnitud") }
        #expect(throws: WorkflowError.self) { try f.store(as: f.owner).payInvoice(early.id, on: Fixture.today) }
        try f.store().releaseInvoice(early.id, reason: "Tarnitud osaliselt, kokkulepe 2.12")
        let released = try f.store().invoice(early.id)
        #expect(released["status"] == .string("released"))
        #expect(released["release_reason"] == .string("Tarnitud osaliselt, kokkulepe 2.12"))
        let releasedText = try show(early.id)
        #expect(releasedText.contains("Released:") && releasedText.contains("\(f.admin): Tarnitud osaliselt, kokkulepe 2.12"), "\(releasedText)")
        let again = refusal { try f.store().releaseInvoice(early.id, reason: "x") }
        #expect(again?.text.key == "error.invoice_not_held")
        #expect(again?.code == .invalidData)
    }

    @Test func aHeldInvoiceListsEveryReason() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let order = try f.orderNumber(of: ordered)
        // BETA's registry code on ACME's order, a contract the order is not under, dollars, and
        // sums that do not add up.
        let read = try Self.document("bad-totals.xml", order: order, number: "PT-2026-0045", contract: "RL-2025/14",
                                     more: [(">12345678<", ">\(Fixture.betaCode)<"), ("currencyID=\"EUR\"", "currencyID=\"USD\""),
                                            (">EUR</cbc:DocumentCurrencyCode>", ">USD</cbc:DocumentCurrencyCode>")])
        let held = try f.store().importInvoice(read)
        #expect(held.status == "held")
        let keys = Self.keys(held)
        for key in ["invoice.held.not_accepted", "invoice.held.other_vendor", "invoice.held.contract", "invoice.held.currency",
                    "invoice.problem.line_net_total", "invoice.problem.vat_total", "invoice.problem.amount_due"] {
            #expect(keys.contains(key), "\(key) missing from \(keys)")
        }
        for reason in held.reasons {
            #expect(Catalogue.entries[reason.key] != nil)
            #expect(!reason.text(.et).contains("{"), "\(reason.text(.et))")
        }
        #expect(held.reasons.first { $0.key == "invoice.held.other_vendor" }?.text(.en) == "order \(order) was placed with ACME, the invoice is from BETA")
        #expect(held.reasons.first { $0.key == "invoice.held.contract" }?.text(.en)
            == "the invoice names contract RL-2025/14 (BT-12), the order is under contract RL-ACME")
        #expect(try f.store().invoices(held: true).count == 1)

        // An unknown seller and an unknown order: an admin imports it, held.
        let stranger = try f.store().importInvoice(try Self.document(order: "ORD-1999-0001", number: "S-1",
                                                                     more: [(">12345678<", ">55555555<")]))
        #expect(Self.keys(stranger) == ["invoice.held.unknown_seller", "invoice.held.no_order"])
        // An invoice addressed to another buyer (BT-47 not the organisation's registry code).
        let elsewhere = try f.store().importInvoice(try Self.document(order: order, number: "B-1", more: [(">\(TestDatabase.buyerCode)<", ">70000001<")]))
        #expect(Self.keys(elsewhere).contains("invoice.held.other_buyer"), "\(Self.keys(elsewhere))")
        #expect(elsewhere.reasons.first { $0.key == "invoice.held.other_buyer" }?.text(.en)
            == "the invoice is addressed to another buyer: registry code '70000001' (Tartu Linnavalitsus), ours is \(TestDatabase.buyerCode)")
        // None can be released as it is: dollars would be added to euros, a stranger's invoice
        // to no vendor's order, another buyer's to ours. The refusal says why; the seller sends a
        // credit note and a new one.
        // A total with VAT that is not the net plus the VAT (sql/0054): the three stored figures would disagree.
        let gross = try f.store().importInvoice(try Self.document(order: order, number: "G-1",
                                                                  more: [(">992.00</cbc:TaxInclusiveAmount>", ">1079.40</cbc:TaxInclusiveAmount>")]))
        #expect(Self.keys(gross).contains("invoice.problem.total_with_vat"), "\(Self.keys(gross))")
        for (invoice, why) in [(held, "it is not in euros"), (stranger, "its seller is not one of our vendors"),
                               (elsewhere, "it is addressed to another buyer"),
                               (gross, "its total with VAT (BT-112) is not its total without VAT (BT-109) plus its VAT (BT-110)")] {
            let refused = refusal { try f.store().releaseInvoice(invoice.id, reason: "sobib") }
            #expect(refused?.text.key == "error.invoice_not_releasable")
            #expect(refused?.message == "invoice \(invoice.id) cannot be released: \(why); ask the seller for a credit note and a corrected invoice",
                    "\(refused?.message ?? "")")
        }
        #expect(try f.store().invoices(held: true).count == 4)
        // A product owner may not import an invoice for no known order, nor another system's.
        let denied = refusal { try f.store(as: f.owner).importInvoice(try Self.document(order: "ORD-1999-0002", number: "S-2")) }
        #expect(denied?.text.key == "error.invoice_no_order_admins")
        #expect(denied?.code == .notPermitted)
        let other = refusal { try f.store(as: f.otherOwner).importInvoice(try Self.document(order: order, number: "S-3")) }
        #expect(other?.text.key == "error.invoice_other_system")
    }

    @Test func anUnreadableDocumentIsRefusedWithExit65NamingTheElementAndLeavesNoRow() throws {
        let f = try Fixture()
        let before = try f.fingerprint()
        for (file, words) in [("bad-malformed.xml", "line 98"), ("bad-three-decimals.xml", "line 93"), ("bad-doctype.xml", "DOCTYPE")] {
            let result = try Binary.run("workflowctl", ["invoice", "import", InvoiceFixtures.path(file), "--database", try f.db.conninfo()],
                                        environment: ["LANG": "en_US.UTF-8"])
            #expect(result.status == 65, "\(file): \(result.stderr)")
            #expect(result.stderr.hasPrefix("workflowctl: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(words), "\(file): \(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        }
        let decimals = try Binary.run("workflowctl", ["invoice", "import", InvoiceFixtures.path("bad-three-decimals.xml"), "--database", try f.db.conninfo()],
                                      environment: ["LANG": "en_US.UTF-8"])
        #expect(decimals.stderr.contains("LineExtensionAmount"), "\(decimals.stderr)")
        // From standard input, the same.
        let piped = try Binary.run("workflowctl", ["invoice", "import", "-", "--database", try f.db.conninfo()],
                                   input: try InvoiceFixtures.text("bad-malformed.xml"), environment: ["LANG": "en_US.UTF-8"])
        #expect(piped.status == 65)
        #expect(try f.fingerprint() == before)
    }

    @Test func theSameNumberTwiceIsRefusedAndTheSellerIsToldTheSameDocumentAgainIsNotStoredTwice() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        let first = try Self.document(order: order, number: "D-1")
        let stored = try f.store().importInvoice(first)
        #expect(stored.status == "matched")
        // The very same bytes (a drop folder read twice): what happened then, no new row.
        let again = try f.store().importInvoice(first)
        #expect(again.again)
        #expect(again.id == stored.id)
        #expect(try Self.count(f) == 1)
        // The same number in another document: refused, 65, nothing stored; ACME is told why.
        let before = try f.fingerprint()
        let changed = try Self.document(order: order, number: "D-1", more: [("<cbc:DueDate>2026-03-16", "<cbc:DueDate>2026-03-30")])
        let denied = refusal { try f.store(as: f.owner).importInvoice(changed) }
        #expect(denied?.text.key == "error.invoice_duplicate")
        #expect(denied?.code == .invalidData)
        #expect(try Self.count(f) == 1)
        let told = try f.sql().query("""
            SELECT recipient, lang, payload -> 'inputs' -> 'reasons' -> 0 ->> 'key' FROM workflow.outbox WHERE transition = 'invoice_refused'
            """)
        #expect(told.count == 1)
        #expect(try told.first?.decode(0, as: String.self) == "anna@acme.ee")
        #expect(try told.first?.decode(2, as: String.self) == "error.invoice_duplicate")
        // Apart from that message, nothing changed.
        try f.sql().execute("DELETE FROM workflow.outbox WHERE transition = 'invoice_refused'")
        #expect(try f.fingerprint() == before)
        // The CLI: exit 65 and one line.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dup-\(UUID().uuidString).xml")
        try InvoiceFixtures.variant("simple-invoice.xml", [(">PT-2026-0042<", ">D-1<"), (">ORD-2026-0007<", ">\(order)<"),
                                                           (">RL-2025/14<", ">RL-ACME<"), ("2026-03-16", "2026-04-01")]).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let cli = try Binary.run("workflowctl", ["invoice", "import", path.path, "--database", try f.db.conninfo()], environment: ["LANG": "en_US.UTF-8"])
        #expect(cli.status == 65)
        #expect(cli.stderr == "workflowctl: error: seller \(Fixture.acmeCode)'s invoice D-1 was already imported: the same number is not taken twice\n")
    }

    @Test func aCreditNoteReducesWhatWasInvoicedAndAnInvoiceBeyondTheOrderIsHeld() throws {
        let f = try Fixture()
        let id = try f.request(in: "accepted")   // 1000.00 net
        let order = try f.orderNumber(of: id)
        #expect(try f.store().importInvoice(try Self.document(order: order, number: "C-1")).status == "matched")   // 800
        let over = try f.store().importInvoice(try Self.document(order: order, number: "C-2"))                    // 800 more
        #expect(Self.keys(over) == ["invoice.held.over_order"])
        let eur = { (cents: Int64) in ReportFormatting.for(.en).money(Money(cents: cents)) }
        #expect(over.reasons[0].text(.en) == "the invoice's net \(eur(80_000)) with \(eur(80_000)) invoiced before exceeds order \(order)'s price \(eur(100_000)) (\(eur(20_000)) was left to invoice)", "\(over.reasons[0].text(.en))")
        // The credit note names C-1 (BT-25) and the order: 160.00 back.
        let credit = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "K-1",
                                                                   more: [(">PT-2026-0042<", ">C-1<")]))
        #expect(credit.status == "matched", "\(credit.reasons.map { $0.text(.en) })")
        let sum: String = try f.sql().query("""
            SELECT sum(workflow.invoice_sign(kind) * net)::text FROM workflow.invoice WHERE order_ref = \(order) AND status <> 'held'
            """).first!.decode(0)
        #expect(sum == "640.00")
        // A credit note for an invoice this seller never sent is held.
        let stray = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "K-2",
                                                                  more: [(">PT-2026-0042<", ">NOPE-9<")]))
        #expect(Self.keys(stray) == ["invoice.held.no_preceding"])
        // The vendor's report: the order's invoices, what is invoiced (net) and left to invoice.
        let csv = try WorkflowReportTests.render(VendorReport(vendor: "ACME"), .csv, on: try f.db.connect()).0
        let line = try #require(csv.components(separatedBy: "\r\n").first { $0.contains(id) && $0.contains(order) }, "\(csv)")
        #expect(line.contains("\"C-1, C-2, K-1, K-2\",2,640.00,360.00,"), "\(line)")
    }

    /// What the auditor trial released or matched wrongly (sql/0055): a credit note naming another
    /// order's invoice is held; a negative invoice cannot be released; a release that would take
    /// an order's invoiced below zero is refused with the figures, and changes nothing.
    @Test func creditsGoToTheirOwnOrderAndNeverBelowZero() throws {
        let f = try Fixture()
        let (first, second) = (try f.request(in: "accepted"), try f.request(in: "accepted"))
        let (order, other) = (try f.orderNumber(of: first), try f.orderNumber(of: second))
        #expect(try f.store().importInvoice(try Self.document(order: order, number: "A-1")).status == "matched")      // 800 on the first
        // A credit note for A-1 that names the second order.
        let misnamed = try f.store().importInvoice(try Self.document("credit-note.xml", order: other, number: "AK-1",
                                                                     more: [(">PT-2026-0042<", ">A-1<")]))
        #expect(Self.keys(misnamed).contains("invoice.held.preceding_other_order"), "\(Self.keys(misnamed))")
        #expect(misnamed.reasons.first { $0.key == "invoice.held.preceding_other_order" }?.text(.en)
            == "the credit note corrects invoice A-1 (BT-25), which is for order \(order), not for order \(other)")
        // An invoice dated after today is held until it is right (sql/0057).
        let tomorrow = Fixture.today.adding(days: 1)
        let early = try f.store().importInvoice(try Self.document(order: other, number: "F-1", more: [(">2026-03-02<", ">\(tomorrow)<")]))
        #expect(early.status == "held" && Self.keys(early) == ["invoice.held.future_date"], "\(Self.keys(early))")
        // A negative invoice: held, and not releasable.
        let negative = try f.store().importInvoice(try Self.document(order: order, number: "N-1", more: [
            (">800.00</cbc:LineExtensionAmount>", ">-800.00</cbc:LineExtensionAmount>"), (">800.00</cbc:TaxExclusiveAmount>", ">-800.00</cbc:TaxExclusiveAmount>"),
            (">992.00</cbc:TaxInclusiveAmount>", ">-992.00</cbc:TaxInclusiveAmount>"), (">992.00</cbc:PayableAmount>", ">-992.00</cbc:PayableAmount>"),
            (">192.00</cbc:TaxAmount>", ">-192.00</cbc:TaxAmount>"), (">800.00</cbc:TaxableAmount>", ">-800.00</cbc:TaxableAmount>")]))
        #expect(negative.status == "held" && Self.keys(negative).contains("invoice.held.negative_invoice"), "\(Self.keys(negative))")
        #expect(refusal { try f.store().releaseInvoice(negative.id, reason: "sobib") }?.message
            == "invoice \(negative.id) cannot be released: its totals are negative; ask the seller for a credit note and a corrected invoice")
        // Two credit notes of 160 for the 800 invoiced on the first order fit; a third note, held
        // for naming an invoice we do not have, would take it below zero once the first 800 is
        // credited whole: its release is refused.
        let whole = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "AK-2", more: [
            (">PT-2026-0042<", ">A-1<"), (">160.00<", ">800.00<"), (">38.40<", ">192.00<"), (">198.40<", ">992.00<")]))
        #expect(whole.status == "matched", "\(whole.reasons.map { $0.text(.en) })")
        let stray = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "AK-3",
                                                                  more: [(">PT-2026-0042<", ">NOPE-1<")]))
        #expect(stray.status == "held")
        let before = try f.fingerprint()
        let below = refusal { try f.store().releaseInvoice(stray.id, reason: "sobib") }
        #expect(below?.text.key == "error.invoice_release_below_zero")
        #expect(below?.message.contains("would take what was invoiced for order \(order) below zero") == true, "\(below?.message ?? "")")
        #expect(try f.fingerprint() == before)
    }

    /// An invoice released beyond its order's price spends the budget and the contract beyond it:
    /// the guard's running totals, `budget list` and the budget report give one figure, and a
    /// credit note that brings the order back gives the excess back.
    /// The running totals an order's money is in: its budget's and its contract's `used`, what the
    /// budget report says is left, and the budget's amount.
    static func moneyTotals(_ f: Fixture, order: String) throws -> (budget: String, contract: String, left: String, amount: String) {
        let row = try f.sql().query("""
            SELECT b.used::text, (SELECT used::text FROM workflow.contract WHERE number = 'RL-ACME'),
                   (SELECT l.left_over::text FROM workflow.budget_lines(b.year) l WHERE l.system = b.system), b.amount::text
            FROM workflow.budget b JOIN workflow.purchase_order o ON o.number = \(order)
            WHERE b.system = 'VOLIS' AND b.year = extract(year FROM o.order_date)
            """).first!
        return (try row.decode(0), try row.decode(1), try row.decode(2), try row.decode(3))
    }

    /// A cancelled order gives back its price, not what its invoices spent: released and paid,
    /// the invoice stays spent in the guard's totals as in the budget report (the trial's
    /// 48 468 € against 46 608 €), and the guard refuses what the report says is not there.
    @Test func aCancelledOrdersInvoicesStaySpent() throws {
        let f = try Fixture()
        let id = try f.request(in: "delivered")   // 1000.00 net, 1240.00 gross
        let order = try f.orderNumber(of: id)
        func decimal(_ text: String) -> Decimal { Decimal(string: text)! }
        let before = try Self.moneyTotals(f, order: order)
        // Invoiced before the acceptance: held as early, released by an admin, then the order is cancelled.
        let early = try f.store().importInvoice(try Self.document(order: order, number: "X-1"))   // 800 net, 992 gross
        #expect(early.status == "held", "\(early.reasons.map { $0.text(.en) })")
        try f.store().releaseInvoice(early.id, reason: "ettemaks kokku lepitud")
        _ = try f.store().move(id, "cancel", inputs: .init(reason: "tühistame"))
        let cancelled = try Self.moneyTotals(f, order: order)
        // The order's 1240 gross and 1000 net go back, the invoice's 992 and 800 stay.
        #expect(decimal(before.budget) - decimal(cancelled.budget) == 248 && decimal(before.contract) - decimal(cancelled.contract) == 200,
                "\(before) → \(cancelled)")
        #expect(decimal(cancelled.amount) - decimal(cancelled.budget) == decimal(cancelled.left), "one figure: \(cancelled)")
        // A credit note for the cancelled order's invoice, released, gives its money back after all.
        let credit = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "XK-1",
                                                                   more: [(">PT-2026-0042<", ">X-1<")]))
        // (Held, as everything for a cancelled order is, until an admin releases it.)
        #expect(credit.status == "held" && credit.reasons.contains { $0.text(.en) == "order \(order) was cancelled" }, "\(credit.reasons.map { $0.text(.en) })")
        try f.store().releaseInvoice(credit.id, reason: "tühistatud tellimuse kreeditarve")
        let credited = try Self.moneyTotals(f, order: order)
        #expect(decimal(cancelled.budget) - decimal(credited.budget) == decimal("198.4") && decimal(cancelled.contract) - decimal(credited.contract) == 160,
                "\(credited)")
        #expect(decimal(credited.amount) - decimal(credited.budget) == decimal(credited.left), "\(credited)")
    }

    @Test func whatIsReleasedBeyondAnOrdersPriceIsSpentFromItsBudgetToo() throws {
        let f = try Fixture()
        let id = try f.request(in: "accepted")   // 1000.00 net
        let order = try f.orderNumber(of: id)
        func totals() throws -> (budget: String, contract: String, left: String, amount: String) { try Self.moneyTotals(f, order: order) }
        func decimal(_ text: String) -> Decimal { Decimal(string: text)! }
        let before = try totals()
        #expect(decimal(before.amount) - decimal(before.budget) == decimal(before.left), "the guard and the report agree: \(before)")
        #expect(try f.store().importInvoice(try Self.document(order: order, number: "O-1")).status == "matched")   // 800 net, 992 gross
        let over = try f.store().importInvoice(try Self.document(order: order, number: "O-2"))                    // 800 more: held
        #expect(Self.keys(over) == ["invoice.held.over_order"])
        #expect(try totals() == before, "nothing spent beyond the price while it is held or within the price")
        try f.store().releaseInvoice(over.id, reason: "lisatöö kokku lepitud")
        let released = try totals()
        // 1600 net invoiced on a 1000 order: 600 net and 1984 − 1240 = 744 gross beyond it.
        #expect(decimal(released.contract) - decimal(before.contract) == 600, "\(released)")
        #expect(decimal(released.budget) - decimal(before.budget) == 744, "\(released)")
        #expect(decimal(released.amount) - decimal(released.budget) == decimal(released.left), "one figure: \(released)")
        // The credit note for O-1 (160 net, 198.40 gross) brings the excess down by as much.
        let credit = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "OK-1",
                                                                   more: [(">PT-2026-0042<", ">O-1<")]))
        #expect(credit.status == "matched", "\(credit.reasons.map { $0.text(.en) })")
        let credited = try totals()
        #expect(decimal(released.contract) - decimal(credited.contract) == 160 && decimal(released.budget) - decimal(credited.budget) == decimal("198.4"),
                "\(credited)")
        #expect(decimal(credited.amount) - decimal(credited.budget) == decimal(credited.left), "\(credited)")
        // A credit note recorded as paid is told as settled: its money comes back.
        let settled = try Binary.run("workflowctl", ["invoice", "pay", "\(credit.id)", "--date", "\(Fixture.today)", "--lang", "en",
                                                     "--database", try f.db.conninfo()])
        #expect(settled.status == 0 && settled.stdout.hasPrefix("credit note #\(credit.id) settled on"), "\(settled.stdout)\(settled.stderr)")
    }

    /// A credit note corrects an invoice it names (BT-25): one that names none is held, however
    /// well its order is named, and takes nothing away until an admin releases it.
    @Test func aCreditNoteNamingNoInvoiceIsHeld() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        #expect(try f.store().importInvoice(try Self.document(order: order, number: "N-1")).status == "matched")
        let unnamed = """
              <cac:BillingReference>
                <cac:InvoiceDocumentReference>
                  <cbc:ID>PT-2026-0042</cbc:ID>
                  <cbc:IssueDate>2026-03-02</cbc:IssueDate>
                </cac:InvoiceDocumentReference>
              </cac:BillingReference>

            """
        let credit = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "NK-1", more: [(unnamed, "")]))
        #expect(Self.keys(credit) == ["invoice.held.no_invoice_named"], "\(credit.reasons.map { $0.text(.en) })")
        #expect(credit.reasons[0].text(.et) == "kreeditarve ei nimeta arvet, mida see parandab (BT-25)")
        #expect(try Self.invoiced(f, order) == "800.00")
    }

    /// Invoices of one order imported at the same moment are matched one after another: the
    /// second import waits for the first's lock on the order and then counts what it matched.
    /// The first is held open in a transaction until the second is seen waiting on a lock (or, as
    /// before the lock, done), so the test does not depend on how the two happen to interleave.
    @Test func invoicesOfOneOrderImportedAtOnceNeverExceedItsPrice() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))   // 1000.00 net; each invoice 800.00
        let first = try f.store(), watcher = try f.sql()
        // The thread gets the second store and document as its own (neither is used here again).
        nonisolated(unsafe) let second = try f.store()
        let secondPID = second.connection.backendPID
        nonisolated(unsafe) let documents = (try Self.document(order: order, number: "R-1"), try Self.document(order: order, number: "R-2"))
        try first.connection.execute("BEGIN")
        #expect(try first.importInvoice(documents.0).status == "matched")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<WorkflowStore.InvoiceImport, any Error>?
        Thread.detachNewThread {
            outcome = Result { try second.importInvoice(documents.1) }
            done.signal()
        }
        // Wait for what the second import does: block on the first's lock, or finish without it.
        while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            let waiting = try watcher.query("""
                SELECT count(*)::int FROM pg_stat_activity WHERE pid = \(secondPID) AND wait_event_type = 'Lock'
                """).first!.decode(0, as: Int32.self)
            if waiting == 1 { break }
        }
        try first.connection.execute("COMMIT")
        done.wait()
        let secondImport = try #require(try outcome?.get())
        #expect(Self.keys(secondImport) == ["invoice.held.over_order"], "\(secondImport.reasons.map { $0.text(.en) })")
        #expect(try Self.invoiced(f, order) == "800.00")
    }

    /// An invoice (type 380) whose totals are negative takes away from what was invoiced without
    /// naming what it corrects: held, and so not paid. A correction is a credit note (BT-25).
    @Test func anInvoiceWithNegativeTotalsIsHeldAndNotPaid() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        #expect(try f.store().importInvoice(try Self.document(order: order, number: "M-1")).status == "matched")   // 800
        let negative = try f.store().importInvoice(try Self.document(order: order, number: "M-2",
                                                                     more: Self.amounts(net: "-10.00", vat: "-2.40", gross: "-12.40")))
        #expect(negative.status == "held")
        #expect(Self.keys(negative) == ["invoice.held.negative_invoice"])
        let (en, et) = (ReportFormatting.for(.en), ReportFormatting.for(.et))
        #expect(negative.reasons.first?.text(.en) == "the invoice's totals are negative (\(en.money(Money("-10.00"))) + \(en.money(Money("-2.40"))) = "
            + "\(en.money(Money("-12.40")))): a correction comes as a credit note naming the invoice it corrects (BT-25)",
                "\(negative.reasons.map { $0.text(.en) })")
        #expect(negative.reasons.first?.text(.et) == "arve summad on negatiivsed (\(et.money(Money("-10.00"))) + \(et.money(Money("-2.40"))) = "
            + "\(et.money(Money("-12.40")))): parandus tuleb kreeditarvena, mis nimetab parandatava arve (BT-25)",
                "\(negative.reasons.map { $0.text(.et) })")
        #expect(refusal { try f.store(as: f.owner).payInvoice(negative.id, on: Fixture.today) }?.text.key == "error.invoice_held_unpaid")
        #expect(try Self.invoiced(f, order) == "800.00")
        // A credit note whose totals are negative would add to what was invoiced: held as well.
        let credit = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "M-3",
                                                                   more: [(">PT-2026-0042<", ">M-1<"), (">160.00<", ">-160.00<"), (">38.40<", ">-38.40<"),
                                                                          (">198.40<", ">-198.40<"), ("unitCode=\"HUR\">2<", "unitCode=\"HUR\">-2<")]))
        #expect(Self.keys(credit) == ["invoice.held.negative_credit_note"], "\(credit.reasons.map { $0.text(.en) })")
        #expect(try Self.invoiced(f, order) == "800.00")
    }

    /// A credit note brings what was invoiced down: on an order invoiced beyond its price (a
    /// released invoice), it is matched; a document that adds is still held.
    @Test func aCreditNoteIsNotHeldForAnOrderInvoicedBeyondItsPrice() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted", price: Money("825.00")))
        #expect(try f.store().importInvoice(try Self.document(order: order, number: "B-1")).status == "matched")   // 800
        let more = try f.store().importInvoice(try Self.document(order: order, number: "B-2",
                                                                 more: Self.amounts(net: "425.00", vat: "102.00", gross: "527.00")))
        #expect(Self.keys(more) == ["invoice.held.over_order"])
        try f.store().releaseInvoice(more.id, reason: "lisatööd kokku lepitud")
        #expect(try Self.invoiced(f, order) == "1225.00")
        // 160.00 back for B-1.
        let credit = try f.store().importInvoice(try Self.document("credit-note.xml", order: order, number: "B-K1",
                                                                   more: [(">PT-2026-0042<", ">B-1<")]))
        #expect(credit.status == "matched", "\(credit.reasons.map { $0.text(.en) })")
        #expect(try Self.invoiced(f, order) == "1065.00")
        // An invoice that adds is held while the order is over its price.
        let adds = try f.store().importInvoice(try Self.document(order: order, number: "B-3",
                                                                 more: Self.amounts(net: "10.00", vat: "2.40", gross: "12.40")))
        #expect(Self.keys(adds) == ["invoice.held.over_order"])
        #expect(adds.reasons.first?.text(.en).contains("(\(ReportFormatting.for(.en).money(Money("-240.00"))) was left to invoice)") == true,
                "\(adds.reasons.map { $0.text(.en) })")
    }

    /// The VAT of a document is its net at the order's recorded rate, to the cent, within a cent.
    @Test func anInvoiceWhoseVATIsNotTheOrdersRateIsHeld() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))   // 24 %
        let (en, et) = (ReportFormatting.for(.en), ReportFormatting.for(.et))
        let zero = try f.store().importInvoice(try Self.document(order: order, number: "V-1",
                                                                 more: Self.amounts(net: "300.00", vat: "0.00", gross: "300.00", category: "Z", rate: "0")))
        #expect(zero.status == "held")
        #expect(Self.keys(zero) == ["invoice.held.vat_rate"], "\(zero.reasons.map { $0.text(.en) })")
        #expect(zero.reasons.first?.text(.en) == "the invoice charges VAT at 0 % (\(en.money(Money("0.00"))) on \(en.money(Money("300.00")))); "
            + "order \(order) is recorded at 24 % VAT, which makes \(en.money(Money("72.00")))")
        #expect(zero.reasons.first?.text(.et) == "arve käibemaks on 0 % (\(et.money(Money("0.00"))) summalt \(et.money(Money("300.00")))); "
            + "tellimuse \(order) käibemaksumäär on 24 %, mis teeb \(et.money(Money("72.00")))")
        // An older rate, 22 %: held.
        let older = try f.store().importInvoice(try Self.document(order: order, number: "V-2",
                                                                  more: Self.amounts(net: "300.00", vat: "66.00", gross: "366.00", rate: "22")))
        #expect(Self.keys(older) == ["invoice.held.vat_rate"])
        // A cent off, as a seller rounding line by line may be (72.01 at 24 %): matched.
        let cent = try f.store().importInvoice(try Self.document(order: order, number: "V-3",
                                                                 more: Self.amounts(net: "300.04", vat: "72.02", gross: "372.06")))
        #expect(cent.status == "matched", "\(cent.reasons.map { $0.text(.en) })")
        // The database decides without the client: a document with no rates of its own is held,
        // its rate its VAT's share of its net.
        let document = try JSONValue.parse("""
            {"kind": "invoice", "number": "V-4", "seller_code": "\(Fixture.acmeCode)", "seller_name": "Acme", "order_number": "\(order)",
             "contract_ref": null, "preceding": [], "issue_date": "\(Fixture.today)", "due_date": null, "currency": "EUR",
             "net": 300.00, "vat": 30.00, "gross": 330.00, "lines": 1, "sha256": "\(String(repeating: "a", count: 64))", "arithmetic": []}
            """)
        let answer: String = try f.sql().query("SELECT workflow.import_invoice(\(JSONDocument(text: document.text)))::text").first!.decode(0)
        let stored = WorkflowStore.imported(try JSONValue.parse(answer))
        #expect(Self.keys(stored) == ["invoice.held.vat_rate"])
        #expect(stored.reasons.first?.text(.en).hasPrefix("the invoice charges VAT at 10 % (") == true, "\(stored.reasons.map { $0.text(.en) })")
    }

    /// `invoice list` and `invoice show` write euros as `992,00 €` and another currency by its code
    /// (`12,40 USD`), never both and never a € on dollars.
    @Test func amountsAreWrittenInTheirOwnCurrency() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        let euros = try f.store().importInvoice(try Self.document(order: order, number: "E-1"))
        let dollars = try f.store().importInvoice(try Self.document(order: order, number: "U-1",
                                                                    more: Self.amounts(net: "10.00", vat: "2.40", gross: "12.40") + Self.currency("USD")))
        #expect(Self.keys(dollars) == ["invoice.held.currency"])
        for (language, locale) in [(Language.et, "et_EE.UTF-8"), (.en, "en_US.UTF-8")] {
            let format = ReportFormatting.for(language)
            func usd(_ text: String) -> String { format.decimal(text) + "\u{A0}USD" }
            let eurAmounts = "\(format.money(Money("800.00"))) + \(format.money(Money("192.00"))) = \(format.money(Money("992.00")))"
            let usdAmounts = "\(usd("10.00")) + \(usd("2.40")) = \(usd("12.40"))"
            let list = try Binary.run("workflowctl", ["invoice", "list", "--database", try f.db.conninfo()], environment: ["LANG": locale])
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map(String.init)
            let eurLine = try #require(lines.first { $0.contains("E-1") }, "\(list.stdout)")
            let usdLine = try #require(lines.first { $0.contains("U-1") }, "\(list.stdout)")
            #expect(eurLine.hasSuffix(eurAmounts), "\(eurLine)")
            #expect(usdLine.hasSuffix(usdAmounts), "\(usdLine)")
            #expect(!usdLine.contains("€"), "\(usdLine)")
            for (id, amounts) in [(euros.id, eurAmounts), (dollars.id, usdAmounts)] {
                let show = try Binary.run("workflowctl", ["invoice", "show", "\(id)", "--database", try f.db.conninfo()], environment: ["LANG": locale])
                #expect(show.status == 0, "\(show.stderr)")
                let line = try #require(show.stdout.split(separator: "\n").first { $0.contains(" + ") }, "\(show.stdout)")
                #expect(line.hasSuffix(amounts), "\(line)")
                // At 80 columns every line fits, the reasons broken under their own text.
                let narrow = try Binary.run("workflowctl", ["invoice", "show", "\(id)", "--database", try f.db.conninfo()],
                                            environment: ["LANG": locale, "COLUMNS": "80"])
                #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(narrow.stdout)")
                #expect(narrow.stdout.split(whereSeparator: \.isWhitespace) == show.stdout.split(whereSeparator: \.isWhitespace), "the same words")
            }
        }
        // The mail about the held one: its amounts in dollars, in each reader's language.
        let messages = try Outbox(connection: try Database.connect(try f.db.conninfo())).claim(limit: 100).filter { $0.transition == "invoice_held" }
        #expect(messages.count == 2)
        for message in messages {
            let language: Language = message.lang == "en" ? .en : .et
            let format = ReportFormatting.for(language)
            let body = MessageRenderer().render(message).body
            let amount = language == .et ? "Summa: \(format.decimal("12.40")) USD (km-ta \(format.decimal("10.00")) USD)"
                                                  : "Amount: 12.40 USD (10.00 USD net)"
            #expect(body.contains(amount), "\(body)")
            #expect(!body.contains("€"), "\(body)")
        }
    }

    @Test func paymentsAreRecordedOnceOnADayFromTheInvoiceToToday() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        let invoice = try f.store().importInvoice(try Self.document(order: order, number: "P-1"))
        #expect(refusal { try f.store().payInvoice(invoice.id, on: Fixture.today.adding(days: 1)) }?.text.key == "error.payment_date")
        #expect(refusal { try f.store().payInvoice(invoice.id, on: LocalDate(year: 2026, month: 3, day: 1)!) }?.text.key == "error.payment_date")
        #expect(refusal { try f.store(as: f.vendorA).payInvoice(invoice.id, on: Fixture.today) }?.code == .notPermitted)
        try f.store(as: f.owner).payInvoice(invoice.id, on: Fixture.today)
        #expect(try f.store().invoice(invoice.id)["paid_on"] == .string(Fixture.today.description))
        #expect(refusal { try f.store().payInvoice(invoice.id, on: Fixture.today) }?.text.key == "error.invoice_paid")
        #expect(refusal { try f.store().payInvoice(999_999, on: Fixture.today) }?.code == .notFound)
    }

    @Test func whoSeesAndImportsInvoices() throws {
        let f = try Fixture()
        let order = try f.orderNumber(of: try f.request(in: "accepted"))
        let invoice = try f.store().importInvoice(try Self.document(order: order, number: "W-1"))
        #expect(try f.store(as: f.vendorA).invoices().count == 1)
        #expect(try f.store(as: f.vendorB).invoices().isEmpty)
        #expect(try f.store(as: f.otherOwner).invoices().isEmpty)
        #expect(try f.store(as: f.requester).invoices().isEmpty)
        #expect(refusal { _ = try f.store(as: f.vendorB).invoice(invoice.id) }?.code == .notFound)
        let vendorImport = refusal { try f.store(as: f.vendorA).importInvoice(try Self.document(order: order, number: "W-2")) }
        #expect(vendorImport?.text.key == "error.invoice_importers")
        #expect(vendorImport?.code == .notPermitted)
        // The vendor's login reads no invoice table in psql.
        #expect(throws: PostgresError.self) { try f.sql(as: f.vendorA).query("SELECT * FROM workflow.invoice") }
    }

    @Test func aHeldInvoiceIsToldToTheOwnerAndTheSellerInTheirLanguages() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let order = try f.orderNumber(of: ordered)
        // BETA (English) sends an invoice for ACME's order: the owner and BETA hear of it.
        _ = try f.store().importInvoice(try Self.document(order: order, number: "N-1", more: [(">12345678<", ">\(Fixture.betaCode)<")]))
        let rows = try f.sql().query("SELECT id FROM workflow.outbox WHERE transition = 'invoice_held' ORDER BY recipient")
        #expect(rows.count == 2)
        #expect(rows.count == 2)
        let messages = try Outbox(connection: try Database.connect(try f.db.conninfo())).claim(limit: 100).filter { $0.transition == "invoice_held" }
        let renderer = MessageRenderer()
        let byRecipient = Dictionary(uniqueKeysWithValues: messages.map { ($0.recipient, renderer.render($0)) })
        let beta = try #require(byRecipient["bert@beta.ee"])
        #expect(beta.subject.contains("Invoice N-1 is held"), "\(beta.subject)")
        #expect(beta.body.contains("order \(order) was placed with ACME, the invoice is from BETA"), "\(beta.body)")
        #expect(beta.body.contains("is not accepted yet"))
        let owner = try #require(byRecipient["piret@example.ee"])
        #expect(owner.subject.contains("Arve N-1 on ootel"), "\(owner.subject)")
        #expect(owner.body.contains("tellimus \(order) on tarnijalt ACME, arve saatis BETA"), "\(owner.body)")
        #expect(owner.body.contains("workflowctl invoice release"), "\(owner.body)")
        // Euros as each language writes them in mail, the code not again.
        #expect(owner.body.contains("Summa: 992,00\u{A0}€ (km-ta 800,00\u{A0}€)"), "\(owner.body)")
        #expect(beta.body.contains("Amount: 992.00 EUR (800.00 EUR net)"), "\(beta.body)")
    }

    @Test func anOrderRecordsTheVATOfItsDayAndTheBudgetIsComparedGross() throws {
        // 1100 EUR budget: a 1000 EUR net order is 1240 EUR gross at 24 %, more than is left.
        let f = try Fixture(budget: Money(cents: 110_000))
        let id = try f.request(in: "quoted", price: Money(cents: 100_000))
        let denied = refusal { _ = try f.store().move(id, "order", inputs: TransitionInputs(vendor: "ACME")) }
        #expect(denied?.text.key == "error.over_budget_gross")
        let eur = { (cents: Int64) in ReportFormatting.for(.en).money(Money(cents: cents)) }
        #expect(denied?.text.text(.en) == "price \(eur(124_000)) with VAT (\(eur(100_000)) net) exceeds the budget left for VOLIS in \(Fixture.today.year) (\(eur(110_000)) of \(eur(110_000)))")
        try f.store().setBudget(system: "VOLIS", year: Fixture.today.year, amount: Money(cents: 124_000))
        _ = try f.store().move(id, "order", inputs: TransitionInputs(vendor: "ACME"))
        let row = try f.sql().query("SELECT vat_rate::text, vat::text, gross::text FROM workflow.purchase_order WHERE request_id = \(id)").first!
        #expect(try row.decode(0, as: String.self) == "24.00")
        #expect(try row.decode(1, as: String.self) == "240.00")
        #expect(try row.decode(2, as: String.self) == "1240.00")
        let used: String = try f.sql().query("SELECT used::text FROM workflow.budget WHERE system = 'VOLIS'").first!.decode(0)
        #expect(used == "1240.00")
        let contract: String = try f.sql().query("SELECT used::text FROM workflow.contract WHERE number = 'RL-ACME'").first!.decode(0)
        #expect(contract == "1000.00")
        // Cancelling gives back the gross to the budget and the net to the cap.
        _ = try f.store().move(id, "cancel", inputs: TransitionInputs(reason: "ei"))
        #expect(try f.sql().query("SELECT used::text FROM workflow.budget WHERE system = 'VOLIS'").first!.decode(0, as: String.self) == "0.00")
    }

    @Test func vatRatesAreDatedDataAnAdminSets() throws {
        let f = try Fixture()
        let rates = try f.store().vatRates()
        // Estonia's standard rates (sql/0056: 18 % until mid-2009).
        #expect(rates.map(\.rate) == [18, 20, 22, 24])
        #expect(rates.map(\.from.description) == ["2000-01-01", "2009-07-01", "2024-01-01", "2025-07-01"])
        #expect(rates[0].to?.description == "2009-06-30")
        #expect(rates[1].to?.description == "2023-12-31")
        #expect(rates[2].to?.description == "2025-06-30")
        #expect(rates[3].to == nil)
        #expect(refusal { try f.store(as: f.owner).setVATRate(from: Fixture.today, rate: 25) }?.code == .notPermitted)
        #expect(refusal { try f.store().setVATRate(from: Fixture.today, rate: 101) }?.text.key == "error.vat_rate_range")
        // Past days' rates are history: neither a day gone nor today may get another rate.
        #expect(refusal { try f.store().setVATRate(from: Fixture.today, rate: 25) }?.text.key == "error.vat_past")
        #expect(refusal { try f.store().setVATRate(from: LocalDate(year: 2020, month: 1, day: 1)!, rate: 25) }?.text.key == "error.vat_past")
        #expect(try f.store().vatRates().map(\.rate) == [18, 20, 22, 24])
        let tomorrow = Fixture.today.adding(days: 1)
        try f.store().setVATRate(from: tomorrow, rate: Decimal(string: "25.5")!)
        #expect(try f.store().vatRates().last?.rate == Decimal(string: "25.5")!)
        // Today's order still takes today's rate.
        let id = try f.request(in: "ordered")
        #expect(try f.sql().query("SELECT vat_rate::text FROM workflow.purchase_order WHERE request_id = \(id)").first!.decode(0, as: String.self) == "24.00")
        // The CLI lists them.
        let (status, out, _) = WorkflowCtlTests.run(["vat", "list", "--database", try f.db.conninfo()])
        #expect(status == 0)
        #expect(out.contains("2025-07-01 – \(tomorrow.adding(days: -1))  24 %"), "\(out)")
    }

    @Test func registryCodesAreEightDigitsAndUnique() throws {
        let f = try Fixture()
        #expect(refusal { try f.store().addVendor(key: "D", name: "D OÜ", email: "d@d.ee", registryCode: "1234567") }?.text.key == "error.registry_code_format")
        #expect(refusal { try f.store().addVendor(key: "D", name: "D OÜ", email: "d@d.ee", registryCode: Fixture.acmeCode) }?.text.key == "error.registry_code_taken")
        let (status, out, err) = WorkflowCtlTests.run(["vendor", "add", "DELTA", "--name", "Delta OÜ", "--email", "d@delta.ee", "--registry-code", "14141414",
                                                       "--database", try f.db.conninfo()])
        #expect(status == 0, "\(err)")
        #expect(out == "vendor DELTA added (registry code 14141414)\n")
    }

    @Test func existingOrdersGetTheRateOfTheirOrderDateWhenTheMigrationRuns() throws {
        let db = try TestDatabase.empty()
        let c = try Database.connect(try db.conninfo())
        try Migrator(connection: c, migrations: Migration.all.filter { $0.version < 7 }).migrate()
        try c.executeScript("""
            INSERT INTO workflow.system (key, name) VALUES ('VOLIS', 'Volis');
            INSERT INTO workflow.vendor (key, name, email) VALUES ('ACME', 'Acme', 'a@a.ee');
            INSERT INTO workflow.contract (vendor, number, valid_from, valid_to, hourly_rate, cap, used) VALUES ('ACME', 'RL', '2023-01-01', '2026-12-31', 80, 100000, 3000);
            INSERT INTO workflow.budget (system, year, amount, used) VALUES ('VOLIS', 2023, 50000, 1000), ('VOLIS', 2025, 50000, 2000);
            INSERT INTO workflow.request (id, system, number, title, state, version, created_by) VALUES ('VOLIS-1', 'VOLIS', 1, 'a', 'ordered', 5, 'x'), ('VOLIS-2', 'VOLIS', 2, 'b', 'ordered', 5, 'x');
            INSERT INTO workflow.purchase_order (number, request_id, vendor, contract_id, price, order_date, deadline)
            SELECT 'ORD-2023-0001', 'VOLIS-1', 'ACME', id, 1000, '2023-05-02', '2023-06-01' FROM workflow.contract;
            INSERT INTO workflow.purchase_order (number, request_id, vendor, contract_id, price, order_date, deadline)
            SELECT 'ORD-2025-0001', 'VOLIS-2', 'ACME', id, 2000, '2025-08-01', '2025-09-01' FROM workflow.contract;
            """)
        try Migrator(connection: c).migrate()
        let rows = try c.query("SELECT number, vat_rate::text, gross::text FROM workflow.purchase_order ORDER BY number")
        #expect(try rows.map { "\(try $0.decode(0, as: String.self)) \(try $0.decode(1, as: String.self)) \(try $0.decode(2, as: String.self))" }
            == ["ORD-2023-0001 20.00 1200.00", "ORD-2025-0001 24.00 2480.00"])
        let budgets = try c.query("SELECT used::text FROM workflow.budget ORDER BY year").map { try $0.decode(0, as: String.self) }
        #expect(budgets == ["1200.00", "2480.00"])
    }
}

/// workflowd's e-invoice drop folder, run as the built binary under a daemon login.
@Suite struct InvoiceFolderTests {
    @Test func workflowdTakesInADropFolderEachFileOnceIntoDoneHeldOrRefused() throws {
        let f = try Fixture()
        let daemon = "wfd_\(f.db.name.suffix(8))"
        try f.sql().execute(SQL(unsafe: "CREATE ROLE \(daemon) LOGIN IN ROLE devworkflow_daemon"))
        let accepted = try f.orderNumber(of: try f.request(in: "accepted"))
        let ordered = try f.orderNumber(of: try f.request(in: "ordered"))
        let folder = workPath("invoices")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func drop(_ name: String, _ data: Data) throws { try data.write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
        let matched = [(">PT-2026-0042<", ">F-1<"), (">ORD-2026-0007<", ">\(accepted)<"), (">RL-2025/14<", ">RL-ACME<")]
        try drop("a-matched.xml", try InvoiceFixtures.variant("simple-invoice.xml", matched))
        try drop("b-held.xml", try InvoiceFixtures.variant("simple-invoice.xml", [(">PT-2026-0042<", ">F-2<"), (">ORD-2026-0007<", ">\(ordered)<"), (">RL-2025/14<", ">RL-ACME<")]))
        try drop("c-broken.xml", try Data(contentsOf: InvoiceFixtures.folder.appendingPathComponent("bad-malformed.xml")))
        try drop("d-same-number.xml", try InvoiceFixtures.variant("simple-invoice.xml", matched + [("2026-03-16", "2026-03-31")]))
        try drop("e-coming.xml.part", Data("<Invoice".utf8))
        let file = workPath("folder.jsonl")
        let run = { try Binary.run("workflowd", ["--once", "--file", file, "--invoices", folder, "--database", try f.db.conninfo(user: daemon)],
                                   environment: ["LANG": "en_US.UTF-8"]) }
        let first = try run()
        #expect(first.status == 0, "\(first.stderr)")
        func names(_ sub: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(sub)").sorted() }
        #expect(try names("done") == ["a-matched.xml"])
        #expect(try names("held") == ["b-held.xml", "b-held.xml.reason.txt"])
        #expect(try names("refused") == ["c-broken.xml", "c-broken.xml.reason.txt", "d-same-number.xml", "d-same-number.xml.reason.txt"])
        #expect(try names("") .filter { !["done", "held", "refused"].contains($0) } == ["e-coming.xml.part"])
        let held = try String(contentsOfFile: "\(folder)/held/b-held.xml.reason.txt", encoding: .utf8)
        #expect(held == "- order \(ordered) is not accepted yet (it is ordered)\n")
        let broken = try String(contentsOfFile: "\(folder)/refused/c-broken.xml.reason.txt", encoding: .utf8)
        #expect(broken.contains("not well-formed XML (line 98"), "\(broken)")
        let same = try String(contentsOfFile: "\(folder)/refused/d-same-number.xml.reason.txt", encoding: .utf8)
        #expect(same == "- seller \(Fixture.acmeCode)'s invoice F-1 was already imported: the same number is not taken twice\n")
        #expect(try InvoiceImportTests.count(f) == 2)
        let imported: [String] = try f.sql().query("SELECT imported_by FROM workflow.invoice").map { try $0.decode(0) }
        #expect(imported == [daemon, daemon])
        // The held one and the refused one were told (owner and ACME; ACME), and delivered in this pass.
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.contains("\"invoice_held\"") }.count == 2)
        #expect(lines.filter { $0.contains("\"invoice_refused\"") }.count == 1)
        // Put back a file that was taken in: the database knows it by its digest, nothing twice.
        try FileManager.default.copyItem(atPath: "\(folder)/done/a-matched.xml", toPath: "\(folder)/a-matched.xml")
        #expect(try run().status == 0)
        #expect(try names("done") == ["2-a-matched.xml", "a-matched.xml"])
        #expect(try InvoiceImportTests.count(f) == 2)
    }

    /// A folder mixing matched, held, unreadable, duplicate (across batches and within one) and
    /// already-imported files: taken in in batches of two, the files go where one file at a time
    /// sends them, with the same reasons, the same rows and the same messages to the sellers.
    @Test func batchesTakeInAFolderAsOneFileAtATimeWould() throws {
        func scene() throws -> (Fixture, String) {
            let f = try Fixture()
            let accepted = try f.orderNumber(of: try f.request(in: "accepted"))
            let another = try f.orderNumber(of: try f.request(in: "accepted"))
            let ordered = try f.orderNumber(of: try f.request(in: "ordered"))
            let folder = workPath("batch-invoices")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            func drop(_ name: String, _ data: Data) throws { try data.write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
            func simple(_ number: String, _ order: String, _ more: [(String, String)] = []) throws -> Data {
                try InvoiceFixtures.variant("simple-invoice.xml", [(">PT-2026-0042<", ">\(number)<"), (">ORD-2026-0007<", ">\(order)<"),
                                                                   (">RL-2025/14<", ">RL-ACME<")] + more)
            }
            try drop("a-matched.xml", try simple("F-1", accepted))
            try drop("b-held.xml", try simple("F-2", ordered))
            try drop("c-broken.xml", try Data(contentsOf: InvoiceFixtures.folder.appendingPathComponent("bad-malformed.xml")))
            try drop("d-same-number-next-batch.xml", try simple("F-1", accepted, [("2026-03-16", "2026-03-31")]))
            try drop("e-matched.xml", try simple("F-5", another))
            try drop("f-same-number-same-batch.xml", try simple("F-5", another, [("2026-03-16", "2026-03-30")]))
            try drop("g-same-bytes-again.xml", try simple("F-1", accepted))
            try drop("h-no-such-order.xml", try simple("F-8", "ORD-1999-0001"))
            try drop("i-second-on-the-order.xml", try simple("F-9", another))  // more than the order has left: held
            return (f, folder)
        }
        func outcomes(_ taken: [InvoiceFolder.Taken]) -> [String] {
            taken.map { "\($0.file) \($0.outcome.rawValue) \($0.invoiceID == nil ? "-" : "id") \($0.reasons.joined(separator: "; "))" }
        }
        func rows(_ f: Fixture) throws -> [String] {
            try f.sql().query("SELECT number || ' ' || status || ' ' || reasons::text FROM workflow.invoice ORDER BY id").map { try $0.decode(0) }
        }
        func told(_ f: Fixture) throws -> [String] {
            try f.sql().query("""
                SELECT transition || ' ' || recipient || ' ' || (payload -> 'inputs' ->> 'invoice') FROM workflow.outbox
                WHERE transition LIKE 'invoice%' ORDER BY 1
                """).map { try $0.decode(0) }
        }
        func files(_ folder: String) throws -> [String] {
            try ["done", "held", "refused"].flatMap { sub in
                try FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(sub)").sorted().map { "\(sub)/\($0)" }
            }
        }

        // One file at a time, as workflowd took the folder in before batches (the files stay put).
        let (single, singleFolder) = try scene()
        let one = InvoiceFolder(path: singleFolder, language: .en)
        let store = try single.store()
        var expected: [InvoiceFolder.Taken] = []
        for name in try one.waiting() {
            do {
                let result = try store.importInvoice(try EInvoiceReader().readDigesting(file: "\(singleFolder)/\(name)"))
                expected.append(.init(file: name, outcome: result.status == "held" ? .held : .done, invoiceID: result.id,
                                      reasons: result.reasons.map { $0.text(.en) }))
            } catch let error as WorkflowError where error.code == .invalidData || error.code == .ioError {
                expected.append(.init(file: name, outcome: .refused, invoiceID: nil, reasons: [error.message(in: .en)]))
            }
        }

        let (batched, batchedFolder) = try scene()
        let folder = InvoiceFolder(path: batchedFolder, language: .en)
        try folder.prepare()
        let taken = try folder.takeIn(with: try batched.store(), reader: EInvoiceReader(keptLines: 0), batchSize: 2)

        #expect(outcomes(taken) == outcomes(expected))
        #expect(try files(batchedFolder) == ["done/a-matched.xml", "done/e-matched.xml", "done/g-same-bytes-again.xml",
                                             "held/b-held.xml", "held/b-held.xml.reason.txt", "held/h-no-such-order.xml",
                                             "held/h-no-such-order.xml.reason.txt", "held/i-second-on-the-order.xml",
                                             "held/i-second-on-the-order.xml.reason.txt", "refused/c-broken.xml", "refused/c-broken.xml.reason.txt",
                                             "refused/d-same-number-next-batch.xml", "refused/d-same-number-next-batch.xml.reason.txt",
                                             "refused/f-same-number-same-batch.xml", "refused/f-same-number-same-batch.xml.reason.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: batchedFolder).sorted() == ["done", "held", "refused"])
        #expect(try rows(batched) == rows(single))
        #expect(try told(batched) == told(single))
        // What happened, spelled out.
        #expect(taken.map(\.outcome) == [.done, .held, .refused, .refused, .done, .refused, .done, .held, .held])
        #expect(taken[6].invoiceID == taken[0].invoiceID)
        #expect(taken[5].reasons == ["seller \(Fixture.acmeCode)'s invoice F-5 was already imported: the same number is not taken twice"])
        #expect(try InvoiceImportTests.count(batched) == 5)
    }
}
