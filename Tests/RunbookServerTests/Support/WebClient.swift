import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOPosix
import RunbookCore
@testable import RunbookServer

/// A browser's part, for the web page's tests: a session signed in through the sign-in form, its cookie and the CSRF
/// token its forms carry.
struct Browser: Sendable {
    let client: ServerFixture.Client
    let cookie: String
    let csrf: String

    /// Signs `person` in through `GET /login` and `POST /login`, as a browser does.
    static func signIn(_ client: ServerFixture.Client, as person: String, headers extra: HTTPFields = [:]) async throws -> Browser {
        let form = try await client.send(.get, "/login", as: nil)
        guard form.status == 200, let nonce = cookie(WebCookies.login, in: form.headers), let secret = client.fixture.secrets[person] else {
            throw FixtureError("no sign-in form: \(form.status) \(form.text)")
        }
        var headers = extra
        headers[.cookie] = "\(WebCookies.login)=\(nonce)"
        headers[.contentType] = "application/x-www-form-urlencoded"
        let reply = try await client.client.execute(uri: "/login", method: .post, headers: headers,
                                                    body: ByteBuffer(string: "login=\(nonce)&token=\(secret)"))
        guard reply.status == .seeOther, let session = cookie(WebCookies.session, in: reply.headers) else {
            throw FixtureError("sign-in refused: \(reply.status) \(String(buffer: reply.body))")
        }
        let cookie = "\(WebCookies.session)=\(session)"
        let page = try await Browser(client: client, cookie: cookie, csrf: "").get("/")
        guard let csrf = field("csrf", in: page.text) else { throw FixtureError("no CSRF token on the list page: \(page.text)") }
        return Browser(client: client, cookie: cookie, csrf: csrf)
    }

    /// The value a `Set-Cookie` header gives `name`.
    static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        for line in headers[values: .setCookie] where line.hasPrefix(name + "=") {
            return String(line.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    /// The value of the first `<input name=NAME value=…>` of a page.
    static func field(_ name: String, in html: String) -> String? {
        guard let start = html.firstRange(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> ServerFixture.Reply {
        var headers = extra
        headers[.cookie] = [headers[.cookie], cookie].compactMap { $0 }.joined(separator: "; ")
        let response = try await client.client.execute(uri: path, method: .get, headers: headers, body: nil)
        return ServerFixture.Reply(status: response.status.code, headers: response.headers, text: String(buffer: response.body))
    }

    /// Posts a form with the session's CSRF token (`csrf: nil` leaves it out, to test the refusal).
    func post(_ path: String, _ fields: [(String, String)] = [], csrf: String?? = .some(nil)) async throws -> ServerFixture.Reply {
        var all = fields
        switch csrf {
        case .some(.some(let value)): all.append(("csrf", value))
        case .some(.none): all.append(("csrf", self.csrf))
        case .none: break
        }
        var headers = HTTPFields()
        headers[.cookie] = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = all.map { "\(PercentEncoding.encode($0.0))=\(PercentEncoding.encode($0.1))" }.joined(separator: "&")
        let response = try await client.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return ServerFixture.Reply(status: response.status.code, headers: response.headers, text: String(buffer: response.body))
    }
}

/// One message of an event stream.
struct StreamMessage: Sendable, Equatable {
    var id: String?
    var event: String?
    var data: String
}

/// Reads an event stream over a raw socket (the test client waits for a whole body, which a stream never ends).
enum EventStreamReader {
    /// Opens `path`, runs `action` once the stream is open, and reads until `done` holds for the messages so far;
    /// fails after `timeout`.
    static func read(port: Int, path: String, headers: [(String, String)], timeout: Duration = .seconds(10),
                     action: @escaping @Sendable () async throws -> Void = {},
                     until done: @escaping @Sendable ([StreamMessage]) -> Bool) async throws -> (head: String, messages: [StreamMessage]) {
        try await withThrowingTaskGroup(of: (head: String, messages: [StreamMessage])?.self) { group in
            group.addTask {
                try await readStream(port: port, path: path, headers: headers, action: action, until: done)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            guard let first = try await group.next(), let result = first else {
                group.cancelAll()
                throw FixtureError("no such messages on \(path) within \(timeout)")
            }
            group.cancelAll()
            return result
        }
    }

    private static func readStream(port: Int, path: String, headers: [(String, String)], action: @escaping @Sendable () async throws -> Void,
                                   until done: @escaping @Sendable ([StreamMessage]) -> Bool) async throws -> (head: String, messages: [StreamMessage]) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let lines = ["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Accept: text/event-stream"] + headers.map { "\($0.0): \($0.1)" }
            try await outbound.write(ByteBuffer(string: lines.joined(separator: "\r\n") + "\r\n\r\n"))
            var bytes: [UInt8] = []
            var acted = false
            for try await buffer in inbound {
                bytes += Array(buffer.readableBytesView)
                guard let split = find([13, 10, 13, 10], in: bytes) else { continue }
                let head = String(decoding: bytes[..<split], as: UTF8.self)
                guard head.hasPrefix("HTTP/1.1 200") else { return (head, []) }
                let body = head.lowercased().contains("transfer-encoding: chunked")
                    ? dechunk(Array(bytes[(split + 4)...])) : Array(bytes[(split + 4)...])
                let text = String(decoding: body, as: UTF8.self)
                if !acted, text.contains("\n\n") {
                    acted = true
                    try await action()
                }
                let messages = parse(text)
                if done(messages) { return (head, messages) }
                // The last chunk: the server ended the response (the connection itself may stay open for the next).
                if head.lowercased().contains("transfer-encoding: chunked"), bytes.suffix(5) == Array("0\r\n\r\n".utf8) { break }
            }
            throw FixtureError("the stream \(path) ended")
        }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for index in 0...(bytes.count - needle.count) where Array(bytes[index..<(index + needle.count)]) == needle { return index }
        return nil
    }

    /// The bytes of a chunked body received so far (an incomplete last chunk is left out).
    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while let end = find([13, 10], in: Array(bytes[index...])) {
            let sizeText = String(decoding: bytes[index..<(index + end)], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16), index + end + 2 + size <= bytes.count else { break }
            out += bytes[(index + end + 2)..<(index + end + 2 + size)]
            index += end + 2 + size + 2
            if index >= bytes.count { break }
        }
        return out
    }

    /// The complete messages of an event stream's text (comments left out).
    static func parse(_ text: String) -> [StreamMessage] {
        var messages: [StreamMessage] = []
        var blocks: [Substring] = []
        var rest = Substring(text)
        while let end = rest.firstRange(of: "\n\n") {
            blocks.append(rest[..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        for block in blocks {
            var message = StreamMessage(id: nil, event: nil, data: "")
            var data: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix(":") { continue }
                if line.hasPrefix("id: ") { message.id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { message.event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
            }
            message.data = data.joined(separator: "\n")
            if message.event != nil || !data.isEmpty { messages.append(message) }
        }
        return messages
    }
}
