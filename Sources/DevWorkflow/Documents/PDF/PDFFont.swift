/// A font a document's text is drawn in: one of four styles, as a standard PDF font or as a
/// TrueType font the PDF embeds.
///
/// The standard fonts (Helvetica, Helvetica-Bold, Helvetica-Oblique, Courier) are in every PDF
/// reader, so nothing is embedded, and their widths are known here (`PDFGlyphMetrics`); but they
/// draw Latin letters only. A TrueType font (`PDFFontFiles`: Liberation Sans and Mono, whose Latin
/// letters are as wide as Helvetica's and Courier's) draws every letter it has a glyph for —
/// Cyrillic, Greek — and the PDF embeds the part of it the document uses (`TrueTypeSubset`).
/// Either way the widths are those of the font drawn with, so lines break as they will look.
struct PDFFont: Hashable, Sendable {
    /// What a font is for; each has a standard font and a TrueType one.
    enum Style: Int, CaseIterable, Sendable {
        case regular
        /// Titles, headings and the heads of tables.
        case bold
        /// Slanted: remarks.
        case italic
        /// Fixed width: digests and codes.
        case mono
    }

    let style: Style
    /// The TrueType font drawn with, embedded as a subset; nil draws with the style's standard font.
    let truetype: TrueTypeFont?

    static let helvetica = PDFFont(style: .regular, truetype: nil)
    static let helveticaBold = PDFFont(style: .bold, truetype: nil)
    /// Slanted Helvetica, with Helvetica's widths.
    static let helveticaOblique = PDFFont(style: .italic, truetype: nil)
    static let courier = PDFFont(style: .mono, truetype: nil)

    /// The standard font's name in the font dictionary.
    var baseFont: String {
        switch style {
        case .regular: return "Helvetica"
        case .bold: return "Helvetica-Bold"
        case .italic: return "Helvetica-Oblique"
        case .mono: return "Courier"
        }
    }

    /// The name a page's content stream uses for the font: `/F1`–`/F4` for the standard fonts,
    /// `/F5`–`/F8` for embedded ones.
    var resourceName: String { "F\(style.rawValue + (truetype == nil ? 1 : 5))" }

    /// Height of capital letters above the baseline, and depth of descenders below it, in
    /// thousandths of the size (the AFMs' CapHeight and Descender; Courier's and the Liberation
    /// fonts' are close enough): where a line sits in its box, the same whichever font draws it.
    static let capHeight = 718.0
    static let descender = 207.0

    /// The advance width of a standard font's glyph in thousandths of the size.
    func width(ofGlyph glyph: Int) -> Double {
        switch style {
        case .regular, .italic: return Double(PDFGlyphMetrics.helvetica[glyph])
        case .bold: return Double(PDFGlyphMetrics.helveticaBold[glyph])
        case .mono: return 600
        }
    }

    /// A TrueType glyph's advance width in thousandths of the size, to the hundredth: the number
    /// the PDF's `/W` array says, so that a line measures as it is drawn.
    static func width(ofGlyph glyph: UInt16, in font: TrueTypeFont) -> Double {
        (Double(font.advance(of: glyph)) * 100_000 / Double(font.unitsPerEm)).rounded() / 100
    }

    /// How wide `text` is at `size` points, as the text encoding will show it.
    func width(of text: some StringProtocol, size: Double) -> Double {
        var thousandths = 0.0
        if let truetype {
            for scalar in text.unicodeScalars {
                if let glyph = PDFCIDEncoding.glyph(for: scalar, in: truetype) { thousandths += Self.width(ofGlyph: glyph, in: truetype) }
            }
        } else {
            for scalar in text.unicodeScalars {
                if let glyph = PDFTextEncoding.glyph(for: scalar) { thousandths += width(ofGlyph: glyph) }
            }
        }
        return thousandths * size / 1000
    }
}

extension PDFFont {
    /// The four fonts a document is drawn in, chosen once for the whole document
    /// (`DocumentPDFRenderer`): the standard ones, or the embedded TrueType ones — never a mix,
    /// so that every text of one style looks alike.
    struct Family: Sendable {
        let regular: PDFFont
        let bold: PDFFont
        let italic: PDFFont
        let mono: PDFFont

        /// Helvetica, Helvetica-Bold, Helvetica-Oblique and Courier.
        static let standard = Family(regular: .helvetica, bold: .helveticaBold, italic: .helveticaOblique, mono: .courier)

        /// The TrueType fonts of `files`, embedded.
        static func embedded(_ files: PDFFontFiles) -> Family {
            func font(_ style: Style) -> PDFFont { PDFFont(style: style, truetype: files[style]) }
            return Family(regular: font(.regular), bold: font(.bold), italic: font(.italic), mono: font(.mono))
        }

        /// Whether the PDF embeds these fonts.
        var isEmbedded: Bool { regular.truetype != nil }
    }
}
