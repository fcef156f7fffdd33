import Foundation
@testable import DevWorkflow

/// Outbox messages as the database writes them, for the notification tests.
enum OutboxSamples {
    /// 2026-11-25 09:18:01.5 UTC: 11:18 in Tallinn (EET, +02:00).
    static let at = "2026-11-25T09:18:01.5+00:00"
    static let createdAt = Date(timeIntervalSince1970: 1_795_598_281)

    static func notification(_ transition: String, from: String? = "prioritised", to: String? = "quote_requested",
                             inputs: JSONValue = [:], title: String = "Export council minutes as PDF",
                             recipient: String = "mari@acme.example", recipientName: String? = "Mari Maasikas",
                             key: String? = nil, lang: String = "en", audience: String? = nil) -> OutboxMessage {
        OutboxMessage(
            id: 42, kind: .notification, rule: nil, transition: transition, request: "VOLIS-12", recipient: recipient,
            recipientName: recipientName, lang: lang,
            payload: [
                "request": "VOLIS-12", "system": "VOLIS", "title": .string(title), "transition": .string(transition),
                "from": .optional(from), "to": .optional(to), "actor": "jaan", "actor_name": "Jaan Tamm", "at": .string(at),
                "version": 3, "inputs": inputs, "audience": .optional(audience),
            ],
            idempotencyKey: key ?? "notification:7:\(recipient)", attempts: 0, createdAt: createdAt)
    }

    static func reminder(_ rule: String, state: String = "ordered", occurrence: Int = 1, deadline: String? = nil,
                         quoteDue: String? = nil, businessDays: Int = 3, escalation: Bool = false, vendor: String? = nil,
                         recipientName: String? = "Jaan Tamm", title: String = "Export council minutes as PDF",
                         lang: String = "en") -> OutboxMessage {
        OutboxMessage(
            id: 43, kind: .reminder, rule: rule, transition: nil, request: "VOLIS-12", recipient: "jaan@volis.example",
            recipientName: recipientName, lang: lang,
            payload: [
                "request": "VOLIS-12", "system": "VOLIS", "title": .string(title), "state": .string(state),
                "rule": .string(rule), "occurrence": .int(occurrence), "due_on": "2026-12-14", "deadline": .optional(deadline),
                "quote_due": .optional(quoteDue), "business_days": .int(businessDays), "escalation": .bool(escalation),
                "vendor": .optional(vendor),
            ],
            idempotencyKey: "reminder:VOLIS-12:\(rule):\(occurrence):jaan@volis.example", attempts: 0, createdAt: createdAt)
    }

    /// A fresh empty directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("devworkflow-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
