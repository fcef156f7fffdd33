internal import CPostgres

/// The one owner of a `PGresult`: it is cleared exactly once, when the last reference goes.
///
/// Every result libpq hands out is wrapped here before its status is read, so no error path can
/// leak one.
final class ResultHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQclear(pointer) }

    var status: ExecStatusType { PQresultStatus(pointer) }

    func field(_ code: Int32) -> String? {
        guard let value = PQresultErrorField(pointer, code) else { return nil }
        return String(cString: value)
    }
}

@available(*, unavailable)
extension ResultHandle: Sendable {}

/// The rows of a completed statement, read on demand from libpq's result.
public struct QueryResult: Sequence {
    let handle: ResultHandle
    /// How many rows the result holds.
    public let count: Int
    /// Rows changed by INSERT/UPDATE/DELETE (from the command tag), else 0.
    public let affectedRows: Int

    init(handle: ResultHandle) {
        self.handle = handle
        self.count = Int(PQntuples(handle.pointer))
        self.affectedRows = Int(String(cString: PQcmdTuples(handle.pointer))) ?? 0
    }

    /// Column names in order.
    public var columns: [String] {
        (0..<PQnfields(handle.pointer)).map { String(cString: PQfname(handle.pointer, $0)) }
    }

    public subscript(row: Int) -> Row { Row(handle: handle, index: Int32(row)) }

    public var first: Row? { count > 0 ? self[0] : nil }

    public func makeIterator() -> AnyIterator<Row> {
        var index = 0
        return AnyIterator {
            guard index < count else { return nil }
            defer { index += 1 }
            return self[index]
        }
    }
}

/// One row of a result; values are decoded from PostgreSQL's text format when asked for.
public struct Row {
    let handle: ResultHandle
    package let index: Int32

    /// The number of columns.
    public var count: Int { Int(PQnfields(handle.pointer)) }

    /// The raw text of a column, nil for NULL.
    public func text(_ column: Int) -> String? {
        let c = Int32(column)
        guard PQgetisnull(handle.pointer, index, c) == 0 else { return nil }
        return String(cString: PQgetvalue(handle.pointer, index, c))
    }

    /// Decodes a column by position; `T?` reads NULL as nil, other types throw on NULL.
    public func decode<T: PostgresDecodable>(_ column: Int, as type: T.Type = T.self) throws -> T {
        guard column < count else {
            throw PostgresError(code: .decoding, message: "no column \(column) in a row of \(count)")
        }
        guard let text = text(column) else { return try T.postgresNull() }
        return try T(postgresText: text)
    }

    /// Decodes a column by name.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        let position = PQfnumber(handle.pointer, column)
        guard position >= 0 else { throw PostgresError(code: .decoding, message: "no column named \(column)") }
        return try decode(Int(position), as: type)
    }
}
