import Foundation
import Testing
@testable import DevWorkflow

/// A request for a quote carries the request's specification to each invited vendor: attached
/// up to 10 MiB in all (read back here with Python's email package, a MIME parser not ours),
/// listed with sizes, digests and how to ask past that.
@Suite struct QuoteDocumentsTests {
    /// Runs one `workflowd --once` pass whose sendmail keeps each message in a folder; returns
    /// the messages as Python's email package reads them.
    static func sentMail(_ f: Fixture) throws -> [JSONValue] {
        let folder = workPath("mail")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sendmail = workPath("sendmail.sh")
        try writeScript("#!/bin/sh\ncat > \"\(folder)/$$.eml\"\n", to: sendmail)
        let run = try Binary.run("workflowd", ["--once", "--sendmail", "\(sendmail) -t -i", "--database", try f.db.conninfo()])
        #expect(run.status == 0, "\(run.stderr)")
        let paths = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { "\(folder)/\($0)" }
        guard case let .array(messages) = try JSONValue.parse(try Python.run("mime.py", paths)) else { return [] }
        return messages
    }

    /// The one message sent to this address.
    static func mail(_ messages: [JSONValue], to address: String) throws -> JSONValue {
        let sent = messages.filter { $0["to"] == .array([.string(address)]) }
        try #require(sent.count == 1, "one message to \(address): \(messages.map { $0["to"]?.text ?? "" })")
        return sent[0]
    }

    @Test func invitedVendorsGetTheSpecificationAttachedAndNothingElse() throws {
        let f = try Fixture()
        let store = try f.store()
        let id = try f.request(in: "prioritised")
        let spec = RequestFilesTests.bytes(300_000, seed: 7), second = Array("Nõuded: õ ä ö ü š ž\n".utf8)
        _ = try store.attach(id, name: "Lähteülesanne v2.pdf", kind: "spec", reading: RequestFilesTests.reader([spec]))
        _ = try store.attach(id, name: "nõuded.txt", kind: "spec", reading: RequestFilesTests.reader([second]))
        _ = try store.attach(id, name: "eelarve.xlsx", kind: "spec", isInternal: true, reading: RequestFilesTests.reader([[1, 2]]))
        _ = try store.attach(id, name: "märkmed.txt", kind: "other", reading: RequestFilesTests.reader([[3]]))
        _ = try store.attach(id, name: "hinnang.pdf", kind: "quote", reading: RequestFilesTests.reader([[4]]))
        _ = try store.move(id, "request_quote", inputs: TransitionInputs(vendors: ["ACME", "BETA"]))

        let messages = try Self.sentMail(f)
        // ACME's first person, copying the company; BETA's likewise (English).
        let acme = try Self.mail(messages, to: "anna@acme.ee"), beta = try Self.mail(messages, to: "bert@beta.ee")
        #expect(acme["cc"] == .array([.string("info@acme.ee")]))
        for message in [acme, beta] {
            #expect(message["content_type"]?.plain == "multipart/mixed")
            #expect(message["body_type"]?.plain == "text/plain")
            // Python's email package decodes each part; its SHA-256 is the one recorded at attach.
            #expect(message["attachments"] == .array([
                .array([.string("Lähteülesanne v2.pdf"), .string("application/pdf"), .string(RequestFilesTests.sha256(spec))]),
                .array([.string("nõuded.txt"), .string("application/octet-stream"), .string(RequestFilesTests.sha256(second))]),
            ]), "\(message["to"]?.text ?? "")")
            let body = message["body"]?.plain ?? ""
            #expect(body.contains(RequestFilesTests.sha256(spec)) && body.contains("Lähteülesanne v2.pdf") && body.contains("nõuded.txt"), "\(body)")
            for hidden in ["eelarve", "märkmed", "hinnang"] { #expect(!body.contains(hidden), "\(hidden) in \(body)") }
        }
        #expect(acme["body"]?.plain.contains("Kirjaga on kaasas arendustellimuse lähteülesanne:") == true, "\(acme["body"]?.plain ?? "")")
        // Nobody else's mail carries the files.
        for message in messages where message != acme && message != beta {
            #expect(message["attachments"] == .array([]) && message["content_type"]?.plain == "text/plain", "\(message["to"]?.text ?? "")")
        }
    }

    @Test func pastTenMebibytesTheMailListsTheFilesAndSaysHowToAskForThem() throws {
        let f = try Fixture()
        let store = try f.store()
        let id = try f.request(in: "prioritised")
        let big = RequestFilesTests.bytes(Int(MailDocuments.attachmentLimit) - 1000, seed: 3)
        _ = try store.attach(id, name: "suur spec.pdf", kind: "spec", reading: RequestFilesTests.reader([big]))
        _ = try store.attach(id, name: "lisa.txt", kind: "spec", reading: RequestFilesTests.reader([Array(repeating: 65, count: 2000)]))
        _ = try store.move(id, "request_quote", inputs: TransitionInputs(vendors: ["BETA"]))

        let message = try Self.mail(try Self.sentMail(f), to: "bert@beta.ee")
        #expect(message["attachments"] == .array([]) && message["content_type"]?.plain == "text/plain")
        let body = message["body"]?.plain ?? ""
        // BETA reads English.
        #expect(body.contains("more than 10 MiB") && body.contains(RequestFilesTests.sha256(big)) && body.contains("10484760 bytes"), "\(body)")
        #expect(body.contains("workflowctl request file \(id) 1 --out 'suur spec.pdf'") && body.contains("workflowctl request file \(id) 2"), "\(body)")
    }
}
