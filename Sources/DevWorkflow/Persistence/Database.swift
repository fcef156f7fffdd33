import Foundation

/// Where the product's database is, and how a connection to it is set up.
public enum Database {
    /// Session settings every product connection starts with, sent in the startup packet.
    ///
    /// The search path is fixed to the product's schema (nothing else can shadow its tables);
    /// dates are shown and interpreted in Europe/Tallinn; `lock_timeout` bounds how long a
    /// change waits for a row another session holds before it gives up as a conflict.
    ///
    /// `actAs` names the person an admin acts for (`--as`); the database honours it for admins
    /// only and records both.
    public static func settings(lockTimeout: String = "5s", actAs: String? = nil) -> [(String, String)] {
        var settings = [("search_path", Migrator.schema), ("TimeZone", "Europe/Tallinn"), ("DateStyle", "ISO, YMD"),
                        ("IntervalStyle", "postgres"), ("lock_timeout", lockTimeout)]
        if let actAs { settings.append(("devworkflow.act_as", actAs)) }
        return settings
    }

    /// Connects with the product's session settings; a failure to connect is `unavailable`.
    public static func connect(_ conninfo: String, applicationName: String = "devworkflow", actAs: String? = nil) throws -> Connection {
        do {
            return try Connection(conninfo, settings: settings(actAs: actAs), applicationName: applicationName)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// The environment variables through which libpq itself can name a server.
    static let libpqLocators = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE"]

    /// Picks the database: an explicit connection string, else `WORKFLOW_DATABASE_URL`, else
    /// libpq's own environment, else the embedded cluster (which must be running).
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let explicit { return explicit }
        if let url = environment["WORKFLOW_DATABASE_URL"], !url.isEmpty { return url }
        if libpqLocators.contains(where: { environment[$0].map { !$0.isEmpty } ?? false }) { return "" }
        let cluster = EmbeddedCluster(directory: EmbeddedCluster.defaultDirectory(environment: environment))
        guard FileManager.default.fileExists(atPath: cluster.dataDirectory + "/PG_VERSION") else {
            throw WorkflowError(.unavailable, "no database configured: pass --database, set WORKFLOW_DATABASE_URL, or create the embedded one with `workflowctl cluster start`")
        }
        return cluster.conninfo
    }
}

extension WorkflowError {
    /// Translates a database error into what the user meets: conflicts, refusals and outages get
    /// their own codes; the rest is internal and keeps the server's words.
    public init(postgres error: PostgresError) {
        let state = error.sqlState
        switch (error.code, state) {
        case (.connectionFailed, _):
            self.init(.unavailable, "database unavailable: \(error.message)", underlying: error)
        case (.connectionLost, _):
            self.init(.unavailable, "connection lost: \(error.message)", underlying: error)
        case (_, SQLState.workflowConflict?), (_, SQLState.serializationFailure?), (_, SQLState.deadlockDetected?):
            self.init(.conflict, error.message, underlying: error)
        case (_, SQLState.lockNotAvailable?), (_, SQLState.queryCanceled?):
            self.init(.conflict, "the request is being changed by someone else right now (\(error.message)): try again", underlying: error)
        case (_, SQLState.workflowForbidden?), (_, SQLState.insufficientPrivilege?):
            self.init(.notPermitted, error.message, underlying: error)
        case (_, SQLState.workflowNotFound?):
            self.init(.notFound, error.message, underlying: error)
        case (_, SQLState.workflowRefused?), (_, SQLState.historyAppendOnly?), (_, SQLState.checkViolation?),
             (_, SQLState.uniqueViolation?), (_, SQLState.foreignKeyViolation?), (_, SQLState.notNullViolation?),
             (_, SQLState.invalidTextRepresentation?), (_, SQLState.numericValueOutOfRange?),
             (_, SQLState.invalidDatetimeFormat?), (_, SQLState.datetimeFieldOverflow?), (_, SQLState.stringDataRightTruncation?):
            self.init(.invalidData, error.description, underlying: error)
        case (_, SQLState.readOnlySQLTransaction?):
            self.init(.readOnly, "the database is read-only (a standby?): connect to the primary to make changes", underlying: error)
        default:
            self.init(.internalError, "database error\(state.map { " \($0)" } ?? ""): \(error.message)", underlying: error)
        }
    }
}
