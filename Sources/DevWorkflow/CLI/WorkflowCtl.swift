import Foundation

/// `workflowctl`: parses a command line, runs the command, prints, and maps errors to exit codes.
///
/// The executable only calls `run`; everything lives here so tests can drive it in-process too.
package enum WorkflowCtl {
    package static let version = "0.1.0"

    /// Every command, in the order help lists them (one group a line: a new group is one line).
    package static var commands: [Command] {
        [
            Commands.database,
            Commands.cluster,
            Commands.admin,
            Commands.money,
            Commands.audit,
            Commands.setting,
            Commands.request,
            Commands.warranty,
            [Commands.requestImport],
            Commands.edit,
            Commands.files,
            Commands.report,
            Commands.order,
            Commands.outbox,
            Commands.workflow,
            Commands.calendar,
            [Commands.calendarFeed],
            Commands.mail,
            Commands.demo,
            Commands.manual,
        ].flatMap { $0 }
    }

    /// The commands help, the manual and completion show (not `__complete`), a noun's together.
    static var visibleCommands: [Command] { visibleCommands(of: commands) }

    /// The visible ones among `all`, a noun's together.
    static func visibleCommands(of all: [Command]) -> [Command] {
        let visible = all.filter { !$0.hidden }
        var nouns: [String] = []
        for command in visible where !nouns.contains(command.noun) { nouns.append(command.noun) }
        return nouns.flatMap { noun in visible.filter { $0.noun == noun } }
    }

    /// The exit codes, each with the catalogue key of what it means, as help and the manual list them.
    static let exitCodes: [(code: Int32, key: String)] = [
        (0, "help.exit.0"), (64, "help.exit.64"), (65, "help.exit.65"), (66, "help.exit.66"), (69, "help.exit.69"), (70, "help.exit.70"),
        (74, "help.exit.74"), (75, "help.exit.75"), (77, "help.exit.77"), (78, "help.exit.78"),
    ]

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
    package static func run(_ arguments: [String], environment: [String: String] = ProcessEnvironment.current(),
                            out: TextOutput, err: TextOutput,
                            clock: @escaping @Sendable () -> Date = { Date() }) -> Int32 {
        var global = GlobalOptions()
        let localeLanguage = Language.fromEnvironment(environment)
        var language: Language { global.language ?? localeLanguage }
        var invocation: Invocation?
        var pager: Pager?
        func page(_ long: Bool) {
            if long && !global.json && !global.noPager { pager = Pager.start(for: out, environment: environment) }
        }
        do {
            let parsed = try parse(arguments, global: &global, language: localeLanguage,
                                   width: Terminal.width(environment: environment, descriptor: out.descriptor))
            switch parsed {
            case let .help(text):
                page(true)
                out.write(text)
            case .version:
                out.line("workflowctl \(version)")
            case let .run(command, positionals, values):
                let call = Invocation(command: command, positionals: positionals, values: values, global: global,
                                      environment: environment, out: out, clock: clock)
                invocation = call
                page(command.pages)
                try command.run(call)
            }
            out.flush()
            pager?.finish(out)
            return invocation?.exitStatus ?? 0
        } catch {
            pager?.finish(out)
            var failure = asWorkflowError(error)
            // A schema "not there" or refused may be a login nobody let in: say which grant it lacks.
            if ["error.not_migrated", "error.privilege"].contains(failure.text.key), let connection = invocation?.openConnection {
                _ = try? connection.execute("ROLLBACK")
                failure = Database.missingGrant(Database.userRole, on: connection) ?? failure
            }
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


    /// Splits a command line into the command, its positionals and its option values; a line
    /// asking for help gets the help text, `width` columns wide, in `language` unless it says --lang.
    static func parse(_ arguments: [String], global: inout GlobalOptions, language: Language = .en, width: Int = 80) throws -> Parsed {
        // Global options may stand anywhere; take them out first (after the verb, a command's own
        // option of the same name is the command's).
        // Built once a parse, when first needed (not for --version): each build makes every
        // command and its options again; a move's parse built them four times.
        lazy var commands = self.commands
        var rest: [String] = []
        var index = 0
        var literal = false
        var shadowed: Set<String> = []
        func nextValue(_ name: String, _ inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw WorkflowError(.usage, Message("error.needs_value", ["option": "--\(name)", "value": ""])) }
            return arguments[index]
        }
        while index < arguments.count {
            let token = arguments[index]
            defer { index += 1 }
            if literal { rest.append(token); continue }
            let (name, inline) = OptionParser.split(token)
            let key = name.hasPrefix("--") ? String(name.dropFirst(2)) : ""
            if token == "--" { literal = true; rest.append(token); continue }
            if token == "-h" { global.help = true; continue }
            guard let option = GlobalOptions.declared.first(where: { $0.name == key }), !shadowed.contains(key) else {
                rest.append(token)
                // Noun and verb known: which of its options hide global ones.
                if rest.count <= 2, !rest[0].hasPrefix("-"), !(rest.last ?? "").hasPrefix("-"),
                   let command = commands.first(where: { $0.noun == rest[0] && ($0.verb == rest.last || $0.verb.isEmpty) }) {
                    shadowed = Set(command.options.map(\.name))
                }
                continue
            }
            if option.value != nil {
                let value = try nextValue(key, inline)
                if option === GlobalOptions.database {
                    global.database = value
                } else if option === GlobalOptions.actAs {
                    // An empty login must not quietly mean "as myself" (the admin).
                    guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                        throw WorkflowError(.usage, Message("error.as_empty"))
                    }
                    global.actAs = value
                } else {
                    global.language = try Language(parsing: value)
                }
                continue
            }
            // `--json=false` must not quietly mean --json.
            guard inline == nil else { throw WorkflowError(.usage, Message("error.takes_no_value", ["option": "\(name)"])) }
            if option === GlobalOptions.json {
                global.json = true
            } else if option === GlobalOptions.noPager {
                global.noPager = true
            } else if option === GlobalOptions.help {
                global.help = true
            } else if rest.isEmpty {
                return .version
            } else {
                rest.append(token)
            }
        }
        // `workflowctl help [NOUN [VERB]]` and `workflowctl version`, as other tools take them.
        if rest.first == "help" {
            rest.removeFirst()
            global.help = true
        } else if rest == ["version"] {
            return .version
        }
        let help = HelpText(language: global.language ?? language, width: width)

        let nouns = orderedNouns(visibleCommands(of: commands))
        guard let noun = rest.first, !noun.hasPrefix("-") else {
            if global.help || rest.isEmpty { return .help(help.top()) }
            let suggestion = Suggestion.closest(to: rest[0], among: GlobalOptions.declared.map { "--" + $0.name })
            throw WorkflowError(.usage, Message(suggestion == nil ? "error.unknown_option_top" : "error.unknown_option_top_hint",
                                                ["option": "\(rest[0])", "known": .words(nouns), "suggestion": "\(suggestion ?? "")"]))
        }
        let forNoun = commands.filter { $0.noun == noun }
        guard !forNoun.isEmpty else { throw unknown(noun, among: nouns) }
        let verbs = forNoun.filter { !$0.hidden && !$0.verb.isEmpty }.map(\.verb)
        let command: Command
        var tokens = Array(rest.dropFirst(2))
        if let single = forNoun.first(where: { $0.verb.isEmpty }) {
            // A command of one word (`man`): what follows is its own.
            command = single
            tokens = Array(rest.dropFirst())
        } else {
            guard rest.count > 1, !rest[1].hasPrefix("-") else {
                if global.help { return .help(help.noun(noun)) }
                throw WorkflowError(.usage, Message("error.needs_verb", ["noun": "\(noun)", "known": .words(verbs)]))
            }
            guard let found = forNoun.first(where: { $0.verb == rest[1] }) else {
                throw unknown(rest[1], among: verbs, prefix: "\(noun) ")
            }
            command = found
        }
        if global.help { return .help(help.command(command)) }

        let name = command.name
        let (positionals, values) = try OptionParser.parse(tokens, options: command.options, command: name)
        guard command.positionals.contains(positionals.count) else {
            let expected: MessageArgument = command.arguments.isEmpty ? .message(Message("word.no_arguments")) : "\(command.arguments)"
            let got: MessageArgument = positionals.isEmpty ? .message(Message("word.no_arguments_given"))
                : .list(positionals.map { .message(Message("word.quoted", ["text": "\($0)"])) }, conjunction: false)
            throw WorkflowError(.usage, Message("error.arguments", ["command": "\(name)", "expected": expected, "got": got, "usage": "\(command.usage)"]))
        }
        try OptionParser.requireAll(command.options, in: values, command: name)
        return .run(command, positionals, values)
    }

    /// An unknown noun or verb, with the known one it most likely meant.
    private static func unknown(_ word: String, among known: [String], prefix: String = "") -> WorkflowError {
        let suggestion = Suggestion.closest(to: word, among: known)
        return WorkflowError(.usage, Message(suggestion == nil ? "error.unknown_command" : "error.unknown_command_hint",
                                             ["command": "\(prefix)\(word)", "known": .words(known), "suggestion": "\(prefix)\(suggestion ?? "")"]))
    }

    private static func orderedNouns(_ visible: [Command]) -> [String] {
        var seen: [String] = []
        for command in visible where !seen.contains(command.noun) { seen.append(command.noun) }
        return seen
    }
}
