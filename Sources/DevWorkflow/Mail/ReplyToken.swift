/// The signed reply address of a message the product sends:
/// `reply+<request>.<recipient>.<code>@domain`, so a reply is tied to its request and recipient
/// and a forged one is told apart.
///
/// `code` is the first 80 bits of HMAC-SHA256, under a secret the database keeps, over the
/// request and the recipient (the login of the person the message went to; for a vendor, its first
/// person), in lower-case base32. The database makes and checks the codes of real mail (sql/0011). Request
/// and recipient travel in lower case (some mail servers lower-case local parts), so they compare
/// without regard to case: the code is made over the lower-case forms, and the caller looks them
/// up so. A character other than a letter, digit, `-` or `_` travels as `=` and two hex digits of
/// its UTF-8 bytes (`mari.maasikas` → `mari=2emaasikas`), so `.` only separates the fields.
///
/// ```swift
/// let address = ReplyToken(request: "VOLIS-12", recipient: "mari").address(secret: secret, domain: "devworkflow.example")
/// let token = try ReplyToken(verifying: address, secret: secret)   // request "volis-12", recipient "mari"
/// ```
public struct ReplyToken: Sendable, Hashable {
    /// The request's id, lower case.
    public let request: String
    /// The recipient's login, lower case.
    public let recipient: String

    /// The local part's prefix, before the `+`.
    public static let prefix = "reply"

    /// The token for a message about `request` to `recipient`.
    public init(request: String, recipient: String) {
        self.request = request.lowercased()
        self.recipient = recipient.lowercased()
    }

    /// `reply+<request>.<recipient>.<code>`.
    public func localPart(secret: [UInt8]) -> String { localPart(code: code(secret: secret)) }

    /// `reply+<request>.<recipient>.<code>` with a code made elsewhere (the database makes the
    /// codes of outgoing mail; see sql/0011).
    public func localPart(code: [UInt8]) -> String {
        "\(Self.prefix)+\(Self.escaped(request)).\(Self.escaped(recipient)).\(Base32.encode(code))"
    }

    /// `reply+<request>.<recipient>.<code>@domain`.
    public func address(secret: [UInt8], domain: String) -> String {
        localPart(secret: secret) + "@" + domain
    }

    /// `reply+<request>.<recipient>.<code>@domain` with a code made elsewhere.
    public func address(code: [UInt8], domain: String) -> String {
        localPart(code: code) + "@" + domain
    }

    /// Reads a reply address (or its local part) without checking its code: the token and the
    /// code it carries, for a checker that holds the secret (the database's `receive_mail`).
    ///
    /// Throws `invalidData` `error.reply_token_format` when the address is no reply address.
    public static func reading(_ address: String) throws -> (token: ReplyToken, code: [UInt8]) {
        let text = address.trimmingCharacters(in: .whitespaces)
        let local = text[..<(text.lastIndex(of: "@") ?? text.endIndex)].lowercased()
        let fields = local.hasPrefix(prefix + "+") ? local.dropFirst(prefix.count + 1).split(separator: ".", omittingEmptySubsequences: false) : []
        guard fields.count == 3, let request = unescaped(fields[0]), let recipient = unescaped(fields[1]),
              !request.isEmpty, !recipient.isEmpty, let code = Base32.decode(String(fields[2]))
        else { throw WorkflowError(.invalidData, Message("error.reply_token_format", ["address": "\(address.prefix(200))"])) }
        return (ReplyToken(request: request, recipient: recipient), code)
    }

    /// Reads the token of a reply address (or of its local part) and checks its code.
    ///
    /// Throws `invalidData`: `error.reply_token_format` when the address is no reply address,
    /// `error.reply_token_signature` when its code is not the one `secret` makes for its request
    /// and recipient (a forged or altered address). The code is compared in constant time.
    public init(verifying address: String, secret: [UInt8]) throws {
        let (token, code) = try Self.reading(address)
        guard HMAC.equal(code, token.code(secret: secret)) else {
            throw WorkflowError(.invalidData, Message("error.reply_token_signature", ["address": "\(address.prefix(200))"]))
        }
        self = token
    }

    /// The reply addresses among a message's recipients (`To`, `Cc`, `Delivered-To`,
    /// `X-Original-To`, `Envelope-To`) whose domain is `domain` (any, when nil), codes unchecked.
    public static func candidates(in message: MailMessage, domain: String? = nil) -> [MailAddress] {
        let delivered = ["Delivered-To", "X-Original-To", "Envelope-To"].flatMap { message.header.values($0) }.flatMap(MailAddress.list)
        let wanted = domain?.lowercased()
        return (message.to + message.cc + delivered).filter { address in
            address.localPart.lowercased().hasPrefix(prefix + "+") && (wanted == nil || address.domain.lowercased() == wanted)
        }
    }

    /// The first valid token among a message's reply addresses (see `candidates`); nil when no
    /// recipient is a reply address. Throws `error.reply_token_signature` when reply addresses
    /// are there but none is valid.
    public static func find(in message: MailMessage, secret: [UInt8], domain: String? = nil) throws -> ReplyToken? {
        var firstError: WorkflowError? = nil
        for candidate in candidates(in: message, domain: domain) {
            do { return try ReplyToken(verifying: candidate.address, secret: secret) } catch let error as WorkflowError { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
        return nil
    }

    /// The first 10 bytes of the HMAC over both fields, each preceded by its length so no two
    /// pairs sign the same bytes.
    private func code(secret: [UInt8]) -> [UInt8] {
        let message = "devworkflow-reply-v1\n\(request.utf8.count):\(request)\(recipient.utf8.count):\(recipient)"
        return Array(HMAC.sha256(key: secret, message: message).prefix(10))
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func escaped(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            if isPlain(byte) {
                output.append(Character(Unicode.Scalar(byte)))
            } else {
                output += "=" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return output
    }

    private static func unescaped(_ text: Substring) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "=") {
                guard index + 2 < bytes.count, TransferEncoding.hexValue(bytes[index + 1]) != nil,
                      TransferEncoding.hexValue(bytes[index + 2]) != nil else { return nil }
                index += 3
            } else {
                guard isPlain(bytes[index]) else { return nil }
                index += 1
            }
        }
        return String(validating: TransferEncoding.hexEscapes(bytes, escape: UInt8(ascii: "=")), as: UTF8.self)
    }
}
