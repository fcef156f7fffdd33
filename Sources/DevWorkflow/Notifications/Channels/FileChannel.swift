import Foundation

/// Delivers a message by appending its JSON document as one line to a file (JSON Lines).
///
/// For local use and tests. The file is opened for each message with `O_APPEND` (created with
/// mode 0644 when missing, so a rotated file is picked up) and the line is written with one
/// `write` call: several daemons appending to the same local file never interleave their lines.
/// `flush()` makes the lines durable with one `fsync` for the whole batch (group commit); the
/// daemon calls it before it records the batch as delivered, so a crash can repeat a line but
/// never lose one. Failures throw `ioError` naming the path.
public struct FileChannel: DeliveryChannel {
    /// `file`.
    public var name: String { "file" }
    /// The file appended to.
    public let path: String

    /// A channel appending to the file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Refuses, before anything is claimed, a path no line could ever be appended to: a folder
    /// (`ioError`, with the system's reason). A path that is missing, or whose folder is missing or
    /// unwritable, is not refused here: it may be mounted or made later, and each delivery then
    /// fails and is retried like any other.
    public func checkUsable() throws {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        errno = EISDIR
        throw failure("error.file_open")
    }

    /// Appends one line (durable after `flush()`); throws when the file cannot be opened or written.
    public func deliver(_ message: OutboxMessage, _ rendered: RenderedMessage) throws {
        try append(message.document(rendered).text + "\n", sync: false)
    }

    /// Flushes what was appended to disk: one `fsync` for every line written since the last one
    /// (an inode's dirty pages are synced whichever descriptor wrote them). No file yet, nothing to do.
    public func flush() throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }
            throw failure("error.file_open")
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("error.file_sync") }
    }

    /// Appends `line` with one `write` call (more only if the system writes part of it), and
    /// syncs it at once when `sync` is set.
    func append(_ line: String, sync: Bool = true) throws {
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
        guard !sync || fsync(fd) == 0 else { throw failure("error.file_sync") }
    }

    private func failure(_ what: String) -> WorkflowError {
        let reason = String(cString: strerror(errno))
        return WorkflowError(.ioError, Message(what, ["path": "\(path)", "reason": "\(reason)"]), context: ["path": path])
    }
}
