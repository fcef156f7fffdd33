import Foundation
import Testing
@testable import DevWorkflow

/// The e-invoice texts: every key the reader and the checks use is in the catalogue in both
/// languages, and every e-invoice key in the catalogue is used. (`CatalogueTests` scans for the
/// `error.` keys; the `invoice.` ones are made here.)
@Suite struct InvoiceCatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/DevWorkflow/Invoices")

    /// The reader's keys; the money trail's (`Catalogue.money`: matching, payments) are the
    /// schema's and the commands', checked by `CatalogueTests` and `InvoiceImportTests`.
    static func isInvoiceKey(_ key: String) -> Bool {
        (key.hasPrefix("error.invoice_") || key.hasPrefix("invoice.")) && !Catalogue.money.contains { $0.key == key }
    }

    @Test func everyInvoiceKeyIsInTheCatalogueAndUsed() throws {
        let pattern = try NSRegularExpression(pattern: #""((?:error\.invoice_|invoice\.)[a-z0-9_.]+)""#)
        var used: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.sources.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(name), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(used.count > 30)
        for key in used.sorted() {
            #expect(Catalogue.entries[key] != nil, "\(key) is used but not in the catalogue")
        }
        for key in Catalogue.entries.keys.filter(Self.isInvoiceKey).sorted() {
            #expect(used.contains(key), "\(key) is in the catalogue but nothing uses it")
        }
    }

    @Test func errorsReadInEstonianWithEveryPlaceholderFilled() throws {
        let documents: [Data] = [
            try Data(contentsOf: InvoiceFixtures.folder.appendingPathComponent("bad-malformed.xml")),
            try Data(contentsOf: InvoiceFixtures.folder.appendingPathComponent("bad-missing-order.xml")),
            try Data(contentsOf: InvoiceFixtures.folder.appendingPathComponent("bad-three-decimals.xml")),
            try Data(contentsOf: InvoiceFixtures.folder.appendingPathComponent("bad-doctype.xml")),
            try InvoiceFixtures.variant("simple-invoice.xml", [("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>1")]),
        ]
        for document in documents {
            guard let error = InvoiceFixtures.failure(document) else { continue }
            for language in [Language.et, .en] {
                #expect(!error.message(in: language).contains("{"), "\(error.text.key): \(error.message(in: language))")
            }
        }
        let problems = try InvoiceFixtures.read("bad-totals.xml").arithmeticProblems()
        #expect(problems.allSatisfy { !$0.text(.et).contains("{") && !$0.text(.en).contains("{") })
        let typeCode = InvoiceFixtures.failure(documents[4])
        #expect(typeCode?.message(in: .et) == "Invoice/cbc:InvoiceTypeCode (BT-3) real 10: 1 ei ole selle dokumendi tüübikood Peppol BIS Billing 3.0 "
            + "järgi (lubatud: 71, 80, 82, 84, 102, 218, 219, 326, 331, 380, 382, 383, 384, 386, 388, 393, 395, 553, 575, 623, 780, 817, 870, 875, 876, 877)")
    }
}
