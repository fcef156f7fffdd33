import Foundation

/// Bounds on what `MailMessage(parsing:)` reads, so a hostile message can neither exhaust memory
/// nor the stack: the whole message's size, how many MIME parts it may have, how deep multiparts
/// may nest, and how many header fields one part may have.
public struct MailLimits: Sendable, Equatable {
    /// The largest message read, in bytes (what an MTA hands over, transfer-encoded).
    public var maximumBytes: Int
    /// The most MIME entities in the message, the top one included.
    public var maximumParts: Int
    /// How deep multiparts may nest (the top-level message is depth 0).
    public var maximumDepth: Int
    /// The most header fields of one entity.
    public var maximumHeaderFields: Int

    /// 32 MiB (a 25 MB attachment, base64-encoded, fits), 200 parts, depth 12, 1000 fields.
    public init(maximumBytes: Int = 32 << 20, maximumParts: Int = 200, maximumDepth: Int = 12, maximumHeaderFields: Int = 1000) {
        self.maximumBytes = maximumBytes
        self.maximumParts = maximumParts
        self.maximumDepth = maximumDepth
        self.maximumHeaderFields = maximumHeaderFields
    }
}

/// One MIME entity (RFC 2045/2046): its header and either its (still transfer-encoded) bytes or
/// its parts.
struct MIMEEntity: Sendable {
    enum Body: Sendable {
        case single(ArraySlice<UInt8>)
        case multipart([MIMEEntity])
    }

    let header: MailHeader
    /// `Content-Type`, its value the lower-case media type (`text/plain` when absent or broken).
    let contentType: HeaderParameters
    let body: Body

    var mediaType: String { contentType.value }

    /// `Content-Disposition`, when there is one.
    var disposition: HeaderParameters? { header["Content-Disposition"].map(HeaderParameters.init) }

    var isAttachment: Bool { disposition?.value == "attachment" }

    /// The file name (`Content-Disposition`'s `filename`, else `Content-Type`'s `name`), RFC 2231
    /// and RFC 2047 decoded, reduced to its last path component with control characters removed:
    /// a name is only ever a label, never a path.
    var filename: String? {
        guard let raw = disposition?.parameters["filename"] ?? contentType.parameters["name"] else { return nil }
        let decoded = EncodedWords.decode(raw)
        let last = decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let name = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        return name.isEmpty || name == "." || name == ".." ? nil : name
    }

    /// The body's bytes, transfer encoding undone (empty for a multipart).
    var data: [UInt8] {
        guard case let .single(bytes) = body else { return [] }
        return TransferEncoding.decode(bytes, encoding: header.token("Content-Transfer-Encoding"))
    }

    /// The body as text: its charset decoded, line ends as `\n`, `format=flowed` lines joined.
    var text: String {
        let decoded = Charset.decode(data, label: contentType.parameters["charset"])
        let text = decoded.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        guard contentType.parameters["format"]?.lowercased() == "flowed" else { return text }
        return Self.unflowed(text, deleteSpace: contentType.parameters["delsp"]?.lowercased() == "yes")
    }

    /// RFC 3676: a line ending in a space continues on the next line of the same quote depth;
    /// a leading space after the quote marks was added for transport and is removed.
    static func unflowed(_ text: String, deleteSpace: Bool) -> String {
        var output: [String] = []
        var paragraph: (depth: Int, text: String)? = nil
        func close() {
            if let open = paragraph { output.append(String(repeating: ">", count: open.depth) + (open.depth > 0 ? " " : "") + open.text) }
            paragraph = nil
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let depth = line.prefix(while: { $0 == ">" }).count
            var content = line.dropFirst(depth)
            if content.first == " " { content = content.dropFirst() }
            let flowed = content.hasSuffix(" ") && content != "-- "
            if flowed && deleteSpace { content = content.dropLast() }
            if let open = paragraph, open.depth != depth { close() }
            if paragraph == nil { paragraph = (depth, "") }
            paragraph!.text += content
            if !flowed { close() }
        }
        close()
        return output.joined(separator: "\n")
    }
}

/// Splits a message into its MIME tree within `MailLimits`.
struct MIMEParser {
    let limits: MailLimits
    private var parts = 0

    init(limits: MailLimits) { self.limits = limits }

    /// The top-level entity of a whole message. Throws `invalidData` for a message over the size
    /// limit, one that does not start with a header field, a header line that is no field, or a
    /// tree over the limits.
    mutating func message(_ bytes: [UInt8]) throws -> MIMEEntity {
        guard bytes.count <= limits.maximumBytes else {
            throw WorkflowError(.invalidData, Message("error.mail_too_large", ["size": "\(bytes.count)", "limit": "\(limits.maximumBytes)"]))
        }
        var start = 0
        // An mbox `From ` line (some MTAs' pipes prepend the envelope sender) is not a header field.
        if bytes.starts(with: Array("From ".utf8)) { start = (bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count - 1) + 1 }
        return try entity(bytes[start...], depth: 0, defaultType: "text/plain")
    }

    private mutating func entity(_ bytes: ArraySlice<UInt8>, depth: Int, defaultType: String) throws -> MIMEEntity {
        parts += 1
        guard parts <= limits.maximumParts else {
            throw WorkflowError(.invalidData, Message("error.mail_too_many_parts", ["limit": "\(limits.maximumParts)"]))
        }
        let top = depth == 0
        let header: MailHeader, bodyStart: Int
        if let parsed = try MailHeader.parse(bytes, maximumFields: limits.maximumHeaderFields, strict: top), !(top && parsed.0.fields.isEmpty) {
            (header, bodyStart) = parsed
        } else if top {
            throw WorkflowError(.invalidData, Message("error.mail_not_a_message"))
        } else {
            // A part with no header at all: its body, in the default type.
            (header, bodyStart) = (MailHeader(fields: []), bytes.startIndex)
        }
        var contentType = HeaderParameters(header["Content-Type"] ?? defaultType)
        if !contentType.value.contains("/") { contentType = HeaderParameters(defaultType) }
        let body = bytes[bodyStart...]
        guard contentType.value.hasPrefix("multipart/") else {
            return MIMEEntity(header: header, contentType: contentType, body: .single(body))
        }
        guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
            throw WorkflowError(.invalidData, Message("error.mail_no_boundary", ["type": "\(contentType.value)"]))
        }
        guard depth < limits.maximumDepth else {
            throw WorkflowError(.invalidData, Message("error.mail_too_deep", ["limit": "\(limits.maximumDepth)"]))
        }
        let childType = contentType.value == "multipart/digest" ? "message/rfc822" : "text/plain"
        var children: [MIMEEntity] = []
        for part in Self.split(body, boundary: Array(boundary.utf8), atMost: limits.maximumParts - parts + 1) {
            children.append(try entity(part, depth: depth + 1, defaultType: childType))
        }
        return MIMEEntity(header: header, contentType: contentType, body: .multipart(children))
    }

    /// The parts of a multipart body: what lies between `--boundary` lines, up to `--boundary--`.
    /// The line break before a delimiter belongs to it; preamble and epilogue are dropped; a
    /// missing close delimiter ends the last part at the end of the body.
    /// Stops after `atMost` parts (the caller refuses more anyway).
    static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8], atMost: Int) -> [ArraySlice<UInt8>] {
        let delimiter = Array("--".utf8) + boundary
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var position = body.startIndex
        while position < body.endIndex {
            let lineEnd = body[position...].firstIndex(of: UInt8(ascii: "\n")) ?? body.endIndex
            let line = body[position..<lineEnd]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: Array("--".utf8))
                if rest.dropFirst(closing ? 2 : 0).allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                    if let start = partStart {
                        var end = position
                        if end > start, body[end - 1] == UInt8(ascii: "\n") { end -= 1 }
                        if end > start, body[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    partStart = closing ? nil : min(lineEnd + 1, body.endIndex)
                    if closing || parts.count >= atMost { return parts }
                }
            }
            position = lineEnd + 1
        }
        if let start = partStart { parts.append(body[start...]) }
        return parts
    }
}
