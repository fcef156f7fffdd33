import Dispatch
import Foundation

/// A stop request that a signal, or code, can raise, and a file descriptor `poll` can wait on.
///
/// SIGTERM and SIGINT are turned into a write on a pipe by dispatch signal sources, so the run
/// loop waits on the database socket and the stop pipe together and wakes at once for either.
public final class StopSignal: @unchecked Sendable {
    // Safe to share: the descriptors never change after init, writes and polls on a pipe are
    // thread-safe, and the sources are only touched in init.
    let readDescriptor: Int32
    let writeDescriptor: Int32
    private var sources: [any DispatchSourceSignal] = []

    public init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "cannot create the stop pipe")
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    /// Raises the stop on these signals (default SIGTERM, SIGINT).
    public func install(signals: [Int32] = [SIGTERM, SIGINT], onSignal: (@Sendable (Int32) -> Void)? = nil) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                onSignal?(number)
                self?.trigger()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Asks the loop to stop.
    public func trigger() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Whether a stop was asked for.
    public var isTriggered: Bool {
        var descriptor = pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// Waits up to `timeout` seconds for the stop or for `descriptor` to become readable.
    /// Returns true when the descriptor is readable.
    public func wait(for descriptor: Int32?, timeout: TimeInterval) -> Bool {
        var fds = [pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0)]
        if let descriptor { fds.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
        let milliseconds = Int32(max(0, min(timeout, 3600)) * 1000)
        guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return false }
        return fds.count > 1 && fds[1].revents != 0
    }

    deinit {
        sources.forEach { $0.cancel() }
        close(readDescriptor)
        close(writeDescriptor)
    }
}
