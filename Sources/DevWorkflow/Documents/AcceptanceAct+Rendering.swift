extension AcceptanceAct {
    /// The formats an act is written in, for a `--format` option.
    public enum Format: String, CaseIterable, Sendable {
        /// PDF 1.7 in the standard fonts, for signing (`DocumentPDFRenderer`).
        case pdf
        /// One self-contained HTML page, printable on A4 (`DocumentHTMLRenderer`).
        case html
        /// Markdown, for mail and wikis (`DocumentMarkdownRenderer`).
        case markdown = "md"

        /// The usual file name extension, without the dot.
        public var fileExtension: String { rawValue }
    }

    /// The act as a whole file in `format`, in Estonian (the default) or English.
    ///
    /// Every format is text: the PDF is 7-bit ASCII, so all three can be written through a
    /// `ReportSink` (`AtomicFileSink` for `--out`) or to standard output as they are. The same act
    /// and language always give the same text.
    public func render(_ format: Format, language: Language = .et) -> String {
        let content = content(in: language)
        switch format {
        case .pdf: return String(decoding: DocumentPDFRenderer.render(content), as: UTF8.self)
        case .html: return DocumentHTMLRenderer.render(content)
        case .markdown: return DocumentMarkdownRenderer.render(content)
        }
    }
}
