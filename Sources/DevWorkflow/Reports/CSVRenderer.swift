/// Writes a report as CSV (RFC 4180): UTF-8, CRLF line endings, per section a header row of the
/// column keys and then one record per row.
///
/// A one-section report is a plain RFC 4180 file. Several sections are written one after the
/// other, each with its own header row, separated by one empty line (`CSVReader` returns `[]`
/// for it): spreadsheets show the tables one under the other, and a program can split on the
/// blank line. To get one plain table from a multi-section report, pass `section:`; the other
/// sections are then left out of the text (but still count for the fingerprint). A row whose
/// only cell is null is written as `""` so that it never looks like the blank separator line.
///
/// The body holds data only: no title, as-of time or fingerprint, since a comment line is not
/// RFC 4180. Read `fingerprint` after `end()` and show it beside the file (a sidecar
/// `.sha256`, a line on standard error). Charts are not written.
///
/// `excel: true` is for spreadsheet programs in decimal-comma locales (Estonian): a UTF-8 byte
/// order mark, `;` between fields and a decimal comma in money and decimals (`-1234,50`).
/// Numbers never have thousands separators; dates and timestamps stay ISO 8601 in both modes.
///
/// Both modes write text cells so that a spreadsheet or a terminal shows them and does not act
/// on them (OWASP's advice for CSV that people open): a text cell that starts with `=`, `+`, `-`,
/// `@`, tab or CR gets a leading `'`, so no spreadsheet runs it as a formula (`=HYPERLINK(…)`),
/// and control characters other than line breaks and tab are shown as `TerminalText` shows them
/// (ESC as `␛`). Such a cell then differs from the data by those characters; the fingerprint
/// stays the data's (see `ReportFingerprint`). Numbers, dates and empty cells are never touched.
public final class CSVRenderer: ReportRenderer {
    private let sink: any ReportSink
    private let format: CSVFormat
    private let excel: Bool
    private let onlySection: String?
    private var stream = ReportStream()
    private var output = ReportOutput()
    private var writing = false
    private var sectionsWritten = 0

    /// The language of the report's titles (CSV itself holds none: its headers are the keys).
    public let language: Language

    /// Whether rows streamed from the database come as canonical lines (plain CSV only).
    public let takesCanonicalLines: Bool

    /// A renderer writing to `sink`; `excel` switches to the spreadsheet dialect, `section` keeps
    /// only the section with that id. `databaseLines: false` makes it take every row as values,
    /// for comparing the two ways in tests.
    public init(sink: any ReportSink, excel: Bool = false, section: String? = nil, language: Language = .en, databaseLines: Bool = true) {
        self.sink = sink
        self.language = language
        self.takesCanonicalLines = databaseLines && !excel
        self.excel = excel
        self.format = excel ? .excel : .rfc4180
        self.onlySection = section
    }

    /// The SHA-256 of the content rows, after `end()`.
    public var fingerprint: String? { stream.digest }
    /// The ids of the report's sections, in order, as they began (all of them, written or not).
    public private(set) var sectionIDs: [String] = []
    /// Whether the one section asked for (`section:`) was in the report; true when none was asked for.
    public var wroteAskedSection: Bool { onlySection.map(sectionIDs.contains) ?? true }
    /// Rows written so far (over all sections, including ones left out by `section:`).
    public var rowCount: Int { stream.rowCount }
    /// The most bytes this renderer held at once (one event's text).
    var peakBufferedBytes: Int { output.peakBufferedBytes }

    /// Starts the file (the byte order mark in excel mode).
    public func begin(_ header: ReportHeader) throws {
        stream.begin(header)
        if excel { output += "\u{FEFF}" }
        try output.flush(to: sink)
    }

    /// Charts are not part of CSV; the call only keeps the order checks.
    public func chart(_ chart: ReportChart) throws {
        stream.chart(chart)
    }

    /// Writes the header row (after a blank line when a section came before).
    public func beginSection(id: String, title: String, columns: [ReportColumn]) throws {
        _ = stream.beginSection(id: id, columns: columns)
        sectionIDs.append(id)
        writing = onlySection.map { $0 == id } ?? true
        guard writing else { return }
        if sectionsWritten > 0 { output += "\r\n" }
        sectionsWritten += 1
        output += format.record(columns.map(\.key))
        output += "\r\n"
        try output.flush(to: sink)
    }

    /// Writes one record.
    public func row(_ values: [ReportValue]) throws {
        let canonical = try stream.row(values)
        guard writing else { return }
        if !excel, values.count > 1 || !canonical.isEmpty {
            output += CSVRenderer.needsSafeCells(canonical, columns: stream.columns) ? safeLine(canonical) : canonical
        } else if values.count == 1, case .null = values[0] {
            output += "\"\""
        } else {
            for (index, value) in values.enumerated() {
                if index > 0 { output.append(String(format.separator)) }
                output += field(value)
            }
        }
        output += "\r\n"
        try output.flush(to: sink)
    }

    /// Writes one record given as its canonical line, which plain CSV writes as it is unless a
    /// text cell in it must be made safe to open.
    public func canonicalRow(_ line: String) throws {
        precondition(takesCanonicalLines, "CSV renderer: canonical lines in excel mode")
        stream.canonicalRow(line)
        guard writing else { return }
        // A lone null cell is `""`, so that the record never looks like the blank separator line.
        output += line.isEmpty ? "\"\"" : CSVRenderer.needsSafeCells(line, columns: stream.columns) ? safeLine(line) : line
        output += "\r\n"
        try output.flush(to: sink)
    }

    /// Ends the section (nothing to write).
    public func endSection() throws {
        stream.endSection()
        writing = false
    }

    /// Ends the file (nothing to write); `fingerprint` is now set.
    public func end() throws {
        _ = stream.end()
    }

    private func field(_ value: ReportValue) -> String {
        if case let .text(text) = value, !text.isEmpty { return format.field(CSVRenderer.safeText(text)) }
        return ReportFingerprint.canonicalField(value, format: format)
    }

    /// A text cell as it is safe to open: control characters shown, a formula's start defused.
    static func safeText(_ text: String) -> String {
        let shown = TerminalText.visible(text, keeping: ["\n", "\r", "\t"])
        guard let first = shown.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return shown }
        return "'" + shown
    }

    /// Whether a canonical line has a text cell `safeText` would change: one pass over its bytes
    /// (the common line has none and is written as it is).
    static func needsSafeCells(_ line: String, columns: [ReportColumn]) -> Bool {
        var utf8 = line.utf8.makeIterator()
        var column = 0, atFieldStart = true, inQuotes = false, afterOpeningQuote = false
        // The two bytes before this one, in two variables (no array: this runs for every byte of a report).
        var beforeLast: UInt8 = 0, last: UInt8 = 0
        while let byte = utf8.next() {
            defer { (beforeLast, last) = (last, byte) }
            // C0 controls but tab and line breaks, DEL; C1 (C2 80–9F); bidi overrides and isolates (E2 80 AA–AE, E2 81 A6–A9).
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
                || (last == 0xC2 && (0x80...0x9F).contains(byte))
                || (beforeLast == 0xE2 && last == 0x80 && (0xAA...0xAE).contains(byte))
                || (beforeLast == 0xE2 && last == 0x81 && (0xA6...0xA9).contains(byte)) { return true }
            if atFieldStart || afterOpeningQuote {
                let isText = column < columns.count && columns[column].kind == .text
                let opening = atFieldStart && byte == UInt8(ascii: "\"")
                if !opening, isText, Self.startsFormula(byte), !(afterOpeningQuote && byte == UInt8(ascii: "\"")) { return true }
                afterOpeningQuote = opening
                atFieldStart = false
            }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: ","), !inQuotes {
                column += 1
                atFieldStart = true
            }
        }
        return false
    }

    /// `=`, `+`, `-`, `@`, tab or CR: what a spreadsheet may read as the start of a formula.
    private static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        default: return false
        }
    }

    /// A canonical line with each text cell made safe; other cells as they were.
    private func safeLine(_ line: String) -> String {
        var cells: [(text: String, quoted: Bool)] = []
        var current = String.UnicodeScalarView(), quoted = false, inQuotes = false
        var scalars = line.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" { current.append("\""); pending = scalars.next() } else { inQuotes = false }
                } else {
                    current.append(scalar)
                }
            } else if scalar == "\"" {
                inQuotes = true
                quoted = true
            } else if scalar == "," {
                cells.append((String(current), quoted))
                current = String.UnicodeScalarView()
                quoted = false
            } else {
                current.append(scalar)
            }
        }
        cells.append((String(current), quoted))
        let columns = stream.columns
        return cells.enumerated().map { index, cell in
            guard index < columns.count, columns[index].kind == .text, !cell.text.isEmpty else {
                return cell.quoted ? (cell.text.isEmpty ? "\"\"" : format.field(cell.text)) : cell.text
            }
            return format.field(CSVRenderer.safeText(cell.text))
        }.joined(separator: ",")
    }
}
