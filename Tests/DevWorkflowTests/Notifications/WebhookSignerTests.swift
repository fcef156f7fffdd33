import Foundation
import Testing
@testable import DevWorkflow
import DevWorkflowWebhook

/// Standard Webhooks signing, checked against the specification's example and its reference
/// library (Python's standardwebhooks) on what the channel really sends.
@Suite struct WebhookSignerTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test func theSpecificationsExample() throws {
        let signer = try WebhookSigner(secret: Self.secret)
        #expect(signer.key.count == 24)
        #expect(signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func theReferenceLibrarySignsAlike() throws {
        let signer = try WebhookSigner(secret: Self.secret)
        for (id, timestamp, body) in [("notification:7:mari@acme.example", Int64(1_798_000_000), #"{"subject":"Tööpäevade arvestus „VOLIS-12”"}"#),
                                      ("reminder:12:deadline_passed:3", Int64(1), ""),
                                      ("x", Int64(4_102_444_800), String(repeating: "õ", count: 5000))] {
            let ours = signer.signature(id: id, timestamp: timestamp, body: Array(body.utf8))
            let theirs = try Python.run("webhook.py", ["sign", Self.secret, id, String(timestamp)], input: body)
            #expect(ours == theirs.trimmingCharacters(in: .newlines), "\(id)")
        }
    }

    @Test func headersAreTheSpecificationsThree() throws {
        let signer = try WebhookSigner(secret: Self.secret)
        let headers = signer.headers(id: "msg_1", moment: Date(timeIntervalSince1970: 1_798_000_000.9), body: Array("{}".utf8))
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value) == ["msg_1", "1798000000", signer.signature(id: "msg_1", timestamp: 1_798_000_000, body: Array("{}".utf8))])
    }

    @Test func secretsInOtherFormsAreRefused() throws {
        // Without padding and with a line end after it, as `echo` writes a file: accepted.
        #expect(try WebhookSigner(secret: "whsec_" + Data(repeating: 7, count: 32).base64EncodedString().replacingOccurrences(of: "=", with: "") + "\n").key
            == [UInt8](repeating: 7, count: 32))
        for bad in ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!", "whsec_" + Data(repeating: 1, count: 16).base64EncodedString(),
                    "whsec_" + Data(repeating: 1, count: 65).base64EncodedString()] {
            let error = try #require(throws: WorkflowError.self, "\(bad)") { try WebhookSigner(secret: bad) }
            #expect(error.text.key == "error.webhook_secret_format")
        }
    }

    @Test func workflowdReadsTheSecretFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good"), bad = folder.appendingPathComponent("bad")
        try Data((Self.secret + "\n").utf8).write(to: good)
        try Data("hunter2\n".utf8).write(to: bad)
        let environment = ["WORKFLOW_DATABASE_URL": "host=/nonexistent/devworkflow"]
        var signers: [WebhookSigner?] = []
        func parse(_ arguments: [String]) throws {
            _ = try WorkflowD.parse(arguments, environment: environment, webhook: { _, signer in
                signers.append(signer)
                return FileChannel(path: "/dev/null")
            })
        }
        try parse(["--webhook", "http://127.0.0.1:9/hook", "--webhook-secret-file", good.path])
        try parse(["--webhook", "http://127.0.0.1:9/hook"])
        #expect(signers == [try WebhookSigner(secret: Self.secret), nil])

        let cases: [([String], String)] = [
            (["--webhook-secret-file", good.path], "--webhook-secret-file needs --webhook too"),
            (["--webhook", "http://h/x", "--webhook-secret-file", folder.appendingPathComponent("missing").path],
             "--webhook-secret-file \(folder.path)/missing: cannot read the file (No such file or directory)"),
            (["--webhook", "http://h/x", "--webhook-secret-file", folder.path], "--webhook-secret-file \(folder.path): not a regular file"),
            (["--webhook", "http://h/x", "--webhook-secret-file", bad.path],
             "--webhook-secret-file \(bad.path): the webhook secret must be whsec_ followed by the base64 of 24 to 64 bytes"),
        ]
        for (arguments, message) in cases {
            let error = try #require(throws: WorkflowError.self, "\(arguments)") { try parse(arguments) }
            #expect(error.code == .usage)
            #expect(error.message == message)
        }
    }

    @Test func eachRequestOfTheChannelVerifiesWithTheReferenceLibrary() throws {
        let server = try TestHTTPServer(.respond(status: 200))
        defer { server.stop() }
        let message = OutboxSamples.notification("quote", from: "quote_requested", to: "quoted",
                                                 inputs: ["hours": .number("40"), "price": .number("1200.00"), "delivery": "2027-01-15"],
                                                 title: "Tööpäevade arvestus")
        // The receiver checks the timestamp against its clock (5 minutes either way): sign now.
        let channel = WebhookChannel(url: server.url, timeout: 5, signer: try WebhookSigner(secret: Self.secret))
        try channel.deliver(message, MessageRenderer().render(message))
        let request = try #require(server.requests.first)
        #expect(request.headers["webhook-id"] == "notification:7:mari@acme.example")
        #expect(request.headers["webhook-id"] == request.headers["idempotency-key"])
        #expect(request.headers["webhook-signature"]?.hasPrefix("v1,") == true)

        func verify(body: Data, headers: [String: String]) throws -> String {
            let document = JSONValue.object([("body", .string(String(decoding: body, as: UTF8.self))),
                                             ("headers", .object(headers.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))])
            return try Python.run("webhook.py", ["verify", Self.secret], input: document.text)
        }
        #expect(try verify(body: request.body, headers: request.headers) == "verified\n")
        // A changed body, another secret's signature or an old timestamp is refused by it.
        #expect(throws: Python.Failure.self) { try verify(body: request.body + Data(" ".utf8), headers: request.headers) }
        var old = request.headers
        old["webhook-timestamp"] = "1614265330"
        #expect(throws: Python.Failure.self) { try verify(body: request.body, headers: old) }
    }

    /// `workflowd --webhook URL --webhook-secret-file FILE`, the binary as an operator runs it
    /// against a real database: every request it posts, the retry of a refused one included,
    /// verifies with the reference library; the retry keeps its `webhook-id` and is signed anew.
    @Test func workflowdSignsEveryAttemptAndTheReferenceLibraryVerifiesThem() throws {
        let f = try Fixture()
        let id = try f.request(in: "proposed")
        try f.store(as: f.requester).comment(id, "Hinnang: „2 päeva” – õige?")
        // The first request is answered 500, the rest 200: one message is sent twice.
        let seen = Locked(0)
        let server = try TestHTTPServer(.decide { _ in seen.withValue { count in
            count += 1
            return count == 1 ? 500 : 200
        } })
        defer { server.stop() }
        let secretFile = workPath("webhook.secret")
        try (Self.secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
        let arguments = ["--once", "--webhook", server.url.absoluteString, "--webhook-secret-file", secretFile,
                         "--max-attempts", "3", "--retry-delay", "0.2", "--database", try f.db.conninfo()]
        let c = try f.sql()
        let messages = try c.query("SELECT count(*) FROM outbox").first!.decode(0, as: Int.self)
        #expect(messages >= 2, "the request's notification and the comment's")
        // --once exits 75 while a message waits for its retry, 0 when all are delivered.
        var statuses: [Int32] = []
        for _ in 0..<20 {
            let run = try Binary.run("workflowd", arguments)
            statuses.append(run.status)
            if run.status != 75 { break }
            // Its retry made due now, rather than waiting out the delay on the clock.
            try c.execute("UPDATE outbox SET next_attempt_at = now() WHERE status = 'pending'")
        }
        #expect(statuses.first == 75 && statuses.last == 0, "\(statuses)")
        #expect(try c.query("SELECT count(*) FROM outbox WHERE status <> 'delivered'").first!.decode(0, as: Int.self) == 0)
        let requests = server.requests
        #expect(requests.count == messages + 1)

        func verify(_ request: TestHTTPServer.Request, secret: String = Self.secret) throws -> String {
            let document = JSONValue.object([("body", .string(String(decoding: request.body, as: UTF8.self))),
                                             ("headers", .object(request.headers.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))])
            return try Python.run("webhook.py", ["verify", secret], input: document.text)
        }
        for request in requests {
            #expect(try verify(request) == "verified\n", "\(request.headers)")
            #expect(request.headers["webhook-id"] == request.headers["idempotency-key"])
            // Another secret's receiver refuses it.
            #expect(throws: Python.Failure.self) { try verify(request, secret: "whsec_" + Data(repeating: 9, count: 32).base64EncodedString()) }
        }
        let ids = requests.compactMap { $0.headers["webhook-id"] }
        #expect(ids.count == requests.count && Set(ids).count == messages, "one id per message, the same on its retry")
        let first = requests[0], retry = try #require(requests.dropFirst().first { $0.headers["webhook-id"] == first.headers["webhook-id"] })
        #expect(retry.body == first.body)
        #expect(Int64(retry.headers["webhook-timestamp"] ?? "") ?? 0 >= Int64(first.headers["webhook-timestamp"] ?? "") ?? .max)
        // The secret signs: the same id, time and body under it give the header workflowd sent.
        let signer = try WebhookSigner(secret: Self.secret)
        #expect(first.headers["webhook-signature"] == signer.signature(id: first.headers["webhook-id"]!, timestamp: Int64(first.headers["webhook-timestamp"]!)!,
                                                                       body: Array(first.body)))
    }

    @Test func withoutASignerNoSignatureHeadersAreSent() throws {
        let server = try TestHTTPServer(.respond(status: 200))
        defer { server.stop() }
        let message = OutboxSamples.notification("quote", from: "quote_requested", to: "quoted", inputs: [:], title: "x")
        try WebhookChannel(url: server.url, timeout: 5).deliver(message, MessageRenderer().render(message))
        let request = try #require(server.requests.first)
        #expect(request.headers["webhook-signature"] == nil && request.headers["webhook-id"] == nil)
    }
}
