import Foundation

/// An e-invoice operator's drop folder, as workflowd takes it in (`--invoices DIR`): each file
/// is imported once and moved to `done/` (matched, or imported before), `held/` (held, with a
/// reason file listing why) or `refused/` (unreadable, or refused by the database, with a reason
/// file). Files whose names start with `.` or end in `.tmp` or `.part` are still being written
/// and wait; so do sub-folders.
///
/// A file that was imported but not yet moved when the daemon stopped is imported again on the
/// next pass: the database knows the document by its SHA-256 and answers what happened to it
/// then, so nothing is stored twice.
public struct InvoiceFolder {
    public let path: String
    /// The language of the reason files (the daemon's locale).
    public let language: Language

    public init(path: String, language: Language) {
        self.path = path
        self.language = language
    }

    /// Where a file went and why.
    public enum Outcome: String, Sendable {
        case done, held, refused
    }

    public struct Taken: Sendable {
        public var file: String
        public var outcome: Outcome
        public var invoiceID: Int64?
        public var reasons: [String]
    }

    /// Creates the three folders when missing; refuses a folder that is not one.
    public func prepare() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WorkflowError(.ioError, Message("error.invoices_folder", ["folder": "\(path)", "reason": "not a folder"]))
        }
        for outcome in [Outcome.done, .held, .refused] {
            do {
                try FileManager.default.createDirectory(atPath: "\(path)/\(outcome.rawValue)", withIntermediateDirectories: true)
            } catch {
                throw WorkflowError(.ioError, Message("error.invoices_folder", ["folder": "\(path)", "reason": "\(error.localizedDescription)"]))
            }
        }
    }

    /// The files waiting, oldest name first.
    public func waiting() throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw WorkflowError(.ioError, Message("error.invoices_folder", ["folder": "\(path)", "reason": "\(error.localizedDescription)"]))
        }
        return names.filter { name in
            guard !name.hasPrefix("."), !name.hasSuffix(".tmp"), !name.hasSuffix(".part") else { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// How many documents share one round trip and one flush to disk.
    static let batchSize = 64

    /// Imports every waiting file. A database that is unreachable or refuses the login stops the
    /// pass (the files wait for the next); a document that cannot be read or that the database
    /// refuses goes to `refused/`.
    ///
    /// The files are read on a second thread while the database stores the ones read before, and
    /// stored in batches (`WorkflowStore.importInvoices`, in the files' order, so the outcomes are
    /// those of one file at a time); a file is moved only once its batch is on disk.
    public func takeIn(with store: WorkflowStore, reader: EInvoiceReader = EInvoiceReader(keptLines: 0)) throws -> [Taken] {
        try takeIn(with: store, reader: reader, batchSize: Self.batchSize)
    }

    /// `takeIn(with:reader:)` in batches of `batchSize` (tests make them small).
    func takeIn(with store: WorkflowStore, reader: EInvoiceReader, batchSize: Int) throws -> [Taken] {
        let names = try waiting()
        guard !names.isEmpty else { return [] }
        let ahead = InvoiceReadAhead(folder: path, names: names, reader: reader, capacity: 2 * batchSize)
        defer { ahead.stop() }
        var taken: [Taken] = []
        while true {
            let batch = ahead.next(upTo: batchSize)
            if batch.isEmpty { break }
            // The documents read, in order; the files that could not be read wait beside them.
            var reads: [EInvoiceReader.Read] = []
            for item in batch { if case let .success(read) = item.read { reads.append(read) } }
            var stored = try store.importInvoices(reads).makeIterator()
            for item in batch {
                do {
                    let result = try item.read.flatMap { _ in stored.next()! }.get()
                    let reasons = result.reasons.map { $0.text(language) }
                    let outcome: Outcome = result.status == "held" ? .held : .done
                    try move(item.name, to: outcome, reasons: outcome == .held ? reasons : [])
                    taken.append(Taken(file: item.name, outcome: outcome, invoiceID: result.id, reasons: reasons))
                } catch let error as WorkflowError where error.code == .invalidData || error.code == .ioError {
                    // Unreadable, or refused by the database (the same number twice): the file's own fault.
                    try move(item.name, to: .refused, reasons: [error.message(in: language)])
                    taken.append(Taken(file: item.name, outcome: .refused, invoiceID: nil, reasons: [error.message(in: language)]))
                }
            }
        }
        return taken
    }

    /// Moves a file into an outcome's folder, with `NAME.reason.txt` beside it when there are
    /// reasons; a name already there gets a number.
    private func move(_ name: String, to outcome: Outcome, reasons: [String]) throws {
        let folder = "\(path)/\(outcome.rawValue)"
        var target = name
        var counter = 1
        while FileManager.default.fileExists(atPath: "\(folder)/\(target)") {
            counter += 1
            target = "\(counter)-\(name)"
        }
        do {
            if !reasons.isEmpty {
                let text = reasons.map { "- \($0)" }.joined(separator: "\n") + "\n"
                try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(target).reason.txt"), options: .atomic)
            }
            try FileManager.default.moveItem(atPath: "\(path)/\(name)", toPath: "\(folder)/\(target)")
        } catch {
            throw WorkflowError(.ioError, Message("error.invoices_folder", ["folder": "\(path)", "reason": "\(error.localizedDescription)"]))
        }
    }
}
