import Foundation

extension EInvoice {
    /// How far a VAT category's tax amount (BT-117) may be from its taxable amount times its rate,
    /// rounded to cents: a cent, for a seller that rounds line by line. (EN 16931's own BR-CO-17
    /// schematron lets it be up to one unit off; this is stricter.)
    public static let vatTolerance = Decimal(1) / 100

    /// Every way the document's own sums do not add up, as `invoice.problem.*` messages in a fixed
    /// order; empty when they all do. The rules are EN 16931's: BR-CO-10 (BT-106 = Σ line net),
    /// BR-CO-11 and -12 (BT-107, BT-108 = Σ allowances, Σ charges), BR-CO-13 (BT-109 = BT-106 −
    /// BT-107 + BT-108), BR-CO-14 (BT-110 = Σ BT-117), BR-CO-15 (BT-112 = BT-109 + BT-110),
    /// BR-CO-16 (BT-115 = BT-112 − BT-113 + BT-114), and for each VAT category and rate: one
    /// breakdown, its taxable amount (BT-116) = Σ its lines + its charges − its allowances
    /// (BR-S-08 and its kin), its tax (BT-117) = BT-116 × rate within `vatTolerance` (BR-CO-17).
    ///
    /// Lines are read from `lineTotals`, so a reader that kept few lines checks all the same.
    /// Which currency the amounts are in is not a sum and not checked here.
    public func arithmeticProblems() -> [Message] {
        var problems: [Message] = []
        func check(_ key: String, stated: Decimal, computed: Decimal, _ more: [String: MessageArgument] = [:]) {
            guard stated != computed else { return }
            let amounts: [String: MessageArgument] = ["stated": "\(Money.text(stated))", "computed": "\(Money.text(computed))"]
            problems.append(Message(key, amounts.merging(more) { first, _ in first }))
        }
        let allowances = allowancesAndCharges.filter { !$0.isCharge }.reduce(Decimal(0)) { $0 + $1.amount.decimal }
        let charges = allowancesAndCharges.filter(\.isCharge).reduce(Decimal(0)) { $0 + $1.amount.decimal }
        let vat = vatBreakdown.reduce(Decimal(0)) { $0 + $1.taxAmount.decimal }
        let stated = (allowances: totals.allowances?.decimal ?? 0, charges: totals.charges?.decimal ?? 0, vat: totals.vat?.decimal ?? 0)

        check("invoice.problem.line_net_total", stated: totals.lineNet.decimal, computed: lineTotals.netAmount)
        check("invoice.problem.allowance_total", stated: stated.allowances, computed: allowances)
        check("invoice.problem.charge_total", stated: stated.charges, computed: charges)
        check("invoice.problem.total_without_vat", stated: totals.withoutVAT.decimal,
              computed: totals.lineNet.decimal - stated.allowances + stated.charges)
        check("invoice.problem.vat_total", stated: stated.vat, computed: vat)
        check("invoice.problem.total_with_vat", stated: totals.withVAT.decimal, computed: totals.withoutVAT.decimal + stated.vat)
        check("invoice.problem.amount_due", stated: totals.due.decimal,
              computed: totals.withVAT.decimal - (totals.paid?.decimal ?? 0) + (totals.rounding?.decimal ?? 0))

        // By VAT category and rate: what the lines, allowances and charges say each is.
        var taxable = lineTotals.netAmountByVAT
        for item in allowancesAndCharges {
            taxable[item.vat, default: 0] += item.isCharge ? item.amount.decimal : -item.amount.decimal
        }
        var broken: Set<VATCategory> = []
        for breakdown in vatBreakdown {
            let category: [String: MessageArgument] = ["category": "\(breakdown.vat.code)", "rate": "\(breakdown.vat.rate)"]
            guard broken.insert(breakdown.vat).inserted else {
                problems.append(Message("invoice.problem.vat_breakdown_repeated", category))
                continue
            }
            check("invoice.problem.vat_taxable", stated: breakdown.taxableAmount.decimal, computed: taxable[breakdown.vat] ?? 0, category)
            let tax = Money.rounding(breakdown.taxableAmount.decimal * breakdown.vat.rate / 100)
            if abs(breakdown.taxAmount.decimal - tax) > Self.vatTolerance {
                check("invoice.problem.vat_amount", stated: breakdown.taxAmount.decimal, computed: tax,
                      category.merging(["taxable": "\(breakdown.taxableAmount)"]) { first, _ in first })
            }
        }
        let unbroken = taxable.keys.filter { !broken.contains($0) }
            .sorted { ($0.code, $0.rate) < ($1.code, $1.rate) }
        for category in unbroken {
            problems.append(Message("invoice.problem.vat_breakdown_missing", ["category": "\(category.code)", "rate": "\(category.rate)"]))
        }
        return problems
    }
}
