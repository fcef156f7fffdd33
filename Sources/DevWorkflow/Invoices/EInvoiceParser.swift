import Foundation

/// The SAX side of reading an e-invoice: follows `SAXParser`'s events, keeps the path of open
/// elements and the text of the one field being read, and hands fields and groups to an
/// `EInvoiceBuilder`. No tree is built; the text of elements the table does not name is never
/// held, and a subtree no field lies in (an extension, an address, an attachment) is passed over
/// without building its path.
final class EInvoiceParser: SAXDelegate {
    /// libxml2's warnings (an unknown XML version, a relative namespace URI …): they do not make a
    /// document unreadable, so they are not failures.
    private static let warnings: Set = [97, 98, 99, 100, 102, 106]

    /// Every path a field or group lies below, or is: an element whose path is not here has
    /// nothing to read below it.
    private static let prefixes: Set<String> = {
        var prefixes: Set<String> = []
        for path in UBLField.allCases.map(\.path) + UBLGroup.allCases.map(\.path) {
            var prefix = ""
            for token in path.split(separator: "/") {
                prefix += (prefix.isEmpty ? "" : "/") + token
                prefixes.insert(prefix)
            }
        }
        return prefixes
    }()

    private let keptLines: Int
    private var builder: EInvoiceBuilder?
    /// Per open element, root first: its path below the root in the table's names, or nil when
    /// nothing read lies below it.
    private var keys: [String?] = []
    private var field: (field: UBLField, text: String, attributes: [String: String], line: Int)?
    private(set) var failure: WorkflowError?
    private(set) var invoice: EInvoice?
    /// Whether a root element was seen at all.
    private(set) var sawRoot = false

    init(keptLines: Int) {
        self.keptLines = keptLines
    }

    func didStartElement(_ parser: SAXParser, name elementName: String, namespaceURI: String, attributes: [String: String]) {
        run(parser) {
            let line = parser.lineNumber
            // Only the kind is taken out: a copy of the builder would make its next change copy
            // every line it holds.
            guard let kind = builder?.kind, !keys.isEmpty else {
                builder = EInvoiceBuilder(kind: try Self.kind(of: elementName, namespaceURI, line: line), keptLines: keptLines)
                sawRoot = true
                keys.append("")
                return
            }
            guard field == nil, let parentKey = keys[keys.count - 1],
                  let token = matchName(UBLNamespace.name(elementName, in: namespaceURI), kind: kind) else {
                keys.append(nil)
                return
            }
            let path = parentKey.isEmpty ? token : parentKey + "/" + token
            let key = Self.prefixes.contains(path) ? path : nil
            keys.append(key)
            guard let key else { return }
            if let group = UBLGroup.byPath[key] { builder?.open(group) }
            if let field = UBLField.byPath[key] { self.field = (field, "", attributes, line) }
        }
    }

    func foundCharacters(_ parser: SAXParser, _ string: String) {
        guard failure == nil, field != nil else { return }
        field?.text += string
        run(parser) { try checkLength() }
    }

    func didEndElement(_ parser: SAXParser, name elementName: String, namespaceURI: String) {
        run(parser) {
            guard let popped = keys.popLast() else { return }
            if keys.isEmpty {
                invoice = try builder?.finish(endingAt: parser.lineNumber)
                return
            }
            guard let key = popped else { return }
            if let read = field {
                field = nil
                try builder?.read(read.field, read.text, attributes: read.attributes, line: read.line)
            }
            if let group = UBLGroup.byPath[key] { try builder?.close(group, endingAt: parser.lineNumber) }
        }
    }

    func parseErrorOccurred(_ parser: SAXParser, code: Int) {
        guard failure == nil, !Self.warnings.contains(code) else { return }
        failure = WorkflowError(.invalidData, Message("error.invoice_malformed", [
            "line": "\(parser.lineNumber)", "column": "\(parser.columnNumber)", "reason": .message(Self.reason(code)),
        ]), context: ["xml_error": "\(code)"])
        parser.abort()
    }

    // MARK: Helpers

    /// Runs one event's work unless reading has failed; a thrown error ends the parse.
    private func run(_ parser: SAXParser, _ work: () throws -> Void) {
        guard failure == nil else { return }
        do {
            try work()
        } catch {
            failure = error as? WorkflowError
                ?? WorkflowError(.internalError, Message("error.internal", ["reason": "\(error)"]), underlying: error)
            parser.abort()
        }
    }

    /// The name the field table knows an element by: a credit note's line is an invoice line
    /// there; an invoice's names in a credit note (and the other way round) match nothing.
    private func matchName(_ name: String, kind: EInvoice.Kind) -> String? {
        switch kind {
        case .invoice:
            return UBLNamespace.creditNoteNames[name] == nil ? name : nil
        case .creditNote:
            if let renamed = UBLNamespace.creditNoteNames[name] { return renamed }
            return UBLNamespace.creditNoteNames.values.contains(name) ? nil : name
        }
    }

    private func checkLength() throws {
        guard let field, let kind = builder?.kind, field.text.utf8.count > EInvoiceBuilder.maximumTextLength else { return }
        throw WorkflowError(.invalidData, Message("error.invoice_too_long", [
            "path": "\(kind.path(field.field.path))", "line": "\(field.line)", "limit": "\(EInvoiceBuilder.maximumTextLength)",
        ]))
    }

    private static func kind(of name: String, _ namespace: String, line: Int) throws -> EInvoice.Kind {
        switch (name, namespace) {
        case ("Invoice", UBLNamespace.invoice): return .invoice
        case ("CreditNote", UBLNamespace.creditNote): return .creditNote
        case ("Invoice", let found), ("CreditNote", let found):
            throw WorkflowError(.invalidData, Message("error.invoice_namespace", [
                "element": "\(name)", "line": "\(line)", "namespace": "\(found.isEmpty ? "-" : found)",
                "expected": "\(name == "Invoice" ? UBLNamespace.invoice : UBLNamespace.creditNote)",
            ]))
        default:
            throw WorkflowError(.invalidData, Message("error.invoice_root", [
                "element": "\(UBLNamespace.name(name, in: namespace).prefix(200))", "line": "\(line)",
            ]))
        }
    }

    /// libxml2's error codes (`xmlParserErrors`) that a person can be told in words.
    static func reason(_ code: Int) -> Message {
        switch code {
        case 4: return Message("invoice.xml.empty")
        case 5: return Message("invoice.xml.extra_content")
        case 9, 81: return Message("invoice.xml.character")
        case 26, 27: return Message("invoice.xml.entity")
        case 76: return Message("invoice.xml.tag_mismatch")
        case 77: return Message("invoice.xml.unclosed")
        case 201: return Message("invoice.xml.prefix")
        default: return Message("invoice.xml.other", ["code": "\(code)"])
        }
    }
}
