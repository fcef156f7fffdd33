internal import CSystem
import Foundation

/// Runs a program to completion and captures what it printed.
///
/// Written on `posix_spawn` and `waitpid` rather than Foundation's `Process`, which on Linux can
/// miss the exit of a child whose own child daemonizes (`pg_ctl start`) and then wait forever.
///
/// Standard input is written while standard output and error are read, in one `poll` loop: a
/// child that answers before it has read all its input (`cat` with megabytes either way) would
/// otherwise fill its output pipe while this process still blocks writing, and both would wait
/// for ever. Every descriptor made here is close-on-exec from its first moment, so a child
/// another thread spawns meanwhile does not inherit this child's pipes (and keep them open
/// after this child is gone). A `timeout` bounds the whole run: the child is killed and the run
/// throws, naming the program.
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
    /// `environment` is added to this process's environment (its values win). With a `timeout`
    /// (seconds), a child still running then is killed (SIGKILL) and `unavailable` is thrown.
    package static func run(_ executable: String, _ arguments: [String], input: String? = nil,
                            environment extra: [String: String] = [:], timeout: TimeInterval? = nil) throws -> Output {
        try run(executable, arguments, bytes: input.map { Array($0.utf8) } ?? [], environment: extra, timeout: timeout)
    }

    /// As `run(_:_:input:environment:timeout:)`, with standard input as bytes: what is not UTF-8
    /// (an 8-bit e-mail, for one) reaches the child as it is.
    package static func run(_ executable: String, _ arguments: [String], bytes input: [UInt8],
                            environment extra: [String: String] = [:], timeout: TimeInterval? = nil) throws -> Output {
        let inPipe = try pipe(), outPipe = try pipe(), errPipe = try pipe()
        let pid: pid_t
        do {
            pid = try spawn(executable, arguments, environment: extra) { actions in
                posix_spawn_file_actions_adddup2(&actions, inPipe.read, 0)
                posix_spawn_file_actions_adddup2(&actions, outPipe.write, 1)
                posix_spawn_file_actions_adddup2(&actions, errPipe.write, 2)
            }
        } catch {
            for fd in [inPipe.read, inPipe.write, outPipe.read, outPipe.write, errPipe.read, errPipe.write] { close(fd) }
            throw error
        }
        close(inPipe.read); close(outPipe.write); close(errPipe.write)
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        let (out, err, timedOut) = exchange(input: input, stdin: inPipe.write,
                                            stdout: outPipe.read, stderr: errPipe.read, deadline: deadline)
        if timedOut { kill(pid, SIGKILL) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        if timedOut {
            throw WorkflowError(.unavailable, Message("error.timed_out", ["program": "\(executable)", "seconds": "\(String(format: "%g", timeout ?? 0))"]),
                                context: ["stdout": String(decoding: out, as: UTF8.self), "stderr": String(decoding: err, as: UTF8.self)])
        }
        return Output(status: exitStatus(status), stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                      maxResidentKilobytes: usage.ru_maxrss)
    }

    /// Starts `executable` and returns its pid. `actions` sets up the child's descriptors; every
    /// other descriptor this process opened close-on-exec stays out of the child.
    ///
    /// The child starts with no signal blocked and every signal at its default: a thread of the
    /// caller (a dispatch worker, a test runner) may block or ignore signals, and a child that
    /// inherited that would never see SIGALRM (pgbench -T ran forever) or SIGTERM.
    package static func spawn(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
                              actions configure: (inout posix_spawn_file_actions_t) -> Void) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        configure(&actions)

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
        let spawned: Int32
        if extra.isEmpty {
            spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        } else {
            var merged = ProcessEnvironment.current()
            for (name, value) in extra { merged[name] = value }
            let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        guard spawned == 0 else {
            throw WorkflowError(.unavailable, Message("error.cannot_run", ["program": "\(executable)", "reason": systemReason(spawned)]))
        }
        return pid
    }

    /// A pipe whose both ends are close-on-exec (`pipe2`), at descriptors 3 and above: a child's
    /// `dup2` onto 0, 1 or 2 must not be a no-op that keeps the close-on-exec flag.
    package static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe2(&fds, O_CLOEXEC) == 0 else {
            throw WorkflowError(.internalError, Message("error.pipes", ["reason": systemReason(errno)]))
        }
        for index in fds.indices where fds[index] < 3 {
            let moved = fcntl(fds[index], F_DUPFD_CLOEXEC, 3)
            close(fds[index])
            guard moved >= 0 else {
                close(fds[1 - index])
                throw WorkflowError(.internalError, Message("error.pipes", ["reason": systemReason(errno)]))
            }
            fds[index] = moved
        }
        return (fds[0], fds[1])
    }

    /// Writes `input` to `stdin` while reading `stdout` and `stderr` until both end; closes all
    /// three. Returns what was read, and whether the deadline came first.
    private static func exchange(input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32,
                                 deadline: Date?) -> (out: [UInt8], err: [UInt8], timedOut: Bool) {
        var out: [UInt8] = [], err: [UInt8] = []
        var writer: Int32? = stdin
        var written = 0
        if input.isEmpty {
            close(stdin)
            writer = nil
        } else {
            ignoreBrokenPipes()
            _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK)
        }
        var readers = [stdout, stderr]
        var chunk = [UInt8](repeating: 0, count: 65_536)
        defer {
            if let writer { close(writer) }
            readers.forEach { close($0) }
        }
        while !readers.isEmpty {
            var waitMilliseconds: Int32 = -1
            if let deadline {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { return (out, err, true) }
                waitMilliseconds = Int32(min(left * 1000, Double(Int32.max)).rounded(.up))
            }
            var fds = readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if let writer { fds.append(pollfd(fd: writer, events: Int16(POLLOUT), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), waitMilliseconds) < 0 {
                if errno == EINTR { continue }
                break
            }
            for descriptor in fds where descriptor.revents != 0 {
                if descriptor.fd == writer {
                    let n = input[written...].withUnsafeBytes { write(descriptor.fd, $0.baseAddress, $0.count) }
                    if n > 0 { written += n }
                    // Done, or the child stopped reading (EPIPE): either way it gets no more.
                    if written == input.count || (n < 0 && errno != EAGAIN && errno != EINTR) {
                        close(descriptor.fd)
                        writer = nil
                    }
                    continue
                }
                let n = read(descriptor.fd, &chunk, chunk.count)
                if n > 0 {
                    if descriptor.fd == stdout { out += chunk[0..<n] } else { err += chunk[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(descriptor.fd)
                    readers.removeAll { $0 == descriptor.fd }
                }
            }
        }
        return (out, err, false)
    }

    /// Once per process: writing to a pipe whose reader has gone must give EPIPE, not a signal
    /// that ends this process (a child may exit without reading all its input).
    private static let brokenPipesIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()

    private static func ignoreBrokenPipes() { _ = brokenPipesIgnored }

    /// A `waitpid` status as an exit code: the code, or 128 + the signal that ended the child.
    package static func exitStatus(_ status: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS by hand: the macros are not imported into Swift.
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Finds a program on PATH.
    package static func which(_ name: String) -> String? {
        let path = ProcessEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
