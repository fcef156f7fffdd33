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
/// order mark, `;` between fields, a decimal comma in money and decimals (`-1234,50`), and text
/// cells that start with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so that a spreadsheet
/// does not run them as formulas. Numbers never have thousands separators; dates and timestamps
/// stay ISO 8601 in both modes.
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
            output += canonical
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

    /// Writes one record given as its canonical line, which plain CSV writes as it is.
    public func canonicalRow(_ line: String) throws {
        precondition(takesCanonicalLines, "CSV renderer: canonical lines in excel mode")
        stream.canonicalRow(line)
        guard writing else { return }
        // A lone null cell is `""`, so that the record never looks like the blank separator line.
        output += line.isEmpty ? "\"\"" : line
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
        if excel, case let .text(text) = value, let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            return format.field("'" + text)
        }
        return ReportFingerprint.canonicalField(value, format: format)
    }
}
