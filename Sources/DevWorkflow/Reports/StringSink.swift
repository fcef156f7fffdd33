/// A sink that keeps everything in memory: for tests and small outputs.
public final class StringSink: ReportSink {
    /// Everything written so far.
    public private(set) var text = ""

    /// An empty sink.
    public init() {}

    /// Appends text.
    public func write(_ text: String) { self.text += text }
}
