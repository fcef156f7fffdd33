import Foundation
import Testing
@testable import DevWorkflow

/// Counts what it is given and keeps nothing.
final class CountingSink: ReportSink {
    private(set) var bytes = 0
    private(set) var writes = 0
    func write(_ text: String) { bytes += text.utf8.count; writes += 1 }
}

@Suite struct ReportStreamingTests {
    static let rows = 200_000

    /// Renders `rows` rows and returns the sink and the largest buffer the renderer held.
    static func stream(_ format: ReportFixture.Format) throws -> (sink: CountingSink, renderer: any ReportRenderer, peak: Int) {
        let sink = CountingSink()
        let renderer = format.renderer(sink)
        try renderer.begin(ReportFixture.header)
        try renderer.beginSection(id: "requests", title: "Requests", columns: ReportFixture.requestColumns)
        let template = ReportFixture.requestRows
        var bytesAfterFirstRows = 0
        for index in 0..<rows {
            var row = template[index % template.count]
            row[0] = .text("REQ-\(index)")
            try renderer.row(row)
            if index == 999 { bytesAfterFirstRows = sink.bytes }
            // The renderer hands every row to the sink before returning.
            if index % 50_000 == 0 { #expect(sink.writes >= index + 2) }
        }
        #expect(bytesAfterFirstRows > 0)
        try renderer.endSection()
        try renderer.end()
        let peak: Int
        switch renderer {
        case let csv as CSVRenderer: peak = csv.peakBufferedBytes
        case let json as JSONRenderer: peak = json.peakBufferedBytes
        case let markdown as MarkdownRenderer: peak = markdown.peakBufferedBytes
        case let html as HTMLRenderer: peak = html.peakBufferedBytes
        default: peak = Int.max
        }
        return (sink, renderer, peak)
    }

    @Test(arguments: [ReportFixture.Format.csv, .json, .markdown, .html])
    func manyRowsStreamThroughWithoutBeingKept(_ format: ReportFixture.Format) throws {
        let (sink, renderer, peak) = try Self.stream(format)
        #expect(renderer.rowCount == Self.rows)
        #expect(renderer.fingerprint?.count == 64)
        #expect(sink.bytes > Self.rows * 40)
        // The renderer never holds more than one event's text (the page head for HTML).
        #expect(peak < 16_384, "\(format) held \(peak) bytes at once")
    }
}
