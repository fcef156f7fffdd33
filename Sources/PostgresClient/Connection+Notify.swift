import Foundation
internal import CPostgres

extension Connection {
    // MARK: LISTEN / NOTIFY

    /// A notification received on a channel this connection listens to.
    public struct Notification: Sendable, Equatable {
        public let channel: String
        public let payload: String
        public let senderPID: Int32
    }

    /// Starts listening on a channel (the name is quoted as an identifier).
    public func listen(_ channel: String) throws {
        try execute(SQL(unsafe: "LISTEN " + quoteIdentifier(channel)))
    }

    /// Sends a notification on a channel.
    public func notify(_ channel: String, payload: String = "") throws {
        try execute(Connection.notification(channel, payload: payload))
    }

    /// The statement that sends a notification, for callers that pipeline it after others.
    public static func notification(_ channel: String, payload: String = "") -> SQL {
        "SELECT pg_notify(\(channel), \(payload))"
    }

    /// Waits up to `timeout` seconds for notifications and returns those that arrived (maybe none).
    /// Throws `connectionLost` when the connection breaks while waiting.
    public func waitForNotifications(timeout: Double) throws -> [Notification] {
        var received = collectNotifications()
        if !received.isEmpty { return received }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, timeout * 1000)))
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else { throw connectionError(sql: nil) }
            received = collectNotifications()
        }
        if !isOK { throw connectionError(sql: nil) }
        return received
    }

    func collectNotifications() -> [Notification] {
        var received: [Notification] = []
        while let raw = PQnotifies(handle) {
            defer { PQfreemem(raw) }
            received.append(Notification(channel: String(cString: raw.pointee.relname),
                                         payload: String(cString: raw.pointee.extra),
                                         senderPID: raw.pointee.be_pid))
        }
        return received
    }
}
