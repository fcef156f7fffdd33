import Foundation

/// Writes a report as one JSON document, streamed (`schemas/report.schema.json` describes it):
///
///     {"report": "vendor", "title": …, "subtitle": null, "as_of": "2026-11-25T09:18:01Z",
///      "parameters": {"vendor": "ACME"},
///      "sections": [{"id": …, "title": …, "charts": […], "columns": [{"key", "title", "kind"}],
///                    "rows": [{"key": value, …}, …], "row_count": 2}],
///      "row_count": 2, "sha256": "…"}
///
/// A chart sits in the section it illustrates (the one that follows it in the calls).
/// Integers, money and decimals are JSON numbers written with their exact text (`1250.50`,
/// never through `Double`); a reader that needs cents exactly should read them as decimals.
/// Dates are `"2026-11-25"`, timestamps `"2026-11-25T09:18:01Z"` (UTC), null cells `null`.
/// Keys are written in the order above, one row per line. Titles are in the report's language;
/// keys, ids and values are the same in every language.
public final class JSONRenderer: ReportRenderer {
    private let sink: any ReportSink
    private var stream = ReportStream()
    private var output = ReportOutput()
    private var keys: [String] = []

    /// The language of the titles.
    public let language: Language

    /// A renderer writing to `sink`, with titles in `language`.
    public init(sink: any ReportSink, language: Language = .en) {
        self.sink = sink
        self.language = language
    }

    /// The SHA-256 of the content rows, after `end()`.
    public var fingerprint: String? { stream.digest }
    /// Rows written so far.
    public var rowCount: Int { stream.rowCount }
    /// The most bytes this renderer held at once (one event's text).
    var peakBufferedBytes: Int { output.peakBufferedBytes }

    /// Writes the document's opening fields.
    public func begin(_ header: ReportHeader) throws {
        stream.begin(header)
        output += "{\n  \"report\": \(JSONValue.quoted(header.id)),\n"
        output += "  \"title\": \(JSONValue.quoted(header.title)),\n"
        output += "  \"subtitle\": \(header.subtitle.map(JSONValue.quoted) ?? "null"),\n"
        output += "  \"as_of\": \(JSONValue.quoted(JSONValue.iso8601(header.asOf))),\n"
        output += "  \"parameters\": \(JSONValue.object(header.parameters.map { ($0.name, .string($0.value)) }).text),\n"
        output += "  \"sections\": ["
        try output.flush(to: sink)
    }

    /// Keeps the chart for the next section.
    public func chart(_ chart: ReportChart) throws {
        stream.chart(chart)
    }

    /// Writes the section's id, title, charts and columns, and opens its rows.
    public func beginSection(id: String, title: String, columns: [ReportColumn]) throws {
        let charts = stream.beginSection(id: id, columns: columns)
        keys = columns.map { JSONValue.quoted($0.key) + ":" }
        output += stream.sectionCount > 1 ? ",\n    {\n" : "\n    {\n"
        output += "      \"id\": \(JSONValue.quoted(id)),\n"
        output += "      \"title\": \(JSONValue.quoted(title)),\n"
        output += "      \"charts\": ["
        for (index, chart) in charts.enumerated() {
            output += index > 0 ? ",\n        " : "\n        "
            output += JSONRenderer.json(chart).text
        }
        output += charts.isEmpty ? "],\n" : "\n      ],\n"
        output += "      \"columns\": ["
        for (index, column) in columns.enumerated() {
            output += index > 0 ? ",\n        " : "\n        "
            output += JSONValue.object([("key", .string(column.key)), ("title", .string(ReportFormatting.text(column.title, in: language))), ("kind", .string(column.kind.rawValue))]).text
        }
        output += columns.isEmpty ? "],\n" : "\n      ],\n"
        output += "      \"rows\": ["
        try output.flush(to: sink)
    }

    /// Writes one row as an object keyed by the column keys.
    public func row(_ values: [ReportValue]) throws {
        _ = try stream.row(values)
        output += stream.sectionRowCount > 1 ? ",\n        {" : "\n        {"
        for (index, value) in values.enumerated() {
            if index > 0 { output += "," }
            output += keys[index]
            output += JSONRenderer.json(value)
        }
        output += "}"
        try output.flush(to: sink)
    }

    /// Closes the rows and writes the section's row count.
    public func endSection() throws {
        output += stream.sectionRowCount > 0 ? "\n      ],\n" : "],\n"
        output += "      \"row_count\": \(stream.sectionRowCount)\n    }"
        stream.endSection()
        try output.flush(to: sink)
    }

    /// Writes the total row count and the fingerprint, and closes the document.
    public func end() throws {
        let digest = stream.end()
        output += stream.sectionCount > 0 ? "\n  ],\n" : "],\n"
        output += "  \"row_count\": \(stream.rowCount),\n"
        output += "  \"sha256\": \"\(digest)\"\n}\n"
        try output.flush(to: sink)
    }

    /// What completes a document cut short by an error, with `error` (an object's JSON text) as
    /// its last member, so that what was written stays one valid JSON document: nil when nothing
    /// was written yet, empty when the document was already complete.
    public func ending(withError error: String) -> String? {
        var text = output.text
        switch stream.state {
        case .ready: return nil
        case .ended: return text
        case .inSection:
            text += stream.sectionRowCount > 0 ? "\n      ]\n    }" : "]\n    }"
            text += "\n  ],\n"
        case .open:
            text += stream.sectionCount > 0 ? "\n  ],\n" : "],\n"
        }
        return text + "  \"error\": \(error)\n}\n"
    }

    /// A cell as JSON text.
    static func json(_ value: ReportValue) -> String {
        switch value {
        case .null: return "null"
        case let .text(text): return JSONValue.quoted(text)
        case .integer, .money, .decimal, .boolean: return ReportFingerprint.canonicalText(value) ?? "null"
        case .date, .timestamp: return JSONValue.quoted(ReportFingerprint.canonicalText(value) ?? "")
        }
    }

    /// A chart as a JSON object; values that are not finite are `null`.
    static func json(_ chart: ReportChart) -> JSONValue {
        .object([
            ("title", .string(chart.title)),
            ("kind", .string(chart.kind.rawValue)),
            ("unit", .string(chart.unit)),
            ("categories", .array(chart.categories.map(JSONValue.string))),
            ("series", .array(chart.series.map { series in
                .object([("name", .string(series.name)), ("values", .array(series.values.map { $0.isFinite ? .number("\($0)") : .null }))])
            })),
        ])
    }
}
