/// SHA-256 (FIPS 180-4), for migration checksums and report fingerprints.
///
/// Written here because the project takes no package dependencies and Foundation on Linux has no
/// digest API; incremental, so a streamed report can be hashed as it is written.
public struct SHA256: Sendable {
    // The eight words of the state as stored properties, not an array: a block is compressed
    // without a bounds check or a uniqueness check per word (a quarter of a 1 GiB file's time).
    private var h0: UInt32 = 0x6a09e667, h1: UInt32 = 0xbb67ae85, h2: UInt32 = 0x3c6ef372, h3: UInt32 = 0xa54ff53a
    private var h4: UInt32 = 0x510e527f, h5: UInt32 = 0x9b05688c, h6: UInt32 = 0x1f83d9ab, h7: UInt32 = 0x5be0cd19
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() { pending.reserveCapacity(64) }

    /// Adds bytes to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(buffer: $0) }) != nil { return }
        update(Array(bytes))
    }

    /// Adds one byte, without the copy a one-element sequence costs (it has no contiguous
    /// storage, so the generic `update` makes an array of it: a third of a report row's hashing).
    public mutating func update(byte: UInt8) {
        length &+= 1
        pending.append(byte)
        guard pending.count == 64 else { return }
        let block = pending
        block.withUnsafeBufferPointer { compress($0.baseAddress!) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Adds a string's UTF-8 bytes.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(buffer: $0) }
    }

    /// Whole 64-byte blocks are compressed straight from the caller's buffer; only a tail waits.
    private mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(buffer.count)
        var index = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, buffer.count)
            pending.append(contentsOf: buffer[0..<take])
            index = take
            guard pending.count == 64 else { return }
            let block = pending
            block.withUnsafeBufferPointer { compress($0.baseAddress!) }
            pending.removeAll(keepingCapacity: true)
        }
        let blocks = (buffer.count - index) / 64
        if blocks > 0 {
            compress(buffer.baseAddress! + index, blocks: blocks)
            index += 64 * blocks
        }
        if index < buffer.count { pending.append(contentsOf: buffer[index...]) }
    }

    /// The digest as 64 lowercase hex digits.
    public func hexDigest() -> String { String(decoding: Self.hex(digest()), as: UTF8.self) }

    /// Bytes as lowercase hex digits, in ASCII bytes: digests as the database and the reports
    /// write them.
    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: bytes.count * 2)
        for (index, byte) in bytes.enumerated() {
            out[2 * index] = hexDigits[Int(byte >> 4)]
            out[2 * index + 1] = hexDigits[Int(byte & 15)]
        }
        return out
    }
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether `hex` is `bytes` in lowercase hex digits, compared without writing them out (an
    /// audit verify does it for every record).
    static func isHex(of bytes: [UInt8], _ hex: ArraySlice<UInt8>) -> Bool {
        guard hex.count == 2 * bytes.count else { return false }
        return hexDigits.withUnsafeBufferPointer { digits in
            var at = hex.startIndex
            for byte in bytes {
                guard hex[at] == digits[Int(byte >> 4)], hex[at + 1] == digits[Int(byte & 15)] else { return false }
                at += 2
            }
            return true
        }
    }

    /// The digest as 32 bytes (what HMAC and signatures are made of).
    ///
    /// Two arrays in all, the padded tail and the digest: a chain's verification takes one digest
    /// per record, and building it from arrays of words and bytes made ten.
    public func digest() -> [UInt8] {
        var copy = self
        let bitLength = copy.length &* 8
        // The waiting bytes, 0x80, zeros up to 56 bytes mod 64, the length in bits (big-endian).
        var tail = [UInt8](repeating: 0, count: pending.count < 56 ? 64 : 128)
        tail[..<pending.count] = pending[...]
        tail[pending.count] = 0x80
        for index in 0..<8 { tail[tail.count - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * index)) }
        tail.withUnsafeBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count, by: 64) { copy.compress(buffer.baseAddress! + start) }
        }
        return [UInt8](unsafeUninitializedCapacity: 32) { bytes, count in
            func put(_ word: UInt32, at index: Int) {
                for byte in 0..<4 { bytes[4 * index + byte] = UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * byte)) }
            }
            put(copy.h0, at: 0); put(copy.h1, at: 1); put(copy.h2, at: 2); put(copy.h3, at: 3)
            put(copy.h4, at: 4); put(copy.h5, at: 5); put(copy.h6, at: 6); put(copy.h7, at: 7)
            count = 32
        }
    }

    /// The digest of a whole string.
    public static func hex(_ text: String) -> String {
        var hasher = SHA256()
        hasher.update(text)
        return hasher.hexDigest()
    }

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private mutating func compress(_ block: UnsafePointer<UInt8>, blocks: Int = 1) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            SHA256.k.withUnsafeBufferPointer { k in
                for n in 0..<blocks { compress(block + 64 * n, schedule: w.baseAddress!, constants: k.baseAddress!) }
            }
        }
    }

    private mutating func compress(_ block: UnsafePointer<UInt8>, schedule w: UnsafeMutablePointer<UInt32>, constants k: UnsafePointer<UInt32>) {
        let raw = UnsafeRawPointer(block)
        for i in 0..<16 { w[i] = UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            h = g; g = f; f = e; e = d &+ t1
            d = c; c = b; b = a; a = t1 &+ t2
        }
        h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
        h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
    }

    private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
}
