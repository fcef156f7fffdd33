import Foundation

/// A request as lists show it.
public struct RequestSummary: Sendable, Equatable {
    public let id: String
    public let system: String
    public let title: String
    public let state: String
    public let version: Int
    public let priority: Int?
    public let requester: String?
    /// The vendor the request was ordered from.
    public let vendor: String?
    public let orderNumber: String?
    public let deadline: LocalDate?
    public let quoteDue: LocalDate?
    public let stateSince: Date
    public let createdAt: Date
    /// Since when the buyer holds the order (`request hold`): its clock stands, it is not late.
    public let heldSince: Date?
    /// Ordered, its deadline passed and its clock not held (`order_late()`, as `--overdue` asks).
    public var isLate: Bool = false

    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("system", .string(system)), ("title", .string(title)), ("state", .string(state)),
            ("version", .int(version)), ("priority", priority.map(JSONValue.int) ?? .null), ("requester", .optional(requester)),
            ("vendor", .optional(vendor)), ("order", .optional(orderNumber)), ("deadline", .date(deadline)),
            ("quote_due", .date(quoteDue)), ("state_since", .timestamp(stateSince)), ("created_at", .timestamp(createdAt)),
            ("held_since", .timestamp(heldSince)), ("late", .bool(isLate)),
        ])
    }
}

/// One step of a request's history.
public struct HistoryEntry: Sendable, Equatable {
    public let seq: Int
    public let transition: String
    public let from: String?
    public let to: String
    /// The person the step is recorded for.
    public let actor: String
    /// The login that made it (differs from `actor` when an admin acted `--as`).
    public let byLogin: String
    public let at: Date
    public let inputs: JSONValue
    /// How it came, when not through a login of its own: `mail` when the mail gateway applied a
    /// reply (then `byLogin` is the gateway's login).
    public var via: String? = nil

    public var json: JSONValue {
        .object([
            ("seq", .int(seq)), ("transition", .string(transition)), ("from", .optional(from)), ("to", .string(to)),
            ("actor", .string(actor)), ("by", .string(byLogin)), ("via", .optional(via)), ("at", .timestamp(at)), ("inputs", inputs),
        ])
    }
}

/// A comment on a request.
public struct CommentEntry: Sendable, Equatable {
    /// The comment's number (what `request redact --comment` names); nil when not read from the database.
    public var number: Int64? = nil
    public let author: String
    public let byLogin: String
    public let at: Date
    public let body: String
    /// Kept among staff: vendors do not see it.
    public let isInternal: Bool
    /// `mail` when it came as a reply by mail.
    public var via: String? = nil

    public init(author: String, byLogin: String, at: Date, body: String, isInternal: Bool = false) {
        self.author = author
        self.byLogin = byLogin
        self.at = at
        self.body = body
        self.isInternal = isInternal
    }

    public var json: JSONValue {
        .object((number.map { [("number", JSONValue.number("\($0)"))] } ?? [])
                + [("author", .string(author)), ("by", .string(byLogin)), ("via", .optional(via)), ("at", .timestamp(at)), ("body", .string(body)),
                   ("internal", .bool(isInternal))])
    }
}

/// The result of a move the store wrote (or, in a dry run, would have written).
public struct MoveOutcome: Sendable, Equatable {
    public let request: String
    public let transition: String
    public let from: String
    public let to: String
    public let version: Int
    public let orderNumber: String?
    public let dryRun: Bool
    /// The inputs as written, with what the guards and effects filled in (defaults, order).
    public let inputs: JSONValue

    public var json: JSONValue {
        .object([
            ("request", .string(request)), ("transition", .string(transition)), ("from", .string(from)), ("to", .string(to)),
            ("version", .int(version)), ("order", .optional(orderNumber)), ("dry_run", .bool(dryRun)), ("inputs", inputs),
        ])
    }
}
