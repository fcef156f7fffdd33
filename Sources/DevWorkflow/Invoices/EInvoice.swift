import Foundation

/// An e-invoice or credit note as UBL 2.1 carries it under Peppol BIS Billing 3.0 / EN 16931: what
/// matching it to an order, storing and showing it need, with every amount exact.
///
/// Made by `EInvoiceReader` from the document's bytes; the business terms (BT-…) of EN 16931 are
/// named on each field. Monetary amounts, which EN 16931 gives at most two decimals, are `Money`;
/// quantities, prices and rates, which may have more, are `Decimal`. Amounts are in `currency`
/// (BT-5), which need not be euros: that is for the caller to judge. `arithmeticProblems()` checks
/// the document's own sums.
public struct EInvoice: Sendable, Equatable {
    /// The document's root: an invoice or a credit note. Its `typeCode` says which kind of each.
    public enum Kind: String, Sendable, Equatable {
        case invoice
        case creditNote = "credit_note"
    }

    public var kind: Kind
    /// BT-3, a UNTDID 1001 code: 380 commercial invoice, 381 credit note, 384 corrected invoice …
    public var typeCode: String
    /// BT-1, the seller's number for the document.
    public var number: String
    /// BT-2.
    public var issueDate: LocalDate
    /// BT-9: `cbc:DueDate` on an invoice, `cac:PaymentMeans/cbc:PaymentDueDate` on a credit note.
    public var dueDate: LocalDate?
    /// BT-5, an ISO 4217 code as written (`EUR`).
    public var currency: String
    /// BT-6, the currency VAT is accounted in when it is not BT-5.
    public var taxCurrency: String?
    /// BT-24, the specification the document claims to follow.
    public var customizationID: String?
    /// BT-10.
    public var buyerReference: String?
    /// BT-13, the buyer's order number: always there on an invoice; a credit note has it or
    /// `precedingInvoices` (or both).
    public var orderReference: String?
    /// BT-12.
    public var contractReference: String?
    /// BT-25 (BG-3 repeats): the invoices a credit note corrects.
    public var precedingInvoices: [String]
    /// BG-4.
    public var seller: Party
    /// BG-7.
    public var buyer: Party
    /// BG-25, in document order, at most as many as the reader was asked to keep; `lineTotals`
    /// counts and sums all of them.
    public var lines: [Line]
    /// The count and sums of every line, kept while reading even when the lines are not.
    public var lineTotals: LineTotals
    /// BG-20 and BG-21: allowances and charges on the document level.
    public var allowancesAndCharges: [AllowanceCharge]
    /// BG-23, in document order.
    public var vatBreakdown: [VATBreakdown]
    /// BG-22.
    public var totals: Totals

    /// True for a credit note root (`CreditNote`), whatever its type code.
    public var isCreditNote: Bool { kind == .creditNote }
}

extension EInvoice {
    /// An identifier and the scheme it is from (`schemeID`, an ISO 6523 ICD code such as `0191`).
    public struct Identifier: Sendable, Equatable {
        public var value: String
        public var scheme: String?

        public init(_ value: String, scheme: String? = nil) {
            self.value = value
            self.scheme = scheme
        }
    }

    /// The seller (BG-4) or the buyer (BG-7).
    public struct Party: Sendable, Equatable {
        /// BT-27 / BT-44, the registered name.
        public var name: String
        /// BT-28 / BT-45.
        public var tradingName: String?
        /// BT-30 / BT-47, the legal registration identifier, with its scheme.
        public var legalID: Identifier?
        /// BT-31 / BT-48, the VAT identifier.
        public var vatID: String?
        /// BT-34 / BT-49, the electronic address, with its scheme.
        public var endpoint: Identifier?

        /// ICD 0191: the Estonian Centre of Registers' company code (registrikood). (0199, which
        /// looks alike, is the global LEI.)
        public static let estonianRegistryScheme = "0191"

        /// The Estonian registry code (8 digits) in BT-30 / BT-47: its value when the scheme is
        /// 0191, or when no scheme is given and the value is 8 digits; nil otherwise.
        public var estonianRegistryCode: String? {
            guard let legalID else { return nil }
            switch legalID.scheme {
            case Party.estonianRegistryScheme?:
                return legalID.value
            case nil:
                return legalID.value.count == 8 && legalID.value.allSatisfy({ $0.isASCII && $0.isNumber }) ? legalID.value : nil
            case _?:
                return nil
            }
        }
    }

    /// A VAT category (UNCL 5305: S standard, Z zero, E exempt, AE reverse charge, K, G, O, L, M)
    /// with its rate in percent.
    public struct VATCategory: Sendable, Hashable, CustomStringConvertible {
        /// BT-151 / BT-95 / BT-102 / BT-118, as written.
        public var code: String
        /// BT-152 / BT-96 / BT-103 / BT-119; 0 where the document gives none (category O).
        public var rate: Decimal

        public init(code: String, rate: Decimal) {
            self.code = code
            self.rate = rate
        }

        /// `S 24 %`.
        public var description: String { "\(code) \(rate) %" }
    }

    /// An invoice line (BG-25); on a credit note a `cac:CreditNoteLine`.
    public struct Line: Sendable, Equatable {
        /// BT-126.
        public var id: String
        /// BT-129, with its unit (BT-130, UN/ECE Rec 20: `HUR` hour, `C62` one …).
        public var quantity: Decimal
        public var unitCode: String?
        /// BT-131, after the line's own allowances and charges.
        public var netAmount: Money
        /// BT-132, the line of the buyer's order it invoices.
        public var orderLineReference: String?
        /// BT-153.
        public var itemName: String
        /// BT-146, the net price of `priceBaseQuantity` (BT-149, 1 when absent) units.
        public var price: Decimal
        public var priceBaseQuantity: Decimal?
        /// BT-151, BT-152.
        public var vat: VATCategory
    }

    /// How many lines there were and what they add up to, overall and by VAT category: all the
    /// arithmetic checks need of the lines, so that a reader keeping few lines can still check.
    public struct LineTotals: Sendable, Equatable {
        public private(set) var count = 0
        /// Σ BT-131.
        public private(set) var netAmount: Decimal = 0
        /// Σ BT-131 by the line's VAT category and rate.
        public private(set) var netAmountByVAT: [VATCategory: Decimal] = [:]

        init() {}

        mutating func add(_ line: Line) {
            count += 1
            netAmount += line.netAmount.decimal
            netAmountByVAT[line.vat, default: 0] += line.netAmount.decimal
        }
    }

    /// An allowance (BG-20) or a charge (BG-21) on the document level.
    public struct AllowanceCharge: Sendable, Equatable {
        /// `cbc:ChargeIndicator`: true for a charge, false for an allowance.
        public var isCharge: Bool
        /// BT-92 / BT-99.
        public var amount: Money
        /// BT-93 / BT-100 and BT-94 / BT-101: the amount may be a percentage of a base.
        public var baseAmount: Money?
        public var percentage: Decimal?
        /// BT-97 / BT-104 and BT-98 / BT-105 (UNCL 5189 / 7161).
        public var reason: String?
        public var reasonCode: String?
        /// BT-95 + BT-96 / BT-102 + BT-103.
        public var vat: VATCategory
    }

    /// One VAT category's breakdown (BG-23).
    public struct VATBreakdown: Sendable, Equatable {
        /// BT-116.
        public var taxableAmount: Money
        /// BT-117.
        public var taxAmount: Money
        /// BT-118, BT-119.
        public var vat: VATCategory
        /// BT-120 and BT-121 (VATEX), why an exempt category is exempt.
        public var exemptionReason: String?
        public var exemptionReasonCode: String?
    }

    /// The document totals (BG-22) and BT-110.
    public struct Totals: Sendable, Equatable {
        /// BT-106, Σ line net amounts.
        public var lineNet: Money
        /// BT-107, Σ allowances on the document level.
        public var allowances: Money?
        /// BT-108, Σ charges on the document level.
        public var charges: Money?
        /// BT-109.
        public var withoutVAT: Money
        /// BT-110, in the document's currency (Peppol has it always; EN 16931 lets it be absent).
        public var vat: Money?
        /// BT-111, the VAT in the tax currency (BT-6) when there is one.
        public var vatInTaxCurrency: Money?
        /// BT-112.
        public var withVAT: Money
        /// BT-113.
        public var paid: Money?
        /// BT-114.
        public var rounding: Money?
        /// BT-115.
        public var due: Money
    }
}
