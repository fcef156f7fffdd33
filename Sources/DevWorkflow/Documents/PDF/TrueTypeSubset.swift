/// A TrueType font cut down to the glyphs a document draws, as a font file for a PDF's `/FontFile2`.
///
/// The kept glyphs are renumbered from 0 in the order of their old ids: `.notdef` (glyph 0, which
/// a reader draws for a code it cannot map), every glyph asked for, and every glyph a kept
/// composite glyph is made of (whose ids inside the composite are rewritten). The file has the
/// tables a PDF reader needs for a CIDFontType2 font: `head`, `hhea`, `maxp`, `hmtx`, `loca` and
/// `glyf`, rebuilt for the kept glyphs. `cmap`, `name`, `post`, `OS/2` and the layout tables are
/// left out: the PDF maps codes to glyphs itself and names the font itself.
///
/// The hinting is left out too: each outline's instructions, and the programs they call (`cvt `,
/// `fpgm`, `prep`). Hints fit outlines to a screen's pixel grid at small sizes; PDF readers draw
/// smoothed outlines and printers have pixels to spare, and for an act's glyphs the hints are
/// two thirds of the subset (96 glyphs of Liberation Sans: 24.7 kB with them, 8.2 kB without).
///
/// The same font and glyphs always give the same bytes.
struct TrueTypeSubset: Sendable {
    /// The old id of each kept glyph: a glyph's new id is its index here.
    let glyphs: [UInt16]
    /// The font file.
    let bytes: [UInt8]
    private let newIDs: [UInt16: UInt16]

    init(of font: TrueTypeFont, keeping used: some Sequence<UInt16>) {
        // The glyphs and, through any depth of composites, their parts. A composite that names
        // itself (a malformed font) is met again and not followed.
        var kept: Set<UInt16> = []
        var waiting = [0] + Array(used)
        while let glyph = waiting.popLast() {
            guard Int(glyph) < font.glyphCount, kept.insert(glyph).inserted else { continue }
            waiting += font.components(of: glyph).map(\.glyph)
        }
        glyphs = kept.sorted()
        newIDs = Dictionary(uniqueKeysWithValues: glyphs.enumerated().map { ($0.element, UInt16($0.offset)) })

        // glyf and loca: each outline without its instructions and padded to an even length,
        // composite parts renumbered.
        var glyf: [UInt8] = []
        var offsets: [Int] = []
        for glyph in glyphs {
            offsets.append(glyf.count)
            var outline = Array(font.outline(of: glyph))
            let components = font.components(of: glyph)
            for component in components {
                Self.put(UInt16(newIDs[component.glyph]!), at: component.offset, in: &outline)
            }
            if let instructions = font.instructions(of: glyph) {
                if components.isEmpty {
                    outline.replaceSubrange(instructions, with: [0, 0])
                } else {
                    // A composite's instructions follow its last part; its parts' flags say so no more.
                    outline.removeSubrange(instructions.lowerBound...)
                    for component in components {
                        let flags = UInt16(outline[component.offset - 2]) << 8 | UInt16(outline[component.offset - 1])
                        Self.put(flags & ~TrueTypeFont.hasInstructions, at: component.offset - 2, in: &outline)
                    }
                }
            }
            glyf += outline
            if glyf.count % 2 == 1 { glyf.append(0) }
        }
        offsets.append(glyf.count)
        let (locaFormat, loca) = Self.loca(offsets)

        var hmtx: [UInt8] = []
        for glyph in glyphs {
            Self.append(UInt16(font.advance(of: glyph)), to: &hmtx)
            Self.append(UInt16(bitPattern: font.leftSideBearing(of: glyph)), to: &hmtx)
        }
        // Every kept glyph has its own advance (numberOfHMetrics is the glyph count).
        var head = Array(font.table("head")!), hhea = Array(font.table("hhea")!), maxp = Array(font.table("maxp")!)
        Self.put(UInt32(0), at: 8, in: &head)                          // checkSumAdjustment, set below
        Self.put(locaFormat, at: 50, in: &head)                        // indexToLocFormat
        Self.put(UInt16(glyphs.count), at: 34, in: &hhea)
        Self.put(UInt16(glyphs.count), at: 4, in: &maxp)

        var file = Self.assemble([("glyf", glyf), ("head", head), ("hhea", hhea), ("hmtx", hmtx), ("loca", loca), ("maxp", maxp)])
        // The whole file's checksum comes out as 0xB1B0AFBA once head holds this adjustment.
        let adjustment = 0xB1B0_AFBA &- Self.checksum(file)
        let headOffset = Self.tableOffset("head", in: file)
        Self.put(adjustment, at: headOffset + 8, in: &file)
        bytes = file
    }

    /// The new id of a kept glyph.
    func newID(of glyph: UInt16) -> UInt16? { newIDs[glyph] }

    // MARK: - Writing the file

    /// The `loca` table for the outlines' (even) offsets into `glyf`, and its `indexToLocFormat`:
    /// the short format (0) halves them into 16 bits, and a `glyf` past 128 kB needs the long (1).
    static func loca(_ offsets: [Int]) -> (format: UInt16, table: [UInt8]) {
        var table: [UInt8] = []
        let short = (offsets.last ?? 0) / 2 <= 0xFFFF
        for offset in offsets {
            if short { append(UInt16(offset / 2), to: &table) } else { append(UInt32(offset), to: &table) }
        }
        return (short ? 0 : 1, table)
    }

    /// The table directory (tags in ascending order, as the format asks) and the tables, each
    /// starting on a four-byte boundary.
    static func assemble(_ tables: [(tag: String, data: [UInt8])]) -> [UInt8] {
        let count = tables.count
        let power = 1 << (Int.bitWidth - 1 - count.leadingZeroBitCount)   // the largest power of 2 ≤ count
        var file: [UInt8] = []
        append(UInt32(0x0001_0000), to: &file)
        append(UInt16(count), to: &file)
        append(UInt16(power * 16), to: &file)                              // searchRange
        append(UInt16(power.trailingZeroBitCount), to: &file)              // entrySelector
        append(UInt16(count * 16 - power * 16), to: &file)                 // rangeShift
        var offset = 12 + 16 * count
        for table in tables {
            file += Array(table.tag.utf8)
            append(checksum(table.data), to: &file)
            append(UInt32(offset), to: &file)
            append(UInt32(table.data.count), to: &file)
            offset += (table.data.count + 3) / 4 * 4
        }
        for table in tables {
            file += table.data
            file += [UInt8](repeating: 0, count: (4 - table.data.count % 4) % 4)
        }
        return file
    }

    /// The sum of the data as big-endian 32-bit words, the last padded with zeros.
    static func checksum(_ data: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index < data.count {
            var word: UInt32 = 0
            for byte in 0..<4 { word = word << 8 | UInt32(index + byte < data.count ? data[index + byte] : 0) }
            sum &+= word
            index += 4
        }
        return sum
    }

    /// Where a table of a file `assemble` wrote starts.
    private static func tableOffset(_ tag: String, in file: [UInt8]) -> Int {
        let count = Int(file[4]) << 8 | Int(file[5])
        let record = (0..<count).map { 12 + 16 * $0 }.first { Array(file[$0..<$0 + 4]) == Array(tag.utf8) }!
        return (record + 8..<record + 12).reduce(0) { $0 << 8 | Int(file[$1]) }
    }

    private static func append(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func put(_ value: some FixedWidthInteger, at offset: Int, in bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }
}
