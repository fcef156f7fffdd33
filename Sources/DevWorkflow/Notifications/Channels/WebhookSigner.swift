import Foundation

/// Signs webhook requests as the Standard Webhooks specification defines, so a receiver can tell
/// a request from DevWorkflow from a forged one and a fresh one from a replay.
///
/// Each request carries `webhook-id` (the message's idempotency key: the same on every attempt,
/// so the receiver can drop a repeat), `webhook-timestamp` (whole seconds since 1970, of this
/// attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the
/// secret's key. The secret is written as `whsec_` and the base64 of 24 to 64 random bytes, the
/// form receivers' libraries take.
public struct WebhookSigner: Sendable, Equatable {
    /// The key the HMAC is made with (the secret without `whsec_`, base64-decoded).
    public let key: [UInt8]

    /// A signer with a key of 24 to 64 bytes.
    public init(key: [UInt8]) throws {
        guard (24...64).contains(key.count) else { throw WorkflowError(.invalidData, Message("error.webhook_secret_format")) }
        self.key = key
    }

    /// A signer from a secret in `whsec_<base64>` form (base64 padding may be left out; whitespace
    /// around the secret is ignored). Throws `invalidData` for another form or a key that is not
    /// 24 to 64 bytes.
    public init(secret: String) throws {
        let text = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("whsec_") else { throw WorkflowError(.invalidData, Message("error.webhook_secret_format")) }
        var encoded = String(text.dropFirst(6))
        encoded += String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        guard let key = Data(base64Encoded: encoded) else { throw WorkflowError(.invalidData, Message("error.webhook_secret_format")) }
        try self.init(key: Array(key))
    }

    /// A signer from a file holding the `whsec_…` secret (workflowd's `--webhook-secret-file`).
    ///
    /// Throws a `usage` error naming the file when it is missing, unreadable, not a regular file
    /// (a FIFO or a device would block or never end), larger than 4 KiB, or holds no valid secret.
    package init(contentsOfFile path: String) throws {
        func problem(_ what: Message) -> WorkflowError {
            WorkflowError(.usage, Message("error.webhook_secret_file", ["path": "\(path)", "problem": .message(what)]))
        }
        func unreadable() -> WorkflowError {
            problem(Message("error.webhook_secret_unreadable", ["reason": "\(String(cString: strerror(errno)))"]))
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw unreadable() }
        guard info.st_mode & S_IFMT == S_IFREG else { throw problem(Message("error.webhook_secret_not_file")) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable() }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4097)
        var count = 0
        while count < bytes.count {
            let got = bytes[count...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw unreadable() }
            if got == 0 { break }
            count += got
        }
        guard count <= 4096, let text = String(validating: bytes[..<count], as: UTF8.self) else {
            throw problem(Message("error.webhook_secret_format"))
        }
        do {
            try self.init(secret: text)
        } catch let error as WorkflowError {
            throw problem(error.text)
        }
    }

    /// `v1,<base64>`: the signature of one attempt.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(HMAC.sha256(key: key, message: signed)).base64EncodedString()
    }

    /// The three header fields for an attempt at `moment`, in the order the specification lists
    /// them: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    public func headers(id: String, moment: Date, body: [UInt8]) -> [(name: String, value: String)] {
        let timestamp = Int64(moment.timeIntervalSince1970.rounded(.down))
        return [("webhook-id", id), ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signature(id: id, timestamp: timestamp, body: body))]
    }
}
