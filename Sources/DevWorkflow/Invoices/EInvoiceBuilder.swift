import Foundation

/// Where in a document a value stood: its element path (conventional prefixes, the document's
/// root first) and the line its start tag ended on.
struct UBLLocation: Equatable {
    let path: String
    let line: Int
}

/// Collects the fields the parser reads into an `EInvoice`: converts each text by its field's
/// form, refuses a value given twice, and checks what is mandatory as each group closes and at the
/// end. Knows nothing of XML.
struct EInvoiceBuilder {
    /// Peppol BIS Billing 3.0's invoice and credit note type codes (profile 01, UNTDID 1001).
    static let invoiceTypeCodes: Set = ["71", "80", "82", "84", "102", "218", "219", "326", "331", "380", "382", "383", "384", "386",
                                        "388", "393", "395", "553", "575", "623", "780", "817", "870", "875", "876", "877"]
    static let creditNoteTypeCodes: Set = ["81", "83", "381", "396", "532"]

    /// The longest text kept from one element; a longer one is refused rather than held in memory.
    static let maximumTextLength = 100_000

    let kind: EInvoice.Kind
    let keptLines: Int

    private var number: String?, issueDate: LocalDate?, dueDate: LocalDate?, paymentDueDate: LocalDate?, typeCode: String?
    private var currency: String?, taxCurrency: String?, customizationID: String?
    private var buyerReference: String?, orderReference: String?, contractReference: String?
    private var precedingInvoices: [String] = []
    private var parties: [UBLField.Role: PartyParts] = [:]
    private var lines: [EInvoice.Line] = []
    private var lineTotals = EInvoice.LineTotals()
    private var allowancesAndCharges: [EInvoice.AllowanceCharge] = []
    private var vatBreakdown: [EInvoice.VATBreakdown] = []
    private var taxTotals: [(amount: Money, currency: String?, location: UBLLocation)] = []
    private var totals: [UBLField: Money] = [:]
    /// Amounts read before the document's currency was known, checked at the end (a few suffice).
    private var uncheckedCurrencies: [(currency: String, location: UBLLocation)] = []

    // The group open now, collected field by field.
    private var line = LineParts()
    private var allowance = AllowanceParts()
    private var breakdown = BreakdownParts()
    private var taxTotal: (amount: Money, currency: String?, location: UBLLocation)?

    init(kind: EInvoice.Kind, keptLines: Int) {
        self.kind = kind
        self.keptLines = keptLines
    }

    private struct PartyParts {
        var name: String?, tradingName: String?, legalID: EInvoice.Identifier?, vatID: String?, endpoint: EInvoice.Identifier?
        var taxCompanyID: String?, taxScheme: String?
    }

    private struct LineParts {
        var id: String?, quantity: Decimal?, unitCode: String?, netAmount: Money?, orderLine: String?, itemName: String?
        var price: Decimal?, baseQuantity: Decimal?, vatCode: String?, vatRate: Decimal?
    }

    private struct AllowanceParts {
        var isCharge: Bool?, amount: Money?, base: Money?, percentage: Decimal?, reason: String?, reasonCode: String?
        var vatCode: String?, vatRate: Decimal?
    }

    private struct BreakdownParts {
        var taxable: Money?, tax: Money?, vatCode: String?, vatRate: Decimal?, exemptionReason: String?, exemptionReasonCode: String?
    }

    // MARK: Reading

    /// Takes one element's text (white space as in the document) and the attributes it had.
    mutating func read(_ field: UBLField, _ raw: String, attributes: [String: String], at location: UBLLocation) throws {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try checkCurrency(attributes["currencyID"], of: field, at: location)
        switch field.form {
        case .text, .code:
            // An empty element is as good as none: what is mandatory is missed at the end.
            guard !trimmed.isEmpty else { return }
            try readText(field, field.form == .code ? trimmed : UBLValue.collapsed(trimmed), attributes: attributes, at: location)
        case .amount:
            let amount = try Self.amount(trimmed, field, at: location)
            try readAmount(field, amount, currency: attributes["currencyID"], at: location)
        case .decimal:
            guard let number = UBLValue.DecimalText(trimmed) else { throw Self.error("error.invoice_number", trimmed, field, location) }
            try readDecimal(field, number.value, unitCode: attributes["unitCode"], at: location)
        case .date:
            guard let date = UBLValue.date(trimmed) else { throw Self.error("error.invoice_date", trimmed, field, location) }
            switch field {
            case .issueDate: try Self.once(&issueDate, date, field, location)
            case .dueDate: try Self.once(&dueDate, date, field, location)
            default: paymentDueDate = paymentDueDate ?? date  // several means of payment may each say it
            }
        case .indicator:
            guard let value = UBLValue.indicator(trimmed) else { throw Self.error("error.invoice_indicator", trimmed, field, location) }
            try Self.once(&allowance.isCharge, value, field, location)
        }
    }

    private mutating func readText(_ field: UBLField, _ text: String, attributes: [String: String], at location: UBLLocation) throws {
        let scheme = attributes["schemeID"].map { $0.trimmingCharacters(in: .whitespaces) }
        switch field {
        case .customizationID: try Self.once(&customizationID, text, field, location)
        case .number: try Self.once(&number, text, field, location)
        case .typeCode:
            let allowed = kind == .invoice ? Self.invoiceTypeCodes : Self.creditNoteTypeCodes
            guard allowed.contains(text) else {
                throw WorkflowError(.invalidData, Message("error.invoice_type_code", [
                    "path": "\(location.path)", "term": "\(field.term)", "line": "\(location.line)", "value": "\(text.prefix(40))",
                    "allowed": .words(allowed.sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }),
                ]))
            }
            try Self.once(&typeCode, text, field, location)
        case .currency: try Self.once(&currency, text, field, location)
        case .taxCurrency: try Self.once(&taxCurrency, text, field, location)
        case .buyerReference: try Self.once(&buyerReference, text, field, location)
        case .orderReference: try Self.once(&orderReference, text, field, location)
        case .contractReference: try Self.once(&contractReference, text, field, location)
        case .precedingInvoice: precedingInvoices.append(text)
        case let .partyEndpoint(role): try Self.once(&parties[role, default: PartyParts()].endpoint, .init(text, scheme: scheme), field, location)
        case let .partyTradingName(role):
            // BG-4 may carry several trading names; the first is the one shown.
            parties[role, default: PartyParts()].tradingName = parties[role]?.tradingName ?? text
        case let .partyName(role): try Self.once(&parties[role, default: PartyParts()].name, text, field, location)
        case let .partyLegalID(role): try Self.once(&parties[role, default: PartyParts()].legalID, .init(text, scheme: scheme), field, location)
        case let .partyTaxID(role): try Self.once(&parties[role, default: PartyParts()].taxCompanyID, text, field, location)
        case let .partyTaxScheme(role): try Self.once(&parties[role, default: PartyParts()].taxScheme, text, field, location)
        case .lineID: try Self.once(&line.id, text, field, location)
        case .lineOrderLine: try Self.once(&line.orderLine, text, field, location)
        case .itemName: try Self.once(&line.itemName, text, field, location)
        case .itemVATCode: try Self.once(&line.vatCode, text, field, location)
        case .allowanceReason: try Self.once(&allowance.reason, text, field, location)
        case .allowanceReasonCode: try Self.once(&allowance.reasonCode, text, field, location)
        case .allowanceVATCode: try Self.once(&allowance.vatCode, text, field, location)
        case .breakdownVATCode: try Self.once(&breakdown.vatCode, text, field, location)
        case .exemptionReason: try Self.once(&breakdown.exemptionReason, text, field, location)
        case .exemptionReasonCode: try Self.once(&breakdown.exemptionReasonCode, text, field, location)
        default: preconditionFailure("\(field) is not text")
        }
    }

    private mutating func readAmount(_ field: UBLField, _ amount: Money, currency: String?, at location: UBLLocation) throws {
        switch field {
        case .lineNetAmount: try Self.once(&line.netAmount, amount, field, location)
        case .allowanceAmount: try Self.once(&allowance.amount, amount, field, location)
        case .allowanceBase: try Self.once(&allowance.base, amount, field, location)
        case .vatTotal:
            guard taxTotal == nil else { throw Self.repeated(field, location) }
            taxTotal = (amount, currency, location)
        case .taxableAmount: try Self.once(&breakdown.taxable, amount, field, location)
        case .taxAmount: try Self.once(&breakdown.tax, amount, field, location)
        case .lineNetTotal, .allowanceTotal, .chargeTotal, .withoutVAT, .withVAT, .paid, .rounding, .due:
            try Self.once(&totals[field], amount, field, location)
        default: preconditionFailure("\(field) is not an amount")
        }
    }

    private mutating func readDecimal(_ field: UBLField, _ value: Decimal, unitCode: String?, at location: UBLLocation) throws {
        switch field {
        case .lineQuantity:
            try Self.once(&line.quantity, value, field, location)
            line.unitCode = unitCode?.trimmingCharacters(in: .whitespaces)
        case .itemVATRate: try Self.once(&line.vatRate, value, field, location)
        case .price: try Self.once(&line.price, value, field, location)
        case .priceBaseQuantity: try Self.once(&line.baseQuantity, value, field, location)
        case .allowancePercentage: try Self.once(&allowance.percentage, value, field, location)
        case .allowanceVATRate: try Self.once(&allowance.vatRate, value, field, location)
        case .breakdownVATRate: try Self.once(&breakdown.vatRate, value, field, location)
        default: preconditionFailure("\(field) is not a decimal")
        }
    }

    // MARK: Groups

    /// A group starts: its parts start empty.
    mutating func open(_ group: UBLGroup) {
        switch group {
        case .line: line = LineParts()
        case .allowanceCharge: allowance = AllowanceParts()
        case .vatBreakdown: breakdown = BreakdownParts()
        case .taxTotal: taxTotal = nil
        case .party, .partyTaxScheme: break
        }
    }

    /// A group ends at `endLine`: what it must have is checked and its value kept.
    mutating func close(_ group: UBLGroup, endingAt endLine: Int) throws {
        switch group {
        case .line:
            let parts = line
            let value = EInvoice.Line(
                id: try require(parts.id, .lineID, endLine), quantity: try require(parts.quantity, .lineQuantity, endLine),
                unitCode: parts.unitCode, netAmount: try require(parts.netAmount, .lineNetAmount, endLine),
                orderLineReference: parts.orderLine, itemName: try require(parts.itemName, .itemName, endLine),
                price: try require(parts.price, .price, endLine), priceBaseQuantity: parts.baseQuantity,
                vat: .init(code: try require(parts.vatCode, .itemVATCode, endLine), rate: parts.vatRate ?? 0))
            lineTotals.add(value)
            if lines.count < keptLines { lines.append(value) }
        case .allowanceCharge:
            let parts = allowance
            allowancesAndCharges.append(EInvoice.AllowanceCharge(
                isCharge: try require(parts.isCharge, .chargeIndicator, endLine), amount: try require(parts.amount, .allowanceAmount, endLine),
                baseAmount: parts.base, percentage: parts.percentage, reason: parts.reason, reasonCode: parts.reasonCode,
                vat: .init(code: try require(parts.vatCode, .allowanceVATCode, endLine), rate: parts.vatRate ?? 0)))
        case .vatBreakdown:
            let parts = breakdown
            vatBreakdown.append(EInvoice.VATBreakdown(
                taxableAmount: try require(parts.taxable, .taxableAmount, endLine), taxAmount: try require(parts.tax, .taxAmount, endLine),
                vat: .init(code: try require(parts.vatCode, .breakdownVATCode, endLine), rate: parts.vatRate ?? 0),
                exemptionReason: parts.exemptionReason, exemptionReasonCode: parts.exemptionReasonCode))
        case .taxTotal:
            taxTotals.append(try require(taxTotal, .vatTotal, endLine))
        case let .partyTaxScheme(role):
            // BT-31 is the company id of the tax scheme `VAT`; another scheme's (BT-32) is not kept.
            var party = parties[role, default: PartyParts()]
            if party.taxScheme?.uppercased() == "VAT", let id = party.taxCompanyID {
                party.vatID = party.vatID ?? id
            }
            party.taxCompanyID = nil
            party.taxScheme = nil
            parties[role] = party
        case .party:
            break
        }
    }

    // MARK: The end

    /// The document ends at `endLine`: what it must have is checked, and the value made.
    func finish(endingAt endLine: Int) throws -> EInvoice {
        let currency = try require(self.currency, .currency, endLine)
        for (found, location) in uncheckedCurrencies where found != currency {
            throw currencyError(found, expected: currency, at: location)
        }
        if kind == .invoice || precedingInvoices.isEmpty { _ = try require(orderReference, .orderReference, endLine) }
        _ = try require(lineTotals.count > 0 ? () : nil, path: UBLGroup.line.path, term: "BG-25", endLine)
        return EInvoice(
            kind: kind, typeCode: try require(typeCode, .typeCode, endLine), number: try require(number, .number, endLine),
            issueDate: try require(issueDate, .issueDate, endLine), dueDate: dueDate ?? paymentDueDate, currency: currency,
            taxCurrency: taxCurrency, customizationID: customizationID, buyerReference: buyerReference,
            orderReference: orderReference, contractReference: contractReference, precedingInvoices: precedingInvoices,
            seller: try party(.seller, endingAt: endLine), buyer: try party(.buyer, endingAt: endLine),
            lines: lines, lineTotals: lineTotals, allowancesAndCharges: allowancesAndCharges, vatBreakdown: vatBreakdown,
            totals: try documentTotals(currency: currency, endingAt: endLine))
    }

    private func party(_ role: UBLField.Role, endingAt endLine: Int) throws -> EInvoice.Party {
        let parts = parties[role] ?? PartyParts()
        return EInvoice.Party(name: try require(parts.name, .partyName(role), endLine), tradingName: parts.tradingName,
                              legalID: parts.legalID, vatID: parts.vatID, endpoint: parts.endpoint)
    }

    /// BG-22, and BT-110 from the tax total in the document's currency (the other, if any, is
    /// BT-111 in the tax currency).
    private func documentTotals(currency: String, endingAt endLine: Int) throws -> EInvoice.Totals {
        var vat: Money?, vatInTaxCurrency: Money?
        for total in taxTotals {
            if total.currency == nil || total.currency == currency {
                try Self.once(&vat, total.amount, .vatTotal, total.location)
            } else if total.currency == taxCurrency {
                try Self.once(&vatInTaxCurrency, total.amount, .vatTotal, total.location)
            } else {
                throw currencyError(total.currency ?? "", expected: currency, at: total.location)
            }
        }
        return EInvoice.Totals(
            lineNet: try require(totals[.lineNetTotal], .lineNetTotal, endLine), allowances: totals[.allowanceTotal],
            charges: totals[.chargeTotal], withoutVAT: try require(totals[.withoutVAT], .withoutVAT, endLine), vat: vat,
            vatInTaxCurrency: vatInTaxCurrency, withVAT: try require(totals[.withVAT], .withVAT, endLine),
            paid: totals[.paid], rounding: totals[.rounding], due: try require(totals[.due], .due, endLine))
    }

    // MARK: Values and errors

    static func amount(_ text: String, _ field: UBLField, at location: UBLLocation) throws -> Money {
        guard let number = UBLValue.DecimalText(text) else { throw error("error.invoice_number", text, field, location) }
        guard number.fraction.count <= 2 else { throw error("error.invoice_decimals", text, field, location) }
        guard let money = number.money else { throw error("error.invoice_too_large", text, field, location) }
        return money
    }

    /// Every amount or price but a tax total (which may be in the tax currency) is in the
    /// document's currency.
    private mutating func checkCurrency(_ found: String?, of field: UBLField, at location: UBLLocation) throws {
        guard field != .vatTotal, let found = found?.trimmingCharacters(in: .whitespaces) else { return }
        if let currency {
            guard found == currency else { throw currencyError(found, expected: currency, at: location) }
        } else if uncheckedCurrencies.count < 8, !uncheckedCurrencies.contains(where: { $0.currency == found }) {
            uncheckedCurrencies.append((found, location))
        }
    }

    private func currencyError(_ found: String, expected: String, at location: UBLLocation) -> WorkflowError {
        WorkflowError(.invalidData, Message("error.invoice_currency", [
            "path": "\(location.path)", "line": "\(location.line)", "found": "\(found.prefix(10))", "currency": "\(expected)",
        ]))
    }

    private static func once<Value>(_ slot: inout Value?, _ value: Value, _ field: UBLField, _ location: UBLLocation) throws {
        guard slot == nil else { throw repeated(field, location) }
        slot = value
    }

    private static func repeated(_ field: UBLField, _ location: UBLLocation) -> WorkflowError {
        WorkflowError(.invalidData, Message("error.invoice_repeated", ["path": "\(location.path)", "term": "\(field.term)", "line": "\(location.line)"]))
    }

    static func error(_ key: String, _ value: String, _ field: UBLField, _ location: UBLLocation) -> WorkflowError {
        WorkflowError(.invalidData, Message(key, [
            "path": "\(location.path)", "term": "\(field.term)", "line": "\(location.line)", "value": "\(value.prefix(40))",
        ]))
    }

    /// A mandatory field's value, or an error naming its path when the element that ends at
    /// `endLine` did not have it.
    private func require<Value>(_ value: Value?, _ field: UBLField, _ endLine: Int) throws -> Value {
        try require(value, path: field.path, term: field.term, endLine)
    }

    private func require<Value>(_ value: Value?, path: String, term: String, _ endLine: Int) throws -> Value {
        guard let value else {
            throw WorkflowError(.invalidData, Message("error.invoice_missing", [
                "path": "\(displayPath(path))", "term": "\(term)", "line": "\(endLine)",
            ]))
        }
        return value
    }

    /// A path of the field table as this document names it.
    func displayPath(_ path: String) -> String {
        let root = kind == .invoice ? "Invoice" : "CreditNote"
        guard kind == .creditNote else { return root + "/" + path }
        let renamed = UBLNamespace.creditNoteNames.reduce(path) { path, name in
            path.replacingOccurrences(of: name.value, with: name.key)
        }
        return root + "/" + renamed
    }
}
