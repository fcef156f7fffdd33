/// How text becomes the two-byte codes of an embedded TrueType font (`/Identity-H`), and back.
///
/// Each character drawn gets a code of its own (a CID), from 1 in the order the document first
/// uses it, so the same text always gives the same bytes. The font's `/CIDToGIDMap` takes a code
/// to its glyph in the subset, and its `/ToUnicode` map back to the character: two characters that
/// one glyph draws (a no-break space and a space, when the font has no glyph of the first's own)
/// still read back apart. A character the font lacks (an emoji) is drawn, and read back, as `?`,
/// and listed in `unshown`.
struct PDFCIDEncoding {
    /// How a character is drawn.
    enum Resolution: Equatable {
        /// Not drawn: see `PDFTextEncoding.isInvisible`.
        case skip
        /// Drawn with this glyph of the font.
        case glyph(UInt16)
        /// The font lacks it: drawn as `?`.
        case substitute
    }

    let font: TrueTypeFont
    /// What each code from 1 stands for: the glyph (the font's own id) and the character it reads
    /// back as. Code 0 is the font's `.notdef`, never written.
    private(set) var codes: [(glyph: UInt16, scalar: Unicode.Scalar)] = []
    /// The characters drawn as `?` so far, each once, in the order met.
    private(set) var unshown: [Unicode.Scalar] = []
    private var codeByScalar: [Unicode.Scalar: UInt16] = [:]

    init(font: TrueTypeFont) {
        self.font = font
    }

    /// `text`'s codes, giving new codes to characters met for the first time. Pass text in NFC.
    mutating func encode(_ text: some StringProtocol) -> [UInt16] {
        var result: [UInt16] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch Self.resolve(scalar, in: font) {
            case .skip: continue
            case let .glyph(glyph): result.append(code(for: scalar, glyph: glyph))
            case .substitute:
                if !unshown.contains(scalar) { unshown.append(scalar) }
                result.append(code(for: "?", glyph: Self.question(in: font)))
            }
        }
        return result
    }

    private mutating func code(for scalar: Unicode.Scalar, glyph: UInt16) -> UInt16 {
        if let code = codeByScalar[scalar] { return code }
        // Two bytes hold 65,535 codes: past them (a font mapping that many characters), `.notdef`.
        guard codes.count < 0xFFFF else { return 0 }
        codes.append((glyph, scalar))
        let code = UInt16(codes.count)
        codeByScalar[scalar] = code
        return code
    }

    /// How `font` draws a character; widths and encoding both ask this, so a line measures as
    /// it shows. The standard fonts' rules hold: what they leave out is left out here too, and a
    /// space of another width or a non-breaking hyphen the font lacks is drawn as a space or hyphen.
    static func resolve(_ scalar: Unicode.Scalar, in font: TrueTypeFont) -> Resolution {
        if PDFTextEncoding.isInvisible(scalar) { return .skip }
        if let glyph = font.glyph(for: scalar) ?? PDFTextEncoding.alias(of: scalar).flatMap(font.glyph(for:)) { return .glyph(glyph) }
        return .substitute
    }

    /// The glyph a character is drawn with, or nil when it is not drawn.
    static func glyph(for scalar: Unicode.Scalar, in font: TrueTypeFont) -> UInt16? {
        switch resolve(scalar, in: font) {
        case .skip: return nil
        case let .glyph(glyph): return glyph
        case .substitute: return question(in: font)
        }
    }

    /// The glyph of `?`; `.notdef` (0) in a font without one.
    private static func question(in font: TrueTypeFont) -> UInt16 { font.glyph(for: "?") ?? 0 }
}
