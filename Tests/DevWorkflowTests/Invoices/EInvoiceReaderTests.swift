import Foundation
import Testing
@testable import DevWorkflow

@Suite struct EInvoiceReaderTests {
    typealias F = InvoiceFixtures

    static func day(_ text: String) -> LocalDate { try! LocalDate(parsing: text) }

    // MARK: Documents that read

    @Test func aSimpleInvoiceReadsEveryField() throws {
        let invoice = try F.read("simple-invoice.xml")
        #expect(invoice.kind == .invoice)
        #expect(invoice.typeCode == "380")
        #expect(invoice.number == "PT-2026-0042")
        #expect(invoice.issueDate == Self.day("2026-03-02"))
        #expect(invoice.dueDate == Self.day("2026-03-16"))
        #expect(invoice.currency == "EUR")
        #expect(invoice.customizationID == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0")
        #expect(invoice.buyerReference == "VOLIS-7")
        #expect(invoice.orderReference == "ORD-2026-0007")
        #expect(invoice.contractReference == "RL-2025/14")
        #expect(invoice.precedingInvoices.isEmpty)
        #expect(invoice.seller == EInvoice.Party(name: "Põhjala Tarkvara OÜ", tradingName: "Põhjala Tarkvara",
                                                 legalID: .init("12345678", scheme: "0191"), vatID: "EE101234567",
                                                 endpoint: .init("12345678", scheme: "0191")))
        #expect(invoice.seller.estonianRegistryCode == "12345678")
        #expect(invoice.buyer == EInvoice.Party(name: "Tartu Linnavalitsus", tradingName: nil, legalID: .init("75000123", scheme: "0191"),
                                                vatID: nil, endpoint: .init("75000123", scheme: "0191")))
        #expect(invoice.lines == [EInvoice.Line(
            id: "1", quantity: 10, unitCode: "HUR", netAmount: Money("800.00"), orderLineReference: "1",
            itemName: "Šifreeritud ülekannete žurnaal, õiguste ja äriloogika täiendus", price: 80, priceBaseQuantity: nil,
            vat: .init(code: "S", rate: 24))])
        #expect(invoice.lineTotals.count == 1)
        #expect(invoice.allowancesAndCharges.isEmpty)
        #expect(invoice.vatBreakdown == [EInvoice.VATBreakdown(taxableAmount: Money("800.00"), taxAmount: Money("192.00"),
                                                               vat: .init(code: "S", rate: 24), exemptionReason: nil, exemptionReasonCode: nil)])
        #expect(invoice.totals == EInvoice.Totals(lineNet: Money("800"), allowances: nil, charges: nil, withoutVAT: Money("800"),
                                                  vat: Money("192"), vatInTaxCurrency: nil, withVAT: Money("992"), paid: nil,
                                                  rounding: nil, due: Money("992")))
    }

    @Test func severalLinesAnAllowanceAChargeAndTwoVATRates() throws {
        let invoice = try F.read("allowance-charge-two-rates.xml")
        #expect(invoice.number == "2026/117")
        #expect(invoice.seller.name == "Äriarendus ja Koolitus AS")
        #expect(invoice.seller.tradingName == nil)
        #expect(invoice.lines.map(\.id) == ["1", "2", "3"])
        #expect(invoice.lines.map(\.netAmount) == [Money("1020"), Money("290"), Money("400")])
        #expect(invoice.lines.map(\.vat) == [.init(code: "S", rate: 24), .init(code: "S", rate: 24), .init(code: "E", rate: 0)])
        // A price may have more decimals than an amount; it is kept exactly.
        #expect(invoice.lines[2].price == 400)
        #expect(invoice.lines[2].priceBaseQuantity == 1)
        #expect(invoice.lines[2].unitCode == "C62")
        #expect(invoice.lineTotals.netAmount == 1710)
        #expect(invoice.lineTotals.netAmountByVAT == [.init(code: "S", rate: 24): 1310, .init(code: "E", rate: 0): 400])
        #expect(invoice.allowancesAndCharges == [
            EInvoice.AllowanceCharge(isCharge: false, amount: Money("65.50"), baseAmount: Money("1310"), percentage: 5,
                                     reason: "Püsikliendi allahindlus", reasonCode: "95", vat: .init(code: "S", rate: 24)),
            EInvoice.AllowanceCharge(isCharge: true, amount: Money("45"), baseAmount: nil, percentage: nil,
                                     reason: "Sõidukulud Tallinn–Pärnu", reasonCode: "ABK", vat: .init(code: "S", rate: 24)),
        ])
        #expect(invoice.vatBreakdown.map(\.vat) == [.init(code: "S", rate: 24), .init(code: "E", rate: 0)])
        #expect(invoice.vatBreakdown[1].exemptionReasonCode == "VATEX-EU-132-1I")
        #expect(invoice.vatBreakdown[1].exemptionReason == "Koolitusteenus on käibemaksust vabastatud (KMS § 16 lg 2 p 6)")
        #expect(invoice.totals == EInvoice.Totals(lineNet: Money("1710"), allowances: Money("65.50"), charges: Money("45"),
                                                  withoutVAT: Money("1689.50"), vat: Money("309.48"), vatInTaxCurrency: nil,
                                                  withVAT: Money("1998.98"), paid: Money("500"), rounding: Money("0.02"), due: Money("1499")))
    }

    @Test func aCreditNoteNamesTheInvoiceItCorrects() throws {
        let note = try F.read("credit-note.xml")
        #expect(note.kind == .creditNote && note.isCreditNote)
        #expect(note.typeCode == "381")
        #expect(note.number == "PT-2026-0051")
        #expect(note.precedingInvoices == ["PT-2026-0042"])
        #expect(note.orderReference == "ORD-2026-0007")
        // A credit note's due date is the payment means' (UBL's CreditNote has no cbc:DueDate).
        #expect(note.dueDate == Self.day("2026-03-24"))
        #expect(note.lines.map(\.quantity) == [2])
        #expect(note.lines.map(\.netAmount) == [Money("160")])
        #expect(note.totals.due == Money("198.40"))
        #expect(note.seller.estonianRegistryCode == "12345678")
    }

    @Test func aCreditNoteMayNameTheInvoiceInsteadOfTheOrder() throws {
        let withoutOrder = try EInvoiceReader().read(try F.variant("credit-note.xml", [
            ("  <cac:OrderReference>\n    <cbc:ID>ORD-2026-0007</cbc:ID>\n  </cac:OrderReference>\n", ""),
        ]))
        #expect(withoutOrder.orderReference == nil)
        #expect(withoutOrder.precedingInvoices == ["PT-2026-0042"])

        let neither = try F.variant("credit-note.xml", [
            ("  <cac:OrderReference>\n    <cbc:ID>ORD-2026-0007</cbc:ID>\n  </cac:OrderReference>\n", ""),
            ("<cbc:ID>PT-2026-0042</cbc:ID>", ""),
        ])
        let error = F.failure(neither)
        #expect(error?.text.key == "error.invoice_missing")
        #expect(error?.text.argument("path") == "CreditNote/cac:OrderReference/cbc:ID")
        // And an invoice line in a credit note is not one of its lines.
        let invoiceLine = try F.variant("credit-note.xml", [("cac:CreditNoteLine>", "cac:InvoiceLine>"), ("cbc:CreditedQuantity", "cbc:InvoicedQuantity")])
        #expect(F.failure(invoiceLine)?.text.argument("path") == "CreditNote/cac:CreditNoteLine")
    }

    @Test func anyPrefixesADefaultNamespaceWhiteSpaceAndCDATARead() throws {
        let invoice = try F.read("other-prefixes.xml")
        #expect(invoice.number == "PT-2026-0043")
        #expect(invoice.orderReference == "ORD-2026-0008")
        #expect(invoice.seller.name == "Põhjala Tarkvara OÜ")
        #expect(invoice.seller.vatID == "EE101234567")
        #expect(invoice.buyer.name == "Tartu Linnavalitsus & Co")
        // 0199 is the global LEI, not an Estonian registry code.
        #expect(invoice.buyer.legalID == .init("5299000J2N45DDNE4Y28", scheme: "0199"))
        #expect(invoice.buyer.estonianRegistryCode == nil)
        #expect(invoice.lines.map(\.quantity) == [Decimal(string: "1.25")!])
        #expect(invoice.lines.map(\.itemName) == ["Õigused: ärireeglite ülevaatus"])
        #expect(invoice.totals.withoutVAT == Money("100") && invoice.totals.withVAT == Money("124"))
        // 24.00 % in the breakdown is the lines' 24 %.
        #expect(invoice.vatBreakdown.map(\.vat) == [.init(code: "S", rate: 24)])
        #expect(invoice.arithmeticProblems().isEmpty)

        let padded = try EInvoiceReader().read(try F.variant("other-prefixes.xml", [
            ("<TaxExclusiveAmount currencyID=\"EUR\">100</TaxExclusiveAmount>",
             "<TaxExclusiveAmount currencyID=\" EUR \" foreign=\"x\">\n   +100.\n  </TaxExclusiveAmount>"),
        ]))
        #expect(padded.totals.withoutVAT == Money("100"))
    }

    @Test func extensionsAndLineLevelAllowancesAreNotTheDocumentsOwn() throws {
        let invoice = try F.read("extensions.xml")
        #expect(invoice.number == "PT-2026-0044")
        #expect(invoice.orderReference == "ORD-2026-0009")
        #expect(invoice.precedingInvoices.isEmpty)
        #expect(invoice.allowancesAndCharges.isEmpty)
        #expect(invoice.seller.name == "Põhjala Tarkvara OÜ")
        #expect(invoice.lines.map(\.netAmount) == [Money("760")])
        #expect(invoice.lines.map(\.price) == [80])
        #expect(invoice.arithmeticProblems().isEmpty)

        // Whatever an extension holds, however wrong it would be as UBL, is not read.
        let hostile = try EInvoiceReader().read(try F.variant("extensions.xml", [
            ("<cbc:ID>DECOY-1</cbc:ID>", """
            <cbc:ID>DECOY-1</cbc:ID><cac:InvoiceLine><cbc:ID>99</cbc:ID>
            <cbc:LineExtensionAmount currencyID="USD">1.001</cbc:LineExtensionAmount></cac:InvoiceLine>
            <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="USD">not a number</cbc:PayableAmount></cac:LegalMonetaryTotal>
            """),
        ]))
        #expect(hostile.lineTotals.count == 1)
        #expect(hostile.totals.due == Money("942.40"))
    }

    @Test func aDocumentReadsFromADescriptorAndInUTF16() throws {
        let expected = try F.read("simple-invoice.xml")
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let bytes = try Data(contentsOf: F.folder.appendingPathComponent("simple-invoice.xml"))
        let input = ends[1]
        let writer = Thread {
            bytes.withUnsafeBytes { _ = write(input, $0.baseAddress, $0.count) }
            close(input)
        }
        writer.start()
        #expect(try EInvoiceReader().read(descriptor: ends[0]) == expected)
        close(ends[0])

        let utf16 = try F.text("simple-invoice.xml").replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        #expect(try EInvoiceReader().read(utf16.data(using: .utf16)!) == expected)
    }

    @Test func aSecondTaxTotalInTheTaxCurrencyIsBT111() throws {
        let total = "  <cac:LegalMonetaryTotal>"
        let inSEK = try EInvoiceReader().read(try F.variant("simple-invoice.xml", [
            ("<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>",
             "<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>"),
            (total, "  <cac:TaxTotal><cbc:TaxAmount currencyID=\"SEK\">2150.40</cbc:TaxAmount></cac:TaxTotal>\n" + total),
        ]))
        #expect(inSEK.taxCurrency == "SEK")
        #expect(inSEK.totals.vat == Money("192") && inSEK.totals.vatInTaxCurrency == Money("2150.40"))
        #expect(inSEK.arithmeticProblems().isEmpty)
        // In a currency that is neither the document's nor its tax currency it is refused.
        let inUSD = F.failure(try F.variant("simple-invoice.xml", [
            (total, "  <cac:TaxTotal><cbc:TaxAmount currencyID=\"USD\">200.00</cbc:TaxAmount></cac:TaxTotal>\n" + total),
        ]))
        #expect(inUSD?.text.key == "error.invoice_currency")
        #expect(inUSD?.text.argument("found") == "USD")
        // Two in the document's currency are one too many.
        let twice = F.failure(try F.variant("simple-invoice.xml", [
            (total, "  <cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">192.00</cbc:TaxAmount></cac:TaxTotal>\n" + total),
        ]))
        #expect(twice?.text.key == "error.invoice_repeated")
        #expect(twice?.text.argument("term") == "BT-110")
    }

    @Test func keptLinesLimitsTheLinesNotTheirSums() throws {
        let invoice = try F.read("allowance-charge-two-rates.xml", keptLines: 1)
        #expect(invoice.lines.map(\.id) == ["1"])
        #expect(invoice.lineTotals.count == 3)
        #expect(invoice.lineTotals.netAmount == 1710)
        #expect(invoice.arithmeticProblems().isEmpty)
    }

    // MARK: Documents that do not

    @Test func malformedXMLNamesItsLine() throws {
        let error = F.failure { try F.read("bad-malformed.xml") }
        #expect(error?.code == .invalidData)
        #expect(error?.text.key == "error.invoice_malformed")
        #expect(error?.text.argument("line") == "\(try F.line(of: "</cbc:Nimi>", in: "bad-malformed.xml"))")
        #expect(error?.text.argument("reason") == "an end tag does not match its start tag")
        #expect(error?.message == "the e-invoice is not well-formed XML (line 98, column 90): an end tag does not match its start tag")

        #expect(F.failure(Data())?.text.argument("reason") == "the document is empty")
        let cut = try F.text("simple-invoice.xml").prefix(2000)
        #expect(F.failure(Data(cut.utf8))?.text.key == "error.invoice_malformed")
        let prefix = F.failure(Data("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><cbc:ID>1</cbc:ID></Invoice>".utf8))
        #expect(prefix?.text.argument("reason") == "a namespace prefix that is not declared")
    }

    @Test func aMissingOrderReferenceIsNamedByPathAndTerm() throws {
        let error = F.failure { try F.read("bad-missing-order.xml") }
        #expect(error?.text.key == "error.invoice_missing")
        #expect(error?.text.argument("path") == "Invoice/cac:OrderReference/cbc:ID")
        #expect(error?.text.argument("term") == "BT-13")
        #expect(error?.text.argument("line") == "\(try F.line(of: "</Invoice>", in: "bad-missing-order.xml"))")
        #expect(error?.message(in: .et) == "e-arvelt puudub Invoice/cac:OrderReference/cbc:ID (BT-13): seda ei ole elemendis, mis lõpeb real 108")

        // Inside a group, the group's end is the line.
        let noName = F.failure(try F.variant("simple-invoice.xml", [
            ("<cbc:Name>Šifreeritud ülekannete žurnaal, õiguste ja äriloogika täiendus</cbc:Name>", ""),
        ]))
        #expect(noName?.text.argument("path") == "Invoice/cac:InvoiceLine/cac:Item/cbc:Name")
        #expect(noName?.text.argument("term") == "BT-153")
        #expect(noName?.text.argument("line") == "\(try F.line(of: "</cac:InvoiceLine>", in: "simple-invoice.xml"))")
    }

    @Test func anAmountWithThreeDecimalsIsRefused() throws {
        let error = F.failure { try F.read("bad-three-decimals.xml") }
        #expect(error?.text.key == "error.invoice_decimals")
        #expect(error?.text.argument("path") == "Invoice/cac:InvoiceLine/cbc:LineExtensionAmount")
        #expect(error?.text.argument("term") == "BT-131")
        #expect(error?.text.argument("value") == "800.005")
        #expect(error?.text.argument("line") == "\(try F.line(of: "800.005", in: "bad-three-decimals.xml"))")
    }

    @Test func aDoctypeIsRefusedBeforeAnyEntityIsRead() throws {
        let error = F.failure { try F.read("bad-doctype.xml") }
        #expect(error?.text.key == "error.invoice_doctype")
        #expect(error?.text.argument("line") == "3")
        // Without entities, after a comment of several lines, and in UTF-16: the same.
        let plain = "<?xml version=\"1.0\"?>\n<!--\n a\n b -->\n<!DOCTYPE Invoice SYSTEM \"http://example.invalid/x.dtd\">\n<Invoice/>"
        #expect(F.failure(Data(plain.utf8))?.text.argument("line") == "5")
        #expect(F.failure(plain.data(using: .utf16)!)?.text.key == "error.invoice_doctype")
        // A comment or an instruction mentioning one is no DOCTYPE.
        let mention = try F.variant("simple-invoice.xml", [("<Invoice xmlns=", "<!-- <!DOCTYPE x> --><?pi <!DOCTYPE?>\n<Invoice xmlns=")])
        #expect(try EInvoiceReader().read(mention).number == "PT-2026-0042")
    }

    @Test func whatIsNotAUBLInvoiceIsRefusedAtItsRoot() throws {
        let order = F.failure(Data("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>".utf8))
        #expect(order?.text.key == "error.invoice_root")
        #expect(order?.text.argument("element") == "{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order")
        let wrong = F.failure(try F.variant("simple-invoice.xml", [("xsd:Invoice-2\"", "xsd:Invoice-3\"")]))
        #expect(wrong?.text.key == "error.invoice_namespace")
        #expect(wrong?.text.argument("namespace") == "urn:oasis:names:specification:ubl:schema:xsd:Invoice-3")
        #expect(wrong?.text.argument("line") == "4")
        #expect(F.failure(Data("<CreditNote/>".utf8))?.text.argument("namespace") == "-")
    }

    /// A document made from a fixture by one replacement, the error key it must give, and
    /// arguments that error must have.
    struct BadValue: CustomTestStringConvertible, Sendable {
        var fixture = "simple-invoice.xml"
        let old: String, new: String, key: String
        let arguments: [String: String]
        var testDescription: String { "\(key): \(new.prefix(60))" }
    }

    static let taxTotal = "<cbc:TaxAmount currencyID=\"EUR\">192.00</cbc:TaxAmount>\n    <cac:TaxSubtotal>"
    static let taxTotalAt = ["path": "Invoice/cac:TaxTotal/cbc:TaxAmount", "term": "BT-110", "line": "71"]

    static let badValues = [
        BadValue(old: taxTotal, new: taxTotal.replacingOccurrences(of: "192.00", with: "192,00"), key: "error.invoice_number",
                 arguments: taxTotalAt.merging(["value": "192,00"]) { $1 }),
        BadValue(old: taxTotal, new: taxTotal.replacingOccurrences(of: "192.00", with: "1e2"), key: "error.invoice_number", arguments: taxTotalAt),
        BadValue(old: taxTotal, new: taxTotal.replacingOccurrences(of: "192.00", with: ""), key: "error.invoice_number", arguments: taxTotalAt),
        BadValue(old: "<cbc:PriceAmount currencyID=\"EUR\">80.00", new: "<cbc:PriceAmount currencyID=\"EUR\">80." + String(repeating: "0", count: 40),
                 key: "error.invoice_number", arguments: ["path": "Invoice/cac:InvoiceLine/cac:Price/cbc:PriceAmount", "term": "BT-146"]),
        BadValue(old: taxTotal, new: taxTotal.replacingOccurrences(of: "192.00", with: "1000000000000.00"), key: "error.invoice_too_large",
                 arguments: taxTotalAt),
        BadValue(old: "2026-03-02</cbc:IssueDate>", new: "2026-02-30</cbc:IssueDate>", key: "error.invoice_date",
                 arguments: ["path": "Invoice/cbc:IssueDate", "term": "BT-2", "line": "8", "value": "2026-02-30"]),
        BadValue(old: "<cbc:InvoiceTypeCode>380", new: "<cbc:InvoiceTypeCode>381", key: "error.invoice_type_code",
                 arguments: ["term": "BT-3", "value": "381", "line": "10"]),
        BadValue(old: "<cbc:ID>PT-2026-0042</cbc:ID>", new: "<cbc:ID>PT-2026-0042</cbc:ID><cbc:ID>X</cbc:ID>", key: "error.invoice_repeated",
                 arguments: ["path": "Invoice/cbc:ID", "term": "BT-1"]),
        BadValue(old: "<cbc:PriceAmount currencyID=\"EUR\">", new: "<cbc:PriceAmount currencyID=\"USD\">", key: "error.invoice_currency",
                 arguments: ["found": "USD", "currency": "EUR", "path": "Invoice/cac:InvoiceLine/cac:Price/cbc:PriceAmount"]),
        BadValue(fixture: "allowance-charge-two-rates.xml", old: "<cbc:ChargeIndicator>true", new: "<cbc:ChargeIndicator>yes",
                 key: "error.invoice_indicator", arguments: ["path": "Invoice/cac:AllowanceCharge/cbc:ChargeIndicator", "value": "yes"]),
        BadValue(old: "<cbc:Name>Šifreeritud", new: "<cbc:Name>" + String(repeating: "ž", count: 50_001), key: "error.invoice_too_long",
                 arguments: ["path": "Invoice/cac:InvoiceLine/cac:Item/cbc:Name", "limit": "100000"]),
    ]

    @Test(arguments: badValues)
    func valuesOfTheWrongFormNameTheirElementAndLine(_ bad: BadValue) throws {
        let error = F.failure(try F.variant(bad.fixture, [(bad.old, bad.new)]))
        #expect(error?.text.key == bad.key)
        for (name, value) in bad.arguments {
            #expect(error?.text.argument(name) == value, "\(name)")
        }
    }

    @Test func aFileThatCannotBeReadIsAnIOError() {
        let error = F.failure { try EInvoiceReader().read(file: F.path("no-such-invoice.xml")) }
        #expect(error?.code == .ioError)
        #expect(error?.text.key == "error.invoice_read")
        #expect(error?.message.hasSuffix("no-such-invoice.xml: No such file or directory") == true)
    }

    /// libxml2 is loaded when a document is first read, not linked: the commands that read none
    /// do not load it (and the ICU it needs) at start-up.
    @Test func theCommandsDoNotLinkLibXML2() throws {
        for program in ["workflowctl", "workflowd"] {
            let dynamic = try Subprocess.run("/usr/bin/readelf", ["-d", try Binary.path(program)])
            #expect(dynamic.status == 0)
            #expect(dynamic.stdout.contains("(NEEDED)") && dynamic.stdout.contains("libpq"), "\(program): \(dynamic.stdout)")
            #expect(!dynamic.stdout.contains("libxml2") && !dynamic.stdout.contains("FoundationXML"), "\(program): \(dynamic.stdout)")
        }
        // And reading a document loads it.
        #expect(try F.read("simple-invoice.xml").number.isEmpty == false)
        #expect(dlopen("libxml2.so.2", RTLD_NOW | RTLD_NOLOAD) != nil)
    }

    @Test func aMachineWithoutLibXML2CannotReadInvoicesAndSaysWhy() {
        let error = #expect(throws: WorkflowError.self) { try LibXML2.load(names: ["libdevworkflow-no-such-xml.so.9"]) }
        #expect(error?.code == .unavailable)
        #expect(error?.text.key == "error.invoice_libxml2")
        #expect(error?.text.argument("library") == "libdevworkflow-no-such-xml.so.9")
        #expect(error?.message(in: .en).hasPrefix("reading e-invoices needs libdevworkflow-no-such-xml.so.9, which cannot be loaded (") == true)
        #expect(error?.message(in: .et).hasSuffix("): paigaldage libxml2") == true)
    }

    /// Entities as FoundationXML's parser gave them: the predefined ones and character references
    /// are read, any other is an undeclared entity (there is no DTD to declare one).
    @Test func predefinedEntitiesAreReadAndAnUndeclaredOneIsRefused() throws {
        let name = "<cbc:RegistrationName>Põhjala Tarkvara OÜ</cbc:RegistrationName>"
        let escaped = try EInvoiceReader().read(try F.variant("simple-invoice.xml", [
            (name, "<cbc:RegistrationName>P&#xF5;hjala &amp; &lt;Tarkvara&gt; O&#220;</cbc:RegistrationName>"),
        ]))
        #expect(escaped.seller.name == "Põhjala & <Tarkvara> OÜ")
        let undeclared = F.failure(try F.variant("simple-invoice.xml", [
            (name, "<cbc:RegistrationName>Põhjala&nbsp;Tarkvara OÜ</cbc:RegistrationName>"),
        ]))
        #expect(undeclared?.text.key == "error.invoice_malformed")
        #expect(undeclared?.text.argument("reason") == "an undeclared entity")
        #expect(undeclared?.text.argument("line") == "\(try F.line(of: name, in: "simple-invoice.xml"))")
    }
}
