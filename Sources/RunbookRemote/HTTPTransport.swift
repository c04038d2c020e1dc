import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import RunbookCore
public import RunbookRuntime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP client of a command line working through a team server (SPEC §10), on AsyncHTTPClient: plain HTTP on a
/// trusted network or loopback, HTTPS (the system's trusted certificates) through the team's reverse proxy.
///
/// The command line's service reads and acts synchronously, one request at a time, so each request waits for its
/// answer here; the client's own threads do the work.
public struct HTTPTransport: ServerTransport {
    let address: ServerAddress

    public init(_ address: ServerAddress) {
        self.address = address
    }

    /// How long an answer may take: a command step runs on the server for as long as its own timeout allows.
    static func deadline(for path: String) -> TimeAmount {
        path.hasSuffix("/run") ? .hours(12) : .seconds(60)
    }

    public func send(_ method: String, _ path: String, body: String?, whileWaiting: () -> Void) throws(UserError) -> (status: Int, body: String) {
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders()
            headers.add(name: "Authorization", value: "Bearer \(address.token)")
            headers.add(name: "Accept", value: "application/json")
            headers.add(name: "Accept-Language", value: Language.current == .korean ? "ko" : "en")
            if body != nil { headers.add(name: "Content-Type", value: "application/json") }
            // The command line reads what an action recorded, never the incident's view the reply can carry.
            if method == "POST" { headers.add(name: "Prefer", value: "return=minimal") }
            request = try HTTPClient.Request(url: address.base + path, method: HTTPMethod(rawValue: method), headers: headers,
                                             body: body.map { .string($0) })
        } catch {
            throw UserError(.usage, Message.server(.badServerAddress(address.base)))
        }
        let answer = Answer()
        client.execute(request: request, deadline: .now() + Self.deadline(for: path)).whenComplete { result in
            answer.settle(result)
        }
        switch answer.wait(whileWaiting) {
        case .success(let response):
            return (Int(response.status.code), response.body.map { String(buffer: $0) } ?? "")
        case .failure(let error):
            throw UserError(.failed, Message.server(.unreachable(server: address.base, reason: Self.reason(error))))
        }
    }

    /// A transport failure in a few words.
    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout { return "no answer in time" }
            if error == .connectTimeout { return "connection timed out" }
            if error == .remoteConnectionClosed { return "the connection closed" }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("SSL") || text.contains("TLS") || text.contains("handshake") || text.contains("certificate") {
            return "the TLS handshake failed: is it an https server, with a certificate this machine trusts?"
        }
        if text.contains("NXDOMAIN") || text.contains("resolve") || text.contains("lookup") { return "its name does not resolve" }
        return "the connection failed"
    }
}

/// The process's one client, never shut down (the process ends with the command). A refused connection fails at once
/// rather than being retried for the connect timeout: the responder is told now that the server is not there.
private let client: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: nil)
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()

/// One answer awaited by a caller outside Swift concurrency (the command line's synchronous service).
private final class Answer: Sendable {
    private let state = Mutex<Result<HTTPClient.Response, any Error>?>(nil)

    func settle(_ result: Result<HTTPClient.Response, any Error>) {
        state.withLock { $0 = result }
    }

    func wait(_ whileWaiting: () -> Void) -> Result<HTTPClient.Response, any Error> {
        // The answer comes on the client's event loop thread; a poll of half a millisecond costs nothing beside the
        // network, and `whileWaiting` runs every 50 ms.
        var polls = 0
        while true {
            if let result = state.withLock({ $0 }) { return result }
            usleep(500)
            polls += 1
            if polls % 100 == 0 { whileWaiting() }
        }
    }
}
