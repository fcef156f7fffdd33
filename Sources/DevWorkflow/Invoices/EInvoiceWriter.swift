import Foundation

/// Writes a plain UBL 2.1 Invoice or CreditNote as Peppol BIS Billing 3.0 has it: one VAT
/// category (standard rate S), lines of hours at a price, the order (BT-13), the contract (BT-12)
/// and, for a credit note, the invoice it corrects (BT-25). For the demo's data and the bench;
/// what it writes `EInvoiceReader` reads back with no arithmetic problem.
public struct EInvoiceWriter: Sendable {
    public struct Party: Sendable {
        public var name: String
        /// The Estonian registry code (ICD 0191).
        public var code: String
        public init(name: String, code: String) {
            self.name = name
            self.code = code
        }
    }

    public struct Line: Sendable {
        public var item: String
        public var hours: Decimal
        public var price: Money
        public init(item: String, hours: Decimal, price: Money) {
            self.item = item
            self.hours = hours
            self.price = price
        }
        /// Hours × price per hour, to the cent.
        var net: Money { EInvoiceWriter.money(hours * price.decimal) }
    }

    public var kind: EInvoice.Kind = .invoice
    public var number: String
    public var issueDate: LocalDate
    public var seller: Party
    public var buyer: Party
    public var order: String?
    public var contract: String?
    /// A credit note's BT-25.
    public var corrects: String?
    public var vatRate: Decimal
    public var lines: [Line]

    public init(kind: EInvoice.Kind = .invoice, number: String, issueDate: LocalDate, seller: Party, buyer: Party, order: String?,
                contract: String? = nil, corrects: String? = nil, vatRate: Decimal, lines: [Line]) {
        self.kind = kind
        self.number = number
        self.issueDate = issueDate
        self.seller = seller
        self.buyer = buyer
        self.order = order
        self.contract = contract
        self.corrects = corrects
        self.vatRate = vatRate
        self.lines = lines
    }

    /// A decimal amount rounded half away from zero to cents.
    static func money(_ value: Decimal) -> Money {
        Money(cents: NSDecimalNumber(decimal: Money.rounding(value) * 100).int64Value)
    }

    /// The document's bytes (UTF-8).
    public func data() -> Data {
        var text = ""
        write(to: &text)
        return Data(text.utf8)
    }

    /// Appends the document to `text` (the bench writes a 20 MiB one this way).
    public func write(to text: inout String) {
        let root = kind == .invoice ? "Invoice" : "CreditNote"
        let lineElement = kind == .invoice ? "InvoiceLine" : "CreditNoteLine"
        let quantityElement = kind == .invoice ? "InvoicedQuantity" : "CreditedQuantity"
        let net = Money(cents: lines.reduce(0) { $0 + $1.net.cents })
        let vat = Self.money(net.decimal * vatRate / 100)
        let gross = net + vat
        func e(_ value: String) -> String {
            value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func amount(_ name: String, _ money: Money) -> String { "<cbc:\(name) currencyID=\"EUR\">\(money)</cbc:\(name)>" }
        func party(_ role: String, _ party: Party) -> String {
            """
              <cac:\(role)><cac:Party>
                <cbc:EndpointID schemeID="0191">\(e(party.code))</cbc:EndpointID>
                <cac:PostalAddress><cac:Country><cbc:IdentificationCode>EE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
                <cac:PartyLegalEntity><cbc:RegistrationName>\(e(party.name))</cbc:RegistrationName><cbc:CompanyID schemeID="0191">\(e(party.code))</cbc:CompanyID></cac:PartyLegalEntity>
              </cac:Party></cac:\(role)>

            """
        }
        let category = "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>\(vatRate)</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>"
        text += """
            <?xml version="1.0" encoding="UTF-8"?>
            <\(root) xmlns="urn:oasis:names:specification:ubl:schema:xsd:\(root)-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
              <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
              <cbc:ID>\(e(number))</cbc:ID>
              <cbc:IssueDate>\(issueDate)</cbc:IssueDate>
            \(kind == .invoice ? "  <cbc:DueDate>\(issueDate.adding(days: 14))</cbc:DueDate>\n  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>" : "  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>")
              <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
              <cbc:BuyerReference>\(e(order ?? number))</cbc:BuyerReference>

            """
        if let order { text += "  <cac:OrderReference><cbc:ID>\(e(order))</cbc:ID></cac:OrderReference>\n" }
        if let corrects { text += "  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>\(e(corrects))</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>\n" }
        if let contract { text += "  <cac:ContractDocumentReference><cbc:ID>\(e(contract))</cbc:ID></cac:ContractDocumentReference>\n" }
        text += party("AccountingSupplierParty", seller) + party("AccountingCustomerParty", buyer)
        text += """
              <cac:TaxTotal>\(amount("TaxAmount", vat))<cac:TaxSubtotal>\(amount("TaxableAmount", net))\(amount("TaxAmount", vat))<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>\(vatRate)</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
              <cac:LegalMonetaryTotal>\(amount("LineExtensionAmount", net))\(amount("TaxExclusiveAmount", net))\(amount("TaxInclusiveAmount", gross))\(amount("PayableAmount", gross))</cac:LegalMonetaryTotal>

            """
        for (index, line) in lines.enumerated() {
            text += """
                  <cac:\(lineElement)><cbc:ID>\(index + 1)</cbc:ID><cbc:\(quantityElement) unitCode="HUR">\(line.hours)</cbc:\(quantityElement)>\(amount("LineExtensionAmount", line.net))<cac:Item><cbc:Name>\(e(line.item))</cbc:Name>\(category)</cac:Item><cac:Price>\(amount("PriceAmount", line.price))</cac:Price></cac:\(lineElement)>

                """
        }
        text += "</\(root)>\n"
    }
}
