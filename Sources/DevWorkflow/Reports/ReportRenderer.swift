/// Writes a report in one format, streamed: every call writes its part to the sink at once.
///
/// Calls come in this order (anything else is a programming error and traps):
///
///     begin(header)
///     ( chart(…)*  beginSection(…)  row(…)*  endSection() )*
///     end()
///
/// A chart illustrates the section that follows it, so `chart(_:)` is called between sections
/// and at least one `beginSection` must follow it. Rows are not kept: memory stays the same
/// however many rows pass through. A row must have one value per column, each `.null` or of the
/// column's kind (traps otherwise); a malformed `.decimal` text throws `invalidData`. Errors from
/// the sink are passed on; after a throw the output is incomplete and should be discarded.
///
/// After `end()`, `fingerprint` is the SHA-256 of the content rows, the same in every format
/// (see `ReportFingerprint`).
public protocol ReportRenderer: AnyObject {
    /// Starts the document: title, as-of time, parameters.
    func begin(_ header: ReportHeader) throws
    /// Adds a chart; it is shown with the next section.
    func chart(_ chart: ReportChart) throws
    /// Starts a section (a table): `id` is snake_case and unique within the report.
    func beginSection(id: String, title: String, columns: [ReportColumn]) throws
    /// Writes one row of the open section.
    func row(_ values: [ReportValue]) throws
    /// Ends the open section.
    func endSection() throws
    /// Ends the document (footer with as-of time and fingerprint, where the format has one).
    func end() throws
    /// The SHA-256 of the content rows as 64 hex digits, once `end()` has returned; nil before.
    var fingerprint: String? { get }
    /// The number of rows written so far, over all sections.
    var rowCount: Int { get }
    /// The language of the report's titles and words; reports write their titles in it.
    var language: Language { get }
    /// Whether this renderer takes a section's rows as canonical lines (see `ReportFingerprint`)
    /// made by the database, instead of as values: plain CSV writes those lines as they are, so
    /// the client need not decode and re-encode every cell.
    var takesCanonicalLines: Bool { get }
    /// Writes one row of the open section given as its canonical line; only called when
    /// `takesCanonicalLines` is true.
    func canonicalRow(_ line: String) throws
}

extension ReportRenderer {
    /// Renderers take values unless they say otherwise.
    public var takesCanonicalLines: Bool { false }

    public func canonicalRow(_ line: String) throws {
        preconditionFailure("report renderer: canonicalRow() on a renderer that takes values")
    }

    /// A catalogue text in the report's language.
    public func text(_ key: String, _ arguments: [String: MessageArgument] = [:]) -> String {
        Message(key, arguments).text(language)
    }
}
