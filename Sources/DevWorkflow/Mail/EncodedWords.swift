/// RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?iso-8859-15?Q?…?=`) in header text, decoded.
///
/// Whitespace between two encoded-words is dropped (RFC 2047 §6.2), and the bytes of adjacent
/// words in the same charset are joined before decoding, so a character split across two words
/// (some clients split UTF-8 mid-character) reads whole. A word that is not well formed, or whose
/// encoding is neither B nor Q, stays as written. Words are found anywhere, not only between
/// spaces: clients write `Re:=?UTF-8?…`, and readers decode it.
enum EncodedWords {
    private enum Piece {
        case text(Substring)
        case word(charset: String, bytes: [UInt8])
    }

    /// The text with its encoded-words decoded.
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let start = rest.range(of: "=?") {
            guard let (charset, bytes, end) = word(in: rest[start.lowerBound...]) else {
                pieces.append(.text(rest[..<start.upperBound]))
                rest = rest[start.upperBound...]
                continue
            }
            if start.lowerBound > rest.startIndex { pieces.append(.text(rest[..<start.lowerBound])) }
            pieces.append(.word(charset: charset, bytes: bytes))
            rest = rest[end...]
        }
        if !rest.isEmpty { pieces.append(.text(rest)) }

        var output = ""
        var pending: (charset: String, bytes: [UInt8])? = nil
        func flush() {
            if let word = pending { output += Charset.decode(word.bytes, label: word.charset) }
            pending = nil
        }
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case let .word(charset, bytes):
                if let word = pending, word.charset == charset {
                    pending!.bytes += bytes
                } else {
                    flush()
                    pending = (charset, bytes)
                }
            case let .text(text):
                // Only a word was before this text (a text flushes), so a blank text before
                // another word is the gap RFC 2047 drops.
                if pending != nil, index + 1 < pieces.count, case .word = pieces[index + 1],
                   text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) { continue }
                flush()
                output += text
            }
        }
        flush()
        return output
    }

    /// The encoded-word at the start of `text`: its charset (lower case, any `*language` removed),
    /// its bytes and where it ends; nil when it is not one.
    private static func word(in text: Substring) -> (String, [UInt8], Substring.Index)? {
        let body = text.dropFirst(2)
        let parts = body.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty, parts[1].count == 1, parts[3].hasPrefix("="),
              !parts[2].contains(where: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }),
              !parts[0].contains(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        let charset = String(parts[0].split(separator: "*", maxSplits: 1).first ?? "").lowercased()
        let encoded = parts[2]
        let bytes: [UInt8]
        switch parts[1] {
        case "B", "b":
            bytes = TransferEncoding.base64(Array(encoded.utf8))
        case "Q", "q":
            // Q: `_` is a space, `=XX` a byte.
            bytes = TransferEncoding.hexEscapes(Array(encoded.utf8), escape: UInt8(ascii: "="), underscoreIsSpace: true)
        default:
            return nil
        }
        return (charset, bytes, parts[3].index(after: parts[3].startIndex))
    }
}
