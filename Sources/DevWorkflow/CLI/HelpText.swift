/// workflowctl's `--help` (and workflowd's), written from the command table (the same declarations the parser,
/// the manual and completion read) in the reader's language, wrapped to the terminal's width.
struct HelpText {
    let language: Language
    let width: Int

    func say(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String { Message(key, arguments).text(language) }

    /// `workflowctl --help`: every command with its summary, the global options, the exit codes.
    func top() -> String {
        var lines = wrapped(say("help.title")) + [""]
        lines += wrapped(words: [say("help.usage") + ":", "workflowctl", "NOUN", "VERB", "[ARGUMENTS]", "[OPTIONS]"], hanging: 4) + [""]
        lines.append(say("help.commands") + ":")
        lines += table(WorkflowCtl.visibleCommands.map { ($0.name, say($0.summary)) })
        lines += [""] + globals() + [""] + exitCodes() + [""] + wrapped(say("help.more"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `workflowctl NOUN --help`: the noun's commands, each with its usage and summary.
    func noun(_ noun: String) -> String {
        var lines = wrapped(words: [say("help.usage") + ":", "workflowctl", noun, "VERB", "..."], hanging: 4) + [""]
        for command in WorkflowCtl.visibleCommands where command.noun == noun {
            lines += Terminal.wrap(words: command.usageWords, width: width, first: "  ", rest: "      ")
            lines += Terminal.wrap(say(command.summary), width: width, first: "      ", rest: "      ")
        }
        return (lines + [""] + globals()).joined(separator: "\n") + "\n"
    }

    /// `workflowctl NOUN VERB --help`: usage (required options unbracketed), what it does, its options.
    func command(_ command: Command) -> String {
        let usage = say("help.usage") + ":"
        var lines = Terminal.wrap(words: [usage] + command.usageWords, width: width, rest: String(repeating: " ", count: usage.count + 1))
        lines += [""] + wrapped(say(command.summary))
        if !command.options.isEmpty {
            lines += ["", say("help.options") + ":"] + options(command.options)
        }
        return (lines + [""] + globals()).joined(separator: "\n") + "\n"
    }

    /// `workflowd --help`: usage, what it does, every option, the exit codes.
    func daemon(_ options: [OptionSpec]) -> String {
        let usage = say("help.usage") + ":"
        var lines = Terminal.wrap(words: [usage, "workflowd"] + options.map(\.usage), width: width,
                                  rest: String(repeating: " ", count: usage.count + 1))
        lines += [""] + wrapped(say("help.workflowd.about"))
        lines += ["", say("help.options") + ":"] + self.options(options)
        lines += [""] + wrapped(say("help.exit_heading") + ": " + say("help.workflowd.exit"))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The global options, under their heading.
    func globals() -> [String] {
        [say("help.global_heading") + ":"] + options(GlobalOptions.declared)
    }

    /// Options as a table: `--name VALUE` and the help text, "(required)" after a required one's.
    func options(_ options: [OptionSpec]) -> [String] {
        table(options.map { option in
            (option.synopsis, say(option.help) + (option.required ? " (\(say("help.required")))" : ""))
        })
    }

    /// `Exit codes: 0 ok, 64 usage, …` as a wrapped paragraph.
    func exitCodes() -> [String] {
        wrapped(say("help.exit_heading") + ": " + WorkflowCtl.exitCodes.map { "\($0.code) \(say($0.key))" }.joined(separator: ", ")
                + "; " + say("help.exit.cluster"))
    }

    /// Rows of two columns: the left indented by two, the right wrapped beside it (below it, when
    /// the left is wider than a third of the line).
    func table(_ rows: [(String, String)]) -> [String] {
        let column = min((rows.map { $0.0.count }.max() ?? 0) + 4, width / 3)
        var lines: [String] = []
        for (left, right) in rows {
            let head = "  " + left
            let indent = String(repeating: " ", count: column)
            if head.count + 2 > column {
                lines.append(head)
                lines += Terminal.wrap(right, width: width, first: indent, rest: indent)
            } else {
                lines += Terminal.wrap(right, width: width, first: head + String(repeating: " ", count: column - head.count), rest: indent)
            }
        }
        return lines
    }

    private func wrapped(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { Terminal.wrap(String($0), width: width) }
    }

    private func wrapped(words: [String], hanging: Int) -> [String] {
        Terminal.wrap(words: words, width: width, rest: String(repeating: " ", count: hanging))
    }
}
