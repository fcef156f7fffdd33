import Foundation
@testable import DevWorkflow

/// A built executable running in the background, its output going to a log file, so a test can
/// signal it (SIGTERM, SIGKILL) and wait for it.
final class BackgroundProcess: @unchecked Sendable {
    // @unchecked Sendable: pid and paths never change after init; waitpid is thread-safe.
    let pid: pid_t
    let logPath: String

    init(_ name: String, _ arguments: [String], logPath: String) throws {
        let executable = try Binary.path(name)
        self.logPath = logPath
        pid = try Subprocess.spawn(executable, arguments) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        }
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the exit up to `timeout` seconds; returns the exit status, or nil if it still runs.
    func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { return Subprocess.exitStatus(status) }
            usleep(20_000)
        }
        return nil
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
    }
}

/// Waits until a condition holds, polling; returns whether it did within the timeout.
func eventually(_ timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}

/// The JSON lines of a file sink.
func jsonLines(_ path: String) throws -> [JSONValue] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
}

/// Writes an executable script. Opened close-on-exec: a process another test forks while it is
/// being written must not keep it open for writing, which makes running it fail with "Text file
/// busy" (Foundation's `write(toFile:)` leaves the descriptor inheritable).
func writeScript(_ text: String, to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard descriptor >= 0 else { throw WorkflowError(.ioError, Message("error.cannot_write", ["path": "\(path)", "reason": "\(systemReason(errno))"])) }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
        throw WorkflowError(.ioError, Message("error.cannot_write", ["path": "\(path)", "reason": "\(systemReason(errno))"]))
    }
}

/// A fresh file path in the test work folder.
func workPath(_ name: String) -> String {
    (ProcessInfo.processInfo.environment["WORKFLOW_TEST_WORK"] ?? NSTemporaryDirectory()) + "/\(UUID().uuidString.prefix(8))-\(name)"
}
