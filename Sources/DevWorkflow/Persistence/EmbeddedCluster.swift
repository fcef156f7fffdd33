import Foundation

/// The private PostgreSQL cluster DevWorkflow manages when no database is configured.
///
/// It lives in one folder (`data/`, `run/` for the Unix socket, `postgresql.log`), listens on a
/// Unix socket only (no TCP port), and authenticates by peer: the operating-system user connects
/// as the role of the same name. PostgreSQL refuses to run as root, so when root starts it the
/// server runs as the `postgres` system user, which then owns the folder.
///
/// Root's cluster (`/var/lib/devworkflow`) is the machine's: every user of the machine who has
/// none of their own uses it. Its folder and `run/` are open to all, so anyone finds the socket
/// and connects as their own role; only root (or the server's user) starts and stops it, and
/// whoever administers it gives a user a login with `workflowctl cluster add-login LOGIN`.
public struct EmbeddedCluster: Sendable {
    /// The folder holding the cluster.
    public let directory: String
    /// The database the product uses inside the cluster.
    public static let databaseName = "devworkflow"
    /// Root's cluster, shared by the users of the machine.
    public static let machineDirectory = "/var/lib/devworkflow"

    public init(directory: String) {
        self.directory = directory
    }

    /// `WORKFLOW_HOME`; else `/var/lib/devworkflow` for root (whose home the server's user cannot
    /// reach); else the user's own cluster (`$XDG_DATA_HOME/devworkflow` or
    /// `~/.local/share/devworkflow`) when it exists, the machine's when that exists, or the
    /// user's own to be created.
    public static func defaultDirectory(environment: [String: String] = ProcessEnvironment.current(),
                                        isRoot: Bool = getuid() == 0, machine: String = machineDirectory) -> String {
        if let home = environment["WORKFLOW_HOME"], !home.isEmpty { return home }
        if isRoot { return machine }
        let own: String
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            own = data + "/devworkflow"
        } else {
            own = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/devworkflow"
        }
        if !EmbeddedCluster(directory: own).exists && EmbeddedCluster(directory: machine).exists { return machine }
        return own
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

    /// Whether the cluster's data folder is there (seen from its parent, which everyone may read,
    /// so also by users who may not look inside it).
    public var exists: Bool {
        var info = stat()
        return stat(dataDirectory, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether this process may start, stop and administer the cluster: root, or the owner of
    /// its data folder. Everyone else only connects to it.
    public var isManagedByUs: Bool {
        var info = stat()
        return getuid() == 0 || (stat(dataDirectory, &info) == 0 && info.st_uid == geteuid())
    }

    /// The operating-system user that owns the data folder (the server's user), for messages.
    var ownerName: String {
        var info = stat()
        guard stat(dataDirectory, &info) == 0, let entry = getpwuid(info.st_uid), let name = entry.pointee.pw_name else { return "?" }
        return String(cString: name)
    }

    /// Where the cluster is, and whether it runs: `pg_ctl status` for whoever manages it; for the
    /// other users of the machine, whether a server answers on its socket.
    public func state() throws -> State {
        guard exists else { return .absent }
        guard isManagedByUs else { return Connection.serverAnswers(maintenanceConninfo) ? .running : .stopped }
        let result = try runAsServerUser(try EmbeddedCluster.binary("pg_ctl"), ["status", "-D", dataDirectory])
        return result.status == 0 ? .running : .stopped
    }

    /// The refusal a user meets who wants to start or stop another user's cluster.
    private func notOurs() -> WorkflowError {
        WorkflowError(.notPermitted, Message("error.cluster_not_yours", ["directory": "\(directory)", "owner": "\(ownerName)"]))
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
        guard isManagedByUs else {
            if try state() == .running { return Message("out.cluster.already_running") }
            throw notOurs()
        }
        if try state() != .running {
            let logged = (try? FileManager.default.attributesOfItem(atPath: logFile)[.size] as? Int) ?? 0
            let result = try runAsServerUser(try EmbeddedCluster.binary("pg_ctl"),
                                             ["start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60"])
            guard result.status == 0 else {
                // pg_ctl says only "could not start server, examine the log": the server's own
                // reason (a socket another server holds …) is in what this start logged.
                let reason = serverReason(inLogFrom: logged) ?? Connection.oneLine(result.stderr + result.stdout)
                throw WorkflowError(.unavailable, Message("error.cluster_start", ["reason": "\(reason)", "log": "\(logFile)"]))
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

    /// Gives an operating-system user of the machine a login to the product's database: the role
    /// of the same name (peer authentication lets that user in as it), in `devworkflow_user`.
    /// An admin then adds the person (`workflowctl person add`). For whoever manages the cluster.
    @discardableResult
    public func addLogin(_ login: String) throws -> Message {
        guard isManagedByUs else { throw notOurs() }
        guard !login.isEmpty, login.utf8.count <= 63, !login.contains(where: { $0.isWhitespace || $0 == "\u{0}" }) else {
            throw WorkflowError(.invalidData, Message("error.login_format", ["value": "\(login.prefix(63))"]))
        }
        let connection = try Database.connect(conninfo, applicationName: "workflowctl")
        do {
            guard try connection.query("SELECT 1 FROM pg_roles WHERE rolname = 'devworkflow_user'").count > 0 else {
                throw WorkflowError(.unavailable, Message("error.cluster_not_migrated", ["directory": "\(directory)"]))
            }
            let role = try connection.quoteIdentifier(login)
            if try connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(login)").count == 0 {
                try connection.execute(SQL(unsafe: "CREATE ROLE \(role) LOGIN"))
            }
            try connection.execute(SQL(unsafe: "GRANT devworkflow_user TO \(role)"))
            // Someone who is a person already needs nothing more; say so, not "add the person".
            // The person was added before the login existed: its role's grants (staff) are given
            // now, as `person add` gives them to a login that exists.
            if try connection.query("SELECT 1 FROM workflow.person WHERE login = \(login)").count > 0 {
                try connection.execute("SELECT workflow.sync_login(\(login))")
                return Message("out.cluster.login_added_person", ["login": "\(login)"])
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        return Message("out.cluster.login_added", ["login": "\(login)"])
    }

    /// What a user should be told when connecting to this cluster failed: that it is not running
    /// (and who starts it), or that it has no login for them (and how one is made); nil when
    /// the failure is something else.
    public func explain(connectionFailure error: WorkflowError) -> WorkflowError? {
        guard error.code == .unavailable else { return nil }
        if (try? state()) != .running {
            return WorkflowError(.unavailable, Message(isManagedByUs ? "error.cluster_stopped" : "error.cluster_stopped_other",
                                                       ["directory": "\(directory)", "owner": "\(ownerName)"]), underlying: error)
        }
        let login = EmbeddedCluster.currentUserName()
        guard let refusal = error.underlying as? PostgresError, refusal.message.contains("role \"\(login)\" does not exist") else { return nil }
        return WorkflowError(.notPermitted, Message("error.cluster_no_login", ["directory": "\(directory)", "login": "\(login)"]), underlying: error)
    }

    /// Stops the cluster (fast shutdown); nothing to do when it is not running. A folder that
    /// holds no cluster is refused (66): a mistyped `--dir` must not read as "stopped" while the
    /// real cluster goes on running.
    @discardableResult
    public func stop() throws -> Message {
        switch try state() {
        case .absent: throw WorkflowError(.notFound, Message("error.cluster_absent", ["directory": "\(directory)"]))
        case .stopped: return Message("out.cluster.not_running")
        case .running: break
        }
        guard isManagedByUs else { throw notOurs() }
        let result = try runAsServerUser(try EmbeddedCluster.binary("pg_ctl"), ["stop", "-D", dataDirectory, "-m", "fast", "-w"])
        guard result.status == 0 else {
            throw WorkflowError(.unavailable, Message("error.cluster_stop", ["reason": "\(Connection.oneLine(result.stderr + result.stdout))"]))
        }
        return Message("out.cluster.stopped")
    }

    private func create(trust: Bool) throws {
        let initdb = try EmbeddedCluster.binary("initdb")
        let user = EmbeddedCluster.currentUserName()
        if getuid() == 0, let owner = getpwnam(EmbeddedCluster.serverUser) {
            // root makes the folder, the server's user runs in it: a parent it cannot pass (root's
            // own home is closed to others) would fail initdb with a bare "Permission denied".
            let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
            var parent = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
            while true {
                var info = stat()
                if stat(parent, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_mode & S_IXOTH == 0,
                   info.st_uid != owner.pointee.pw_uid, !(info.st_gid == owner.pointee.pw_gid && info.st_mode & S_IXGRP != 0) {
                    throw WorkflowError(.ioError, Message("error.cluster_unreachable", ["directory": "\(directory)", "parent": "\(parent)",
                                                                                       "user": "\(EmbeddedCluster.serverUser)"]))
                }
                if parent == "/" { break }
                parent = URL(fileURLWithPath: parent).deletingLastPathComponent().path
            }
        }
        // Readable and passable by everyone: other users of the machine find the socket in run/.
        try Files.makeFolder(socketDirectory)
        for path in [directory, socketDirectory] where chmod(path, 0o755) != 0 { throw Files.cannotWrite(path, errno) }
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

    /// The last FATAL or PANIC line the server logged after `offset` (with the HINT after it), as
    /// one line without its time stamp; nil when it logged none.
    func serverReason(inLogFrom offset: Int) -> String? {
        guard let handle = FileHandle(forReadingAtPath: logFile) else { return nil }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        guard let data = try? handle.readToEnd() else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard let index = lines.lastIndex(where: { $0.contains("FATAL:") || $0.contains("PANIC:") }) else { return nil }
        func message(_ line: String, after marker: String) -> String? {
            line.range(of: marker).map { line[$0.upperBound...].trimmingCharacters(in: .whitespaces) }
        }
        var reason = message(lines[index], after: "FATAL:") ?? message(lines[index], after: "PANIC:") ?? lines[index]
        if index + 1 < lines.count, let hint = message(lines[index + 1], after: "HINT:") { reason = Connection.oneLine(reason + "\n" + hint) }
        return reason
    }

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
        try write(text, to: path, flags: O_TRUNC)
    }

    private func appendAsServerUser(_ path: String, _ text: String) throws {
        try write(text, to: path, flags: O_APPEND)
    }

    /// Writes a configuration file of the cluster; a failure names the system's reason.
    private func write(_ text: String, to path: String, flags: Int32) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | flags)
        guard descriptor >= 0 else { throw Files.cannotWrite(path, errno) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Files.cannotWrite(path, errno)
            }
            offset += written
        }
    }

    /// The login name of the user running this process.
    static func currentUserName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessEnvironment.value("USER") ?? "postgres"
    }

    /// Finds a PostgreSQL server program: `WORKFLOW_PG_BINDIR`, the newest
    /// `/usr/lib/postgresql/N/bin`, `pg_config --bindir`, then PATH.
    public static func binary(_ name: String) throws -> String {
        let fm = FileManager.default
        var candidates: [String] = []
        if let dir = ProcessEnvironment.value("WORKFLOW_PG_BINDIR") { candidates.append(dir) }
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
