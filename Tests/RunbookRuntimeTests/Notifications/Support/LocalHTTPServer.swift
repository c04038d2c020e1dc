#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An HTTP/1.1 server on 127.0.0.1 and an ephemeral port that answers every request with one status.
///
/// It serves one connection at a time on its own thread (blocking `accept` must not hold a cooperative
/// thread of the Swift runtime), records each request, and closes the connection after answering.
/// With a `delay`, it holds the answer back until the delay has passed or the client hangs up, so a
/// client that gives up at its timeout ends the wait at once.
final class LocalHTTPServer: Sendable {
    /// A request as received.
    struct Request: Sendable, Equatable {
        var method: String
        var target: String
        /// Header values by lowercased name.
        var headers: [String: String]
        var body: String
    }

    /// The port the server listens on, chosen by the system.
    let port: UInt16
    private let state: ServerState
    private let thread: pthread_t

    init(status: Int = 200, delay: Duration = .zero) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw SocketError("socket") }
        var address = Sockets.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0, let port = Sockets.port(of: listener) else {
            close(listener)
            throw SocketError("bind or listen")
        }
        let state = ServerState(listener: listener, status: status, delay: delay)
        let context = Unmanaged.passRetained(state).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<ServerState>.fromOpaque(context).takeRetainedValue().serve()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<ServerState>.fromOpaque(context).release()
            close(listener)
            throw SocketError("pthread_create")
        }
        self.port = port
        self.state = state
        self.thread = thread
    }

    deinit {
        // Wakes the blocked `accept` (Linux fails it with EINVAL), then waits for the thread to end.
        shutdown(state.listener, Int32(SHUT_RDWR))
        pthread_join(thread, nil)
        close(state.listener)
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// The requests received so far, oldest first.
    var requests: [Request] {
        state.requests.withLock { $0 }
    }
}

/// What the server thread works with.
private final class ServerState: Sendable {
    let listener: Int32
    let status: Int
    let delay: Duration
    let requests = Mutex<[LocalHTTPServer.Request]>([])

    init(listener: Int32, status: Int, delay: Duration) {
        self.listener = listener
        self.status = status
        self.delay = delay
    }

    /// Accepts and answers connections until the listening socket is shut down.
    func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        // A client that stops sending does not hang the server (or the test that stops it).
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = read(client) else { return }
        requests.withLock { $0.append(request) }
        if delay > .zero {
            let parts = delay.components
            let milliseconds = Int32(parts.seconds * 1_000 + parts.attoseconds / 1_000_000_000_000_000)
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            // Readable here means the client hung up: it has nothing more to send.
            _ = poll(&descriptor, 1, milliseconds)
        }
        let response = "HTTP/1.1 \(status) \(status < 300 ? "OK" : "Error")\r\nContent-Type: text/plain\r\n"
            + "Content-Length: 2\r\nConnection: close\r\n\r\nok"
        var bytes = Array(response.utf8)
        _ = send(client, &bytes, bytes.count, Int32(MSG_NOSIGNAL))
    }

    /// Reads one request: the head up to the blank line, then `Content-Length` bytes of body.
    private func read(_ client: Int32) -> LocalHTTPServer.Request? {
        var data: [UInt8] = []
        var headEnd: Int?
        var chunk = [UInt8](repeating: 0, count: 4096)
        var expected = Int.max
        while data.count < expected {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return nil }
            data += chunk[0..<count]
            if headEnd == nil, let end = Self.blankLine(in: data) {
                headEnd = end
                let head = String(decoding: data[..<end], as: UTF8.self)
                let length = Self.headers(of: head)["content-length"].flatMap { Int($0) } ?? 0
                expected = end + 4 + length
            }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: data[..<headEnd], as: UTF8.self)
        let requestLine = head.split(separator: "\r\n", omittingEmptySubsequences: false).first ?? ""
        let words = requestLine.split(separator: " ")
        guard words.count == 3 else { return nil }
        return LocalHTTPServer.Request(method: String(words[0]), target: String(words[1]),
                                       headers: Self.headers(of: head),
                                       body: String(decoding: data[(headEnd + 4)...], as: UTF8.self))
    }

    /// Where the `\r\n\r\n` that ends the head starts.
    private static func blankLine(in data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4)
        where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func headers(of head: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            headers[line[..<colon].lowercased()] = String(value)
        }
        return headers
    }
}

/// A port on 127.0.0.1 that refuses connections: bound, so nobody else takes it, but not listening.
final class RefusingPort {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket") }
        var address = Sockets.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, let port = Sockets.port(of: descriptor) else {
            close(descriptor)
            throw SocketError("bind")
        }
        self.port = port
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}

/// A socket call that failed while setting up a test server.
struct SocketError: Error, CustomStringConvertible {
    var call: String
    var code: Int32

    init(_ call: String) {
        self.call = call
        self.code = errno
    }

    var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}

/// Small helpers over the C socket API.
private enum Sockets {
    /// 127.0.0.1 and `port`.
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// The local port `descriptor` is bound to.
    static func port(of descriptor: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return result == 0 ? UInt16(bigEndian: address.sin_port) : nil
    }
}
