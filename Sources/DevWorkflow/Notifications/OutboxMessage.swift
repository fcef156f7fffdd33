import Foundation

/// One claimed row of the outbox: a message to one recipient about one request.
///
/// The outbox drain reads it from the database; `MessageRenderer` turns it into words and a
/// `DeliveryChannel` sends it. The payload's shape depends on the kind:
///
/// A **notification** (written by `enqueue_notifications` in the transaction of a move):
///
/// ```
/// {"request": "VOLIS-12", "system": "VOLIS", "title": "…", "transition": "request_quote",
///  "from": "prioritised", "to": "quote_requested", "actor": "jaan", "actor_name": "Jaan Tamm",
///  "at": "2026-11-25T11:18:01.5+02:00", "version": 3,
///  "inputs": {"priority", "due", "hours", "price", "delivery", "deadline", "reason", "note",
///             "version_name", "vendor", "order", "contract" — those the move had}}
/// ```
///
/// `from` is null for `propose`; `price` and `hours` are JSON numbers (`1200.00`); dates are ISO
/// strings. The list of invited vendors is left out so a vendor never learns the others.
///
/// A **reminder** (written by the reminder evaluation, once per request, rule and occurrence):
///
/// ```
/// {"request": "VOLIS-12", "system": "VOLIS", "title": "…", "state": "ordered",
///  "rule": "deadline_passed", "occurrence": 2, "due_on": "2026-12-14",
///  "deadline": "2026-12-10", "quote_due": null, "business_days": 2, "escalation": false,
///  "vendor": "ACME"}
/// ```
///
/// - `occurrence`: 1 for the first reminder of this rule about this request, 2 for the first
///   repeat, and so on (part of the idempotency key, so each is sent once).
/// - `due_on`: the ISO date on which this reminder became due.
/// - `deadline`: the order's deadline, or null; `quote_due`: the quote due date, or null.
/// - `business_days`: how many business days the request has waited (`proposed_waiting`,
///   `quoted_waiting`, `acceptance_pending`, `release_pending`) or is overdue (`quote_overdue`,
///   `deadline_passed`); for `deadline_near`, the business days left until the deadline.
/// - `escalation`: true when an administrator is told because the request is long overdue.
/// - `vendor`: the vendor's key the reminder concerns, or null.
///
/// Rules: `proposed_waiting`, `quote_overdue`, `quoted_waiting`, `deadline_near`,
/// `deadline_passed`, `acceptance_pending`, `release_pending`. An unknown rule or transition is
/// still rendered, as a generic message.
public struct OutboxMessage: Sendable, Equatable {
    /// What caused the message.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A move of the request (the row's `transition` says which).
        case notification
        /// A step that waits too long (the row's `rule` says which).
        case reminder
    }

    /// The outbox row's id.
    public var id: Int64
    /// Notification or reminder.
    public var kind: Kind
    /// The reminder rule's key (`deadline_passed`); nil for a notification.
    public var rule: String?
    /// The transition's name (`request_quote`); nil for a reminder.
    public var transition: String?
    /// The request's id, like `VOLIS-12`.
    public var request: String
    /// The recipient's e-mail address.
    public var recipient: String
    /// The recipient's name, when known.
    public var recipientName: String?
    /// Copied: a vendor's other people and its company address (one message per vendor).
    public var cc: [String] = []
    /// The recipient's language, `et` or `en`: the message is rendered in it (Estonian when unknown).
    public var lang: String
    /// The facts of the message; see the type's documentation for its shape.
    public var payload: JSONValue
    /// Unique per message; a resent message keeps it (webhook header, e-mail Message-ID).
    public var idempotencyKey: String
    /// Delivery attempts made before this one.
    public var attempts: Int
    /// When the message was queued.
    public var createdAt: Date
    /// The local part of the signed reply address (`reply+<request>.<login>.<code>`) when the
    /// message goes by mail to a person about a request; the sendmail channel adds its domain.
    public var replyLocalPart: String?
    /// Whether the recipient can log in and run workflowctl (sql/0014's `recipient_logs_in`),
    /// when known: a message to someone who cannot shows how to answer by mail instead of commands.
    public var recipientLogsIn: Bool?
    /// Whether the recipient is a vendor's person or address (sql/0030), when known: the
    /// reminders both parties get show each its own part.
    public var recipientIsVendor: Bool?

    /// A message with every field given.
    public init(id: Int64, kind: Kind, rule: String?, transition: String?, request: String, recipient: String,
                recipientName: String?, lang: String, payload: JSONValue, idempotencyKey: String, attempts: Int,
                createdAt: Date) {
        self.id = id
        self.kind = kind
        self.rule = rule
        self.transition = transition
        self.request = request
        self.recipient = recipient
        self.recipientName = recipientName
        self.lang = lang
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.attempts = attempts
        self.createdAt = createdAt
    }
}
