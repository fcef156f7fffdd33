import Foundation

/// An incoming e-mail (RFC 5322 with MIME), read into what the mail gateway decides on: who sent
/// it, what it answers, whether it was authenticated or sent by a machine, its text and its files.
///
/// ```swift
/// let message = try MailMessage(parsing: Array(FileHandle.standardInput.readDataToEndOfFile()))
/// guard !message.isAutomatic, message.authenticationFailure == nil else { … }
/// let content = try ReplyContent(parsing: message.text)
/// ```
///
/// The text is the first text/plain part that is not an attachment, else the first text/html
/// one turned into text (the choice Python's `email` makes with `get_body(('plain', 'html'))`).
/// Every other leaf part is an attachment, except alternatives of the text (text/plain or
/// text/html with no file name that are not attachments) and signatures of signed mail.
public struct MailMessage: Sendable {
    /// Where `text` came from.
    public enum TextSource: String, Sendable {
        case plain, html, none
    }

    /// The top-level header fields, raw.
    public let header: MailHeader
    /// `Message-ID` without its angle brackets.
    public let messageID: String?
    /// The ids `In-Reply-To` names, without angle brackets.
    public let inReplyTo: [String]
    /// The ids `References` names, oldest first, without angle brackets.
    public let references: [String]
    /// The authors (`From`; usually one): whose address must be the person's or vendor's.
    public let from: [MailAddress]
    /// Where the sender wants answers (`Reply-To`), if anywhere else.
    public let replyTo: [MailAddress]
    /// The recipients: `To`.
    public let to: [MailAddress]
    /// The recipients: `Cc`.
    public let cc: [MailAddress]
    /// The subject, encoded-words decoded; empty when there is none.
    public let subject: String
    /// `Auto-Submitted`'s value in lower case (`no`, `auto-replied`, `auto-generated`), if any.
    public let autoSubmitted: String?
    /// `Precedence`'s value in lower case (`bulk`, `list`, `junk`), if any.
    public let precedence: String?
    /// Every `Authentication-Results` header, top (the receiving server's) first.
    public let authenticationResults: [AuthenticationResults]
    /// The message's text, line ends as `\n`.
    public let text: String
    /// Whether `text` was a text/plain part, HTML turned into text, or there was none.
    public let textSource: TextSource
    /// The files, in the order they appear.
    public let attachments: [MailAttachment]
    /// The top-level media type, lower case (`multipart/mixed`).
    public let mediaType: String

    /// Reads a whole message as an MTA delivers it (CRLF or LF line ends; a leading mbox `From `
    /// line is skipped).
    ///
    /// Throws an `invalidData` `WorkflowError` for input that is not a message (empty, or not
    /// starting with a header field), a broken header line, a multipart without a boundary, or a
    /// message over `limits` (size, parts, nesting, fields); its `text.key` says which.
    public init(parsing bytes: [UInt8], limits: MailLimits = MailLimits()) throws {
        var parser = MIMEParser(limits: limits)
        let root = try parser.message(bytes)
        header = root.header
        mediaType = root.mediaType
        messageID = Self.messageIDs(header["Message-ID"] ?? "").first
        inReplyTo = Self.messageIDs(header.values("In-Reply-To").joined(separator: " "))
        references = Self.messageIDs(header.values("References").joined(separator: " "))
        from = MailAddress.list(header.values("From").joined(separator: ", "))
        replyTo = MailAddress.list(header.values("Reply-To").joined(separator: ", "))
        to = MailAddress.list(header.values("To").joined(separator: ", "))
        cc = MailAddress.list(header.values("Cc").joined(separator: ", "))
        subject = header.text("Subject") ?? ""
        autoSubmitted = header.token("Auto-Submitted")
        precedence = header.token("Precedence")
        authenticationResults = header.values("Authentication-Results").map(AuthenticationResults.init)

        let body = Self.body(of: root)
        switch body.map(\.mediaType) {
        case "text/plain"?: (text, textSource) = (body!.text, .plain)
        case "text/html"?: (text, textSource) = (HTMLText.text(body!.text), .html)
        default: (text, textSource) = ("", .none)
        }
        var files: [MailAttachment] = []
        Self.collectAttachments(root, skipping: body, into: &files)
        attachments = files
    }

    /// Whether a machine sent this (an auto-reply, a bounce, a list): such a message is never
    /// answered, so two robots cannot write to each other forever. True for `Auto-Submitted`
    /// other than `no`, `Precedence: bulk | junk | list | auto_reply`, `X-Autoreply` or
    /// `X-Autorespond`, a delivery report (`multipart/report`) or an empty `Return-Path` (`<>`).
    public var isAutomatic: Bool {
        if let autoSubmitted, autoSubmitted != "no" { return true }
        if let precedence, ["bulk", "junk", "list", "auto_reply"].contains(precedence) { return true }
        if header["X-Autoreply"] != nil || header["X-Autorespond"] != nil || mediaType == "multipart/report" { return true }
        if let returnPath = header["Return-Path"], returnPath.filter({ !$0.isWhitespace }) == "<>" { return true }
        return false
    }

    /// The first DKIM or SPF result that failed (see `AuthenticationResults.Result.failed`), in any
    /// `Authentication-Results` header; nil when none did.
    ///
    /// Every header is read, not only the receiving server's: a header the sender forged can only
    /// make its own message look worse, never hide the failure the receiving server recorded.
    public var authenticationFailure: AuthenticationResults.Result? { authentication(trusting: nil).failure }

    /// What the DKIM and SPF results say of the message: whether one passed, and the first that
    /// failed. With `authservID`, only that server's headers are read (a sender can write one of
    /// its own); without, every header.
    public func authentication(trusting authservID: String?) -> (passed: Bool, failure: AuthenticationResults.Result?) {
        let checks = authenticationResults.filter { authservID == nil || $0.authservID == authservID }
            .flatMap(\.results).filter { ["dkim", "spf"].contains($0.method) }
        let passed = checks.contains { $0.result == "pass" }
        // Trusting a server, its first result that is not a pass (neutral, none) is why a message
        // is refused when nothing failed outright.
        return (passed, checks.first(where: \.failed) ?? (authservID != nil && !passed ? checks.first : nil))
    }

    /// `<a@b> <c@d>` (and, leniently, bare `a@b` words) as ids without brackets.
    static func messageIDs(_ value: String) -> [String] {
        let text = HeaderParameters.removingComments(value)
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].filter { !$0.isWhitespace }
            if !id.isEmpty { ids.append(String(id)) }
            rest = rest[rest.index(after: close)...]
        }
        if ids.isEmpty { ids = text.split(whereSeparator: \.isWhitespace).filter { $0.contains("@") }.map(String.init) }
        return ids
    }

    /// The text part, found as Python's `get_body(preferencelist=('plain', 'html'))` finds it:
    /// depth first, attachments skipped, in `multipart/related` only its start part.
    static func body(of root: MIMEEntity) -> MIMEEntity? {
        var html: MIMEEntity? = nil
        func search(_ entity: MIMEEntity) -> MIMEEntity? {
            if entity.isAttachment { return nil }
            switch entity.body {
            case .single:
                if entity.mediaType == "text/plain" { return entity }
                if entity.mediaType == "text/html" && html == nil { html = entity }
                return nil
            case let .multipart(parts):
                if entity.mediaType == "multipart/related" {
                    let start = entity.contentType.parameters["start"]
                    let candidate = parts.first { start != nil && $0.header["Content-ID"] == start } ?? parts.first
                    return candidate.flatMap(search)
                }
                for part in parts { if let found = search(part) { return found } }
                return nil
            }
        }
        return search(root) ?? html
    }

    private static let signatureTypes: Set<String> = ["application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"]

    private static func collectAttachments(_ entity: MIMEEntity, skipping body: MIMEEntity?, into files: inout [MailAttachment]) {
        switch entity.body {
        case let .multipart(parts):
            for part in parts { collectAttachments(part, skipping: body, into: &files) }
        case let .single(bytes):
            if let body, case let .single(bodyBytes) = body.body, bodyBytes.startIndex == bytes.startIndex, bodyBytes.count == bytes.count { return }
            let filename = entity.filename
            let alternative = ["text/plain", "text/html"].contains(entity.mediaType) && filename == nil && !entity.isAttachment
            guard !alternative, !signatureTypes.contains(entity.mediaType) else { return }
            files.append(MailAttachment(filename: filename, mediaType: entity.mediaType, isInline: entity.disposition?.value == "inline",
                                        contentID: entity.header["Content-ID"].flatMap { messageIDs($0).first }, data: entity.data))
        }
    }
}

/// A file that came with a message.
public struct MailAttachment: Sendable, Equatable {
    /// The file's name as the sender gave it (decoded, only its last path component), if any.
    public let filename: String?
    /// The media type in lower case (`application/pdf`).
    public let mediaType: String
    /// Whether it is shown inside the message (`Content-Disposition: inline`: a picture in an
    /// HTML body, a logo in a signature) rather than attached.
    public let isInline: Bool
    /// `Content-ID` without brackets, as an HTML body refers to it (`cid:…`).
    public let contentID: String?
    /// The bytes, transfer encoding undone.
    public let data: [UInt8]

    /// The SHA-256 of the bytes, 64 hex digits.
    public var sha256: String {
        var hasher = SHA256()
        hasher.update(data)
        return hasher.hexDigest()
    }
}
