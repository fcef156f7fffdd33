import Foundation

/// An option a command takes: `--name VALUE`, or a flag when `value` is nil.
package struct OptionSpec: Sendable {
    package let name: String
    package let value: String?
    package let repeatable: Bool
    package let help: String

    package static func value(_ name: String, _ value: String, _ help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, value: value, repeatable: repeatable, help: help)
    }

    package static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, value: nil, repeatable: false, help: help)
    }
}

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
    package let run: (Invocation) throws -> Void

    package init(_ noun: String, _ verb: String, arguments: String = "", positionals: ClosedRange<Int> = 0...0,
                 options: [OptionSpec] = [], summary: String, run: @escaping (Invocation) throws -> Void) {
        self.noun = noun
        self.verb = verb
        self.arguments = arguments
        self.positionals = positionals
        self.options = options
        self.summary = summary
        self.run = run
    }

    var usage: String {
        var text = "workflowctl \(noun) \(verb)"
        if !arguments.isEmpty { text += " " + arguments }
        for option in options {
            text += option.value.map { " [--\(option.name) \($0)\(option.repeatable ? " ..." : "")]" } ?? " [--\(option.name)]"
        }
        return text
    }
}

/// The options that may stand anywhere on the line.
package struct GlobalOptions: Sendable {
    package var database: String?
    package var actAs: String?
    package var json = false
    package var help = false
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
    private var openConnection: Connection?
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

    /// The language of what this invocation prints: LC_ALL, LC_MESSAGES or LANG, else Estonian.
    package var language: Language { Language.fromEnvironment(environment) }

    /// The last value given for an option.
    package func value(_ name: String) -> String? { values[name]?.last }
    /// Every value given for a repeatable option.
    package func all(_ name: String) -> [String] { values[name] ?? [] }
    package func flag(_ name: String) -> Bool { values[name] != nil }

    /// A required option's value, or a usage error naming it.
    package func required(_ name: String) throws -> String {
        try require([name])
        return value(name) ?? ""
    }

    /// Throws one usage error naming every option of `names` that was not given (and only those),
    /// each with its value as the command's help shows it: `--cap EUR`.
    package func require(_ names: [String]) throws {
        let missing = names.filter { values[$0] == nil }
        guard !missing.isEmpty else { return }
        let shown = missing.map { name in
            "--\(name)" + (command.options.first { $0.name == name }?.value.map { " \($0)" } ?? "")
        }
        throw WorkflowError(.usage, Message("error.option_needed", ["command": "\(command.noun) \(command.verb)", "option": .words(shown)]))
    }

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

    /// An option parsed as a date (`YYYY-MM-DD`), if given.
    package func date(_ name: String) throws -> LocalDate? {
        try value(name).map { text in
            do { return try LocalDate(parsing: text) } catch let error as WorkflowError {
                throw WorkflowError(.invalidData, Message("error.option_value", ["option": "--\(name)", "problem": .message(error.text)]))
            }
        }
    }

    /// An option parsed as euros, if given.
    package func money(_ name: String) throws -> Money? {
        try value(name).map { text in
            do { return try Money(parsing: text) } catch let error as WorkflowError {
                throw WorkflowError(.invalidData, Message("error.option_value", ["option": "--\(name)", "problem": .message(error.text)]))
            }
        }
    }

    /// An option parsed as a whole number, if given.
    package func integer(_ name: String) throws -> Int? {
        try value(name).map { text in try Invocation.integer(text, option: "--\(name)") }
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

    /// An option parsed as an exact decimal (hours), if given.
    package func decimal(_ name: String) throws -> Decimal? {
        try value(name).map { text in
            guard let number = TransitionInputs.parseHours(text) else {
                // Digits the parser will not hold are a number too large, not "not a number":
                // say the range hours have.
                let digits = text.drop { $0 == "+" }.split(whereSeparator: { $0 == "." || $0 == "," })
                if (1...2).contains(digits.count), digits.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) {
                    throw WorkflowError(.invalidData, Message("error.option_value", ["option": "--\(name)",
                                                                                      "problem": .message(Message("error.hours_range", ["hours": "\(text.prefix(40))"]))]))
                }
                throw WorkflowError(.invalidData, Message("error.not_number", ["option": "--\(name)", "value": "\(text.prefix(40))"]))
            }
            return number
        }
    }

    /// Says on standard error that a report left out a stored row it could not read.
    package func warnUnreadable(_ reason: String) {
        FileHandle.standardError.write(Data(("workflowctl: warning: " + say("out.warning.unreadable_row", ["row": "\(reason)"]) + "\n").utf8))
    }

    /// A positional argument.
    package func argument(_ index: Int) -> String { positionals[index] }

    /// Prints a result: the JSON document with `--json`, else the text, with any control
    /// character a terminal would obey shown instead (see `TerminalText`).
    package func emit(_ json: @autoclosure () -> JSONValue, text: @autoclosure () -> String) {
        if global.json {
            out.line(json().prettyText)
        } else {
            let rendered = TerminalText.lines(text())
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
