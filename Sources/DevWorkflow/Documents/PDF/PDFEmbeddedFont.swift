/// A TrueType font a document draws with, as the PDF objects that embed it: a Type0 font whose
/// two-byte codes (`/Identity-H`, `PDFCIDEncoding`) name the characters of a CIDFontType2 font,
/// with the subset of the glyphs the document uses (`TrueTypeSubset`) as its `/FontFile2`.
///
/// The subset's name is `ABCDEF+LiberationSans`: six capitals taken from the hash of the font's
/// name and the glyphs kept, as PDF asks, so that two different subsets of one font never share a
/// name (a reader may take one for the other) and the same glyphs always give the same name.
struct PDFEmbeddedFont {
    /// How many objects a font takes: Type0 font, CID font, descriptor, font file, `/ToUnicode`
    /// and `/CIDToGIDMap`, numbered in that order.
    static let objectCount = 6

    let font: PDFFont
    let encoding: PDFCIDEncoding
    let subset: TrueTypeSubset
    let name: String

    init(font: PDFFont, encoding: PDFCIDEncoding) {
        self.font = font
        self.encoding = encoding
        let truetype = encoding.font
        subset = TrueTypeSubset(of: truetype, keeping: encoding.codes.map(\.glyph))
        var digest = SHA256()
        digest.update(truetype.postScriptName)
        for glyph in subset.glyphs { digest.update([UInt8(glyph >> 8), UInt8(glyph & 0xFF)]) }
        let tag = String(decoding: digest.digest().prefix(6).map { UInt8(ascii: "A") + $0 % 26 }, as: UTF8.self)
        name = tag + "+" + truetype.postScriptName
    }

    var style: PDFFont.Style { font.style }
    var resourceName: String { font.resourceName }

    /// The objects from number `first` on; a stream's dictionary entries besides `/Length` are its body.
    func objects(first: Int) -> [(number: Int, body: String, stream: String?)] {
        let truetype = encoding.font
        let (cidFont, descriptor, file, toUnicode, cidToGID) = (first + 1, first + 2, first + 3, first + 4, first + 5)
        // Code 0 is `.notdef`, glyph 0 in the subset too; code n is the n-th character met.
        let glyphs = [UInt16(0)] + encoding.codes.map(\.glyph)
        let widths = glyphs.map { PDFPage.number(PDFFont.width(ofGlyph: $0, in: truetype)) }
        let rows = stride(from: 0, to: widths.count, by: 16).map { widths[$0..<min($0 + 16, widths.count)].joined(separator: " ") }
        var map: [UInt8] = []
        for glyph in glyphs {
            // Every glyph drawn is kept, so it has a new id.
            let id = subset.newID(of: glyph)!
            map += [UInt8(id >> 8), UInt8(id & 0xFF)]
        }
        func units(_ value: Int) -> String { String(Int((Double(value) * 1000 / Double(truetype.unitsPerEm)).rounded())) }
        let box = truetype.boundingBox
        // Symbolic (4): its glyphs are not the standard Latin set; fixed pitch (1) and italic (64) as the font says.
        let flags = 4 | (truetype.isFixedPitch ? 1 : 0) | (truetype.italicAngle != 0 ? 64 : 0)
        // TrueType has no stem width; estimated from the weight class, as PDF writers commonly do.
        let stemV = 10 + 220 * max(0, truetype.weight - 50) / 900
        return [
            (first, "<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H "
                + "/DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>", nil),
            (cidFont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) "
                + "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R "
                + "/CIDToGIDMap \(cidToGID) 0 R\n/W [0 [\(rows.joined(separator: "\n"))]] >>", nil),
            (descriptor, "<< /Type /FontDescriptor /FontName /\(name) /Flags \(flags) "
                + "/FontBBox [\(units(box.xMin)) \(units(box.yMin)) \(units(box.xMax)) \(units(box.yMax))] "
                + "/ItalicAngle \(PDFPage.number(truetype.italicAngle)) /Ascent \(units(truetype.ascender)) /Descent \(units(truetype.descender)) "
                + "/CapHeight \(units(truetype.capHeight)) /StemV \(stemV) /FontFile2 \(file) 0 R >>", nil),
            (file, "/Length1 \(subset.bytes.count) /Filter /ASCII85Decode", Self.ascii85(subset.bytes)),
            (toUnicode, "", toUnicodeCMap),
            (cidToGID, "/Filter /ASCII85Decode", Self.ascii85(map)),
        ]
    }

    /// Every code to the character it stands for.
    var toUnicodeCMap: String {
        var lines = [
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
        ]
        let entries = encoding.codes.enumerated().map { index, code in
            "<\(PDFTextEncoding.hex(index + 1, digits: 4))> <\(String(code.scalar).utf16.map { PDFTextEncoding.hex($0, digits: 4) }.joined())>"
        }
        // At most 100 entries to a block (PDF's limit).
        for start in stride(from: 0, to: entries.count, by: 100) {
            let block = entries[start..<min(start + 100, entries.count)]
            lines.append("\(block.count) beginbfchar")
            lines += block
            lines.append("endbfchar")
        }
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Binary data as ASCII85 (four bytes to five characters, `z` for four zeros), in lines of
    /// 80 characters, ending `~>`: the font file inside a PDF that stays 7-bit text.
    static func ascii85(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 5 / 4 + bytes.count / 64 + 4)
        var column = 0
        func put(_ characters: some Sequence<UInt8>) {
            for character in characters {
                text.append(character)
                column += 1
                if column == 80 { text.append(UInt8(ascii: "\n")); column = 0 }
            }
        }
        var index = 0
        while index < bytes.count {
            let count = min(4, bytes.count - index)
            var word: UInt32 = 0
            for offset in 0..<4 { word = word << 8 | UInt32(offset < count ? bytes[index + offset] : 0) }
            if count == 4, word == 0 {
                put([UInt8(ascii: "z")])
            } else {
                var digits = [UInt8](repeating: 0, count: 5)
                for position in (0..<5).reversed() {
                    digits[position] = UInt8(word % 85) + 33
                    word /= 85
                }
                // A last group of n bytes is written as its first n + 1 characters.
                put(digits.prefix(count + 1))
            }
            index += 4
        }
        // The end mark in one piece: no line break between its two characters.
        text += Array("~>".utf8)
        return String(decoding: text, as: UTF8.self)
    }
}
