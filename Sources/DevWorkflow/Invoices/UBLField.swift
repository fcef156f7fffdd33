/// The namespaces of UBL 2.1. Elements are matched by namespace and local name, never by the
/// prefix a document happens to bind; the conventional prefixes only name elements in messages.
enum UBLNamespace {
    static let invoice = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    static let creditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
    static let basic = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    static let aggregate = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    static let extensions = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"

    /// `cbc:ID` for a known namespace; Clark notation (`{urn:x}ID`) for any other.
    static func name(_ local: String, in namespace: String?) -> String {
        switch namespace {
        case basic?: return "cbc:" + local
        case aggregate?: return "cac:" + local
        case extensions?: return "ext:" + local
        case nil, ""?: return local
        case let other?: return "{\(other)}" + local
        }
    }

    /// A credit note's names for what an invoice calls otherwise, so that one table reads both.
    static let creditNoteNames = [
        "cac:CreditNoteLine": "cac:InvoiceLine",
        "cbc:CreditedQuantity": "cbc:InvoicedQuantity",
        "cbc:CreditNoteTypeCode": "cbc:InvoiceTypeCode",
    ]
}

/// A business term the reader takes from a UBL document: where it stands (its path below the root,
/// in the invoice's names), its EN 16931 term and the type of its text. The one table of what is
/// read from where.
enum UBLField: Hashable, CaseIterable {
    enum Role: Hashable, CaseIterable {
        case seller, buyer

        /// BG-4 or BG-7.
        var term: String { self == .seller ? "BG-4" : "BG-7" }
    }

    /// How the text is read.
    enum Form {
        case text, code, amount, decimal, date, indicator
    }

    case customizationID, number, issueDate, dueDate, paymentDueDate, typeCode, currency, taxCurrency
    case buyerReference, orderReference, contractReference, precedingInvoice
    case partyEndpoint(Role), partyTradingName(Role), partyName(Role), partyLegalID(Role)
    case partyTaxID(Role), partyTaxScheme(Role)
    case lineID, lineQuantity, lineNetAmount, lineOrderLine, itemName, itemVATCode, itemVATRate, price, priceBaseQuantity
    case chargeIndicator, allowanceReasonCode, allowanceReason, allowancePercentage, allowanceAmount, allowanceBase
    case allowanceVATCode, allowanceVATRate
    case vatTotal, taxableAmount, taxAmount, breakdownVATCode, breakdownVATRate, exemptionReasonCode, exemptionReason
    case lineNetTotal, allowanceTotal, chargeTotal, withoutVAT, withVAT, paid, rounding, due

    static var allCases: [UBLField] {
        let simple: [UBLField] = [
            .customizationID, .number, .issueDate, .dueDate, .paymentDueDate, .typeCode, .currency, .taxCurrency,
            .buyerReference, .orderReference, .contractReference, .precedingInvoice,
            .lineID, .lineQuantity, .lineNetAmount, .lineOrderLine, .itemName, .itemVATCode, .itemVATRate, .price, .priceBaseQuantity,
            .chargeIndicator, .allowanceReasonCode, .allowanceReason, .allowancePercentage, .allowanceAmount, .allowanceBase,
            .allowanceVATCode, .allowanceVATRate,
            .vatTotal, .taxableAmount, .taxAmount, .breakdownVATCode, .breakdownVATRate, .exemptionReasonCode, .exemptionReason,
            .lineNetTotal, .allowanceTotal, .chargeTotal, .withoutVAT, .withVAT, .paid, .rounding, .due,
        ]
        let party: [(Role) -> UBLField] = [partyEndpoint, partyTradingName, partyName, partyLegalID, partyTaxID, partyTaxScheme]
        return simple + Role.allCases.flatMap { role in party.map { $0(role) } }
    }

    /// Every field by its path, for the parser's look-up as elements start.
    static let byPath: [String: UBLField] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.path, $0) })

    /// The group each field of a group belongs to: the innermost one its path lies in.
    static let groups: [UBLField: UBLGroup] = Dictionary(uniqueKeysWithValues: allCases.compactMap { field in
        UBLGroup.allCases.filter { field.path.hasPrefix($0.path + "/") }.max { $0.path.count < $1.path.count }.map { (field, $0) }
    })

    /// The path below the root, in an invoice's element names.
    var path: String {
        switch self {
        case .customizationID: return "cbc:CustomizationID"
        case .number: return "cbc:ID"
        case .issueDate: return "cbc:IssueDate"
        case .dueDate: return "cbc:DueDate"
        case .paymentDueDate: return "cac:PaymentMeans/cbc:PaymentDueDate"
        case .typeCode: return "cbc:InvoiceTypeCode"
        case .currency: return "cbc:DocumentCurrencyCode"
        case .taxCurrency: return "cbc:TaxCurrencyCode"
        case .buyerReference: return "cbc:BuyerReference"
        case .orderReference: return "cac:OrderReference/cbc:ID"
        case .contractReference: return "cac:ContractDocumentReference/cbc:ID"
        case .precedingInvoice: return "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"
        case let .partyEndpoint(role): return UBLGroup.party(role).path + "/cbc:EndpointID"
        case let .partyTradingName(role): return UBLGroup.party(role).path + "/cac:PartyName/cbc:Name"
        case let .partyName(role): return UBLGroup.party(role).path + "/cac:PartyLegalEntity/cbc:RegistrationName"
        case let .partyLegalID(role): return UBLGroup.party(role).path + "/cac:PartyLegalEntity/cbc:CompanyID"
        case let .partyTaxID(role): return UBLGroup.partyTaxScheme(role).path + "/cbc:CompanyID"
        case let .partyTaxScheme(role): return UBLGroup.partyTaxScheme(role).path + "/cac:TaxScheme/cbc:ID"
        case .lineID: return "cac:InvoiceLine/cbc:ID"
        case .lineQuantity: return "cac:InvoiceLine/cbc:InvoicedQuantity"
        case .lineNetAmount: return "cac:InvoiceLine/cbc:LineExtensionAmount"
        case .lineOrderLine: return "cac:InvoiceLine/cac:OrderLineReference/cbc:LineID"
        case .itemName: return "cac:InvoiceLine/cac:Item/cbc:Name"
        case .itemVATCode: return "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"
        case .itemVATRate: return "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"
        case .price: return "cac:InvoiceLine/cac:Price/cbc:PriceAmount"
        case .priceBaseQuantity: return "cac:InvoiceLine/cac:Price/cbc:BaseQuantity"
        case .chargeIndicator: return "cac:AllowanceCharge/cbc:ChargeIndicator"
        case .allowanceReasonCode: return "cac:AllowanceCharge/cbc:AllowanceChargeReasonCode"
        case .allowanceReason: return "cac:AllowanceCharge/cbc:AllowanceChargeReason"
        case .allowancePercentage: return "cac:AllowanceCharge/cbc:MultiplierFactorNumeric"
        case .allowanceAmount: return "cac:AllowanceCharge/cbc:Amount"
        case .allowanceBase: return "cac:AllowanceCharge/cbc:BaseAmount"
        case .allowanceVATCode: return "cac:AllowanceCharge/cac:TaxCategory/cbc:ID"
        case .allowanceVATRate: return "cac:AllowanceCharge/cac:TaxCategory/cbc:Percent"
        case .vatTotal: return "cac:TaxTotal/cbc:TaxAmount"
        case .taxableAmount: return "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"
        case .taxAmount: return "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"
        case .breakdownVATCode: return "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID"
        case .breakdownVATRate: return "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent"
        case .exemptionReasonCode: return "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode"
        case .exemptionReason: return "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason"
        case .lineNetTotal: return "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"
        case .allowanceTotal: return "cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount"
        case .chargeTotal: return "cac:LegalMonetaryTotal/cbc:ChargeTotalAmount"
        case .withoutVAT: return "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount"
        case .withVAT: return "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"
        case .paid: return "cac:LegalMonetaryTotal/cbc:PrepaidAmount"
        case .rounding: return "cac:LegalMonetaryTotal/cbc:PayableRoundingAmount"
        case .due: return "cac:LegalMonetaryTotal/cbc:PayableAmount"
        }
    }

    /// The EN 16931 business term, for messages.
    var term: String {
        switch self {
        case .customizationID: return "BT-24"
        case .number: return "BT-1"
        case .issueDate: return "BT-2"
        case .dueDate, .paymentDueDate: return "BT-9"
        case .typeCode: return "BT-3"
        case .currency: return "BT-5"
        case .taxCurrency: return "BT-6"
        case .buyerReference: return "BT-10"
        case .orderReference: return "BT-13"
        case .contractReference: return "BT-12"
        case .precedingInvoice: return "BT-25"
        case let .partyEndpoint(role): return role == .seller ? "BT-34" : "BT-49"
        case let .partyTradingName(role): return role == .seller ? "BT-28" : "BT-45"
        case let .partyName(role): return role == .seller ? "BT-27" : "BT-44"
        case let .partyLegalID(role): return role == .seller ? "BT-30" : "BT-47"
        case let .partyTaxID(role), let .partyTaxScheme(role): return role == .seller ? "BT-31" : "BT-48"
        case .lineID: return "BT-126"
        case .lineQuantity: return "BT-129"
        case .lineNetAmount: return "BT-131"
        case .lineOrderLine: return "BT-132"
        case .itemName: return "BT-153"
        case .itemVATCode: return "BT-151"
        case .itemVATRate: return "BT-152"
        case .price: return "BT-146"
        case .priceBaseQuantity: return "BT-149"
        case .chargeIndicator: return "BG-20/BG-21"
        case .allowanceReasonCode: return "BT-98/BT-105"
        case .allowanceReason: return "BT-97/BT-104"
        case .allowancePercentage: return "BT-94/BT-101"
        case .allowanceAmount: return "BT-92/BT-99"
        case .allowanceBase: return "BT-93/BT-100"
        case .allowanceVATCode: return "BT-95/BT-102"
        case .allowanceVATRate: return "BT-96/BT-103"
        case .vatTotal: return "BT-110"
        case .taxableAmount: return "BT-116"
        case .taxAmount: return "BT-117"
        case .breakdownVATCode: return "BT-118"
        case .breakdownVATRate: return "BT-119"
        case .exemptionReasonCode: return "BT-121"
        case .exemptionReason: return "BT-120"
        case .lineNetTotal: return "BT-106"
        case .allowanceTotal: return "BT-107"
        case .chargeTotal: return "BT-108"
        case .withoutVAT: return "BT-109"
        case .withVAT: return "BT-112"
        case .paid: return "BT-113"
        case .rounding: return "BT-114"
        case .due: return "BT-115"
        }
    }

    var form: Form {
        switch self {
        case .issueDate, .dueDate, .paymentDueDate: return .date
        case .typeCode, .currency, .taxCurrency, .itemVATCode, .allowanceVATCode, .breakdownVATCode, .partyTaxScheme,
             .allowanceReasonCode, .exemptionReasonCode:
            return .code
        case .lineNetAmount, .allowanceAmount, .allowanceBase, .vatTotal, .taxableAmount, .taxAmount,
             .lineNetTotal, .allowanceTotal, .chargeTotal, .withoutVAT, .withVAT, .paid, .rounding, .due:
            return .amount
        case .lineQuantity, .itemVATRate, .price, .priceBaseQuantity, .allowancePercentage, .allowanceVATRate, .breakdownVATRate:
            return .decimal
        case .chargeIndicator: return .indicator
        case .customizationID, .number, .buyerReference, .orderReference, .contractReference, .precedingInvoice,
             .partyEndpoint, .partyTradingName, .partyName, .partyLegalID, .partyTaxID,
             .lineID, .lineOrderLine, .itemName, .allowanceReason, .exemptionReason:
            return .text
        }
    }
}

extension EInvoice.Kind {
    /// A path of the field table (below the root, in an invoice's names) as a document of this
    /// kind names it, from its root: `CreditNote/cac:CreditNoteLine/cbc:ID`.
    func path(_ path: String) -> String {
        switch self {
        case .invoice:
            return "Invoice/" + path
        case .creditNote:
            let renamed = UBLNamespace.creditNoteNames.reduce(path) { path, name in
                path.replacingOccurrences(of: name.value, with: name.key)
            }
            return "CreditNote/" + renamed
        }
    }
}

/// An aggregate the reader builds a value from, by its path below the root: its fields are
/// collected while it is open and checked when it closes.
enum UBLGroup: Hashable, CaseIterable {
    case party(UBLField.Role), partyTaxScheme(UBLField.Role), line, allowanceCharge, taxTotal, vatBreakdown

    static var allCases: [UBLGroup] {
        UBLField.Role.allCases.flatMap { [UBLGroup.party($0), .partyTaxScheme($0)] } + [.line, .allowanceCharge, .taxTotal, .vatBreakdown]
    }

    static let byPath: [String: UBLGroup] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.path, $0) })

    var path: String {
        switch self {
        case let .party(role): return role == .seller ? "cac:AccountingSupplierParty/cac:Party" : "cac:AccountingCustomerParty/cac:Party"
        case let .partyTaxScheme(role): return UBLGroup.party(role).path + "/cac:PartyTaxScheme"
        case .line: return "cac:InvoiceLine"
        case .allowanceCharge: return "cac:AllowanceCharge"
        case .taxTotal: return "cac:TaxTotal"
        case .vatBreakdown: return "cac:TaxTotal/cac:TaxSubtotal"
        }
    }
}
