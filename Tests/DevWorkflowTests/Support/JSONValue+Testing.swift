@testable import DevWorkflow

extension JSONValue {
    /// The elements of an array, else nil: for `try #require(value.arrayValue)`, which fails the
    /// test where a `guard case` would have returned quietly.
    var arrayValue: [JSONValue]? {
        if case let .array(items) = self { return items }
        return nil
    }

    /// The members of an object in order, else nil.
    var objectPairs: [(String, JSONValue)]? {
        if case let .object(pairs) = self { return pairs }
        return nil
    }
}
