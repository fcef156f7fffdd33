import Foundation

/// Reads RFC 4180 CSV record by record from a file or a string, in constant memory.
///
/// Accepts CRLF, LF or CR line endings, a leading UTF-8 byte order mark, and quoted fields that
/// hold separators, doubled quotes and line breaks (kept as written). Each record comes with the
/// 1-based physical line it starts on. A blank line is a record with no fields (`[]`), which
/// tells it apart from a line holding one empty quoted field (`""` gives `[""]`); multi-section
/// report CSV uses blank lines between its tables.
///
/// Malformed input throws `invalidData` naming the line: a quote inside an unquoted field, text
/// after a closing quote, a quoted field never closed, bytes that are not UTF-8. A failed read
/// throws `ioError`.
///
///     let reader = try CSVReader(readingFrom: FileHandle(forReadingFrom: url))
///     while let (line, fields) = try reader.next() { … }
public final class CSVReader {
    private let handle: FileHandle?
    private var separator: UInt8
    private let chunkSize: Int
    private var chunk: [UInt8]
    private var index = 0
    private var exhausted: Bool
    private var checkedByteOrderMark = false
    private var line = 1
    /// The largest number of bytes held at once (the read chunk plus the current record's
    /// fields): shows that memory does not grow with the file.
    private(set) var peakBufferedBytes = 0

    /// Reads from a file handle in chunks of `chunkSize` bytes, separated by `separator`.
    public init(readingFrom handle: FileHandle, separator: Character = ",", chunkSize: Int = 1 << 16) {
        self.handle = handle
        self.separator = CSVReader.byte(separator)
        self.chunkSize = max(1, chunkSize)
        self.chunk = []
        self.exhausted = false
    }

    /// Reads from a string, separated by `separator`.
    public convenience init(string: String, separator: Character = ",") {
        self.init(bytes: Array(string.utf8), separator: separator)
    }

    /// Reads from bytes held in memory (which need not be valid UTF-8), separated by `separator`.
    package init(bytes: [UInt8], separator: Character = ",") {
        self.handle = nil
        self.separator = CSVReader.byte(separator)
        self.chunkSize = 0
        self.chunk = bytes
        self.exhausted = true
    }

    /// The next record and the line it starts on, or nil at the end of the input.
    public func next() throws -> (line: Int, fields: [String])? {
        if !checkedByteOrderMark { try skipByteOrderMark() }
        guard let first = try peek() else { return nil }
        let start = line
        if first == 0x0A || first == 0x0D {
            try consumeLineBreak()
            return (start, [])
        }
        enum State { case fieldStart, unquoted, quoted, afterQuote }
        var state = State.fieldStart
        var fields: [String] = []
        var field: [UInt8] = []
        var fieldLine = start
        var heldBytes = 0
        func finishField() throws {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw WorkflowError(.invalidData, Message("error.csv_utf8", ["line": "\(fieldLine)"]))
            }
            heldBytes += field.count
            fields.append(text)
            field.removeAll(keepingCapacity: true)
        }
        while true {
            peakBufferedBytes = max(peakBufferedBytes, chunk.count + heldBytes + field.count)
            guard let byte = try read() else {
                switch state {
                case .quoted:
                    throw WorkflowError(.invalidData, Message("error.csv_unclosed", ["line": "\(fieldLine)"]))
                case .fieldStart, .unquoted, .afterQuote:
                    try finishField()
                    return (start, fields)
                }
            }
            switch state {
            case .fieldStart, .unquoted:
                if byte == separator {
                    try finishField()
                    state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    try finishLine(after: byte)
                    try finishField()
                    return (start, fields)
                } else if byte == UInt8(ascii: "\"") {
                    guard state == .fieldStart else {
                        throw WorkflowError(.invalidData, Message("error.csv_stray_quote", ["line": "\(line)"]))
                    }
                    fieldLine = line
                    state = .quoted
                } else {
                    if state == .fieldStart { fieldLine = line }
                    field.append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .afterQuote
                } else {
                    field.append(byte)
                    if byte == 0x0D, try peek() == 0x0A, let next = try read() { field.append(next) }
                    if byte == 0x0A || byte == 0x0D { line += 1 }
                }
            case .afterQuote:
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    state = .quoted
                } else if byte == separator {
                    try finishField()
                    state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    try finishLine(after: byte)
                    try finishField()
                    return (start, fields)
                } else {
                    throw WorkflowError(.invalidData, Message("error.csv_after_quote", ["line": "\(line)"]))
                }
            }
        }
    }

    /// Chooses the separator from the first line (after a byte order mark): of `candidates`,
    /// the one it holds most often outside quotes, else the one given at creation. A spreadsheet
    /// saves CSV in an Estonian locale with `;` (the comma is its decimal mark); call this
    /// before the first `next()`.
    package func detectSeparator(among candidates: [Character] = [",", ";", "\t"]) throws {
        if !checkedByteOrderMark { try skipByteOrderMark() }
        var offset = 0
        var quoted = false
        var counts: [UInt8: Int] = [:]
        let bytes = Set(candidates.map(CSVReader.byte))
        while true {
            if index + offset >= chunk.count {
                guard offset < 1 << 20 else { break }
                try fill(atLeast: offset + 1)  // keeps the unread bytes, from `index` on
                if index + offset >= chunk.count { break }
            }
            let byte = chunk[index + offset]
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && (byte == 0x0A || byte == 0x0D) { break }
            if !quoted && bytes.contains(byte) { counts[byte, default: 0] += 1 }
            offset += 1
        }
        if let (byte, _) = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key != separator) }) { separator = byte }
    }

    private static func byte(_ separator: Character) -> UInt8 {
        guard let byte = separator.asciiValue, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D else {
            preconditionFailure("CSV separator must be ASCII and not a quote or line break")
        }
        return byte
    }

    private func skipByteOrderMark() throws {
        checkedByteOrderMark = true
        try fill(atLeast: 3)
        if chunk.count - index >= 3, chunk[index] == 0xEF, chunk[index + 1] == 0xBB, chunk[index + 2] == 0xBF { index += 3 }
    }

    /// Consumes CR, LF or CRLF at the read position.
    private func consumeLineBreak() throws {
        guard let byte = try read() else { return }
        try finishLine(after: byte)
    }

    /// After a CR or LF has been read: takes the LF of a CRLF and counts the line.
    private func finishLine(after byte: UInt8) throws {
        if byte == 0x0D, try peek() == 0x0A { index += 1 }
        line += 1
    }

    private func peek() throws -> UInt8? {
        if index == chunk.count { try fill(atLeast: 1) }
        return index < chunk.count ? chunk[index] : nil
    }

    private func read() throws -> UInt8? {
        guard let byte = try peek() else { return nil }
        index += 1
        return byte
    }

    /// Makes at least `count` unread bytes available, unless the input ends first.
    private func fill(atLeast count: Int) throws {
        guard let handle else { return }
        while !exhausted, chunk.count - index < count {
            if index == chunk.count {
                chunk.removeAll(keepingCapacity: true)
            } else {
                chunk.removeSubrange(0..<index)
            }
            index = 0
            // read(2) rather than FileHandle.read, whose errors say "NSCocoaErrorDomain error 256"
            // where the system says what went wrong ("Is a directory").
            let start = chunk.count
            chunk.append(contentsOf: repeatElement(0, count: chunkSize))
            var n: Int
            repeat {
                n = chunk.withUnsafeMutableBytes { Foundation.read(handle.fileDescriptor, $0.baseAddress! + start, chunkSize) }
            } while n < 0 && errno == EINTR
            let failure = n < 0 ? errno : 0
            chunk.removeSubrange((start + max(n, 0))...)
            if n < 0 {
                throw WorkflowError(.ioError, Message("error.csv_read", ["reason": systemReason(failure)]))
            }
            if n == 0 { exhausted = true }
        }
    }
}
