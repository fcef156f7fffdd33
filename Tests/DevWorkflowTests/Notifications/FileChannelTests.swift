import Foundation
import Testing
@testable import DevWorkflow

@Suite struct FileChannelTests {
    @Test func twoConcurrentWritersNeverInterleaveLines() throws {
        let folder = try OutboxSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("outbox.jsonl").path
        let body = String(repeating: "Tööpäev on pikk. ", count: 300) + "\nend"
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let channel = FileChannel(path: path)  // one per writer, as two daemons would have
            for n in 0..<500 {
                var message = OutboxSamples.notification("accept", key: "notification:\(writer):\(n)")
                message.id = Int64(writer * 1000 + n)
                do {
                    try channel.deliver(message, RenderedMessage(subject: "[VOLIS-12] \(writer)/\(n)", body: body))
                } catch {
                    failures.withValue { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.current.isEmpty)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1000)
        var keys = Set<String>()
        for line in lines {
            let document = try JSONValue.parse(String(line))
            #expect(document["body"] == .string(body))
            if case let .string(key)? = document["idempotency_key"] { keys.insert(key) }
        }
        #expect(keys.count == 1000)
    }

    @Test func theDocumentHasTheAgreedFields() throws {
        let folder = try OutboxSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sub.jsonl").path
        try "earlier line\n".write(toFile: path, atomically: true, encoding: .utf8)
        let channel = FileChannel(path: path)
        #expect(channel.name == "file")
        let notification = OutboxSamples.notification("accept")
        let reminder = OutboxSamples.reminder("deadline_passed", deadline: "2026-12-10")
        try channel.deliver(notification, RenderedMessage(subject: "S1", body: "line one\nline two\n"))
        try channel.deliver(reminder, RenderedMessage(subject: "S2", body: "B2", language: .en))

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "earlier line")
        #expect(lines[1] == #"{"id":42,"kind":"notification","rule":null,"transition":"accept","request":"VOLIS-12","#
            + #""to":["mari@acme.example"],"cc":[],"lang":"et","subject":"S1","body":"line one\nline two\n","#
            + #""idempotency_key":"notification:7:mari@acme.example","created_at":"2026-11-25T09:18:01Z"}"#)
        let second = try JSONValue.parse(String(lines[2]))
        #expect(second["kind"] == "reminder")
        #expect(second["rule"] == "deadline_passed")
        #expect(second["transition"] == .null)
        #expect(second["to"] == ["jaan@volis.example"])
        #expect(second["lang"] == "en")
        #expect(second["idempotency_key"] == "reminder:VOLIS-12:deadline_passed:1:jaan@volis.example")
    }

    @Test func createsTheFileAndNamesThePathOnFailure() throws {
        let folder = try OutboxSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("new.jsonl").path
        try FileChannel(path: path).deliver(OutboxSamples.notification("accept"), RenderedMessage(subject: "s", body: "b"))
        #expect(FileManager.default.fileExists(atPath: path))

        let missing = folder.appendingPathComponent("no/such/dir/out.jsonl").path
        let error = try #require(throws: WorkflowError.self) {
            try FileChannel(path: missing).deliver(OutboxSamples.notification("accept"), RenderedMessage(subject: "s", body: "b"))
        }
        #expect(error.code == .ioError)
        #expect(error.message == "cannot open \(missing): No such file or directory")
    }

    @Test func theDaemonsFlushReachesTheFileThroughTheProtocol() throws {
        // The daemon holds its channels as `any DeliveryChannel` and calls flush() once per batch
        // before recording it delivered; had flush() only a default in an extension, that call
        // would skip FileChannel's fsync without a sound. A path that cannot be opened for
        // writing (a folder) makes FileChannel's own flush throw, which the default never does.
        let folder = try OutboxSamples.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let channel: any DeliveryChannel = FileChannel(path: folder.path)
        let error = try #require(throws: WorkflowError.self) { try channel.flush() }
        #expect(error.code == .ioError)
        // Before anything was delivered there is no file, and nothing to sync.
        let fresh: any DeliveryChannel = FileChannel(path: folder.appendingPathComponent("none.jsonl").path)
        try fresh.flush()
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.jsonl").path))
    }
}
