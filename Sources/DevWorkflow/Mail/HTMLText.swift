/// Plain text from a mail's HTML body, for messages that have no text/plain alternative.
///
/// Not a browser: enough for what mail clients write. Paragraphs, `div`s, list items, table rows
/// and `<br>` start lines; a `blockquote` becomes `> ` lines (so the reply reader sees the quoted
/// part as in plain text); `script`, `style`, `head` and `title` are dropped; whitespace collapses
/// as HTML renders it except in `pre`; character references are decoded (named ones for the
/// letters and marks mail uses, every numeric one).
enum HTMLText {
    private static let blocks: Set<String> = [
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "pre", "blockquote",
        "address", "article", "section", "header", "footer", "dl", "dt", "dd", "center", "form",
    ]
    private static let hidden: Set<String> = ["script", "style", "head", "title", "template"]

    static func text(_ html: String) -> String {
        var lines: [String] = []
        var line = ""
        var quoteDepth = 0, preDepth = 0
        var hiddenUntil: String? = nil
        var pendingSpace = false

        func breakLine() {
            let trimmed = preDepth > 0 ? line : line.trimmingTrailingWhitespace
            lines.append(String(repeating: "> ", count: quoteDepth) + trimmed)
            line = ""
            pendingSpace = false
        }
        func add(_ text: String) {
            for character in text {
                if preDepth > 0 {
                    if character == "\n" { breakLine() } else { line.append(character) }
                } else if character == " " || character == "\t" || character == "\n" || character == "\r" {
                    pendingSpace = !line.isEmpty
                } else {
                    if pendingSpace { line.append(" ") }
                    pendingSpace = false
                    line.append(character)
                }
            }
        }

        let characters = Array(html)
        var index = 0
        var text = ""
        while index < characters.count {
            let character = characters[index]
            guard character == "<" else {
                text.append(character)
                index += 1
                continue
            }
            if hiddenUntil == nil { add(decodeReferences(text)) }
            text = ""
            // A comment or declaration ends at `-->` or `>`.
            if characters[index...].starts(with: "<!--") {
                index = find("-->", in: characters, from: index + 4).map { $0 + 3 } ?? characters.count
                continue
            }
            let close = characters[index...].firstIndex(of: ">") ?? characters.count
            let tag = String(characters[(index + 1)..<close])
            index = close + 1
            let isEnd = tag.hasPrefix("/")
            let name = tag.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
            if let hiddenTag = hiddenUntil {
                if isEnd && name == hiddenTag { hiddenUntil = nil }
                continue
            }
            if hidden.contains(name) && !isEnd && !tag.hasSuffix("/") { hiddenUntil = name; continue }
            guard blocks.contains(name) else { continue }
            if name == "br" || !line.isEmpty { breakLine() }
            switch (name, isEnd) {
            case ("blockquote", false): quoteDepth += 1
            case ("blockquote", true): quoteDepth = max(0, quoteDepth - 1)
            case ("pre", false): preDepth += 1
            case ("pre", true): preDepth = max(0, preDepth - 1)
            case ("li", false): line = "- "
            default: break
            }
        }
        if hiddenUntil == nil { add(decodeReferences(text)) }
        if !line.isEmpty { breakLine() }
        // Blank runs as one blank line; none at either end.
        var result: [String] = []
        for line in lines {
            let blank = line.allSatisfy { $0 == " " || $0 == ">" }
            if blank && (result.last.map { $0.allSatisfy { $0 == " " || $0 == ">" } } ?? true) { continue }
            result.append(blank ? String(line.prefix(while: { $0 == ">" || $0 == " " })).trimmingTrailingWhitespace : line)
        }
        while let last = result.last, last.allSatisfy({ $0 == " " || $0 == ">" }) { result.removeLast() }
        return result.joined(separator: "\n")
    }

    private static func find(_ needle: String, in characters: [Character], from start: Int) -> Int? {
        let pattern = Array(needle)
        var index = start
        while index + pattern.count <= characters.count {
            if characters[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "shy": "",
        "euro": "€", "copy": "©", "reg": "®", "trade": "™", "deg": "°", "para": "¶", "sect": "§", "middot": "·", "bull": "•",
        "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”",
        "bdquo": "„", "laquo": "«", "raquo": "»", "times": "×", "divide": "÷", "zwnj": "\u{200C}", "zwj": "\u{200D}",
        "auml": "ä", "Auml": "Ä", "ouml": "ö", "Ouml": "Ö", "uuml": "ü", "Uuml": "Ü", "otilde": "õ", "Otilde": "Õ",
        "scaron": "š", "Scaron": "Š", "zcaron": "ž", "Zcaron": "Ž", "aring": "å", "Aring": "Å", "eacute": "é", "Eacute": "É",
        "egrave": "è", "agrave": "à", "aacute": "á", "oacute": "ó", "iacute": "í", "uacute": "ú", "ccedil": "ç", "szlig": "ß",
        "oslash": "ø", "Oslash": "Ø", "aelig": "æ", "AElig": "Æ",
    ]

    /// `&amp;`, `&#245;`, `&#xF5;` … decoded; an unknown or unterminated reference stays as written.
    static func decodeReferences(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
            var replacement: String? = nil
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if name.hasPrefix("#") {
                replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                replacement = entities[String(name)]
            }
            guard let replacement, !name.isEmpty else {
                output += "&"
                rest = after
                continue
            }
            output += replacement
            rest = after[name.endIndex...]
            if rest.first == ";" { rest = rest.dropFirst() }
        }
        return output + rest
    }
}
