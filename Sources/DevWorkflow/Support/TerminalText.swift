/// Text made safe to show where control characters would act instead of being seen: a terminal
/// (an `ESC [` sequence recolours, moves the cursor, retitles the window or worse), a
/// spreadsheet, a Markdown or HTML page. Data keeps what was given; only what is shown changes.
///
/// A C0 control character becomes its Control Pictures symbol (ESC is `␛`, U+241B), DEL `␡`; C1
/// controls (U+0080–U+009F, which some terminals obey as escape sequences too) and the
/// bidirectional overrides and isolates (which can reorder what a reader sees) become `�`.
/// Line feed and tab stay where a text may have lines (`lines`); `line` puts each line break and
/// tab as one space, for one-line output such as an error or a listing row.
package enum TerminalText {
    /// Text of several lines: line feeds and tabs kept, every other control shown.
    package static func lines(_ text: String) -> String { visible(text, keeping: ["\n", "\t"]) }

    /// Each line of `text` without the blanks it ends in (an empty last column, a value left
    /// empty): noise on a terminal, and in a file a script compares.
    package static func trimmingTrailingBlanks(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// One line: each line break (CRLF, CR or LF) and each tab one space (a tab in a title
    /// would push a listing row's columns apart), every other control shown.
    package static func line(_ text: String) -> String {
        let joined = text.contains(where: { $0.isNewline || $0 == "\t" })
            ? text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ") : text
        return visible(joined, keeping: [])
    }

    /// The text with every control character but those in `keeping` shown as described above.
    package static func visible(_ text: String, keeping: Set<Unicode.Scalar>) -> String {
        guard text.unicodeScalars.contains(where: { needsShowing($0) && !keeping.contains($0) }) else { return text }
        var shown = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keeping.contains(scalar) || !needsShowing(scalar) {
                shown.append(scalar)
            } else if scalar.value < 0x20 {
                shown.append(Unicode.Scalar(0x2400 + scalar.value)!)
            } else if scalar.value == 0x7F {
                shown.append("\u{2421}")
            } else {
                shown.append("\u{FFFD}")
            }
        }
        return String(shown)
    }

    /// Whether a scalar is a control a terminal or a page would act on.
    package static func needsShowing(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
