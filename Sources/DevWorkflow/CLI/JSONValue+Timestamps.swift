import Foundation

extension JSONValue {
    /// The document with every timestamp in one form, `2026-11-25T09:18:01Z` (UTC, whole
    /// seconds), as `--json` promises: the timestamps the database wrote into a document
    /// (`2026-11-25T11:18:01.123456+02:00`) included. A timestamp is a field whose name ends in
    /// `_at` or is `at`, `state_since` or `as_of`; other text is left as it is, whatever it looks like.
    func normalisingTimestamps() -> JSONValue {
        switch self {
        case let .object(pairs):
            return .object(pairs.map { key, value in
                if JSONValue.isTimestampField(key), case let .string(text) = value, let instant = PostgresTimestamp.parse(text) {
                    return (key, .string(JSONValue.iso8601(instant)))
                }
                return (key, value.normalisingTimestamps())
            })
        case let .array(items):
            return .array(items.map { $0.normalisingTimestamps() })
        case .null, .bool, .number, .string:
            return self
        }
    }

    static func isTimestampField(_ name: String) -> Bool {
        name.hasSuffix("_at") || ["at", "state_since", "as_of"].contains(name)
    }
}
