import Foundation

/// "Did you mean …": the known word a mistyped one most likely meant.
package enum Suggestion {
    /// The one candidate that starts with `word` (at least three letters besides an option's
    /// dashes: `trans` for `transitions`, `--prio` for `--priority`, a word cut short being the
    /// likelier slip). Failing that, the candidate closest to `word` by edit distance (a swap of
    /// two neighbours counts as one edit: `reqeust` is one from `request`), if it is close enough
    /// to be a typo of it: one edit for words of up to four letters, two for longer ones. Nil when
    /// nothing fits or two fit equally well.
    package static func closest(to word: String, among candidates: [String]) -> String? {
        let typed = word.lowercased()
        guard !typed.isEmpty else { return nil }
        let letters = typed.drop { $0 == "-" }.count
        let prefixed = Set(candidates.filter { letters >= 3 && $0.lowercased().hasPrefix(typed) && $0.lowercased() != typed })
        if prefixed.count == 1 { return prefixed.first }
        let allowed = typed.count <= 4 ? 1 : 2
        let scored = candidates.map { ($0, distance(typed, $0.lowercased())) }.filter { $0.1 <= allowed && $0.0.lowercased() != typed }
        guard let best = scored.map(\.1).min() else { return nil }
        let winners = Set(scored.filter { $0.1 == best }.map(\.0))
        return winners.count == 1 ? winners.first : nil
    }

    /// The optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbouring characters, each one edit.
    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
