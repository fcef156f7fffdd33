/// The text one renderer call produces, handed to the sink in one `write` when the call ends.
///
/// Holds at most one event's text (a row, a section start), never earlier rows;
/// `peakBufferedBytes` lets tests check that.
struct ReportOutput {
    private(set) var text = ""
    /// The most UTF-8 bytes held at once since this output was made.
    private(set) var peakBufferedBytes = 0

    mutating func append(_ piece: String) { text += piece }

    static func += (output: inout ReportOutput, piece: String) { output.append(piece) }

    /// Writes what was collected and empties the buffer.
    mutating func flush(to sink: any ReportSink) throws {
        guard !text.isEmpty else { return }
        peakBufferedBytes = max(peakBufferedBytes, text.utf8.count)
        try sink.write(text)
        text.removeAll(keepingCapacity: true)
    }
}
