/// The formats a report can be written in, for a `--format` option.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// RFC 4180 CSV (`CSVRenderer`); `excel` switches to the spreadsheet dialect.
    case csv
    /// One JSON document (`JSONRenderer`).
    case json
    /// Markdown for e-mail and wikis (`MarkdownRenderer`).
    case markdown = "md"
    /// One self-contained HTML page (`HTMLRenderer`).
    case html

    /// The usual file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// A renderer of this format writing to `sink`. `excel` only matters for CSV; of `formatting`,
    /// CSV and JSON take only the language (for titles), Markdown and HTML everything.
    public func renderer(writingTo sink: any ReportSink, excel: Bool = false, section: String? = nil,
                         formatting: ReportFormatting = .standard) -> any ReportRenderer {
        switch self {
        case .csv: return CSVRenderer(sink: sink, excel: excel, section: section, language: formatting.language)
        case .json: return JSONRenderer(sink: sink, language: formatting.language)
        case .markdown: return MarkdownRenderer(sink: sink, formatting: formatting)
        case .html: return HTMLRenderer(sink: sink, formatting: formatting)
        }
    }
}
