import Foundation
import Testing
@testable import DevWorkflow

@Suite struct ReportChartTests {
    static func svg(_ chart: ReportChart) -> String {
        SVGChart(chart: chart, formatting: .standard, id: "c1").render()
    }

    @Test func emptyChartShowsANote() {
        let empty = ReportChart(title: "Throughput", kind: .bars, categories: [], series: [("Requests", [])], unit: "requests")
        let text = Self.svg(empty)
        #expect(text.contains(ReportFormatting.standard.labels.noData))
        #expect(!text.contains("<rect x=\"8\""))
        let missing = ReportChart(title: "T", kind: .groupedBars, categories: ["a"], series: [("x", [.nan]), ("y", [.infinity])], unit: "")
        #expect(Self.svg(missing).contains(ReportFormatting.standard.labels.noData))
    }

    @Test func groupedBarsHaveALegendValueLabelsAndAnAxis() {
        let text = Self.svg(ReportFixture.stateChart)
        #expect(text.hasPrefix("<svg viewBox=\"0 0 440 "))
        #expect(text.hasSuffix("</svg>"))
        #expect(text.contains(">Median</text>") && text.contains(">85th percentile</text>"))
        #expect(text.contains(">41.0</text>") && text.contains(">20.2</text>"))  // one decimal below 1000
        #expect(text.contains(">days</text>"))
        #expect(text.contains(">0</text>") && text.contains(">50</text>"))  // ticks 0 … 50 by 10
        #expect(text.components(separatedBy: "<rect ").count - 1 == 2 + 8)  // legend swatches, bars
        #expect(text.contains("<title>Waiting for quotes from the invited vendors (three quotes are required before ordering)</title>"))
    }

    @Test func longNamesWrapAndShorten() {
        #expect(SVGChart.wrap("short", maxCharacters: 10, maxLines: 2) == ["short"])
        #expect(SVGChart.wrap("one two three four", maxCharacters: 9, maxLines: 2) == ["one two", "three f…"] || 
                SVGChart.wrap("one two three four", maxCharacters: 9, maxLines: 2) == ["one two", "three…"])
        #expect(SVGChart.wrap("abcdefghijklmnop", maxCharacters: 5, maxLines: 2) == ["abcde", "fghi…"])
        #expect(SVGChart.wrap("", maxCharacters: 5, maxLines: 2) == [""])
        let long = String(repeating: "Pikk kategooria nimi ", count: 20)
        let chart = ReportChart(title: "Long", kind: .bars, categories: [long], series: [("n", [1])], unit: "")
        let text = Self.svg(chart)
        #expect(text.contains("…</text>"))
    }

    @Test func negativeValuesGrowLeftOfZero() {
        let text = Self.svg(ReportFixture.lateChart)
        #expect(text.contains(">-2</text>"))
        #expect(text.contains("text-anchor=\"end\" fill=\"#333\">-2</text>"))
        #expect(text.contains(">–</text>"))  // the missing value
    }

    @Test func textIsEscaped() {
        let chart = ReportChart(title: "<script>", kind: .groupedBars, categories: ["a & <b>"], series: [("\"s\"", [1]), ("'t'", [2])], unit: "<u>")
        let text = Self.svg(chart)
        #expect(!text.contains("<script>") && !text.contains("<b>") && !text.contains("<u>"))
        #expect(text.contains("a &amp; &lt;b&gt;") && text.contains("&quot;s&quot;") && text.contains("&#39;t&#39;"))
    }

    @Test func niceAxes() {
        #expect(SVGChart.axis(lowest: 1.5, highest: 41) == (0, 50, 10))
        #expect(SVGChart.axis(lowest: -2, highest: 3) == (-2, 3, 1))
        #expect(SVGChart.axis(lowest: 0, highest: 0) == (0, 1, 0.2))
        #expect(SVGChart.axis(lowest: 0, highest: 999_999_999_999.99) == (0, 1_000_000_000_000, 200_000_000_000))
        #expect(SVGChart.fractionDigits(forStep: 0.25) == 2)
        #expect(SVGChart.fractionDigits(forStep: 20) == 0)
        #expect(SVGChart.fractionDigits(for: [1, 2, 3]) == 0)
        #expect(SVGChart.fractionDigits(for: [1.5, 12]) == 1)
    }
}
