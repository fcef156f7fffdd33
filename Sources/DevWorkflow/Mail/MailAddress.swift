import Foundation

/// A mailbox from an address header: an optional display name and `local@domain`.
///
/// `MailAddress.list(_:)` reads RFC 5322 address lists as clients write them: `Name <a@b>`,
/// `"Maasikas, Mari" <a@b>`, a bare `a@b`, `a@b (Name)`, groups (`Team: a@b, c@d;`), encoded-word
/// names (`=?UTF-8?Q?J=C3=BCri?= <a@b>`), comments anywhere. An entry without `local@domain` is
/// left out.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The display name, decoded; nil when there is none.
    public let name: String?
    /// `local@domain`, as written (quotes of a quoted local part kept).
    public let address: String

    /// A mailbox as given (no check that `address` is well formed).
    public init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// The part before the last `@`.
    public var localPart: String { String(address[..<(address.lastIndex(of: "@") ?? address.endIndex)]) }

    /// The part after the last `@`.
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...])
    }

    /// Whether this is `other`'s mailbox, comparing without regard to case (mail systems treat
    /// local parts so in practice, and domains are case-blind by definition).
    public func isSame(as other: String) -> Bool {
        address.caseInsensitiveCompare(other.trimmingCharacters(in: .whitespaces)) == .orderedSame
    }

    /// `Name <address>` or the address.
    public var description: String { name.map { "\($0) <\(address)>" } ?? address }

    private enum Token: Equatable {
        case atom(String)
        case quoted(String)
        case special(Character)
    }

    /// Every mailbox of an address-list header value, groups opened up.
    public static func list(_ value: String) -> [MailAddress] {
        let tokens = tokenize(value)
        var result: [MailAddress] = []
        var index = 0
        while index < tokens.count {
            // One entry: tokens up to `,` `;` or a group's `:`, with any `<…>` inside.
            var phrase: [Token] = []
            var angle: [Token]? = nil
            entry: while index < tokens.count {
                let token = tokens[index]
                index += 1
                switch token {
                case .special(","), .special(";"): break entry
                case .special(":") where angle == nil:
                    phrase = []  // a group's name: its members follow
                case .special("<"):
                    var inside: [Token] = []
                    while index < tokens.count, tokens[index] != .special(">") { inside.append(tokens[index]); index += 1 }
                    index += 1
                    angle = inside
                default:
                    if angle == nil { phrase.append(token) }
                }
            }
            if let angle {
                // An obsolete route (`<@relay:a@b>`) is dropped: the mailbox is after the last `:`.
                let spec = Array(angle.split(separator: .special(":")).last ?? [])
                if let address = addrSpec(spec) { result.append(MailAddress(name: displayName(phrase), address: address)) }
            } else if let address = addrSpec(phrase) {
                result.append(MailAddress(name: nil, address: address))
            }
        }
        return result
    }

    /// `local@domain` from tokens, or nil when they do not make one.
    private static func addrSpec(_ tokens: [Token]) -> String? {
        var text = ""
        for token in tokens {
            switch token {
            case let .atom(value): text += value
            case let .quoted(value): text += "\"" + value + "\""
            case let .special(character): text.append(character)
            }
        }
        guard let at = text.lastIndex(of: "@"), at > text.startIndex, text.index(after: at) < text.endIndex,
              !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "," }) else { return nil }
        return text
    }

    /// The display name: words joined by one space, `.` kept to its word, encoded-words decoded.
    private static func displayName(_ tokens: [Token]) -> String? {
        var text = ""
        for token in tokens {
            switch token {
            case let .atom(value), let .quoted(value):
                if !text.isEmpty && !text.hasSuffix(" ") { text += " " }
                text += value
            case let .special(character):
                text.append(character)
                if character == "." { text += " " }
            }
        }
        let name = EncodedWords.decode(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return name.isEmpty ? nil : name
    }

    /// Atoms, quoted strings and specials; comments and whitespace dropped.
    private static func tokenize(_ value: String) -> [Token] {
        var tokens: [Token] = []
        var atom = ""
        let characters = Array(HeaderParameters.removingComments(value))
        var index = 0
        func endAtom() {
            if !atom.isEmpty { tokens.append(.atom(atom)); atom = "" }
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            switch character {
            case "\"":
                endAtom()
                var text = ""
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    text.append(characters[index])
                    index += 1
                }
                index += 1
                tokens.append(.quoted(text))
            case " ", "\t", "\r", "\n":
                endAtom()
            case "<", ">", "@", ",", ";", ":", ".", "[", "]":
                endAtom()
                tokens.append(.special(character))
            case "=" where index < characters.count && characters[index] == "?" && atom.isEmpty:
                // An encoded-word is one word, whatever specials its text holds.
                var end = index + 1, marks = 1
                while end < characters.count, !(marks >= 4 && characters[end] == "=" && characters[end - 1] == "?") {
                    if characters[end] == "?" { marks += 1 }
                    end += 1
                }
                let stop = min(end + 1, characters.count)
                atom = String(characters[(index - 1)..<stop])
                index = stop
            default:
                atom.append(character)
            }
        }
        endAtom()
        return tokens
    }
}
