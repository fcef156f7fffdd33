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
    /// The file streams through COPY into a temporary table and one INSERT proposes every row;
    /// memory does not grow with the file. A bad row aborts everything with an error naming its
    /// line. An import notifies nobody: a backlog is not news.
    public func importRequests(system: String, from reader: CSVReader) throws -> ImportResult {
        guard let (_, rawHeader) = try reader.next() else {
            throw WorkflowError(.invalidData, Message("error.import_empty"))
        }
        let layout = try ImportLayout(header: rawHeader)
        // Who first: a login with no person record sees no systems, and must hear why.
        guard let actor = try actor() else {
            throw WorkflowError(.notPermitted, Message("error.no_person"))
        }
        guard actor.role != .vendor else { throw WorkflowError(.notPermitted, Message("error.vendor_proposes", ["login": "\(actor.login)"])) }
        guard try run("SELECT 1 FROM system WHERE key = \(system)").count == 1 else { throw WorkflowError(.notFound, Message("error.no_system", ["system": "\(system)"])) }

        do {
            return try connection.transaction {
                try connection.execute("SET LOCAL devworkflow.bulk = 'on'")
                try connection.execute("CREATE TEMP TABLE request_import (line integer, title text, description text, requester text) ON COMMIT DROP")
                try connection.copyIn("COPY request_import FROM STDIN (FORMAT csv)") { writer in
                    while let (line, fields) = try reader.next() {
                        guard let (title, description, requester) = try layout.row(line: line, fields: fields) else { continue }
                        try writer.write("\(line),\(Self.csvField(title)),\(Self.csvField(description)),\(Self.csvField(requester))\n")
                    }
                }
                let row = try connection.query("""
                    WITH added AS (
                        INSERT INTO request (system, title, description, requester)
                        SELECT \(system), title, description, requester FROM request_import ORDER BY line
                        RETURNING number
                    )
                    SELECT count(*), min(number), max(number) FROM added
                    """).first!
                let count: Int = try row.decode(0)
                let first: Int? = try row.decode(1), last: Int? = try row.decode(2)
                return ImportResult(system: system, count: count, first: first.map { "\(system)-\($0)" }, last: last.map { "\(system)-\($0)" })
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
            let title = fields[titleIndex].trimmingCharacters(in: .whitespacesAndNewlines)
            let description = descriptionIndex.map { fields[$0] } ?? ""
            let requester = requesterIndex.map { fields[$0] } ?? ""
            do {
                try RequestValidation.check(title: title, description: description, requester: requester)
            } catch let error as WorkflowError {
                throw WorkflowError(.invalidData, Message("error.import_line", ["line": "\(line)", "problem": .message(error.text)]))
            }
            return (title, description, requester)
        }
    }

    /// A field for COPY's CSV, always quoted (an unquoted empty field would be NULL).
    ///
    /// Quotes are doubled scalar by scalar: a quote followed by a combining mark is one Swift
    /// Character that is not `"`, so replacing Characters left it single and the rest of the cell
    /// spilled into the next column (found by the CSV fuzzer; `"\u{301}` in a title broke the import).
    static func csvField(_ text: String) -> String {
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }
}
