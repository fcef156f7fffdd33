import Testing
@testable import DevWorkflow

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var incremental = SHA256()
        incremental.update("ab")
        incremental.update("c")
        #expect(incremental.hexDigest() == SHA256.hex("abc"))
    }

    @Test func piecesOfEverySizeGiveTheWholesDigest() {
        // Report rows reach the hasher a line at a time: pieces that fill a block across several
        // calls, that end exactly on a block, and that span several blocks at once.
        let million = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        for sizes in [[1], [7, 61], [63, 1, 64], [64], [65, 200], [1000, 3]] {
            var hasher = SHA256()
            var offset = 0, turn = 0
            while offset < million.count {
                let size = min(sizes[turn % sizes.count], million.count - offset)
                hasher.update(million[offset..<(offset + size)])
                offset += size
                turn += 1
            }
            #expect(hasher.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "pieces of \(sizes)")
        }
        // Byte by byte, as a report adds each row's line end, and mixed with longer pieces.
        var bytewise = SHA256()
        for (index, byte) in million.enumerated() {
            if index % 100 < 3 { bytewise.update(byte: byte) } else { bytewise.update(million[index...index]) }
        }
        #expect(bytewise.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every message length across the padding's edges (55, 56, 63, 64, 119, 120 bytes …),
    /// against coreutils' sha256sum.
    @Test func everyLengthAcrossThePaddingMatchesSha256sum() throws {
        for length in 0...130 {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            var hasher = SHA256()
            hasher.update(message)
            let output = try Subprocess.run("/usr/bin/sha256sum", [], bytes: message, timeout: 30)
            #expect(output.status == 0)
            #expect(hasher.hexDigest() == String(output.stdout.prefix(64)), "\(length) bytes")
        }
    }
}
