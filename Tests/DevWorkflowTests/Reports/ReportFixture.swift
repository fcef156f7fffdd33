import Foundation
@testable import DevWorkflow

/// The synthetic two-section report with charts that the golden files are made from: every value
/// kind, a null in each kind, negative and very large money, and a text cell with `"`, `;`, a
/// comma, a newline and Estonian letters.
enum ReportFixture {
    static func instant(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Date {
        let days = LocalDate(year: year, month: month, day: day).map(\.dayNumber) ?? 0
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + hour * 3600 + minute * 60 + second))
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> ReportValue {
        LocalDate(year: year, month: month, day: day).map(ReportValue.date) ?? .null
    }

    static let tricky = "Kõik \"head\" asjad; 1,5 m\nõäöüšž ÕÄÖÜŠŽ"

    static let header = ReportHeader(
        id: "vendor",
        title: "Vendor report: Põhjala Tööstus OÜ",
        subtitle: "Requests the vendor was invited to or ordered for",
        asOf: instant(2026, 11, 25, 9, 18, 1),
        parameters: [("vendor", "POHJALA"), ("year", "2026")]
    )

    static let requestColumns = [
        ReportColumn("id", "Request", .text),
        ReportColumn("title", "Title", .text),
        ReportColumn("system", "System", .text),
        ReportColumn("quote", "Quote", .money),
        ReportColumn("days_late", "Days late", .integer),
        ReportColumn("share", "Share", .decimal),
        ReportColumn("deadline", "Deadline", .date),
        ReportColumn("delivered_at", "Delivered", .timestamp),
        ReportColumn("accepted", "Accepted", .boolean),
    ]

    static var requestRows: [[ReportValue]] {
        [
            [.text("REQ-101"), .text(tricky), .text("lab"), .money(Money(cents: 125_050)), .integer(3), .decimal("0.25"),
             day(2026, 11, 30), .timestamp(instant(2026, 11, 20, 14, 5, 9)), .boolean(true)],
            [.text("REQ-102"), .text(" leading and trailing space "), .null, .money(Money(cents: -123_450)), .integer(-2), .decimal("-12.5"),
             .null, .null, .boolean(false)],
            [.text("REQ-103"), .text("Pipes | <b>bold</b> & 'quotes' *stars* _under_"), .text("plant"), .money(.maximum), .integer(0),
             .decimal("1000000.125"), day(2026, 12, 31), .timestamp(instant(2026, 7, 1, 21, 30, 0)), .null],
            [.text("REQ-104"), .text(""), .text("=SUM(A1:A3)"), .money(.zero), .null, .null, day(2027, 1, 4), .null, .boolean(true)],
        ]
    }

    static let stateColumns = [
        ReportColumn("state", "State", .text),
        ReportColumn("median_days", "Median days", .decimal),
        ReportColumn("p85_days", "85th percentile days", .decimal),
        ReportColumn("requests", "Requests", .integer),
    ]

    static let states = ["Draft", "Waiting for quotes from the invited vendors (three quotes are required before ordering)", "Ordered", "Acceptance testing"]
    static let medians = [1.5, 12.0, 20.25, 4.0]
    static let percentiles = [3.0, 30.5, 41.0, 9.75]

    static var stateRows: [[ReportValue]] {
        states.indices.map { index in
            [.text(states[index]), .decimal(medians[index], fractionDigits: 2), .decimal(percentiles[index], fractionDigits: 2), .integer(index * 7 + 1)]
        }
    }

    static let lateChart = ReportChart(
        title: "Days late per request", kind: .bars,
        categories: ["REQ-101", "REQ-102", "REQ-103", "REQ-104"],
        series: [("Days late", [3, -2, 0, .nan])], unit: "days"
    )

    static let stateChart = ReportChart(
        title: "Time in state: median and 85th percentile", kind: .groupedBars,
        categories: states, series: [("Median", medians), ("85th percentile", percentiles)], unit: "days"
    )

    /// Plays the whole report into a renderer; `requestRows` replaces the first section's rows.
    static func render(into renderer: any ReportRenderer, requestRows rows: [[ReportValue]]? = nil) throws {
        try renderer.begin(header)
        try renderer.chart(lateChart)
        try renderer.beginSection(id: "requests", title: "Requests", columns: requestColumns)
        for row in rows ?? requestRows { try renderer.row(row) }
        try renderer.endSection()
        try renderer.chart(stateChart)
        try renderer.beginSection(id: "time_in_state", title: "Time in state", columns: stateColumns)
        for row in stateRows { try renderer.row(row) }
        try renderer.endSection()
        try renderer.end()
    }

    enum Format: String, CaseIterable {
        case csv, excel, json, markdown, html

        var fileName: String {
            switch self {
            case .csv: return "report.csv"
            case .excel: return "report-excel.csv"
            case .json: return "report.json"
            case .markdown: return "report.md"
            case .html: return "report.html"
            }
        }

        func renderer(_ sink: any ReportSink) -> any ReportRenderer {
            switch self {
            case .csv: return ReportFormat.csv.renderer(writingTo: sink)
            case .excel: return ReportFormat.csv.renderer(writingTo: sink, excel: true)
            case .json: return ReportFormat.json.renderer(writingTo: sink)
            case .markdown: return ReportFormat.markdown.renderer(writingTo: sink)
            case .html: return ReportFormat.html.renderer(writingTo: sink)
            }
        }
    }

    /// The fixture in one format, with the renderer's fingerprint.
    static func rendered(_ format: Format, requestRows rows: [[ReportValue]]? = nil) throws -> (text: String, fingerprint: String?) {
        let sink = StringSink()
        let renderer = format.renderer(sink)
        try render(into: renderer, requestRows: rows)
        return (sink.text, renderer.fingerprint)
    }
}
