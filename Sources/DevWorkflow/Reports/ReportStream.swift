/// The call order every renderer follows, and what all formats share: the fingerprint, row
/// counts, the charts waiting for their section, and the checks on each row.
///
/// A pure state machine (no I/O): each event checks that it may happen now and returns what the
/// renderer needs to write. Calls out of order, rows of the wrong shape and bad ids are bugs in
/// the calling code and trap; a `.decimal` that is not a plain decimal number is data and throws.
struct ReportStream {
    enum State {
        case ready
        case open
        case inSection
        case ended
    }

    private(set) var state = State.ready
    private(set) var header: ReportHeader?
    /// The open section's columns.
    private(set) var columns: [ReportColumn] = []
    /// How many sections have begun.
    private(set) var sectionCount = 0
    /// Rows of the open (or last) section.
    private(set) var sectionRowCount = 0
    /// Rows of the whole report.
    private(set) var rowCount = 0
    /// Set by `end()`.
    private(set) var digest: String?
    private var pendingCharts: [ReportChart] = []
    private var sectionIDs: Set<String> = []
    private var fingerprint = ReportFingerprint()

    mutating func begin(_ header: ReportHeader) {
        precondition(state == .ready, "report renderer: begin() called twice")
        precondition(ReportColumn.isSnakeCase(header.id), "report id '\(header.id)' is not snake_case")
        precondition(Set(header.parameters.map(\.name)).count == header.parameters.count, "report '\(header.id)': parameter names repeat")
        self.header = header
        state = .open
    }

    /// Keeps a chart until its section begins; returns how many charts are now waiting.
    @discardableResult
    mutating func chart(_ chart: ReportChart) -> Int {
        precondition(state == .open, "report renderer: chart() must come after begin() and outside a section")
        pendingCharts.append(chart)
        return pendingCharts.count
    }

    /// Opens a section; returns the charts that illustrate it.
    mutating func beginSection(id: String, columns: [ReportColumn]) -> [ReportChart] {
        precondition(state == .open, "report renderer: beginSection() must come after begin() and outside a section")
        precondition(ReportColumn.isSnakeCase(id), "report section id '\(id)' is not snake_case")
        precondition(sectionIDs.insert(id).inserted, "report section id '\(id)' is used twice")
        precondition(Set(columns.map(\.key)).count == columns.count, "report section '\(id)': column keys repeat")
        self.columns = columns
        sectionCount += 1
        sectionRowCount = 0
        fingerprint.beginSection(id: id)
        state = .inSection
        defer { pendingCharts = [] }
        return pendingCharts
    }

    /// Checks a row and adds it to the fingerprint; returns its canonical CSV line.
    mutating func row(_ values: [ReportValue]) throws -> String {
        precondition(state == .inSection, "report renderer: row() outside a section")
        precondition(values.count == columns.count, "report row has \(values.count) values for \(columns.count) columns")
        for (value, column) in zip(values, columns) {
            if let kind = value.kind {
                precondition(kind == column.kind, "report column '\(column.key)' is \(column.kind.rawValue) but got a \(kind.rawValue) value")
            }
            if case let .decimal(text) = value, !ReportStream.isPlainDecimal(text) {
                throw WorkflowError(.invalidData, Message("error.report_number", ["value": "\(text.prefix(40))", "column": "\(column.key)"]))
            }
        }
        let line = ReportFingerprint.canonicalLine(values)
        fingerprint.add(line: line)
        sectionRowCount += 1
        rowCount += 1
        return line
    }

    /// Adds a row given as its canonical line (made by the database; see `ReportFingerprint`).
    mutating func canonicalRow(_ line: String) {
        precondition(state == .inSection, "report renderer: row() outside a section")
        fingerprint.add(line: line)
        sectionRowCount += 1
        rowCount += 1
    }

    mutating func endSection() {
        precondition(state == .inSection, "report renderer: endSection() without beginSection()")
        columns = []
        state = .open
    }

    /// Ends the report; returns the fingerprint.
    mutating func end() -> String {
        precondition(state == .open, "report renderer: end() must come after begin() and outside a section")
        precondition(pendingCharts.isEmpty, "report renderer: a chart must be followed by the section it illustrates")
        let digest = fingerprint.hexDigest
        self.digest = digest
        state = .ended
        return digest
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: valid as a JSON number and as CSV text.
    static func isPlainDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit: (UInt8) -> Bool = { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        let whole = bytes.prefix(while: isDigit)
        guard !whole.isEmpty, whole.count == 1 || whole.first != UInt8(ascii: "0") else { return false }
        let rest = bytes.dropFirst(whole.count)
        if rest.isEmpty { return true }
        guard rest.first == UInt8(ascii: "."), rest.count > 1 else { return false }
        return rest.dropFirst().allSatisfy(isDigit)
    }
}
