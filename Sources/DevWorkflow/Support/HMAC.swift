/// HMAC-SHA256 (RFC 2104, FIPS 198-1) over the project's own `SHA256`.
///
/// Signs webhooks (Standard Webhooks) and the reply addresses of outgoing mail. Compare codes with
/// `HMAC.equal`, which takes the same time wherever the first difference is, so an attacker cannot
/// learn a valid code byte by byte from how fast a wrong one is refused.
public enum HMAC {
    private static let blockSize = 64

    /// The 32-byte authentication code of `message` under `key`.
    ///
    /// A key longer than SHA-256's 64-byte block is hashed first, as RFC 2104 says; any length,
    /// the empty key included, is accepted.
    public static func sha256<Key: Collection, Bytes: Collection>(key: Key, message: Bytes) -> [UInt8]
    where Key.Element == UInt8, Bytes.Element == UInt8 {
        var block = [UInt8](key)
        if block.count > blockSize {
            var hasher = SHA256()
            hasher.update(block)
            block = hasher.digest()
        }
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.digest())
        return outer.digest()
    }

    /// The code of a string's UTF-8 bytes.
    public static func sha256<Key: Collection>(key: Key, message: String) -> [UInt8] where Key.Element == UInt8 {
        sha256(key: key, message: Array(message.utf8))
    }

    /// Whether two codes are equal, in time that depends only on their lengths.
    public static func equal<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
