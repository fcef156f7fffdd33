import Foundation
import Testing
@testable import DevWorkflow
import DevWorkflowWebhook

@Suite struct WebhookChannelTests {
    let message = OutboxSamples.notification("quote", from: "quote_requested", to: "quoted",
                                             inputs: ["hours": .number("40"), "price": .number("1200.00"), "delivery": "2027-01-15"],
                                             title: "Tööpäevade arvestus")
    var rendered: RenderedMessage { MessageRenderer().render(message) }

    @Test func postsTheDocumentWithItsIdempotencyKey() throws {
        let server = try TestHTTPServer(.respond(status: 200))
        defer { server.stop() }
        let channel = WebhookChannel(url: server.url, timeout: 5)
        #expect(channel.name == "webhook")
        try channel.deliver(message, rendered)

        let requests = server.requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/devworkflow?token=secret")
        #expect(request.headers["idempotency-key"] == "notification:7:mari@acme.example")
        #expect(request.headers["content-type"] == "application/json")
        let document = try JSONValue.parse(String(decoding: request.body, as: UTF8.self))
        #expect(document == message.document(rendered))
        #expect(document["subject"] == .string("[VOLIS-12] Quote received: Tööpäevade arvestus"))
        #expect(document["to"] == ["mari@acme.example"])
    }

    @Test func anyOther2xxIsDeliveredToo() throws {
        let server = try TestHTTPServer(.respond(status: 204))
        defer { server.stop() }
        try WebhookChannel(url: server.url, timeout: 5).deliver(message, rendered)
    }

    @Test func aServerErrorThrowsNamingTheStatus() throws {
        let server = try TestHTTPServer(.respond(status: 500))
        defer { server.stop() }
        let error = try #require(throws: WorkflowError.self) { try WebhookChannel(url: server.url, timeout: 5).deliver(message, rendered) }
        #expect(error.code == .unavailable)
        #expect(error.message == "webhook http://127.0.0.1:\(server.port)/hooks/devworkflow answered HTTP 500: it broke")
        #expect(!error.message.contains("secret"))
        #expect(server.requests.count == 1)
    }

    /// An answer with no text says its status and nothing after it.
    @Test func anEmptyErrorAnswerSaysOnlyItsStatus() throws {
        let server = try TestHTTPServer(.respond(status: 503))
        defer { server.stop() }
        let error = try #require(throws: WorkflowError.self) { try WebhookChannel(url: server.url, timeout: 5).deliver(message, rendered) }
        #expect(error.message == "webhook http://127.0.0.1:\(server.port)/hooks/devworkflow answered HTTP 503", "\(error.message)")
    }

    @Test func aRedirectIsNotFollowed() throws {
        let server = try TestHTTPServer(.respond(status: 302))
        defer { server.stop() }
        let error = try #require(throws: WorkflowError.self) { try WebhookChannel(url: server.url, timeout: 5).deliver(message, rendered) }
        #expect(error.message.contains("answered HTTP 302"), "\(error.message)")
        #expect(server.requests.map(\.path) == ["/hooks/devworkflow?token=secret"])
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try TestHTTPServer(.neverAnswer)
        defer { server.stop() }
        let started = Date()
        let error = try #require(throws: WorkflowError.self) { try WebhookChannel(url: server.url, timeout: 1).deliver(message, rendered) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(error.message.contains("timed out after 1 s"), "\(error.message)")
        #expect(elapsed >= 0.9 && elapsed < 5, "\(elapsed) s")
    }

    @Test func aClosedPortThrows() throws {
        let server = try TestHTTPServer(.respond(status: 200))
        let url = server.url
        server.stop()
        let error = try #require(throws: WorkflowError.self) { try WebhookChannel(url: url, timeout: 2).deliver(message, rendered) }
        #expect(error.message.hasPrefix("webhook http://127.0.0.1:"), "\(error.message)")
    }
}
