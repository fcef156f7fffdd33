import Foundation

/// Delivers e-mail by running a sendmail-compatible command with the message on standard input.
///
/// The command is split like a simple shell would (spaces; single quotes; double quotes with `\`
/// escapes; `\` outside quotes) but never runs a shell. A program named without a `/` is looked
/// up on `PATH` at each delivery. Exit status 0 means delivered; any other status, or a program
/// that cannot be run, throws `unavailable` with the status and the first line of its standard
/// error. The attempt waits for the command to finish (sendmail queues; it does not wait for the
/// remote server).
///
/// `Subprocess` ignores `SIGPIPE` for the whole process, so a command that exits without reading
/// its input fails this attempt rather than killing the daemon. A command that has not finished
/// after `timeout` seconds is killed and the attempt fails.
public struct SendmailChannel: DeliveryChannel {
    /// `sendmail`.
    public var name: String { "sendmail" }
    /// The program and its arguments, as split from the command line.
    public let arguments: [String]
    /// The `From` mailbox, `Name <address>` or an address.
    public let from: String
    /// Seconds an attempt may take before the command is killed (sendmail only queues).
    public var timeout: TimeInterval = 60
    /// The domain of signed reply addresses (`Reply-To: reply+…@domain`); nil sends none.
    public var replyDomain: String?

    /// Mail carries the signed reply address.
    public var usesReplyAddresses: Bool { replyDomain != nil }

    /// A channel running `command` (default `/usr/sbin/sendmail -t -i`: recipients from the
    /// headers, a lone `.` is no end of input).
    ///
    /// Throws `usage` for an empty command or an unterminated quote, and `invalidData` for a
    /// `from` that is not a mailbox; a missing program is found out at delivery.
    public init(command: String = "/usr/sbin/sendmail -t -i", from: String = EmailMessage.defaultFrom) throws {
        let arguments = try Self.split(command)
        guard !arguments.isEmpty else { throw WorkflowError(.usage, Message("error.sendmail_empty")) }
        _ = try EmailMessage.mailbox(from, role: "sender")
        self.arguments = arguments
        self.from = from
    }

    /// Runs the command with the message as RFC 5322 text; throws when it cannot run or fails.
    public func deliver(_ message: OutboxMessage, _ rendered: RenderedMessage) throws {
        let email = try EmailMessage(message, rendered, from: from, replyDomain: replyDomain)
        let program = try resolvedProgram()
        let output = try Subprocess.run(program, Array(arguments.dropFirst()), input: email.text(), timeout: timeout)
        guard output.status == 0 else {
            let firstLine = output.stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            throw WorkflowError(.unavailable,
                                Message("error.sendmail_status", ["program": "\(program)", "status": "\(output.status)", "stderr": "\(firstLine)"]),
                                context: ["exit_status": String(output.status), "stderr": output.stderr])
        }
    }

    private func resolvedProgram() throws -> String {
        let program = arguments[0]
        let path = program.contains("/") ? program : Subprocess.which(program)
        guard let path, FileManager.default.isExecutableFile(atPath: path) else {
            throw WorkflowError(.unavailable, Message("error.sendmail_missing", ["program": "\(program)"]),
                                context: ["program": program])
        }
        return path
    }

    /// Splits a command line into words the way a simple shell would, without expanding anything.
    static func split(_ command: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var characters = command.makeIterator()
        while let c = characters.next() {
            if let open = quote {
                if c == open {
                    quote = nil
                } else if open == "\"", c == "\\", let next = characters.next() {
                    if next != "\"" && next != "\\" && next != "$" && next != "`" { current.append("\\") }
                    current.append(next)
                } else {
                    current.append(c)
                }
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
            } else if c == "\\" {
                if let next = characters.next() { current.append(next) }
                inWord = true
            } else if c.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        if let open = quote {
            throw WorkflowError(.usage, Message("error.sendmail_quote", ["quote": "\(open)", "command": "\(command)"]))
        }
        if inWord { words.append(current) }
        return words
    }
}
