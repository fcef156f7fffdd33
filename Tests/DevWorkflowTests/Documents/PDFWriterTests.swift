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
}
