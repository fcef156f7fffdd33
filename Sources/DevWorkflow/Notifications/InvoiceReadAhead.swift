import Foundation

/// Reads a drop folder's files on a thread of its own, in order, a bounded number ahead of the
/// one that stores them: parsing (libxml2, on one core) and the database (on the other)
/// then work at the same time.
///
/// `@unchecked Sendable`: every mutable field is read and written only while `condition` is
/// locked; the names, folder and reader are constants.
final class InvoiceReadAhead: @unchecked Sendable {
    /// One file and what reading it gave.
    struct Item: Sendable {
        let name: String
        let read: Result<EInvoiceReader.Read, WorkflowError>
    }

    private let folder: String
    private let names: [String]
    private let reader: EInvoiceReader
    private let capacity: Int
    private let condition = NSCondition()
    private var ready: [Item] = []
    private var handedOut = 0
    private var stopping = false
    private var finished = false

    /// Starts reading `names` in `folder`, at most `capacity` files ahead of `next(upTo:)`.
    init(folder: String, names: [String], reader: EInvoiceReader, capacity: Int) {
        self.folder = folder
        self.names = names
        self.reader = reader
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in run() }
        thread.name = "invoice-read-ahead"
        thread.start()
    }

    /// The next files in order, at most `count`: waits until that many are read or every file
    /// is; empty once every file was handed out.
    func next(upTo count: Int) -> [Item] {
        condition.lock()
        defer { condition.unlock() }
        let wanted = min(count, names.count - handedOut)
        while ready.count < wanted && !finished { condition.wait() }
        let batch = Array(ready.prefix(wanted))
        ready.removeFirst(batch.count)
        handedOut += batch.count
        condition.broadcast()
        return batch
    }

    /// Stops reading ahead and waits until the thread has stopped (it finishes the file it is in).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    private func run() {
        for name in names {
            condition.lock()
            while ready.count >= capacity && !stopping { condition.wait() }
            let stop = stopping
            condition.unlock()
            if stop { break }
            let read: Result<EInvoiceReader.Read, WorkflowError>
            do {
                read = .success(try reader.readDigesting(file: "\(folder)/\(name)"))
            } catch let error as WorkflowError {
                read = .failure(error)
            } catch {
                read = .failure(WorkflowError(.internalError, Message("error.internal", ["reason": "\(error)"]), underlying: error))
            }
            condition.lock()
            ready.append(Item(name: name, read: read))
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
