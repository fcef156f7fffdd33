import Foundation

/// The hash chains of the record, recomputed in the client from the rows as they are stored.
///
/// Three kinds of chain (see `sql/0008_audit.sql`): `request:ID` (a request's history events, by
/// seq), `comments:ID` (its comments, by their number) and `audit` (the audit log). Each record's
/// hash is SHA-256 over its predecessor's hash (32 zero bytes for the first) and a canonical
/// encoding of its content: every field as `<octets>:<text>`, NULL as `-`; personal text (an
/// event's inputs, a comment's body, an audit record's old and new values) as its SHA-256, so a
/// redaction keeps the chain. The database writes the hashes; this reads them back with COPY
/// (memory flat, one row at a time), recomputes each and stops at the first that does not hold.
public struct AuditChains {
    /// The last record of one chain.
    public struct Head: Sendable, Equatable {
        public var chain: String
        public var count: Int
        public var head: String
    }

    /// The first record whose content or link does not hold, and what was expected of it.
    public struct Problem: Sendable {
        public enum Kind: String, Sendable { case content, link, missing, removed, seal, file, live }
        public var kind: Kind
        public var chain: String
        /// `VOLIS-3 event 4`, `VOLIS-3 comment 2`, `audit record 17`, `VOLIS-3 file 1`.
        public var record: String
        public var expected: String
        public var found: String

        public var message: Message {
            Message("audit.problem.\(kind.rawValue)", ["record": recordName, "chain": "\(chain)", "expected": "\(expected)", "found": "\(found)"])
        }

        /// The record as people read it, in their language (`VOLIS-3 sündmus 4`); `record` stays
        /// the label programs read in JSON (`VOLIS-3 event 4`).
        var recordName: MessageArgument {
            let words = record.split(separator: " ")
            if words.count == 3, ["event", "comment", "file"].contains(words[1]) {
                return .message(Message("audit.record.\(words[1])", ["request": "\(words[0])", "number": "\(words[2])"]))
            }
            if words.count == 2, words[0] == "audit" {
                return .message(Message("audit.record.audit", ["number": "\(words[1])"]))
            }
            return "\(record)"
        }
        public var json: JSONValue {
            .object([("kind", .string(kind.rawValue)), ("chain", .string(chain)), ("record", .string(record)),
                     ("expected", .string(expected)), ("found", .string(found))])
        }
    }

    /// What a pass found: the chains' count and digest (and, when asked for, every head), or the first problem.
    public struct Result: Sendable {
        public var heads: [Head] = []
        public var chains = 0
        public var records = 0
        /// The files compared with their attach events (and, when asked for, hashed).
        public var files = 0
        public var digest = ""
        public var problem: Problem?
    }

    let connection: Connection

    public init(connection: Connection) { self.connection = connection }

    /// Recomputes every chain; with a seal, also that each sealed chain still holds its sealed
    /// records (a row removed from the end since is caught). Then every file's digest and size
    /// are compared with what its attach event (a record of a chain) says; `hashingFiles` also
    /// hashes each file's stored bytes against that digest. Reads in one snapshot.
    public func verify(against seal: Seal? = nil, keepingHeads: Bool = false, hashingFiles: Bool = false) throws -> Result {
        let walker = ChainWalker(seal: seal, keepingHeads: keepingHeads)
        var files = 0
        try connection.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
            _ = try connection.query("SELECT workflow.require_auditor()")
            // Each request's history, then the request itself (a row after its last event, seq
            // 2^31 − 1): its state must be the last event's and its version the number of events
            // (a state set past the history, by hand, is a difference of the live rows).
            var history = (request: "", events: 0, state: "")
            try walk(walker, """
                COPY (SELECT request_id, seq, transition, from_state, to_state, actor, by_login, workflow.chain_micros(at), inputs, audience,
                             encode(prev, 'hex'), encode(hash, 'hex') FROM workflow.event
                      UNION ALL
                      SELECT id, 2147483647, NULL, NULL, state, NULL, NULL, version::text, NULL, NULL, NULL, NULL FROM workflow.request
                      ORDER BY 1, 2) TO STDOUT
                """) { fields, walker in
                let request = fields.text(0)
                if history.request != request { history = (request, 0, "") }
                if fields.int(1) == Int(Int32.max) {   // COPY takes no parameters: the literal above
                    let (state, version) = (fields.text(4), fields.int(7))
                    if state != history.state || version != history.events {
                        let field = state != history.state ? "state" : "version"
                        walker.fail(.live, chain: "request:" + request, record: "request \(request)",
                                    expected: field == "state" ? "state = \"\(history.state)\"" : "version = \(history.events)",
                                    found: field == "state" ? "state = \"\(state)\"" : "version = \(version)")
                    }
                    return
                }
                history.events += 1
                history.state = fields.text(4)
                var content = ContentBuilder("event")
                for index in 0..<8 { content.field(fields[index]) }
                content.field(fields[8].map { Array(SHA256.hexBytes(of: $0)) })
                content.field(fields[9])
                walker.record(chain: "request:", fields[0] ?? [], position: fields.int(1), label: "\(fields.text(0)) event \(fields.text(1))",
                              prev: fields[10] ?? [], hash: fields[11] ?? [], content: content.bytes)
            }
            try walk(walker, """
                COPY (SELECT request_id, chain_seq, author, by_login, author_vendor, workflow.chain_micros(at), CASE WHEN internal THEN 't' ELSE 'f' END,
                             encode(body_sha256, 'hex'), redacted_at IS NOT NULL, body, encode(prev, 'hex'), encode(hash, 'hex')
                      FROM workflow.comment ORDER BY request_id, chain_seq) TO STDOUT
                """) { fields, walker in
                let request = fields.text(0)
                let label = "\(request) comment \(fields.text(1))"
                if fields.text(8) == "f", let body = fields[9], String(decoding: SHA256.hexBytes(of: body), as: UTF8.self) != fields.text(7) {
                    walker.fail(.content, chain: "comments:" + request, record: label, expected: fields.text(7),
                                found: String(decoding: SHA256.hexBytes(of: body), as: UTF8.self))
                    return
                }
                var content = ContentBuilder("comment")
                for index in 0..<8 { content.field(fields[index]) }
                walker.record(chain: "comments:", fields[0] ?? [], position: fields.int(1), label: label,
                              prev: fields[10] ?? [], hash: fields[11] ?? [], content: content.bytes)
            }
            try walk(walker, """
                COPY (SELECT seq, workflow.chain_micros(at), by_login, acting, kind, action, object, encode(old_sha256, 'hex'),
                             encode(new_sha256, 'hex'), reason, redacted_at IS NOT NULL, old, new, encode(prev, 'hex'), encode(hash, 'hex')
                      FROM workflow.audit ORDER BY seq) TO STDOUT
                """) { fields, walker in
                let label = "audit \(fields.text(0))"
                if fields.text(10) == "f" {
                    for (value, digest) in [(11, 7), (12, 8)] {
                        let found = fields[value].map { String(decoding: SHA256.hexBytes(of: $0), as: UTF8.self) } ?? "-"
                        if found != (fields[digest].map { String(decoding: $0, as: UTF8.self) } ?? "-") {
                            walker.fail(.content, chain: "audit", record: label, expected: fields.text(digest), found: found)
                            return
                        }
                    }
                }
                var content = ContentBuilder("audit")
                for index in 0..<10 { content.field(fields[index]) }
                walker.record(chain: "audit", [], position: fields.int(0), label: label, prev: fields[13] ?? [], hash: fields[14] ?? [],
                              content: content.bytes)
            }
            files = try checkFiles(walker, hashing: hashingFiles)
            try checkLiveRows(walker)
        }
        var result = walker.finish()
        result.files = files
        return result
    }

    /// A file is evidence through its attach event: the copy of the digest and size the file
    /// keeps must be the event's, and (hashing) its bytes must hash to it. Returns the files checked.
    private func checkFiles(_ walker: ChainWalker, hashing: Bool) throws -> Int {
        guard walker.problem == nil else { return 0 }
        struct Stored { let label: String, chain: String, id: Int64, chunks: Int, recorded: String }
        var toHash: [Stored] = []
        var count = 0
        try connection.copyOut("""
            COPY (SELECT request, file, id, chunks, sha256, size, recorded_sha256, recorded_size FROM workflow.file_evidence()) TO STDOUT
            """) { buffer in
            guard walker.problem == nil else { return }
            let fields = CopyFields(buffer)
            let request = fields.text(0), label = "\(request) file \(fields.text(1))"
            // An attach event whose file is gone comes with no id: the evidence it recorded is missing.
            let (stored, recorded) = (fields[2] == nil ? "-" : "\(fields.text(4)) \(fields.text(5))", "\(fields.text(6)) \(fields.text(7))")
            guard stored == recorded else {
                return walker.fail(.file, chain: "request:" + request, record: label, expected: recorded, found: stored)
            }
            count += 1
            if hashing { toHash.append(Stored(label: label, chain: "request:" + request, id: Int64(fields.text(2)) ?? 0, chunks: fields.int(3), recorded: fields.text(6))) }
        }
        for file in toHash where walker.problem == nil {
            var hasher = SHA256()
            var size = 0
            try connection.receiveChunks(count: file.chunks, { "SELECT workflow.file_evidence_chunk(\(file.id), \(Int32($0)))" }) { bytes in
                hasher.update(bytes)
                size += bytes.count
            }
            let digest = hasher.hexDigest()
            if digest != file.recorded {
                walker.fail(.file, chain: file.chain, record: file.label, expected: file.recorded, found: "\(digest) (\(size) bytes)")
            }
        }
        return count
    }

    /// The audited rows as they are must be what the record last says of them: a row changed with
    /// the triggers off (by a superuser, by hand) left no record, and is the first difference.
    private func checkLiveRows(_ walker: ChainWalker) throws {
        guard walker.problem == nil,
              let row = try connection.query("SELECT kind, object, field, recorded::text, live::text FROM workflow.audit_live_differences() LIMIT 1").first
        else { return }
        let (kind, object, field): (String, String, String) = (try row.decode(0), try row.decode(1), try row.decode(2))
        // Nothing recorded or nothing there (a step the history has and the row lacks) reads null.
        let (recorded, live) = (try row.decode(3, as: String?.self) ?? "null", try row.decode(4, as: String?.self) ?? "null")
        walker.fail(.live, chain: "audit", record: "\(kind) \(object)", expected: "\(field) = \(recorded)", found: "\(field) = \(live)")
    }

    private func walk(_ walker: ChainWalker, _ sql: SQL, _ row: (CopyFields, ChainWalker) -> Void) throws {
        guard walker.problem == nil else { return }
        try connection.copyOut(sql) { buffer in
            guard walker.problem == nil else { return }
            row(CopyFields(buffer), walker)
        }
        walker.endChain()
    }
}

/// Follows one chain after another as the rows arrive, grouped by chain and in order.
final class ChainWalker {
    static let genesis = [UInt8](repeating: UInt8(ascii: "0"), count: 64)
    let seal: [String: AuditChains.Head]
    var heads: [AuditChains.Head] = []
    var records = 0
    var problem: AuditChains.Problem?
    private var chain: String?
    private var chainPrefix = ""
    private var chainKey: [UInt8] = []
    private var count = 0
    /// The last record's hash: in hex as stored, and as bytes (what the next record's hash covers).
    private var last = ChainWalker.genesis[...]
    private var lastDigest = [UInt8](repeating: 0, count: 32)
    private var seen = Set<String>()
    private let keepingHeads: Bool
    private var chains = 0
    private var digest = ChainDigest()

    /// Memory stays flat unless heads are kept (for a seal) or a seal is checked (its chains are).
    init(seal: Seal?, keepingHeads: Bool) {
        self.seal = Dictionary((seal?.heads ?? []).map { ($0.chain, $0) }, uniquingKeysWith: { first, _ in first })
        self.keepingHeads = keepingHeads
    }

    func fail(_ kind: AuditChains.Problem.Kind, chain: String, record: String, expected: String, found: String) {
        if problem == nil { problem = AuditChains.Problem(kind: kind, chain: chain, record: record, expected: expected, found: found) }
    }

    /// One record as stored: its chain (a prefix and the key's bytes), its number in the chain,
    /// its link and hash in hex, and its canonical content. The label is made only for a problem.
    func record(chain prefix: String, _ key: ArraySlice<UInt8>, position: Int, label: @autoclosure () -> String, prev: ArraySlice<UInt8>,
                hash: ArraySlice<UInt8>, content: [UInt8]) {
        if chain == nil || prefix != chainPrefix || !key.elementsEqual(chainKey) {
            endChain()
            chainPrefix = prefix
            chainKey = Array(key)
            chain = prefix + String(decoding: key, as: UTF8.self)
            if !seal.isEmpty { seen.insert(chain!) }
        }
        let name = chain!
        let expectedPosition = count + 1
        guard position == expectedPosition else {
            return fail(.missing, chain: name, record: label(), expected: "\(expectedPosition)", found: "\(position)")
        }
        guard prev.elementsEqual(last) else {
            return fail(.link, chain: name, record: label(), expected: String(decoding: last, as: UTF8.self), found: String(decoding: prev, as: UTF8.self))
        }
        var hasher = SHA256()
        hasher.update(lastDigest)
        hasher.update(content)
        let digest = hasher.digest()
        guard SHA256.isHex(of: digest, hash) else {
            return fail(.content, chain: name, record: label(), expected: String(decoding: SHA256.hex(digest), as: UTF8.self),
                        found: String(decoding: hash, as: UTF8.self))
        }
        count = position
        last = hash
        lastDigest = digest
        records += 1
        if let sealed = seal[name], sealed.count == count, !sealed.head.utf8.elementsEqual(hash) {
            fail(.seal, chain: name, record: label(), expected: sealed.head, found: String(decoding: hash, as: UTF8.self))
        }
    }

    /// Ends the chain in hand: its head is kept, and a seal's count for it must have been reached.
    func endChain() {
        guard let name = chain else { return }
        if problem == nil, let sealed = seal[name], sealed.count > count {
            fail(.removed, chain: name, record: "\(sealed.count)", expected: "\(sealed.count)", found: "\(count)")
        }
        let head = AuditChains.Head(chain: name, count: count, head: String(decoding: last, as: UTF8.self))
        digest.add(head)
        chains += 1
        if keepingHeads { heads.append(head) }
        chain = nil
        count = 0
        last = Self.genesis[...]
        lastDigest = [UInt8](repeating: 0, count: 32)
    }

    func finish() -> AuditChains.Result {
        if problem == nil, let gone = seal.keys.filter({ !seen.contains($0) }).min() {
            fail(.removed, chain: gone, record: "1", expected: "\(seal[gone]!.count)", found: "0")
        }
        return AuditChains.Result(heads: heads, chains: chains, records: records, digest: digest.hex, problem: problem)
    }
}

/// The canonical content of one record: a tag, then each field as `<octets>:<text>` or `-`.
struct ContentBuilder {
    var bytes: [UInt8]
    init(_ tag: String) {
        bytes = Array(tag.utf8)
        bytes.reserveCapacity(256)
    }
    mutating func field<Bytes: Collection<UInt8>>(_ value: Bytes?) {
        guard let value else { bytes.append(UInt8(ascii: "-")); return }
        bytes.append(contentsOf: String(value.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value)
    }
}

/// One row of COPY's text format: fields split at tabs, `\N` is NULL, backslash escapes undone.
///
/// The fields' bytes are kept end to end in one array, each field a slice of it: two arrays a
/// row, not one per field (a million rows verified made twelve million).
struct CopyFields {
    private var bytes: [UInt8] = []
    private var fields: [Range<Int>?] = []

    init(_ buffer: UnsafeRawBufferPointer) {
        var end = buffer.count
        if end > 0, buffer[end - 1] == 10 { end -= 1 }
        bytes.reserveCapacity(end)
        fields.reserveCapacity(16)
        var start = 0
        var index = 0
        var escapedNull = false
        while index < end {
            let byte = buffer[index]
            if byte == 9 {
                fields.append(escapedNull && bytes.count == start ? nil : start..<bytes.count)
                start = bytes.count
                escapedNull = false
            } else if byte == 92, index + 1 < end {
                index += 1
                let next = buffer[index]
                switch next {
                case UInt8(ascii: "N"): escapedNull = true
                case UInt8(ascii: "n"): bytes.append(10)
                case UInt8(ascii: "r"): bytes.append(13)
                case UInt8(ascii: "t"): bytes.append(9)
                case UInt8(ascii: "b"): bytes.append(8)
                case UInt8(ascii: "f"): bytes.append(12)
                case UInt8(ascii: "v"): bytes.append(11)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(next - 48)
                    var digits = 1
                    while digits < 3, index + 1 < end, (48...55).contains(buffer[index + 1]) {
                        index += 1
                        digits += 1
                        value = value * 8 + Int(buffer[index] - 48)
                    }
                    bytes.append(UInt8(truncatingIfNeeded: value))
                default: bytes.append(next)
                }
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        fields.append(escapedNull && bytes.count == start ? nil : start..<bytes.count)
    }

    subscript(index: Int) -> ArraySlice<UInt8>? { index < fields.count ? fields[index].map { bytes[$0] } : nil }
    func text(_ index: Int) -> String { self[index].map { String(decoding: $0, as: UTF8.self) } ?? "-" }
    func int(_ index: Int) -> Int { Int(text(index)) ?? -1 }
}

extension SHA256 {
    /// The digest of `bytes` as 64 lowercase hex digits, in ASCII bytes.
    static func hexBytes<Bytes: Sequence<UInt8>>(of bytes: Bytes) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return SHA256.hex(hasher.digest())
    }
}

/// The heads of all chains at one moment, with their count and a digest over them: kept outside
/// the database, it proves later that nothing sealed was removed or rewritten.
public struct Seal: Sendable {
    public static let format = "devworkflow-seal/1"
    public var sealedAt: String
    public var heads: [AuditChains.Head]
    public var records: Int
    public var digest: String

    public init(result: AuditChains.Result, at: Date) {
        sealedAt = JSONValue.iso8601(at)
        heads = result.heads
        records = result.records
        digest = result.digest
    }

    /// The digest over the heads: see `ChainDigest`.
    public static func digest(_ heads: [AuditChains.Head]) -> String {
        var digest = ChainDigest()
        for head in heads { digest.add(head) }
        return digest.hex
    }

    public var json: JSONValue {
        .object([("format", .string(Seal.format)), ("sealed_at", .string(sealedAt)), ("chains", .number("\(heads.count)")),
                 ("records", .number("\(records)")), ("digest", .string(digest)),
                 ("heads", .array(heads.map { .object([("chain", .string($0.chain)), ("count", .number("\($0.count)")), ("head", .string($0.head))]) }))])
    }

    /// Reads a seal file; one whose digest does not match its heads was altered, and is refused.
    public init(file path: String) throws {
        // A file that cannot be read is an I/O error with the system's reason (74), as every file is.
        let data = try Files.openForReading(path).readToEnd() ?? Data()
        guard let value = try? JSONValue.parse(String(decoding: data, as: UTF8.self)), value["format"]?.plain == Seal.format,
              case let .array(items)? = value["heads"], let digest = value["digest"]?.plain else {
            throw WorkflowError(.invalidData, Message("error.seal_format", ["path": "\(path)"]))
        }
        var heads: [AuditChains.Head] = []
        for item in items {
            guard let chain = item["chain"]?.plain, let count = Int(item["count"]?.plain ?? ""), let head = item["head"]?.plain else {
                throw WorkflowError(.invalidData, Message("error.seal_format", ["path": "\(path)"]))
            }
            heads.append(AuditChains.Head(chain: chain, count: count, head: head))
        }
        // The counts beside the heads are the heads' own: one edited, the seal was altered too.
        let sum = heads.reduce(0) { $0 + $1.count }
        let records = value["records"].map { Int($0.plain) } ?? sum, chains = value["chains"].map { Int($0.plain) } ?? heads.count
        guard Seal.digest(heads) == digest, records == sum, chains == heads.count else {
            throw WorkflowError(.invalidData, Message("error.seal_altered", ["path": "\(path)", "digest": "\(digest)"]))
        }
        self.heads = heads
        self.digest = digest
        self.records = sum
        sealedAt = value["sealed_at"]?.plain ?? ""
    }
}

/// A digest over the heads of all chains that does not depend on their order (so a pass keeps no
/// list of them): the sum, modulo 2^256, of SHA-256 over each head's `chain count head` line.
/// Changing, adding or removing any chain's head changes it.
struct ChainDigest {
    private var sum = [UInt8](repeating: 0, count: 32)

    mutating func add(_ head: AuditChains.Head) {
        var hasher = SHA256()
        hasher.update("\(head.chain) \(head.count) \(head.head)\n")
        var carry = 0
        for (index, byte) in hasher.digest().enumerated().reversed() {
            let total = Int(sum[index]) + Int(byte) + carry
            sum[index] = UInt8(total & 0xff)
            carry = total >> 8
        }
    }

    var hex: String { String(decoding: SHA256.hex(sum), as: UTF8.self) }
}
