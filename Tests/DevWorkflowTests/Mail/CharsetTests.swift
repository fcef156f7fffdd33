import Testing
@testable import DevWorkflow

/// Our 8-bit code tables against Python's codecs, byte by byte.
@Suite struct CharsetTests {
    @Test(arguments: [(Charset.windows1252, "cp1252"), (.iso885915, "iso8859_15"), (.windows1257, "cp1257")])
    func everyByteAsPythonReadsIt(charset: Charset, codec: String) throws {
        let script = "import sys\nfor b in range(128, 256):\n    print(bytes([b]).decode(sys.argv[1], errors='replace'))"
        let theirs = try Python.run("run.py", [script, codec]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for byte in 0x80...0xFF {
            #expect(charset.decode([UInt8(byte)]) == theirs[byte - 0x80], "\(charset) byte \(byte)")
        }
    }

    @Test func estonianLetters() {
        let word: [UInt8] = [0xF5, 0xE4, 0xF6, 0xFC]  // õäöü: the same in all three
        for charset in [Charset.windows1252, .iso885915, .windows1257] { #expect(charset.decode(word) == "õäöü") }
        #expect(Charset.windows1257.decode([0xD0, 0xF0, 0xDE, 0xFE, 0x80]) == "ŠšŽž€")
        #expect(Charset.iso885915.decode([0xA6, 0xA8, 0xB4, 0xB8, 0xA4]) == "ŠšŽž€")
        #expect(Charset.windows1252.decode([0x8A, 0x9A, 0x8E, 0x9E, 0x80]) == "ŠšŽž€")
    }

    @Test func labelsAsClientsWriteThem() {
        #expect(Charset(label: "UTF8") == .utf8)
        #expect(Charset(label: "Windows-1257") == .windows1257 && Charset(label: "cp1257") == .windows1257)
        #expect(Charset(label: "ISO_8859-15") == .iso885915 && Charset(label: "latin9") == .iso885915)
        #expect(Charset(label: "iso-8859-1") == .windows1252, "read as its superset, as mail readers do")
        #expect(Charset(label: "koi8-r") == nil)
        // Unknown or US-ASCII: UTF-8 when valid, else Windows-1252.
        #expect(Charset.decode(Array("õ".utf8), label: "us-ascii") == "õ")
        #expect(Charset.decode([0xF5], label: "x-unknown") == "õ")
        #expect(Charset.decode([0xF5], label: nil) == "õ")
        #expect(Charset.utf8.decode([0x61, 0xFF]) == "a\u{FFFD}")
    }
}
