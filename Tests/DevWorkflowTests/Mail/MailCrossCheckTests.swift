import Foundation
import Testing
@testable import DevWorkflow

/// Our MIME parser against a real one: Python's `email` package
/// (`BytesParser(policy=policy.default)`) reads the same messages, and subject, sender, ids, the
/// text and every attachment's name, type and bytes (their SHA-256) must agree.
@Suite struct MailCrossCheckTests {
    static let samples: [(String, [UInt8])] = [
        ("thunderbird", MailSamples.thunderbird), ("gmail", MailSamples.gmail), ("outlook", MailSamples.outlook),
        ("iphone", MailSamples.iphone), ("attachments", MailSamples.attachments),
        // Maildir keeps LF line ends: the same messages with LF only.
        ("gmail-lf", MailSamples.gmail.filter { $0 != 13 }), ("attachments-lf", MailSamples.attachments.filter { $0 != 13 }),
    ]

    /// Lines without trailing whitespace, no blank lines at the end.
    static func normalized(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingWhitespace }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    @Test func pythonsEmailPackageReadsTheSame() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mail-crosscheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (name, bytes) in Self.samples {
            let path = folder.appendingPathComponent("\(name).eml").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let theirs = try JSONValue.parse(try Python.run("mime.py", paths))
        guard case let .array(readings) = theirs, readings.count == Self.samples.count else {
            Issue.record("mime.py gave \(theirs)")
            return
        }
        for ((name, bytes), python) in zip(Self.samples, readings) {
            let ours = try MailMessage(parsing: bytes)
            #expect(python["subject"] == .string(ours.subject), "\(name): subject")
            #expect(python["from"] == .array(ours.from.map { .array([$0.name.map(JSONValue.string) ?? .null, .string($0.address)]) }), "\(name): from")
            #expect(python["message_id"] == ours.messageID.map(JSONValue.string) ?? .null, "\(name): message id")
            #expect(python["in_reply_to"] == .array(ours.inReplyTo.map(JSONValue.string)), "\(name): in-reply-to")
            #expect(python["references"] == .array(ours.references.map(JSONValue.string)), "\(name): references")
            #expect(python["body_type"] == .string("text/\(ours.textSource.rawValue)"), "\(name): body type")
            if ours.textSource == .plain, case let .string(text)? = python["body"] {
                #expect(Self.normalized(text) == Self.normalized(ours.text), "\(name): text")
            }
            let attachments = JSONValue.array(ours.attachments.map { .array([$0.filename.map(JSONValue.string) ?? .null, .string($0.mediaType), .string($0.sha256)]) })
            #expect(python["attachments"] == attachments, "\(name): attachments")
        }
    }
}
