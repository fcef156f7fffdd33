import Foundation

/// What a person wrote in a reply, without the message they answered and without their signature.
///
/// Removed:
/// - quoted lines (`>` first), and the attribution line before them, in English or Estonian
///   (`On 2 Dec 2026, Mari <m@x> wrote:`, Gmail's attribution wrapped over two or three lines,
///   `Mari Maasikas kirjutas 02.12.2026 09:00:`, `Kontaktil … kirjutas kuupäeval …:`);
/// - everything from an Outlook-style quoted block: `-----Original Message-----`,
///   `-----Algne sõnum-----`, or a `From:`/`Saatja:` line followed by `Sent:`/`Date:`/`Saadetud:`/
///   `Kuupäev:` within the next lines (also after a `____` rule);
/// - everything from the signature delimiter `-- ` (or `--`), and a closing line of a phone or
///   app (`Sent from my iPhone`, `Saadetud minu iPhone'ist`, `Get Outlook for Android`).
///
/// Lines typed between quoted lines (an inline answer) are kept. Blank lines at either end are
/// dropped, and runs of blank lines become one.
public enum ReplyText {
    /// The new text of a reply's body.
    public static func newText(_ body: String) -> String {
        var lines = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        if let cut = outlookBlock(in: lines) { lines = Array(lines[..<cut]) }
        lines = withoutQuotes(lines)
        if let signature = lines.firstIndex(where: { $0 == "-- " || $0 == "--" || $0 == "—" }) { lines = Array(lines[..<signature]) }
        lines = trimmedBlankLines(lines)
        while let last = lines.last, isDeviceLine(last) { lines = trimmedBlankLines(Array(lines.dropLast())) }
        var result: [String] = []
        for line in lines {
            let trimmed = line.trimmingTrailingWhitespace
            if trimmed.isEmpty && result.last?.isEmpty == true { continue }
            result.append(trimmed)
        }
        return result.joined(separator: "\n")
    }

    private static func isQuoted(_ line: String) -> Bool { line.drop(while: { $0 == " " }).hasPrefix(">") }

    private static func isBlank(_ line: String) -> Bool { line.allSatisfy(\.isWhitespace) }

    private static func trimmedBlankLines(_ lines: [String]) -> [String] {
        Array(lines.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }

    /// Quoted lines removed, and an attribution line (or two or three, wrapped) that stands right
    /// before them (blank lines between allowed) or at the very end.
    private static func withoutQuotes(_ lines: [String]) -> [String] {
        var keep = lines.map { !isQuoted($0) }
        for index in lines.indices where keep[index] {
            // Gmail wraps a long attribution over two or three lines: lines with no blank one
            // between, the first not ending a sentence.
            guard !isBlank(lines[index]) else { continue }
            for span in 1...3 where index + span <= lines.count {
                let covered = lines[index..<(index + span)]
                guard span == 1 || !(covered.contains(where: isBlank) || [".", "!", "?"].contains(lines[index].trimmingTrailingWhitespace.last)) else { break }
                guard isAttribution(covered.joined(separator: " ")) else { continue }
                var next = index + span
                while next < lines.count, isBlank(lines[next]) { next += 1 }
                if next == lines.count || isQuoted(lines[next]) {
                    for covered in index..<(index + span) { keep[covered] = false }
                }
                break
            }
        }
        return lines.indices.filter { keep[$0] }.map { lines[$0] }
    }

    /// `… wrote:` / `… kirjutas …:` and the like: a line that ends with a colon and says someone wrote.
    static func isAttribution(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces).lowercased()
        guard text.hasSuffix(":"), text.count <= 300 else { return false }
        let words = ["wrote", "kirjutas", "schrieb", "a écrit", "escribió", "написал", "kirjoitti", "rakstīja", "rašė"]
        return words.contains { text.contains($0) }
    }

    /// Where an Outlook-style quoted block starts, if there is one.
    private static func outlookBlock(in lines: [String]) -> Int? {
        let separators = ["-----original message-----", "-----algne sõnum-----", "-----algsõnum-----", "-----ursprüngliche nachricht-----"]
        let fromLabels = ["from:", "saatja:", "von:"]
        let dateLabels = ["sent:", "date:", "saadetud:", "kuupäev:", "saatmisaeg:", "gesendet:"]
        for (index, line) in lines.enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "*", with: "")
            if separators.contains(where: { text.hasPrefix($0) }) { return index }
            guard fromLabels.contains(where: { text.hasPrefix($0) }) else { continue }
            let following = lines[(index + 1)..<min(lines.count, index + 4)].map {
                $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "*", with: "")
            }
            guard following.contains(where: { next in dateLabels.contains { next.hasPrefix($0) } }) else { continue }
            // A rule of underscores just above belongs to the block.
            var start = index
            while start > 0, isBlank(lines[start - 1]) || lines[start - 1].allSatisfy({ $0 == "_" || $0 == "-" || $0 == " " }) { start -= 1 }
            return start
        }
        return nil
    }

    /// A short closing line a phone or a mail app adds.
    private static func isDeviceLine(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces).lowercased()
        guard text.count <= 80 else { return false }
        return ["sent from my ", "sent from outlook", "sent from mail for", "sent from yahoo", "sent with ", "get outlook for ",
                "saadetud minu ", "saadetud seadmest", "saadetud rakendusest", "saadetud outlookist"].contains { text.hasPrefix($0) }
    }
}

extension String {
    var trimmingTrailingWhitespace: String { String(reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()) }
}
