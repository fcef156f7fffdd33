import Foundation
import Testing
@testable import DevWorkflow

@Suite struct AcceptanceActTests {
    @Test(arguments: Language.allCases)
    func theSameActGivesTheSameBytes(language: Language) {
        for format in AcceptanceAct.Format.allCases {
            let first = ActSamples.typical.render(format, language: language)
            #expect(first == ActSamples.typical.render(format, language: language), "\(format) \(language)")
        }
        let pdf = ActSamples.typical.render(.pdf, language: language)
        #expect(pdf.utf8.allSatisfy { $0 < 0x80 }, "the PDF is 7-bit text")
        #expect(!pdf.contains("CreationDate") && !pdf.contains("ModDate"))
        // The /ID follows the content: another order number, another /ID.
        var other = ActSamples.typical
        other.order.number = "ORD-2026-0043"
        #expect(Self.fileID(pdf) != Self.fileID(other.render(.pdf, language: language)))
    }

    /// An act in Estonian or English letters is drawn with the standard fonts, and its bytes
    /// change only on purpose: the saved PDFs were written before fonts could be embedded.
    @Test(arguments: Language.allCases)
    func anActInLatinLettersMatchesItsGoldenPDF(language: Language) throws {
        try Golden.check(ActSamples.typical.render(.pdf, language: language), named: "typical.\(language).pdf", in: Golden.documents)
    }

    static func fileID(_ pdf: String) -> Substring? {
        guard let range = pdf.range(of: "/ID [<") else { return nil }
        return pdf[range.upperBound...].prefix(32)
    }

    @Test(arguments: Language.allCases)
    func qpdfFindsNothingWrong(language: Language) throws {
        for (name, act) in [("typical", ActSamples.typical), ("long", ActSamples.long)] {
            let path = try ActSamples.save(act.render(.pdf, language: language), as: "\(name).\(language).pdf")
            let check = try PDFTools.run("qpdf", ["--check", path])
            #expect(check.status == 0, "\(name): \(check.stdout) \(check.stderr)")
            #expect(check.stdout.contains("No syntax or stream encoding errors found"), "\(name): \(check.stdout)")
            #expect(!check.stdout.contains("WARNING") && check.stderr.isEmpty, "\(name): \(check.stdout) \(check.stderr)")
        }
    }

    @Test(arguments: Language.allCases)
    func pdftotextReadsEveryFactBack(language: Language) throws {
        let act = ActSamples.typical
        let text = try PDFTools.text(of: ActSamples.save(act.render(.pdf, language: language), as: "facts.\(language).pdf"))
        #expect(text.contains("õäöüšž") && text.contains("ÕÄÖÜŠŽ"), "\(text)")
        #expect(text.contains("„Riigi Teatajas“ – ilma"), "quotes and the dash read back")
        #expect(text.contains(Message("act.title").text(language)))
        for fact in Self.facts(act, language) {
            #expect(Self.joined(text).contains(Self.joined(fact)), "\(fact.debugDescription) in \(language) PDF")
        }
        // Each digest is two lines of 32 characters in its cell: the first ends its row's line.
        let lines = text.split(separator: "\n").map(String.init)
        for file in act.files {
            let start = try #require(lines.firstIndex { $0.hasSuffix(" " + file.sha256.prefix(32)) }, "first half of \(file.name)'s digest")
            #expect(lines[start + 1] == String(file.sha256.suffix(32)))
        }
    }

    /// What the act must show, as the act's own formatting writes it.
    static func facts(_ act: AcceptanceAct, _ language: Language) -> [String] {
        let format = ReportFormatting.for(language)
        var facts = [act.order.number, act.buyer.name, act.buyer.registryCode, act.vendor.name, act.vendor.registryCode,
                     act.request.id, act.request.title, act.deliveryNote, format.money(act.net), format.money(act.gross),
                     format.date(act.order.date), format.date(act.order.deadline), format.date(act.accepted)]
        facts += [act.buyer.address, act.vendor.address, act.contract?.number].compactMap { $0 }
        facts += act.deliveries.map { format.date($0.date) }
        facts += act.returns.flatMap { [format.date($0.date), $0.reason] }
        if let vat = act.vat { facts.append(format.money(vat.amount)) }
        facts += act.files.flatMap { [$0.name, $0.sha256, format.integer(Int($0.size))] }
        return facts
    }

    /// Text without line breaks, for facts that a page may wrap (a wrapped line loses its space).
    static func joined(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
    }

    @Test(arguments: Language.allCases)
    func htmlAndMarkdownHoldTheSameFacts(language: Language) throws {
        let act = ActSamples.typical
        let html = act.render(.html, language: language)
        let markdown = act.render(.markdown, language: language)
        try ActSamples.save(html, as: "typical.\(language).html")
        try ActSamples.save(markdown, as: "typical.\(language).md")
        // Both escape, and HTML may break a digest (`<wbr>`); read them back as plain text.
        let htmlText = html.replacingOccurrences(of: "<wbr>", with: "").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        let markdownText = markdown.replacingOccurrences(of: "\\", with: "")
        for fact in Self.facts(act, language) + [Message("act.title").text(language), Message("act.signature.mark").text(language)] {
            #expect(htmlText.contains(fact), "\(fact.debugDescription) in \(language) HTML")
            #expect(markdownText.contains(fact), "\(fact.debugDescription) in \(language) Markdown")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "nothing fetched, nothing run")
        #expect(markdown.contains("| ---: |"), "amounts are right-aligned")
    }

    /// A long file name in the HTML act's table may break after its separators, as the PDF
    /// breaks it, so that the table keeps to the page; a word (the file's kind) never breaks.
    @Test func longNamesInTheHTMLTablesBreakAtTheirSeparatorsOnly() {
        #expect(Markup.breakableHTML("Lähteülesanne_õigusaktide_jälgimine_v3.pdf")
            == "Lähteülesanne_<wbr>õigusaktide_<wbr>jälgimine_<wbr>v3.<wbr>pdf")
        #expect(Markup.breakableHTML("lähteülesanne") == "lähteülesanne")
        #expect(Markup.breakableHTML("a <b> & c/d") == "a &lt;b&gt; &amp; c/<wbr>d")
        #expect(Markup.breakableHTML("__init__.py") == "__<wbr>init__.<wbr>py")
    }

    @Test func amountsAreWrittenAsPeopleOfTheLanguageExpect() throws {
        let estonian = ActSamples.typical.render(.markdown, language: .et)
        #expect(estonian.contains("| Summa käibemaksuta | 1\u{A0}500,00\u{A0}€ |"))
        #expect(estonian.contains("| Käibemaks 24 % | 360,00\u{A0}€ |"))
        #expect(estonian.contains("| **Kokku koos käibemaksuga** | **1\u{A0}860,00\u{A0}€** |"))
        #expect(estonian.contains("- **Vastu võetud:** 20.12.2026"))
        let english = ActSamples.typical.render(.markdown, language: .en)
        #expect(english.contains("| Total including VAT | 1\u{202F}860.00\u{A0}€ |") || english.contains("| **Total including VAT** | **1\u{202F}860.00\u{A0}€** |"))
        #expect(english.contains("- **Accepted on:** 2026-12-20"))
        // The English amount's narrow no-break space is no WinAnsi character; it has a code and a
        // glyph of its own (pdftotext writes it as a space, like every space).
        let pdf = ActSamples.typical.render(.pdf, language: .en)
        #expect(pdf.contains("<01> <202F>"))
        let text = try PDFTools.text(of: ActSamples.save(pdf, as: "amounts.en.pdf"))
        #expect(text.contains("Total including VAT 1 860.00 €"), "\(text)")
    }

    @Test func withoutVATOnlyTheNetAmountIsShown() throws {
        var act = ActSamples.typical
        act.vat = nil
        for language in Language.allCases {
            let net = ReportFormatting.for(language).money(act.net)
            let pdf = try PDFTools.text(of: ActSamples.save(act.render(.pdf, language: language), as: "net.\(language).pdf"))
            for text in [pdf, act.render(.html, language: language), act.render(.markdown, language: language)].map(PDFTools.spaced) {
                #expect(text.contains(Message("act.price.net").text(language)) && text.contains(PDFTools.spaced(net)))
                #expect(!text.contains(Message("act.price.gross").text(language)))
                #expect(!text.contains(language == .et ? "Käibemaks " : "VAT "))
            }
        }
    }

    @Test func aLongActFlowsOntoSeveralPagesInsideTheMargins() throws {
        let act = ActSamples.long
        let path = try ActSamples.save(act.render(.pdf, language: .et), as: "long.et.pdf")
        let pages = try PDFTools.run("qpdf", ["--show-npages", path])
        let count = try #require(Int(pages.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(count >= 4)
        let text = try PDFTools.text(of: path)
        #expect(text.contains("Lk 1/\(count)") && text.contains("Lk \(count)/\(count)"))
        // Read without the page furniture, what continues on the next page joins up again.
        let footer = Message("act.name", ["order": "\(act.order.number)"]).text(.et)
        let headers = [["act.column.number", "act.return.date", "act.return.reason"],
                       ["act.column.number", "act.file.name", "act.file.kind", "act.file.size", "act.file.sha256"]]
            .map { $0.map { Message($0).text(.et) }.joined(separator: " ") }
        let flowing = Self.joined(text.split(separator: "\n").map { $0.trimmingCharacters(in: .controlCharacters) }
            .filter { !$0.hasPrefix(footer) && !headers.contains($0) }.joined(separator: "\n"))
        for fact in Self.facts(act, .et) {
            let found = flowing.contains(Self.joined(fact))
            #expect(found, "\(fact.prefix(80))")
        }
        // Nothing is drawn outside the margins (the footer is below the bottom one).
        for (number, page) in DocumentPDFRenderer.pages(act.content(in: .et)).enumerated() {
            for case let .text(line, x, y, font, size, _) in page.operations {
                #expect(x >= 56 && x + font.width(of: line, size: size) <= page.width - 56, "page \(number + 1): \(line) overflows")
                #expect(y >= 25 && y <= page.height - 56, "page \(number + 1): \(line) is off the page")
            }
        }
    }

    @Test func theSignaturesStayWithTheirHeadingAndStatement() {
        // However many files push them down the page, the last section is never split.
        for count in 0...24 {
            var act = ActSamples.typical
            act.files = Array(ActSamples.long.files.prefix(count))
            let pages = DocumentPDFRenderer.pages(act.content(in: .et))
            func page(of text: String) -> [Int] {
                pages.indices.filter { index in
                    pages[index].operations.contains { if case let .text(line, _, _, _, _, _) = $0 { line.hasPrefix(text) } else { false } }
                }
            }
            let heading = page(of: "6. " + Message("act.section.signatures").text(.et))
            #expect(heading.count == 1, "\(count) files")
            #expect(page(of: "Tarnija annab üle") == heading, "\(count) files: the statement")
            #expect(page(of: Message("act.signature.mark").text(.et)) == heading, "\(count) files: the signature boxes")
        }
    }

    @Test func decomposedLettersGiveTheSamePDFAsComposedOnes() {
        // macOS writes file names decomposed (o + U+0303); the act shows them as the same letters.
        var decomposed = ActSamples.typical
        decomposed.files[0].name = "lähteülesanne.pdf".decomposedStringWithCanonicalMapping
        decomposed.vendor.name = "Õüšžä Tarkvara OÜ".decomposedStringWithCanonicalMapping
        #expect(decomposed.files[0].name.unicodeScalars.count > ActSamples.typical.files[0].name.unicodeScalars.count)
        #expect(decomposed.render(.pdf, language: .et) == ActSamples.typical.render(.pdf, language: .et))
    }

    @Test func everyFormatAndLanguageUsesOnlyCatalogueKeysThatExist() throws {
        // A missing key traps; an act without contract, returns, files or address takes the other paths.
        var bare = ActSamples.typical
        bare.contract = nil
        bare.returns = []
        bare.files = []
        bare.buyer.address = nil
        bare.vendor.address = nil
        bare.request.summary = nil
        bare.buyerSignatory = .init(name: "Mari Maasikas", position: "Tooteomanik")
        for language in Language.allCases {
            let markdown = bare.render(.markdown, language: language)
            #expect(markdown.contains(Message("act.no_files").text(language)))
            #expect(markdown.contains(Message("act.no_returns").text(language)))
            #expect(markdown.contains("Mari Maasikas") && markdown.contains("Tooteomanik"))
            #expect(!markdown.contains(Message("act.label.address").text(language)))
            for format in AcceptanceAct.Format.allCases { #expect(!bare.render(format, language: language).isEmpty) }
            try ActSamples.save(bare.render(.pdf, language: language), as: "bare.\(language).pdf")
        }
    }

    // MARK: Letters the standard fonts lack

    /// A vendor's Russian-speaking staff and a Greek letter: the act embeds the Liberation fonts,
    /// and every fact reads back, the Cyrillic and Greek exactly.
    @Test(arguments: Language.allCases)
    func anActInCyrillicAndGreekEmbedsTheFontsAndReadsBack(language: Language) throws {
        let act = ActSamples.cyrillic
        let pdf = act.pdf(language: language, fontFiles: FontSamples.available)
        #expect(pdf.unshown.isEmpty && pdf.fontsUnavailable == nil, "\(pdf.unshown) \(String(describing: pdf.fontsUnavailable))")
        #expect(pdf.bytes == act.pdf(language: language, fontFiles: FontSamples.available).bytes, "the same act gives the same bytes")
        let path = try ActSamples.save(String(decoding: pdf.bytes, as: UTF8.self), as: "cyrillic.\(language).pdf")
        let check = try PDFTools.run("qpdf", ["--check", path])
        #expect(check.status == 0 && check.stdout.contains("No syntax or stream encoding errors found"), "\(check.stdout)")
        #expect(!check.stdout.contains("WARNING") && check.stderr.isEmpty, "\(check.stdout) \(check.stderr)")
        let text = try PDFTools.text(of: path)
        for written in ["Дмитрий Иванов", "Руководитель проекта", "Первая версия", "Ωmega õäöüšž ÕÄÖÜŠŽ €", "„Riigi Teatajas“ – ilma"] {
            #expect(text.contains(written), "\(written) in \(text)")
        }
        #expect(!text.contains("?"), "nothing drawn as ?")
        for fact in Self.facts(act, language) {
            #expect(Self.joined(text).contains(Self.joined(PDFTools.spaced(fact))), "\(fact.debugDescription) in \(language) PDF")
        }
        let lines = text.split(separator: "\n").map(String.init)
        for file in act.files {
            let start = try #require(lines.firstIndex { $0.hasSuffix(" " + file.sha256.prefix(32)) }, "first half of \(file.name)'s digest")
            #expect(lines[start + 1] == String(file.sha256.suffix(32)))
        }
        let fonts = try PDFTools.fonts(of: path)
        #expect(fonts.map { $0.name.dropFirst(7) } == ["LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic", "LiberationMono"], "\(fonts)")
        #expect(fonts.allSatisfy { $0.type == "CID TrueType" && $0.flags == "yes yes yes" }, "\(fonts)")
    }

    /// Liberation Sans and Mono are as wide as Helvetica and Courier for Latin letters (to within
    /// a quarter of a thousandth of the size), so an act drawn in them breaks its lines where the
    /// standard fonts do. Only a line that fills its column to within a fraction of a point may
    /// break a word earlier: 74 of the long act's 794 lines (one paragraph repeated 21 times, and a
    /// 1,000-letter word broken between letters), on as many pages.
    @Test func theEmbeddedFontsBreakLatinLinesWhereTheStandardOnesDo() throws {
        let embedded = PDFFont.Family.embedded(try FontSamples.files())
        for language in Language.allCases {
            func texts(_ act: AcceptanceAct, _ fonts: PDFFont.Family) -> [[String]] {
                DocumentPDFRenderer.pages(act.content(in: language), fonts: fonts).map { page in
                    page.operations.compactMap { if case let .text(text, _, _, _, _, _) = $0 { text } else { nil } }
                }
            }
            #expect(texts(ActSamples.typical, embedded) == texts(ActSamples.typical, .standard), "\(language)")
            let (long, standardLong) = (texts(ActSamples.long, embedded), texts(ActSamples.long, .standard))
            #expect(long.count == standardLong.count, "as many pages")
            #expect(long.joined().count == standardLong.joined().count, "as many lines")
        }
        // The long act in Cyrillic keeps inside the margins, measured by the embedded fonts' widths.
        var long = ActSamples.long
        long.vendorSignatory = ActSamples.cyrillic.vendorSignatory
        long.request.summary = String(repeating: "Система должна позволять подписывать протокол. ", count: 60)
        for page in DocumentPDFRenderer.pages(long.content(in: .et), fonts: embedded) {
            for case let .text(line, x, _, font, size, _) in page.operations {
                #expect(font.truetype != nil)
                #expect(x >= 56 && x + font.width(of: line, size: size) <= page.width - 56, "\(line) overflows")
            }
        }
    }

    /// An act the standard fonts draw whole never reads a font file: its PDF is what it always was.
    @Test func anActInLatinLettersNeverReadsTheFonts() {
        for language in Language.allCases {
            let pdf = ActSamples.typical.pdf(language: language) {
                Issue.record("the fonts were asked for")
                return .failure(TrueTypeFont.Error(.missing, "not asked"))
            }
            #expect(pdf.unshown.isEmpty && pdf.fontsUnavailable == nil)
            #expect(pdf.bytes == Array(Golden.text(named: "typical.\(language).pdf", in: Golden.documents)?.utf8 ?? "".utf8))
        }
    }

    /// Without the fonts, or with a broken one, the act is drawn as before this could embed
    /// fonts: the standard fonts, `?` for what they lack, and the reason, which `order act` says.
    @Test func withoutUsableFontsTheStandardFontsDrawAndTheReasonIsGiven() throws {
        let act = ActSamples.cyrillic
        let missing = act.pdf(language: .et) { PDFFontFiles.load(folders: ["/nonexistent"]) }
        let error = try #require(missing.fontsUnavailable)
        #expect(error.code == .missing && error.file == "/nonexistent/LiberationSans-Regular.ttf", "\(error)")
        #expect(Array(missing.unshown.prefix(4)) == ["М", "о", "д", "у"], "\(missing.unshown)")
        #expect(missing.unshown.contains("Ω") && !missing.unshown.contains("õ"))
        let standard = String(decoding: missing.bytes, as: UTF8.self)
        #expect(!standard.contains("/FontFile2") && standard.contains("/BaseFont /Helvetica"))
        let text = try PDFTools.text(of: ActSamples.save(standard, as: "cyrillic-standard.pdf"))
        #expect(text.contains("??????? ??????"), "\(text)")

        // A font file cut short: the same standard PDF, and the file and what is wrong named.
        let folder = try FontSamples.folder(named: "broken-fonts") { style, bytes in style == .bold ? Array(bytes.prefix(3_000)) : bytes }
        let broken = act.pdf(language: .et) { PDFFontFiles.load(folders: [folder]) }
        let cut = try #require(broken.fontsUnavailable)
        #expect(cut.code == .truncated && cut.file == folder + "/LiberationSans-Bold.ttf", "\(cut)")
        #expect(broken.bytes == missing.bytes && broken.unshown == missing.unshown)

        // What order act says, in both languages: the package to install, or the broken file.
        let noFonts = try #require(Commands.unshownWarning(missing))
        #expect(noFonts.text(.en).contains("install the Debian package fonts-liberation, or set WORKFLOW_PDF_FONTS"), "\(noFonts.text(.en))")
        #expect(noFonts.text(.et).contains("paigaldage Debiani pakett fonts-liberation"), "\(noFonts.text(.et))")
        let badFont = try #require(Commands.unshownWarning(broken))
        #expect(badFont.text(.en).contains("\(folder)/LiberationSans-Bold.ttf, could not be used (the table"), "\(badFont.text(.en))")
        #expect(badFont.text(.et).contains("fondifaili \(folder)/LiberationSans-Bold.ttf ei saanud kasutada"), "\(badFont.text(.et))")
        // With the fonts, only what they lack too (an emoji) is said, as the fonts' lack.
        var emoji = act
        emoji.deliveryNote += " 🙂"
        let embedded = emoji.pdf(language: .en, fontFiles: FontSamples.available)
        #expect(embedded.unshown == ["🙂"] && embedded.fontsUnavailable == nil)
        #expect(Commands.unshownWarning(embedded)?.text(.en).hasPrefix("the PDF's fonts lack 1 character (🙂); the PDF shows it as '?'") == true)
        #expect(Commands.unshownWarning(act.pdf(language: .en, fontFiles: FontSamples.available)) == nil)
    }
}
