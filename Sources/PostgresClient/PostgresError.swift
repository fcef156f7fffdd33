/// A five-character SQLSTATE with names for the codes the product reacts to.
///
/// The set is open: any code the server sends is representable, the constants only name the
/// ones that code paths compare against.
public struct SQLState: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    /// The two-character class ("08" connection exception, "40" transaction rollback …).
    public var errorClass: String { String(rawValue.prefix(2)) }

    public static let uniqueViolation = SQLState("23505")
    public static let foreignKeyViolation = SQLState("23503")
    public static let checkViolation = SQLState("23514")
    public static let notNullViolation = SQLState("23502")
    public static let exclusionViolation = SQLState("23P01")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    public static let adminShutdown = SQLState("57P01")
    public static let crashShutdown = SQLState("57P02")
    public static let cannotConnectNow = SQLState("57P03")
    public static let queryCanceled = SQLState("57014")
    public static let lockNotAvailable = SQLState("55P03")
    public static let readOnlySQLTransaction = SQLState("25006")
    public static let syntaxError = SQLState("42601")
    public static let invalidSchemaName = SQLState("3F000")
    public static let undefinedTable = SQLState("42P01")
    public static let undefinedFunction = SQLState("42883")
    public static let insufficientPrivilege = SQLState("42501")
    public static let invalidTextRepresentation = SQLState("22P02")
    public static let invalidDatetimeFormat = SQLState("22007")
    public static let datetimeFieldOverflow = SQLState("22008")
    public static let numericValueOutOfRange = SQLState("22003")
    public static let stringDataRightTruncation = SQLState("22001")
    public static let raiseException = SQLState("P0001")
    public static let idleInTransactionTimeout = SQLState("25P03")

    // Raised by the schema's own functions and triggers (sql/), so callers can tell a refused
    // workflow step from a broken statement without reading message text.
    /// The request changed since the version the caller saw.
    public static let workflowConflict = SQLState("DW409")
    /// The person may not do this.
    public static let workflowForbidden = SQLState("DW403")
    /// A referenced request, system, vendor or person does not exist.
    public static let workflowNotFound = SQLState("DW404")
    /// The call itself is wrong: inputs missing, or ones the transition does not take.
    public static let workflowUsage = SQLState("DW400")
    /// A guard or a data rule refused the change.
    public static let workflowRefused = SQLState("DW422")
    /// A write on the append-only history.
    public static let historyAppendOnly = SQLState("DW405")

    /// True for the class of errors where the connection itself is gone or going.
    public var meansConnectionLost: Bool {
        errorClass == "08" || self == .adminShutdown || self == .crashShutdown || self == .cannotConnectNow
    }
}

/// An error from PostgreSQL or from libpq, with everything the server said about it.
///
/// `description` is for people and never carries SQL or parameters; `debugDescription` does.
public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is, independent of the server's SQLSTATE.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No connection could be made (server down, wrong socket, authentication refused).
        public static let connectionFailed = Code("connection failed")
        /// The connection broke while in use (backend terminated, server restarted).
        public static let connectionLost = Code("connection lost")
        /// The server refused or failed a statement; `sqlState` says why.
        public static let server = Code("server error")
        /// A value could not be decoded into the Swift type asked for.
        public static let decoding = Code("decoding failed")
        /// The server answered with something the caller did not expect.
        public static let unexpectedResult = Code("unexpected result")
        /// The caller used the API wrongly (an identifier libpq cannot quote, …).
        public static let invalidArgument = Code("invalid argument")
        /// A parameter holds a NUL character, which libpq cannot send and PostgreSQL cannot store.
        public static let nulCharacter = Code("NUL in a parameter")
        /// libpq cannot parse the connection string; the message is libpq's reason.
        public static let invalidConnectionString = Code("invalid connection string")
    }

    public var code: Code
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?
    /// The statement text, for debugging only.
    public var query: String?

    public init(code: Code, sqlState: SQLState? = nil, message: String, detail: String? = nil, hint: String? = nil,
                constraint: String? = nil, table: String? = nil, column: String? = nil, query: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
        self.query = query
    }

    public var description: String {
        var text = message
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        return text
    }

    public var debugDescription: String {
        var parts = ["PostgresError(code: \(code)"]
        if let sqlState { parts.append("sqlState: \(sqlState)") }
        parts.append("message: \(message)")
        if let detail { parts.append("detail: \(detail)") }
        if let hint { parts.append("hint: \(hint)") }
        if let constraint { parts.append("constraint: \(constraint)") }
        if let table { parts.append("table: \(table)") }
        if let column { parts.append("column: \(column)") }
        if let query { parts.append("query: \(query)") }
        return parts.joined(separator: ", ") + ")"
    }
}
