import Foundation

/// A sink that writes a file so that nobody ever sees half of it.
///
/// Text goes to a hidden temporary file in the target's folder (`.name.XXXXXXXX.tmp`);
/// `commit()` flushes, fsyncs and renames it over the target, then fsyncs the folder. Until then
/// an old file at the target stays untouched. `discard()` (or dropping the sink uncommitted, or a
/// failed commit) removes the temporary file. A replaced file keeps its permission bits; a new
/// one gets the process's umask.
///
///     let sink = try AtomicFileSink(path: "vendor.html")
///     let renderer = HTMLRenderer(sink: sink)
///     do { try render(into: renderer); try sink.commit() } catch { sink.discard(); throw error }
public final class AtomicFileSink: ReportSink {
    /// The file that `commit()` creates or replaces.
    public let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let bufferSize: Int
    private var finished = false

    /// Creates the temporary file next to `path`; throws `ioError` ("cannot write …") when the
    /// folder does not exist or is not writable. Writes are buffered in `bufferSize` bytes.
    public init(path: String, bufferSize: Int = 1 << 16) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        self.path = path
        self.temporaryPath = (folder as NSString).appendingPathComponent(".\(url.lastPathComponent).\(suffix).tmp")
        self.bufferSize = max(1, bufferSize)
        var existing = stat()
        // A folder cannot be replaced by a file: say so, not what creating the temporary file
        // beside it (perhaps in a folder we may not write) would say.
        if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFDIR { throw Files.cannotWrite(path, EISDIR) }
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw Files.cannotWrite(path, errno) }
        buffer.reserveCapacity(self.bufferSize)
        if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) == S_IFREG {
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
    }

    deinit { if !finished { discard() } }

    /// Replaces the file at `path` with `text` whole, or leaves it as it was and throws `ioError`.
    public static func replace(_ path: String, with text: String) throws {
        let sink = try AtomicFileSink(path: path)
        do {
            try sink.write(text)
            try sink.commit()
        } catch {
            sink.discard()
            throw error
        }
    }

    /// Appends text (buffered); throws `ioError` when the disk refuses it. Traps after
    /// `commit()` or `discard()`.
    public func write(_ text: String) throws {
        precondition(!finished, "AtomicFileSink: write after commit or discard")
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= bufferSize { try flush() }
    }

    /// Appends bytes (a document read back from the database); throws `ioError` when the disk
    /// refuses them.
    public func write(bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "AtomicFileSink: write after commit or discard")
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferSize { try flush() }
    }

    /// Makes the written text the file at `path`, atomically and durably. On failure the
    /// temporary file is removed, the old file stays, and `ioError` is thrown. With `replacing:
    /// false` a file already at `path` is kept and the commit fails (EEXIST): evidence such as a
    /// seal is never written over.
    public func commit(replacing: Bool = true) throws {
        precondition(!finished, "AtomicFileSink: commit after commit or discard")
        do {
            try flush()
            guard fsync(descriptor) == 0 else { throw Files.cannotWrite(path, errno) }
            let closed = close(descriptor)
            descriptor = -1
            guard closed == 0 else { throw Files.cannotWrite(path, errno) }
            if replacing {
                guard rename(temporaryPath, path) == 0 else { throw Files.cannotWrite(path, errno) }
            } else {
                // link() never replaces: the file appears whole, or not at all when one is there.
                guard link(temporaryPath, path) == 0 else { throw Files.cannotWrite(path, errno) }
                _ = unlink(temporaryPath)
            }
        } catch {
            discard()
            throw error
        }
        finished = true
        // The rename itself is durable only once the folder is synced; a failure here loses nothing.
        let folder = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            _ = close(folder)
        }
    }

    /// Drops what was written: removes the temporary file; the target is not touched. Safe to
    /// call more than once.
    public func discard() {
        guard !finished else { return }
        finished = true
        if descriptor >= 0 { _ = close(descriptor) }
        descriptor = -1
        _ = unlink(temporaryPath)
        buffer = []
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Files.cannotWrite(path, errno)
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
