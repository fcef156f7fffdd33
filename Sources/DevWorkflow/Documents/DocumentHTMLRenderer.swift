/// Writes a `DocumentContent` as one self-contained HTML5 page: inline CSS, no script, nothing
/// fetched (a Content-Security-Policy says so to the browser), printable on A4.
///
/// Printed, tables keep their heading row on every page, rows and signature boxes are not split,
/// and a heading stays with what follows it. All text is escaped.
enum DocumentHTMLRenderer {
    static func render(_ content: DocumentContent) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"\(content.language.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '\(styleHash)'; base-uri 'none'; form-action 'none'\">\n"
        html += "<meta name=\"generator\" content=\"DevWorkflow\">\n"
        html += "<title>\(escape(content.name))</title>\n<style>\(style)</style>\n</head>\n<body>\n<header>\n"
        html += "<h1>\(escape(content.title))</h1>\n"
        if let subtitle = content.subtitle { html += "<p class=\"subtitle\">\(escape(subtitle))</p>\n" }
        for field in content.lead { html += "<p class=\"lead\">\(escape(field.label)): \(escape(field.value))</p>\n" }
        html += "</header>\n<main>\n"
        for section in content.sections {
            html += "<section>\n"
            if let title = section.title { html += "<h2>\(escape(title))</h2>\n" }
            for block in section.blocks { html += self.block(block) }
            html += "</section>\n"
        }
        return html + "</main>\n</body>\n</html>\n"
    }

    private static func block(_ block: DocumentContent.Block) -> String {
        switch block {
        case let .fields(fields):
            return "<dl class=\"fields\">\n" + fields.map { "<dt>\(escape($0.label))</dt><dd>\(escape($0.value))</dd>\n" }.joined() + "</dl>\n"
        case let .text(label, text):
            return "<div class=\"text\">\n" + (label.map { "<h3>\(escape($0))</h3>\n" } ?? "") + "<p>\(escape(text))</p>\n</div>\n"
        case let .table(table):
            return self.table(table)
        case let .note(text):
            return "<p class=\"note\">\(escape(text))</p>\n"
        case let .signatures(signatures):
            var html = "<div class=\"signatures\">\n"
            for signature in signatures {
                html += "<div class=\"signature\">\n<h3>\(escape(signature.title))</h3>\n"
                for field in signature.fields {
                    html += "<p class=\"blank\"><span>\(escape(field.label)):</span> <span class=\"fill\">\(escape(field.value))</span></p>\n"
                }
                html += "<p class=\"mark\">\(escape(signature.mark))</p>\n</div>\n"
            }
            return html + "</div>\n"
        }
    }

    private static func table(_ table: DocumentContent.Table) -> String {
        func cellClass(_ kind: DocumentContent.Column.Kind) -> String {
            switch kind {
            case .text: return ""
            case .number: return " class=\"num\""
            case .date: return " class=\"date\""
            case .code: return " class=\"code\""
            }
        }
        var html = "<table>\n"
        if table.columns.contains(where: { !$0.title.isEmpty }) {
            html += "<thead><tr>" + table.columns.map { "<th scope=\"col\"\(cellClass($0.kind))>\(escape($0.title))</th>" }.joined() + "</tr></thead>\n"
        }
        html += "<tbody>\n"
        for (index, row) in table.rows.enumerated() {
            let total = table.lastRowIsTotal && index == table.rows.count - 1
            html += total ? "<tr class=\"total\">" : "<tr>"
            html += zip(row, table.columns).map { text, column in
                "<td\(cellClass(column.kind))>\(column.kind == .code ? code(text) : column.kind == .text ? Markup.breakableHTML(text) : escape(text))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    private static func escape(_ text: String) -> String { Markup.html(text) }

    /// A code that may break only every 32 characters (a digest in two even halves); copied, it
    /// is still whole.
    private static func code(_ text: String) -> String {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(escape(String(rest.prefix(32))))
            rest = rest.dropFirst(32)
        }
        return pieces.joined(separator: "<wbr>")
    }

    static let styleHash = HTMLRenderer.cspHash(style)

    static let style = """

    :root { color-scheme: light; --ink: #15191d; --muted: #5b6570; --line: #8c959f; --head: #e8ebef; }
    *, *::before, *::after { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 48rem; padding: 1.5rem; color: var(--ink); background: #fff;
      font: 15px/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
    header { text-align: center; border-bottom: 1.5px solid var(--ink); padding-bottom: .6rem; margin-bottom: .4rem; }
    h1 { font-size: 1.5rem; margin: 0; }
    .subtitle { font-size: 1.1rem; margin: .2rem 0 .3rem; }
    .lead { margin: 0; color: var(--muted); font-size: .9rem; }
    h2 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; break-after: avoid; page-break-after: avoid; }
    h3 { font-size: .8rem; color: var(--muted); margin: .6rem 0 .15rem; }
    dl.fields { display: grid; grid-template-columns: minmax(8rem, 27%) 1fr; gap: .15rem 1rem; align-items: baseline; margin: .5rem 0; }
    dl.fields dt { color: var(--muted); font-size: .85rem; }
    dl.fields dd { margin: 0; overflow-wrap: anywhere; }
    .text p { margin: 0; white-space: pre-line; overflow-wrap: anywhere; }
    .note { font-style: italic; color: var(--muted); font-size: .9rem; margin: .5rem 0; }
    table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .3rem 0; }
    th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
    th { background: var(--head); font-weight: 600; }
    .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .date { white-space: nowrap; }
    /* A digest takes two even lines of 32 characters. */
    td.code { font: .78rem/1.35 "Courier New", Courier, "Liberation Mono", "DejaVu Sans Mono", monospace; overflow-wrap: normal; min-width: calc(33ch + 1rem); }
    tr.total td { font-weight: 700; background: #f4f5f7; }
    .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2rem; margin-top: .8rem; }
    .signature { border: 1px solid var(--line); padding: .6rem .8rem; break-inside: avoid; page-break-inside: avoid; }
    .signature h3 { color: var(--ink); font-size: .95rem; margin: 0 0 .6rem; }
    .blank { display: flex; gap: .4rem; margin: 0 0 .7rem; font-size: .85rem; }
    .blank span:first-child { color: var(--muted); }
    .blank .fill { flex: 1; border-bottom: 1px solid var(--line); min-height: 1.3em; }
    .mark { font-style: italic; color: var(--muted); font-size: .85rem; margin: .4rem 0 0; }
    @media (max-width: 600px) { body { padding: .8rem; } .signatures { grid-template-columns: 1fr; } table { display: block; overflow-x: auto; } }
    @page { size: A4; margin: 20mm 20mm 22mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10pt; }
      table { font-size: 9pt; }
      thead { display: table-header-group; }
      tr { break-inside: avoid; page-break-inside: avoid; }
      td.code { font-size: 7.5pt; }
    }

    """
}
