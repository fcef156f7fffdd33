import Foundation
import Testing
@testable import DevWorkflow

/// Calls out of order and rows of the wrong shape are bugs in the calling code: they trap.
///
/// A trap ends the process with a signal (SIGILL from `ud2` on x86-64, SIGTRAP from `brk` on
/// arm64); an error thrown out of the body would exit with a failure status instead, so the
/// tests tell the two apart.
@Suite struct ReportContractTests {
    #if arch(arm64)
    static let trap = ExitTest.Condition.signal(SIGTRAP)
    #else
    static let trap = ExitTest.Condition.signal(SIGILL)
    #endif

    @Test func rowWithTheWrongNumberOfValuesTraps() async {
        await #expect(processExitsWith: Self.trap) {
            let renderer = CSVRenderer(sink: StringSink())
            try renderer.begin(ReportHeader(id: "status", title: "Status", asOf: Date(timeIntervalSince1970: 0)))
            try renderer.beginSection(id: "s", title: "S", columns: [ReportColumn("a", "A", .text)])
            try renderer.row([.text("x"), .text("y")])
        }
    }

    @Test func valueOfTheWrongKindTraps() async {
        await #expect(processExitsWith: Self.trap) {
            let renderer = JSONRenderer(sink: StringSink())
            try renderer.begin(ReportHeader(id: "status", title: "Status", asOf: Date(timeIntervalSince1970: 0)))
            try renderer.beginSection(id: "s", title: "S", columns: [ReportColumn("amount", "Amount", .money)])
            try renderer.row([.decimal("1.5")])
        }
    }

    @Test func chartWithoutASectionTraps() async {
        await #expect(processExitsWith: Self.trap) {
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
