import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReportGoldenTests {
    @Test(arguments: ReportFixture.Format.allCases)
    func matchesGoldenFile(_ format: ReportFixture.Format) throws {
        let (text, _) = try ReportFixture.rendered(format)
        try Golden.check(text, named: format.fileName)
    }

    /// Charts at their edges (no data, negative values, many categories) and a section without
    /// rows, in HTML and Markdown: to look at, and to notice when they change.
    @Test func chartsAndAnEmptySectionMatchGoldenFiles() throws {
        let months = (1...12).map { "2026-\($0 < 10 ? "0" : "")\($0)" }
        let charts = [
            ReportChart(title: "Throughput per month", kind: .bars, categories: months,
                        series: [("Requests accepted", [4, 7, 0, 12, 9, 15, 3, 0, 8, 11, 21, 6])], unit: "requests"),
            ReportChart(title: "Budget per system: used and left", kind: .groupedBars,
                        categories: ["Laboratory information management system", "Plant control", "Office"],
                        series: [("Used", [182_500.5, 96_000, 12_250]), ("Left", [17_499.5, -6_000, 37_750])], unit: "€"),
            ReportChart(title: "Requests returned", kind: .bars, categories: [], series: [("Returned", [])], unit: "requests"),
        ]
        for (format, name) in [(ReportFixture.Format.html, "charts.html"), (.markdown, "charts.md")] {
            let sink = StringSink()
            let renderer = format.renderer(sink)
            try renderer.begin(ReportHeader(id: "flow", title: "Flow", asOf: ReportFixture.header.asOf))
            for chart in charts { try renderer.chart(chart) }
            try renderer.beginSection(id: "returned", title: "Requests returned", columns: [
                ReportColumn("request", "Request", .text), ReportColumn("times", "Times returned", .integer),
            ])
            try renderer.endSection()
            try renderer.end()
            try Golden.check(sink.text, named: name)
        }
    }

    @Test func fingerprintIsTheSameInEveryFormat() throws {
        let fingerprints = try ReportFixture.Format.allCases.map { try ReportFixture.rendered($0).fingerprint }
        let first = try #require(fingerprints.first ?? nil)
        #expect(first.count == 64)
        #expect(fingerprints.allSatisfy { $0 == first })
    }

    @Test func everyFormatButCSVShowsTheFingerprintAndAsOfTime() throws {
        let (_, fingerprint) = try ReportFixture.rendered(.csv)
        let digest = try #require(fingerprint)
        for format in [ReportFixture.Format.json, .markdown, .html] {
            let text = try ReportFixture.rendered(format).text
            #expect(text.contains(digest), "\(format)")
            #expect(text.contains("2026-11-25T09:18:01Z"), "\(format)")
        }
        let csv = try ReportFixture.rendered(.csv).text
        #expect(!csv.contains(digest))
        #expect(try JSONValue.parse(ReportFixture.rendered(.json).text)["sha256"] == .string(digest))
    }

    @Test func fingerprintIsTheHashOfTheCanonicalLines() throws {
        var expected = "section:requests\n"
        for row in ReportFixture.requestRows { expected += ReportFingerprint.canonicalLine(row) + "\n" }
        expected += "section:time_in_state\n"
        for row in ReportFixture.stateRows { expected += ReportFingerprint.canonicalLine(row) + "\n" }
        #expect(try ReportFixture.rendered(.html).fingerprint == SHA256.hex(expected))

        // The plain CSV's data lines are those canonical lines.
        let csv = try ReportFixture.rendered(.csv).text
        let tables = csv.components(separatedBy: "\r\n\r\n")
        #expect(tables.count == 2)
        #expect(tables[0].hasPrefix("id,title,system,quote,days_late,share,deadline,delivered_at,accepted\r\n"))
        #expect(ReportFingerprint.canonicalLine(ReportFixture.stateRows[0]) == "Draft,1.50,3.00,1")
        #expect(ReportFingerprint.canonicalLine(ReportFixture.requestRows[1])
            == "REQ-102,\" leading and trailing space \",,-1234.50,-2,-12.5,,,false")
    }

    @Test func fingerprintChangesWhenOneCellChanges() throws {
        let original = try ReportFixture.rendered(.json).fingerprint
        var rows = ReportFixture.requestRows
        rows[2][3] = .money(Money(cents: Money.maximum.cents - 1))
        let changed = try ReportFixture.rendered(.json, requestRows: rows).fingerprint
        #expect(original != changed)

        var emptied = ReportFixture.requestRows
        emptied[1][2] = .text("")  // was null: empty text and null differ
        #expect(try ReportFixture.rendered(.csv, requestRows: emptied).fingerprint != original)
    }

    @Test func emptyReportHasTheFingerprintOfNothing() throws {
        let sink = StringSink()
        let renderer = JSONRenderer(sink: sink)
        try renderer.begin(ReportFixture.header)
        try renderer.end()
        #expect(renderer.fingerprint == SHA256.hex(""))
        #expect(renderer.rowCount == 0)
        let document = try JSONValue.parse(sink.text)
        #expect(document["sections"] == .array([]))
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        let html = try ReportFixture.rendered(.html).text
        for forbidden in ["http://", "https://", "src=", "href=", "@import", "url(", "<link", "style=\""] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.contains("Pipes | &lt;b&gt;bold&lt;/b&gt; &amp; &#39;quotes&#39; *stars* _under_"))
        #expect(!html.contains("<b>bold</b>"))
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.contains("@page { size: A4; margin: 14mm; }"))
        #expect(html.contains("999\u{202F}999\u{202F}999\u{202F}999.99\u{A0}€"))
        #expect(html.contains("data-sort=\"99999999999999\""))
        #expect(html.contains("'\(HTMLRenderer.styleHash)'") && html.contains("<style>\(HTMLRenderer.style)</style>"))
        #expect(html.contains("'\(HTMLRenderer.scriptHash)'") && html.contains("<script>\(HTMLRenderer.script)</script>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2)
    }

    @Test func cspHashIsBase64OfTheDigest() {
        // echo -n 'abc' | openssl dgst -sha256 -binary | base64
        #expect(HTMLRenderer.cspHash("abc") == "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    @Test func markdownEscapesCellsAndAlignsNumbers() throws {
        let markdown = try ReportFixture.rendered(.markdown).text
        #expect(markdown.contains("| Kõik \"head\" asjad; 1,5 m<br>õäöüšž ÕÄÖÜŠŽ |"))
        #expect(markdown.contains("Pipes \\| \\<b\\>bold\\</b\\> & 'quotes' \\*stars\\* \\_under\\_"))
        #expect(markdown.contains("| --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |"))
        #expect(markdown.contains("| -1\u{202F}234.50\u{A0}€ |"))
        #expect(Markup.markdown("a\r\nb\rc\nd") == "a<br>b<br>c<br>d")
    }
}
