import Foundation

/// A file attached to a request, as the database keeps it (`request_files()`): the bytes stay in
/// the database and are read a chunk at a time (`WorkflowStore.readFile`).
public struct StoredFile: Sendable, Equatable {
    /// The file's number within its request (`request file VOLIS-9 2`).
    public var number: Int
    /// The name as it was given, for display only: never a path.
    public var name: String
    /// The name cleaned of slashes and control characters (the database's `clean_file_name`).
    public var storedName: String
    /// `spec`, `quote`, `delivery`, `test_report`, `acceptance` or `other`.
    public var kind: String
    /// In bytes.
    public var size: Int64
    /// Lowercase hex, 64 digits, computed as the file was sent.
    public var sha256: String
    /// Kept among staff.
    public var isInternal: Bool
    /// The vendor the file belongs to (only it and staff see it), nil for a staff file.
    public var vendor: String?
    /// The person who attached it.
    public var attachedBy: String
    public var attachedAt: Date
    /// How many chunks hold its bytes.
    var chunks: Int

    /// The columns `request_files()` and `request_file()` answer, in this order.
    static let columns: SQL = "n, name, stored_name, kind, size, sha256, internal, vendor, attached_by, attached_at, chunks"

    init(_ row: Row) throws {
        number = try row.decode(0)
        name = try row.decode(1)
        storedName = try row.decode(2)
        kind = try row.decode(3)
        size = try row.decode(4)
        sha256 = try row.decode(5)
        isInternal = try row.decode(6)
        vendor = try row.decode(7)
        attachedBy = try row.decode(8)
        attachedAt = try row.decode(9)
        chunks = try row.decode(10)
    }

    /// The file as `--json` shows it: stable snake_case fields.
    public var json: JSONValue {
        .object([("file", .int(number)), ("name", .string(name)), ("stored_name", .string(storedName)), ("kind", .string(kind)),
                 ("size", .number(String(size))), ("sha256", .string(sha256)), ("internal", .bool(isInternal)),
                 ("vendor", .optional(vendor)), ("attached_by", .string(attachedBy)), ("attached_at", .timestamp(attachedAt))])
    }
}
