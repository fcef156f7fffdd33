import DevWorkflow
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers a message by POSTing its JSON document to a URL.
///
/// The request has `Content-Type: application/json` and `Idempotency-Key: <the message's key>`
/// (the same on every attempt, so the receiver can drop a repeat). Any 2xx answer means
/// delivered; another status, a timeout or a connection error throws `unavailable` naming it.
/// Redirects are not followed (a redirected POST may arrive as a GET without its body): a 3xx
/// answer fails the attempt like any other non-2xx status.
/// `deliver` blocks the calling thread until the answer comes or `timeout` passes. Error
/// messages name the URL without its user, password or query, which may hold a secret.
/// With a `signer`, each attempt also carries the Standard Webhooks headers `webhook-id` (the
/// idempotency key), `webhook-timestamp` (the attempt's time) and `webhook-signature`.
public struct WebhookChannel: DeliveryChannel {
    /// `webhook`.
    public var name: String { "webhook" }
    /// Where messages are posted.
    public let url: URL
    /// How long one attempt may take, in seconds.
    public let timeout: TimeInterval
    /// Signs each attempt, when set.
    public let signer: WebhookSigner?
    private let now: @Sendable () -> Date
    private let session: URLSession

    /// A channel posting to `url`; each attempt gives up after `timeout` seconds, and is signed
    /// with `signer` at the time `now` gives.
    ///
    /// Uses an ephemeral session: no cookies, no cache, no credentials kept between attempts.
    public init(url: URL, timeout: TimeInterval = 10, signer: WebhookSigner? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.url = url
        self.timeout = timeout
        self.signer = signer
        self.now = now
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// Posts the message's JSON document; throws unless the answer is 2xx.
    public func deliver(_ message: OutboxMessage, _ rendered: RenderedMessage) throws {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let key = EmailMessage.headerText(message.idempotencyKey)
        request.setValue(key, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("DevWorkflow", forHTTPHeaderField: "User-Agent")
        let body = Array(message.document(rendered).text.utf8)
        request.httpBody = Data(body)
        for (name, value) in signer?.headers(id: key, moment: now(), body: body) ?? [] {
            request.setValue(value, forHTTPHeaderField: name)
        }

        let outcome = Outcome()
        let task = session.dataTask(with: request) { data, response, error in
            outcome.finish(data: data, response: response, error: error)
        }
        task.resume()
        // URLSession applies the timeout itself; this bound only guards against it never calling back.
        guard let result = outcome.wait(until: .now() + timeout + 5) else {
            task.cancel()
            throw failure(Message("error.webhook_timeout", ["url": "\(redactedURL)", "seconds": "\(Self.seconds(timeout))"]))
        }
        if let error = result.error {
            if let urlError = error as? URLError, urlError.code == .timedOut {
                throw failure(Message("error.webhook_timeout", ["url": "\(redactedURL)", "seconds": "\(Self.seconds(timeout))"]), underlying: error)
            }
            throw failure(Message("error.webhook_failed", ["url": "\(redactedURL)", "reason": "\(error.localizedDescription)"]), underlying: error)
        }
        guard let http = result.response as? HTTPURLResponse else {
            throw failure(Message("error.webhook_no_answer", ["url": "\(redactedURL)"]))
        }
        guard (200..<300).contains(http.statusCode) else {
            let text = String(decoding: (result.data ?? Data()).prefix(200), as: UTF8.self)
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            // An answer with no text says only its status (not "HTTP 503: " and nothing).
            let said = firstLine.allSatisfy(\.isWhitespace) ? Message("error.webhook_status_only", ["url": "\(redactedURL)", "status": "\(http.statusCode)"])
                : Message("error.webhook_status", ["url": "\(redactedURL)", "status": "\(http.statusCode)", "body": "\(firstLine)"])
            throw failure(said, context: ["status": String(http.statusCode)])
        }
    }

    private func failure(_ what: Message, context: [String: String] = [:], underlying: (any Error)? = nil) -> WorkflowError {
        WorkflowError(.unavailable, what, context: context, underlying: underlying)
    }

    /// The URL without user, password, query or fragment.
    private var redactedURL: String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "(url)" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "(url)"
    }

    private static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) s" : "\(interval) s"
    }

    /// Answers every redirect with "do not follow", so the 3xx itself reaches the completion handler.
    private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    /// The completion handler's results, handed from URLSession's thread to the waiting one.
    private struct Answer: Sendable {
        var data: Data?
        var response: URLResponse?
        var error: (any Error)?
    }

    /// `@unchecked Sendable`: every access to `result` holds `lock`.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var result: Answer?

        func finish(data: Data?, response: URLResponse?, error: (any Error)?) {
            lock.lock()
            result = Answer(data: data, response: response, error: error)
            lock.unlock()
            done.signal()
        }

        func wait(until deadline: DispatchTime) -> Answer? {
            guard done.wait(timeout: deadline) == .success else { return nil }
            lock.lock()
            defer { lock.unlock() }
            return result
        }
    }
}
