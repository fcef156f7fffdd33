internal import CPostgres
import Foundation

/// One connection to PostgreSQL through libpq; the only owner of its `PGconn`.
///
/// A connection is used by one thread at a time and is not `Sendable`; share one through an
/// actor or give each thread its own. Every libpq call that returns a result goes through
/// `take(_:)`, which wraps the result before its status is read, so `PQclear` always runs.
public final class Connection {
    package let handle: OpaquePointer
    /// Statements prepared on this session, by text: `s1`, `s2` …
    var prepared: [String: String] = [:]
    /// Names handed out so far: a name is never given twice, even after a failed prepare.
    var preparedNames = 0
    /// libpq keeps single-row mode on after a streamed statement until the next statement starts
    /// outside a pipeline; a pipeline started meanwhile would get its first result row by row.
    var singleRowModeLingers = false

    /// Connects with a libpq connection string or `postgresql://` URI; what it leaves out comes
    /// from libpq's environment (`PGHOST`, `PGSERVICE`, `.pgpass`, `sslmode` …).
    ///
    /// - Parameter settings: server settings for this session (`search_path`, `TimeZone` …), sent
    ///   in the startup packet so they cost no round trip.
    public init(_ conninfo: String = "", settings: [(String, String)] = [], applicationName: String = "devworkflow") throws {
        var keywords: [String] = []
        var values: [String] = []
        var errorMessage: UnsafeMutablePointer<CChar>? = nil
        guard let parsed = PQconninfoParse(conninfo, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(code: .invalidConnectionString, message: Connection.oneLine(message))
        }
        defer { PQconninfoFree(parsed) }
        var userOptions: String? = nil
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let key = String(cString: keyword)
                if key == "options" {
                    userOptions = String(cString: value)
                } else {
                    keywords.append(key)
                    values.append(String(cString: value))
                }
            }
            option += 1
        }
        // getenv, not ProcessInfo's environment: that builds a dictionary of every variable on each read.
        let environment = { (name: String) in getenv(name).map { String(cString: $0) } }
        if !keywords.contains("connect_timeout"), environment("PGCONNECT_TIMEOUT") == nil {
            keywords.append("connect_timeout")
            values.append("10")
        }
        keywords.append("fallback_application_name")
        values.append(applicationName)
        let ours = settings.map { "-c \(Connection.escapeOption($0.0))=\(Connection.escapeOption($0.1))" }
        let inherited = userOptions ?? environment("PGOPTIONS")
        let allOptions = ([inherited].compactMap { $0 }.filter { !$0.isEmpty } + ours).joined(separator: " ")
        if !allOptions.isEmpty {
            keywords.append("options")
            values.append(allOptions)
        }
        let timeout = keywords.firstIndex(of: "connect_timeout").flatMap { Int(values[$0]) }
            ?? environment("PGCONNECT_TIMEOUT").flatMap { Int($0) } ?? 0
        // Started, not made in one call: the notice processor must be in place before libpq reads
        // the server's first bytes. Server notices (NOTICE: … already exists) are not for the
        // user's terminal, and a session ended right as it was accepted (pg_terminate_backend, a
        // shutdown) sends its FATAL with the welcome, which libpq's default processor printed to
        // stderr above our own one-line error.
        let connection = Connection.withCStrings(keywords) { keys in
            Connection.withCStrings(values) { vals in PQconnectStartParams(keys, vals, 0) }
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "could not allocate a connection")
        }
        // Owned from here on: deinit finishes it, also after a failed connect.
        self.handle = connection
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        try finishConnecting(timeout: timeout)
        guard PQstatus(connection) == CONNECTION_OK else {
            throw PostgresError(code: .connectionFailed, message: Connection.oneLine(lastErrorMessage))
        }
    }

    /// Whether a server answers at `conninfo` at all (`PQping`): one that refuses this login, or
    /// is starting or stopping, answers too; only no server, or a connection string libpq cannot
    /// use, does not.
    public static func serverAnswers(_ conninfo: String) -> Bool {
        switch PQping(conninfo) {
        case PQPING_OK, PQPING_REJECT: return true
        default: return false
        }
    }

    /// Drives a started connection to its end as `PQconnectdb` does: waits on the socket for what
    /// `PQconnectPoll` asks, each attempt (a new socket: the next host or address) bounded by
    /// `timeout` seconds, 0 for no bound. Unlike libpq's own loop, a timed-out attempt ends the
    /// connect instead of moving on to the next host.
    private func finishConnecting(timeout: Int) throws {
        guard PQstatus(handle) != CONNECTION_BAD else { return }
        // libpq's own minimum: shorter timeouts are raised to 2 seconds.
        let seconds = timeout > 0 ? Double(max(timeout, 2)) : nil
        var polling = PGRES_POLLING_WRITING
        var socket = PQsocket(handle)
        var deadline = seconds.map { Date().addingTimeInterval($0) }
        while polling != PGRES_POLLING_OK && polling != PGRES_POLLING_FAILED {
            let current = PQsocket(handle)
            if current != socket {
                socket = current
                deadline = seconds.map { Date().addingTimeInterval($0) }
            }
            var descriptor = pollfd(fd: current, events: Int16(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
            let milliseconds = deadline.map { Int32(max(0, min($0.timeIntervalSinceNow, 86_400)) * 1000) } ?? -1
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { throw PostgresError(code: .connectionFailed, message: "timeout expired") }
            polling = PQconnectPoll(handle)
        }
    }

    deinit { PQfinish(handle) }

    /// libpq's last error message for this connection.
    package var lastErrorMessage: String {
        guard let text = PQerrorMessage(handle) else { return "" }
        return String(cString: text)
    }

    /// True while the connection is usable.
    public var isOK: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's process id for this session (for `pg_terminate_backend` in tests).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Where this connection went, for a log: the database, the login and the server (a socket
    /// folder or a host, with its port). Never the password.
    public var whereabouts: (database: String, user: String, server: String) {
        func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        let host = text(PQhost(handle)), port = text(PQport(handle))
        return (text(PQdb(handle)), text(PQuser(handle)), port.isEmpty ? host : "\(host):\(port)")
    }

    /// The socket, for waiting on with `poll`.
    public var socket: Int32 { PQsocket(handle) }

    /// The server's version number (150018 for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// True inside a transaction block (also a failed one).
    public var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    // MARK: Queries

    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) throws -> QueryResult {
        try Connection.checkBinds(sql)
        let result = try take(sendParameters(sql, send: false), sql: sql)
        return try check(result, sql: sql)
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affectedRows
    }

    /// Runs statements that take no parameters, several separated by `;` (migrations).
    public func executeScript(_ text: String) throws {
        let sql = SQL(unsafe: text)
        var last: QueryResult? = nil
        guard PQsendQuery(handle, text) == 1 else { throw connectionError(sql: sql) }
        var firstError: PostgresError? = nil
        while let raw = PQgetResult(handle) {
            let result = ResultHandle(raw)
            do { last = try check(result, sql: sql) } catch let error as PostgresError { firstError = firstError ?? error }
        }
        _ = last
        if let firstError { throw firstError }
        if !isOK { throw connectionError(sql: sql) }
    }

    /// Streams a result row by row in libpq's single-row mode: the whole result never sits in
    /// memory. If `body` throws, the statement is cancelled and the error rethrown.
    public func stream(_ sql: SQL, _ body: (Row) throws -> Void) throws {
        try send(sql)
        singleRowModeLingers = true
        guard PQsetSingleRowMode(handle) == 1 else {
            drain()
            throw PostgresError(code: .unexpectedResult, message: "could not enter single-row mode", query: sql.text)
        }
        var failure: (any Error)? = nil
        while let raw = PQgetResult(handle) {
            let result = ResultHandle(raw)
            if failure != nil { continue }
            switch result.status {
            case PGRES_SINGLE_TUPLE:
                do {
                    try body(Row(handle: result, index: 0))
                } catch {
                    failure = error
                    cancel()
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                continue
            default:
                do { _ = try check(result, sql: sql) } catch { failure = error }
            }
        }
        if let failure { throw failure }
        if !isOK { throw connectionError(sql: sql) }
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    public func transaction<T>(_ begin: SQL = "BEGIN", _ body: () throws -> T) throws -> T {
        try execute(begin)
        let value: T
        do {
            value = try body()
        } catch {
            if isOK { _ = try? execute("ROLLBACK") }
            throw error
        }
        try execute("COMMIT")
        return value
    }

    // MARK: Helpers

    /// Quotes an identifier with libpq's own escaping.
    public func quoteIdentifier(_ name: String) throws -> String {
        guard let escaped = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw PostgresError(code: .invalidArgument, message: "cannot quote identifier: " + Connection.oneLine(lastErrorMessage))
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    /// Asks the server to cancel the statement running on this connection.
    public func cancel() {
        guard let token = PQgetCancel(handle) else { return }
        defer { PQfreeCancel(token) }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(token, &buffer, Int32(buffer.count))
    }

    /// Sends a statement without waiting for its result (for streaming).
    package func send(_ sql: SQL) throws {
        try Connection.checkBinds(sql)
        guard sendParameters(sql, send: true) != nil else { throw connectionError(sql: sql) }
    }

    /// Refuses a parameter with a NUL character: libpq sends parameters as C strings, so the
    /// value would arrive cut short at the NUL, and PostgreSQL's text cannot hold one anyway.
    package static func checkBinds(_ sql: SQL) throws {
        for bind in sql.binds where bind?.utf8.contains(0) == true {
            throw PostgresError(code: .nulCharacter, message: "a value contains a NUL character")
        }
    }

    /// Sends (or executes, when `send` is false) with parameters. With `send` the return value is
    /// non-nil on success only as a marker.
    func sendParameters(_ sql: SQL, send: Bool) -> OpaquePointer? {
        let count = Int32(sql.binds.count)
        return Connection.withOptionalCStrings(sql.binds) { values in
            sql.types.withUnsafeBufferPointer { types in
                if send {
                    let ok = PQsendQueryParams(handle, sql.text, count, types.baseAddress, values, nil, nil, 0)
                    return ok == 1 ? OpaquePointer(bitPattern: 1) : nil
                }
                return PQexecParams(handle, sql.text, count, types.baseAddress, values, nil, nil, 0)
            }
        }
    }

    /// Wraps a result pointer (so it is cleared), or reports why there is none.
    func take(_ pointer: OpaquePointer?, sql: SQL) throws -> ResultHandle {
        guard let pointer else { throw connectionError(sql: sql) }
        return ResultHandle(pointer)
    }

    /// Turns a result's status into rows or an error.
    func check(_ result: ResultHandle, sql: SQL) throws -> QueryResult {
        switch result.status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_SINGLE_TUPLE, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_PIPELINE_SYNC:
            return QueryResult(handle: result)
        default:
            let state = result.field(Int32(UInt8(ascii: "C"))).map(SQLState.init)
            let message = result.field(Int32(UInt8(ascii: "M"))) ?? Connection.firstLine(ofLibpqMessage: lastErrorMessage)
            // The server always sends a SQLSTATE; an error without one is libpq's own, about the
            // connection ("server closed the connection unexpectedly"), even while PQstatus still
            // says OK (it learns of the closed socket only on the next read).
            let lost = !isOK || state == nil || (state?.meansConnectionLost ?? false)
            throw PostgresError(
                code: lost ? .connectionLost : .server,
                sqlState: state,
                message: message.isEmpty ? "statement failed" : message,
                detail: result.field(Int32(UInt8(ascii: "D"))),
                hint: result.field(Int32(UInt8(ascii: "H"))),
                constraint: result.field(Int32(UInt8(ascii: "n"))),
                table: result.field(Int32(UInt8(ascii: "t"))),
                column: result.field(Int32(UInt8(ascii: "c"))),
                query: sql.text)
        }
    }

    /// The error for a call that failed without a result: a lost connection, usually.
    func connectionError(sql: SQL?) -> PostgresError {
        let message = Connection.firstLine(ofLibpqMessage: lastErrorMessage)
        // libpq said why (a closed socket, a failed send) even if PQstatus has not caught up.
        return PostgresError(code: isOK && message.isEmpty ? .unexpectedResult : .connectionLost,
                             message: message.isEmpty ? "connection lost" : message, query: sql?.text)
    }

    /// Reads and drops every pending result.
    func drain() {
        while let raw = PQgetResult(handle) { _ = ResultHandle(raw) }
    }

    /// The first line of a libpq message without its severity: what broke. The CONTEXT lines
    /// that may follow (`pg_terminate_backend` while a function waits for a lock) quote the
    /// function's SQL, which a message for people never carries.
    package static func firstLine(ofLibpqMessage text: String) -> String {
        let first = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        for severity in ["FATAL:", "PANIC:", "ERROR:"] where first.hasPrefix(severity) {
            return first.dropFirst(severity.count).trimmingCharacters(in: .whitespaces)
        }
        return first
    }

    /// A message of several lines (libpq's "… Connection refused" then "Is the server running …?")
    /// as one: each line that does not end its sentence is ended with a full stop.
    package static func oneLine(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.enumerated().map { index, line in
            index < lines.count - 1 && !".:;,!?".contains(line.last!) ? line + "." : line
        }.joined(separator: " ")
    }

    private static func escapeOption(_ text: String) -> String {
        var escaped = ""
        for c in text {
            if c == " " || c == "\\" { escaped.append("\\") }
            escaped.append(c)
        }
        return escaped
    }

    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    static func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        if strings.isEmpty { return body(nil) }
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { pointers.forEach { free($0) } }
        return pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

@available(*, unavailable)
extension Connection: Sendable {}
