import Foundation

/// Opening files for people's commands, with the system's own reason when it fails: every file
/// that cannot be read or written is `ioError` (exit 74) saying why in plain words (`No such
/// file or directory`, `Is a directory`, `Permission denied`), never a framework's error number.
package enum Files {
    /// A file opened for reading; a folder is refused like the system refuses to read one.
    package static func openForReading(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw cannotRead(path, errno) }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw cannotRead(path, EISDIR)
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Whether `path` is a folder (following a symbolic link, as opening a file in it would).
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Fills `buffer` with the next `count` bytes of a descriptor (fewer only at its end); false
    /// when nothing was left. The buffer's storage is reused from call to call.
    package static func read(_ descriptor: Int32, path: String, into buffer: inout [UInt8], upTo count: Int) throws -> Bool {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: repeatElement(0, count: count))
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + filled, count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw cannotRead(path, errno)
            }
            if n == 0 { break }
            filled += n
        }
        buffer.removeLast(count - filled)
        return filled > 0
    }

    /// Creates a folder and the missing folders above it (`mkdir -p`), naming the system's reason
    /// when one cannot be made.
    package static func makeFolder(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw cannotWrite(prefix, errno) }
        }
    }

    /// The `errno` behind a Foundation file error (its POSIX error, or the one underneath), else EIO:
    /// Foundation's own codes (512 …) are no system's words.
    package static func posixCode(of error: any Error) -> Int32 {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return EIO
    }

    /// `cannot read PATH: REASON` for an `errno` value.
    package static func cannotRead(_ path: String, _ code: Int32) -> WorkflowError {
        WorkflowError(.ioError, Message("error.cannot_read", ["path": "\(path)", "reason": systemReason(code)]))
    }

    /// `cannot write PATH: REASON` for an `errno` value.
    package static func cannotWrite(_ path: String, _ code: Int32) -> WorkflowError {
        WorkflowError(.ioError, Message("error.cannot_write", ["path": "\(path)", "reason": systemReason(code)]))
    }
}

/// The operating system's words for an `errno` value (`No such file or directory`); the usual
/// ones in the reader's language too (`sellist faili ega kausta ei ole`), else as the system says.
package func systemReason(_ code: Int32) -> MessageArgument {
    let known: [Int32: String] = [ENOENT: "enoent", EISDIR: "eisdir", ENOTDIR: "enotdir", EACCES: "eacces", EPERM: "eperm",
                                  ENOSPC: "enospc", EROFS: "erofs", EEXIST: "eexist", ENAMETOOLONG: "enametoolong", EMFILE: "emfile"]
    guard let key = known[code] else { return .text(String(cString: strerror(code))) }
    return .message(Message("os.\(key)"))
}
