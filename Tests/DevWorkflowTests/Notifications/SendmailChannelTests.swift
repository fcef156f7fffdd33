import Foundation
import Testing
@testable import DevWorkflow

@Suite struct SendmailChannelTests {
    let message = OutboxSamples.notification("request_quote", inputs: ["due": "2026-12-02"], title: "Tööpäevade arvestus",
                                             recipientName: "Jüri Õunapuu")
    var rendered: RenderedMessage { MessageRenderer().render(message) }

    /// A fake sendmail in a folder whose name has a space; run through /bin/sh so a script just
    /// written can never be "text file busy" while another test spawns a process.
    func fakeSendmail(_ script: String) throws -> (folder: URL, command: String) {
        let folder = try OutboxSamples.temporaryDirectory().appendingPathComponent("fake mail")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("sendmail").path
        try ("#!/bin/sh\n" + script + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, "/bin/sh '\(path)' -t -i")
    }

    @Test func deliversTheMessageOnStandardInput() throws {
        let fake = try fakeSendmail(#"""
            here=$(dirname "$0")
            printf '%s\n' "$@" > "$here/args"
            cat > "$here/message.eml"
            """#)
        defer { try? FileManager.default.removeItem(at: fake.folder.deletingLastPathComponent()) }
        let channel = try SendmailChannel(command: fake.command, from: "Linnade Liit <workflow@ell.example>")
        #expect(channel.name == "sendmail")
        try channel.deliver(message, rendered)

        let saved = try String(contentsOf: fake.folder.appendingPathComponent("message.eml"), encoding: .utf8)
        let mail = ParsedMail(saved)
        #expect(mail.decoded("From") == "Linnade Liit <workflow@ell.example>")
        #expect(mail.decoded("To") == "Jüri Õunapuu <mari@acme.example>")
        #expect(mail.decoded("Subject") == "[VOLIS-12] Quote requested: Tööpäevade arvestus")
        #expect(mail.raw("Message-ID") == "<\(SHA256.hex("notification:7:mari@acme.example").prefix(32))@devworkflow>")
        #expect(mail.decodedBody == rendered.body)
        #expect(mail.raw("Content-Language") == "en", "the recipient reads English")
        #expect(try String(contentsOf: fake.folder.appendingPathComponent("args"), encoding: .utf8) == "-t\n-i\n")
    }

    @Test func aFailingCommandThrowsWithItsStatusAndFirstErrorLine() throws {
        let fake = try fakeSendmail("""
            cat > /dev/null
            echo "sendmail: queue directory is full" >&2
            echo "second line" >&2
            exit 75
            """)
        defer { try? FileManager.default.removeItem(at: fake.folder.deletingLastPathComponent()) }
        let channel = try SendmailChannel(command: fake.command)
        let error = try #require(throws: WorkflowError.self) { try channel.deliver(message, rendered) }
        #expect(error.code == .unavailable)
        #expect(error.message.contains("exited with status 75: sendmail: queue directory is full"), "\(error.message)")
        #expect(!error.message.contains("second line"))
        #expect(error.context["exit_status"] == "75")
    }

    @Test func aCommandThatExitsWithoutReadingFailsTheAttemptOnly() throws {
        let fake = try fakeSendmail("echo 'no thanks' >&2; exit 75")
        defer { try? FileManager.default.removeItem(at: fake.folder.deletingLastPathComponent()) }
        let channel = try SendmailChannel(command: fake.command)
        // More than a pipe holds, so writing it meets the closed pipe: EPIPE, not a fatal SIGPIPE.
        let big = RenderedMessage(subject: "s", body: String(repeating: "x", count: 300_000))
        let error = try #require(throws: WorkflowError.self) { try channel.deliver(message, big) }
        #expect(error.message.contains("status 75"))
    }

    @Test func aMissingProgramIsNamed() throws {
        for command in ["/nonexistent/sbin/sendmail -t -i", "devworkflow-no-such-sendmail -t"] {
            let channel = try SendmailChannel(command: command)
            let error = try #require(throws: WorkflowError.self) { try channel.deliver(message, rendered) }
            #expect(error.message.hasPrefix("sendmail command not found: "), "\(error.message)")
            #expect(error.message.contains(command.split(separator: " ")[0]))
        }
    }

    @Test func aBadRecipientIsRefusedBeforeRunningAnything() throws {
        let fake = try fakeSendmail(#"touch "$(dirname "$0")/ran"; cat > /dev/null"#)
        defer { try? FileManager.default.removeItem(at: fake.folder.deletingLastPathComponent()) }
        var bad = message
        bad.recipient = "mari@acme.example\nBcc: eve@x.example"
        #expect(throws: WorkflowError.self) { try SendmailChannel(command: fake.command).deliver(bad, rendered) }
        #expect(!FileManager.default.fileExists(atPath: fake.folder.appendingPathComponent("ran").path))
    }

    @Test func commandLinesSplitLikeASimpleShell() throws {
        #expect(try SendmailChannel.split("/usr/sbin/sendmail -t -i") == ["/usr/sbin/sendmail", "-t", "-i"])
        #expect(try SendmailChannel.split("  msmtp\t--read-envelope-from   -t ") == ["msmtp", "--read-envelope-from", "-t"])
        #expect(try SendmailChannel.split(#"'/opt/my mail/sendmail' -f "ops@ell.example" -F "Linnade \"Liit\"" a\ b ''"#)
                == ["/opt/my mail/sendmail", "-f", "ops@ell.example", "-F", "Linnade \"Liit\"", "a b", ""])
        #expect(try SendmailChannel.split(#"x "a\nb" 'c\d' e"f"'g'"#) == ["x", #"a\nb"#, #"c\d"#, "efg"])
        #expect(try SendmailChannel(command: "sendmail -t").arguments == ["sendmail", "-t"])
        #expect(throws: WorkflowError.self) { try SendmailChannel(command: "sendmail -F 'unterminated") }
        #expect(throws: WorkflowError.self) { try SendmailChannel(command: "   ") }
        #expect(throws: WorkflowError.self) { try SendmailChannel(command: "sendmail -t", from: "not an address") }
    }
}
