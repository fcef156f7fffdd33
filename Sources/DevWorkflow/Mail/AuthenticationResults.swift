import Foundation

/// One `Authentication-Results` header (RFC 8601): who checked, and each method's result.
///
/// `mx.example.org; dkim=pass header.d=acme.example; spf=fail smtp.mailfrom=acme.example`
/// reads as the authserv-id `mx.example.org` and two results. Comments are dropped; method and
/// result names are lower case.
public struct AuthenticationResults: Sendable, Equatable {
    /// One `method=result` with its properties (`header.d`, `smtp.mailfrom`, `reason` …).
    public struct Result: Sendable, Equatable {
        /// `dkim`, `spf`, `dmarc` …, without a `/version`.
        public let method: String
        /// `pass`, `fail`, `softfail`, `none`, `neutral`, `temperror`, `permerror`, `policy` ….
        public let result: String
        /// `ptype.property` → value (`header.d` → `acme.example`), and `reason`.
        public let properties: [String: String]

        /// Whether the result says the check failed: `fail`, `softfail`, `hardfail`, `policy`,
        /// `permerror` or `temperror`. A temporary error counts as failed: a gateway that moves money
        /// takes no message whose origin could not be checked (the sender can send it again).
        public var failed: Bool { ["fail", "softfail", "hardfail", "policy", "permerror", "temperror"].contains(result) }
    }

    /// The server that added the header.
    public let authservID: String
    /// The results, in the order written.
    public let results: [Result]

    /// Reads one header's value; an empty list of results when it has none (`none`).
    public init(_ value: String) {
        let pieces = HeaderParameters.split(HeaderParameters.removingComments(value)) { $0 == ";" }
        // The first piece is the authserv-id and an optional version number.
        authservID = pieces[0].split(whereSeparator: \.isWhitespace).first.map { $0.lowercased() } ?? ""
        var results: [Result] = []
        for piece in pieces.dropFirst() {
            let words = HeaderParameters.split(piece, omittingEmpty: true, at: \.isWhitespace)
            guard let first = words.first, let equals = first.firstIndex(of: "=") else { continue }
            let method = first[..<equals].split(separator: "/").first.map { $0.lowercased() } ?? ""
            let result = HeaderParameters.unquoted(String(first[first.index(after: equals)...])).lowercased()
            guard !method.isEmpty, !result.isEmpty else { continue }
            var properties: [String: String] = [:]
            for word in words.dropFirst() {
                guard let equals = word.firstIndex(of: "=") else { continue }
                properties[word[..<equals].lowercased()] = HeaderParameters.unquoted(String(word[word.index(after: equals)...]))
            }
            results.append(Result(method: method, result: result, properties: properties))
        }
        self.results = results
    }
}
