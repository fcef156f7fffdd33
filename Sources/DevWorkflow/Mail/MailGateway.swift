import Foundation

/// The mail gateway: hands one incoming message to the database, which decides what becomes of it.
///
/// Swift reads the message (MIME, the reply addresses, the reply's first line) and the database's
/// `receive_mail()` (sql/0011) decides everything else, in one place: a message seen before is
/// not applied again; an automatic one is never applied nor answered; one whose
/// `Authentication-Results` say DKIM or SPF failed, that no signed reply address or sent
/// `Message-ID` ties to a request and person, or whose sender is not that person (or their
/// vendor) is refused; otherwise it is applied as that person through the same `move()` and
/// `add_comment()` as the command line, and its attachments become the request's files through
/// the same `attach_*()` (sql/0014), all in one transaction: a file refused refuses the whole
/// reply. A refused message's sender is answered once, through the outbox. `workflowctl mail
/// receive` and `workflowd --maildir` both come here.
public struct MailGateway {
    /// What became of a message.
    public enum Outcome: String, Sendable {
        /// Applied: a quote, a delivery or a comment was recorded, and the files it carried stored.
        case applied
        /// Not applied; its sender is told why (when the sender can be answered).
        case refused
        /// Not applied and not answered: automatic mail, or our own.
        case ignored
        /// Handed in before: nothing done again.
        case duplicate
    }

    /// The database's answer about one message.
    public struct Result: Sendable {
        public let outcome: Outcome
        /// The request it was tied to, if any.
        public let request: String?
        /// Why it was not applied, in the catalogue's words.
        public let reason: Message?
        /// For a duplicate, what became of the first copy.
        public let original: Outcome?
        /// The whole answer, for `--json`.
        public let json: JSONValue

        /// Whether the message was (or, for a duplicate, had been) applied.
        public var wasApplied: Bool { outcome == .applied || original == .applied }
        /// Whether the database queued an answer to the message's sender (`answered`).
        public var wasAnswered: Bool { json["answered"] == true }
    }

    public let connection: Connection
    /// The domain of reply addresses (`reply+…@domain`); nil takes a reply address at any domain
    /// (the code is what counts).
    public let domain: String?
    /// The authserv-id of the receiving server's own `Authentication-Results` (`mx.vald.example`).
    /// When given, only its headers count — a sender can write one of its own — and a message they
    /// do not show passing DKIM or SPF is refused as not authenticated. When nil, a failing result
    /// in any header refuses a message, and one with no result is taken on its `From:` alone.
    public let authservID: String?

    public init(connection: Connection, domain: String? = nil, authservID: String? = nil) {
        self.connection = connection
        self.domain = domain
        self.authservID = authservID?.lowercased()
    }

    /// Reads one message as an MTA delivers it and hands it in.
    ///
    /// Throws `invalidData` for bytes that are not a message (nothing is recorded: there is no
    /// sender to answer), and what the database throws when it cannot take it now (`unavailable`,
    /// a conflict): then nothing of the message was kept and it can be handed in again.
    public func receive(_ bytes: [UInt8]) throws -> Result {
        let message = try MailMessage(parsing: bytes)
        let document = Self.document(message, raw: bytes, domain: domain, authservID: authservID)
        let answer: JSONValue
        do {
            // The files' bytes go beside the document, one after another, in binary: the
            // database stores them as the request's files in the transaction that applies the reply.
            let text: String = try connection.query("SELECT workflow.receive_mail(\(JSONDocument(text: document.text)), $2)::text",
                                                    bytes: message.attachments.flatMap(\.data)).first!.decode(0)
            try connection.query(WorkflowStore.wake)
            answer = try JSONValue.parse(text)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        let outcome = answer["outcome"].flatMap { Outcome(rawValue: $0.plain) } ?? .refused
        let reason = answer["reason"].flatMap { $0 == .null ? nil : WorkflowError.catalogueText(in: $0.text) }
        return Result(outcome: outcome, request: answer["request"].flatMap { $0 == .null ? nil : $0.plain }, reason: reason,
                      original: answer["original"].flatMap { Outcome(rawValue: $0.plain) }, json: answer)
    }

    /// The document `receive_mail()` takes for a message: what was read, nothing decided.
    static func document(_ message: MailMessage, raw: [UInt8], domain: String?, authservID: String? = nil) -> JSONValue {
        let tokens: [JSONValue] = ReplyToken.candidates(in: message, domain: domain).map { address in
            guard let (token, code) = try? ReplyToken.reading(address.address) else {
                // A reply address that cannot be read: a forgery the database refuses as one.
                return ["request": "", "login": "", "code": ""]
            }
            return ["request": .string(token.request), "login": .string(token.recipient), "code": .string(hex(code))]
        }
        var content: JSONValue = .null, contentError: JSONValue = .null
        do {
            content = Self.content(try ReplyContent(replyBody: message.text))
        } catch let error as WorkflowError where error.text.key == "error.reply_empty" && !message.attachments.isEmpty {
            // No text of its own, but files: the database stores them (or finds none to store).
            content = ["kind": "files", "text": ""]
        } catch let error as WorkflowError {
            contentError = detail(error.text)
        } catch {
            contentError = ["key": "error.mail_not_applied"]
        }
        let (passed, failed) = message.authentication(trusting: authservID)
        var failure = failed.map { (method: $0.method, result: $0.result) }
        if authservID != nil, failure == nil, !passed {
            // The receiving server wrote no DKIM or SPF result of its own.
            failure = (method: "dkim/spf", result: "none")
        }
        let language = message.header["Content-Language"].map { $0.lowercased().prefix(2) }.map(String.init)
        return [
            "message_id": .string(message.messageID ?? "sha256:" + digest(raw)),
            "from": .string(message.from.first?.address ?? ""),
            "from_name": .optional(message.from.first?.name),
            "subject": .string(message.subject),
            "automatic": .optional(automaticReason(message)),
            "authenticated": .bool(passed && failure == nil),
            "auth_failure": failure.map { ["method": .string($0.method), "result": .string($0.result)] } ?? .null,
            "tokens": .array(tokens),
            "references": .array((message.inReplyTo + message.references.reversed()).map(JSONValue.string)),
            "content": content,
            "content_error": contentError,
            "attachments": .array(Self.attachments(message.attachments)),
            "lang": .optional(language.flatMap { ["et", "en"].contains($0) ? $0 : nil }),
        ]
    }

    /// The files as `receive_mail()` takes them: what they are, and where each one's bytes begin
    /// in the bytes handed in beside the document (the files one after another, in this order).
    static func attachments(_ files: [MailAttachment]) -> [JSONValue] {
        var offset = 0
        return files.map { file in
            defer { offset += file.data.count }
            return ["name": .optional(file.filename), "type": .string(file.mediaType), "size": .int(file.data.count),
                    "sha256": .string(file.sha256), "inline": .bool(file.isInline), "content_id": .optional(file.contentID),
                    "offset": .int(offset)]
        }
    }

    /// What a reply asks for, as `receive_mail()` takes it: the transition's inputs as `move()`
    /// reads them, and the text that becomes a comment.
    static func content(_ reply: ReplyContent) -> JSONValue {
        switch reply {
        case let .quote(quote, remark):
            return ["kind": "quote", "inputs": ["hours": .string("\(quote.hours)"), "price": .string(quote.price.description),
                                                "delivery": .string(quote.delivery.description)], "text": .string(remark)]
        case let .deliver(note):
            return ["kind": "deliver", "inputs": ["note": .string(note)], "text": ""]
        case let .comment(text):
            return ["kind": "comment", "text": .string(text)]
        }
    }

    /// Why a machine sent the message, in a few words for the record; nil when a person did.
    static func automaticReason(_ message: MailMessage) -> String? {
        guard message.isAutomatic else { return nil }
        if let value = message.autoSubmitted, value != "no" { return "Auto-Submitted: \(value)" }
        if let value = message.precedence { return "Precedence: \(value)" }
        if message.mediaType == "multipart/report" { return "delivery report" }
        return message.header["Return-Path"].map { "Return-Path: \($0)" } ?? "auto-reply"
    }

    /// A message as the database's refusals carry it: `{"key", name: value}`.
    static func detail(_ message: Message) -> JSONValue {
        .object([("key", .string(message.key))] + message.arguments.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.text(.en))) })
    }

    private static func digest(_ bytes: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

@available(*, unavailable)
extension MailGateway: Sendable {}
