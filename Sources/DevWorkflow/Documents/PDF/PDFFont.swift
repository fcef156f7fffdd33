/// The standard PDF fonts a document of ours uses: every PDF reader has them, so nothing is
/// embedded, and their widths are known here (`PDFGlyphMetrics`) to break lines as they will look.
enum PDFFont: Int, CaseIterable, Sendable {
    case helvetica
    case helveticaBold
    /// Slanted Helvetica, with Helvetica's widths: remarks.
    case helveticaOblique
    /// Fixed width: digests and codes.
    case courier

    /// The name in the font dictionary.
    var baseFont: String {
        switch self {
        case .helvetica: return "Helvetica"
        case .helveticaBold: return "Helvetica-Bold"
        case .helveticaOblique: return "Helvetica-Oblique"
        case .courier: return "Courier"
        }
    }

    /// The name a page's content stream uses for the font (`/F1`).
    var resourceName: String { "F\(rawValue + 1)" }

    /// Height of capital letters above the baseline, and depth of descenders below it, in
    /// thousandths of the size (the AFMs' CapHeight and Descender; Courier's are close enough).
    static let capHeight = 718.0
    static let descender = 207.0

    /// The advance width of a glyph in thousandths of the size.
    func width(ofGlyph glyph: Int) -> Double {
        switch self {
        case .helvetica, .helveticaOblique: return Double(PDFGlyphMetrics.helvetica[glyph])
        case .helveticaBold: return Double(PDFGlyphMetrics.helveticaBold[glyph])
        case .courier: return 600
        }
    }

    /// How wide `text` is at `size` points, as the text encoding will show it.
    func width(of text: some StringProtocol, size: Double) -> Double {
        var thousandths = 0.0
        for scalar in text.unicodeScalars {
            if let glyph = PDFTextEncoding.glyph(for: scalar) { thousandths += width(ofGlyph: glyph) }
        }
        return thousandths * size / 1000
    }
}
