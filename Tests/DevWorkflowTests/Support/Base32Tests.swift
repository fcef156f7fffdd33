import Testing
@testable import DevWorkflow

@Suite struct Base32Tests {
    @Test func rfc4648VectorsInLowerCaseWithoutPadding() {
        let vectors = [("", ""), ("f", "my"), ("fo", "mzxq"), ("foo", "mzxw6"), ("foob", "mzxw6yq"), ("fooba", "mzxw6ytb"), ("foobar", "mzxw6ytboi")]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.uppercased()) == Array(plain.utf8))
        }
    }

    @Test func everyLengthRoundTrips() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        }
    }

    @Test func otherTextIsRefused() {
        #expect(Base32.decode("mzxw6ytboi=") == nil)
        #expect(Base32.decode("mzxw1") == nil)
        #expect(Base32.decode("my") != nil)
        #expect(Base32.decode("mzz") == nil, "leftover bits that are not zero")
    }
}
