import Foundation

/// The one reader of options for both programs: `workflowctl`'s commands and `workflowd` declare
/// their options as `OptionSpec`s, and this turns a command line into positionals and values,
/// refusing unknown options, missing values and options given twice, in the reader's words.
enum OptionParser {
    /// Positionals in order, and each option's values (a flag has none) by name.
    static func parse(_ tokens: [String], options: [OptionSpec], command: String,
                      unknown: ((String) -> WorkflowError)? = nil) throws -> (positionals: [String], values: [String: [String]]) {
        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var position = 0
        var onlyPositionals = false
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            if onlyPositionals || !token.hasPrefix("--") {
                if token == "--" && !onlyPositionals { onlyPositionals = true; continue }
                positionals.append(token)
                continue
            }
            let (name, inline) = split(token)
            let key = String(name.dropFirst(2))
            guard let option = options.first(where: { $0.name == key }) else {
                if let unknown { throw unknown(name) }
                let known = options.map { "--" + $0.name }
                throw WorkflowError(.usage, Message(known.isEmpty ? "error.unknown_option_none" : "error.unknown_option",
                                                    ["option": "\(name)", "command": "\(command)", "known": .words(known)]))
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

    /// `--name=value` as its name and value; any other token as itself.
    static func split(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }
}
