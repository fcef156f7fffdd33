import Foundation
import Testing
@testable import DevWorkflow

/// A database of its own for one test, in the throwaway cluster `scripts/test` starts.
///
/// Without that cluster the tests fail (they never skip): run them through `scripts/test`.
struct TestDatabase {
    let name: String

    /// The socket folder of the test cluster.
    static func socketDirectory() throws -> String {
        guard let socket = ProcessInfo.processInfo.environment["WORKFLOW_TEST_SOCKET"], !socket.isEmpty else {
            throw WorkflowError(.unavailable, Message("error.internal", ["reason": "WORKFLOW_TEST_SOCKET is not set: run the tests with `bash scripts/test`, which starts a throwaway PostgreSQL"]))
        }
        return socket
    }

    /// A connection string for a database of the cluster, as a role (the cluster trusts the socket).
    static func conninfo(database: String, user: String? = nil) throws -> String {
        var text = "host=\(try socketDirectory()) dbname=\(database)"
        if let user { text += " user=\(user)" }
        return text
    }

    /// An empty database, unmigrated.
    static func empty() throws -> TestDatabase {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try Connection(try conninfo(database: "postgres"))
        try admin.execute(SQL(unsafe: "CREATE DATABASE \(name)"))
        return TestDatabase(name: name)
    }

    /// A fresh copy of a database migrated once per test run (a template clone is fast).
    /// The registry code of the buyer on the test invoices (Tartu Linnavalitsus), the test
    /// databases' organisation.
    static let buyerCode = "75000123"

    static func migrated() throws -> TestDatabase {
        let template = try MigratedTemplate.name.get()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try Connection(try conninfo(database: "postgres"))
        try admin.execute(SQL(unsafe: "CREATE DATABASE \(name) TEMPLATE \(template)"))
        return TestDatabase(name: name)
    }

    func conninfo(user: String? = nil) throws -> String { try TestDatabase.conninfo(database: name, user: user) }

    /// A raw connection (no product settings).
    func connect(user: String? = nil) throws -> Connection { try Connection(try conninfo(user: user)) }

    /// A connection with the product's session settings.
    func product(user: String? = nil) throws -> Connection { try Database.connect(try conninfo(user: user)) }
}

/// The migrated template, made once per process.
enum MigratedTemplate {
    static let name: Result<String, any Error> = Result {
        let name = "dw_template_\(getpid())"
        let admin = try Connection(try TestDatabase.conninfo(database: "postgres"))
        try admin.execute(SQL(unsafe: "DROP DATABASE IF EXISTS \(name)"))
        try admin.execute(SQL(unsafe: "CREATE DATABASE \(name)"))
        do {
            let connection = try Database.connect(try TestDatabase.conninfo(database: name))
            try Migrator(connection: connection).migrate()
            // The organisation the test invoices (Fixtures/*.xml) are addressed to.
            _ = try WorkflowStore(connection: connection).setSetting("organisation_registry_code", TestDatabase.buyerCode)
        }
        return name
    }
}

/// A value several threads add to; the lock makes the unchecked Sendable safe.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
    var current: Value { withValue { $0 } }
}

/// Runs a built executable of this package as a user would.
struct Binary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        let maxResidentKilobytes: Int
    }

    static func path(_ name: String) throws -> String {
        guard let dir = ProcessInfo.processInfo.environment["WORKFLOW_BIN_DIR"] else {
            throw WorkflowError(.unavailable, Message("error.internal", ["reason": "WORKFLOW_BIN_DIR is not set: run the tests with `bash scripts/test`"]))
        }
        return dir + "/" + name
    }

    /// Runs the binary; `environment` is added to (and overrides) the test process's.
    static func run(_ name: String, _ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let output = try Subprocess.run(try path(name), arguments, input: input, environment: environment)
        return Result(status: output.status, stdout: output.stdout, stderr: output.stderr, maxResidentKilobytes: output.maxResidentKilobytes)
    }

    /// Runs the binary with `bytes` as its standard input, as they are (8-bit mail is not UTF-8).
    static func run(_ name: String, _ arguments: [String], bytes: [UInt8], environment: [String: String] = [:]) throws -> Result {
        let output = try Subprocess.run(try path(name), arguments, bytes: bytes, environment: environment)
        return Result(status: output.status, stdout: output.stdout, stderr: output.stderr, maxResidentKilobytes: output.maxResidentKilobytes)
    }

    /// Runs the binary under GNU time, which forks it from its own small image, so the peak
    /// resident memory is the binary's alone. (The maxrss getrusage gives for a child this process
    /// spawns also counts the memory it had up to exec, which is this test runner's: tens of MiB,
    /// hundreds under a sanitizer.)
    static func runMeasuringMemory(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let time = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: time) else {
            throw WorkflowError(.unavailable, Message("error.internal", ["reason": "\(time) (GNU time) measures a child's memory: apt-get install time"]))
        }
        let marker = "devworkflow-peak-rss-kib="
        let output = try Subprocess.run(time, ["-f", marker + "%M", try path(name)] + arguments, environment: environment)
        var lines = output.stderr.components(separatedBy: "\n")
        guard let index = lines.lastIndex(where: { $0.hasPrefix(marker) }), let kib = Int(lines[index].dropFirst(marker.count)) else {
            throw WorkflowError(.internalError, Message("error.internal", ["reason": "no peak memory from \(time): \(output.stderr)"]))
        }
        lines.remove(at: index)
        // GNU time's own note about a failing command is not the binary's output.
        lines.removeAll { $0.hasPrefix("Command exited with non-zero status") || $0.hasPrefix("Command terminated by signal") }
        return Result(status: output.status, stdout: output.stdout, stderr: lines.joined(separator: "\n"), maxResidentKilobytes: kib)
    }
}

/// How much more memory a process may use because the build is sanitized (`scripts/sanitizers`
/// sets WORKFLOW_SANITIZER). Measured for a report over 100,000 requests: 30 MiB in a normal
/// build, 56 MiB under ThreadSanitizer (shadow memory), 245-455 MiB under AddressSanitizer (its
/// 256 MiB quarantine of freed memory, redzones). 1 in a normal build, where the product's own
/// bounds hold.
let sanitizerMemoryFactor: Int = {
    switch ProcessInfo.processInfo.environment["WORKFLOW_SANITIZER"] {
    case "thread"?: return 2
    case "address"?: return 6
    default: return 1
    }
}()

/// The workflow definitions as the migrated database holds them, read once per process.
enum Definitions {
    static let loaded: Result<WorkflowDefinition, any Error> = Result {
        try WorkflowStore(connection: try TestDatabase.migrated().product()).definition("small_development")
    }
    /// PRODUCT.md's road, from the database (its one source).
    static var smallDevelopment: WorkflowDefinition {
        get throws { try loaded.get() }
    }
}

/// The business-day calendar as the migrated database defines it, read once per process.
enum Calendars {
    static let loaded: Result<BusinessCalendar, any Error> = Result {
        try BusinessCalendar.load(from: try TestDatabase.migrated().product())
    }
    /// Estonia's holidays, no closure days.
    static var estonian: BusinessCalendar {
        get throws { try loaded.get() }
    }
}
