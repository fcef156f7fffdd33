import Foundation

/// Reads a UBL 2.1 `Invoice` or `CreditNote` (Peppol BIS Billing 3.0 / EN 16931) into an
/// `EInvoice`, streaming: the document is parsed in chunks by libxml2's SAX parser (`SAXParser`)
/// and no tree is built, so memory grows with the lines kept (`keptLines`), not with the document.
///
/// Liberal in what it accepts: any namespace prefixes (a default namespace too), extensions,
/// unknown elements and attributes, white space and comments anywhere. Exact in what it reads:
/// an unreadable or invalid document throws `WorkflowError` `.invalidData` whose message names
/// the element path and line (`error.invoice_…`); a document with a DOCTYPE is refused before the
/// parser sees it, and external entities are never resolved. A file that cannot be read throws
/// `.ioError`; a machine without libxml2 throws `.unavailable`. Reading does not check the sums:
/// `EInvoice.arithmeticProblems()` does.
public struct EInvoiceReader: Sendable {
    /// How many lines the `EInvoice` keeps by default: a sample to show. A kept line costs about
    /// 600 bytes of memory, so a 20 MiB invoice of 37,000 lines would add some 21 MiB kept whole,
    /// and 100,000 lines about 60 MiB; what matching and the arithmetic checks need of the lines
    /// (their count and sums by VAT category) is in `lineTotals` whatever is kept.
    public static let defaultKeptLines = 1_000

    /// How many lines the `EInvoice` keeps (the first ones); all are counted and summed anyway.
    public var keptLines: Int

    public init(keptLines: Int = EInvoiceReader.defaultKeptLines) {
        self.keptLines = keptLines
    }

    /// Reads a document in memory.
    public func read(_ data: Data) throws -> EInvoice {
        try read(UBLByteStream(contents: data))
    }

    /// A document and the SHA-256 of its bytes (64 hex digits), read in one pass.
    public struct Read: Sendable {
        public var invoice: EInvoice
        public var sha256: String
    }

    /// Reads from an open descriptor (standard input is 0) up to its end, hashing the bytes as
    /// they pass; the caller closes it.
    public func readDigesting(descriptor: Int32, name: String = "-") throws -> Read {
        let stream = UBLByteStream(descriptor: descriptor)
        let invoice = try read(stream, name: name)
        stream.drain()
        return Read(invoice: invoice, sha256: stream.digest.hexDigest())
    }

    /// Reads a document in memory with the SHA-256 of its bytes.
    public func readDigesting(data: Data) throws -> Read {
        let stream = UBLByteStream(contents: data)
        let invoice = try read(stream)
        stream.drain()
        return Read(invoice: invoice, sha256: stream.digest.hexDigest())
    }

    /// Reads the file at `path`, hashing its bytes as they pass.
    public func readDigesting(file path: String) throws -> Read {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Self.readError(path, POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
        }
        defer { close(descriptor) }
        return try readDigesting(descriptor: descriptor, name: path)
    }

    /// Reads the file at `path` (`-` is not special here: pass standard input's descriptor).
    public func read(file path: String) throws -> EInvoice {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Self.readError(path, POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
        }
        defer { close(descriptor) }
        return try read(UBLByteStream(descriptor: descriptor), name: path)
    }

    /// Reads from an open descriptor (standard input is 0) up to its end; the caller closes it.
    public func read(descriptor: Int32, name: String = "-") throws -> EInvoice {
        try read(UBLByteStream(descriptor: descriptor), name: name)
    }

    private func read(_ stream: UBLByteStream, name: String = "-") throws -> EInvoice {
        let delegate = EInvoiceParser(keptLines: keptLines)
        let parser = try SAXParser(delegate: delegate)
        parser.parse { buffer, length in stream.read(buffer, maxLength: length) }
        if let line = stream.doctypeLine {
            throw WorkflowError(.invalidData, Message("error.invoice_doctype", ["line": "\(line)"]))
        }
        if let error = stream.readError { throw Self.readError(name, error) }
        if let failure = delegate.failure { throw failure }
        guard let invoice = delegate.invoice else {
            // The parser stopped without an error and without a whole document: nothing at all,
            // or a root that never closed.
            let reason = delegate.sawRoot ? EInvoiceParser.reason(77) : EInvoiceParser.reason(4)
            throw WorkflowError(.invalidData, Message("error.invoice_malformed", [
                "line": "\(max(parser.lineNumber, 1))", "column": "\(max(parser.columnNumber, 1))", "reason": .message(reason),
            ]))
        }
        return invoice
    }

    private static func readError(_ name: String, _ error: any Error) -> WorkflowError {
        let reason: MessageArgument = (error as? POSIXError).map { systemReason($0.code.rawValue) } ?? "\(error)"
        return WorkflowError(.ioError, Message("error.invoice_read", ["file": "\(name)", "reason": reason]), underlying: error)
    }
}
