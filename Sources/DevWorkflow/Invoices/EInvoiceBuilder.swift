import Foundation

/// Collects the fields the parser reads into an `EInvoice`: converts each text by its field's
/// form, refuses a value given twice, and checks what is mandatory as each group closes and at the
/// end. Knows nothing of XML.
///
/// A field's value is kept with the others of the group it belongs to (`UBLField.group`) until
/// that group closes and becomes a line, an allowance, a breakdown …; a field of no group is the
/// document's.
struct EInvoiceBuilder {
    /// Peppol BIS Billing 3.0's invoice and credit note type codes (profile 01, UNTDID 1001).
    static let invoiceTypeCodes: Set = ["71", "80", "82", "84", "102", "218", "219", "326", "331", "380", "382", "383", "384", "386",
                                        "388", "393", "395", "553", "575", "623", "780", "817", "870", "875", "876", "877"]
    static let creditNoteTypeCodes: Set = ["81", "83", "381", "396", "532"]

    /// The longest text kept from one element; a longer one is refused rather than held in memory.
    static let maximumTextLength = 100_000

    /// One element's value, read by its field's form, with what its attributes added.
    enum Value {
        case text(String, scheme: String?)
        case amount(Money, currency: String?)
        case decimal(Decimal, unit: String?)
        case date(LocalDate)
        case indicator(Bool)

        var text: String? { if case let .text(text, _) = self { text } else { nil } }
        var identifier: EInvoice.Identifier? { if case let .text(text, scheme) = self { .init(text, scheme: scheme) } else { nil } }
        var amount: Money? { if case let .amount(amount, _) = self { amount } else { nil } }
        var currency: String? { if case let .amount(_, currency) = self { currency } else { nil } }
        var decimal: Decimal? { if case let .decimal(decimal, _) = self { decimal } else { nil } }
        var unit: String? { if case let .decimal(_, unit) = self { unit } else { nil } }
        var date: LocalDate? { if case let .date(date) = self { date } else { nil } }
        var indicator: Bool? { if case let .indicator(value) = self { value } else { nil } }
    }

    typealias Values = [UBLField: (value: Value, line: Int)]

    let kind: EInvoice.Kind
    let keptLines: Int

    /// The document's own fields, and those of each group open now.
    private var document: Values = [:]
    private var open: [UBLGroup: Values] = [:]
    private var precedingInvoices: [String] = []
    private var parties: [UBLField.Role: EInvoice.Party] = [:]
    private var lines: [EInvoice.Line] = []
    private var lineTotals = EInvoice.LineTotals()
    private var allowancesAndCharges: [EInvoice.AllowanceCharge] = []
    private var vatBreakdown: [EInvoice.VATBreakdown] = []
    private var taxTotals: [(amount: Money, currency: String?, line: Int)] = []
    /// Amounts read before the document's currency was known, checked at the end (a few suffice).
    private var uncheckedCurrencies: [(currency: String, field: UBLField, line: Int)] = []

    init(kind: EInvoice.Kind, keptLines: Int) {
        self.kind = kind
        self.keptLines = keptLines
    }

    // MARK: Reading

    /// Takes one element's text (white space as in the document) and the attributes it had.
    mutating func read(_ field: UBLField, _ raw: String, attributes: [String: String], line: Int) throws {
        try checkCurrency(attributes["currencyID"], of: field, line: line)
        guard let value = try value(field, Whitespace.trimmed(raw, Whitespace.isBlankOrBreak), attributes: attributes, line: line) else {
            return
        }
        if field == .precedingInvoice, let text = value.text {
            precedingInvoices.append(text)  // BG-3 repeats
        } else if let group = UBLField.groups[field] {
            try store(value, field, line: line, in: &open[group, default: [:]])
        } else {
            try store(value, field, line: line, in: &document)
        }
    }

    /// The value of a text by its field's form; nil for an empty text or code, which is as good as
    /// none (what is mandatory is missed when its group closes).
    private func value(_ field: UBLField, _ text: String, attributes: [String: String], line: Int) throws -> Value? {
        switch field.form {
        case .text, .code:
            guard !text.isEmpty else { return nil }
            if field == .typeCode { try checkTypeCode(text, line: line) }
            return .text(field.form == .code ? text : UBLValue.collapsed(text),
                         scheme: attributes["schemeID"].map { $0.trimmingCharacters(in: .whitespaces) })
        case .amount:
            guard let number = UBLValue.DecimalText(text) else { throw error("error.invoice_number", text, field, line) }
            guard number.fraction.count <= 2 else { throw error("error.invoice_decimals", text, field, line) }
            guard let money = number.money else { throw error("error.invoice_too_large", text, field, line) }
            return .amount(money, currency: attributes["currencyID"]?.trimmingCharacters(in: .whitespaces))
        case .decimal:
            guard let number = UBLValue.DecimalText(text) else { throw error("error.invoice_number", text, field, line) }
            return .decimal(number.value, unit: attributes["unitCode"]?.trimmingCharacters(in: .whitespaces))
        case .date:
            guard let date = UBLValue.date(text) else { throw error("error.invoice_date", text, field, line) }
            return .date(date)
        case .indicator:
            guard let value = UBLValue.indicator(text) else { throw error("error.invoice_indicator", text, field, line) }
            return .indicator(value)
        }
    }

    /// Keeps a value; one given again is refused, but where the document may say it more than
    /// once (several trading names or means of payment), the first is kept.
    private func store(_ value: Value, _ field: UBLField, line: Int, in values: inout Values) throws {
        guard values[field] == nil else {
            if field == .partyTradingName(.seller) || field == .partyTradingName(.buyer) || field == .paymentDueDate { return }
            throw Self.message("error.invoice_repeated", ["path": "\(kind.path(field.path))", "term": "\(field.term)", "line": "\(line)"])
        }
        values[field] = (value, line)
    }

    private func checkTypeCode(_ code: String, line: Int) throws {
        let allowed = kind == .invoice ? Self.invoiceTypeCodes : Self.creditNoteTypeCodes
        guard !allowed.contains(code) else { return }
        throw Self.message("error.invoice_type_code", [
            "path": "\(kind.path(UBLField.typeCode.path))", "term": "\(UBLField.typeCode.term)", "line": "\(line)",
            "value": "\(code.prefix(40))", "allowed": .words(allowed.sorted { ($0.count, $0) < ($1.count, $1) }),
        ])
    }

    /// Every amount or price but a tax total (which may be in the tax currency) is in the
    /// document's currency.
    private mutating func checkCurrency(_ found: String?, of field: UBLField, line: Int) throws {
        guard field != .vatTotal, let found = found?.trimmingCharacters(in: .whitespaces) else { return }
        if let currency = document[.currency]?.value.text {
            guard found == currency else { throw currencyError(found, expected: currency, field: field, line: line) }
        } else if uncheckedCurrencies.count < 8, !uncheckedCurrencies.contains(where: { $0.currency == found }) {
            uncheckedCurrencies.append((found, field, line))
        }
    }

    // MARK: Groups

    /// A group starts: it has read nothing yet.
    mutating func open(_ group: UBLGroup) {
        open[group] = [:]
    }

    /// A group ends at `endLine`: what it must have is checked and its value kept.
    mutating func close(_ group: UBLGroup, endingAt endLine: Int) throws {
        let values = open.removeValue(forKey: group) ?? [:]
        func required<T>(_ field: UBLField, _ get: (Value) -> T?) throws -> T {
            try require(values[field].flatMap { get($0.value) }, path: field.path, term: field.term, endLine)
        }
        switch group {
        case .line:
            let line = EInvoice.Line(
                id: try required(.lineID, \.text), quantity: try required(.lineQuantity, \.decimal),
                unitCode: values[.lineQuantity]?.value.unit, netAmount: try required(.lineNetAmount, \.amount),
                orderLineReference: values[.lineOrderLine]?.value.text, itemName: try required(.itemName, \.text),
                price: try required(.price, \.decimal), priceBaseQuantity: values[.priceBaseQuantity]?.value.decimal,
                vat: .init(code: try required(.itemVATCode, \.text), rate: values[.itemVATRate]?.value.decimal ?? 0))
            lineTotals.add(line)
            if lines.count < keptLines { lines.append(line) }
        case .allowanceCharge:
            allowancesAndCharges.append(EInvoice.AllowanceCharge(
                isCharge: try required(.chargeIndicator, \.indicator), amount: try required(.allowanceAmount, \.amount),
                baseAmount: values[.allowanceBase]?.value.amount, percentage: values[.allowancePercentage]?.value.decimal,
                reason: values[.allowanceReason]?.value.text, reasonCode: values[.allowanceReasonCode]?.value.text,
                vat: .init(code: try required(.allowanceVATCode, \.text), rate: values[.allowanceVATRate]?.value.decimal ?? 0)))
        case .vatBreakdown:
            vatBreakdown.append(EInvoice.VATBreakdown(
                taxableAmount: try required(.taxableAmount, \.amount), taxAmount: try required(.taxAmount, \.amount),
                vat: .init(code: try required(.breakdownVATCode, \.text), rate: values[.breakdownVATRate]?.value.decimal ?? 0),
                exemptionReason: values[.exemptionReason]?.value.text, exemptionReasonCode: values[.exemptionReasonCode]?.value.text))
        case .taxTotal:
            taxTotals.append((try required(.vatTotal, \.amount), values[.vatTotal]?.value.currency, values[.vatTotal]?.line ?? endLine))
        case let .partyTaxScheme(role):
            // BT-31 is the company id of the tax scheme `VAT`; another scheme's (BT-32) is not kept.
            if values[.partyTaxScheme(role)]?.value.text?.uppercased() == "VAT", let id = values[.partyTaxID(role)] {
                open[.party(role), default: [:]][.partyTaxID(role)] = open[.party(role)]?[.partyTaxID(role)] ?? id
            }
        case let .party(role):
            guard parties[role] == nil else {
                throw Self.message("error.invoice_repeated", ["path": "\(kind.path(group.path))", "term": "\(role.term)", "line": "\(endLine)"])
            }
            parties[role] = EInvoice.Party(
                name: try required(.partyName(role), \.text), tradingName: values[.partyTradingName(role)]?.value.text,
                legalID: values[.partyLegalID(role)]?.value.identifier, vatID: values[.partyTaxID(role)]?.value.text,
                endpoint: values[.partyEndpoint(role)]?.value.identifier)
        }
    }

    // MARK: The end

    /// The document ends at `endLine`: what it must have is checked, and the value made.
    func finish(endingAt endLine: Int) throws -> EInvoice {
        func required<T>(_ field: UBLField, _ get: (Value) -> T?) throws -> T {
            try require(document[field].flatMap { get($0.value) }, path: field.path, term: field.term, endLine)
        }
        let currency = try required(.currency, \.text)
        for (found, field, line) in uncheckedCurrencies where found != currency {
            throw currencyError(found, expected: currency, field: field, line: line)
        }
        if kind == .invoice || precedingInvoices.isEmpty { _ = try required(.orderReference, \.text) }
        _ = try require(lineTotals.count > 0 ? () : nil, path: UBLGroup.line.path, term: "BG-25", endLine)
        let seller = try require(parties[.seller], path: UBLField.partyName(.seller).path, term: UBLField.partyName(.seller).term, endLine)
        let buyer = try require(parties[.buyer], path: UBLField.partyName(.buyer).path, term: UBLField.partyName(.buyer).term, endLine)

        // BT-110 is the tax total in the document's currency; one in the tax currency is BT-111.
        let taxCurrency = document[.taxCurrency]?.value.text
        var vat: (Money, Int)?, vatInTaxCurrency: (Money, Int)?
        for total in taxTotals {
            let isDocuments = total.currency == nil || total.currency == currency
            guard isDocuments || total.currency == taxCurrency else {
                throw currencyError(total.currency ?? "", expected: currency, field: .vatTotal, line: total.line)
            }
            guard (isDocuments ? vat : vatInTaxCurrency) == nil else {
                throw Self.message("error.invoice_repeated", ["path": "\(kind.path(UBLField.vatTotal.path))", "term": "BT-110", "line": "\(total.line)"])
            }
            if isDocuments { vat = (total.amount, total.line) } else { vatInTaxCurrency = (total.amount, total.line) }
        }
        return EInvoice(
            kind: kind, typeCode: try required(.typeCode, \.text), number: try required(.number, \.text),
            issueDate: try required(.issueDate, \.date), dueDate: document[.dueDate]?.value.date ?? document[.paymentDueDate]?.value.date,
            currency: currency, taxCurrency: taxCurrency, customizationID: document[.customizationID]?.value.text,
            buyerReference: document[.buyerReference]?.value.text, orderReference: document[.orderReference]?.value.text,
            contractReference: document[.contractReference]?.value.text, precedingInvoices: precedingInvoices,
            seller: seller, buyer: buyer, lines: lines, lineTotals: lineTotals, allowancesAndCharges: allowancesAndCharges,
            vatBreakdown: vatBreakdown,
            totals: EInvoice.Totals(
                lineNet: try required(.lineNetTotal, \.amount), allowances: document[.allowanceTotal]?.value.amount,
                charges: document[.chargeTotal]?.value.amount, withoutVAT: try required(.withoutVAT, \.amount), vat: vat?.0,
                vatInTaxCurrency: vatInTaxCurrency?.0, withVAT: try required(.withVAT, \.amount), paid: document[.paid]?.value.amount,
                rounding: document[.rounding]?.value.amount, due: try required(.due, \.amount)))
    }

    // MARK: Errors

    /// A mandatory value, or an error naming its path when the element that ends at `endLine`
    /// did not have it.
    private func require<T>(_ value: T?, path: String, term: String, _ endLine: Int) throws -> T {
        guard let value else {
            throw Self.message("error.invoice_missing", ["path": "\(kind.path(path))", "term": "\(term)", "line": "\(endLine)"])
        }
        return value
    }

    private func error(_ key: String, _ value: String, _ field: UBLField, _ line: Int) -> WorkflowError {
        Self.message(key, ["path": "\(kind.path(field.path))", "term": "\(field.term)", "line": "\(line)", "value": "\(value.prefix(40))"])
    }

    private func currencyError(_ found: String, expected: String, field: UBLField, line: Int) -> WorkflowError {
        Self.message("error.invoice_currency", [
            "path": "\(kind.path(field.path))", "line": "\(line)", "found": "\(found.prefix(10))", "currency": "\(expected)",
        ])
    }

    static func message(_ key: String, _ arguments: [String: MessageArgument]) -> WorkflowError {
        WorkflowError(.invalidData, Message(key, arguments))
    }
}
