import Foundation

extension WorkflowStore {
    /// What an import stored, or would store.
    public struct ImportResult: Sendable, Equatable {
        public let system: String
        /// Requests stored (none for a dry run, or when a line was wrong).
        public let count: Int
        public let first: String?
        public let last: String?
        /// Rows read that are fit to store.
        public var rows = 0
        public var dryRun = false
        /// Every line that is wrong: with any, nothing was stored.
        public var problems: [Note] = []
        /// Rows whose title a request of the system (or an earlier row) already has: stored all the same.
        public var duplicates: [Note] = []
    }

    /// One line of an import file, and what is to be said of it.
    public struct Note: Sendable, Equatable {
        public let line: Int
        public let message: Message
    }

    /// The columns an import file may have; `title` is required.
    static let importColumns = ["title", "description", "requester"]
    /// The same columns as an Estonian spreadsheet names them.
    static let estonianColumns = ["pealkiri": "title", "kirjeldus": "description", "taotleja": "requester"]

    /// Loads a backlog from CSV (a header naming `title` and optionally `description` and
    /// `requester`) into a system, all rows or none; with `dryRun` it only checks them.
    ///
    /// Rows go to the database a thousand at a time in one transaction, so memory does not grow
    /// with the file: `import_check()` says what is wrong with each row (every row, so every bad
    /// line is named) and which request already has its title; while no line was wrong,
    /// `propose_many()` stores them. A wrong line leaves nothing stored (`problems` lists them
    /// all). A backlog is not news: the system's product owners hear of the import once.
    /// `progress` hears how many rows were read after each batch.
    public func importRequests(system: String, from reader: CSVReader, dryRun: Bool = false, batch: Int = 1000,
                               progress: (Int) -> Void = { _ in }) throws -> ImportResult {
        guard let (_, rawHeader) = try reader.next() else {
            throw WorkflowError(.invalidData, Message("error.import_empty"))
        }
        let layout = try ImportLayout(header: rawHeader)
        var problems: [Note] = [], duplicates: [Note] = []
        var seen: [String: Int] = [:], repeated: Set<Int> = []
        var first: String?, last: String?, count = 0, rows = 0
        /// Thrown to roll back what earlier batches stored once a line is wrong.
        struct Wrong: Error {}
        do {
            try connection.transaction {
                var batchRows: [JSONValue] = []
                func send() throws {
                    defer { batchRows.removeAll(keepingCapacity: true) }
                    let document = JSONDocument(text: JSONValue.array(batchRows).text)
                    if !batchRows.isEmpty || rows == 0 {
                        for row in try connection.query("SELECT line, problem::text, duplicate_of FROM workflow.import_check(\(system), \(document))") {
                            let line: Int = try row.decode(0)
                            if let problem: String = try row.decode(1) {
                                let text = WorkflowError.catalogueText(in: problem) ?? Message("error.database_refused", ["reason": "\(problem)"])
                                problems.append(Note(line: line, message: Message("error.import_line", ["line": "\(line)", "problem": .message(text)])))
                            } else if let existing: String = try row.decode(2), !repeated.contains(line) {
                                duplicates.append(Note(line: line, message: Message("out.import.duplicate", ["line": "\(line)", "request": "\(existing)"])))
                            }
                        }
                    }
                    guard !dryRun, problems.isEmpty, !batchRows.isEmpty || count == 0 else { return }
                    let row = try connection.query("SELECT first, last, count FROM workflow.propose_many(\(system), \(document))").first!
                    if let batchFirst: String = try row.decode(0), first == nil { first = batchFirst }
                    if let batchLast: String = try row.decode(1) { last = batchLast }
                    count += try row.decode(2, as: Int.self)
                }
                while let (line, fields) = try reader.next() {
                    let checked: (title: String, description: String, requester: String)?
                    do { checked = try layout.row(line: line, fields: fields) } catch let error as WorkflowError where error.code == .invalidData {
                        problems.append(Note(line: line, message: error.text))
                        continue
                    }
                    guard let (title, description, requester) = checked else { continue }
                    rows += 1
                    // A title the file itself repeats (the database sees the earlier one only once stored).
                    let key = title.lowercased()
                    if let earlier = seen[key] {
                        duplicates.append(Note(line: line, message: Message("out.import.repeated", ["line": "\(line)", "earlier": "\(earlier)"])))
                        repeated.insert(line)
                    } else if seen.count < 1_000_000 {
                        seen[key] = line
                    }
                    // A spreadsheet saved on Windows breaks a cell's lines with CR LF: stored as LF,
                    // so mails, exports and JSON carry the text's lines, not a stray CR.
                    let lines = description.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                    batchRows.append(.object([("line", .int(line)), ("title", .string(title)), ("description", .string(lines)),
                                              ("requester", .string(requester))]))
                    if batchRows.count == batch {
                        try send()
                        progress(rows)
                    }
                }
                try send()
                if !problems.isEmpty { throw Wrong() }
                if let first, let last {
                    try connection.execute("SELECT workflow.import_done(\(system), \(first), \(last), \(count)::integer)")
                }
            }
        } catch is Wrong {
            first = nil; last = nil; count = 0
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        return ImportResult(system: system, count: count, first: first, last: last, rows: rows, dryRun: dryRun,
                            problems: problems.sorted { $0.line < $1.line }, duplicates: duplicates.sorted { $0.line < $1.line })
    }

    /// Where an import file keeps its columns, read from its header; checks each row. Pure, so
    /// the bad-input fuzzer can drive it without a database.
    struct ImportLayout {
        let header: [String]
        /// The header's names as the file wrote them, for messages about its rows.
        let written: [String]
        let titleIndex: Int
        let descriptionIndex: Int?
        let requesterIndex: Int?

        init(header rawHeader: [String]) throws {
            written = rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }
            header = written.map { name in WorkflowStore.estonianColumns[name.lowercased()] ?? name.lowercased() }
            // A column not known is named as the file wrote it.
            for (name, given) in zip(header, written) where !WorkflowStore.importColumns.contains(name) {
                throw WorkflowError(.invalidData, Message("error.import_column", ["column": "\(given.prefix(40))"]))
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
        /// line or a row whose every field is empty or blank; an `invalidData` error naming the
        /// line for a bad row.
        func row(line: Int, fields: [String]) throws -> (title: String, description: String, requester: String)? {
            // A blank line, or a row of separators only (`;;`): a spreadsheet in Estonian locale
            // writes those below the data it saved, as many fields as the widest row has.
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { return nil }
            guard fields.count == header.count else {
                throw WorkflowError(.invalidData, Message("error.import_fields", ["line": "\(line)", "expected": "\(header.count)",
                                                                                     "columns": "\(written.joined(separator: ","))", "found": "\(fields.count)"]))
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
