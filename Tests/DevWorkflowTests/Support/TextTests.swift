import Foundation
import Testing
@testable import DevWorkflow

/// What `Whitespace` and the JSON writer do by hand agrees with what did it before: Foundation's
/// character sets and trimming, and a JSON parser reading the text back.
@Suite struct TextTests {
    @Test func theBlankSetsAreFoundations() {
        // Every scalar of the Basic Multilingual Plane and the first supplementary one.
        let scalars: [Unicode.Scalar] = (0...0x1FFFF).compactMap(Unicode.Scalar.init)
        let blank = scalars.filter(Whitespace.isBlank)
        #expect(blank == scalars.filter(CharacterSet.whitespaces.contains))
        #expect(scalars.filter(Whitespace.isBlankOrBreak) == scalars.filter(CharacterSet.whitespacesAndNewlines.contains))
        #expect(blank.count > 10, "the tab, the space and the other space separators")
    }

    /// Random texts of the pieces that matter (blanks of several kinds, breaks, a combining mark,
    /// "\r\n", letters outside ASCII, what JSON escapes and what a terminal would obey).
    static func texts(count: Int) -> [String] {
        let pieces = [" ", "\t", "\u{A0}", "\u{200B}", "\u{3000}", "\n", "\r\n", "\u{2028}", "\u{85}", "\u{0B}", "11", "x", "é", "e\u{301}",
                      "🙂", "\"", "\\", "\u{1B}", "\u{9B}", "\u{202E}", "\u{7F}", "\u{0}", "days"]
        var generator = SplitMix64(seed: 20_261_204)
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
    }

    @Test func trimmingIsFoundations() {
        var trimmed = 0
        for text in Self.texts(count: 3_000) {
            let blanks = text.trimmingCharacters(in: .whitespaces), breaks = text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Whitespace.trimmed(text, Whitespace.isBlank) == blanks, "\(text.debugDescription)")
            #expect(Whitespace.trimmed(Substring(text), Whitespace.isBlank) == blanks, "\(text.debugDescription)")
            #expect(Whitespace.trimmed(text, Whitespace.isBlankOrBreak) == breaks, "\(text.debugDescription)")
            if breaks != text { trimmed += 1 }
        }
        #expect(trimmed > 1_000, "the texts have something to trim")
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
