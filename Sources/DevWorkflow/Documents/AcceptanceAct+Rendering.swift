extension AcceptanceAct {
    /// The formats an act is written in, for a `--format` option.
    public enum Format: String, CaseIterable, Sendable {
        /// PDF 1.7, for signing (`DocumentPDFRenderer`): in the standard fonts, or with embedded
        /// subsets of the Liberation fonts when the act has letters the standard fonts lack.
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
        case .pdf: return String(decoding: pdf(language: language).bytes, as: UTF8.self)
        case .html: return DocumentHTMLRenderer.render(content)
        case .markdown: return DocumentMarkdownRenderer.render(content)
        }
    }

    /// The act as a PDF, with what it draws as `?` and, when the fonts that would have drawn
    /// those were missing or unreadable, why (`order act` warns with both).
    func pdf(language: Language = .et,
             fontFiles: () -> Result<PDFFontFiles, TrueTypeFont.Error> = { PDFFontFiles.installed }) -> DocumentPDFRenderer.Output {
        DocumentPDFRenderer.render(content(in: language), fontFiles: fontFiles)
    }
}
