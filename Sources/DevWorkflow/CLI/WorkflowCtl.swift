import Foundation

/// `workflowctl`: parses a command line, runs the command, prints, and maps errors to exit codes.
///
/// The executable only calls `run`; everything lives here so tests can drive it in-process too.
package enum WorkflowCtl {
    package static let version = "0.1.0"

    /// Every command, in the order help lists them.
    package static var commands: [Command] {
        Commands.database + Commands.cluster + Commands.admin + Commands.money + Commands.audit + Commands.setting + Commands.request + [Commands.requestImport] + Commands.files + Commands.report + Commands.order + Commands.outbox + Commands.workflow + Commands.calendar + [Commands.calendarFeed] + Commands.mail + Commands.demo
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
        let language = Language.fromEnvironment(environment)
        var invocation: Invocation?
        do {
            let parsed = try parse(arguments, global: &global, language: language)
            switch parsed {
            case let .help(text):
                out.write(text)
            case .version:
                out.line("workflowctl \(version)")
            case let .run(command, positionals, values):
                let call = Invocation(command: command, positionals: positionals, values: values, global: global,
                                      environment: environment, out: out, clock: clock)
                invocation = call
                try command.run(call)
            }
            out.flush()
            return invocation?.exitStatus ?? 0
        } catch {
            let failure = asWorkflowError(error)
            // With --json (or a JSON report on stdout), stdout holds exactly one JSON document:
            // the error alone, or the error ending the document that was being streamed.
            let alone = JSONValue.object([("error", errorJSON(failure, language))]).prettyText
            if let ending = invocation?.jsonEnding {
                let member = errorJSON(failure, language).prettyText.replacingOccurrences(of: "\n", with: "\n  ")
                if let text = ending(member) { out.write(text) } else { out.line(alone) }
            } else if global.json {
                out.line(alone)
            }
            out.flush()
            // The prefix stays "error:" in every language: scripts match it, like exit codes.
            err.line("workflowctl: error: " + TerminalText.line(failure.message(in: language)))
            err.flush()
            return exitCode(for: failure.code)
        }
    }

    /// The `error` object of a JSON document: code, message, key, exit code and context.
    static func errorJSON(_ failure: WorkflowError, _ language: Language) -> JSONValue {
        .object([
            ("code", .string(failure.code.rawValue)),
            ("message", .string(failure.message(in: language))),
            ("message_key", .string(failure.text.key)),
            ("exit_code", .int(Int(exitCode(for: failure.code)))),
        ] + failure.context.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
    }

    static func asWorkflowError(_ error: any Error) -> WorkflowError {
        switch error {
        case let error as WorkflowError: return error
        case let error as PostgresError: return WorkflowError(postgres: error)
        default: return WorkflowError(.internalError, Message("error.internal", ["reason": "\(error)"]), underlying: error)
        }
    }

    enum Parsed {
        case help(String)
        case version
        case run(Command, [String], [String: [String]])
    }


    /// Splits a command line into the command, its positionals and its option values.
    static func parse(_ arguments: [String], global: inout GlobalOptions, language: Language = .en) throws -> Parsed {
        // Global options may stand anywhere; take them out first.
        var rest: [String] = []
        var index = 0
        var literal = false
        func nextValue(_ name: String, _ inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw WorkflowError(.usage, Message("error.needs_value", ["option": "--\(name)", "value": ""])) }
            return arguments[index]
        }
        while index < arguments.count {
            let token = arguments[index]
            if literal { rest.append(token); index += 1; continue }
            let (name, inline) = OptionParser.split(token)
            switch name {
            case "--": literal = true; rest.append(token)
            case "--database": global.database = try nextValue("database", inline)
            case "--as": global.actAs = try nextValue("as", inline)
            case "--json", "--help":
                // `--json=false` must not quietly mean --json.
                guard inline == nil else { throw WorkflowError(.usage, Message("error.takes_no_value", ["option": "\(name)"])) }
                if name == "--json" { global.json = true } else { global.help = true }
            case "-h": global.help = true
            case "--version" where rest.isEmpty: return .version
            default: rest.append(token)
            }
            index += 1
        }

        let nouns = orderedNouns()
        guard let noun = rest.first, !noun.hasPrefix("-") else {
            if global.help || rest.isEmpty { return .help(topHelp(language)) }
            throw WorkflowError(.usage, Message("error.unknown_option_top", ["option": "\(rest[0])", "known": .words(nouns)]))
        }
        let forNoun = commands.filter { $0.noun == noun }
        guard !forNoun.isEmpty else {
            throw WorkflowError(.usage, Message("error.unknown_command", ["command": "\(noun)", "known": .words(nouns)]))
        }
        let verbs = forNoun.map(\.verb)
        guard rest.count > 1, !rest[1].hasPrefix("-") else {
            if global.help { return .help(nounHelp(noun, language)) }
            throw WorkflowError(.usage, Message("error.needs_verb", ["noun": "\(noun)", "known": .words(verbs)]))
        }
        guard let command = forNoun.first(where: { $0.verb == rest[1] }) else {
            throw WorkflowError(.usage, Message("error.unknown_command", ["command": "\(noun) \(rest[1])", "known": .words(verbs)]))
        }
        if global.help { return .help(commandHelp(command, language)) }

        let (positionals, values) = try OptionParser.parse(Array(rest.dropFirst(2)), options: command.options, command: "\(noun) \(command.verb)")
        guard command.positionals.contains(positionals.count) else {
            let expected: MessageArgument = command.arguments.isEmpty ? .message(Message("word.no_arguments")) : "\(command.arguments)"
            throw WorkflowError(.usage, Message("error.arguments", ["command": "\(noun) \(command.verb)", "expected": expected,
                                                                   "got": .words(positionals.map { "'\($0)'" }), "usage": "\(command.usage)"]))
        }
        return .run(command, positionals, values)
    }

    private static func orderedNouns() -> [String] {
        var seen: [String] = []
        for command in commands where !seen.contains(command.noun) { seen.append(command.noun) }
        return seen
    }

    static func topHelp(_ language: Language) -> String {
        var text = Message("help.title").text(language) + "\n\n" + Message("help.usage").text(language)
            + ": workflowctl NOUN VERB [ARGS] [--json]\n\n" + Message("help.commands").text(language) + ":\n"
        for command in commands {
            let left = "  \(command.noun) \(command.verb)"
            text += left.padding(toLength: max(left.count + 2, 28), withPad: " ", startingAt: 0) + Message(command.summary).text(language) + "\n"
        }
        return text + "\n" + Message("help.global").text(language) + "\n\n" + Message("help.exit_codes").text(language) + "\n"
    }

    static func nounHelp(_ noun: String, _ language: Language) -> String {
        var text = "\(Message("help.usage").text(language)): workflowctl \(noun) VERB ...\n\n"
        for command in commands where command.noun == noun {
            text += "  \(command.usage)\n      \(Message(command.summary).text(language))\n"
        }
        return text + "\n" + Message("help.global").text(language) + "\n"
    }

    static func commandHelp(_ command: Command, _ language: Language) -> String {
        var text = "\(Message("help.usage").text(language)): \(command.usage)\n\n\(Message(command.summary).text(language))\n"
        if !command.options.isEmpty {
            text += "\n\(Message("help.options").text(language)):\n"
            for option in command.options {
                let left = "  --\(option.name)" + (option.value.map { " \($0)" } ?? "")
                text += left.padding(toLength: max(left.count + 2, 26), withPad: " ", startingAt: 0) + Message(option.help).text(language) + "\n"
            }
        }
        return text + "\n" + Message("help.global").text(language) + "\n"
    }
}
