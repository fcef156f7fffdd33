extension PDFFont {
    /// The lines `text` takes when set at `size` points in `width` points, by the glyphs' real widths.
    ///
    /// Lines break at spaces and at the text's own line breaks (an empty paragraph stays an empty
    /// line); no-break spaces hold (`1 500,00 €` stays whole). A word wider than the line breaks
    /// after its last `-`, `_`, `.` or `/` that fits, else between characters. Pass text in NFC.
    func lines(_ text: String, width: Double, size: Double) -> [String] {
        // A hair over the width still fits: 32 Courier digits at 8 points add up to 153.60000000000002.
        let width = width + 1e-9
        var lines: [String] = []
        let space = self.width(of: " ", size: size)
        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = ""
            var lineWidth = 0.0
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                let wordWidth = self.width(of: word, size: size)
                if line.isEmpty, wordWidth <= width {
                    (line, lineWidth) = (String(word), wordWidth)
                } else if !line.isEmpty, lineWidth + space + wordWidth <= width {
                    line += " " + word
                    lineWidth += space + wordWidth
                } else {
                    if !line.isEmpty { lines.append(line) }
                    var rest = Substring(word)
                    while self.width(of: rest, size: size) > width {
                        let piece = longestPrefix(of: rest, fitting: width, size: size)
                        lines.append(String(piece))
                        rest = rest[piece.endIndex...]
                    }
                    (line, lineWidth) = (String(rest), self.width(of: rest, size: size))
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// The longest start of `word` that fits, ending after a break character when one fits;
    /// at least one character, so that a line always moves on.
    private func longestPrefix(of word: Substring, fitting width: Double, size: Double) -> Substring {
        // Called with the width that already allows for rounding.
        var end = word.startIndex
        var used = 0.0
        var lastBreak: Substring.Index?
        while end < word.endIndex {
            let character = word[end]
            let characterWidth = self.width(of: String(character), size: size)
            if used + characterWidth > width, end > word.startIndex { break }
            used += characterWidth
            end = word.index(after: end)
            if "-_./".contains(character), end < word.endIndex { lastBreak = end }
        }
        return word[..<(lastBreak ?? end)]
    }
}
