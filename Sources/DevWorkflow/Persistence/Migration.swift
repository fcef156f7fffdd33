/// One numbered, forward-only schema change from `sql/NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    /// The file name, `0001_foundation.sql`.
    public let file: String
    /// The file's text exactly.
    public let sql: String

    public init(file: String, sql: String) {
        self.file = file
        self.sql = sql
    }

    /// The number the file name starts with.
    public var version: Int { Int(file.prefix { $0.isNumber }) ?? 0 }

    /// SHA-256 of the text: an applied file that is later edited no longer matches.
    public var checksum: String { SHA256.hex(sql) }

    /// Every migration this build carries, in order (generated from `sql/` by `scripts/embed-sql`).
    public static var all: [Migration] { EmbeddedMigrations.all.sorted { $0.version < $1.version } }
}
