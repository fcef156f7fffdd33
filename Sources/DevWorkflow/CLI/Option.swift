import Foundation

/// What completion offers for an option's value or a positional argument.
package enum ValueCompletion: Sendable, Equatable {
    /// Free text: nothing to offer.
    case none
    /// One of these words.
    case choices([String])
    case files
    case directories
    /// Values the database knows, asked for quietly with `workflowctl __complete KIND`.
    case live(LiveValues)

    /// What a value name says by itself: `et|en` is a choice, `FILE` and `PATH` a file, `DIR` a folder.
    static func implied(by metavar: String?) -> ValueCompletion {
        guard let metavar else { return .none }
        if metavar.contains("|") {
            let words = metavar.split(separator: "|").map(String.init)
            if words.allSatisfy({ $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } }) { return .choices(words) }
            return words.contains("FILE") ? .files : .none
        }
        switch metavar {
        case "FILE", "PATH": return .files
        case "DIR": return .directories
        default: return .none
        }
    }
}

/// The kinds of value `workflowctl __complete` reads from the database (each through the
/// functions that decide what the login may see).
package enum LiveValues: String, Sendable, CaseIterable {
    case requests, transitions, vendors, systems, logins, states, invoices, contracts, orders
}

/// An option a command takes, `--name VALUE` or a flag: its name, the name of its value as help
/// shows it, its help text's catalogue key, whether it is required or repeatable, and what
/// completion offers for its value. Help, the man page, completion and the parser all read it.
///
/// Declare a command's options typed (`Option<LocalDate>`, `Required<String>`, `Repeated<String>`,
/// `Flag`) as static members of this class, so a command lists them as `options: [.title, .due]`
/// and reads them as `call[.title]`: a typo is a compile error, not a silent nil. There is no
/// reading by name.
// @unchecked: every stored property is an immutable `let` of a Sendable type, in subclasses too.
package class OptionSpec: @unchecked Sendable {
    package let name: String
    /// The value's name in help (`KEY`, `DATE`); nil for a flag.
    package let value: String?
    package let repeatable: Bool
    /// The catalogue key of the help text.
    package let help: String
    /// The parser refuses the command line without it, and help shows it unbracketed.
    package let required: Bool
    /// Given where the value's name does not say it; worked out only when completion asks (every
    /// run declares every option, and few runs complete one).
    private let declaredCompletion: ValueCompletion?
    package var completion: ValueCompletion { declaredCompletion ?? .implied(by: value) }

    init(name: String, value: String?, help: String, repeatable: Bool = false, required: Bool = false, completion: ValueCompletion? = nil) {
        self.name = name
        self.value = value
        self.repeatable = repeatable
        self.help = help
        self.required = required
        self.declaredCompletion = completion
    }

    /// `--name VALUE` (with ` ...` when it may be repeated), or `--name` for a flag.
    var synopsis: String {
        "--\(name)" + (value.map { " \($0)" } ?? "") + (repeatable ? " ..." : "")
    }

    /// As the usage line shows it: bracketed unless required.
    var usage: String { required ? synopsis : "[\(synopsis)]" }
}

/// A value an option takes, read from the text a person typed.
package protocol OptionValue: Sendable {
    /// The value, or an error naming `option` and what is wrong.
    static func read(_ text: String, option: String) throws -> Self
}

extension String: OptionValue {
    package static func read(_ text: String, option: String) throws -> String { text }
}

extension Int: OptionValue {
    package static func read(_ text: String, option: String) throws -> Int { try Invocation.integer(text, option: option) }
}

extension LocalDate: OptionValue {
    package static func read(_ text: String, option: String) throws -> LocalDate {
        try Invocation.naming(option) { try PeopleInput.date(text) }
    }
}

extension Money: OptionValue {
    package static func read(_ text: String, option: String) throws -> Money {
        try Invocation.naming(option) { try PeopleInput.money(text) }
    }
}

extension Decimal: OptionValue {
    /// A number as people write it (`22`, `22,5`, `1 000,125`), exactly, with the decimals given:
    /// how many a value may have is the database's rule (`set_contract_terms`, `set_vat_rate`),
    /// said in its refusal, not repeated here.
    package static func read(_ text: String, option: String) throws -> Decimal {
        guard let (value, _) = PeopleInput.number(text) else {
            throw WorkflowError(.invalidData, Message("error.not_number", ["option": "\(option)", "value": "\(text.prefix(40))"]))
        }
        return value
    }
}

extension Language: OptionValue {
    package static func read(_ text: String, option: String) throws -> Language { try Language(parsing: text) }
}

extension PersonRole: OptionValue {
    package static func read(_ text: String, option: String) throws -> PersonRole {
        guard let role = PersonRole(rawValue: text) else { throw WorkflowError(.invalidData, Message("error.unknown_role", ["role": "\(text)"])) }
        return role
    }
}

/// An option given at most once: `call[.x]` is its value or nil.
package final class Option<Value: OptionValue>: OptionSpec, @unchecked Sendable {
    package init(_ name: String, _ value: String, help: String, complete: ValueCompletion? = nil) {
        super.init(name: name, value: value, help: help, completion: complete)
    }
}

/// An option the command cannot run without: the parser refuses the line without it, so
/// `call[.x]` is its value.
package final class Required<Value: OptionValue>: OptionSpec, @unchecked Sendable {
    package init(_ name: String, _ value: String, help: String, complete: ValueCompletion? = nil) {
        super.init(name: name, value: value, help: help, required: true, completion: complete)
    }
}

/// An option that may be given several times: `call[.x]` is every value, in order.
package final class Repeated<Value: OptionValue>: OptionSpec, @unchecked Sendable {
    package init(_ name: String, _ value: String, help: String, complete: ValueCompletion? = nil) {
        super.init(name: name, value: value, help: help, repeatable: true, completion: complete)
    }
}

/// An option without a value: `call[.x]` says whether it was given.
package final class Flag: OptionSpec, @unchecked Sendable {
    package init(_ name: String, help: String) {
        super.init(name: name, value: nil, help: help)
    }
}

/// What the parser found on a command line, read through the options' declarations: the one
/// way a command (or workflowd) gets at an option's value.
package struct OptionValues {
    /// The options the command declares.
    let declared: [OptionSpec]
    let values: [String: [String]]
    /// `workflowctl noun verb` or `workflowd`, for the message of a broken declaration.
    let owner: String

    /// The text given for a declared option (trapping for one the command does not declare: that
    /// is a mistake in the command table, which every test of the command finds).
    private func given(_ option: OptionSpec) -> [String]? {
        precondition(declared.contains { $0 === option }, "\(owner) reads --\(option.name), which it does not declare")
        return values[option.name]
    }

    package subscript<Value>(_ option: Option<Value>) -> Value? {
        get throws { try given(option)?.last.map { try Value.read($0, option: "--\(option.name)") } }
    }

    package subscript<Value>(_ option: Required<Value>) -> Value {
        get throws {
            guard let text = given(option)?.last else { preconditionFailure("the parser let a line without --\(option.name) through") }
            return try Value.read(text, option: "--\(option.name)")
        }
    }

    package subscript<Value>(_ option: Repeated<Value>) -> [Value] {
        get throws { try (given(option) ?? []).map { try Value.read($0, option: "--\(option.name)") } }
    }

    package subscript(_ flag: Flag) -> Bool { given(flag) != nil }
}

extension Invocation {
    var options: OptionValues { OptionValues(declared: command.options, values: values, owner: "workflowctl \(command.name)") }

    package subscript<Value>(_ option: Option<Value>) -> Value? { get throws { try options[option] } }
    package subscript<Value>(_ option: Required<Value>) -> Value { get throws { try options[option] } }
    package subscript<Value>(_ option: Repeated<Value>) -> [Value] { get throws { try options[option] } }
    package subscript(_ flag: Flag) -> Bool { options[flag] }

    /// Runs a parse, naming the option in its error: `--due: date '32.13.2026' …`.
    static func naming<T>(_ option: String, _ parse: () throws -> T) throws -> T {
        do { return try parse() } catch let error as WorkflowError {
            throw WorkflowError(.invalidData, Message("error.option_value", ["option": "\(option)", "problem": .message(error.text)]))
        }
    }
}
