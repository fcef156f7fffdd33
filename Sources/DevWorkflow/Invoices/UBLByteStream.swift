import Foundation

/// The bytes of a document for `SAXParser`, read in the parser's chunks from a file descriptor or
/// from data in memory, that stops at a document type declaration.
///
/// An e-invoice has no DOCTYPE; one is how entity expansion and external entities (XXE) get in.
/// The prolog is watched here, on the bytes, before the parser sees them: everything up to the
/// root element's `<` is white space, the XML declaration, processing instructions and comments,
/// or it is refused. NUL bytes are passed over while watching, so UTF-16 prologs are read too.
final class UBLByteStream {
    private enum Source {
        case data(Data, offset: Int)
        case descriptor(Int32)
    }

    private enum Prolog {
        case between, open, instruction, instructionEnd, bang, bangDash, comment, commentDash, commentDashDash, done
    }

    private enum Status {
        case open, atEnd, error
    }

    private var source: Source
    private var status = Status.open
    private var prolog = Prolog.between
    private var prologLine = 1
    /// The line of a DOCTYPE (`<!` that opens no comment) before the root, once one is seen.
    private(set) var doctypeLine: Int?
    private(set) var readError: (any Error)?
    /// The SHA-256 of every byte handed to the parser: the document's own digest, kept with it.
    private(set) var digest = SHA256()

    /// Reads from data in memory.
    init(contents data: Data) {
        source = .data(data, offset: 0)
    }

    /// Reads from an open descriptor (a file, standard input, a pipe), which the caller closes.
    init(descriptor: Int32) {
        source = .descriptor(descriptor)
    }

    /// Fills `buffer` with up to `length` bytes: how many, 0 at the end, -1 when reading failed
    /// (`readError`) or a DOCTYPE was found (`doctypeLine`).
    func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        guard doctypeLine == nil, readError == nil else { return -1 }
        let count: Int
        switch source {
        case let .data(data, offset):
            count = min(length, data.count - offset)
            let start = data.startIndex + offset
            data.copyBytes(to: buffer, from: start..<(start + count))
            source = .data(data, offset: offset + count)
        case let .descriptor(descriptor):
            var result: Int
            repeat { result = readDescriptor(descriptor, buffer, length) } while result < 0 && errno == EINTR
            guard result >= 0 else {
                readError = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                status = .error
                return -1
            }
            count = result
        }
        if count == 0 { status = .atEnd }
        digest.update(UnsafeBufferPointer(start: buffer, count: count))
        if prolog != .done {
            watch(UnsafeBufferPointer(start: buffer, count: count))
            if doctypeLine != nil { return -1 }
        }
        return count
    }

    /// Reads what the parser left unread (white space after the root, at most), so that `digest`
    /// covers every byte of the document.
    func drain() {
        guard status == .open else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while status == .open, buffer.withUnsafeMutableBufferPointer({ read($0.baseAddress!, maxLength: $0.count) }) > 0 {}
    }

    /// Follows the prolog byte by byte until the root element starts or a DOCTYPE does.
    private func watch(_ bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes where byte != 0 {
            if byte == UInt8(ascii: "\n") { prologLine += 1 }
            switch (prolog, byte) {
            case (.between, UInt8(ascii: "<")): prolog = .open
            case (.between, _): break
            case (.open, UInt8(ascii: "?")): prolog = .instruction
            case (.open, UInt8(ascii: "!")): prolog = .bang
            case (.open, _): prolog = .done
            case (.instruction, UInt8(ascii: "?")), (.instructionEnd, UInt8(ascii: "?")): prolog = .instructionEnd
            case (.instructionEnd, UInt8(ascii: ">")): prolog = .between
            case (.instruction, _), (.instructionEnd, _): prolog = .instruction
            case (.bang, UInt8(ascii: "-")): prolog = .bangDash
            case (.bang, _): doctypeLine = prologLine
            case (.bangDash, UInt8(ascii: "-")): prolog = .comment
            case (.bangDash, _): prolog = .done  // not well-formed: the parser says so
            case (.comment, UInt8(ascii: "-")): prolog = .commentDash
            case (.commentDash, UInt8(ascii: "-")), (.commentDashDash, UInt8(ascii: "-")): prolog = .commentDashDash
            case (.commentDashDash, UInt8(ascii: ">")): prolog = .between
            case (.comment, _), (.commentDash, _), (.commentDashDash, _): prolog = .comment
            case (.done, _): return
            }
            if prolog == .done || doctypeLine != nil { return }
        }
    }
}

/// The C library's read(2), out of reach by that name inside a type with a `read` of its own.
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ length: Int) -> Int {
    read(descriptor, buffer, length)
}
