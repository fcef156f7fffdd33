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
    ///
    /// `devworkflow.wake_after_commit` tells `move()` and the proposal trigger not to call
    /// `pg_notify` inside the transaction (sql/0005): `WorkflowStore` wakes workflowd after the
    /// commit instead, so that moves on many connections can commit together.
    public static func settings(lockTimeout: String = "5s", actAs: String? = nil) -> [(String, String)] {
        var settings = [("search_path", Migrator.schema), ("TimeZone", "Europe/Tallinn"), ("DateStyle", "ISO, YMD"),
                        ("IntervalStyle", "postgres"), ("lock_timeout", lockTimeout), ("devworkflow.wake_after_commit", "on")]
        if let actAs { settings.append(("devworkflow.act_as", actAs)) }
        return settings
    }

    /// Connects to the database `resolve` picks; when that is the embedded cluster and it cannot
    /// be reached, the error says why and what to do (start it, or get a login to it).
    public static func connect(explicit: String?, environment: [String: String], applicationName: String,
                               actAs: String? = nil) throws -> Connection {
        let conninfo = try resolve(explicit: explicit, environment: environment)
        do {
            return try connect(conninfo, applicationName: applicationName, actAs: actAs)
        } catch let error as WorkflowError {
            let cluster = EmbeddedCluster(directory: EmbeddedCluster.defaultDirectory(environment: environment))
            guard explicit == nil, conninfo == cluster.conninfo, let explained = cluster.explain(connectionFailure: error) else { throw error }
            throw explained
        }
    }

    /// Connects with the product's session settings; a failure to connect is `unavailable`.
    public static func connect(_ conninfo: String, applicationName: String = "devworkflow", actAs: String? = nil) throws -> Connection {
        do {
            return try Connection(conninfo, settings: settings(actAs: actAs), applicationName: applicationName)
        } catch let error as PostgresError where error.code == .invalidConnectionString {
            // A connection string libpq cannot parse is the caller's mistake, not an outage.
            throw WorkflowError(.usage, Message("error.bad_conninfo", ["reason": "\(error.message)"]), underlying: error)
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
    }

    /// The refusal naming the grant a login lacks, when the schema is there but the session's
    /// login is neither a member of `role` nor of the schema's owner: a login a DBA made but never
    /// let into DevWorkflow meets "permission denied for schema" or a table that seems not to
    /// exist, which said nothing of the cause. Nil when the login may, the schema is missing (not
    /// migrated), or the check itself fails.
    static func missingGrant(_ role: String, on connection: Connection) -> WorkflowError? {
        guard let row = try? connection.query("""
            SELECT session_user::text,
                   EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = \(Migrator.schema)
                                                         AND NOT pg_has_role(session_user, n.nspowner, 'MEMBER'))
                   AND NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = \(role) AND pg_has_role(session_user, r.oid, 'MEMBER'))
            """).first,
              let login = try? row.decode(0, as: String.self), (try? row.decode(1, as: Bool.self)) == true else { return nil }
        let key = role == daemonRole ? "error.not_the_daemon" : "error.not_a_user"
        return WorkflowError(.notPermitted, Message(key, ["login": "\(login)", "role": "\(role)"]))
    }

    /// The group roles a DBA grants: to each person's login, and to workflowd's.
    static let userRole = "devworkflow_user", daemonRole = "devworkflow_daemon"

    /// The environment variables through which libpq itself can name a server.
    static let libpqLocators = ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGSERVICE"]

    /// Picks the database: an explicit connection string, else `WORKFLOW_DATABASE_URL`, else
    /// libpq's own environment, else the embedded cluster (which must be running).
    public static func resolve(explicit: String?, environment: [String: String] = ProcessEnvironment.current()) throws -> String {
        if let explicit { return explicit }
        if let url = environment["WORKFLOW_DATABASE_URL"], !url.isEmpty { return url }
        if libpqLocators.contains(where: { environment[$0].map { !$0.isEmpty } ?? false }) { return "" }
        let cluster = EmbeddedCluster(directory: EmbeddedCluster.defaultDirectory(environment: environment))
        guard cluster.exists else { throw WorkflowError(.unavailable, Message("error.no_database")) }
        return cluster.conninfo
    }
}

extension WorkflowError {
    /// Translates a database error into what the user meets: conflicts, refusals and outages get
    /// their own codes; the schema's own refusals carry their catalogue key and values in DETAIL
    /// (as JSON), so they read in the user's language too; anything else keeps the server's words.
    public init(postgres error: PostgresError) {
        let state = error.sqlState
        let reason: MessageArgument = "\(error.message)"
        switch (error.code, state) {
        case (.connectionFailed, _):
            self.init(.unavailable, Message("error.database_unavailable", ["reason": reason]), underlying: error)
            return
        case (.connectionLost, _):
            self.init(.unavailable, Message("error.connection_lost", ["reason": reason]), underlying: error)
            return
        case (.nulCharacter, _):
            self.init(.invalidData, Message("error.nul"), underlying: error)
            return
        default:
            break
        }
        let code: Code
        switch state {
        case SQLState.workflowConflict?, SQLState.serializationFailure?, SQLState.deadlockDetected?: code = .conflict
        case SQLState.lockNotAvailable?, SQLState.queryCanceled?: code = .conflict
        case SQLState.workflowForbidden?, SQLState.insufficientPrivilege?: code = .notPermitted
        case SQLState.workflowNotFound?: code = .notFound
        case SQLState.workflowUsage?: code = .usage
        case SQLState.workflowRefused?, SQLState.historyAppendOnly?, SQLState.checkViolation?, SQLState.uniqueViolation?,
             SQLState.foreignKeyViolation?, SQLState.notNullViolation?, SQLState.invalidTextRepresentation?,
             SQLState.numericValueOutOfRange?, SQLState.invalidDatetimeFormat?, SQLState.datetimeFieldOverflow?,
             SQLState.stringDataRightTruncation?:
            code = .invalidData
        case SQLState.readOnlySQLTransaction?: code = .readOnly
        default: code = .internalError
        }
        if let text = WorkflowError.catalogueText(in: error.detail) {
            self.init(code, text, underlying: error)
            return
        }
        switch state {
        case SQLState.lockNotAvailable?, SQLState.queryCanceled?, SQLState.serializationFailure?, SQLState.deadlockDetected?:
            // The reason in the reader's language, not the server's English.
            let why: String
            switch state {
            case SQLState.lockNotAvailable?: why = "error.busy.lock"
            case SQLState.queryCanceled?: why = "error.busy.cancelled"
            case SQLState.deadlockDetected?: why = "error.busy.deadlock"
            default: why = "error.busy.concurrent"
            }
            self.init(code, Message("error.busy", ["reason": .message(Message(why))]), underlying: error)
        case SQLState.readOnlySQLTransaction?:
            self.init(code, Message("error.read_only"), underlying: error)
        case SQLState.invalidSchemaName?, SQLState.undefinedTable?, SQLState.undefinedFunction?:
            // The product's statements name only its own schema, tables and functions: one of
            // them missing means a database not migrated, or migrated by an older build.
            self.init(.unavailable, Message("error.not_migrated", ["reason": reason]), underlying: error)
        case SQLState.insufficientPrivilege?:
            self.init(code, Message("error.privilege", ["reason": reason]), underlying: error)
        default:
            let detail: MessageArgument = "\(error.description)"
            if code == .internalError {
                self.init(code, Message("error.database", ["state": "\(state?.rawValue ?? "-")", "reason": reason]), underlying: error)
            } else {
                self.init(code, Message("error.database_refused", ["reason": detail]), underlying: error)
            }
        }
    }

    /// The catalogue text a schema function put in DETAIL: `{"key": …, "name": value, …}`.
    /// A value may say how to show it: `state:KEY`, `transition:KEY`, `transitions:A,B`,
    /// `words:A,B`, `message:KEY` (another catalogue text), `actors:A,B` (who may take a step),
    /// `inputs:A,B` (the options that give them), `detail:{…}` (a whole nested refusal).
    static func catalogueText(in detail: String?) -> Message? {
        guard let detail, detail.hasPrefix("{"), case let .object(pairs)? = try? JSONValue.parse(detail),
              case let .string(key)? = pairs.first(where: { $0.0 == "key" })?.1, Catalogue.entries[key] != nil else { return nil }
        var arguments: [String: MessageArgument] = [:]
        for (name, value) in pairs where name != "key" {
            arguments[name] = argument(value.plain)
        }
        return Message(key, arguments)
    }

    /// One DETAIL value as a message argument, by its prefix.
    private static func argument(_ text: String) -> MessageArgument {
        func items(_ rest: Substring) -> [String] {
            rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "none" }
        }
        guard let colon = text.firstIndex(of: ":") else { return .text(text) }
        let rest = text[text.index(after: colon)...]
        switch text[..<colon] {
        case "state": return .state(String(rest))
        case "transition": return .transition(String(rest))
        case "transitions": return .transitions(items(rest))
        case "words": return .words(items(rest))
        case "message" where Catalogue.entries[String(rest)] != nil: return .message(Message(String(rest)))
        case "actors": return .list(items(rest).map { .message(Message("allowed.\($0)")) }, conjunction: true)
        case "inputs":
            return .words(items(rest).map { WorkflowDefinition.InputField(rawValue: $0)?.option ?? "--\($0.replacingOccurrences(of: "_", with: "-"))" })
        case "detail": return catalogueText(in: String(rest)).map(MessageArgument.message) ?? .text(String(rest))
        default: return .text(text)
        }
    }
}
