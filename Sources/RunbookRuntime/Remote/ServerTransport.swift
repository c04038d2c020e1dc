public import RunbookCore

/// How a command line talks to the team server (SPEC §10: `RUNBOOK_SERVER` and `RUNBOOK_TOKEN`, or `--server`). The
/// HTTP client behind it lives in the server binary, so that no networking code is linked into the local commands:
/// the runtime only says what to ask and reads the answers.
public protocol ServerTransport: Sendable {
    /// Sends one request (`path` under the server's address, with the caller's token) and returns the status and body.
    /// Throws only when the server could not be reached or did not answer.
    func send(_ method: String, _ path: String, body: String?) throws(UserError) -> (status: Int, body: String)

    /// As `send`, calling `whileWaiting` on this thread every few tens of milliseconds until the answer comes (a
    /// command step's run watches for Ctrl-C meanwhile).
    func send(_ method: String, _ path: String, body: String?, whileWaiting: () -> Void) throws(UserError) -> (status: Int, body: String)
}

extension ServerTransport {
    public func send(_ method: String, _ path: String, body: String?) throws(UserError) -> (status: Int, body: String) {
        try send(method, path, body: body, whileWaiting: {})
    }
}

/// The team server a command line works through: where it is and which token speaks for the caller.
public struct ServerAddress: Sendable, Equatable {
    /// `http://host:port` or `https://host[:port]`, without a trailing slash.
    public var base: String
    public var token: String

    /// The server named by `--server` or `RUNBOOK_SERVER`, with `RUNBOOK_TOKEN`; a usage error for an address that is
    /// not http(s) or a missing token.
    public init(url: String, token: String?) throws(UserError) {
        var base = String(url.trimmingWhitespace)
        while base.hasSuffix("/") { base.removeLast() }
        guard Self.isServerURL(base) else { throw UserError(.usage, Message.server(.badServerAddress(url))) }
        guard let token, !token.trimmingWhitespace.isEmpty else { throw UserError(.usage, Message.server(.tokenNeeded(base))) }
        self.base = base
        self.token = String(token.trimmingWhitespace)
    }

    /// `http://HOST[:PORT]` or `https://HOST[:PORT]`: a host of letters, digits, dots, hyphens (or a bracketed IPv6
    /// address), a port from 1 to 65535, and nothing else (no path, query, fragment or credentials).
    static func isServerURL(_ text: String) -> Bool {
        let rest: Substring
        if text.hasPrefix("http://") { rest = text.dropFirst(7) } else if text.hasPrefix("https://") { rest = text.dropFirst(8) } else { return false }
        var host = rest
        var port: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        } else {
            if let colon = rest.firstIndex(of: ":") {
                host = rest[..<colon]
                port = rest[rest.index(after: colon)...]
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else { return false }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
                  (1...65535).contains(number) else { return false }
        }
        return true
    }
}

/// A request's answer, read: a JSON body for 2xx, the problem body's sentence as the error the command line would
/// have given (SPEC §10: a refusal carries the engine's sentence) otherwise.
public enum ServerAnswer {
    public static func json(_ answer: (status: Int, body: String), server: String) throws(UserError) -> JSONValue {
        guard (200..<300).contains(answer.status) else { throw error(answer, server: server) }
        do {
            return try JSONValue(parsing: answer.body)
        } catch {
            throw UserError(.failed, Message.server(.badAnswer(server: server, detail: "not JSON")))
        }
    }

    /// The error a failed answer stands for, with the exit code the same failure has locally.
    public static func error(_ answer: (status: Int, body: String), server: String) -> UserError {
        // Only a problem body (RFC 9457) speaks for the server; anything else is not a runbook server's answer.
        guard let problem = try? JSONValue(parsing: answer.body), let said = problem["detail"]?.string ?? problem["title"]?.string else {
            return UserError(.failed, Message.server(.badAnswer(server: server, detail: "\(answer.status) without a problem body")))
        }
        // Printed on the responder's terminal: the server's words with their control characters shown as text.
        let detail = TextHygiene.escape(said)
        switch answer.status {
        case 401:
            return UserError(.usage, Message.server(.tokenRefused(server: server, detail: detail)))
        case 404:
            var error = UserError(.usage, detail)
            if problem["code"]?.string == "unknown-incident" { error.cause = UserError.Cause.unknownIncident }
            return error
        case 412:
            var error = UserError(.failed, detail)
            error.cause = UserError.Cause.changedSince
            return error
        case 400, 413, 422:
            return UserError(.usage, detail)
        case 409:
            return UserError(.failed, detail)
        case 500:
            return UserError(.data, Message.server(.serverFailed(server: server, detail: detail)))
        default:
            return UserError(.failed, Message.server(.serverFailed(server: server, detail: "\(answer.status) \(detail)")))
        }
    }
}
