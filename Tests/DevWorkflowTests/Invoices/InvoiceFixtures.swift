import Foundation
import Testing
@testable import DevWorkflow

/// The UBL documents under `Fixtures/`, written by hand to Peppol BIS Billing 3.0 (the good ones
/// pass the UBL 2.1 schema and the EN 16931 and Peppol schematrons; see `Fixtures/README.md`).
enum InvoiceFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func read(_ name: String, keptLines: Int = EInvoiceReader.defaultKeptLines) throws -> EInvoice {
        try EInvoiceReader(keptLines: keptLines).read(file: path(name))
    }

    /// A fixture with one piece of its text replaced; the test fails if the piece is not there.
    static func variant(_ name: String, _ replacements: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        var text = try self.text(name)
        for (old, new) in replacements {
            #expect(text.contains(old), "\(name) has no \(old)", sourceLocation: sourceLocation)
            text = text.replacingOccurrences(of: old, with: new)
        }
        return Data(text.utf8)
    }

    /// The error reading `data` throws, or a recorded issue when it reads.
    static func failure(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) -> WorkflowError? {
        failure(sourceLocation: sourceLocation) { try EInvoiceReader().read(data) }
    }

    static func failure(sourceLocation: SourceLocation = #_sourceLocation, _ read: () throws -> EInvoice) -> WorkflowError? {
        refusal(sourceLocation: sourceLocation) { _ = try read() }
    }

    /// The line (1-based) of the first line of `name` that contains `text`.
    static func line(of text: String, in name: String) throws -> Int {
        let lines = try self.text(name).components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.contains(text) }) else {
            Issue.record("\(name) has no line with \(text)")
            return 0
        }
        return index + 1
    }
}

extension Money {
    /// Cents from a literal amount, for expectations: `Money("1234.50")`.
    init(_ text: String) { self = try! Money(parsing: text) }
}

extension Message {
    /// An argument as the English text shows it.
    func argument(_ name: String) -> String? { arguments[name]?.text(.en) }
}
