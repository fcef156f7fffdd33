import Foundation
internal import CPostgres

extension Connection {
    // MARK: Pipeline

    /// Sends several statements in one round trip (libpq pipeline mode) and returns their results.
    ///
    /// The statements run in one implicit transaction up to the sync that ends the pipeline: when
    /// one fails, the ones after it are skipped and everything is rolled back; that first error is
    /// thrown.
    public func pipeline(_ statements: [SQL]) throws -> [QueryResult] {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(code: .unexpectedResult, message: "could not enter pipeline mode: " + Connection.oneLine(lastErrorMessage))
        }
        defer { PQexitPipelineMode(handle) }
        // After a streamed statement, an unnamed empty Parse first: libpq leaves the single-row
        // mode it kept on when the pipeline moves past it, so the statements' results come whole
        // (its answer travels with theirs: no round trip is added).
        let clearing = singleRowModeLingers
        if clearing {
            guard PQsendPrepare(handle, "", "", 0, nil) == 1 else {
                throw PostgresError(code: .unexpectedResult, message: "could not send: " + Connection.oneLine(lastErrorMessage))
            }
            singleRowModeLingers = false
        }
        for sql in statements {
            try send(sql)
        }
        guard PQpipelineSync(handle) == 1 else { throw connectionError(sql: nil) }
        var results: [QueryResult] = []
        var firstError: PostgresError? = nil
        if clearing {
            while let raw = PQgetResult(handle) { _ = ResultHandle(raw) }
        }
        for sql in statements {
            // Each statement yields its result and then a NULL.
            while let raw = PQgetResult(handle) {
                let result = ResultHandle(raw)
                if result.status == PGRES_PIPELINE_ABORTED { continue }
                do { results.append(try check(result, sql: sql)) } catch let error as PostgresError { firstError = firstError ?? error }
            }
            if !isOK { throw firstError ?? connectionError(sql: sql) }
        }
        // Then the sync point's own result.
        while let raw = PQgetResult(handle) {
            let result = ResultHandle(raw)
            if result.status == PGRES_PIPELINE_SYNC { break }
        }
        if let firstError {
            // A pipeline that opened a transaction block leaves it aborted: close it.
            if PQtransactionStatus(handle) == PQTRANS_INERROR {
                PQexitPipelineMode(handle)
                _ = try? execute("ROLLBACK")
            }
            throw firstError
        }
        return results
    }

    private func nextPreparedName() -> String {
        preparedNames += 1
        return "s\(preparedNames)"
    }

    /// The most statements `each(_:)` keeps in flight: what they send and what they get back stays
    /// well inside the socket buffers, so a blocking write can never wait on an unread result.
    package static let pipelineDepth = 128

    /// Runs statements pipelined, each in a transaction of its own: a sync follows every
    /// statement, so each commits or fails alone, and the client waits on the network once per
    /// `pipelineDepth` statements instead of once per statement. Statements are prepared on the
    /// session the first time their text is seen, inside the same pipeline.
    ///
    /// Returns one result per statement, in order. Only a lost connection throws; a statement's own
    /// error is its result, and the statements after it run as they would have without it.
    public func each(_ statements: [SQL]) throws -> [Result<QueryResult, PostgresError>] {
        var results: [Result<QueryResult, PostgresError>] = []
        results.reserveCapacity(statements.count)
        var start = 0
        while start < statements.count {
            let chunk = statements[start..<min(start + Connection.pipelineDepth, statements.count)]
            try pipelineChunk(chunk, into: &results)
            start += chunk.count
        }
        return results
    }

    private func pipelineChunk(_ chunk: ArraySlice<SQL>, into results: inout [Result<QueryResult, PostgresError>]) throws {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(code: .unexpectedResult, message: "could not enter pipeline mode: " + Connection.oneLine(lastErrorMessage))
        }
        defer { PQexitPipelineMode(handle) }
        // After a streamed statement, an unnamed empty Parse first: libpq leaves the single-row
        // mode it kept on when the pipeline moves past it, so the statements' results come whole
        // (its answer travels with theirs: no round trip is added).
        let clearing = singleRowModeLingers
        if clearing {
            guard PQsendPrepare(handle, "", "", 0, nil) == 1 else {
                throw PostgresError(code: .unexpectedResult, message: "could not send: " + Connection.oneLine(lastErrorMessage))
            }
            singleRowModeLingers = false
        }
        // Which statements carry their own Parse: a text first seen here.
        var preparing: [Bool] = []
        for sql in chunk {
            try Connection.checkBinds(sql)
            let count = Int32(sql.binds.count)
            let name: String
            if let known = prepared[sql.text] {
                name = known
                preparing.append(false)
            } else {
                name = nextPreparedName()
                let sent = sql.types.withUnsafeBufferPointer { types in PQsendPrepare(handle, name, sql.text, count, types.baseAddress) }
                guard sent == 1 else { throw connectionError(sql: sql) }
                prepared[sql.text] = name
                preparing.append(true)
            }
            let sent = Connection.withOptionalCStrings(sql.binds) { values in
                PQsendQueryPrepared(handle, name, count, values, nil, nil, 0)
            }
            guard sent == 1, PQpipelineSync(handle) == 1 else { throw connectionError(sql: sql) }
        }
        if clearing {
            while let raw = PQgetResult(handle) { _ = ResultHandle(raw) }
        }
        for (sql, preparing) in zip(chunk, preparing) {
            var failure: PostgresError? = nil
            if preparing {
                while let raw = PQgetResult(handle) {
                    do { _ = try check(ResultHandle(raw), sql: sql) } catch let error as PostgresError { failure = error }
                }
                // A statement the server could not parse is not known by that name.
                if failure != nil { prepared[sql.text] = nil }
            }
            // The statement's result (skipped when its Parse failed), the NULL that ends it, its sync.
            var outcome: QueryResult? = nil
            while let raw = PQgetResult(handle) {
                let result = ResultHandle(raw)
                if result.status == PGRES_PIPELINE_ABORTED { continue }
                do { outcome = try check(result, sql: sql) } catch let error as PostgresError { failure = failure ?? error }
            }
            guard let raw = PQgetResult(handle), ResultHandle(raw).status == PGRES_PIPELINE_SYNC else {
                throw failure ?? connectionError(sql: sql)
            }
            if let failure {
                if failure.code == .connectionLost { throw failure }
                results.append(.failure(failure))
            } else if let outcome {
                results.append(.success(outcome))
            } else {
                throw connectionError(sql: sql)
            }
        }
    }
}
