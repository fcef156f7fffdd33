/// Foundation's white space sets, written out, and trimming by them.
///
/// `trimmingCharacters(in:)` goes through NSString and CharacterSet: it was a seventh of reading
/// a small e-invoice and a third of workflowd's CPU rendering messages. These are the same sets
/// scalar for scalar (a test compares them with Foundation's over every scalar to U+1FFFF).
package enum Whitespace {
    /// What `CharacterSet.whitespaces` holds: the tab, the space separators (Zs) and the zero
    /// width space, which Unicode no longer counts among them and Foundation still does.
    package static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || (scalar.value > 0x7F && (scalar.value == 0x200B || scalar.properties.generalCategory == .spaceSeparator))
    }

    /// What `CharacterSet.whitespacesAndNewlines` holds: those, U+000A–U+000D, U+0085 and the line
    /// and paragraph separators.
    package static func isBlankOrBreak(_ scalar: Unicode.Scalar) -> Bool {
        isBlank(scalar) || (0x0A...0x0D).contains(scalar.value) || scalar.value == 0x85 || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// The text without the leading and trailing scalars `drop` says.
    package static func trimmed(_ text: Substring, _ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else { return "" }
        return String(Substring(scalars[first...last]))
    }

    /// The same for a whole string; the string itself, not a copy, when there is nothing to trim
    /// (the usual value).
    package static func trimmed(_ text: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last, drop(first) || drop(last) else { return text }
        return trimmed(Substring(text), drop)
    }
}
