import Foundation
import Testing
@testable import DevWorkflow

/// What the renderer and the JSON writer now do by hand agrees with what did it before:
/// Foundation's character sets, and a JSON parser reading the text back.
@Suite struct MessageTextTests {
    /// Every scalar of the Basic Multilingual Plane and the first supplementary one.
    static let scalars: [Unicode.Scalar] = (0...0x1FFFF).compactMap(Unicode.Scalar.init)

    @Test func theBlankSetsAreFoundations() {
        let scalars = Self.scalars
        let blank = scalars.filter(MessageRenderer.isBlank)
        #expect(blank == scalars.filter(CharacterSet.whitespaces.contains))
        #expect(scalars.filter(MessageRenderer.isBlankOrBreak) == scalars.filter(CharacterSet.whitespacesAndNewlines.contains))
        #expect(blank.count > 10, "the tab, the space and the other space separators")
    }

    /// Random texts of the pieces that matter (blanks of several kinds, breaks, the phrase, digits
    /// and separators before it, a combining mark, "\r\n", letters outside ASCII), each handled
    /// both ways.
    static func texts(count: Int) -> [String] {
        let pieces = [" ", "\t", "\u{A0}", "\u{200B}", "\u{3000}", "\n", "\r\n", "\u{2028}", "\u{85}", "1 business days", "1 business day", "11",
                      "2.", "3,", "1", "x", "é", "e\u{301}", "🙂", "\"", "\\", "\u{1B}", "\u{9B}", "\u{202E}", "\u{7F}", "\u{0}", "days"]
        var generator = SplitMix64(seed: 20_261_204)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
    }

    @Test func trimmingIsFoundations() {
        for text in Self.texts(count: 3_000) {
            #expect(MessageRenderer.trimmed(Substring(text), MessageRenderer.isBlank) == text.trimmingCharacters(in: .whitespaces),
                    "\(text.debugDescription)")
            #expect(MessageRenderer.trimmed(Substring(text), MessageRenderer.isBlankOrBreak)
                    == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
    }

    @Test func jsonStringsReadBackAndShowNoControls() throws {
        for text in Self.texts(count: 3_000) {
            var line = ""
            JSONValue.writeString(text, to: &line)
            let read = try JSONSerialization.jsonObject(with: Data("[\(line)]".utf8)) as? [String]
            #expect(read == [text], "\(text.debugDescription) → \(line)")
            #expect(!line.unicodeScalars.contains(where: TerminalText.needsShowing), "\(line)")
        }
    }
}
