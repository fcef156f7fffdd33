import Foundation

/// Runs a program to completion and captures what it printed.
///
/// Written on `posix_spawn` and `waitpid` rather than Foundation's `Process`, which on Linux can
/// miss the exit of a child whose own child daemonizes (`pg_ctl start`) and then wait forever.
package struct Subprocess {
    package struct Output {
        package let status: Int32
        package let stdout: String
        package let stderr: String
        /// The child's peak resident memory (getrusage's maxrss), in KiB. Linux counts in it the
        /// memory the child had before exec, which is this (spawning) process's: a bound, not the
        /// program's own peak when the caller is the larger (run under GNU time for that).
        package var maxResidentKilobytes: Int = 0
    }

    /// Runs `executable` with `arguments`; `input` is written to its standard input.
    /// `environment` is added to this process's environment (its values win).
    package static func run(_ executable: String, _ arguments: [String], input: String? = nil,
                            environment extra: [String: String] = [:]) throws -> Output {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&inPipe) == 0 else {
            throw WorkflowError(.internalError, Message("error.pipes", ["reason": "\(String(cString: strerror(errno)))"]))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

        // The child starts with no signal blocked and every signal at its default: a thread of the
        // caller (a dispatch worker, a test runner) may block or ignore signals, and a child that
        // inherited that would never see SIGALRM (pgbench -T ran forever) or SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in extra { merged[name] = value }
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let spawned = extra.isEmpty ? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
            : posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard spawned == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw WorkflowError(.unavailable, Message("error.cannot_run", ["program": "\(executable)", "reason": "\(String(cString: strerror(spawned)))"]))
        }
        if let input {
            let bytes = Array(input.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
        }
        close(inPipe[1])

        var out: [UInt8] = [], err: [UInt8] = []
        var open = [outPipe[0], errPipe[0]]
        var chunk = [UInt8](repeating: 0, count: 8192)
        while !open.isEmpty {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for descriptor in fds where descriptor.revents != 0 {
                let n = read(descriptor.fd, &chunk, chunk.count)
                if n > 0 {
                    if descriptor.fd == outPipe[0] { out += chunk[0..<n] } else { err += chunk[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(descriptor.fd)
                    open.removeAll { $0 == descriptor.fd }
                }
            }
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand: the macros are not imported into Swift.
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: exitCode, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                      maxResidentKilobytes: usage.ru_maxrss)
    }

    /// Finds a program on PATH.
    package static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
