/// Durations in whole days, counted per day: percentiles in constant memory, however many samples.
public struct DayHistogram: Sendable, Equatable {
    private var counts: [Int] = []
    public private(set) var count = 0

    public init() {}

    /// Adds one duration (negative counts as 0; anything past 10 000 days as 10 000).
    public mutating func add(_ days: Int) {
        let day = min(max(days, 0), 10_000)
        if counts.count <= day { counts += Array(repeating: 0, count: day - counts.count + 1) }
        counts[day] += 1
        count += 1
    }

    /// The nearest-rank percentile: the least duration that at least `p` of the samples do not
    /// exceed (the median is `percentile(0.5)`); nil without samples.
    public func percentile(_ p: Double) -> Int? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((p * Double(count)).rounded(.up)))
        var seen = 0
        for (day, n) in counts.enumerated() {
            seen += n
            if seen >= rank { return day }
        }
        return counts.count - 1
    }
}
