import Foundation

/// The private PostgreSQL cluster DevWorkflow manages when no database is configured.
///
/// It lives in one folder (`data/`, `run/` for the Unix socket, `postgresql.log`), listens on a
/// Unix socket only (no TCP port), and authenticates by peer: the operating-system user connects
/// as the role of the same name. PostgreSQL refuses to run as root, so when root starts it the
/// server runs as the `postgres` system user, which then owns the folder.
public struct EmbeddedCluster: Sendable {
    /// The folder holding the cluster.
    public let directory: String
    /// The database the product uses inside the cluster.
    public static let databaseName = "devworkflow"

    public init(directory: String) {
        self.directory = directory
    }

    /// `WORKFLOW_HOME`, else `/var/lib/devworkflow` for root (whose home the server's user cannot
    /// reach), else `$XDG_DATA_HOME/devworkflow` or `~/.local/share/devworkflow`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["WORKFLOW_HOME"], !home.isEmpty { return home }
        if getuid() == 0 { return "/var/lib/devworkflow" }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/devworkflow" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/devworkflow"
    }

    public var dataDirectory: String { directory + "/data" }
    public var socketDirectory: String { directory + "/run" }
    public var logFile: String { directory + "/postgresql.log" }

    /// The connection string for the product's database in this cluster.
    public var conninfo: String { "host=\(socketDirectory) dbname=\(EmbeddedCluster.databaseName)" }

    /// The connection string for the cluster's maintenance database.
    var maintenanceConninfo: String { "host=\(socketDirectory) dbname=postgres" }

    /// Whether the cluster exists and runs.
    public enum State: String, Sendable { case absent, stopped, running }

    /// Where the cluster is, and whether it runs.
    public func state() throws -> State {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") else { return .absent }
        let result = try runAsServerUser(try EmbeddedCluster.binary("pg_ctl"), ["status", "-D", dataDirectory])
        return result.status == 0 ? .running : .stopped
    }

    /// Creates the cluster if needed, starts it if stopped, and creates the product's database.
    ///
    /// - Parameter trust: accept any role over the socket without a password (throwaway test
    ///   clusters only, where tests log in as several people).
    /// - Returns: what was done, for people.
    @discardableResult
    public func start(trust: Bool = false) throws -> Message {
        var done: [MessageArgument] = []
        if try state() == .absent {
            try create(trust: trust)
            done.append(.message(Message("out.cluster.created", ["directory": "\(directory)"])))
        }
        if try state() != .running {
            let result = try runAsServerUser(try EmbeddedCluster.binary("pg_ctl"),
                                             ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60"])
            guard result.status == 0 else {
                throw WorkflowError(.unavailable, Message("error.cluster_start", ["reason": "\(Connection.oneLine(result.stderr + result.stdout))", "log": "\(logFile)"]))
            }
            done.append(.message(Message("out.cluster.started")))
        }
        let connection = try Connection(maintenanceConninfo)
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(EmbeddedCluster.databaseName)").count > 0
        if !exists {
            try connection.execute(SQL(unsafe: "CREATE DATABASE " + (try connection.quoteIdentifier(EmbeddedCluster.databaseName))))
            done.append(.message(Message("out.cluster.database_created", ["database": "\(EmbeddedCluster.databaseName)"])))
        }
        return done.isEmpty ? Message("out.cluster.already_running") : Message("out.cluster.done", ["steps": .list(done, conjunction: false)])
    }

    /// Stops the cluster (fast shutdown); nothing to do when it is not running.
    @discardableResult
    public func stop() throws -> Message {
        guard try state() == .running else { return Message("out.cluster.not_running") }
        let result = try runAsServerUser(try EmbeddedCluster.binary("pg_ctl"), ["stop", "-D", dataDirectory, "-m", "fast", "-w"])
        guard result.status == 0 else {
            throw WorkflowError(.unavailable, Message("error.cluster_stop", ["reason": "\(Connection.oneLine(result.stderr + result.stdout))"]))
        }
        return Message("out.cluster.stopped")
    }

    private func create(trust: Bool) throws {
        let initdb = try EmbeddedCluster.binary("initdb")
        let user = EmbeddedCluster.currentUserName()
        let fm = FileManager.default
        try fm.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: socketDirectory)
        if getuid() == 0 {
            guard let owner = getpwnam(EmbeddedCluster.serverUser) else {
                throw WorkflowError(.unavailable, Message("error.cluster_user", ["user": "\(EmbeddedCluster.serverUser)"]))
            }
            // The server's user must own the folder; its parents must let it pass.
            for path in [directory, socketDirectory] { chown(path, owner.pointee.pw_uid, owner.pointee.pw_gid) }
        }
        let result = try runAsServerUser(initdb, [
            "-D", dataDirectory, "-U", user, "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=" + (trust ? "trust" : "peer"), "--auth-host=reject",
        ])
        guard result.status == 0 else {
            throw WorkflowError(.unavailable, Message("error.initdb", ["reason": "\(Connection.oneLine(result.stderr))"]))
        }
        // Unix socket only, in our own folder; settings the product expects.
        let settings = """

            # DevWorkflow embedded cluster
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory)'
            timezone = 'Europe/Tallinn'
            log_timezone = 'Europe/Tallinn'
            max_connections = 100
            shared_buffers = 128MB
            """
        try appendAsServerUser(dataDirectory + "/postgresql.conf", settings)
        if !trust {
            // Socket only. The operating-system user connects as the role of the same name; the
            // server's own user may also act as the cluster's owner (for maintenance as root).
            try replaceAsServerUser(dataDirectory + "/pg_hba.conf", "# DevWorkflow embedded cluster: Unix socket only\nlocal all all peer map=local\n")
            try appendAsServerUser(dataDirectory + "/pg_ident.conf", "\nlocal /^(.*)$ \\1\nlocal \(EmbeddedCluster.serverUser) \(user)\n")
        }
    }

    /// The system user that runs the server when root starts it.
    static let serverUser = "postgres"

    /// Runs a server program (as the server's user when root runs this); initdb and `pg_ctl -w`
    /// get two minutes, past their own waits, before they are killed.
    private func runAsServerUser(_ program: String, _ arguments: [String]) throws -> Subprocess.Output {
        let timeout: TimeInterval = 120
        if getuid() == 0 {
            guard let runuser = Subprocess.which("runuser") ?? ["/usr/sbin/runuser", "/sbin/runuser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw WorkflowError(.unavailable, Message("error.runuser", ["user": "\(EmbeddedCluster.serverUser)"]))
            }
            return try Subprocess.run(runuser, ["-u", EmbeddedCluster.serverUser, "--", program] + arguments, timeout: timeout)
        }
        return try Subprocess.run(program, arguments, timeout: timeout)
    }

    private func replaceAsServerUser(_ path: String, _ text: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw WorkflowError(.ioError, Message("error.cannot_write", ["path": "\(path)", "reason": ""]))
        }
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
    }

    private func appendAsServerUser(_ path: String, _ text: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw WorkflowError(.ioError, Message("error.cannot_write", ["path": "\(path)", "reason": ""]))
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// The login name of the user running this process.
    static func currentUserName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }

    /// Finds a PostgreSQL server program: `WORKFLOW_PG_BINDIR`, the newest
    /// `/usr/lib/postgresql/N/bin`, `pg_config --bindir`, then PATH.
    public static func binary(_ name: String) throws -> String {
        let fm = FileManager.default
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment["WORKFLOW_PG_BINDIR"] { candidates.append(dir) }
        if let versions = try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            candidates += versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        }
        if let pgConfig = Subprocess.which("pg_config"), let out = try? Subprocess.run(pgConfig, ["--bindir"], timeout: 30), out.status == 0 {
            candidates.append(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        for dir in candidates where fm.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
        if let found = Subprocess.which(name) { return found }
        throw WorkflowError(.unavailable, Message("error.pg_missing", ["program": "\(name)"]))
    }
}
