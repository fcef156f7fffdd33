import Foundation

/// One `workflowctl NOUN VERB`: what it takes, what it says about itself, and what it does.
package struct Command {
    package let noun: String
    package let verb: String
    /// The positional arguments as shown in usage (`ID TRANSITION`).
    package let arguments: String
    package let positionals: ClosedRange<Int>
    package let options: [OptionSpec]
    /// The catalogue key of the one-line summary.
    package let summary: String
    /// What completion offers for each positional argument, in order (the last one repeats).
    package let complete: [ValueCompletion]
    /// What it prints may be long: on a terminal it goes through the pager.
    package let pages: Bool
    /// Not listed in help, the manual or completion (`__complete`, which completion calls).
    package let hidden: Bool
    package let run: (Invocation) throws -> Void

    package init(_ noun: String, _ verb: String, arguments: String = "", positionals: ClosedRange<Int> = 0...0,
                 options: [OptionSpec] = [], summary: String, complete: [ValueCompletion] = [], pages: Bool = false, hidden: Bool = false,
                 run: @escaping (Invocation) throws -> Void) {
        self.noun = noun
        self.verb = verb
        self.arguments = arguments
        self.positionals = positionals
        self.options = options
        self.summary = summary
        self.complete = complete
        self.pages = pages
        self.hidden = hidden
        self.run = run
    }

    /// `noun verb`, or the noun alone for a command of one word (`man`).
    package var name: String { verb.isEmpty ? noun : "\(noun) \(verb)" }

    /// `workflowctl noun verb ARGS --required X [--optional Y]` on one line.
    var usage: String { usageWords.joined(separator: " ") }

    /// The usage line's words (an option with its value is one word, so wrapping keeps them together).
    var usageWords: [String] {
        ["workflowctl", name] + (arguments.isEmpty ? [] : [arguments]) + options.map(\.usage)
    }

    /// What completion offers for the positional argument at `index`.
    func completion(ofArgument index: Int) -> ValueCompletion {
        complete.isEmpty ? .none : complete[min(index, complete.count - 1)]
    }
}

/// The options that may stand anywhere on the line (after the verb, a command's own option of the
/// same name wins: `person add … --lang en` is the person's language).
package struct GlobalOptions: Sendable {
    package var database: String?
    package var actAs: String?
    package var json = false
    package var help = false
    /// What workflowctl prints is in this language (else the locale's).
    package var language: Language?
    package var noPager = false

    static let database = Option<String>("database", "CONNINFO", help: "help.option.global.database")
    static let actAs = Option<String>("as", "LOGIN", help: "help.option.global.as", complete: .live(.logins))
    static let json = Flag("json", help: "help.option.global.json")
    static let language = Option<Language>("lang", "et|en", help: "help.option.global.lang")
    static let noPager = Flag("no-pager", help: "help.option.global.no-pager")
    static let help = Flag("help", help: "help.option.global.help")
    static let version = Flag("version", help: "help.option.global.version")

    /// In the order help lists them.
    static let declared: [OptionSpec] = [database, actAs, json, language, noPager, help, version]
}

/// A parsed command line handed to a command, with lazy access to the database.
package final class Invocation {
    package let command: Command
    package let positionals: [String]
    package let values: [String: [String]]
    package let global: GlobalOptions
    package let environment: [String: String]
    package let out: TextOutput
    package let clock: @Sendable () -> Date
    private(set) var openConnection: Connection?
    /// The exit status of a command that did not fail but has news for a script (`cluster
    /// status`: 3 stopped, 4 absent, as `pg_ctl status` says).
    package var exitStatus: Int32 = 0
    /// While a JSON document is being written piece by piece: what ends it, given an `error`
    /// object, should the command fail before it is complete (nil: nothing was written yet).
    private(set) var jsonEnding: ((String) -> String?)?

    init(command: Command, positionals: [String], values: [String: [String]], global: GlobalOptions,
         environment: [String: String], out: TextOutput, clock: @escaping @Sendable () -> Date) {
        self.command = command
        self.positionals = positionals
        self.values = values
        self.global = global
        self.environment = environment
        self.out = out
        self.clock = clock
    }

    package var json: Bool { global.json }

    /// The width its text should wrap to: `$COLUMNS`, else the terminal's, else 80.
    package var width: Int { Terminal.width(environment: environment, descriptor: out.pagedTerminal ?? out.descriptor) }

    /// A listing's lines for a person, each one too long for the width broken at its spaces and
    /// continued under `rest`.
    package func fitted(_ lines: [String], rest: String = "    ") -> String {
        lines.flatMap { Terminal.breaking($0, width: width, first: "", rest: rest) }.joined(separator: "\n")
    }

    /// The language of what this invocation prints: --lang, else LC_ALL, LC_MESSAGES or LANG, else Estonian.
    package var language: Language { global.language ?? Language.fromEnvironment(environment) }

    /// The connection, opened on first use from --database, the environment or the embedded cluster.
    package func connection() throws -> Connection {
        if let openConnection { return openConnection }
        let connection = try Database.connect(explicit: global.database, environment: environment, applicationName: "workflowctl",
                                              actAs: global.actAs)
        openConnection = connection
        return connection
    }

    /// A catalogue text in this invocation's language.
    package func say(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String {
        Message(key, arguments).text(language)
    }

    /// The workflow store over this invocation's connection.
    package func store() throws -> WorkflowStore {
        WorkflowStore(connection: try connection(), clock: clock)
    }

    /// A whole number, or an error saying the text is none, or that it is too large to be one.
    static func integer(_ text: String, option: String) throws -> Int {
        if let number = Int(text) { return number }
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw WorkflowError(.invalidData, Message("error.integer_too_large", ["option": "\(option)", "value": "\(text.prefix(40))",
                                                                                  "largest": "\(Int.max)"]))
        }
        throw WorkflowError(.invalidData, Message("error.not_integer", ["option": "\(option)", "value": "\(text.prefix(40))"]))
    }

    /// Says on standard error that a report left out a stored row it could not read.
    package func warnUnreadable(_ reason: String) {
        warn(Message("out.warning.unreadable_row", ["row": "\(reason)"]))
    }

    /// Says something on standard error, on one line: `workflowctl: warning: …` (or another prefix).
    package func warn(_ message: Message, prefix: String = "warning: ") {
        FileHandle.standardError.write(Data(("workflowctl: " + prefix + TerminalText.line(message.text(language)) + "\n").utf8))
    }

    /// A positional argument.
    package func argument(_ index: Int) -> String { positionals[index] }

    /// Prints a result: the JSON document with `--json`, else the text, with any control
    /// character a terminal would obey shown instead (see `TerminalText`).
    package func emit(_ json: @autoclosure () -> JSONValue, text: @autoclosure () -> String) {
        if global.json {
            out.line(json().normalisingTimestamps().prettyText)
        } else {
            let rendered = TerminalText.trimmingTrailingBlanks(TerminalText.lines(text()))
            if !rendered.isEmpty { out.write(rendered.hasSuffix("\n") ? rendered : rendered + "\n") }
        }
    }

    /// Writes the start of a JSON document that follows piece by piece (a streamed list).
    /// `ending` makes, from an `error` object's text, what completes the document should the
    /// command fail before `endJSON`: stdout holds one valid JSON document whatever happens.
    package func beginJSON(_ start: String, endingOnError ending: @escaping (String) -> String?) {
        out.write(start)
        jsonEnding = ending
    }

    /// Writes the end of the document `beginJSON` started.
    package func endJSON(_ end: String) {
        out.write(end)
        jsonEnding = nil
    }

    /// Hands the document over to a writer that ends it itself (a report renderer): `ending`
    /// gives its completion with an error, nil when it wrote nothing, "" when it was complete.
    package func streamJSON(endingOnError ending: @escaping (String) -> String?) {
        jsonEnding = ending
    }
}
