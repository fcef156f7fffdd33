import Foundation

/// A PDF 1.7 file written by us: pages of text, lines and rectangles in the standard fonts.
///
/// The file is 7-bit text, uncompressed, with a classic cross-reference table. It carries no
/// time of its own making: `/Info` has no dates, and the `/ID` is the start of the SHA-256 of the
/// file's body, so the same pages and metadata always give the same bytes.
struct PDFDocument: Sendable {
    /// `/Title` in the document information; readers show it in the window's title.
    var title: String
    /// `/Subject` in the document information, if any.
    var subject: String?
    /// The natural language of the text (BCP 47: `et`, `en`), for readers and screen readers.
    var language: String
    /// The pages in order; a document with none gets one empty page.
    var pages: [PDFPage] = []

    init(title: String, subject: String? = nil, language: String, pages: [PDFPage] = []) {
        self.title = title
        self.subject = subject
        self.language = language
        self.pages = pages
    }

    /// The whole file.
    func bytes() -> [UInt8] {
        let pages = self.pages.isEmpty ? [PDFPage()] : self.pages
        var encoding = PDFTextEncoding()
        let contents = pages.map { $0.contentStream(encoding: &encoding) }
        let fonts = PDFFont.allCases.filter { font in pages.contains { $0.fonts.contains(font) } }

        // Object numbers: the fixed objects first, then a font each, then a page and its content.
        let catalog = 1, pageTree = 2, info = 3, encodingObject = 4, toUnicode = 5, resources = 6
        let firstFont = 7
        let firstPage = firstFont + fonts.count
        func pageObject(_ index: Int) -> Int { firstPage + 2 * index }

        var writer = Writer()
        writer.object(catalog, "<< /Type /Catalog /Pages \(pageTree) 0 R /Lang \(PDFDocument.textString(language)) "
            + "/ViewerPreferences << /DisplayDocTitle true >> >>")
        let kids = pages.indices.map { "\(pageObject($0)) 0 R" }.joined(separator: " ")
        writer.object(pageTree, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        var information = "<< /Title \(PDFDocument.textString(title))"
        if let subject { information += " /Subject \(PDFDocument.textString(subject))" }
        writer.object(info, information + " /Producer (DevWorkflow) >>")
        writer.object(encodingObject, encoding.encodingDictionary)
        writer.stream(toUnicode, encoding.toUnicodeCMap)
        let fontEntries = fonts.enumerated().map { "/\($0.element.resourceName) \(firstFont + $0.offset) 0 R" }
        writer.object(resources, "<< /Font << \(fontEntries.joined(separator: " ")) >> >>")
        for (offset, font) in fonts.enumerated() {
            writer.object(firstFont + offset, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) "
                + "/Encoding \(encodingObject) 0 R /ToUnicode \(toUnicode) 0 R >>")
        }
        for (index, page) in pages.enumerated() {
            let box = "[0 0 \(PDFPage.number(page.width)) \(PDFPage.number(page.height))]"
            writer.object(pageObject(index), "<< /Type /Page /Parent \(pageTree) 0 R /MediaBox \(box) "
                + "/Resources \(resources) 0 R /Contents \(pageObject(index) + 1) 0 R >>")
            writer.stream(pageObject(index) + 1, contents[index])
        }
        return writer.finish(root: catalog, info: info)
    }

    /// A text string for `/Info` and `/Lang`: printable ASCII as a literal, anything else as
    /// UTF-16BE with a byte order mark, in hex.
    static func textString(_ text: String) -> String {
        let text = text.precomposedStringWithCanonicalMapping
        if text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            return PDFPage.literal(Array(text.utf8))
        }
        return "<FEFF" + text.utf16.map { PDFTextEncoding.hex($0, digits: 4) }.joined() + ">"
    }

    /// Writes numbered objects and remembers where each starts, for the cross-reference table.
    private struct Writer {
        private var bytes: [UInt8] = Array("%PDF-1.7\n".utf8)
        private var offsets: [Int: Int] = [:]

        mutating func object(_ number: Int, _ body: String) {
            precondition(offsets[number] == nil, "PDF object \(number) written twice")
            offsets[number] = bytes.count
            append("\(number) 0 obj\n\(body)\nendobj\n")
        }

        /// A stream object; the line end before `endstream` is not part of the data.
        mutating func stream(_ number: Int, _ data: String) {
            object(number, "<< /Length \(data.utf8.count) >>\nstream\n\(data)\nendstream")
        }

        /// The cross-reference table and the trailer, after every object.
        mutating func finish(root: Int, info: Int) -> [UInt8] {
            let count = offsets.count + 1
            precondition(offsets.keys.sorted() == Array(1..<count), "PDF object numbers have a gap")
            var digest = SHA256()
            digest.update(bytes)
            let id = String(digest.hexDigest().prefix(32)).uppercased()
            let start = bytes.count
            append("xref\n0 \(count)\n0000000000 65535 f \n")
            for number in 1..<count {
                let offset = String(offsets[number]!)
                append(String(repeating: "0", count: 10 - offset.count) + offset + " 00000 n \n")
            }
            append("trailer\n<< /Size \(count) /Root \(root) 0 R /Info \(info) 0 R /ID [<\(id)> <\(id)>] >>\n")
            append("startxref\n\(start)\n%%EOF\n")
            return bytes
        }

        private mutating func append(_ text: String) {
            precondition(text.utf8.allSatisfy { $0 < 0x80 }, "PDF text must be 7-bit")
            bytes += text.utf8
        }
    }
}
