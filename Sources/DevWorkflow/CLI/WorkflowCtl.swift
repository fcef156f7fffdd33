import Foundation

/// `workflowctl`: parses a command line, runs the command, prints, and maps errors to exit codes.
///
/// The executable only calls `run`; everything lives here so tests can drive it in-process too.
package enum WorkflowCtl {
    package static let version = "0.1.0"

    /// Every command, in the order help lists them.
    package static var commands: [Command] {
        Commands.database + Commands.cluster + Commands.admin + Commands.request + [Commands.requestImport] + Commands.report + Commands.outbox + Commands.workflow + Commands.calendar + Commands.demo
    }

    /// The exit code for each kind of error (sysexits.h); the only place they are chosen.
    package static func exitCode(for code: WorkflowError.Code) -> Int32 {
        switch code {
        case .usage: return 64          // EX_USAGE
        case .invalidData: return 65    // EX_DATAERR
        case .notFound: return 66       // EX_NOINPUT
        case .unavailable: return 69    // EX_UNAVAILABLE
        case .internalError: return 70  // EX_SOFTWARE
        case .ioError: return 74        // EX_IOERR
        case .conflict: return 75       // EX_TEMPFAIL: retry
        case .notPermitted: return 77   // EX_NOPERM
        case .readOnly: return 78       // EX_CONFIG: pointed at a standby, not the primary
        default: return 70
        }
    }

    /// Runs one command line (without the program name) and returns the exit code.
    package static func run(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                            out: TextOutput, err: TextOutput,
                            clock: @escaping @Sendable () -> Date = { Date() }) -> Int32 {
        var global = GlobalOptions()
        do {
            let parsed = try parse(arguments, global: &global)
            switch parsed {
            case let .help(text):
                out.write(text)
            case .version:
                out.line("workflowctl \(version)")
            case let .run(command, positionals, values):
                let invocation = Invocation(command: command, positionals: positionals, values: values, global: global,
                                            environment: environment, out: out, clock: clock)
                try command.run(invocation)
            }
            out.flush()
            return 0
        } catch {
            let failure = asWorkflowError(error)
            out.flush()
            if global.json {
                out.line(JSONValue.object([("error", .object([
                    ("code", .string(failure.code.rawValue)),
                    ("message", .string(failure.message)),
                    ("exit_code", .int(Int(exitCode(for: failure.code)))),
                ] + failure.context.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))]).prettyText)
                out.flush()
            }
            err.line("workflowctl: error: " + oneLine(failure.message))
            err.flush()
            return exitCode(for: failure.code)
        }
    }

    static func asWorkflowError(_ error: any Error) -> WorkflowError {
        switch error {
        case let error as WorkflowError: return error
        case let error as PostgresError: return WorkflowError(postgres: error)
        default: return WorkflowError(.internalError, "\(error)", underlying: error)
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    enum Parsed {
        case help(String)
        case version
        case run(Command, [String], [String: [String]])
    }

    static let globalHelp = """
        Global options (anywhere on the line):
          --database CONNINFO   libpq connection string or postgresql:// URI (else WORKFLOW_DATABASE_URL,
                                libpq's PG* environment, or the embedded cluster)
          --as LOGIN            act on behalf of another person (admins only; both are recorded)
          --json                print one JSON document on stdout
          --help, -h            show help for the command

        """

    /// Splits a command line into the command, its positionals and its option values.
    static func parse(_ arguments: [String], global: inout GlobalOptions) throws -> Parsed {
        // Global options may stand anywhere; take them out first.
        var rest: [String] = []
        var index = 0
        var literal = false
        func nextValue(_ name: String, _ inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw WorkflowError(.usage, "--\(name) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let token = arguments[index]
            if literal { rest.append(token); index += 1; continue }
            let (name, inline) = splitOption(token)
            switch name {
            case "--": literal = true; rest.append(token)
            case "--database": global.database = try nextValue("database", inline)
            case "--as": global.actAs = try nextValue("as", inline)
            case "--json": global.json = true
            case "--help", "-h": global.help = true
            case "--version" where rest.isEmpty: return .version
            default: rest.append(token)
            }
            index += 1
        }

        let nouns = orderedNouns()
        guard let noun = rest.first, !noun.hasPrefix("-") else {
            if global.help || rest.isEmpty { return .help(topHelp()) }
            throw WorkflowError(.usage, "unknown option \(rest[0]): expected a command, one of \(nouns.joined(separator: ", ")) (see workflowctl --help)")
        }
        let forNoun = commands.filter { $0.noun == noun }
        guard !forNoun.isEmpty else {
            throw WorkflowError(.usage, "unknown command '\(noun)': expected one of \(nouns.joined(separator: ", "))")
        }
        let verbs = forNoun.map(\.verb)
        guard rest.count > 1, !rest[1].hasPrefix("-") else {
            if global.help { return .help(nounHelp(noun)) }
            throw WorkflowError(.usage, "'\(noun)' needs a command: one of \(verbs.joined(separator: ", "))")
        }
        guard let command = forNoun.first(where: { $0.verb == rest[1] }) else {
            throw WorkflowError(.usage, "unknown command '\(noun) \(rest[1])': expected one of \(verbs.joined(separator: ", "))")
        }
        if global.help { return .help(commandHelp(command)) }

        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var position = 2
        var onlyPositionals = false
        while position < rest.count {
            let token = rest[position]
            position += 1
            if onlyPositionals || !token.hasPrefix("--") {
                if token == "--" && !onlyPositionals { onlyPositionals = true; continue }
                positionals.append(token)
                continue
            }
            let (name, inline) = splitOption(token)
            let key = String(name.dropFirst(2))
            guard let option = command.options.first(where: { $0.name == key }) else {
                let known = command.options.map { "--" + $0.name }
                throw WorkflowError(.usage, "unknown option \(name) for '\(noun) \(command.verb)'" +
                    (known.isEmpty ? ": it takes no options" : ": expected one of \(known.joined(separator: ", "))"))
            }
            if values[key] != nil && !option.repeatable {
                throw WorkflowError(.usage, "--\(key) given twice")
            }
            if let valueName = option.value {
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard position < rest.count else { throw WorkflowError(.usage, "--\(key) needs a value \(valueName)") }
                    value = rest[position]
                    position += 1
                }
                values[key, default: []].append(value)
            } else {
                guard inline == nil else { throw WorkflowError(.usage, "--\(key) takes no value") }
                values[key] = []
            }
        }
        guard command.positionals.contains(positionals.count) else {
            let expected = command.arguments.isEmpty ? "no arguments" : command.arguments
            throw WorkflowError(.usage, "'\(noun) \(command.verb)' takes \(expected), got \(positionals.count == 0 ? "none" : positionals.map { "'\($0)'" }.joined(separator: " ")); usage: \(command.usage)")
        }
        return .run(command, positionals, values)
    }

    private static func splitOption(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    private static func orderedNouns() -> [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.noun) { seen.append(command.noun) }
        return seen
    }

    static func topHelp() -> String {
        var text = "workflowctl — change requests from proposal to release\n\nUsage: workflowctl NOUN VERB [ARGS] [--json]\n\nCommands:\n"
        for command in commands {
            let left = "  \(command.noun) \(command.verb)"
            text += left.padding(toLength: max(left.count + 2, 28), withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        return text + "\n" + globalHelp + "Exit codes: 0 ok, 64 usage, 65 invalid data or a guard, 66 not found, 69 database unavailable,\n75 conflict (retry), 77 not permitted, 78 read-only database.\n"
    }

    static func nounHelp(_ noun: String) -> String {
        var text = "Usage: workflowctl \(noun) VERB ...\n\n"
        for command in commands where command.noun == noun {
            text += "  \(command.usage)\n      \(command.summary)\n"
        }
        return text + "\n" + globalHelp
    }

    static func commandHelp(_ command: Command) -> String {
        var text = "Usage: \(command.usage)\n\n\(command.summary)\n"
        if !command.options.isEmpty {
            text += "\nOptions:\n"
            for option in command.options {
                let left = "  --\(option.name)" + (option.value.map { " \($0)" } ?? "")
                text += left.padding(toLength: max(left.count + 2, 26), withPad: " ", startingAt: 0) + option.help + "\n"
            }
        }
        return text + "\n" + globalHelp
    }
}
