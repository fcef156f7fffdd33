import Foundation
import Testing
@testable import DevWorkflow

@Suite struct EInvoiceArithmeticTests {
    typealias F = InvoiceFixtures

    static func keys(_ invoice: EInvoice) -> [String] { invoice.arithmeticProblems().map(\.key) }

    @Test(arguments: ["simple-invoice.xml", "allowance-charge-two-rates.xml", "credit-note.xml", "other-prefixes.xml", "extensions.xml"])
    func theGoodDocumentsAddUp(name: String) throws {
        #expect(try F.read(name).arithmeticProblems() == [])
    }

    @Test func totalsThatDoNotAddUpAreEachNamed() throws {
        let problems = try F.read("bad-totals.xml").arithmeticProblems()
        #expect(problems == [
            Message("invoice.problem.line_net_total", ["stated": "850.00", "computed": "800.00"]),
            Message("invoice.problem.vat_total", ["stated": "192.00", "computed": "190.00"]),
            Message("invoice.problem.amount_due", ["stated": "1040.00", "computed": "1042.00"]),
            Message("invoice.problem.vat_amount", ["stated": "190.00", "computed": "192.00", "category": "S", "rate": "24", "taxable": "800.00"]),
        ])
        #expect(problems.map { $0.text(.en) } == [
            "the sum of line net amounts (BT-106) is 850.00, the lines add up to 800.00",
            "the total VAT (BT-110) is 192.00, the VAT breakdown adds up to 190.00",
            "the amount due (BT-115) is \(ReportFormatting.for(.en).decimal("1040.00")), BT-112 − BT-113 + BT-114 is \(ReportFormatting.for(.en).decimal("1042.00"))",
            "VAT category S 24 %: the VAT (BT-117) is 190.00, 800.00 × 24 % is 192.00",
        ])
        // In Estonian with its decimal comma.
        #expect(problems[3].text(.et) == "käibemaksukategooria S 24 %: käibemaks (BT-117) on 190,00, 800,00 × 24 % on 192,00")
    }

    @Test func allowancesChargesAndTheTotalWithoutVAT() throws {
        var invoice = try F.read("allowance-charge-two-rates.xml")
        invoice.totals.allowances = Money("60")
        #expect(Self.keys(invoice) == ["invoice.problem.allowance_total", "invoice.problem.total_without_vat"])
        invoice.totals.allowances = Money("65.50")
        invoice.totals.charges = nil
        #expect(Self.keys(invoice) == ["invoice.problem.charge_total", "invoice.problem.total_without_vat"])
        invoice.totals.charges = Money("45")
        invoice.totals.withVAT = Money("1998.99")
        #expect(Self.keys(invoice) == ["invoice.problem.total_with_vat", "invoice.problem.amount_due"])
        invoice.totals.withVAT = Money("1998.98")
        invoice.totals.rounding = nil
        #expect(Self.keys(invoice) == ["invoice.problem.amount_due"])
    }

    @Test func eachVATCategoryHasOneBreakdownThatMatchesItsLines() throws {
        let invoice = try F.read("allowance-charge-two-rates.xml")
        var missing = invoice
        missing.vatBreakdown.removeLast()
        #expect(missing.arithmeticProblems() == [Message("invoice.problem.vat_breakdown_missing", ["category": "E", "rate": "0"])])

        var twice = invoice
        twice.vatBreakdown.append(invoice.vatBreakdown[1])
        #expect(Self.keys(twice) == ["invoice.problem.vat_breakdown_repeated"])

        // The allowance and the charge belong to S: the taxable amount is lines − allowance + charge.
        var taxable = invoice
        taxable.vatBreakdown[0].taxableAmount = Money("1310")
        #expect(taxable.arithmeticProblems().first == Message("invoice.problem.vat_taxable", [
            "stated": "1310.00", "computed": "1289.50", "category": "S", "rate": "24",
        ]))

        // A line in a category no breakdown has.
        var stray = invoice
        stray.lineTotals.add(EInvoice.Line(id: "4", quantity: 1, unitCode: nil, netAmount: Money("10"), orderLineReference: nil,
                                           itemName: "x", price: 10, priceBaseQuantity: nil, vat: .init(code: "S", rate: 9)))
        #expect(Self.keys(stray).contains("invoice.problem.vat_breakdown_missing"))
    }

    @Test func aBreakdownsVATMayBeACentOff() throws {
        var invoice = try F.read("simple-invoice.xml")
        for (tax, problem) in [("192.01", false), ("191.99", false), ("192.02", true), ("191.98", true)] {
            invoice.vatBreakdown[0].taxAmount = Money(tax)
            #expect(Self.keys(invoice).contains("invoice.problem.vat_amount") == problem, "\(tax)")
        }
    }

    @Test func taxIsRoundedHalfAwayFromZero() {
        #expect(Money.rounding(Decimal(string: "0.025")!) == Decimal(string: "0.03")!)
        #expect(Money.rounding(Decimal(string: "-0.025")!) == Decimal(string: "-0.03")!)
        #expect(Money.rounding(Decimal(string: "0.0249")!) == Decimal(string: "0.02")!)
        // 0.50 at 5 % is 0.025: half a cent goes up.
        var invoice = try! F.read("simple-invoice.xml")
        invoice.vatBreakdown[0] = .init(taxableAmount: Money("0.50"), taxAmount: Money("0.01"), vat: .init(code: "S", rate: 5),
                                        exemptionReason: nil, exemptionReasonCode: nil)
        #expect(invoice.arithmeticProblems().contains(Message("invoice.problem.vat_amount", [
            "stated": "0.01", "computed": "0.03", "category": "S", "rate": "5", "taxable": "0.50",
        ])))
    }
}
