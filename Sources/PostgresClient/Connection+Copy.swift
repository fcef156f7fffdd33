import Foundation
internal import CPostgres

extension Connection {
    // MARK: COPY

    /// Runs `COPY … FROM STDIN`, feeding it what `producer` writes. When the producer throws, the
    /// COPY is aborted (nothing is stored) and its error rethrown. Returns the rows copied.
    @discardableResult
    public func copyIn(_ sql: SQL, _ producer: (CopyWriter) throws -> Void) throws -> Int {
        try Connection.checkBinds(sql)
        let start = try take(sendParameters(sql, send: false), sql: sql)
        guard start.status == PGRES_COPY_IN else {
            _ = try check(start, sql: sql)
            throw PostgresError(code: .unexpectedResult, message: "statement did not start COPY FROM STDIN", query: sql.text)
        }
        let writer = CopyWriter(connection: self)
        var failure: (any Error)? = nil
        do {
            try producer(writer)
            try writer.flush()
        } catch {
            failure = error
        }
        let end = failure.map { "aborted: \($0)" }
        let ended = end.map { PQputCopyEnd(handle, $0) } ?? PQputCopyEnd(handle, nil)
        guard ended == 1 else { throw failure ?? connectionError(sql: sql) }
        return try finishCopy(sql, failure: failure)
    }

    /// Runs `COPY … TO STDOUT`, handing each chunk (one row in text and CSV formats) to `consumer`
    /// as it arrives; memory stays flat whatever the size. Returns the rows copied.
    @discardableResult
    public func copyOut(_ sql: SQL, _ consumer: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try Connection.checkBinds(sql)
        let start = try take(sendParameters(sql, send: false), sql: sql)
        guard start.status == PGRES_COPY_OUT else {
            _ = try check(start, sql: sql)
            throw PostgresError(code: .unexpectedResult, message: "statement did not start COPY TO STDOUT", query: sql.text)
        }
        var failure: (any Error)? = nil
        while true {
            var buffer: UnsafeMutablePointer<CChar>? = nil
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if failure == nil {
                    do { try consumer(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch {
                        failure = error
                        cancel()
                    }
                }
            } else {
                break  // -1: done, -2: error (reported by the final result)
            }
        }
        return try finishCopy(sql, failure: failure)
    }

    /// Reads the results that end a COPY; the caller's own failure wins over the server's error.
    func finishCopy(_ sql: SQL, failure: (any Error)?) throws -> Int {
        var outcome: QueryResult? = nil
        var serverError: PostgresError? = nil
        while let raw = PQgetResult(handle) {
            let result = ResultHandle(raw)
            do { outcome = try check(result, sql: sql) } catch let error as PostgresError { serverError = serverError ?? error }
        }
        if let failure { throw failure }
        if let serverError { throw serverError }
        if !isOK { throw connectionError(sql: sql) }
        return outcome?.affectedRows ?? 0
    }
}

/// Writes COPY data; buffered so rows go to libpq in chunks.
public final class CopyWriter {
    private unowned let connection: Connection
    private var buffer: [UInt8] = []

    package init(connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(1 << 16)
    }

    /// Appends bytes to the COPY stream.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    package func flush() throws {
        guard !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection.handle, $0.baseAddress, Int32($0.count)) }
        }
        buffer.removeAll(keepingCapacity: true)
        guard ok == 1 else {
            throw PostgresError(code: .connectionLost, message: Connection.firstLine(ofLibpqMessage: connection.lastErrorMessage))
        }
    }
}

@available(*, unavailable)
extension CopyWriter: Sendable {}
