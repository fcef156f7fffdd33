import Foundation
import Testing
@testable import DevWorkflow

/// The README's "A request's road" is what a new user types first, after the demo: every line of
/// it must work on a database the demo has just filled, and the id it names must be the one
/// `request new` prints. (Its quote once asked more than the contract's hourly rate allows, and
/// a new user's third command failed.)
@Suite struct ReadmeRoadTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// The `sh` block under a heading: one command a line, without its comment.
    static func commands(under heading: String) throws -> [(words: [String], comment: String)] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let section = text.range(of: "\n" + heading + "\n"),
              let open = text.range(of: "```sh\n", range: section.upperBound..<text.endIndex),
              let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else {
            throw WorkflowError(.internalError, Message("error.internal", ["reason": "README.md has no sh block under \(heading)"]))
        }
        return try text[open.upperBound..<close.lowerBound].split(separator: "\n").map { try shellWords(String($0)) }
    }

    /// Splits a line as the shell would for these examples: blanks, single and double quotes, and
    /// a `#` outside quotes that starts the comment.
    static func shellWords(_ line: String) throws -> (words: [String], comment: String) {
        var words: [String] = [], word = "", inWord = false, quote: Character? = nil
        var rest = Substring(line)
        while let c = rest.first {
            rest = rest.dropFirst()
            if let q = quote {
                if c == q { quote = nil } else { word.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == " " {
                if inWord { words.append(word); word = ""; inWord = false }
            } else if c == "#" && !inWord {
                return (words, rest.trimmingCharacters(in: .whitespaces))
            } else {
                word.append(c)
                inWord = true
            }
        }
        guard quote == nil else { throw WorkflowError(.internalError, Message("error.internal", ["reason": "unclosed quote in: \(line)"])) }
        if inWord { words.append(word) }
        return (words, "")
    }

    @Test func shellWordsSplitAsTheShellDoes() throws {
        let split = try Self.shellWords(#"workflowctl request new --title "Üks # kaks" --x 'a b'c   # proposed X-1"#)
        #expect(split.words == ["workflowctl", "request", "new", "--title", "Üks # kaks", "--x", "a bc"])
        #expect(split.comment == "proposed X-1")
        #expect(throws: WorkflowError.self) { try Self.shellWords(#"a "b"#) }
    }

    @Test func theRoadWorksAfterTheDemo() throws {
        let lines = try Self.commands(under: "## A request's road")
        #expect(lines.count >= 8)
        let db = try TestDatabase.migrated()
        let conninfo = try db.conninfo()
        let english = ["LANG": "en_US.UTF-8"]
        let demo = try Binary.run("workflowctl", ["demo", "run", "--database", conninfo], environment: english)
        try #require(demo.status == 0, "\(demo.stderr)")

        // The file the import line names, as a new user would have one.
        let folder = workPath("readme-road")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (words, comment) in lines {
            try #require(words.first == "workflowctl", "not a workflowctl command: \(words)")
            var arguments = Array(words.dropFirst())
            for (index, word) in arguments.enumerated() where word.hasSuffix(".csv") {
                let path = folder + "/" + word
                try "title,description\nArhiivi otsingu kiirendamine,Otsing võtab üle 10 sekundi\n".write(toFile: path, atomically: true, encoding: .utf8)
                arguments[index] = path
            }
            let result = try Binary.run("workflowctl", arguments + ["--database", conninfo], environment: english)
            #expect(result.status == 0, "README: \(words.joined(separator: " ")): exit \(result.status): \(result.stderr)")
            // `# proposed VOLIS-10`: the id the README goes on to use is the one the command gives.
            if comment.hasPrefix("proposed ") {
                #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == comment,
                        "README says \(comment), the command printed \(result.stdout)")
            }
        }
    }
}
