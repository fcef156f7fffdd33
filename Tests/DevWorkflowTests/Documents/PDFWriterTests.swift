import Foundation
import Testing
@testable import DevWorkflow

@Suite struct PDFWriterTests {
    /// What the standard fonts cannot draw is found before the act is written, each character
    /// once, so that `order act` can say so (the PDF shows them as "?").
    @Test func charactersNoStandardFontHasAreFoundOnce() {
        #expect(PDFTextEncoding.unshown(in: "Нарва: õäöü šž č ł € „x” 🙂 Нарва") == ["Н", "а", "р", "в", "🙂"])
        #expect(PDFTextEncoding.unshown(in: "Õigusaktide võrdlus – 24 %").isEmpty)
        // A letter with a separate combining accent is taken as written precomposed.
        #expect(PDFTextEncoding.unshown(in: "o\u{303}").isEmpty)
    }

    @Test func estonianLettersAndTypographyAreWinAnsiCodes() {
        var encoding = PDFTextEncoding()
        let expected: [(String, UInt8)] = [
            ("õ", 0xF5), ("Õ", 0xD5), ("ä", 0xE4), ("Ä", 0xC4), ("ö", 0xF6), ("Ö", 0xD6), ("ü", 0xFC), ("Ü", 0xDC),
            ("š", 0x9A), ("Š", 0x8A), ("ž", 0x9E), ("Ž", 0x8E), ("€", 0x80), ("„", 0x84), ("“", 0x93), ("”", 0x94),
            ("–", 0x96), ("—", 0x97), ("\u{A0}", 0xA0),
        ]
        for (character, code) in expected { #expect(encoding.encode(character) == [code], "\(character)") }
        #expect(encoding.extras.isEmpty, "no /Differences needed for Estonian")
        #expect(encoding.encodingDictionary == "<< /Type /Encoding /BaseEncoding /WinAnsiEncoding >>")
    }

    @Test func otherCharactersOfTheFontsGetFreeCodesInTheOrderOfUse() {
        var encoding = PDFTextEncoding()
        #expect(encoding.encode("č ł č\u{202F}≤") == [0x01, 0x20, 0x02, 0x20, 0x01, 0x03, 0x04])
        #expect(encoding.encodingDictionary.contains("/Differences [1 /ccaron 2 /lslash 3 /space 4 /lessequal]"))
        let cmap = encoding.toUnicodeCMap
        for entry in ["<01> <010D>", "<02> <0142>", "<03> <202F>", "<04> <2264>", "<9A> <0161>", "<20> <7E> <0020>"] {
            #expect(cmap.contains(entry), "\(entry)")
        }
        // No font has Cyrillic: a question mark, and read back as one. Controls are not drawn.
        #expect(encoding.encode("Жx\u{7}") == [UInt8(ascii: "?"), UInt8(ascii: "x")])
        // When the 37 free codes run out, a letter without a WinAnsi code becomes `?`.
        var full = PDFTextEncoding()
        let letters = "ĀāĂăĄąĆćČčĎďĐđĒēĖėĘęĚěĞğĪīĮįİıĹĺĽľŁłŃńŇňŌō"
        _ = full.encode(letters)
        #expect(full.extras.count == 37)
        #expect(full.encode("ŐÕ") == [UInt8(ascii: "?"), 0xD5])
    }

    @Test func widthsAreTheAFMs() {
        // Helvetica: H 722, e 556, l 222, o 556; Helvetica-Bold: H 722, e 556, l 278, o 611.
        #expect(abs(PDFFont.helvetica.width(of: "Hello", size: 10) - 22.78) < 0.0001)
        #expect(abs(PDFFont.helveticaBold.width(of: "Hello", size: 10) - 24.45) < 0.0001)
        #expect(PDFFont.courier.width(of: "õäöüšž", size: 10) == 36)
        // õ is o's width, € 556, a no-break space a space's (278).
        #expect(PDFFont.helvetica.width(of: "õ€\u{A0}", size: 1) == 1.39)
    }

    @Test func linesBreakAtSpacesByRealWidthsAndLongWordsAfterAHyphen() {
        let font = PDFFont.helvetica
        let text = "Volikogu istungi protokoll allkirjastatakse digitaalselt ja avaldatakse"
        let lines = font.lines(text, width: 120, size: 10)
        #expect(lines.count > 1)
        #expect(lines.joined(separator: " ") == text)
        for line in lines { #expect(font.width(of: line, size: 10) <= 120) }
        // Each line holds as many words as fit: the next word would not.
        for (line, next) in zip(lines, lines.dropFirst()) {
            #expect(font.width(of: line + " " + next.split(separator: " ")[0], size: 10) > 120)
        }
        #expect(font.lines("üleandmispakett-väga-pikk-failinimi.zip", width: 80, size: 10) == ["üleandmispakett-", "väga-pikk-", "failinimi.zip"])
        #expect(font.lines("vaga_pikk_failinimi_ilma_kriipsudeta", width: 40, size: 10) == ["vaga_", "pikk_", "failinimi_", "ilma_", "kriipsud", "eta"])
        #expect(font.lines("0123456789", width: 20, size: 10) == ["012", "345", "678", "9"], "digits are 5.56 points wide")
        #expect(font.lines("1\u{A0}500,00\u{A0}€ on summa", width: 50, size: 10) == ["1\u{A0}500,00\u{A0}€", "on summa"])
        #expect(font.lines("esimene\n\nkolmas", width: 200, size: 10) == ["esimene", "", "kolmas"])
        let digest = SHA256.hex("x")
        #expect(PDFFont.courier.lines(digest, width: 32 * 4.8, size: 8) == [String(digest.prefix(32)), String(digest.suffix(32))])
    }

    @Test func numbersAreWrittenTheSameWayEveryTime() {
        #expect(PDFPage.number(595.28) == "595.28")
        #expect(PDFPage.number(10) == "10")
        #expect(PDFPage.number(0.5) == "0.5")
        #expect(PDFPage.number(-0.001) == "0")
        #expect(PDFPage.number(12.305) == "12.31" || PDFPage.number(12.305) == "12.3")
        #expect(PDFPage.number(-3.07) == "-3.07")
        #expect(PDFPage.literal(Array("a(b)\\".utf8) + [0xF5, 0x01]) == "(a\\(b\\)\\\\\\365\\001)")
    }

    @Test func aSmallDocumentReadsBackExactlyAndPassesQpdf() throws {
        var page = PDFPage()
        let text = "Õun ja šokolaad: 1\u{202F}500.00\u{A0}€ – č ł ≤ „jutumärgid“"
        page.text(text, x: 72, y: 720, font: .helvetica, size: 12)
        page.text("0123456789abcdef", x: 72, y: 700, font: .courier, size: 10)
        page.line(from: (72, 690), to: (300, 690))
        page.rectangle(x: 72, y: 600, width: 200, height: 80, fill: 0.9, stroke: 0)
        let document = PDFDocument(title: "Proov: õäöüšž", language: "et", pages: [page, PDFPage()])
        let bytes = document.bytes()
        #expect(bytes == document.bytes())
        let path = try ActSamples.save(String(decoding: bytes, as: UTF8.self), as: "small.pdf")
        let check = try PDFTools.run("qpdf", ["--check", path])
        #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors found"), "\(check.stdout)")
        // pdftotext writes every kind of space as a space (the /ToUnicode map keeps them apart for readers that copy).
        #expect(try PDFTools.text(of: path).hasPrefix(PDFTools.spaced(text) + "\n0123456789abcdef\n"))
        let info = try PDFTools.run("pdfinfo", [path])
        #expect(info.stdout.contains("Title:           Proov: õäöüšž"), "\(info.stdout)")
        #expect(info.stdout.contains("Pages:           2") && info.stdout.contains("PDF version:     1.7"), "\(info.stdout)")
    }

    // MARK: Embedded fonts

    /// Cyrillic and Greek with Estonian letters in the four embedded fonts: checked by qpdf, read
    /// back by pdftotext exactly, and listed by pdffonts as embedded TrueType subsets.
    @Test func embeddedFontsDrawCyrillicAndGreekAndReadBackExactly() throws {
        let fonts = PDFFont.Family.embedded(try FontSamples.files())
        let lines: [(String, PDFFont)] = [("Дмитрий Иванов", fonts.regular), ("Ωmega õäöüšž €", fonts.bold),
                                          ("Привет, „Ωmega“ – ÕÄÖÜŠŽ", fonts.italic), ("0123456789abcdef Жж", fonts.mono)]
        var page = PDFPage()
        for (index, (text, font)) in lines.enumerated() { page.text(text, x: 72, y: 720 - 30 * Double(index), font: font, size: 14) }
        let document = PDFDocument(title: "Akt: Дмитрий Иванов", language: "et", pages: [page])
        let file = document.file()
        #expect(file.unshown.isEmpty)
        #expect(file.bytes == document.bytes(), "the same document gives the same bytes")
        #expect(file.bytes.allSatisfy { $0 < 0x80 }, "still 7-bit text")
        let path = try ActSamples.save(String(decoding: file.bytes, as: UTF8.self), as: "embedded.pdf")
        let check = try PDFTools.run("qpdf", ["--check", path])
        #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors found"), "\(check.stdout)")
        #expect(!check.stdout.contains("WARNING") && check.stderr.isEmpty, "\(check.stdout) \(check.stderr)")
        let text = try PDFTools.text(of: path)
        #expect(text.hasPrefix(lines.map(\.0).joined(separator: "\n") + "\n"), "\(text)")

        let listed = try PDFTools.fonts(of: path)
        #expect(listed.count == 4, "\(listed)")
        for (font, name) in zip(listed, ["LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic", "LiberationMono"]) {
            let tag = font.name.prefix(7)
            #expect(tag.count == 7 && tag.last == "+" && tag.dropLast().allSatisfy { $0.isASCII && $0.isUppercase }, "\(font.name)")
            #expect(font.name.dropFirst(7) == name && font.type == "CID TrueType" && font.encoding == "Identity-H", "\(font)")
            #expect(font.flags == "yes yes yes", "embedded, subset, /ToUnicode: \(font)")
        }
    }

    /// The glyphs are really drawn: where the text is, pdftoppm's page has dark pixels, and two
    /// different letters look different (a missing glyph would draw them as the same empty box).
    @Test func embeddedLettersAreDrawnOnThePage() throws {
        let fonts = PDFFont.Family.embedded(try FontSamples.files())
        var page = PDFPage()
        page.text("ЖЖЖ", x: 72, y: 700, font: fonts.regular, size: 40)
        page.text("ΩΩΩ", x: 72, y: 600, font: fonts.regular, size: 40)
        let path = try ActSamples.save(String(decoding: PDFDocument(title: "Ж", language: "et", pages: [page]).bytes(), as: UTF8.self), as: "drawn.pdf")
        let pixels = try PDFTools.render(path)
        // At 60 dpi a point is 5/6 of a pixel, counted from the top.
        func box(x: Double, baseline: Double, width: Double) -> [[UInt8]] {
            let scale = 60.0 / 72, top = Int((PDFPage.a4.height - baseline - 32) * scale), bottom = Int((PDFPage.a4.height - baseline + 4) * scale)
            return pixels[top..<bottom].map { Array($0[Int(x * scale)..<Int((x + width) * scale)]) }
        }
        func dark(_ box: [[UInt8]]) -> Int { box.joined().filter { $0 < 128 }.count }
        let zhe = box(x: 72, baseline: 700, width: 100), omega = box(x: 72, baseline: 600, width: 100)
        #expect(dark(zhe) > 100 && dark(omega) > 100, "\(dark(zhe)) \(dark(omega))")
        #expect(zhe != omega)
        #expect(dark(box(x: 300, baseline: 700, width: 200)) == 0, "nothing drawn beside the text")
    }

    /// A character the embedded fonts lack too (an emoji) is drawn and read back as `?`, and
    /// reported once, as the standard fonts report what they lack.
    @Test func whatNoFontHasIsAQuestionMarkAndReported() throws {
        let fonts = PDFFont.Family.embedded(try FontSamples.files())
        var page = PDFPage()
        page.text("Дмитрий 🙂 Иванов 🙂", x: 72, y: 720, font: fonts.regular, size: 12)
        page.text("Жж 😀", x: 72, y: 700, font: fonts.mono, size: 12)
        let file = PDFDocument(title: "?", language: "et", pages: [page]).file()
        #expect(file.unshown == ["🙂", "😀"])
        let path = try ActSamples.save(String(decoding: file.bytes, as: UTF8.self), as: "emoji.pdf")
        #expect(try PDFTools.text(of: path).hasPrefix("Дмитрий ? Иванов ?\nЖж ?\n"))

        var standard = PDFPage()
        standard.text("Дмитрий 🙂", x: 72, y: 720, font: .helvetica, size: 12)
        #expect(PDFDocument(title: "?", language: "et", pages: [standard]).file().unshown == ["Д", "м", "и", "т", "р", "й", "🙂"])
    }

    /// Each character its own code: a no-break space and a space read back apart even where
    /// they share a glyph, and the `/W` widths are the font's, as the lines were measured.
    @Test func everyCharacterHasItsOwnCodeAndItsFontsWidth() throws {
        let files = try FontSamples.files()
        var encoding = PDFCIDEncoding(font: files[.regular])
        #expect(encoding.encode("Да да\u{A0}Д\u{7}") == [1, 2, 3, 4, 2, 5, 1])
        #expect(encoding.codes.map(\.scalar) == ["Д", "а", " ", "д", "\u{A0}"])
        let font = PDFFont(style: .regular, truetype: files[.regular])
        let embedded = PDFEmbeddedFont(font: font, encoding: encoding)
        let cmap = embedded.toUnicodeCMap
        for entry in ["<0001> <0414>", "<0003> <0020>", "<0005> <00A0>"] { #expect(cmap.contains(entry), "\(entry)") }
        // .notdef is 748 of 2048 units wide, Д 1387 (fontTools reads the same): 365.23 and 677.25
        // thousandths, in /W and in the line's measure.
        let descendant = embedded.objects(first: 10)[1].body
        #expect(descendant.contains("/W [0 [365.23 677.25 556.15 277.83 583.5 277.83]]"), "\(descendant)")
        #expect(abs(font.width(of: "Д", size: 10) - 6.7725) < 1e-9)
        // Python's base64.a85encode gives z!<N?+"T for these bytes.
        #expect(PDFEmbeddedFont.ascii85([0, 0, 0, 0, 1, 2, 3, 4, 5]) == "z!<N?+\"T~>")
        #expect(PDFEmbeddedFont.ascii85([]) == "~>")
    }

    @Test func theFontFolderIsTheEnvironmentsElseDebians() {
        #expect(PDFFontFiles.folders(override: "/srv/fonts") == ["/srv/fonts"])
        #expect(PDFFontFiles.folders(override: nil) == ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2"])
        #expect(PDFFontFiles.folders(override: "") == PDFFontFiles.systemFolders)
    }
}
