import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 server on 127.0.0.1 and a free port, for the webhook tests.
///
/// One background thread accepts connections one at a time, reads a request (headers and a
/// `Content-Length` body), records it, and either answers with a fixed status or never answers
/// (holding the connection open until `stop`); a 3xx answer points to `/elsewhere`. Not a general server: just enough for URLSession.
final class TestHTTPServer: @unchecked Sendable {
    // @unchecked Sendable: the mutable state below is only touched with `lock` held.
    enum Behaviour: Sendable {
        case respond(status: Int)
        case neverAnswer
        /// The status a function of the request decides.
        case decide(@Sendable (Request) -> Int)
    }

    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names in lower case.
        var headers: [String: String]
        var body: Data
    }

    let port: UInt16
    private let listener: Int32
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var received: [Request] = []
    private var held: [Int32] = []
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hooks/devworkflow?token=secret")! }

    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Stops accepting and closes every held connection.
    ///
    /// The listening socket is closed only after the accept thread has left: closed earlier, its
    /// descriptor number could be reused by another test's socket and accepted from by mistake.
    func stop() {
        lock.lock()
        stopped = true
        let connections = held
        held = []
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
        for connection in connections { close(connection) }
    }

    private func acceptLoop() {
        defer { finished.signal() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            let isStopped = stopped
            lock.unlock()
            if isStopped {
                close(client)
                return
            }
            handle(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var request = Request(method: "", path: "", headers: [:], body: Data())
        var bodyLength = 0
        while true {
            if headerEnd == nil, let end = buffer.firstRange(of: separator)?.lowerBound {
                headerEnd = end
                let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let start = lines[0].split(separator: " ")
                request.method = start.first.map(String.init) ?? ""
                request.path = start.count > 1 ? String(start[1]) : ""
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    request.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                bodyLength = Int(request.headers["content-length"] ?? "0") ?? 0
                if request.headers["expect"]?.lowercased() == "100-continue" { send(client, "HTTP/1.1 100 Continue\r\n\r\n") }
            }
            if let end = headerEnd, buffer.count >= end + 4 + bodyLength {
                request.body = Data(buffer[(end + 4)..<(end + 4 + bodyLength)])
                break
            }
            let n = recv(client, &chunk, chunk.count, 0)
            if n <= 0 { break }
            buffer += chunk[0..<n]
        }
        lock.lock()
        received.append(request)
        lock.unlock()
        var answer = behaviour
        if case let .decide(decide) = behaviour { answer = .respond(status: decide(request)) }
        switch answer {
        case let .respond(status):
            // 503 answers with no text at all, as an overloaded proxy does.
            let body = status < 300 ? "ok" : status == 503 ? "" : "it broke"
            let location = (300..<400).contains(status) ? "Location: /elsewhere\r\n" : ""
            send(client, "HTTP/1.1 \(status) Test\r\n\(location)Content-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n\(body)")
            close(client)
        case .neverAnswer:
            lock.lock()
            if stopped { close(client) } else { held.append(client) }
            lock.unlock()
        case .decide:
            close(client)
        }
    }

    private func send(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
