import Foundation
import Testing
@testable import DevWorkflow

/// The vendor's report as the vendor reads it (issue 12, item 8): what needs its action first,
/// then its requests; in HTML a table of six cells that fits a wide screen and A4, cards on a
/// phone, and no identifier or date ever broken inside. `scripts/screenshot-reports` renders it
/// with Chromium for a person to look at; these are the parts a test can hold.
@Suite struct VendorReportLayoutTests {
    static func render(_ format: ReportFormat, _ connection: Connection, asOf: Date, language: Language = .en) throws -> String {
        let sink = StringSink()
        try ReportRun.render(VendorReport(vendor: "ACME"), from: connection, into: format.renderer(writingTo: sink, formatting: .for(language)),
                             asOf: asOf)
        return sink.text
    }

    /// Whether a cell may wrap is decided by the text shown: a state's or an action's name of
    /// several words wraps (its key, one word, made it a nowrap cell that pushed the table past
    /// the page); a digest breaks into halves; no identifier or date breaks at all.
    @Test func namesOfSeveralWordsWrapAndLongWordsBreakOnlyAtTheirSeparators() throws {
        let html = try Self.render(.html, try WorkflowReportTests.goldenDatabase(), asOf: WorkflowReportTests.asOf)
        #expect(html.contains("<td data-label=\"State\">ordered from another vendor</td>"))
        #expect(html.contains("<td data-label=\"What to do\">quote overdue: send your quote</td>"))
        #expect(!html.contains("ORD-2026-<wbr>") && !html.contains("2026-<wbr>"))
        let digest = try #require(html.firstMatch(of: /data-label="SHA-256">([0-9a-f]{32})<wbr>([0-9a-f]{32})</), "a digest in two halves")
        #expect(digest.output.1.count == 32)
        #expect(Markup.breakableHTML("Lähteülesanne_versioon_3_lõplik.pdf") == "Lähteülesanne_<wbr>versioon_<wbr>3_<wbr>lõplik.<wbr>pdf")
        #expect(Markup.breakableHTML("a<b>_c") == "a&lt;b&gt;_<wbr>c")
        // A table of two cells is as wide as its content (the flow report's returns per order).
        let flow = try WorkflowReportTests.render(FlowReport(), .html, on: try WorkflowReportTests.goldenDatabase()).0
        #expect(flow.contains("<div class=\"table-wrap narrow\" role=\"region\" aria-labelledby=\"section-returns-title\""))
        #expect(!html.contains("table-wrap narrow"), "the vendor's wide tables keep the page's width")
    }

    /// A vendor that quoted and lost reads "ordered from another vendor" wherever it reads the
    /// request — its report, `request list`, `request show`, `request transitions` (no step
    /// offered) — and never the winner's progress; staff and the winner read the state itself.
    @Test func aVendorThatLostReadsOrderedElsewhereEverywhere() throws {
        let f = try Fixture()
        let id = try f.request(in: "delivered")   // ACME and BETA invited, ordered from ACME
        let beta = try f.store(as: f.vendorB), acme = try f.store(as: f.vendorA)
        #expect(try beta.request(id).state == "ordered_elsewhere")
        var listed: [String] = []
        try beta.requests(WorkflowStore.Filter()) { if $0.id == id { listed.append($0.state) } }
        #expect(listed == ["ordered_elsewhere"])
        // Its "since" is when the other vendor's order was placed, not the winner's last step.
        let placed = try f.sql().query("SELECT ordered_at FROM purchase_order WHERE request_id = \(id)").first!.decode(0, as: Date.self)
        #expect(try f.store().request(id).stateSince > placed, "the fixture delivered after ordering")
        #expect(try beta.request(id).stateSince == placed && acme.request(id).stateSince == f.store().request(id).stateSince)
        var sinceListed: [Date] = []
        try beta.requests(WorkflowStore.Filter()) { if $0.id == id { sinceListed.append($0.stateSince) } }
        #expect(sinceListed == [placed])
        #expect(try beta.transitions(id).state == "ordered_elsewhere" && beta.transitions(id).options.isEmpty)
        #expect(try acme.request(id).state == "delivered" && f.store().request(id).state == "delivered")
        let csv = try WorkflowReportTests.render(VendorReport(vendor: "BETA"), .csv, on: try f.db.connect()).0
        #expect(csv.contains("\(id),VOLIS,") && csv.contains(",ordered_elsewhere,") && !csv.contains(",delivered,"), "\(csv)")
    }

    /// Overdue orders, then overdue quotes, then orders due within a week, then quotes asked.
    @Test func whatNeedsTheVendorComesFirstMostUrgentFirst() throws {
        let f = try Fixture()
        let ordered = try f.request(in: "ordered")
        let asked = try f.request(in: "quote_requested")
        _ = try f.request(in: "released")
        let c = try f.sql()
        let deadline = try c.query("SELECT deadline FROM purchase_order WHERE request_id = \(ordered)").first!.decode(0, as: LocalDate.self)
        let quoteDue = try c.query("SELECT due FROM invitation WHERE request_id = \(asked) AND vendor = 'ACME'").first!.decode(0, as: LocalDate.self)
        func actions(on day: LocalDate) throws -> [String] {
            let document = try JSONValue.parse(try Self.render(.json, c, asOf: day.start(in: .tallinn).addingTimeInterval(12 * 3600)))
            let sections = try #require(document["sections"]?.arrayValue)
            #expect(sections.map { $0["id"] } == ["action", "requests", "penalties", "files"], "the action comes first, the files last")
            return try #require(sections[0]["rows"]?.arrayValue).map { "\($0["request"]?.plain ?? "") \($0["action"]?.plain ?? "") \($0["days_late"]?.plain ?? "")" }
        }
        #expect(try actions(on: quoteDue) == ["\(asked) quote_requested "])
        #expect(try actions(on: deadline.adding(days: -3)) == ["\(asked) quote_overdue \(quoteDue.days(until: deadline.adding(days: -3)))",
                                                              "\(ordered) due_soon "])
        #expect(try actions(on: deadline.adding(days: 2)) == ["\(ordered) overdue 2", "\(asked) quote_overdue \(quoteDue.days(until: deadline.adding(days: 2)))"])
    }

    @Test func theHTMLTableFitsAndEveryRowIsACardOnAPhone() throws {
        let connection = try WorkflowReportTests.goldenDatabase()
        for language in Language.allCases {
            let html = try Self.render(.html, connection, asOf: WorkflowReportTests.asOf, language: language)
            let action = try #require(html.range(of: "<section id=\"section-action\">"))
            let requests = try #require(html.range(of: "<section id=\"section-requests\">"))
            #expect(action.lowerBound < requests.lowerBound, "what needs action comes first")
            let table = String(html[requests.lowerBound...]).components(separatedBy: "</table>")[0]
            // Twenty columns in seven cells: request, title, state, quote, order, delivery, invoices.
            #expect(table.components(separatedBy: "<th ").count - 1 == 7, "\(language)")
            let rows = table.components(separatedBy: "<tr>").dropFirst(2)
            #expect(rows.count == 5)
            for row in rows {
                #expect(row.components(separatedBy: "<td").count - 1 == 7)
                #expect(row.components(separatedBy: " data-label=\"").count - 1 == 7, "each cell says what it is on a card")
            }
            #expect(table.contains("<table class=\"report cards\""))
            // Order numbers and dates sit in values that never wrap.
            for number in ["ORD-2026-0001", "ORD-2026-0002", "ORD-2026-0003"] {
                #expect(table.contains("<span class=\"v\">\(number)</span>"), "\(number)")
            }
            let deadline = language == .et ? "15.10.2026" : "2026-10-15"
            #expect(table.contains("</span> <span class=\"v\">\(deadline)</span>"))
        }
        let style = HTMLRenderer.style
        #expect(style.contains("td[data-sort]:not(.group), td.word, td.group .v { white-space: nowrap; }"))
        #expect(style.contains("@media (max-width: 600px)") && style.contains("table.cards td::before { content: attr(data-label);"))
        #expect(!style.contains("overflow-wrap: break-word; min-width: 4.5rem"), "short cells never break inside a word")
    }

    /// Every other format keeps its twenty-one columns apart: the groups are HTML's layout only.
    @Test func otherFormatsKeepEveryColumn() throws {
        let connection = try WorkflowReportTests.goldenDatabase()
        let markdown = try Self.render(.markdown, connection, asOf: WorkflowReportTests.asOf)
        #expect(markdown.contains("| Request | System | Title | State | Quote due | Quoted hours | Quoted price | Promised delivery | Order |"))
        let json = try JSONValue.parse(try Self.render(.json, connection, asOf: WorkflowReportTests.asOf))
        #expect(json["sections"]?.arrayValue?.first { $0["id"]?.plain == "requests" }?["columns"]?.arrayValue?.count == 21)
    }
}
