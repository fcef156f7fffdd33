import Foundation

/// The header fields of a message or of one MIME part, in order, unfolded.
///
/// Names compare without regard to case. Values are as written, folding removed (RFC 5322 §2.2.3)
/// and ends trimmed, with no encoded-word decoded: structured fields (addresses, parameters)
/// decode only their phrases and values, so the raw text is what each parser starts from.
/// Header bytes that are not UTF-8 (RFC 6532 allows UTF-8) are read as Windows-1252.
public struct MailHeader: Sendable, Equatable {
    /// One `Name: value` field.
    public struct Field: Sendable, Equatable {
        /// The name as written (compare without regard to case).
        public let name: String
        /// The value, unfolded and trimmed, encoded-words not decoded.
        public let value: String
    }

    /// Every field, in the order it was written.
    public private(set) var fields: [Field]

    init(fields: [Field]) { self.fields = fields }

    /// The value of the first field with this name, or nil.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The values of every field with this name, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The unstructured value (a subject) with its encoded-words decoded and runs of whitespace
    /// as one space.
    public func text(_ name: String) -> String? {
        self[name].map { EncodedWords.decode($0).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
    }

    /// The first `token` of a field (`auto-replied` of `Auto-Submitted: auto-replied (vacation)`),
    /// lower case, without comments and parameters; nil when the field is absent or empty.
    func token(_ name: String) -> String? {
        guard let value = self[name] else { return nil }
        let token = HeaderParameters.removingComments(value).split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return token.isEmpty ? nil : token
    }

    /// Parses the header lines of `bytes` (up to the empty line), returning the fields and where
    /// the body starts. Returns nil when the first line is not a field (a body with no header).
    /// Throws `invalidData` for a line that is neither a field nor its continuation, or for more
    /// fields than `maximumFields`.
    static func parse(_ bytes: ArraySlice<UInt8>, maximumFields: Int, strict: Bool) throws -> (MailHeader, bodyStart: Int)? {
        var fields: [Field] = []
        var current: (name: String, value: [UInt8])? = nil
        var lineNumber = 0
        var position = bytes.startIndex
        func finish() {
            guard let field = current else { return }
            let value = String(validating: field.value, as: UTF8.self) ?? Charset.windows1252.decode(field.value)
            fields.append(Field(name: field.name, value: value.trimmingCharacters(in: .whitespaces)))
            current = nil
        }
        while position < bytes.endIndex {
            let lineEnd = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            var line = bytes[position..<lineEnd]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let next = min(lineEnd + 1, bytes.endIndex)
            lineNumber += 1
            if line.isEmpty {
                finish()
                return (MailHeader(fields: fields), next)
            }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t"), current != nil {
                // Unfolding removes the line break and keeps the whitespace after it.
                current!.value += line
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
                      line[..<colon].allSatisfy({ $0 > 32 && $0 < 127 }) {
                finish()
                guard fields.count < maximumFields else {
                    throw WorkflowError(.invalidData, Message("error.mail_too_many_fields", ["limit": "\(maximumFields)"]))
                }
                current = (String(decoding: line[..<colon], as: UTF8.self), Array(line[(colon + 1)...]))
            } else if fields.isEmpty && current == nil {
                return nil
            } else if strict {
                throw WorkflowError(.invalidData, Message("error.mail_header_line", ["line": "\(lineNumber)"]))
            } else {
                // A part whose header breaks off: what follows is its body, as readers take it.
                finish()
                return (MailHeader(fields: fields), position)
            }
            position = next
        }
        finish()
        return fields.isEmpty ? nil : (MailHeader(fields: fields), bytes.endIndex)
    }
}

/// A structured value with parameters (`Content-Type`, `Content-Disposition`): its main token and
/// its parameters, RFC 2231 continuations and charsets (`filename*=UTF-8''%C3%B5`) decoded.
struct HeaderParameters: Sendable, Equatable {
    /// The value before the first `;`, lower case (`text/plain`, `attachment`).
    var value: String
    /// Parameters by lower-case name, decoded.
    var parameters: [String: String]

    init(_ text: String) {
        let pieces = Self.split(Self.removingComments(text)) { $0 == ";" }
        value = (pieces.first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        // RFC 2231 sections: name → [(index, extended, text)].
        var sections: [String: [(Int, Bool, String)]] = [:]
        var plain: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            var name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let raw = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let text = Self.unquoted(raw)
            var extended = false
            if name.hasSuffix("*") { extended = true; name.removeLast() }
            if let star = name.lastIndex(of: "*"), let index = Int(name[name.index(after: star)...]), index >= 0, index < 1000 {
                sections[String(name[..<star]), default: []].append((index, extended, text))
            } else if extended {
                sections[name, default: []].append((0, true, text))
            } else if plain[name] == nil {
                plain[name] = text
            }
        }
        for (name, parts) in sections {
            let ordered = parts.sorted { $0.0 < $1.0 }
            var charset: String? = nil
            var bytes: [UInt8] = []
            for (position, (_, extended, text)) in ordered.enumerated() {
                guard extended else { bytes += Array(text.utf8); continue }
                var encoded = Substring(text)
                if position == 0 {
                    // charset'language'value; either may be empty.
                    let fields = encoded.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 {
                        charset = fields[0].isEmpty ? nil : String(fields[0])
                        encoded = fields[2]
                    }
                }
                bytes += TransferEncoding.hexEscapes(Array(encoded.utf8), escape: UInt8(ascii: "%"))
            }
            plain[name] = Charset.decode(bytes, label: charset)
        }
        parameters = plain
    }

    /// The text with `(comments)` removed, quoted strings kept as written.
    static func removingComments(_ text: String) -> String {
        var output = ""
        var depth = 0, quoted = false, escaped = false
        for character in text {
            if escaped { escaped = false; if depth == 0 { output.append(character) }; continue }
            if character == "\\" && (quoted || depth > 0) { escaped = true; if depth == 0 { output.append(character) }; continue }
            if quoted {
                if character == "\"" { quoted = false }
                output.append(character)
            } else if character == "(" {
                depth += 1
            } else if character == ")" && depth > 0 {
                depth -= 1
            } else if depth == 0 {
                if character == "\"" { quoted = true }
                output.append(character)
            }
        }
        return output
    }

    /// Pieces of the text between separators outside quoted strings (quotes kept).
    static func split(_ text: String, omittingEmpty: Bool = false, at isSeparator: (Character) -> Bool) -> [String] {
        var pieces: [String] = []
        var current = ""
        var quoted = false, escaped = false
        for character in text {
            if escaped { escaped = false; current.append(character); continue }
            if character == "\\" && quoted { escaped = true; current.append(character); continue }
            if character == "\"" { quoted.toggle() }
            if isSeparator(character) && !quoted {
                if !(omittingEmpty && current.isEmpty) { pieces.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !(omittingEmpty && current.isEmpty) { pieces.append(current) }
        return pieces
    }

    /// A quoted string's content with its escapes removed, or the token as it is.
    static func unquoted(_ text: String) -> String {
        guard text.hasPrefix("\""), text.count >= 2 else { return text }
        var output = ""
        var escaped = false
        for character in text.dropFirst() {
            if escaped { output.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { break }
            output.append(character)
        }
        return output
    }
}
