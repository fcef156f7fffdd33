import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReportCSVTests {
    /// Reads every record of a CSV text.
    static func records(_ text: String, separator: Character = ",") throws -> [[String]] {
        let reader = CSVReader(string: text, separator: separator)
        var records: [[String]] = []
        while let record = try reader.next() { records.append(record.fields) }
        return records
    }

    /// What the fixture's section should read back as: canonical texts, null as empty.
    static func expected(_ columns: [ReportColumn], _ rows: [[ReportValue]], excel: Bool) -> [[String]] {
        [columns.map(\.key)] + rows.map { row in
            row.map { value in
                let text = ReportFingerprint.canonicalText(value) ?? ""
                switch value {
                case .money, .decimal: return excel ? text.replacingOccurrences(of: ".", with: ",") : text
                // Every dialect defuses a formula's start (issue 12, item 12).
                case let .text(text) where text.first.map({ "=+-@".contains($0) }) == true: return "'" + text
                case .null, .text, .integer, .date, .timestamp, .boolean: return text
                }
            }
        }
    }

    @Test(arguments: [false, true])
    func readsBackToTheSameValues(excel: Bool) throws {
        let (text, _) = try ReportFixture.rendered(excel ? .excel : .csv)
        #expect(text.hasPrefix("\u{FEFF}") == excel)
        let records = try ReportCSVTests.records(text, separator: excel ? ";" : ",")
        let first = ReportCSVTests.expected(ReportFixture.requestColumns, ReportFixture.requestRows, excel: excel)
        let second = ReportCSVTests.expected(ReportFixture.stateColumns, ReportFixture.stateRows, excel: excel)
        #expect(records == first + [[]] + second)
        #expect(records[1][1] == ReportFixture.tricky)
    }

    @Test func oneSectionIsAPlainRFC4180File() throws {
        let sink = StringSink()
        let renderer = CSVRenderer(sink: sink, section: "time_in_state")
        try ReportFixture.render(into: renderer)
        #expect(sink.text == """
            state,median_days,p85_days,requests\r
            Draft,1.50,3.00,1\r
            Waiting for quotes from the invited vendors (three quotes are required before ordering),12.00,30.50,8\r
            Ordered,20.25,41.00,15\r
            Acceptance testing,4.00,9.75,22\r

            """)
        #expect(renderer.fingerprint == (try ReportFixture.rendered(.json).fingerprint))
        #expect(renderer.rowCount == 8)
        // Every record has the header's field count and ends in CRLF.
        let lines = sink.text.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 4 })
    }

    @Test func fieldEncoding() {
        let csv = CSVFormat.rfc4180
        #expect(csv.field("plain") == "plain")
        #expect(csv.field("") == "")
        #expect(csv.field("a,b") == "\"a,b\"")
        #expect(csv.field("a;b") == "a;b")
        #expect(csv.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(csv.field("two\nlines") == "\"two\nlines\"")
        #expect(csv.field("cr\r") == "\"cr\r\"")
        #expect(csv.field(" lead") == "\" lead\"")
        #expect(csv.field("trail ") == "\"trail \"")
        #expect(csv.field("in side") == "in side")
        #expect(csv.field("õäöü") == "õäöü")
        #expect(CSVFormat.excel.field("a;b") == "\"a;b\"")
        #expect(CSVFormat.excel.field("a,b") == "a,b")
        #expect(CSVFormat.excel.number("-1234.50") == "-1234,50")
        #expect(csv.number("-1234.50") == "-1234.50")
        #expect(csv.record(["a", "b,c", ""]) == "a,\"b,c\",")
    }

    @Test func aLoneNullCellIsNotABlankLine() throws {
        let sink = StringSink()
        let renderer = CSVRenderer(sink: sink)
        try renderer.begin(ReportFixture.header)
        try renderer.beginSection(id: "one", title: "One", columns: [ReportColumn("note", "Note", .text)])
        try renderer.row([.null])
        try renderer.row([.text("")])
        try renderer.row([.text("x")])
        try renderer.endSection()
        try renderer.end()
        #expect(sink.text == "note\r\n\"\"\r\n\"\"\r\nx\r\n")
    }

    @Test func excelKeepsFormulasFromRunning() throws {
        let (text, _) = try ReportFixture.rendered(.excel)
        #expect(text.contains(";'=SUM(A1:A3);"))
        #expect(text.contains(";-1234,50;-2;-12,5;"))
        #expect(!text.contains("\u{202F}"))
    }
}
