import Foundation

/// Writes a report as one self-contained HTML5 file: inline CSS, charts as inline SVG, a small
/// inline script, nothing fetched from anywhere (a Content-Security-Policy says so to the
/// browser, too).
///
/// Columns of a group (`ReportColumn.group`) share one cell, each value on a line with its
/// label, so that a wide section fits: a table on a wide screen and on A4, and on a phone (up to
/// 600 px) a table of three cells or more becomes one card per row, each cell a labelled line.
/// Identifiers, dates and numbers never wrap inside (an order number is never split letter by
/// letter); titles wrap between words. Printed, it is A4 with 14 mm margins: table headings
/// repeat on every page, rows and charts are not split, charts fit the page width. Tables work
/// without JavaScript; the script only lets a click on a column heading sort the rows (numbers,
/// money and dates by their value, from `data-sort`; a shared cell by its first value). All text
/// is escaped; values are formatted by `ReportFormatting`. The footer names the report, the
/// as-of time in UTC and the SHA-256 fingerprint.
public final class HTMLRenderer: ReportRenderer {
    private let sink: any ReportSink
    private let formatting: ReportFormatting
    private var stream = ReportStream()
    private var output = ReportOutput()
    private var columns: [ReportColumn] = []
    /// The open section's cells: the indices of the columns each shows, and its heading.
    private var cells: [(columns: [Int], heading: String)] = []
    private var chartCount = 0

    /// A renderer writing to `sink`, formatting values with `formatting`.
    public init(sink: any ReportSink, formatting: ReportFormatting = .standard) {
        self.sink = sink
        self.formatting = formatting
    }

    /// The SHA-256 of the content rows, after `end()`.
    public var fingerprint: String? { stream.digest }
    /// Rows written so far.
    public var rowCount: Int { stream.rowCount }
    /// The language of `formatting`.
    public var language: Language { formatting.language }
    /// The most bytes this renderer held at once (one event's text).
    var peakBufferedBytes: Int { output.peakBufferedBytes }

    /// Writes the head (style, policy) and the page header: title, subtitle, as-of time, parameters.
    public func begin(_ header: ReportHeader) throws {
        stream.begin(header)
        output += "<!DOCTYPE html>\n<html lang=\"\(Markup.html(formatting.languageCode))\">\n<head>\n<meta charset=\"utf-8\">\n"
        output += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        output += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '\(HTMLRenderer.styleHash)'; "
        output += "script-src '\(HTMLRenderer.scriptHash)'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
        output += "<meta name=\"generator\" content=\"DevWorkflow\">\n"
        output += "<title>\(Markup.html(header.title))</title>\n<style>\(HTMLRenderer.style)</style>\n</head>\n<body>\n<header>\n"
        output += "<h1>\(Markup.html(header.title))</h1>\n"
        if let subtitle = header.subtitle, !subtitle.isEmpty {
            output += "<p class=\"subtitle\">\(Markup.html(subtitle))</p>\n"
        }
        output += "<ul class=\"meta\">\n<li><b>\(Markup.html(formatting.labels.asOf))</b> "
        output += "<time datetime=\"\(JSONValue.iso8601(header.asOf))\">\(Markup.html(formatting.asOf(header.asOf)))</time></li>\n"
        for parameter in header.parameters {
            output += "<li><b>\(Markup.html(formatting.parameterName(parameter.name)))</b> \(Markup.html(parameter.value))</li>\n"
        }
        output += "</ul>\n</header>\n<main>\n"
        try output.flush(to: sink)
    }

    /// Keeps the chart for the next section.
    public func chart(_ chart: ReportChart) throws {
        stream.chart(chart)
    }

    /// Writes the section heading, its charts and the table head.
    public func beginSection(id: String, title: String, columns: [ReportColumn]) throws {
        let charts = stream.beginSection(id: id, columns: columns)
        self.columns = columns
        cells = []
        for (index, column) in columns.enumerated() {
            if let group = column.group, let last = cells.last?.columns.last, columns[last].group == group {
                cells[cells.count - 1].columns.append(index)
            } else {
                cells.append(([index], column.group.map { ReportFormatting.text($0, in: formatting.language) } ?? formatting.title(of: column)))
            }
        }
        output += "<section id=\"section-\(id)\">\n<h2 id=\"section-\(id)-title\">\(Markup.html(title))</h2>\n"
        for chart in charts {
            chartCount += 1
            output += "<figure class=\"chart\">\n<figcaption>\(Markup.html(chart.title))</figcaption>\n"
            output += SVGChart(chart: chart, formatting: formatting, id: "chart-\(chartCount)").render()
            output += "\n</figure>\n"
        }
        // A table of one or two cells (a count per value) is as wide as its content, not the page:
        // two numbers half a page apart read as three columns, the first empty.
        let narrow = cells.count <= 2
        output += "<div class=\"table-wrap\(narrow ? " narrow" : "")\" role=\"region\" aria-labelledby=\"section-\(id)-title\" tabindex=\"0\">\n"
        output += "<table class=\"report\(cells.count >= HTMLRenderer.cardsFrom ? " cards" : "")\" data-sort-hint=\"\(Markup.html(formatting.labels.sortHint))\">\n<thead><tr>"
        for cell in cells {
            let first = columns[cell.columns[0]]
            let numeric = cell.columns.count == 1 && HTMLRenderer.isNumeric(first.kind) ? " class=\"num\"" : ""
            output += "<th scope=\"col\" data-kind=\"\(first.kind.rawValue)\"\(numeric)>\(Markup.html(cell.heading))</th>"
        }
        output += "</tr></thead>\n<tbody>\n"
        try output.flush(to: sink)
    }

    /// Writes one table row.
    public func row(_ values: [ReportValue]) throws {
        _ = try stream.row(values)
        output += "<tr>"
        for cell in cells {
            let label = " data-label=\"\(Markup.html(cell.heading))\""
            guard cell.columns.count > 1 else {
                writeCell(values[cell.columns[0]], columns[cell.columns[0]], label: label)
                continue
            }
            let shown = cell.columns.filter { values[$0] != .null }
            let sort = HTMLRenderer.sortKey(values[cell.columns[0]]).map { " data-sort=\"\(Markup.html($0))\"" } ?? ""
            // One element holds the fields, so that a phone's card shows them beside the heading.
            output += "<td class=\"group\(shown.isEmpty ? " null" : "")\"\(label)\(sort)><span class=\"fields\">"
            if shown.isEmpty { output += Markup.html(formatting.labels.null) }
            for index in shown {
                let column = columns[index]
                output += "<span class=\"f\">"
                // The cell's lead (the column its heading names) needs no label of its own.
                if ReportFormatting.text(column.title, in: formatting.language) != cell.heading {
                    output += "<span class=\"k\">\(Markup.html(formatting.title(of: column)))</span> "
                }
                // A value is kept on one line, but for one long word (a file's name), which breaks
                // only after its separators, as in a cell of its own.
                let value = formatting.value(values[index], in: column)
                if case .text = values[index], !value.contains(where: \.isWhitespace), value.unicodeScalars.count > HTMLRenderer.longWord {
                    output += "<span class=\"v b\">\(Markup.breakableHTML(value))</span></span>"
                } else {
                    output += "<span class=\"v\">\(Markup.html(value))</span></span>"
                }
            }
            output += "</span></td>"
        }
        output += "</tr>\n"
        try output.flush(to: sink)
    }

    /// One value in a cell of its own.
    private func writeCell(_ value: ReportValue, _ column: ReportColumn, label: String) {
        output += HTMLRenderer.isNumeric(column.kind) ? "<td class=\"num\"" : "<td"
        // Decided by the text shown: a state's name, not its key.
        let shown = formatting.value(value, in: column)
        var html: String?
        switch value {
        case .null:
            output += column.kind == .text ? " class=\"null\"" : " data-sort=\"\""
        case .text:
            // A long text widens its column, so that it does not become a tall narrow strip; one
            // short word (an id, a key) is never broken; one long word (a file's name, a digest)
            // breaks only after its separators, or every 32 characters, and keeps its column narrow.
            if !shown.contains(where: \.isWhitespace) && shown.unicodeScalars.count > HTMLRenderer.longWord {
                html = Markup.breakableHTML(shown)
            } else if shown.unicodeScalars.count > HTMLRenderer.longText {
                output += " class=\"long\""
            } else if !shown.contains(where: \.isWhitespace) {
                output += " class=\"word\""
            }
        default:
            output += " data-sort=\"\(HTMLRenderer.sortKey(value) ?? "")\""
        }
        output += label + ">" + (html ?? Markup.html(shown)) + "</td>"
    }

    /// What the sorting script orders a value by (`data-sort`); nil for a text, sorted by its words.
    static func sortKey(_ value: ReportValue) -> String? {
        switch value {
        case .null: return ""
        case let .text(text): return text
        case let .integer(number): return String(number)
        case let .money(amount): return String(amount.cents)
        case let .decimal(text): return text
        case let .date(day): return day.description
        case let .timestamp(instant): return JSONValue.iso8601(instant)
        case let .boolean(flag): return flag ? "1" : "0"
        }
    }

    /// Closes the table and writes the row count.
    public func endSection() throws {
        let count = stream.sectionRowCount
        stream.endSection()
        output += "</tbody>\n</table>\n</div>\n"
        output += "<p class=\"count\">\(Markup.html(count == 0 ? formatting.labels.noRows : formatting.rowCount(count)))</p>\n</section>\n"
        try output.flush(to: sink)
    }

    /// Writes the footer with the fingerprint, the script, and closes the page.
    public func end() throws {
        let digest = stream.end()
        let id = stream.header.map(\.id) ?? ""
        let asOf = stream.header.map { JSONValue.iso8601($0.asOf) } ?? ""
        output += "</main>\n<footer>\n<p>\(Markup.html(formatting.labels.report)) <code>\(Markup.html(id))</code> · "
        output += "\(Markup.html(formatting.labels.asOf.lowercased())) <time datetime=\"\(asOf)\">\(asOf)</time> · "
        output += "\(Markup.html(formatting.rowCount(stream.rowCount)))</p>\n"
        output += "<p>\(Markup.html(formatting.labels.fingerprint)) <code class=\"sha256\">\(digest)</code></p>\n</footer>\n"
        output += "<script>\(HTMLRenderer.script)</script>\n</body>\n</html>\n"
        try output.flush(to: sink)
    }

    /// Texts longer than this (in characters) get a wider minimum column width.
    static let longText = 32

    /// A word longer than this (no identifier is: an order number has 13 characters) may break.
    static let longWord = 24

    /// A table of this many cells or more is shown as cards on a phone.
    static let cardsFrom = 3

    static func isNumeric(_ kind: ReportColumn.Kind) -> Bool {
        switch kind {
        case .integer, .money, .decimal: return true
        case .text, .date, .timestamp, .boolean: return false
        }
    }

    /// `sha256-…` for the Content-Security-Policy: the base64 digest of an inline element's text.
    static func cspHash(_ text: String) -> String {
        let hex = Array(SHA256.hex(text).utf8)
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: hex.count, by: 2) {
            bytes.append(UInt8(hexDigit(hex[index]) << 4 | hexDigit(hex[index + 1])))
        }
        return "sha256-" + Data(bytes).base64EncodedString()
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") ? byte - UInt8(ascii: "a") + 10 : byte - UInt8(ascii: "0")
    }

    static let styleHash = cspHash(style)
    static let scriptHash = cspHash(script)

    static let style = """

    :root { color-scheme: light; --ink: #1d2329; --muted: #5b6570; --line: #d5dae0; --head: #eef1f5; --accent: #2f5d8a; }
    *, *::before, *::after { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body { margin: 0 auto; max-width: 72rem; padding: 1.25rem; color: var(--ink); background: #fff;
      font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
    h1 { font-size: 1.55rem; line-height: 1.2; margin: 0 0 .3rem; }
    h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; }
    .subtitle { margin: 0 0 .4rem; color: var(--muted); }
    .meta { display: flex; flex-wrap: wrap; gap: .2rem 1.4rem; margin: .5rem 0 0; padding: 0; list-style: none; font-size: .9rem; color: var(--muted); }
    .meta b { color: var(--ink); font-weight: 600; margin-right: .25rem; }
    .meta li { min-width: 0; overflow-wrap: anywhere; }
    .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
    .table-wrap:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    .table-wrap.narrow { display: inline-block; max-width: 100%; vertical-align: top; }
    table { border-collapse: collapse; width: 100%; font-size: .875rem; }
    th, td { padding: .4rem .65rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
    th { background: var(--head); font-weight: 600; hyphens: manual; }
    td { white-space: pre-line; overflow-wrap: normal; min-width: 4.5rem; }
    tbody tr:last-child td { border-bottom: 0; }
    tbody tr:nth-child(even) td { background: #f8f9fb; }
    .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    td.long { min-width: 14rem; overflow-wrap: break-word; }
    td[data-sort]:not(.group), td.word, td.group .v { white-space: nowrap; }
    td.group .v.b { white-space: normal; }
    td.group { min-width: 0; }
    td.group .f { display: block; }
    td.group .k { color: var(--muted); font-size: .8em; }
    td.null, td[data-sort=""] { color: var(--muted); }
    th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0; cursor: pointer; text-align: inherit; }
    th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    th[aria-sort=ascending] button::after { content: " \\25B2"; font-size: .7em; }
    th[aria-sort=descending] button::after { content: " \\25BC"; font-size: .7em; }
    .count { margin: .35rem 0 0; font-size: .85rem; color: var(--muted); }
    figure.chart { margin: .6rem 0 1.1rem; }
    figure.chart figcaption { font-weight: 600; font-size: .95rem; margin-bottom: .4rem; }
    figure.chart svg { display: block; width: 100%; max-width: 540px; height: auto; }
    footer { margin-top: 2.5rem; padding-top: .6rem; border-top: 1px solid var(--line); font-size: .8rem; color: var(--muted); }
    footer p { margin: .2rem 0; overflow-wrap: anywhere; }
    code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .95em; }
    @media (max-width: 600px) {
      body { padding: .8rem; font-size: 14px; } h1 { font-size: 1.3rem; }
      .table-wrap:has(table.cards) { border: 0; border-radius: 0; overflow: visible; }
      table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; }
      table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
      table.cards tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .6rem; padding: .45rem .7rem; }
      table.cards tbody tr:nth-child(even) td { background: none; }
      table.cards td { display: grid; grid-template-columns: 7.5rem minmax(0, 1fr); gap: .1rem .7rem; border: 0; padding: .12rem 0;
        min-width: 0; text-align: left; white-space: normal; overflow-wrap: anywhere; }
      table.cards td::before { content: attr(data-label); color: var(--muted); font-size: .82rem; }
      table.cards td.word, table.cards td[data-sort]:not(.group), table.cards td.group .v { white-space: normal; overflow-wrap: normal; }
    }
    @page { size: A4; margin: 14mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 9.5pt; }
      .table-wrap { overflow: visible; border: 0; border-radius: 0; }
      table { font-size: 8pt; }
      th, td { padding: .25rem .4rem; }
      thead { display: table-header-group; }
      tr, figure.chart { break-inside: avoid; page-break-inside: avoid; }
      h2, figcaption { break-after: avoid; page-break-after: avoid; }
      td { min-width: 0; }
      td.long { min-width: 9rem; }
      tbody tr:nth-child(even) td { background: none; }
      figure.chart svg { max-width: min(100%, 120mm); }
      th[aria-sort] button::after { content: none; }
      /* Chromium repeats a table's heading on every page but draws a button in it only on the
         first: printed, a heading is its text. */
      th button { display: contents; }
    }

    """

    static let script = """

    (function () {
      'use strict';
      var numeric = { integer: true, money: true, decimal: true, boolean: true };
      function sortBy(table, th, index) {
        var kind = th.getAttribute('data-kind');
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
        var body = table.tBodies[0];
        var keyed = Array.prototype.map.call(body.rows, function (row, position) {
          var cell = row.cells[index];
          var key = cell ? (cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent) : '';
          var empty = key === '' || (cell && cell.classList.contains('null'));
          return { row: row, position: position, empty: empty, key: numeric[kind] ? Number(key) : key };
        });
        keyed.sort(function (a, b) {
          if (a.empty !== b.empty) { return a.empty ? 1 : -1; }
          var order = a.empty ? 0 : (numeric[kind] ? a.key - b.key : collator.compare(a.key, b.key));
          return (ascending ? order : -order) || a.position - b.position;
        });
        var fragment = document.createDocumentFragment();
        keyed.forEach(function (entry) { fragment.appendChild(entry.row); });
        body.appendChild(fragment);
        Array.prototype.forEach.call(th.parentNode.cells, function (cell) { cell.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      }
      Array.prototype.forEach.call(document.querySelectorAll('table.report'), function (table) {
        if (!table.tHead || !table.tBodies.length) { return; }
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
          var button = document.createElement('button');
          button.type = 'button';
          button.title = table.getAttribute('data-sort-hint') || '';
          while (th.firstChild) { button.appendChild(th.firstChild); }
          th.appendChild(button);
          button.addEventListener('click', function () { sortBy(table, th, index); });
        });
        table.classList.add('sortable');
      });
    })();

    """
}
