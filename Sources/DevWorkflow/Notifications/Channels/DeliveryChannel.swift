/// A way to deliver a rendered outbox message: e-mail through sendmail, a webhook, a file.
///
/// `deliver` returns when the message has been handed over; it throws when this attempt failed,
/// and the caller retries later with backoff (so a channel never retries by itself). A channel
/// may receive the same message again after a crash or a failed attempt: the idempotency key
/// goes with it (webhook header, e-mail `Message-ID`, file line) so the receiver can tell.
/// Channels are values safe to share between threads; `deliver` blocks the calling thread.
public protocol DeliveryChannel: Sendable {
    /// A short name for logs: `sendmail`, `webhook`, `file`.
    var name: String { get }

    /// Delivers one message; throws a `WorkflowError` that says why this attempt failed.
    func deliver(_ message: OutboxMessage, _ rendered: RenderedMessage) throws

    /// Makes what was delivered since the last call durable; called once per batch, before the
    /// outbox records the batch as delivered.
    func flush() throws

    /// Whether messages need their signed reply address (`OutboxMessage.replyLocalPart`): mail does.
    var usesReplyAddresses: Bool { get }
}

extension DeliveryChannel {
    /// Makes what was delivered since the last call durable, before the outbox records it as
    /// delivered. Channels that are durable per message need nothing here.
    public func flush() throws {}

    /// Only mail is answered: other channels need no reply address.
    public var usesReplyAddresses: Bool { false }
}
