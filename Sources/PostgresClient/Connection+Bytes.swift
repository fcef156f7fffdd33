import Foundation
internal import CPostgres

extension Connection {
    // MARK: Bytes in chunks

    /// The type OID of `bytea`.
    static let byteaOID: UInt32 = 17

    /// Stores a stream of bytes a chunk at a time: runs `statement(k)` for chunk k = 0, 1, 2 …,
    /// with the chunk bound after the statement's own parameters (`$n+1`) in binary format (a
    /// `bytea`, no hex), until `next` fills no more.
    ///
    /// The statements are pipelined `depth` deep: the caller reads (and hashes) the next chunk
    /// while the server stores this one, and memory holds a chunk or two whatever the size.
    /// Run it inside the caller's transaction: the first statement that fails makes the rest
    /// fail too, and that first error is thrown once every answer is read. An error `next`
    /// throws is thrown the same way, after what was sent is answered.
    ///
    /// - Parameter next: fills the buffer with the next chunk (replacing its contents); false
    ///   when there is none.
    /// - Returns: the number of chunks stored.
    @discardableResult
    public func sendChunks(depth: Int = 2, _ statement: (Int) -> SQL, next: (inout [UInt8]) throws -> Bool) throws -> Int {
        try inPipeline { sent, answered in
            var chunk: [UInt8] = []
            var failure: (any Error)? = nil
            while failure == nil {
                do { guard try next(&chunk) else { break } } catch { failure = error; break }
                let sql = statement(sent)
                try sendWithBytes(sql, chunk)
                sent += 1
                while sent - answered > depth, failure == nil {
                    failure = readAnswer(sql: sql, { _ in })
                    answered += 1
                }
            }
            return failure
        }
    }

    /// Runs one statement with `bytes` bound after its own parameters (`$n+1`) as a `bytea` in
    /// binary format (no hex: the bytes cross once, as they are), and returns its rows. For a
    /// value that is in memory already (a mail's attachments); a stream goes through
    /// `sendChunks`.
    @discardableResult
    public func query(_ sql: SQL, bytes: [UInt8]) throws -> QueryResult {
        let pointer = try withBytesParameters(sql, bytes) { count, types, values, lengths, formats in
            PQexecParams(handle, sql.text, count, types, values, lengths, formats, 0)
        }
        return try check(take(pointer, sql: sql), sql: sql)
    }

    /// Calls `body` with libpq's parameter arrays for `sql`'s own parameters (text) and `bytes`
    /// bound after them as a `bytea` in binary format: their count, types, values, lengths and
    /// formats. The one place both `query(_:bytes:)` and the pipelined `sendWithBytes` build them.
    private func withBytesParameters<T>(_ sql: SQL, _ bytes: [UInt8],
                                        _ body: (Int32, [UInt32], UnsafePointer<UnsafePointer<CChar>?>?, [Int32], [Int32]) -> T) throws -> T {
        try Connection.checkBinds(sql)
        let count = sql.binds.count + 1
        let types = sql.types + [Connection.byteaOID]
        let formats = [Int32](repeating: 0, count: count - 1) + [1]
        let lengths = [Int32](repeating: 0, count: count - 1) + [Int32(clamping: bytes.count)]
        let pointers: [UnsafeMutablePointer<CChar>?] = sql.binds.map { $0.map { strdup($0) } ?? nil }
        defer { pointers.forEach { free($0) } }
        return bytes.withUnsafeBufferPointer { data in
            // A zero-length bytea still needs a pointer that is not NULL (NULL would bind NULL).
            data.withMemoryRebound(to: CChar.self) { chars in
                withUnsafePointer(to: CChar(0)) { empty in
                    let values = pointers.map { UnsafePointer($0) } + [chars.baseAddress.map { UnsafePointer($0) } ?? empty]
                    return values.withUnsafeBufferPointer { values in
                        body(Int32(count), types, values.baseAddress, lengths, formats)
                    }
                }
            }
        }
    }

    /// Reads a stream of bytes a chunk at a time: runs `statement(k)` for k in `0..<count`, each
    /// answering one `bytea` (asked for in binary format), pipelined `depth` deep, and hands each
    /// value to `consumer` in order. A NULL answer is an error (a chunk missing). If `consumer`
    /// throws, the rest is not asked for and its error is thrown.
    public func receiveChunks(count: Int, depth: Int = 4, _ statement: (Int) -> SQL,
                              _ consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        _ = try inPipeline { sent, answered in
            var failure: (any Error)? = nil
            while answered < count, failure == nil {
                while sent < count, sent - answered < depth {
                    try send(statement(sent), binaryResult: true)
                    sent += 1
                }
                let sql = statement(answered)
                failure = readAnswer(sql: sql) { result in
                    guard PQntuples(result.pointer) == 1, PQnfields(result.pointer) == 1, PQgetisnull(result.pointer, 0, 0) == 0 else {
                        throw PostgresError(code: .unexpectedResult, message: "chunk \(answered) is missing", query: sql.text)
                    }
                    let length = Int(PQgetlength(result.pointer, 0, 0))
                    try consumer(UnsafeRawBufferPointer(start: PQgetvalue(result.pointer, 0, 0), count: length))
                }
                answered += 1
            }
            return failure
        }
    }

    /// Runs `body` in pipeline mode with the counts of statements sent and answered; afterwards
    /// reads the answers still owed, leaves pipeline mode and throws the first failure.
    private func inPipeline(_ body: (inout Int, inout Int) throws -> (any Error)?) throws -> Int {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(code: .unexpectedResult, message: "could not enter pipeline mode: " + Connection.oneLine(lastErrorMessage))
        }
        defer { PQexitPipelineMode(handle) }
        var sent = 0, answered = 0
        var failure = try body(&sent, &answered)
        while answered < sent {
            let owed = readAnswer(sql: nil) { _ in }
            failure = failure ?? owed
            answered += 1
            if !isOK { break }
        }
        if let failure { throw failure }
        return sent
    }

    /// Sends one statement and the sync that follows it; with `binaryResult` its rows come in
    /// binary format.
    private func send(_ sql: SQL, binaryResult: Bool) throws {
        try Connection.checkBinds(sql)
        let sent = Connection.withOptionalCStrings(sql.binds) { values in
            sql.types.withUnsafeBufferPointer { types in
                PQsendQueryParams(handle, sql.text, Int32(sql.binds.count), types.baseAddress, values, nil, nil, binaryResult ? 1 : 0)
            }
        }
        guard sent == 1, PQpipelineSync(handle) == 1 else { throw connectionError(sql: sql) }
    }

    /// Sends a statement with `bytes` as one more parameter in binary format, and its sync.
    private func sendWithBytes(_ sql: SQL, _ bytes: [UInt8]) throws {
        let sent = try withBytesParameters(sql, bytes) { count, types, values, lengths, formats in
            PQsendQueryParams(handle, sql.text, count, types, values, lengths, formats, 0)
        }
        guard sent == 1, PQpipelineSync(handle) == 1 else { throw connectionError(sql: sql) }
    }

    /// Reads one statement's answer (its result, the NULL after it, its sync point) and hands a
    /// result with rows to `body`; returns the statement's error or `body`'s, nil when it went well.
    private func readAnswer(sql: SQL?, _ body: (ResultHandle) throws -> Void) -> (any Error)? {
        var failure: (any Error)? = nil
        while let raw = PQgetResult(handle) {
            let result = ResultHandle(raw)
            switch result.status {
            case PGRES_PIPELINE_SYNC:
                return failure
            case PGRES_PIPELINE_ABORTED:
                continue
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                if failure == nil {
                    do { try body(result) } catch { failure = error }
                }
            default:
                do { _ = try check(result, sql: sql ?? SQL(unsafe: "")) } catch { failure = failure ?? error }
            }
        }
        // The NULL after the result: the sync point's own result follows.
        if let raw = PQgetResult(handle), ResultHandle(raw).status == PGRES_PIPELINE_SYNC { return failure }
        return failure ?? connectionError(sql: sql)
    }
}
