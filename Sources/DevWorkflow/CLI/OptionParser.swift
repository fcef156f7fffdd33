import Foundation

/// The one reader of options for both programs: `workflowctl`'s commands and `workflowd` declare
/// their options as `OptionSpec`s, and this turns a command line into positionals and values,
/// refusing unknown options (saying which known one a typo meant), missing values, options given
/// twice and missing required options, in the reader's words.
enum OptionParser {
    /// Positionals in order, and each option's values (a flag has none) by name.
    static func parse(_ tokens: [String], options: [OptionSpec], command: String,
                      unknown: ((String, String?) -> WorkflowError)? = nil) throws -> (positionals: [String], values: [String: [String]]) {
        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var position = 0
        var onlyPositionals = false
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            // A short option (`-x`) is none of ours: said as an unknown option, not taken for an
            // argument ("takes no arguments, got '-x'"). A negative number stays an argument;
            // `--` before a text that starts with a dash keeps it one.
            let short = !onlyPositionals && token.count > 1 && token.hasPrefix("-") && !token.hasPrefix("--")
                && token.dropFirst().first!.isLetter
            if !short && (onlyPositionals || !token.hasPrefix("--")) {
                if token == "--" && !onlyPositionals { onlyPositionals = true; continue }
                positionals.append(token)
                continue
            }
            let (name, inline) = short ? (token, nil) : split(token)
            let key = short ? "" : String(name.dropFirst(2))
            guard !short, let option = options.first(where: { $0.name == key }) else {
                let known = options.map { "--" + $0.name }
                let suggestion = Suggestion.closest(to: name, among: known)
                if let unknown { throw unknown(name, suggestion) }
                let key = known.isEmpty ? "error.unknown_option_none" : suggestion == nil ? "error.unknown_option" : "error.unknown_option_hint"
                throw WorkflowError(.usage, Message(key, ["option": "\(name)", "command": "\(command)", "known": .words(known),
                                                          "suggestion": "\(suggestion ?? "")"]))
            }
            if values[key] != nil && !option.repeatable {
                throw WorkflowError(.usage, Message("error.option_twice", ["option": "--\(key)"]))
            }
            if let valueName = option.value {
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard position < tokens.count else {
                        throw WorkflowError(.usage, Message("error.needs_value", ["option": "--\(key)", "value": "\(valueName)"]))
                    }
                    value = tokens[position]
                    position += 1
                }
                values[key, default: []].append(value)
            } else {
                guard inline == nil else { throw WorkflowError(.usage, Message("error.takes_no_value", ["option": "--\(key)"])) }
                values[key] = []
            }
        }
        return (positionals, values)
    }

    /// One usage error naming every required option of `options` that `values` lacks (and only
    /// those), each with its value as help shows it: `--cap EUR`.
    static func requireAll(_ options: [OptionSpec], in values: [String: [String]], command: String) throws {
        let missing = options.filter { $0.required && values[$0.name] == nil }
        guard !missing.isEmpty else { return }
        throw WorkflowError(.usage, Message("error.option_needed", ["command": "\(command)",
                                                                     "option": .words(missing.map { "--\($0.name)" + ($0.value.map { " \($0)" } ?? "") })]))
    }

    /// `--name=value` as its name and value; any other token as itself.
    static func split(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }
}
