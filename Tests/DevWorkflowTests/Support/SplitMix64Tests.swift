import Testing
@testable import DevWorkflow

@Suite struct SplitMix64Tests {
    /// The first outputs of the reference C code (splitmix64.c) for seed 1234567: a mistyped
    /// constant changes every one of them.
    @Test func matchesTheReferenceSequence() {
        var generator = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }
}
