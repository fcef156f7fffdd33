/// One page of a `PDFDocument`: what is drawn on it, in PDF's coordinates (points, 1/72 inch, from
/// the bottom left corner), in drawing order.
///
/// Text is kept as text until the document is written, so the document gives out its extra
/// character codes in page order and the same pages always give the same bytes.
struct PDFPage: Sendable {
    /// A grey level: 0 black, 1 white.
    typealias Gray = Double

    enum Operation: Sendable {
        case text(String, x: Double, y: Double, font: PDFFont, size: Double, gray: Gray)
        case line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, gray: Gray)
        case rectangle(x: Double, y: Double, width: Double, height: Double, fill: Gray?, stroke: Gray?, lineWidth: Double)
    }

    /// A4 portrait.
    static let a4 = (width: 595.28, height: 841.89)

    let width: Double
    let height: Double
    private(set) var operations: [Operation] = []

    init(width: Double = PDFPage.a4.width, height: Double = PDFPage.a4.height) {
        self.width = width
        self.height = height
    }

    /// Text on one line, its baseline starting at (x, y). Pass it in NFC.
    mutating func text(_ text: String, x: Double, y: Double, font: PDFFont, size: Double, gray: Gray = 0) {
        guard !text.isEmpty else { return }
        operations.append(.text(text, x: x, y: y, font: font, size: size, gray: gray))
    }

    /// A straight line.
    mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double = 0.5, gray: Gray = 0) {
        operations.append(.line(x1: start.x, y1: start.y, x2: end.x, y2: end.y, width: width, gray: gray))
    }

    /// A rectangle from its bottom left corner, filled, stroked or both.
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: Gray? = nil, stroke: Gray? = nil, lineWidth: Double = 0.5) {
        operations.append(.rectangle(x: x, y: y, width: width, height: height, fill: fill, stroke: stroke, lineWidth: lineWidth))
    }

    /// The fonts the page uses.
    var fonts: Set<PDFFont> {
        Set(operations.compactMap { if case let .text(_, _, _, font, _, _) = $0 { return font } else { return nil } })
    }

    /// The content stream; `show` gives the string operand that draws a text in a font (the
    /// document's encodings give the codes, in page order).
    func contentStream(show: (String, PDFFont) -> String) -> String {
        var stream = ""
        for operation in operations {
            switch operation {
            case let .text(text, x, y, font, size, gray):
                stream += "BT /\(font.resourceName) \(n(size)) Tf \(n(gray)) g \(n(x)) \(n(y)) Td \(show(text, font)) Tj ET\n"
            case let .line(x1, y1, x2, y2, width, gray):
                stream += "q \(n(width)) w \(n(gray)) G \(n(x1)) \(n(y1)) m \(n(x2)) \(n(y2)) l S Q\n"
            case let .rectangle(x, y, width, height, fill, stroke, lineWidth):
                let path = "\(n(x)) \(n(y)) \(n(width)) \(n(height)) re"
                switch (fill, stroke) {
                case let (fill?, stroke?): stream += "q \(n(fill)) g \(n(stroke)) G \(n(lineWidth)) w \(path) B Q\n"
                case let (fill?, nil): stream += "q \(n(fill)) g \(path) f Q\n"
                case let (nil, stroke?): stream += "q \(n(stroke)) G \(n(lineWidth)) w \(path) S Q\n"
                case (nil, nil): break
                }
            }
        }
        return stream
    }

    private func n(_ value: Double) -> String { PDFPage.number(value) }

    /// A number as PDF writes it: at most two decimals, no exponent, no `-0`; the same value
    /// always gives the same text.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let magnitude = hundredths.magnitude
        let sign = hundredths < 0 ? "-" : ""
        let fraction = magnitude % 100
        guard fraction != 0 else { return "\(sign)\(magnitude / 100)" }
        let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(sign)\(magnitude / 100).\(digits)"
    }

    /// A hex string of two-byte codes (an embedded font's CIDs).
    static func hex(_ codes: [UInt16]) -> String {
        "<" + codes.map { PDFTextEncoding.hex($0, digits: 4) }.joined() + ">"
    }

    /// A literal string of codes: `(`, `)` and `\` escaped, every byte outside printable ASCII
    /// as an octal escape, so the file stays 7-bit text.
    static func literal(_ codes: [UInt8]) -> String {
        var text = "("
        for code in codes {
            switch code {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                text += "\\" + String(UnicodeScalar(code))
            case 0x20...0x7E:
                text.unicodeScalars.append(UnicodeScalar(code))
            default:
                let octal = String(code, radix: 8)
                text += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return text + ")"
    }
}
