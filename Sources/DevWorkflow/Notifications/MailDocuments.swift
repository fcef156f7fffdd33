import Foundation

/// The documents a message carries: when vendors are asked to quote (`request_quote`, `invite`),
/// each invited vendor's mail carries the request's `spec` files, read from the database at send
/// time (`quote_documents()` says which), as attachments up to `attachmentLimit` in all; past it
/// the mail lists them with their sizes and digests and says how to ask for them.
public struct MailDocuments: Sendable, Equatable {
    /// One file: what the message says of it, and its bytes when attached.
    public struct File: Sendable, Equatable {
        /// The file's number within its request (`request file ID N`).
        public var number: Int
        /// The name as given (shown); `storedName` is the cleaned one a mail program saves it as.
        public var name: String
        public var storedName: String
        public var size: Int64
        public var sha256: String
        /// The bytes, when the message attaches the file.
        public var bytes: [UInt8]?
    }

    /// The most a mail attaches in all: 10 MiB, which every mail system we send to accepts
    /// (base64 makes it 13.5 MiB on the wire).
    public static let attachmentLimit: Int64 = 10 << 20

    public var files: [File]
    /// Whether the files are attached (else listed only).
    public var attached: Bool { files.allSatisfy { $0.bytes != nil } }

    /// The transitions whose message to an invited vendor carries the specification.
    static let transitions: Set<String> = ["request_quote", "invite"]

    /// The documents of a message, nil when it carries none. Reads the files' bytes (through the
    /// daemon's SELECT on the chunks) only when they are attached.
    public static func load(for message: OutboxMessage, from connection: Connection) throws -> MailDocuments? {
        guard message.kind == .notification, let transition = message.transition, transitions.contains(transition),
              message.payload["audience"]?.plain == "invited_vendor" else { return nil }
        var files: [(file: File, id: Int64, chunks: Int)] = []
        do {
            for row in try connection.query("""
                SELECT n, name, stored_name, size, sha256, id, chunks FROM workflow.quote_documents(\(message.request))
                """) {
                files.append((File(number: try row.decode(0), name: try row.decode(1), storedName: try row.decode(2), size: try row.decode(3),
                                   sha256: try row.decode(4)), try row.decode(5), try row.decode(6)))
            }
            guard !files.isEmpty else { return nil }
            if files.reduce(0, { $0 + $1.file.size }) <= attachmentLimit {
                for index in files.indices {
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(Int(files[index].file.size))
                    try connection.receiveChunks(count: files[index].chunks, {
                        "SELECT data FROM workflow.request_file_chunk WHERE file_id = \(files[index].id) AND n = \(Int32($0))"
                    }) { bytes.append(contentsOf: $0) }
                    files[index].file.bytes = bytes
                }
            }
        } catch let error as PostgresError {
            throw WorkflowError(postgres: error)
        }
        return MailDocuments(files: files.map(\.file))
    }
}
