import Foundation

/// A PDF 1.7 file written by us: pages of text, lines and rectangles.
///
/// The file is 7-bit text, uncompressed but for the embedded font files (ASCII85, so that the
/// file stays text), with a classic cross-reference table. It carries no time of its own making:
/// `/Info` has no dates, and the `/ID` is the start of the SHA-256 of the file's body, so the same
/// pages and metadata always give the same bytes.
///
/// Text in the standard fonts shares one WinAnsi encoding (`PDFTextEncoding`); each embedded font
/// has its own codes (`PDFCIDEncoding`) and is written as a subset of its glyphs
/// (`PDFEmbeddedFont`). A document drawn in the standard fonts alone is written exactly as it was
/// before fonts could be embedded.
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
    func bytes() -> [UInt8] { file().bytes }

    /// The whole file, and the characters it draws as `?` because their font lacks them (each
    /// once, in the order met), so that whoever writes one can be told.
    func file() -> (bytes: [UInt8], unshown: [Unicode.Scalar]) {
        let pages = self.pages.isEmpty ? [PDFPage()] : self.pages
        var encoding = PDFTextEncoding()
        var cidEncodings: [PDFFont: PDFCIDEncoding] = [:]
        var unshown: [Unicode.Scalar] = []
        func note(_ scalars: ArraySlice<Unicode.Scalar>) {
            for scalar in scalars where !unshown.contains(scalar) { unshown.append(scalar) }
        }
        let contents = pages.map { page in
            page.contentStream { text, font in
                guard let truetype = font.truetype else {
                    let known = encoding.unshown.count
                    let codes = encoding.encode(text)
                    note(encoding.unshown[known...])
                    return PDFPage.literal(codes)
                }
                var cids = cidEncodings[font] ?? PDFCIDEncoding(font: truetype)
                let known = cids.unshown.count
                let codes = cids.encode(text)
                note(cids.unshown[known...])
                cidEncodings[font] = cids
                return PDFPage.hex(codes)
            }
        }
        let used = Set(pages.flatMap(\.fonts))
        let standard = used.filter { $0.truetype == nil }.sorted { $0.style.rawValue < $1.style.rawValue }
        let embedded = used.filter { $0.truetype != nil }.sorted { $0.style.rawValue < $1.style.rawValue }.compactMap { font in
            cidEncodings[font].map { PDFEmbeddedFont(font: font, encoding: $0) }
        }
        // A style's resource name is one font's (`PDFFont.Family` never mixes two).
        precondition(Set(embedded.map(\.style)).count == embedded.count, "two embedded fonts of one style")

        // Object numbers: the fixed objects first (the standard fonts' encoding only when they are
        // used, or nothing is), then the fonts, then a page and its content each.
        let catalog = 1, pageTree = 2, info = 3
        var next = 4
        func take(_ count: Int) -> Int {
            defer { next += count }
            return next
        }
        let standardEncoding = standard.isEmpty && !embedded.isEmpty ? nil : (encoding: take(1), toUnicode: take(1))
        let resources = take(1)
        let standardObjects = standard.map { _ in take(1) }
        let embeddedObjects = embedded.map { _ in take(PDFEmbeddedFont.objectCount) }
        let firstPage = next
        func pageObject(_ index: Int) -> Int { firstPage + 2 * index }

        var writer = Writer()
        writer.object(catalog, "<< /Type /Catalog /Pages \(pageTree) 0 R /Lang \(PDFDocument.textString(language)) "
            + "/ViewerPreferences << /DisplayDocTitle true >> >>")
        let kids = pages.indices.map { "\(pageObject($0)) 0 R" }.joined(separator: " ")
        writer.object(pageTree, "<< /Type /Pages /Kids [\(kids)] /Count \(pages.count) >>")
        var information = "<< /Title \(PDFDocument.textString(title))"
        if let subject { information += " /Subject \(PDFDocument.textString(subject))" }
        writer.object(info, information + " /Producer (DevWorkflow) >>")
        if let standardEncoding {
            writer.object(standardEncoding.encoding, encoding.encodingDictionary)
            writer.stream(standardEncoding.toUnicode, encoding.toUnicodeCMap)
        }
        let fontEntries = zip(standard, standardObjects).map { "/\($0.resourceName) \($1) 0 R" }
            + zip(embedded, embeddedObjects).map { "/\($0.resourceName) \($1) 0 R" }
        writer.object(resources, "<< /Font << \(fontEntries.joined(separator: " ")) >> >>")
        for (font, number) in zip(standard, standardObjects) {
            // Written only when the encoding is (a standard font is used).
            let encoding = standardEncoding!
            writer.object(number, "<< /Type /Font /Subtype /Type1 /BaseFont /\(font.baseFont) "
                + "/Encoding \(encoding.encoding) 0 R /ToUnicode \(encoding.toUnicode) 0 R >>")
        }
        for (font, first) in zip(embedded, embeddedObjects) {
            for object in font.objects(first: first) {
                if let stream = object.stream {
                    writer.stream(object.number, stream, dictionary: object.body)
                } else {
                    writer.object(object.number, object.body)
                }
            }
        }
        for (index, page) in pages.enumerated() {
            let box = "[0 0 \(PDFPage.number(page.width)) \(PDFPage.number(page.height))]"
            writer.object(pageObject(index), "<< /Type /Page /Parent \(pageTree) 0 R /MediaBox \(box) "
                + "/Resources \(resources) 0 R /Contents \(pageObject(index) + 1) 0 R >>")
            writer.stream(pageObject(index) + 1, contents[index])
        }
        return (writer.finish(root: catalog, info: info), unshown)
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

        /// A stream object; the line end before `endstream` is not part of the data. `dictionary`
        /// holds the entries besides `/Length` (a filter), without the brackets.
        mutating func stream(_ number: Int, _ data: String, dictionary: String = "") {
            let entries = dictionary.isEmpty ? "" : " " + dictionary
            object(number, "<< /Length \(data.utf8.count)\(entries) >>\nstream\n\(data)\nendstream")
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
