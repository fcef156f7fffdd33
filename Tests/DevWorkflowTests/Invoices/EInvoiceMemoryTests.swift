import Foundation
import Testing
@testable import DevWorkflow

/// A 20 MiB invoice read in bounded memory.
///
/// Peak memory is only meaningful for a process of its own: this test process runs every other
/// test beside it. So the test writes the document to a file and runs this same test binary again,
/// under GNU time, with a filter that selects only `readInAChildProcess`; the child reads the
/// file and reports its peak resident memory (VmHWM) before reading, after reading with the
/// default sample of lines, and after reading keeping every line. The limits are on what reading
/// adds, since the test runner's own image is not what `workflowctl` would carry.
@Suite struct EInvoiceMemoryTests {
    static let fileVariable = "WORKFLOW_INVOICE_MEMORY_FILE"
    static let marker = "invoice-memory:"

    @Test func aTwentyMiBInvoiceIsReadInBoundedMemory() throws {
        let work = ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()
        let path = "\(work)/large-invoice-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = try Self.writeLargeInvoice(to: path, bytes: 20 << 20)

        let result = try Binary.runMeasuringMemory("DevWorkflowPackageTests.xctest",
                                                   ["--testing-library", "swift-testing", "--filter", "EInvoiceMemoryTests/readInAChildProcess"],
                                                   environment: [Self.fileVariable: path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let report = result.stdout.components(separatedBy: "\n").first { $0.hasPrefix(Self.marker) } ?? ""
        let values = Dictionary(report.dropFirst(Self.marker.count).split(separator: " ").compactMap { pair -> (String, Int)? in
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            return (String(parts[0]), value)
        }, uniquingKeysWith: { first, _ in first })
        #expect(values["lines"] == lines, "\(report)")
        #expect(values["kept"] == EInvoiceReader.defaultKeptLines)
        #expect(values["kept_all"] == lines)
        #expect(values["problems"] == 0)
        let sample = (values["sample_kib"] ?? .max) - (values["before_kib"] ?? 0)
        let all = (values["all_kib"] ?? .max) - (values["before_kib"] ?? 0)
        #expect(sample < 16 * 1024 * sanitizerMemoryFactor, "reading with the default sample of lines added \(sample) KiB: \(report)")
        #expect(all < 40 * 1024 * sanitizerMemoryFactor, "reading keeping every line added \(all) KiB: \(report)")
        print("a 20 MiB invoice of \(lines) lines, read on top of \((values["before_kib"] ?? 0) / 1024) MiB: keeping "
              + "\(EInvoiceReader.defaultKeptLines) lines added \(sample / 1024) MiB, keeping all \(all / 1024) MiB "
              + "(the child's peak \(result.maxResidentKilobytes / 1024) MiB)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[fileVariable] != nil, "run by aTwentyMiBInvoiceIsReadInBoundedMemory"))
    func readInAChildProcess() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.fileVariable])
        let before = Self.peakKilobytes()
        let invoice = try EInvoiceReader().read(file: path)
        let problems = invoice.arithmeticProblems()
        let sample = Self.peakKilobytes()
        let all = try EInvoiceReader(keptLines: .max).read(file: path)
        print("\(Self.marker) lines=\(invoice.lineTotals.count) kept=\(invoice.lines.count) kept_all=\(all.lines.count) "
              + "problems=\(problems.count) before_kib=\(before) sample_kib=\(sample) all_kib=\(Self.peakKilobytes())")
    }

    /// VmHWM, this process's peak resident memory so far.
    static func peakKilobytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.components(separatedBy: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    /// Writes a Peppol-shaped invoice of about `bytes` bytes, as many lines as fit, whose sums add
    /// up, to a file in pieces (never whole in memory); returns the number of lines. UBL puts the
    /// totals before the lines, so a first pass counts the lines and their sum.
    static func writeLargeInvoice(to path: String, bytes: Int) throws -> Int {
        let header = try InvoiceFixtures.text("simple-invoice.xml").components(separatedBy: "  <cac:TaxTotal>")[0]
        var count = 0, net: Int64 = 0, size = header.utf8.count + 2_000
        while true {
            let (text, amount) = line(count + 1)
            guard size + text.utf8.count < bytes else { break }
            count += 1
            net += amount
            size += text.utf8.count
        }
        let tax = (net * 24 + 50) / 100
        let totals = """
              <cac:TaxTotal>
                <cbc:TaxAmount currencyID="EUR">\(Money(cents: tax))</cbc:TaxAmount>
                <cac:TaxSubtotal>
                  <cbc:TaxableAmount currencyID="EUR">\(Money(cents: net))</cbc:TaxableAmount>
                  <cbc:TaxAmount currencyID="EUR">\(Money(cents: tax))</cbc:TaxAmount>
                  <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>24</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
                </cac:TaxSubtotal>
              </cac:TaxTotal>
              <cac:LegalMonetaryTotal>
                <cbc:LineExtensionAmount currencyID="EUR">\(Money(cents: net))</cbc:LineExtensionAmount>
                <cbc:TaxExclusiveAmount currencyID="EUR">\(Money(cents: net))</cbc:TaxExclusiveAmount>
                <cbc:TaxInclusiveAmount currencyID="EUR">\(Money(cents: net + tax))</cbc:TaxInclusiveAmount>
                <cbc:PayableAmount currencyID="EUR">\(Money(cents: net + tax))</cbc:PayableAmount>
              </cac:LegalMonetaryTotal>

            """
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw WorkflowError(.ioError, Message("error.internal", ["reason": "cannot write \(path)"]))
        }
        defer { try? file.close() }
        var chunk = header + totals
        for number in 1...count {
            chunk += line(number).text
            if chunk.utf8.count > 1 << 16 {
                file.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        file.write(Data((chunk + "</Invoice>\n").utf8))
        return count
    }

    /// The large invoice's line `number` and its net amount in cents.
    static func line(_ number: Int) -> (text: String, cents: Int64) {
        let quantity = Int64(number % 9 + 1), price = Int64(1_000 + number % 5_000)
        let text = """
              <cac:InvoiceLine>
                <cbc:ID>\(number)</cbc:ID>
                <cbc:InvoicedQuantity unitCode="HUR">\(quantity)</cbc:InvoicedQuantity>
                <cbc:LineExtensionAmount currencyID="EUR">\(Money(cents: quantity * price))</cbc:LineExtensionAmount>
                <cac:Item>
                  <cbc:Name>Arendustöö, tellimuse rida \(number): žurnaali täiendus</cbc:Name>
                  <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>24</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
                </cac:Item>
                <cac:Price><cbc:PriceAmount currencyID="EUR">\(Money(cents: price))</cbc:PriceAmount></cac:Price>
              </cac:InvoiceLine>

            """
        return (text, quantity * price)
    }
}
