import Foundation
import Testing
@testable import DevWorkflow

/// Calls out of order and rows of the wrong shape are bugs in the calling code: they trap.
@Suite struct ReportContractTests {
    @Test func rowWithTheWrongNumberOfValuesTraps() async {
        await #expect(processExitsWith: .failure) {
            let renderer = CSVRenderer(sink: StringSink())
            try renderer.begin(ReportHeader(id: "status", title: "Status", asOf: Date(timeIntervalSince1970: 0)))
            try renderer.beginSection(id: "s", title: "S", columns: [ReportColumn("a", "A", .text)])
            try renderer.row([.text("x"), .text("y")])
        }
    }

    @Test func valueOfTheWrongKindTraps() async {
        await #expect(processExitsWith: .failure) {
            let renderer = JSONRenderer(sink: StringSink())
            try renderer.begin(ReportHeader(id: "status", title: "Status", asOf: Date(timeIntervalSince1970: 0)))
            try renderer.beginSection(id: "s", title: "S", columns: [ReportColumn("amount", "Amount", .money)])
            try renderer.row([.decimal("1.5")])
        }
    }

    @Test func chartWithoutASectionTraps() async {
        await #expect(processExitsWith: .failure) {
            let renderer = HTMLRenderer(sink: StringSink())
            try renderer.begin(ReportHeader(id: "flow", title: "Flow", asOf: Date(timeIntervalSince1970: 0)))
            try renderer.chart(ReportChart(title: "T", kind: .bars, categories: [], series: [("n", [])], unit: ""))
            try renderer.end()
        }
    }

    @Test func nullFitsEveryKindAndFingerprintIsSetOnlyAtTheEnd() throws {
        let renderer = MarkdownRenderer(sink: StringSink())
        try renderer.begin(ReportHeader(id: "status", title: "Status", asOf: Date(timeIntervalSince1970: 0)))
        let columns = ReportColumn.Kind.allCases.map { ReportColumn("c_\($0.rawValue)", $0.rawValue, $0) }
        try renderer.beginSection(id: "all", title: "All", columns: columns)
        try renderer.row(columns.map { _ in .null })
        try renderer.endSection()
        #expect(renderer.fingerprint == nil)
        try renderer.end()
        #expect(renderer.fingerprint == SHA256.hex("section:all\n,,,,,,\n"))
    }
}
