extension OutboxMessage {
    /// The message as the file sink writes it and the webhook posts it: one JSON object with
    /// `id`, `kind`, `rule` (null for a notification), `transition` (null for a reminder),
    /// `request`, `to` (a list of addresses), `cc` (the addresses copied), `lang` (the language of subject and body, `et` or
    /// `en`), `subject`, `body`, `idempotency_key` and `created_at` (UTC,
    /// `2026-11-25T09:18:01Z`), in that order.
    public func document(_ rendered: RenderedMessage) -> JSONValue {
        let rule: String?, transition: String?
        switch kind {
        case .notification: (rule, transition) = (nil, self.transition)
        case .reminder: (rule, transition) = (self.rule, nil)
        }
        return [
            "id": .number(String(id)),
            "kind": .string(kind.rawValue),
            "rule": .optional(rule),
            "transition": .optional(transition),
            "request": .string(request),
            "to": [.string(recipient)],
            "cc": .array(cc.map(JSONValue.string)),
            "lang": .string(rendered.language.rawValue),
            "subject": .string(rendered.subject),
            "body": .string(rendered.body),
            "idempotency_key": .string(idempotencyKey),
            "created_at": .timestamp(createdAt),
        ]
    }
}
