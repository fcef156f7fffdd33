import Foundation

/// What the terminal a program writes to is like.
package enum Terminal {
    /// Whether a file descriptor is a terminal.
    package static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// The width text should wrap to: `$COLUMNS` when set (as git and less read it), else the
    /// terminal's own width when `descriptor` is one (TIOCGWINSZ), else 80; never below 40.
    package static func width(environment: [String: String], descriptor: Int32?) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return max(40, columns) }
        if let descriptor, isTerminal(descriptor) {
            var size = winsize()
            if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return max(40, Int(size.ws_col)) }
        }
        return 80
    }

    /// Breaks a paragraph into lines of at most `width` characters (a word longer than that
    /// stands alone), the first starting with `first`, the others with `rest` (the indents count).
    package static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        wrap(words: text.split(separator: " ", omittingEmptySubsequences: true).map(String.init), width: width, first: first, rest: rest)
    }

    /// One line of text broken at its spaces into lines of at most `width` characters (a word
    /// longer than that stands alone), keeping the spacing inside each piece: columns of a line
    /// that fits stay aligned. The first line starts with `first`, the others with `rest`.
    package static func breaking(_ line: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var head = first
        var remaining = Substring(line)
        while head.count + remaining.count > width {
            let room = max(1, width - head.count)
            // The last space that leaves a piece within the room, else the first space at all; never
            // the space between a number and its unit ("24 %", "12,50 h").
            func breakable(_ index: Substring.Index) -> Bool {
                guard remaining[index] == " " else { return false }
                let after = remaining[remaining.index(after: index)...]
                guard let next = after.first else { return true }
                if next == "%" || next == "€" { return false }
                return !(next == "h" && !(after.dropFirst().first?.isLetter ?? false))
            }
            let window = remaining.prefix(room + 1)
            guard let cut = window.indices.last(where: breakable) ?? remaining.indices.first(where: breakable) else { break }
            var piece = remaining[..<cut]
            while piece.last == " " { piece = piece.dropLast() }
            if piece.isEmpty { remaining = remaining[cut...].drop { $0 == " " }; continue }
            lines.append(head + piece)
            remaining = remaining[cut...].drop { $0 == " " }
            head = rest
        }
        lines.append(head + remaining)
        return lines
    }

    /// As `wrap(_:width:first:rest:)`, of words given one by one (a word may hold spaces).
    package static func wrap(words: [String], width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var empty = true
        for word in words {
            if !empty && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        if !empty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
