/// RFC 2045's content transfer encodings, decoded leniently: a mail gateway reads what real
/// clients send, so a stray character is passed over (base64) or kept as it is (quoted-printable)
/// rather than refusing the message, as Python's `email` package does too.
enum TransferEncoding {
    /// The bytes a part's body stands for under the encoding its `Content-Transfer-Encoding`
    /// names; `7bit`, `8bit`, `binary` and unknown encodings are taken as they are.
    static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.lowercased() {
        case "base64"?: return base64(body)
        case "quoted-printable"?: return quotedPrintable(body)
        default: return Array(body)
        }
    }

    /// Base64 with line breaks and any other character outside the alphabet skipped; decoding
    /// stops at the first `=`. A final group of two or three characters gives its one or two bytes.
    static func base64<Bytes: Collection>(_ text: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var buffer: UInt32 = 0, bits = 0
        for character in text {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): return output
            default: continue
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }

    /// Quoted-printable: `=XX` is a byte, `=` at a line's end joins it to the next, whitespace
    /// before a line break is dropped (transports add it); a malformed `=` is kept as written.
    /// Hard line breaks stay as they were (CRLF or LF).
    static func quotedPrintable<Bytes: Collection>(_ text: Bytes) -> [UInt8] where Bytes.Element == UInt8, Bytes.Index == Int {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        let end = text.endIndex
        while index < end {
            let byte = text[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                // Whitespace that only runs up to a line break (or the end) was added in transit.
                var after = index
                while after < end, text[after] == UInt8(ascii: " ") || text[after] == UInt8(ascii: "\t") { after += 1 }
                if after == end || text[after] == UInt8(ascii: "\n") || (text[after] == UInt8(ascii: "\r") && after + 1 < end && text[after + 1] == UInt8(ascii: "\n")) {
                    index = after
                } else {
                    output.append(contentsOf: text[index..<after])
                    index = after
                }
                continue
            }
            guard byte == UInt8(ascii: "=") else {
                output.append(byte)
                index += 1
                continue
            }
            // A soft line break: `=`, optional whitespace, then CRLF or LF (or the end).
            var after = index + 1
            while after < end, text[after] == UInt8(ascii: " ") || text[after] == UInt8(ascii: "\t") { after += 1 }
            if after == end { index = after; continue }
            if text[after] == UInt8(ascii: "\n") { index = after + 1; continue }
            if text[after] == UInt8(ascii: "\r"), after + 1 < end, text[after + 1] == UInt8(ascii: "\n") { index = after + 2; continue }
            if index + 2 < end, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    /// `escape` and two hex digits as that byte (`%C3` in RFC 2231 values, `=C3` in RFC 2047's
    /// Q), `_` as a space when `underscoreIsSpace`; anything else, a malformed escape included,
    /// as it is.
    static func hexEscapes(_ text: [UInt8], escape: UInt8, underscoreIsSpace: Bool = false) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < text.count {
            if text[index] == escape, index + 2 < text.count, let high = hexValue(text[index + 1]), let low = hexValue(text[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(underscoreIsSpace && text[index] == UInt8(ascii: "_") ? UInt8(ascii: " ") : text[index])
                index += 1
            }
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
