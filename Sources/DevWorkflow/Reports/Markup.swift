/// Escaping for the text formats that have markup: HTML (and SVG inside it) and Markdown.
enum Markup {
    /// `text` escaped for HTML with a break opportunity (`<wbr>`) after each `_`, `-`, `.` and
    /// `/` that a letter follows, and after 32 characters that had none (a digest in two halves):
    /// a long file name breaks where a reader expects, never inside a word. Copied, it is whole.
    static func breakableHTML(_ text: String) -> String {
        var escaped = ""
        var previous: Character = " "
        var run = 0
        for character in text {
            if ("_-./".contains(previous) && !character.isWhitespace && !"_-./".contains(character)) || run == 32 {
                escaped += "<wbr>"
                run = 0
            }
            escaped += html(String(character))
            previous = character
            run = character.isWhitespace ? 0 : run + 1
        }
        return escaped
    }

    /// Text safe in HTML/SVG content and in quoted attribute values: `& < > " '` escaped, and
    /// control characters (not allowed in HTML, and obeyed by a terminal showing the file) shown
    /// as `TerminalText` shows them; tab and line breaks stay.
    static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if TerminalText.needsShowing(scalar) {
                    escaped += TerminalText.visible(String(scalar), keeping: [])
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// Text for a Markdown table cell or heading: the characters Markdown (GFM) would read as
    /// syntax or HTML are backslash-escaped, `|` included, and line breaks become `<br>` (or
    /// spaces where `lineBreak` says so); other control characters are shown as `TerminalText`
    /// shows them.
    static func markdown(_ text: String, lineBreak: String = "<br>") -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "~":
                escaped += "\\"
                escaped.unicodeScalars.append(scalar)
            case "\r": escaped += lineBreak
            case "\n": if !afterCR { escaped += lineBreak }
            case "\t": escaped.unicodeScalars.append(scalar)
            default:
                // A control character would act in the terminal that shows the file: show it.
                if TerminalText.needsShowing(scalar) {
                    escaped += TerminalText.visible(String(scalar), keeping: [])
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }
}
