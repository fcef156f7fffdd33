import CLibXML2
import Foundation

/// What `SAXParser` reports, in document order.
protocol SAXDelegate: AnyObject {
    /// An element opens: its local name, its namespace ("" for none), its attributes by
    /// qualified name (`prefix:name`); namespace declarations are not among them.
    func didStartElement(_ parser: SAXParser, name: String, namespaceURI: String, attributes: [String: String])
    /// Text, possibly in several pieces; a CDATA section's text too.
    func foundCharacters(_ parser: SAXParser, _ text: String)
    func didEndElement(_ parser: SAXParser, name: String, namespaceURI: String)
    /// An error or warning libxml2 raised (`xmlParserErrors`' code); parsing goes on unless the
    /// delegate calls `abort()`.
    func parseErrorOccurred(_ parser: SAXParser, code: Int)
}

/// libxml2's streaming (SAX2, push) parser, driven the way FoundationXML's `XMLParser(stream:)`
/// drives it — the same options (and no network), the same first chunk of four bytes for the
/// encoding, the same errors — without linking libxml2: it is loaded with `dlopen` the first time a document is
/// read. Linked, libxml2 and the ICU it needs were loaded and relocated by every workflowctl
/// command at start-up (about 1 ms a command), though only `invoice import` and `demo run` read XML.
///
/// One parser reads one document; it is not shared between threads (libxml2's contexts are
/// independent, so several parsers may run at once).
final class SAXParser {
    /// How much is read and handed to libxml2 at a time (FoundationXML's chunk size).
    static let chunkSize = 128 * 1024

    private unowned let delegate: any SAXDelegate
    private let library: LibXML2
    private var context: UnsafeMutableRawPointer?
    /// The first bytes, until there are four: libxml2 tells the encoding from them.
    private var head: [UInt8] = []

    /// Makes a parser, loading libxml2 if this is the process's first; throws when it cannot be
    /// loaded.
    init(delegate: any SAXDelegate) throws {
        self.delegate = delegate
        library = try LibXML2.shared.get()
    }

    deinit {
        if let context { library.freeParserCtxt(context) }
    }

    /// The line of the parser's position (from 1), 0 before it has read anything.
    var lineNumber: Int { context.map { Int(library.lineNumber($0)) } ?? 0 }
    /// The column of the parser's position (from 1), 0 before it has read anything.
    var columnNumber: Int { context.map { Int(library.columnNumber($0)) } ?? 0 }

    /// Stops the parse: nothing more is reported.
    func abort() {
        if let context { library.stopParser(context) }
    }

    /// Parses what `read` gives (into the buffer, at most the count; 0 at the end, -1 on a
    /// failure of its own), until the end, a failure to read, or an aborted parse.
    func parse(_ read: (UnsafeMutablePointer<UInt8>, Int) -> Int) {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.chunkSize)
        defer { buffer.deallocate() }
        var going = true
        while going {
            let count = read(buffer, Self.chunkSize)
            if count > 0 {
                going = parse(UnsafeBufferPointer(start: buffer, count: count), last: false)
            } else {
                if count == 0 { _ = parse(UnsafeBufferPointer(start: buffer, count: 0), last: true) }
                going = false
            }
        }
    }

    /// Hands one chunk to libxml2; false when it answers with an error (a stopped parse too).
    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, last: Bool) -> Bool {
        // Errors reach the delegate through the thread's structured error handler, set around
        // each call as FoundationXML sets it.
        library.setStructuredErrorFunc(Unmanaged.passUnretained(self).toOpaque()) { SAXParser.reportError($0, $1) }
        defer { library.setStructuredErrorFunc(nil, nil) }
        guard context == nil else { return chunk(bytes, last: last) }
        // The parser is made with the first four bytes, then handed what follows them.
        head.append(contentsOf: bytes)
        guard head.count >= 4 else { return true }
        defer { head = [] }
        var handler = SAXParser.makeHandler()
        return head.withUnsafeBufferPointer { first in
            context = first.baseAddress!.withMemoryRebound(to: CChar.self, capacity: 4) {
                library.createPushParserCtxt(&handler, Unmanaged.passUnretained(self).toOpaque(), $0, 4, nil)
            }
            guard let context else { return false }
            _ = library.ctxtUseOptions(context, dw_XML_PARSE_RECOVER | dw_XML_PARSE_NOENT | dw_XML_PARSE_NONET)
            return chunk(UnsafeBufferPointer(rebasing: first[4...]), last: last)
        }
    }

    /// One call of xmlParseChunk; true when libxml2 answers without an error.
    private func chunk(_ bytes: UnsafeBufferPointer<UInt8>, last: Bool) -> Bool {
        bytes.withMemoryRebound(to: CChar.self) { chars in
            library.parseChunk(context, chars.baseAddress, Int32(chars.count), last ? 1 : 0)
        } == 0
    }

    // MARK: Callbacks from libxml2 (C functions: the parser is their context pointer)

    private static func parser(_ context: UnsafeMutableRawPointer?) -> SAXParser {
        Unmanaged<SAXParser>.fromOpaque(context!).takeUnretainedValue()
    }

    private static func string(_ bytes: UnsafePointer<dw_xmlChar>?) -> String? {
        bytes.map { String(cString: $0) }
    }

    /// The callbacks FoundationXML's parser reports to a delegate that reads elements and text:
    /// the rest stay NULL. No document is built, and a DOCTYPE never reaches libxml2, so there is
    /// no entity to look up: libxml2 resolves the predefined ones (`&amp;` …) itself and calls an
    /// undeclared one an error (26), as it did when FoundationXML's `getEntity` found nothing.
    private static func makeHandler() -> dw_xmlSAXHandler {
        var handler = dw_xmlSAXHandler()
        handler.initialized = dw_XML_SAX2_MAGIC
        handler.startElementNs = { context, localName, prefix, uri, _, _, attributeCount, _, attributes in
            let parser = SAXParser.parser(context)
            var named: [String: String] = [:]
            if let attributes {
                // Five pointers an attribute: local name, prefix, URI, value, end of the value.
                for index in stride(from: 0, to: Int(attributeCount) * 5, by: 5) {
                    guard let local = SAXParser.string(attributes[index]) else { continue }
                    let prefixed = SAXParser.string(attributes[index + 1]).map { $0.isEmpty ? local : $0 + ":" + local } ?? local
                    if let start = attributes[index + 3], let end = attributes[index + 4] {
                        named[prefixed] = end > start ? String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self) : ""
                    }
                }
            }
            parser.delegate.didStartElement(parser, name: SAXParser.string(localName) ?? "", namespaceURI: SAXParser.string(uri) ?? "",
                                            attributes: named)
        }
        handler.endElementNs = { context, localName, _, uri in
            let parser = SAXParser.parser(context)
            parser.delegate.didEndElement(parser, name: SAXParser.string(localName) ?? "", namespaceURI: SAXParser.string(uri) ?? "")
        }
        handler.characters = { context, bytes, count in
            guard let bytes else { return }
            let parser = SAXParser.parser(context)
            parser.delegate.foundCharacters(parser, String(decoding: UnsafeBufferPointer(start: bytes, count: Int(count)), as: UTF8.self))
        }
        handler.cdataBlock = handler.characters
        return handler
    }

    private static func reportError(_ context: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<dw_xmlError>?) {
        guard let context, let error else { return }
        let parser = SAXParser.parser(context)
        parser.delegate.parseErrorOccurred(parser, code: Int(error.pointee.code))
    }
}

/// libxml2's functions, looked up once in the library loaded with `dlopen`.
// @unchecked: immutable C function pointers into a library that stays loaded.
struct LibXML2: @unchecked Sendable {
    let createPushParserCtxt: dw_xmlCreatePushParserCtxtFunc
    let ctxtUseOptions: dw_xmlCtxtUseOptionsFunc
    let parseChunk: dw_xmlParseChunkFunc
    let stopParser: dw_xmlStopParserFunc
    let freeParserCtxt: dw_xmlFreeParserCtxtFunc
    let lineNumber: dw_xmlSAX2GetNumberFunc
    let columnNumber: dw_xmlSAX2GetNumberFunc
    let setStructuredErrorFunc: dw_xmlSetStructuredErrorFuncFunc

    /// The names tried, in order: the library's soname, then the development link.
    static let names = ["libxml2.so.2", "libxml2.so"]

    /// Loaded on first use, once for the process.
    static let shared: Result<LibXML2, WorkflowError> = Result { () throws(WorkflowError) in try load() }

    /// Loads the first of `names` that loads, and looks its functions up.
    static func load(names: [String] = LibXML2.names) throws(WorkflowError) -> LibXML2 {
        var handle: UnsafeMutableRawPointer?
        for name in names where handle == nil { handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) }
        guard let handle else {
            let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            throw WorkflowError(.unavailable, Message("error.invoice_libxml2", ["library": "\(names[0])", "reason": "\(reason)"]))
        }
        func symbol<T>(_ name: String, as type: T.Type) throws(WorkflowError) -> T {
            guard let address = dlsym(handle, name) else {
                throw WorkflowError(.unavailable, Message("error.invoice_libxml2", ["library": "\(names[0])", "reason": "no \(name)"]))
            }
            return unsafeBitCast(address, to: type)
        }
        try symbol("xmlInitParser", as: dw_xmlInitParserFunc.self)()
        return LibXML2(
            createPushParserCtxt: try symbol("xmlCreatePushParserCtxt", as: dw_xmlCreatePushParserCtxtFunc.self),
            ctxtUseOptions: try symbol("xmlCtxtUseOptions", as: dw_xmlCtxtUseOptionsFunc.self),
            parseChunk: try symbol("xmlParseChunk", as: dw_xmlParseChunkFunc.self),
            stopParser: try symbol("xmlStopParser", as: dw_xmlStopParserFunc.self),
            freeParserCtxt: try symbol("xmlFreeParserCtxt", as: dw_xmlFreeParserCtxtFunc.self),
            lineNumber: try symbol("xmlSAX2GetLineNumber", as: dw_xmlSAX2GetNumberFunc.self),
            columnNumber: try symbol("xmlSAX2GetColumnNumber", as: dw_xmlSAX2GetNumberFunc.self),
            setStructuredErrorFunc: try symbol("xmlSetStructuredErrorFunc", as: dw_xmlSetStructuredErrorFuncFunc.self))
    }
}
