/// How text becomes the one-byte codes a standard font shows, and back (for copying and search).
///
/// The base is WinAnsiEncoding, which already holds the Estonian letters (õ ä ö ü š ž Õ Ä Ö Ü Š Ž),
/// `€`, `„ “ ” – —` and the no-break space. Any other character one of the standard fonts can draw
/// (č, ł, ņ, ≤, the narrow no-break space of English amounts …) gets one of the 37 codes WinAnsi
/// leaves unused, in the order the document first uses it, through the encoding's `/Differences`;
/// so the same text always gives the same bytes. A `/ToUnicode` map gives every code back as the
/// exact character that was written (a narrow no-break space comes back as U+202F, not a space).
/// A character no standard font has (Cyrillic, emoji) is drawn, and read back, as `?`, and so is
/// one past the 37th that needs a free code; the encoding lists them in `unshown`, and a document
/// with any is drawn in embedded fonts instead when they can be had (`DocumentPDFRenderer`).
struct PDFTextEncoding {
    /// How a character is drawn.
    enum Resolution: Equatable {
        /// Not drawn: a control character, a soft hyphen or a combining mark left after NFC.
        case skip
        /// Drawn with this glyph (an index into `PDFGlyphMetrics`).
        case glyph(Int)
        /// No standard font has it: drawn as `?`.
        case substitute
    }

    /// The codes given so far beyond WinAnsi: code, glyph, the character it reads back as.
    private(set) var extras: [(code: UInt8, glyph: Int, scalar: Unicode.Scalar)] = []
    private var codeByScalar: [Unicode.Scalar: UInt8] = [:]
    /// The characters drawn as `?` so far, each once, in the order met.
    private(set) var unshown: [Unicode.Scalar] = []
    private var unshownSet: Set<Unicode.Scalar> = []

    /// `text`'s codes, giving new codes to characters WinAnsi lacks. Pass text in NFC: a letter
    /// and a separate combining accent show as the letter alone.
    mutating func encode(_ text: some StringProtocol) -> [UInt8] {
        var codes: [UInt8] = []
        codes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch Self.resolve(scalar) {
            case .skip: continue
            case .substitute:
                codes.append(Self.question)
                if unshownSet.insert(scalar).inserted { unshown.append(scalar) }
            case let .glyph(glyph):
                let code = code(for: scalar, glyph: glyph)
                codes.append(code)
                if code == Self.question, scalar != "?", unshownSet.insert(scalar).inserted { unshown.append(scalar) }
            }
        }
        return codes
    }

    private mutating func code(for scalar: Unicode.Scalar, glyph: Int) -> UInt8 {
        if let code = Self.winAnsi[scalar] ?? codeByScalar[scalar] { return code }
        guard extras.count < Self.freeCodes.count else {
            // Out of codes: the glyph's own WinAnsi code when it has one (a narrow space shows as a
            // space), else `?`.
            return Self.winAnsi[Unicode.Scalar(PDFGlyphMetrics.scalars[glyph])!] ?? Self.question
        }
        let code = Self.freeCodes[extras.count]
        extras.append((code, glyph, scalar))
        codeByScalar[scalar] = code
        return code
    }

    /// The font's `/Encoding` dictionary.
    var encodingDictionary: String {
        guard !extras.isEmpty else { return "<< /Type /Encoding /BaseEncoding /WinAnsiEncoding >>" }
        let differences = extras.map { "\($0.code) /\(PDFGlyphMetrics.names[$0.glyph])" }.joined(separator: " ")
        return "<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [\(differences)] >>"
    }

    /// The `/ToUnicode` CMap: every WinAnsi code and every extra code to its character.
    var toUnicodeCMap: String {
        let single = (Self.winAnsiHigh.map { (code: $0.key, scalar: $0.value) } + extras.map { ($0.code, $0.scalar) })
            .sorted { $0.code < $1.code }
        var lines = [
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<00> <FF>", "endcodespacerange",
            "2 beginbfrange", "<20> <7E> <0020>", "<A0> <FF> <00A0>", "endbfrange",
        ]
        // At most 100 entries to a block (PDF's limit).
        for start in stride(from: 0, to: single.count, by: 100) {
            let block = single[start..<min(start + 100, single.count)]
            lines.append("\(block.count) beginbfchar")
            lines += block.map { "<\(Self.hex($0.code, digits: 2))> <\(Self.hex($0.scalar.value, digits: 4))>" }
            lines.append("endbfchar")
        }
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Characters and glyphs

    /// How a character is drawn; widths and encoding both ask this, so a line measures as it shows.
    static func resolve(_ scalar: Unicode.Scalar) -> Resolution {
        if let glyph = glyphIndex[scalar.value] { return .glyph(glyph) }
        if let target = alias(of: scalar) { return .glyph(glyphIndex[target.value]!) }
        return isInvisible(scalar) ? .skip : .substitute
    }

    /// Whether a character is left out of the drawing whatever the font: a control character, a
    /// soft hyphen, a combining mark left after NFC, a zero-width one.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xAD
            || scalar.properties.generalCategory == .nonspacingMark || scalar.properties.isDefaultIgnorableCodePoint
    }

    /// The character whose glyph draws `scalar` when a font has none of its own: spaces of other
    /// widths are drawn as a space, the non-breaking hyphens as a hyphen.
    static func alias(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        aliases[scalar.value].flatMap(Unicode.Scalar.init)
    }

    /// The characters of `text` (taken in NFC) that the standard fonts would draw as `?`, each
    /// once, in the order met: those none of them has, and those past the free codes.
    static func unshown(in text: String) -> [Unicode.Scalar] {
        var encoding = PDFTextEncoding()
        _ = encoding.encode(text.precomposedStringWithCanonicalMapping)
        return encoding.unshown
    }

    /// The glyph a character is drawn with, or nil when it is not drawn.
    static func glyph(for scalar: Unicode.Scalar) -> Int? {
        switch resolve(scalar) {
        case .skip: return nil
        case let .glyph(glyph): return glyph
        case .substitute: return glyphIndex[UInt32(question)]
        }
    }

    private static let question = UInt8(ascii: "?")

    private static let glyphIndex: [UInt32: Int] = {
        var index: [UInt32: Int] = [:]
        for (position, scalar) in PDFGlyphMetrics.scalars.enumerated() { index[scalar] = position }
        return index
    }()

    /// Characters drawn with another character's glyph: spaces of other widths as a space, the
    /// non-breaking hyphens as a hyphen.
    private static let aliases: [UInt32: UInt32] = {
        var aliases: [UInt32: UInt32] = [0x00A0: 0x20, 0x202F: 0x20, 0x205F: 0x20, 0x2010: 0x2D, 0x2011: 0x2D]
        for space in UInt32(0x2000)...0x200A { aliases[space] = 0x20 }
        return aliases
    }()

    /// WinAnsiEncoding's codes 0x80–0x9F (the rest of 0x20–0xFF is Latin-1 itself).
    private static let winAnsiHigh: [UInt8: Unicode.Scalar] = [
        0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}", 0x86: "\u{2020}",
        0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}", 0x8B: "\u{2039}", 0x8C: "\u{0152}",
        0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}", 0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}",
        0x96: "\u{2013}", 0x97: "\u{2014}", 0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}",
        0x9C: "\u{0153}", 0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]

    /// Character to WinAnsi code, for the codes whose character has a glyph.
    private static let winAnsi: [Unicode.Scalar: UInt8] = {
        var codes: [Unicode.Scalar: UInt8] = [:]
        for code in UInt8(0x20)...0x7E { codes[Unicode.Scalar(code)] = code }
        for code in UInt8(0xA0)...0xFF where code != 0xAD { codes[Unicode.Scalar(code)] = code }
        for (code, scalar) in winAnsiHigh { codes[scalar] = code }
        return codes
    }()

    /// The codes WinAnsiEncoding leaves unused, in the order they are given out.
    private static let freeCodes: [UInt8] = Array(0x01...0x1F) + [0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D]

    static func hex(_ value: some BinaryInteger, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
