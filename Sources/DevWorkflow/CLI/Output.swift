import Foundation

/// Where a command writes: standard output or error, or a buffer in tests.
package final class TextOutput {
    /// The file descriptor written to; nil for a capture.
    package private(set) var descriptor: Int32?
    private var buffer: [UInt8] = []
    /// Everything written, when this output is a capture.
    package private(set) var captured: [UInt8] = []

    /// Writes to a file descriptor, buffered.
    package init(descriptor: Int32) { self.descriptor = descriptor }
    /// Captures what is written (tests).
    package init() { self.descriptor = nil }

    package var capturedText: String { String(decoding: captured, as: UTF8.self) }

    /// Whether this writes to a terminal.
    package var isTerminal: Bool { descriptor.map(Terminal.isTerminal) ?? false }

    /// The terminal a pager shows this output on, once diverted into the pager.
    package private(set) var pagedTerminal: Int32?

    /// Whether a person reads this on a terminal, straight or through a pager.
    package var isRead: Bool { isTerminal || pagedTerminal != nil }

    /// From now on writes to `descriptor` instead (a pager's pipe), after what is buffered.
    package func divert(to descriptor: Int32) {
        flush()
        if let shown = self.descriptor {
            if Terminal.isTerminal(shown) { pagedTerminal = shown }
            self.descriptor = descriptor
        }
    }

    package func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    package func write(bytes: some Collection<UInt8>) {
        guard descriptor != nil else { captured.append(contentsOf: bytes); return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    package func line(_ text: String) { write(text + "\n") }

    package func flush() {
        guard let descriptor, !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue }; break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
