public import RunbookCore

/// How a command line talks to the team server (SPEC §10: `RUNBOOK_SERVER` and `RUNBOOK_TOKEN`, or `--server`). The
/// HTTP client behind it lives in the server binary, so that no networking code is linked into the local commands:
/// the runtime only says what to ask and reads the answers.
public protocol ServerTransport: Sendable {
    /// Sends one request (`path` under the server's address, with the caller's token) and returns the status and body.
    /// Throws only when the server could not be reached or did not answer.
    func send(_ method: String, _ path: String, body: String?) throws(UserError) -> (status: Int, body: String)
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
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), base.split(separator: "/").count == 2 else {
            throw UserError(.usage, Message.server(.badServerAddress(url)))
        }
        guard let token, !token.trimmingWhitespace.isEmpty else { throw UserError(.usage, Message.server(.tokenNeeded(base))) }
        self.base = base
        self.token = String(token.trimmingWhitespace)
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
        let problem = try? JSONValue(parsing: answer.body)
        let detail = problem?["detail"]?.string ?? problem?["title"]?.string
            ?? String(String(answer.body.prefix(200)).trimmingWhitespace)
        switch answer.status {
        case 401:
            return UserError(.usage, Message.server(.tokenRefused(server: server, detail: detail)))
        case 404:
            var error = UserError(.usage, detail)
            if problem?["code"]?.string == "unknown-incident" { error.cause = UserError.Cause.unknownIncident }
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
