import Foundation

/// Long output on a terminal goes through a pager, as git's does: `WORKFLOW_PAGER`, else
/// `PAGER`, else `less -FRX` (which stays out of the way when the text fits the screen). Never
/// when standard output is not a terminal, with `--json` or `--no-pager`, or when the pager is
/// set empty or to `cat`.
final class Pager {
    private let pid: pid_t
    private let input: Int32
    /// Where the output went before the pager took it.
    private let original: Int32

    private init(pid: pid_t, input: Int32, original: Int32) {
        self.pid = pid
        self.input = input
        self.original = original
    }

    /// The pager command the environment asks for, or nil for none.
    static func command(_ environment: [String: String]) -> String? {
        let command = (environment["WORKFLOW_PAGER"] ?? environment["PAGER"] ?? "less -FRX").trimmingCharacters(in: .whitespaces)
        return command.isEmpty || command == "cat" ? nil : command
    }

    /// Starts the pager and sends what `out` writes from now on into it; nil (and `out` as it
    /// was) when `out` is no terminal or no pager is wanted or can be started.
    static func start(for out: TextOutput, environment: [String: String]) -> Pager? {
        guard out.isTerminal, let original = out.descriptor, let command = command(environment), let pipe = try? Subprocess.pipe() else { return nil }
        // less without colours and screen clearing unless the reader chose otherwise (as git sets it).
        var extra: [String: String] = [:]
        if environment["LESS"] == nil { extra["LESS"] = "FRX" }
        if environment["LV"] == nil { extra["LV"] = "-c" }
        guard let pid = try? Subprocess.spawn("/bin/sh", ["-c", command], environment: extra, actions: { actions in
            posix_spawn_file_actions_adddup2(&actions, pipe.read, 0)
        }) else {
            close(pipe.read)
            close(pipe.write)
            return nil
        }
        close(pipe.read)
        // A reader who quits the pager early must not kill us with SIGPIPE: the writes just fail.
        signal(SIGPIPE, SIG_IGN)
        out.divert(to: pipe.write)
        return Pager(pid: pid, input: pipe.write, original: original)
    }

    /// Hands over the rest of the text and waits until the reader has left the pager.
    func finish(_ out: TextOutput) {
        out.divert(to: original)
        close(input)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
