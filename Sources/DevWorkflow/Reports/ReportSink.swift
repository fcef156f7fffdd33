/// Where a renderer's text goes: a file (`AtomicFileSink`), a string (`StringSink`), standard
/// output, a socket.
///
/// Renderers call `write` once per event (a row, a section start), so a sink that talks to the
/// system should buffer.
public protocol ReportSink: AnyObject {
    /// Appends text; throws when it cannot be written.
    func write(_ text: String) throws
}
