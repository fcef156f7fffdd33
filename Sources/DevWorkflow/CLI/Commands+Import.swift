import Foundation

extension OptionSpec {
    static let importSystem = Required<String>("system", "KEY", help: "help.option.request.import.system", complete: .live(.systems))
}

extension Commands {
    /// `request import`: a backlog from CSV as a spreadsheet saves it (a byte order mark, `;`
    /// or `,`), all rows or none; `--dry-run` checks every row and writes nothing.
    static var requestImport: Command {
        Command("request", "import", arguments: "FILE|-", positionals: 1...1, options: [.importSystem, .dryRun],
                summary: "help.request.import", complete: [.files]) { call in
            let path = call.argument(0)
            let handle = path == "-" ? FileHandle.standardInput : try Files.openForReading(path)
            let reader = CSVReader(readingFrom: handle)
            try reader.detectSeparator()
            let progress = Progress(call)
            let result = try call.store().importRequests(system: try call[.importSystem], from: reader, dryRun: call[.dryRun],
                                                         progress: progress.show)
            progress.clear()
            try report(result, call)
        }
    }

    /// Says what an import did or found: the duplicates as warnings, every wrong line, then the result or the error.
    private static func report(_ result: WorkflowStore.ImportResult, _ call: Invocation) throws {
        func notes(_ notes: [WorkflowStore.Note]) -> JSONValue {
            .array(notes.map { .object([("line", .int($0.line)), ("message", .string($0.message.text(call.language))), ("message_key", .string($0.message.key))]) })
        }
        let fields: [(String, JSONValue)] = [
            ("system", .string(result.system)), ("dry_run", .bool(result.dryRun)), ("rows", .int(result.rows)), ("imported", .int(result.count)),
            ("first", .optional(result.first)), ("last", .optional(result.last)), ("problems", notes(result.problems)),
            ("duplicates", notes(result.duplicates)),
        ]
        if !call.json {
            for note in result.duplicates { call.warn(note.message) }
        }
        guard result.problems.isEmpty else {
            if call.json {
                let start = JSONValue.object(fields).prettyText.dropLast(2)  // the document without its closing "\n}"
                call.beginJSON(String(start) + ",") { error in "\n  \"error\": \(error)\n}\n" }
            } else if result.problems.count > 1 {
                for problem in result.problems { call.warn(problem.message, prefix: "") }
            }
            throw WorkflowError(.invalidData, result.problems.count == 1 ? result.problems[0].message
                                : Message("error.import_bad_lines", ["count": "\(result.problems.count)"]))
        }
        let text: String
        if result.dryRun {
            text = call.say("out.import.checked", ["count": "\(result.rows)", "system": "\(result.system)"])
        } else if result.count == 0 {
            text = call.say("out.import.none")
        } else {
            text = call.say(result.count == 1 ? "out.import.done_one" : "out.import.done", ["count": "\(result.count)", "system": "\(result.system)", "first": "\(result.first ?? "")",
                                                 "last": "\(result.last ?? "")"])
        }
        call.emit(.object(fields), text: text)
    }

    /// How far a long import is, on standard error while it is a terminal (never in a pipe or a log).
    final class Progress {
        let call: Invocation
        let shown: Bool
        private var wrote = false

        init(_ call: Invocation) {
            self.call = call
            shown = Terminal.isTerminal(STDERR_FILENO)
        }

        func show(_ rows: Int) {
            guard shown else { return }
            FileHandle.standardError.write(Data(("\r" + call.say("out.import.progress", ["count": "\(rows)"])).utf8))
            wrote = true
        }

        /// Takes the line away again, before anything else is said.
        func clear() {
            if wrote { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
