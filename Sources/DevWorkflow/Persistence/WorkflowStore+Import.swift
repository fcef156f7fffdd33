import Foundation

extension WorkflowStore {
    /// What an import stored.
    public struct ImportResult: Sendable, Equatable {
        public let system: String
        public let count: Int
        public let first: String?
        public let last: String?
    }

    /// The columns an import file may have; `title` is required.
    static let importColumns = ["title", "description", "requester"]

    /// Loads a backlog from CSV (a header naming `title` and optionally `description` and
    /// `requester`) into a system, all rows or none.
    ///
    /// Rows go to the database's `propose_many()` a thousand at a time in one transaction, so
    /// memory does not grow with the file; the database checks each row as `request new` would
    /// and a bad one aborts everything with an error naming its line. A backlog is not news:
    /// the system's product owners hear of the import once, not of each row.
    public func importRequests(system: String, from reader: CSVReader, batch: Int = 1000) throws -> ImportResult {
        guard let (_, rawHeader) = try reader.next() else {
            throw WorkflowError(.invalidData, Message("error.import_empty"))
        }
        let layout = try ImportLayout(header: rawHeader)
        do {
            return try connection.transaction {
                var first: String?, last: String?, count = 0
                var rows: [JSONValue] = []
                func send() throws {
                    guard !rows.isEmpty || count == 0 else { return }
                    let row = try connection.query("""
                        SELECT first, last, count FROM workflow.propose_many(\(system), \(JSONDocument(text: JSONValue.array(rows).text)))
                        """).first!
                    if let batchFirst: String = try row.decode(0), first == nil { first = batchFirst }
                    if let batchLast: String = try row.decode(1) { last = batchLast }
                    count += try row.decode(2, as: Int.self)
                    rows.removeAll(keepingCapacity: true)
                }
                while let (line, fields) = try reader.next() {
                    guard let (title, description, requester) = try layout.row(line: line, fields: fields) else { continue }
                    rows.append(.object([("line", .int(line)), ("title", .string(title)), ("description", .string(description)),
                                         ("requester", .string(requester))]))
                    if rows.count == batch { try send() }
                }
                try send()
                if let first, let last {
                    try connection.execute("SELECT workflow.import_done(\(system), \(first), \(last), \(count)::integer)")
                }
                return ImportResult(system: system, count: count, first: first, last: last)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// Where an import file keeps its columns, read from its header; checks each row. Pure, so
    /// the bad-input fuzzer can drive it without a database.
    struct ImportLayout {
        let header: [String]
        let titleIndex: Int
        let descriptionIndex: Int?
        let requesterIndex: Int?

        init(header rawHeader: [String]) throws {
            header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            for name in header where !WorkflowStore.importColumns.contains(name) {
                throw WorkflowError(.invalidData, Message("error.import_column", ["column": "\(name.prefix(40))"]))
            }
            guard Set(header).count == header.count else { throw WorkflowError(.invalidData, Message("error.import_column_twice")) }
            guard let titleIndex = header.firstIndex(of: "title") else {
                throw WorkflowError(.invalidData, Message("error.import_no_title"))
            }
            self.titleIndex = titleIndex
            descriptionIndex = header.firstIndex(of: "description")
            requesterIndex = header.firstIndex(of: "requester")
        }

        /// A record's title, description and requester as they will be stored; nil for a blank
        /// line; an `invalidData` error naming the line for a bad row.
        func row(line: Int, fields: [String]) throws -> (title: String, description: String, requester: String)? {
            if fields.isEmpty { return nil }  // a blank line
            guard fields.count == header.count else {
                throw WorkflowError(.invalidData, Message("error.import_fields", ["line": "\(line)", "expected": "\(header.count)",
                                                                                     "columns": "\(header.joined(separator: ","))", "found": "\(fields.count)"]))
            }
            // What a title, description or requester may be is the database's rule (propose_many);
            // a NUL is no text at all, which no PostgreSQL text can hold.
            if fields.contains(where: { $0.unicodeScalars.contains("\u{0}") }) {
                throw WorkflowError(.invalidData, Message("error.import_line", ["line": "\(line)", "problem": .message(Message("error.nul"))]))
            }
            let title = fields[titleIndex].trimmingCharacters(in: .whitespacesAndNewlines)
            let description = descriptionIndex.map { fields[$0] } ?? ""
            let requester = requesterIndex.map { fields[$0] } ?? ""
            return (title, description, requester)
        }
    }
}
