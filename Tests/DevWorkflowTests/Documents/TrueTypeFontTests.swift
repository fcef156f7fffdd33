import Foundation
import Testing
@testable import DevWorkflow

/// The TrueType reader and subsetter, on the fonts Debian ships and on broken copies of them; the
/// subsets are read back with fontTools (PyPI), which we did not write.
@Suite struct TrueTypeFontTests {
    @Test func theLiberationFontsAreReadWithTheirMetrics() throws {
        let files = try FontSamples.files()
        let regular = files[.regular]
        #expect(regular.postScriptName == "LiberationSans" && files[.bold].postScriptName == "LiberationSans-Bold")
        #expect(files[.italic].postScriptName == "LiberationSans-Italic" && files[.mono].postScriptName == "LiberationMono")
        #expect(regular.unitsPerEm == 2048 && regular.weight == 400 && files[.bold].weight == 700)
        #expect(files[.italic].italicAngle == -12 && regular.italicAngle == 0)
        #expect(files[.mono].isFixedPitch && !regular.isFixedPitch)
        for character in "Дмитрий Иванов Ωmega õäöüšž ÕÄÖÜŠŽ €„“–" where character != " " {
            #expect(regular.glyph(for: character.unicodeScalars.first!) != nil, "\(character)")
        }
        #expect(regular.glyph(for: "🙂") == nil)
        // Metric-compatible with Helvetica and Courier: every glyph of the standard fonts is as
        // wide to within a quarter of a thousandth of the size, but for a few signs and the
        // Czech and Slovak ď ľ ť (fonts-liberation 1.07.4), none of them in Estonian or English.
        let standard: [(PDFFont.Style, PDFFont)] = [(.regular, .helvetica), (.bold, .helveticaBold), (.italic, .helveticaOblique), (.mono, .courier)]
        let wider: Set<UInt32> = [0xAF, 0xB1, 0xB5, 0xF7, 0x10F, 0x13E, 0x165, 0x2202, 0x2211, 0x221A, 0x25CA]
        for (style, font) in standard {
            for (index, scalar) in PDFGlyphMetrics.scalars.enumerated() {
                let glyph = try #require(files[style].glyph(for: Unicode.Scalar(scalar)!), "\(style) U+\(PDFTextEncoding.hex(scalar, digits: 4))")
                let difference = abs(PDFFont.width(ofGlyph: glyph, in: files[style]) - font.width(ofGlyph: index))
                #expect(difference < 0.25 || wider.contains(scalar), "\(style) U+\(PDFTextEncoding.hex(scalar, digits: 4)): \(difference)")
            }
        }
    }

    /// Everything Debian's fonts-liberation ships reads, in both `loca` formats (Liberation Sans
    /// Italic has the long one, the others the short).
    @Test func everyFontOfThePackageReads() throws {
        let folder = try FontSamples.folder()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".ttf") }.sorted()
        #expect(names.count >= 4)
        var formats: Set<Int16> = []
        for name in names {
            let font = try TrueTypeFont(contentsOf: "\(folder)/\(name)")
            #expect(font.glyphCount > 600 && font.glyph(for: "Ж") != nil, "\(name)")
            let head = try #require(font.table("head"))
            formats.insert(Int16(head[head.startIndex + 50]) << 8 | Int16(head[head.startIndex + 51]))
        }
        #expect(formats == [0, 1], "both loca formats are read")
    }

    @Test func aSubsetKeepsTheGlyphsUsedWithTheirPartsAndIsMuchSmaller() throws {
        let path = try FontSamples.path(.regular)
        let font = try TrueTypeFont(contentsOf: path)
        let text = "Дмитрий Иванов – Ωmega õäöüšž ÕÄÖÜŠŽ € 1 860,00"
        let used = text.unicodeScalars.compactMap(font.glyph(for:))
        let subset = TrueTypeSubset(of: font, keeping: used)
        // .notdef first, then the glyphs in the order of their old ids; Õ is O and a tilde, both kept.
        #expect(subset.glyphs.first == 0 && subset.glyphs == subset.glyphs.sorted())
        let otilde = try #require(font.glyph(for: "Õ"))
        #expect(!font.components(of: otilde).isEmpty, "Õ is a composite glyph")
        for component in font.components(of: otilde) { #expect(subset.newID(of: component.glyph) != nil) }
        #expect(Set(used).isSubset(of: Set(subset.glyphs)))
        let full = try Data(contentsOf: URL(fileURLWithPath: path)).count
        // 139,512 bytes and 681 glyphs → 4,624 bytes and 54 glyphs (fonts-liberation 1.07.4).
        #expect(subset.bytes.count * 10 < full, "\(subset.bytes.count) of \(full) bytes")
        #expect(subset.bytes == TrueTypeSubset(of: font, keeping: used.reversed()).bytes, "the same glyphs give the same file")

        // Read back by us and by fontTools: every table's checksum and checkSumAdjustment right,
        // every character's outline (composites decomposed) and advance as in the full font.
        let again = try TrueTypeFont(bytes: subset.bytes)
        #expect(again.glyphCount == subset.glyphs.count)
        for (new, old) in subset.glyphs.enumerated() {
            #expect(again.advance(of: UInt16(new)) == font.advance(of: old))
            #expect(again.instructions(of: UInt16(new)) == nil, "no hinting")
        }
        let saved = try ActSamples.folder().appendingPathComponent("subset-regular.ttf")
        try Data(subset.bytes).write(to: saved)
        let report = try JSONValue.parse(Python.run("truetype_subset.py", [path, saved.path, text]))
        #expect(report["file_checksum_ok"] == .bool(true), "\(report)")
        #expect(report["missing"] == .array([]), "\(report)")
        #expect(report["warnings"] == .string(""), "\(report)")
        #expect(report["glyphs"] == .number(String(subset.glyphs.count)), "\(report)")
        #expect(report["tables"] == .array(["GlyphOrder", "glyf", "head", "hhea", "hmtx", "loca", "maxp"].map { .string($0) }), "\(report)")
    }

    /// A subset of every glyph draws every character as the font does: each of the four fonts
    /// (the italic one read from the long `loca` format), checked by fontTools.
    @Test(arguments: PDFFont.Style.allCases)
    func aSubsetOfEveryGlyphHasEveryOutline(style: PDFFont.Style) throws {
        let path = try FontSamples.path(style)
        let font = try TrueTypeFont(contentsOf: path)
        let subset = TrueTypeSubset(of: font, keeping: (0..<font.glyphCount).map { UInt16($0) })
        #expect(subset.glyphs.count == font.glyphCount)
        let text = String(String.UnicodeScalarView((0x20...0x2FFF).compactMap(Unicode.Scalar.init).filter { font.glyph(for: $0) != nil }))
        let saved = try ActSamples.folder().appendingPathComponent("subset-all-\(style).ttf")
        try Data(subset.bytes).write(to: saved)
        let report = try JSONValue.parse(Python.run("truetype_subset.py", [path, saved.path, text]))
        #expect(report["file_checksum_ok"] == .bool(true) && report["missing"] == .array([]) && report["warnings"] == .string(""), "\(report)")
    }

    /// Past 128 kB of outlines `loca` needs 32 bits an offset, and `head` says so.
    @Test func locaTakesTheLongFormatOnlyWhenItMust() {
        let short = TrueTypeSubset.loca([0, 10, 0x1FFFE])
        #expect(short.format == 0 && short.table == [0, 0, 0, 5, 0xFF, 0xFF])
        let long = TrueTypeSubset.loca([0, 10, 0x20000])
        #expect(long.format == 1 && long.table == [0, 0, 0, 0, 0, 0, 0, 10, 0, 2, 0, 0])
    }

    // MARK: Broken files

    @Test func aBrokenFontFileThrowsAnErrorThatSaysWhatIsWrong() throws {
        let bytes = try FontSamples.bytes(.regular)
        func error(_ bytes: [UInt8]) -> TrueTypeFont.Error? {
            do { _ = try TrueTypeFont(bytes: bytes); return nil } catch { return error }
        }
        #expect(error([])?.code == .truncated)
        #expect(error(Array("%PDF-1.7 not a font".utf8))?.code == .malformed)
        #expect(error(Array("OTTO".utf8) + [UInt8](repeating: 0, count: 40)).map { ($0.code, $0.detail.contains("CFF")) } ?? (.missing, false) == (.unsupported, true))
        // Cut short: the table that runs past the end is named.
        let cut = try #require(error(Array(bytes.prefix(100_000))))
        #expect(cut.code == .truncated && cut.detail.hasSuffix("ends past the end of the file (100000 bytes)"), "\(cut)")
        // A table missing (its tag renamed in the directory).
        var renamed = bytes
        let record = try #require(Self.tableRecord("hmtx", in: bytes))
        renamed.replaceSubrange(record..<record + 4, with: Array("hmtX".utf8))
        #expect(error(renamed).map { "\($0)" } == "the table 'hmtx' is missing")
        // A composite glyph naming a glyph the font does not have.
        let font = try TrueTypeFont(bytes: bytes)
        let otilde = try #require(font.glyph(for: "Õ"))
        let start = font.outline(of: otilde).startIndex
        var wrong = bytes
        wrong.replaceSubrange(start + 12..<start + 14, with: [0xFF, 0xF0])
        #expect(error(wrong).map { "\($0)" } == "glyph \(otilde)'s outline names glyph 65520 of 681")

        // Read from a path, the error names the file.
        let path = try ActSamples.folder().appendingPathComponent("cut.ttf").path
        try Data(bytes.prefix(5_000)).write(to: URL(fileURLWithPath: path))
        #expect(throws: TrueTypeFont.Error.self) { try TrueTypeFont(contentsOf: path) }
        do {
            _ = try TrueTypeFont(contentsOf: path)
        } catch {
            #expect(error.file == path && "\(error)".hasPrefix(path + ": "))
        }
        do {
            _ = try TrueTypeFont(contentsOf: "/nonexistent/LiberationSans-Regular.ttf")
        } catch {
            #expect(error.code == .missing && "\(error)" == "/nonexistent/LiberationSans-Regular.ttf: does not exist")
        }
    }

    /// Cut at every length and with bytes overwritten at random, a font either reads or throws,
    /// and what reads can be subset: a font file is input, and input never traps.
    @Test func noDamageMakesTheReaderTrap() throws {
        let bytes = try FontSamples.bytes(.regular)
        var random = SplitMix64(seed: 20_261_205)
        var read = 0, refused = 0
        func attempt(_ bytes: [UInt8]) {
            do {
                let font = try TrueTypeFont(bytes: bytes)
                let glyphs = (0..<20).map { _ in UInt16(random.below(font.glyphCount)) }
                _ = TrueTypeSubset(of: font, keeping: glyphs + "Дмитрий õ".unicodeScalars.compactMap(font.glyph(for:)))
                read += 1
            } catch {
                refused += 1
            }
        }
        for length in stride(from: 0, to: bytes.count, by: 613) { attempt(Array(bytes.prefix(length))) }
        for _ in 0..<300 {
            var damaged = bytes
            for _ in 0..<(1 + random.below(8)) {
                // Mostly the directory and the small tables, where one byte changes most.
                let at = random.below(4) == 0 ? random.below(damaged.count) : random.below(2_000)
                damaged[at] = UInt8(truncatingIfNeeded: random.next())
            }
            attempt(damaged)
        }
        #expect(read > 0 && refused > 0, "\(read) read, \(refused) refused")
    }

    /// Where a table's record is in the table directory.
    static func tableRecord(_ tag: String, in bytes: [UInt8]) -> Int? {
        let count = Int(bytes[4]) << 8 | Int(bytes[5])
        return (0..<count).map { 12 + 16 * $0 }.first { Array(bytes[$0..<$0 + 4]) == Array(tag.utf8) }
    }
}
