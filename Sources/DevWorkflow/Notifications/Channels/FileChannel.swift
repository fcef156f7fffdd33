import Foundation

/// Delivers a message by appending its JSON document as one line to a file (JSON Lines).
///
/// For local use and tests. The file is opened for each message with `O_APPEND` (created with
/// mode 0644 when missing, so a rotated file is picked up), the line is written with one
/// `write` call and then flushed to disk with `fsync`: several daemons appending to the same
/// local file never interleave their lines. Failures throw `ioError` naming the path.
public struct FileChannel: DeliveryChannel {
    /// `file`.
    public var name: String { "file" }
    /// The file appended to.
    public let path: String

    /// A channel appending to the file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Appends one line; throws when the file cannot be opened, written or synced.
    public func deliver(_ message: OutboxMessage, _ rendered: RenderedMessage) throws {
        try append(message.document(rendered).text + "\n")
    }

    /// Appends `line` with one `write` call (more only if the system writes part of it).
    func append(_ line: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("error.file_open") }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("error.file_write")
            }
            // A short write (a full disk) continues with the rest, so the line at least ends whole.
            offset += written
        }
        guard fsync(fd) == 0 else { throw failure("error.file_sync") }
    }

    private func failure(_ what: String) -> WorkflowError {
        let reason = String(cString: strerror(errno))
        return WorkflowError(.ioError, Message(what, ["path": "\(path)", "reason": "\(reason)"]), context: ["path": path])
    }
}
