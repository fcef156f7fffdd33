import Foundation

extension WorkflowStore {
    /// The bytes one statement carries each way: a 1 GiB file is 1024 round trips, pipelined, and
    /// memory holds a chunk or two whatever the size.
    public static let chunkSize = 1 << 20

    /// A file just attached: what `attach_finish()` recorded in the request's `attach` event.
    public struct AttachedFile: Sendable, Equatable {
        public let request: String
        /// The file's number within its request.
        public let number: Int
        public let name: String
        public let storedName: String
        public let kind: String
        public let size: Int64
        public let sha256: String
        public let isInternal: Bool
        /// The request's version after the attach event.
        public let version: Int

        /// The file as `--json` shows it.
        public var json: JSONValue {
            .object([("request", .string(request)), ("file", .int(number)), ("name", .string(name)), ("stored_name", .string(storedName)),
                     ("kind", .string(kind)), ("size", .number(String(size))), ("sha256", .string(sha256)), ("internal", .bool(isInternal)),
                     ("version", .int(version))])
        }
    }

    /// Attaches a file from the disk to a request, as `name` (its last path component by default).
    public func attach(_ request: String, path: String, name: String? = nil, kind: String = "other", isInternal: Bool = false) throws -> AttachedFile {
        let handle = try Files.openForReading(path)
        var info = stat()
        let size = fstat(handle.fileDescriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
        return try attach(request, name: name ?? URL(fileURLWithPath: path).lastPathComponent, kind: kind, isInternal: isInternal,
                          size: size) { buffer in try Files.read(handle.fileDescriptor, path: path, into: &buffer, upTo: WorkflowStore.chunkSize) }
    }

    /// Attaches the bytes `next` gives, chunk after chunk, to a request, all or nothing: one
    /// transaction opens the file, stores each chunk as it comes (pipelined), and finishes it with
    /// its size and the SHA-256 computed here on the way; the database numbers the file and
    /// appends the request's `attach` event. A failure at any point (the database's limit, a
    /// read error, a lost connection, the process killed) leaves no file and no event.
    ///
    /// - Parameter size: the size when known beforehand, refused at once when over the limit.
    public func attach(_ request: String, name: String, kind: String = "other", isInternal: Bool = false, size: Int64? = nil,
                       reading next: (inout [UInt8]) throws -> Bool) throws -> AttachedFile {
        var hasher = SHA256()
        var sent: Int64 = 0
        let answer: String
        do {
            answer = try connection.transaction {
                let upload: Int64 = try connection.query("""
                    SELECT workflow.attach_begin(\(request), \(name), \(kind), \(isInternal), \(size))
                    """).first!.decode(0)
                try connection.sendChunks({ "SELECT workflow.attach_chunk(\(upload), \(Int32($0)), $3)" }) { buffer in
                    guard try next(&buffer) else { return false }
                    hasher.update(buffer)
                    sent += Int64(buffer.count)
                    return true
                }
                return try connection.query("SELECT workflow.attach_finish(\(upload), \(sent), \(hasher.hexDigest()))::text").first!.decode(0)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        let json = try JSONValue.parse(answer)
        func text(_ key: String) -> String { json[key]?.plain ?? "" }
        return AttachedFile(request: text("request"), number: Int(text("file")) ?? 0, name: text("name"), storedName: text("stored_name"),
                            kind: text("kind"), size: Int64(text("size")) ?? 0, sha256: text("sha256"), isInternal: text("internal") == "true",
                            version: Int(text("version")) ?? 0)
    }

    /// The files of a request this person may see, in the order they were attached.
    public func files(_ request: String) throws -> [StoredFile] {
        try run("SELECT \(StoredFile.columns) FROM workflow.request_files(\(request))").map(StoredFile.init)
    }

    /// One file of a request, or a not-found error (the same for one this person may not see).
    public func file(_ request: String, _ number: Int) throws -> StoredFile {
        try StoredFile(run("SELECT \(StoredFile.columns) FROM workflow.request_file(\(request), \(Int32(clamping: number)))").first!)
    }

    /// Hands a file's bytes to `consumer` in order, a chunk at a time (memory stays flat), and
    /// checks that they hash to the SHA-256 recorded when the file was attached: a difference
    /// throws `invalidData` after the last chunk (a consumer writing a file should discard it).
    @discardableResult
    public func readFile(_ request: String, _ number: Int, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws -> StoredFile {
        let file = try self.file(request, number)
        var hasher = SHA256()
        do {
            try connection.receiveChunks(count: file.chunks, { "SELECT workflow.file_chunk(\(request), \(Int32(file.number)), \(Int32($0)))" }) { bytes in
                hasher.update(bytes)
                try consumer(bytes)
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        let digest = hasher.hexDigest()
        guard digest == file.sha256 else {
            throw WorkflowError(.invalidData, Message("error.file_digest_mismatch", ["request": "\(request)", "file": "\(number)",
                                                                                     "recorded": "\(file.sha256)", "read": "\(digest)"]))
        }
        return file
    }

    /// The acceptance act of an accepted (or released) order, filled from the database's
    /// `order_act()`: it refuses an order that is not accepted (65) and one this person may not
    /// see like a missing one (66).
    public func act(_ order: String) throws -> AcceptanceAct {
        try AcceptanceAct(facts: document("SELECT workflow.order_act(\(order))::text"))
    }

    /// Changes a setting (admins); the database checks the value. Returns it as kept.
    @discardableResult
    public func setSetting(_ key: String, _ value: String) throws -> String {
        try run("SELECT workflow.set_setting(\(key), \(value))", denied: Message("error.admins_only")).first!.decode(0)
    }
}
