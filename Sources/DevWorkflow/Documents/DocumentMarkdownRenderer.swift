import Foundation

/// Writes a `DocumentContent` as GitHub-flavoured Markdown: headings, tables (amounts
/// right-aligned), label and value lists, and the signature boxes as lists with blanks to fill.
///
/// Every text is escaped, so that a title or a file name never turns into markup; running text
/// keeps its line breaks.
enum DocumentMarkdownRenderer {
    static func render(_ content: DocumentContent) -> String {
        var markdown = "# \(inline(content.title + (content.subtitle.map { " " + $0 } ?? "")))\n\n"
        for field in content.lead { markdown += "\(inline(field.label)): \(inline(field.value))\n\n" }
        for section in content.sections {
            if let title = section.title { markdown += "## \(inline(title))\n\n" }
            for block in section.blocks { markdown += self.block(block) + "\n" }
        }
        return markdown
    }

    private static func block(_ block: DocumentContent.Block) -> String {
        switch block {
        case let .fields(fields):
            return fields.map { "- **\(inline($0.label)):** \(inline($0.value))\n" }.joined()
        case let .text(label, text):
            return (label.map { "**\(inline($0))**\n\n" } ?? "") + paragraphs(text)
        case let .table(table):
            return self.table(table)
        case let .note(text):
            return "*\(inline(text))*\n"
        case let .signatures(signatures):
            return signatures.map { signature in
                "### \(inline(signature.title))\n\n"
                    + signature.fields.map { "- \(inline($0.label)): \($0.value.isEmpty ? blank : inline($0.value))\n" }.joined()
                    + "- *\(inline(signature.mark))*\n"
            }.joined(separator: "\n")
        }
    }

    private static func table(_ table: DocumentContent.Table) -> String {
        func cell(_ text: String, _ column: DocumentContent.Column) -> String {
            // A code (a digest) as code, to copy whole; one with a backtick in it as text.
            column.kind == .code && !text.contains("`") && !text.contains(where: \.isNewline) ? "`\(text)`" : inline(text)
        }
        let cells = { (row: [String]) in "| " + zip(row, table.columns).map { cell($0, $1) }.joined(separator: " | ") + " |\n" }
        var markdown = "| " + table.columns.map { inline($0.title) }.joined(separator: " | ") + " |\n"
        markdown += "|" + table.columns.map { $0.kind == .number ? " ---: |" : " --- |" }.joined() + "\n"
        for (index, row) in table.rows.enumerated() {
            let total = table.lastRowIsTotal && index == table.rows.count - 1
            markdown += total ? "| " + row.map { "**\(inline($0))**" }.joined(separator: " | ") + " |\n" : cells(row)
        }
        return markdown
    }

    /// A line to write on.
    private static let blank = #"\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_"#

    /// Text on one line (a cell, a heading, a list item): escaped, line breaks as `<br>`.
    private static func inline(_ text: String) -> String { Markup.markdown(text) }

    /// Running text: its paragraphs (split at empty lines) kept, its line breaks kept as hard
    /// breaks, and a line that would start a heading, list or quote escaped.
    private static func paragraphs(_ text: String) -> String {
        var paragraphs: [[String]] = [[]]
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !(paragraphs.last?.isEmpty ?? true) { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(blockSafe(Markup.markdown(trimmed)))
            }
        }
        return paragraphs.filter { !$0.isEmpty }.map { $0.joined(separator: "\\\n") + "\n" }.joined(separator: "\n")
    }

    /// A backslash before what would make a line a heading, list item or rule (`#`, `-`, `+`,
    /// `=`, `1.`); `>` and `*` are escaped by `Markup.markdown` already.
    private static func blockSafe(_ line: String) -> String {
        guard let first = line.first else { return line }
        if "#-+=".contains(first) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return line
    }
}
