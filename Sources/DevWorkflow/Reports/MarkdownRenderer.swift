/// Writes a report as Markdown (GitHub-flavoured tables) for pasting into an e-mail or a wiki.
///
/// The title is a `#` heading, then the subtitle, the as-of time and the parameters as a list;
/// each section is a `##` heading and one table (numbers and money right-aligned, a row count
/// under it); a chart is shown as a small table of its values, since Markdown has no pictures
/// of its own. Cell text is escaped (`|`, `*`, `_`, `<` … get a backslash) and line breaks
/// become `<br>`. The footer, after a rule, names the report, the as-of time in UTC and the
/// SHA-256 fingerprint. Values are formatted by `ReportFormatting`.
public final class MarkdownRenderer: ReportRenderer {
    private let sink: any ReportSink
    private let formatting: ReportFormatting
    private var stream = ReportStream()
    private var output = ReportOutput()
    private var columns: [ReportColumn] = []

    /// A renderer writing to `sink`, formatting values with `formatting`.
    public init(sink: any ReportSink, formatting: ReportFormatting = .standard) {
        self.sink = sink
        self.formatting = formatting
    }

    /// The SHA-256 of the content rows, after `end()`.
    public var fingerprint: String? { stream.digest }
    /// Rows written so far.
    public var rowCount: Int { stream.rowCount }
    /// The language of `formatting`.
    public var language: Language { formatting.language }
    /// The most bytes this renderer held at once (one event's text).
    var peakBufferedBytes: Int { output.peakBufferedBytes }

    /// Writes the title, subtitle, as-of time and parameters.
    public func begin(_ header: ReportHeader) throws {
        stream.begin(header)
        output += "# \(Markup.markdown(header.title, lineBreak: " "))\n\n"
        if let subtitle = header.subtitle, !subtitle.isEmpty {
            output += "\(Markup.markdown(subtitle))\n\n"
        }
        output += "- \(formatting.labels.asOf): \(formatting.asOf(header.asOf))\n"
        for parameter in header.parameters {
            output += "- \(Markup.markdown(formatting.parameterName(parameter.name))): \(Markup.markdown(parameter.value))\n"
        }
        try output.flush(to: sink)
    }

    /// Keeps the chart for the next section.
    public func chart(_ chart: ReportChart) throws {
        stream.chart(chart)
    }

    /// Writes the section heading, its charts as tables, and the table head.
    public func beginSection(id: String, title: String, columns: [ReportColumn]) throws {
        let charts = stream.beginSection(id: id, columns: columns)
        self.columns = columns
        output += "\n## \(Markup.markdown(title, lineBreak: " "))\n"
        for chart in charts { writeChart(chart) }
        output += "\n|"
        for column in columns { output += " \(Markup.markdown(formatting.title(of: column))) |" }
        output += "\n|"
        for column in columns { output += MarkdownRenderer.isNumeric(column.kind) ? " ---: |" : " --- |" }
        output += "\n"
        try output.flush(to: sink)
    }

    /// Writes one table row.
    public func row(_ values: [ReportValue]) throws {
        _ = try stream.row(values)
        output += "|"
        for (value, column) in zip(values, columns) { output += " \(Markup.markdown(formatting.value(value, in: column))) |" }
        output += "\n"
        try output.flush(to: sink)
    }

    /// Writes the row count under the table.
    public func endSection() throws {
        let count = stream.sectionRowCount
        stream.endSection()
        output += "\n_\(count == 0 ? formatting.labels.noRows : formatting.rowCount(count))_\n"
        try output.flush(to: sink)
    }

    /// Writes the footer with the fingerprint.
    public func end() throws {
        let digest = stream.end()
        let id = stream.header.map(\.id) ?? ""
        let asOf = stream.header.map { JSONValue.iso8601($0.asOf) } ?? ""
        output += "\n---\n\n"
        output += "\(formatting.labels.report) `\(id)` · \(formatting.labels.asOf.lowercased()) \(asOf) · "
        output += "\(formatting.rowCount(stream.rowCount)) · \(formatting.labels.fingerprint) `\(digest)`\n"
        try output.flush(to: sink)
    }

    private func writeChart(_ chart: ReportChart) {
        let unit = chart.unit.isEmpty ? "" : " (\(Markup.markdown(chart.unit, lineBreak: " ")))"
        output += "\n**\(Markup.markdown(chart.title, lineBreak: " "))**\(unit)\n\n|   |"
        for series in chart.series { output += " \(Markup.markdown(series.name)) |" }
        output += "\n| --- |"
        for _ in chart.series { output += " ---: |" }
        output += "\n"
        let digits = SVGChart.fractionDigits(for: chart.series.flatMap(\.values))
        for (index, category) in chart.categories.enumerated() {
            output += "| \(Markup.markdown(category)) |"
            for series in chart.series {
                let value = series.values[index]
                output += " \(value.isFinite ? formatting.chartNumber(value, fractionDigits: digits) : formatting.labels.null) |"
            }
            output += "\n"
        }
        if chart.categories.isEmpty { output += "| \(Markup.markdown(formatting.labels.noData)) |\n" }
    }

    static func isNumeric(_ kind: ReportColumn.Kind) -> Bool {
        switch kind {
        case .integer, .money, .decimal: return true
        case .text, .date, .timestamp, .boolean: return false
        }
    }
}
