import Foundation

/// Lays a `DocumentContent` out on A4 pages as a PDF: a centred title, numbered sections, tables
/// with ruled cells, signature boxes, and a footer with the page number on every page.
///
/// Text flows from page to page: a table's rows move to the next page whole when they fit on one
/// (the heading row is repeated there), and a row or text longer than a page continues line by
/// line. A heading is never left alone at the foot of a page, nor is a signature box split.
///
/// The fonts are chosen once for the whole document. The standard fonts when they draw every
/// character of it: nothing is embedded, and the file is what it always was. Else (Cyrillic,
/// Greek) the TrueType fonts of `PDFFontFiles`, embedded as subsets, draw every text; when those
/// cannot be had, the standard fonts draw what they have and `?` for the rest, and the output says
/// why. Either way the output lists what is drawn as `?`, so that the writer can be told.
struct DocumentPDFRenderer {
    /// A PDF, and what whoever asked for it should hear about it.
    struct Output {
        /// The file (7-bit text).
        let bytes: [UInt8]
        /// The characters drawn as `?` because the fonts drawn with lack them, each once.
        let unshown: [Unicode.Scalar]
        /// Why the standard fonts drew a document they could not draw whole: the TrueType fonts
        /// were missing or could not be read. Nil when they were not needed or were used.
        let fontsUnavailable: TrueTypeFont.Error?
    }

    private typealias Gray = PDFPage.Gray

    /// A column of a grid: its width and how its cells are set.
    private struct GridColumn {
        enum Alignment { case left, right }
        var width: Double
        var font: PDFFont
        var size: Double
        var leading: Double
        var gray: Gray
        var alignment: Alignment

        init(width: Double, font: PDFFont, size: Double = 9, leading: Double? = nil, gray: Gray = ink, alignment: Alignment = .left) {
            (self.width, self.font, self.size, self.leading) = (width, font, size, leading ?? size * 1.3)
            (self.gray, self.alignment) = (gray, alignment)
        }
    }

    /// A grid's look: ruled cells and a shaded heading row (tables), or neither (label and value lines).
    private struct GridStyle {
        var ruled: Bool
        var padding: (x: Double, y: Double)
    }

    private static let margin = (left: 56.7, right: 56.7, top: 56.7, bottom: 62.0)
    private static let width = PDFPage.a4.width - margin.left - margin.right
    private static let ink: Gray = 0.08
    private static let muted: Gray = 0.38
    private static let rule: Gray = 0.55
    private static let shade: Gray = 0.91
    private static let body = (size: 10.0, leading: 13.5)

    private let content: DocumentContent
    private let fonts: PDFFont.Family
    private var pages: [PDFPage] = []
    private var page = PDFPage()
    /// The top of the space left on the page.
    private var y = 0.0

    /// The document as a PDF. `fontFiles` is asked only when the standard fonts cannot draw it.
    static func render(_ content: DocumentContent,
                       fontFiles: () -> Result<PDFFontFiles, TrueTypeFont.Error> = { PDFFontFiles.installed }) -> Output {
        // Laid out and written in the standard fonts first: what they would draw as `?` is known
        // exactly only then (past WinAnsi's free codes, a letter they have becomes `?` too).
        let standard = file(content, fonts: .standard)
        guard !standard.unshown.isEmpty else { return Output(bytes: standard.bytes, unshown: [], fontsUnavailable: nil) }
        switch fontFiles() {
        case let .failure(error):
            return Output(bytes: standard.bytes, unshown: standard.unshown, fontsUnavailable: error)
        case let .success(files):
            let embedded = file(content, fonts: .embedded(files))
            return Output(bytes: embedded.bytes, unshown: embedded.unshown, fontsUnavailable: nil)
        }
    }

    private static func file(_ content: DocumentContent, fonts: PDFFont.Family) -> (bytes: [UInt8], unshown: [Unicode.Scalar]) {
        PDFDocument(title: content.name, language: content.language.rawValue, pages: pages(content, fonts: fonts)).file()
    }

    /// The laid-out pages, footers included.
    static func pages(_ content: DocumentContent, fonts: PDFFont.Family = .standard) -> [PDFPage] {
        var renderer = DocumentPDFRenderer(content: content, fonts: fonts)
        renderer.layOut()
        return renderer.finishedPages()
    }

    private init(content: DocumentContent, fonts: PDFFont.Family) {
        self.content = content
        self.fonts = fonts
        y = PDFPage.a4.height - Self.margin.top
    }

    private mutating func layOut() {
        titleBlock()
        for section in content.sections {
            // A short section (a third of a page at most: the price, the signatures with the
            // statement above them) is kept on one page.
            // Measured by laying it out on a copy with room for any section (and small enough
            // numbers that the difference is exact).
            var probe = self
            probe.y = 1_000_000
            probe.section(section)
            let height = 1_000_000 - probe.y
            if height <= (PDFPage.a4.height - Self.margin.top - Self.margin.bottom) / 3 { ensure(height) }
            self.section(section)
        }
    }

    private mutating func section(_ section: DocumentContent.Section) {
        if let title = section.title { heading(title) }
        for block in section.blocks {
            switch block {
            case let .fields(fields): self.fields(fields)
            case let .text(label, text): self.text(label: label, text)
            case let .table(table): self.table(table)
            case let .note(text): note(text)
            case let .signatures(signatures): self.signatures(signatures)
            }
            y -= 8
        }
    }

    // MARK: - Blocks

    private mutating func titleBlock() {
        centred(content.title, font: fonts.bold, size: 16, leading: 21)
        if let subtitle = content.subtitle { centred(subtitle, font: fonts.regular, size: 12, leading: 16) }
        y -= 4
        for field in content.lead {
            centred("\(field.label): \(field.value)", font: fonts.regular, size: 9.5, leading: 13, gray: Self.muted)
        }
        y -= 8
        page.line(from: (Self.margin.left, y), to: (Self.margin.left + Self.width, y), width: 0.8, gray: Self.ink)
        y -= 6
    }

    private mutating func centred(_ text: String, font: PDFFont, size: Double, leading: Double, gray: Gray = ink) {
        for line in font.lines(Self.normal(text), width: Self.width, size: size) {
            let x = Self.margin.left + (Self.width - font.width(of: line, size: size)) / 2
            page.text(line, x: x, y: Self.baseline(top: y, size: size, leading: leading), font: font, size: size, gray: gray)
            y -= leading
        }
    }

    private mutating func heading(_ title: String) {
        // A heading keeps at least three lines of what follows with it.
        ensure(14 + 18 + 3 * Self.body.leading)
        y -= 14
        let size = 11.5, leading = 16.0
        for line in fonts.bold.lines(Self.normal(title), width: Self.width, size: size) {
            page.text(line, x: Self.margin.left, y: Self.baseline(top: y, size: size, leading: leading), font: fonts.bold, size: size, gray: Self.ink)
            y -= leading
        }
        y -= 4
    }

    private mutating func fields(_ fields: [DocumentContent.Field]) {
        // One label width in the whole document, so that the values of every block line up.
        let labelWidth = (Self.width * 0.27).rounded()
        let columns = [GridColumn(width: labelWidth, font: fonts.regular, size: 9, leading: Self.body.leading, gray: Self.muted),
                       GridColumn(width: Self.width - labelWidth, font: fonts.regular, size: Self.body.size, leading: Self.body.leading)]
        grid(columns, header: nil, rows: fields.map { [$0.label, $0.value] }, style: GridStyle(ruled: false, padding: (0, 1.5)))
    }

    private mutating func text(label: String?, _ text: String) {
        if let label {
            ensure(14 + 2 * Self.body.leading)
            line(label, font: fonts.bold, size: 9, leading: 14, gray: Self.muted)
        }
        for line in fonts.regular.lines(Self.normal(text), width: Self.width, size: Self.body.size) {
            ensure(Self.body.leading)
            self.line(line, font: fonts.regular, size: Self.body.size, leading: Self.body.leading, gray: Self.ink)
        }
    }

    private mutating func note(_ text: String) {
        for line in fonts.italic.lines(Self.normal(text), width: Self.width, size: 9.5) {
            ensure(13)
            self.line(line, font: fonts.italic, size: 9.5, leading: 13, gray: Self.muted)
        }
    }

    private mutating func line(_ text: String, font: PDFFont, size: Double, leading: Double, gray: Gray) {
        page.text(text, x: Self.margin.left, y: Self.baseline(top: y, size: size, leading: leading), font: font, size: size, gray: gray)
        y -= leading
    }

    private mutating func table(_ table: DocumentContent.Table) {
        let padding = (x: 5.0, y: 3.0)
        var columns = table.columns.map { column -> GridColumn in
            switch column.kind {
            case .text, .date: return GridColumn(width: 0, font: fonts.regular)
            case .number: return GridColumn(width: 0, font: fonts.regular, alignment: .right)
            case .code: return GridColumn(width: 0, font: fonts.mono, size: 8)
            }
        }
        // Numbers and dates take the width of their widest cell, a code that of 32 characters (half a
        // SHA-256, so a digest breaks into two even lines); text columns share the rest by weight.
        var fixed = 0.0
        for (index, column) in table.columns.enumerated() where column.kind != .text {
            let font = columns[index].font, size = columns[index].size
            var natural = fonts.bold.width(of: Self.normal(column.title), size: 8.5)
            if column.kind == .code {
                natural = max(natural, font.width(of: String(repeating: "0", count: 32), size: size))
            } else {
                for row in table.rows { natural = max(natural, fonts.bold.width(of: Self.normal(row[index]), size: size)) }
            }
            columns[index].width = natural + 2 * padding.x + 0.5
            fixed += columns[index].width
        }
        let weights = table.columns.filter { $0.kind == .text }.map(\.weight).reduce(0, +)
        for (index, column) in table.columns.enumerated() where column.kind == .text {
            columns[index].width = (Self.width - fixed) * column.weight / weights
        }
        let header = table.columns.contains { !$0.title.isEmpty } ? table.columns.map(\.title) : nil
        grid(columns, header: header, rows: table.rows, style: GridStyle(ruled: true, padding: padding),
             totalRow: table.lastRowIsTotal ? table.rows.count - 1 : nil)
    }

    private mutating func signatures(_ signatures: [DocumentContent.Signature]) {
        guard !signatures.isEmpty else { return }
        let gap = 18.0, padding = 10.0
        let boxWidth = (Self.width - gap * Double(signatures.count - 1)) / Double(signatures.count)
        let fieldHeight = 24.0
        let height = padding + 18 + Double(signatures.map(\.fields.count).max() ?? 0) * fieldHeight + 22 + padding
        ensure(height)
        for (index, signature) in signatures.enumerated() {
            let left = Self.margin.left + Double(index) * (boxWidth + gap)
            page.rectangle(x: left, y: y - height, width: boxWidth, height: height, stroke: Self.rule, lineWidth: 0.6)
            var top = y - padding
            let title = fonts.bold.lines(Self.normal(signature.title), width: boxWidth - 2 * padding, size: 10).first ?? ""
            page.text(title, x: left + padding, y: Self.baseline(top: top, size: 10, leading: 14), font: fonts.bold, size: 10, gray: Self.ink)
            top -= 18
            for field in signature.fields {
                // The label, then a line to write on (with the value above it when there is one).
                let label = Self.normal(field.label) + ":"
                let baseline = top - fieldHeight + 7
                page.text(label, x: left + padding, y: baseline, font: fonts.regular, size: 8.5, gray: Self.muted)
                let start = left + padding + fonts.regular.width(of: label, size: 8.5) + 6
                page.line(from: (start, baseline - 2), to: (left + boxWidth - padding, baseline - 2), width: 0.4, gray: Self.rule)
                let value = fonts.regular.lines(Self.normal(field.value), width: left + boxWidth - padding - start, size: 9.5).first ?? ""
                page.text(value, x: start + 2, y: baseline + 1, font: fonts.regular, size: 9.5, gray: Self.ink)
                top -= fieldHeight
            }
            page.text(Self.normal(signature.mark), x: left + padding, y: top - 16, font: fonts.italic, size: 9, gray: Self.muted)
        }
        y -= height
    }

    // MARK: - Grids

    /// Rows of cells in columns; a row moves to the next page whole when it fits on one, else
    /// it continues there line by line. The heading row starts every page the grid is on.
    private mutating func grid(_ columns: [GridColumn], header: [String]?, rows: [[String]], style: GridStyle, totalRow: Int? = nil) {
        func cells(_ row: [String], _ columns: [GridColumn]) -> [ArraySlice<String>] {
            zip(row, columns).map { text, column in
                column.font.lines(Self.normal(text), width: column.width - 2 * style.padding.x, size: column.size)[...]
            }
        }
        func emphasised(_ columns: [GridColumn]) -> [GridColumn] {
            columns.map { column in
                var column = column
                if column.font == fonts.regular { column.font = fonts.bold }
                return column
            }
        }
        let headerColumns = columns.map { GridColumn(width: $0.width, font: fonts.bold, size: 8.5, alignment: $0.alignment) }
        let headerCells = header.map { cells($0, headerColumns) }
        let headerHeight = headerCells.map { rowHeight($0, headerColumns, style) } ?? 0
        if let headerCells {
            ensure(headerHeight + (rows.first.map { rowHeight(cells($0, columns), columns, style) } ?? 0))
            drawRow(headerCells, headerColumns, style, fill: Self.shade)
        }
        let room = PDFPage.a4.height - Self.margin.top - Self.margin.bottom - headerHeight
        for (index, row) in rows.enumerated() {
            let total = index == totalRow
            let rowColumns = total ? emphasised(columns) : columns
            var remaining = cells(row, rowColumns)
            while true {
                let height = rowHeight(remaining, rowColumns, style)
                if height <= y - Self.margin.bottom {
                    drawRow(remaining, rowColumns, style, fill: total ? 0.96 : nil)
                    break
                }
                // A row that fits on a page moves to the next one whole; a longer one leaves here
                // as many lines of each cell as fit.
                if height > room {
                    let part = zip(remaining, rowColumns).map { cell, column in
                        cell.prefix(max(0, Int((y - Self.margin.bottom - 2 * style.padding.y) / column.leading)))
                    }
                    if part.contains(where: { !$0.isEmpty }) {
                        drawRow(part, rowColumns, style, fill: nil)
                        remaining = zip(remaining, part).map { $0.dropFirst($1.count) }
                    }
                }
                newPage()
                if let headerCells { drawRow(headerCells, headerColumns, style, fill: Self.shade) }
            }
        }
    }

    private func rowHeight(_ cells: [ArraySlice<String>], _ columns: [GridColumn], _ style: GridStyle) -> Double {
        zip(cells, columns).map { Double($0.count) * $1.leading }.max().map { $0 + 2 * style.padding.y } ?? 0
    }

    private mutating func drawRow(_ cells: [ArraySlice<String>], _ columns: [GridColumn], _ style: GridStyle, fill: Gray?) {
        let height = rowHeight(cells, columns, style)
        var x = Self.margin.left
        for (cell, column) in zip(cells, columns) {
            if style.ruled || fill != nil {
                page.rectangle(x: x, y: y - height, width: column.width, height: height, fill: fill, stroke: style.ruled ? Self.rule : nil)
            }
            var top = y - style.padding.y
            for line in cell {
                let lineX = column.alignment == .right
                    ? x + column.width - style.padding.x - column.font.width(of: line, size: column.size) : x + style.padding.x
                page.text(line, x: lineX, y: Self.baseline(top: top, size: column.size, leading: column.leading),
                          font: column.font, size: column.size, gray: column.gray)
                top -= column.leading
            }
            x += column.width
        }
        y -= height
    }

    // MARK: - Pages

    /// Starts a new page unless `height` points still fit on this one.
    private mutating func ensure(_ height: Double) {
        if y - height < Self.margin.bottom { newPage() }
    }

    private mutating func newPage() {
        pages.append(page)
        page = PDFPage()
        y = PDFPage.a4.height - Self.margin.top
    }

    /// The pages with their footers, now that their number is known.
    private mutating func finishedPages() -> [PDFPage] {
        pages.append(page)
        page = PDFPage()
        let footer = Self.normal(content.name)
        let lineY = Self.margin.bottom - 22, textY = lineY - 12
        for index in pages.indices {
            let number = Self.normal(content.pageNumber(index + 1, pages.count))
            let numberWidth = fonts.regular.width(of: number, size: 8)
            let right = Self.margin.left + Self.width
            pages[index].line(from: (Self.margin.left, lineY), to: (right, lineY), width: 0.4, gray: Self.rule)
            let room = Self.width - numberWidth - 12
            let text = fonts.regular.lines(footer, width: room, size: 8).first ?? ""
            pages[index].text(text, x: Self.margin.left, y: textY, font: fonts.regular, size: 8, gray: Self.muted)
            pages[index].text(number, x: right - numberWidth, y: textY, font: fonts.regular, size: 8, gray: Self.muted)
        }
        return pages
    }

    // MARK: - Helpers

    /// The baseline of a line of `size` points set in a line box of `leading` whose top is
    /// `top`: the space from descender to capital height is centred in the box.
    private static func baseline(top: Double, size: Double, leading: Double) -> Double {
        let band = (PDFFont.capHeight + PDFFont.descender) / 1000 * size
        return top - (leading - band) / 2 - PDFFont.capHeight / 1000 * size
    }

    /// Text as the PDF writer takes it: NFC, so a letter and its accent are one glyph.
    private static func normal(_ text: String) -> String { text.precomposedStringWithCanonicalMapping }
}
