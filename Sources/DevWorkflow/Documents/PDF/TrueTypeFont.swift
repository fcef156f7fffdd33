import Foundation

/// A TrueType font file, read for drawing text into a PDF: which glyph shows a character, how wide
/// it is, its outline's bytes, and the metrics a PDF's font descriptor names.
///
/// Only what a PDF needs is read: `head`, `hhea`, `maxp`, `hmtx`, `loca` and `glyf`, and when
/// present `cmap` (formats 4 and 12; a font without one, like a subset, maps no character),
/// `OS/2` (cap height, weight), `post` (italic angle, fixed pitch) and `name` (the PostScript
/// name). Everything is checked when the file is read — every table inside the file, every
/// outline inside `glyf` read through, every composite glyph's parts — so a truncated or
/// malformed file throws `TrueTypeFont.Error` here, and nothing later can trap.
///
/// A class because a loaded font is one thing shared by every text drawn with it: fonts compare by
/// identity, and the file's bytes are never copied. Immutable, hence `Sendable`.
final class TrueTypeFont: Hashable, Sendable {
    /// A glyph's part in a composite glyph: which glyph, and where its id is in the outline's bytes
    /// (a subset renumbers the glyphs and rewrites it there).
    struct Component: Equatable, Sendable {
        let glyph: UInt16
        /// The id's offset from the start of the composite glyph's outline.
        let offset: Int
    }

    /// The font's box around every glyph, in font units.
    struct Box: Equatable, Sendable {
        let xMin, yMin, xMax, yMax: Int
    }

    /// The font's name in PDF (`LiberationSans-Bold`): `name` table entry 6, else `fallbackName`.
    let postScriptName: String
    /// Font units to the em (2048 for the Liberation fonts).
    let unitsPerEm: Int
    let boundingBox: Box
    /// Above and below the baseline (`hhea`; the descender is negative).
    let ascender: Int
    let descender: Int
    /// Height of capital letters (`OS/2` version 2 and later, else the ascender).
    let capHeight: Int
    /// Degrees counter-clockwise from vertical; negative for a font that leans right (`post`).
    let italicAngle: Double
    /// 100 (thin) to 900 (black); 400 is regular, 700 bold (`OS/2`, else 400).
    let weight: Int
    let isFixedPitch: Bool
    let glyphCount: Int

    /// The whole file; `glyphRanges`, `tables` and the components' offsets point into it.
    let bytes: [UInt8]
    /// Where each table is in `bytes`, by tag.
    let tables: [String: Range<Int>]
    private let glyphByScalar: [UInt32: UInt16]
    private let advances: [UInt16]
    private let leftSideBearings: [Int16]
    private let glyphRanges: [Range<Int>]
    private let components: [UInt16: [Component]]
    private let instructions: [UInt16: Range<Int>]

    /// Reads a font from a file's bytes. `fallbackName` names it when it has no PostScript name.
    init(bytes: [UInt8], fallbackName: String = "TrueType") throws(Error) {
        let file = TrueTypeBytes(bytes: bytes, part: "the table directory")
        let version = try file.u32(0)
        guard version == 0x0001_0000 || version == 0x7472_7565 else {  // 'true': Apple's TrueType
            let what = version == 0x4F54_544F ? "an OpenType font with CFF outlines" : (version == 0x7474_6366 ? "a font collection" : "not a TrueType font")
            throw Error(version == 0x4F54_544F || version == 0x7474_6366 ? .unsupported : .malformed, "\(what) (the file starts 0x\(PDFTextEncoding.hex(version, digits: 8)))")
        }
        var tables: [String: Range<Int>] = [:]
        for index in 0..<Int(try file.u16(4)) {
            let record = 12 + 16 * index
            let tag = String(decoding: try file.slice(record, 4), as: UTF8.self)
            let offset = Int(try file.u32(record + 8)), length = Int(try file.u32(record + 12))
            guard offset <= bytes.count, length <= bytes.count - offset else {
                throw Error(.truncated, "the table '\(tag)' (\(length) bytes at \(offset)) ends past the end of the file (\(bytes.count) bytes)")
            }
            tables[tag] = offset..<offset + length
        }
        func table(_ tag: String) throws(Error) -> TrueTypeBytes {
            guard let range = tables[tag] else { throw Error(.malformed, "the table '\(tag)' is missing") }
            return TrueTypeBytes(bytes: bytes, range: range, part: "the table '\(tag)'")
        }
        func optional(_ tag: String) -> TrueTypeBytes? {
            tables[tag].map { TrueTypeBytes(bytes: bytes, range: $0, part: "the table '\(tag)'") }
        }

        let head = try table("head")
        guard try head.u32(12) == 0x5F0F_3CF5 else { throw Error(.malformed, "the table 'head' has a wrong magic number") }
        unitsPerEm = Int(try head.u16(18))
        guard (16...16384).contains(unitsPerEm) else { throw Error(.malformed, "units per em \(unitsPerEm) is outside 16…16384") }
        boundingBox = Box(xMin: Int(try head.i16(36)), yMin: Int(try head.i16(38)), xMax: Int(try head.i16(40)), yMax: Int(try head.i16(42)))
        let locaFormat = try head.i16(50)
        guard locaFormat == 0 || locaFormat == 1 else { throw Error(.malformed, "indexToLocFormat is \(locaFormat), not 0 or 1") }

        glyphCount = Int(try table("maxp").u16(4))
        guard glyphCount > 0 else { throw Error(.malformed, "the font has no glyphs") }
        let hhea = try table("hhea")
        ascender = Int(try hhea.i16(4))
        descender = Int(try hhea.i16(6))
        let metricCount = Int(try hhea.u16(34))
        guard (1...glyphCount).contains(metricCount) else {
            throw Error(.malformed, "numberOfHMetrics is \(metricCount) for \(glyphCount) glyphs")
        }

        // Advance widths and left side bearings: the last advance repeats for the glyphs after
        // numberOfHMetrics (a monospaced font lists one).
        let hmtx = try table("hmtx")
        var advances: [UInt16] = [], bearings: [Int16] = []
        advances.reserveCapacity(glyphCount)
        bearings.reserveCapacity(glyphCount)
        for glyph in 0..<glyphCount {
            if glyph < metricCount {
                advances.append(try hmtx.u16(4 * glyph))
                bearings.append(try hmtx.i16(4 * glyph + 2))
            } else {
                advances.append(advances[metricCount - 1])
                bearings.append(try hmtx.i16(4 * metricCount + 2 * (glyph - metricCount)))
            }
        }
        self.advances = advances
        leftSideBearings = bearings

        // Where each glyph's outline is: loca holds glyphCount + 1 offsets into glyf, halved in
        // the short format. An empty range is a glyph without outline (a space).
        let loca = try table("loca"), glyf = try table("glyf")
        var offsets: [Int] = []
        offsets.reserveCapacity(glyphCount + 1)
        for index in 0...glyphCount {
            offsets.append(locaFormat == 0 ? 2 * Int(try loca.u16(2 * index)) : Int(try loca.u32(4 * index)))
        }
        // Each outline, read through to find where its data ends (the rest is padding), where its
        // hinting instructions are, and a composite glyph's parts.
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(glyphCount)
        var components: [UInt16: [Component]] = [:]
        var instructions: [UInt16: Range<Int>] = [:]
        for glyph in 0..<glyphCount {
            let (start, end) = (offsets[glyph], offsets[glyph + 1])
            guard start <= end, end <= glyf.count else {
                throw Error(.malformed, "glyph \(glyph)'s outline (\(start)..<\(end)) is not inside the table 'glyf' (\(glyf.count) bytes)")
            }
            guard start < end else {
                ranges.append(glyf.range.lowerBound + start..<glyf.range.lowerBound + start)
                continue
            }
            let outline = TrueTypeBytes(bytes: bytes, range: glyf.range.lowerBound + start..<glyf.range.lowerBound + end, part: "glyph \(glyph)'s outline")
            let layout = try Self.layout(of: outline, glyphCount: glyphCount)
            ranges.append(outline.range.lowerBound..<outline.range.lowerBound + layout.end)
            if !layout.components.isEmpty { components[UInt16(glyph)] = layout.components }
            if let range = layout.instructions { instructions[UInt16(glyph)] = range }
        }
        glyphRanges = ranges
        self.components = components
        self.instructions = instructions

        if let cmap = optional("cmap") {
            glyphByScalar = try TrueTypeFont.characterMap(cmap, glyphCount: glyphCount)
        } else {
            glyphByScalar = [:]
        }

        if let os2 = optional("OS/2") {
            weight = Int(try os2.u16(4))
            capHeight = try os2.u16(0) >= 2 && os2.count >= 90 ? Int(try os2.i16(88)) : ascender
        } else {
            (weight, capHeight) = (400, ascender)
        }
        if let post = optional("post") {
            italicAngle = Double(try post.i32(4)) / 65536
            isFixedPitch = try post.u32(12) != 0
        } else {
            (italicAngle, isFixedPitch) = (0, false)
        }
        postScriptName = try optional("name").flatMap { name throws(Error) in try Self.postScriptName(in: name) } ?? fallbackName
        self.bytes = bytes
        self.tables = tables
    }

    /// Reads the font file at `path`.
    convenience init(contentsOf path: String) throws(Error) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw Error(exists ? .unreadable : .missing, exists ? "cannot be read" : "does not exist", file: path)
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            try self.init(bytes: [UInt8](data), fallbackName: name)
        } catch {
            throw Error(error.code, error.detail, file: path)
        }
    }

    // MARK: - Glyphs

    /// The glyph that shows `scalar`, or nil when the font has none.
    func glyph(for scalar: Unicode.Scalar) -> UInt16? {
        glyphByScalar[scalar.value]
    }

    /// A glyph's advance width in font units.
    func advance(of glyph: UInt16) -> Int { Int(advances[Int(glyph)]) }

    /// A glyph's left side bearing in font units (a subset's `hmtx` keeps it).
    func leftSideBearing(of glyph: UInt16) -> Int16 { leftSideBearings[Int(glyph)] }

    /// A glyph's outline as it is in `glyf`, without the padding after it: empty for a glyph that
    /// draws nothing.
    func outline(of glyph: UInt16) -> ArraySlice<UInt8> { bytes[glyphRanges[Int(glyph)]] }

    /// The glyphs a composite glyph is made of, with where their ids are; empty for a simple glyph.
    func components(of glyph: UInt16) -> [Component] { components[glyph] ?? [] }

    /// Where a glyph's hinting instructions are in its outline, their two-byte length first; nil
    /// when it has none.
    func instructions(of glyph: UInt16) -> Range<Int>? { instructions[glyph] }

    /// A table's bytes, or nil when the font has none.
    func table(_ tag: String) -> ArraySlice<UInt8>? { tables[tag].map { bytes[$0] } }

    static func == (left: TrueTypeFont, right: TrueTypeFont) -> Bool { left === right }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    // MARK: - Reading the tables

    /// Flags of a composite glyph's part.
    static let argumentsAreWords: UInt16 = 0x0001, hasScale: UInt16 = 0x0008, moreComponents: UInt16 = 0x0020
    static let hasXYScale: UInt16 = 0x0040, hasTwoByTwo: UInt16 = 0x0080, hasInstructions: UInt16 = 0x0100

    /// Where an outline's data ends, where its instructions are (their length first), and a
    /// composite glyph's parts.
    private static func layout(of outline: TrueTypeBytes, glyphCount: Int) throws(Error) -> (end: Int, instructions: Range<Int>?, components: [Component]) {
        let contours = Int(try outline.i16(0))
        var parts: [Component] = []
        var offset = 10
        if contours < 0 {
            // Composite: part records (flags, glyph, offsets, maybe a scale), then the
            // instructions when a part's flags say so.
            var hinted = false
            while true {
                let flags = try outline.u16(offset)
                hinted = hinted || flags & hasInstructions != 0
                let glyph = try outline.u16(offset + 2)
                guard Int(glyph) < glyphCount else { throw Error(.malformed, "\(outline.part) names glyph \(glyph) of \(glyphCount)") }
                parts.append(Component(glyph: glyph, offset: offset + 2))
                offset += 4 + (flags & argumentsAreWords != 0 ? 4 : 2)
                if flags & hasScale != 0 { offset += 2 } else if flags & hasXYScale != 0 { offset += 4 } else if flags & hasTwoByTwo != 0 { offset += 8 }
                guard offset <= outline.count else { throw Error(.truncated, "\(outline.part) ends inside a component") }
                if flags & moreComponents == 0 { break }
            }
            guard hinted else { return (offset, nil, parts) }
            let length = Int(try outline.u16(offset))
            _ = try outline.slice(offset + 2, length)
            return (offset + 2 + length, offset..<offset + 2 + length, parts)
        }
        // Simple: the contours' last points, the instructions, then a flag byte per point (a flag
        // may say it repeats) and the coordinates, whose sizes the flags give.
        let points = contours == 0 ? 0 : Int(try outline.u16(10 + 2 * (contours - 1))) + 1
        let instructionsStart = 10 + 2 * contours
        let length = Int(try outline.u16(instructionsStart))
        offset = instructionsStart + 2 + length
        var read = 0, coordinates = 0
        while read < points {
            let flag = try outline.u8(offset)
            offset += 1
            var count = 1
            if flag & 0x08 != 0 {
                count += Int(try outline.u8(offset))
                offset += 1
            }
            let x = flag & 0x02 != 0 ? 1 : (flag & 0x10 != 0 ? 0 : 2)
            let y = flag & 0x04 != 0 ? 1 : (flag & 0x20 != 0 ? 0 : 2)
            coordinates += (x + y) * count
            read += count
        }
        guard read == points else { throw Error(.malformed, "\(outline.part) has flags for \(read) points, not \(points)") }
        _ = try outline.slice(offset, coordinates)
        return (offset + coordinates, length > 0 ? instructionsStart..<instructionsStart + 2 + length : nil, [])
    }

    /// Unicode to glyph from the best Unicode subtable: format 12 (every plane) when there is
    /// one, else format 4 (the Basic Multilingual Plane).
    private static func characterMap(_ cmap: TrueTypeBytes, glyphCount: Int) throws(Error) -> [UInt32: UInt16] {
        var best: (rank: Int, offset: Int)?
        for index in 0..<Int(try cmap.u16(2)) {
            let record = 4 + 8 * index
            let (platform, encoding) = (try cmap.u16(record), try cmap.u16(record + 2))
            let offset = Int(try cmap.u32(record + 4))
            guard platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10)) else { continue }
            let format = try cmap.u16(offset)
            let rank = format == 12 ? 2 : (format == 4 ? 1 : 0)
            if rank > 0, rank > (best?.rank ?? 0) { best = (rank, offset) }
        }
        guard let best else { throw Error(.unsupported, "the table 'cmap' has no Unicode subtable of format 4 or 12") }
        var map: [UInt32: UInt16] = [:]
        func add(_ scalar: UInt32, _ glyph: Int) {
            if glyph > 0, glyph < glyphCount, map[scalar] == nil { map[scalar] = UInt16(glyph) }
        }
        let table = best.offset
        if best.rank == 2 {
            let groups = Int(try cmap.u32(table + 12))
            guard groups <= (cmap.count - table) / 12 else { throw Error(.truncated, "the table 'cmap' ends inside its groups") }
            // Groups may overlap; all of them together still name no more characters than Unicode has.
            var named = 0
            for group in 0..<groups {
                let record = table + 16 + 12 * group
                let (first, last, glyph) = (try cmap.u32(record), try cmap.u32(record + 4), try cmap.u32(record + 8))
                named += Int(last) - Int(first) + 1
                guard first <= last, last <= 0x10FFFF, named <= 0x110000 else {
                    throw Error(.malformed, "the table 'cmap' has a group \(first)…\(last) beyond Unicode's characters")
                }
                for scalar in first...last { add(scalar, Int(glyph) + Int(scalar - first)) }
            }
            return map
        }
        let segments = Int(try cmap.u16(table + 6)) / 2
        let ends = table + 14, starts = ends + 2 * segments + 2
        let deltas = starts + 2 * segments, rangeOffsets = deltas + 2 * segments
        for segment in 0..<segments {
            let (first, last) = (UInt32(try cmap.u16(starts + 2 * segment)), UInt32(try cmap.u16(ends + 2 * segment)))
            let delta = Int(try cmap.u16(deltas + 2 * segment))
            let rangeOffset = Int(try cmap.u16(rangeOffsets + 2 * segment))
            guard first <= last else { continue }
            for scalar in first...last where scalar != 0xFFFF {
                if rangeOffset == 0 {
                    add(scalar, (Int(scalar) + delta) & 0xFFFF)
                } else {
                    // The offset counts from the idRangeOffset entry itself into glyphIdArray.
                    let glyph = Int(try cmap.u16(rangeOffsets + 2 * segment + rangeOffset + 2 * Int(scalar - first)))
                    if glyph != 0 { add(scalar, (glyph + delta) & 0xFFFF) }
                }
            }
        }
        return map
    }

    /// Name 6, the PostScript name, from a Windows (UTF-16) or Macintosh (Roman) record, with only
    /// the characters a PDF name and a PostScript name both allow.
    private static func postScriptName(in name: TrueTypeBytes) throws(Error) -> String? {
        let stringsStart = Int(try name.u16(4))
        for index in 0..<Int(try name.u16(2)) {
            let record = 6 + 12 * index
            guard try name.u16(record + 6) == 6 else { continue }
            let platform = try name.u16(record)
            let length = Int(try name.u16(record + 8)), offset = Int(try name.u16(record + 10))
            let raw = try name.slice(stringsStart + offset, length)
            let text: String
            switch platform {
            case 3, 0: text = String(decoding: stride(from: raw.startIndex, to: raw.endIndex - 1, by: 2).map { UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1]) }, as: UTF16.self)
            case 1: text = String(decoding: raw, as: Unicode.ASCII.self)
            default: continue
            }
            let clean = String(text.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-" || $0 == "_") }.map(Character.init))
            if !clean.isEmpty { return String(clean.prefix(63)) }
        }
        return nil
    }
}

/// Big-endian reads from part of a font file that throw, naming the part, when they would go past
/// its end: a font file is input, and input never traps.
struct TrueTypeBytes {
    let bytes: [UInt8]
    let range: Range<Int>
    /// What this part is, for the error (`the table 'glyf'`).
    let part: String

    init(bytes: [UInt8], range: Range<Int>? = nil, part: String) {
        self.bytes = bytes
        self.range = range ?? bytes.indices
        self.part = part
    }

    var count: Int { range.count }

    func slice(_ offset: Int, _ length: Int) throws(TrueTypeFont.Error) -> ArraySlice<UInt8> {
        guard offset >= 0, length >= 0, offset <= range.count, length <= range.count - offset else {
            throw TrueTypeFont.Error(.truncated, "\(part) ends before byte \(offset + length) (it has \(range.count))")
        }
        return bytes[range.lowerBound + offset..<range.lowerBound + offset + length]
    }

    func u8(_ offset: Int) throws(TrueTypeFont.Error) -> UInt8 { try slice(offset, 1).first! }

    func u16(_ offset: Int) throws(TrueTypeFont.Error) -> UInt16 {
        let bytes = try slice(offset, 2)
        return UInt16(bytes[bytes.startIndex]) << 8 | UInt16(bytes[bytes.startIndex + 1])
    }

    func i16(_ offset: Int) throws(TrueTypeFont.Error) -> Int16 { Int16(bitPattern: try u16(offset)) }

    func u32(_ offset: Int) throws(TrueTypeFont.Error) -> UInt32 {
        UInt32(try u16(offset)) << 16 | UInt32(try u16(offset + 2))
    }

    func i32(_ offset: Int) throws(TrueTypeFont.Error) -> Int32 { Int32(bitPattern: try u32(offset)) }
}
