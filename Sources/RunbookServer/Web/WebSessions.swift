import Hummingbird
import RunbookCore
import RunbookRuntime

/// A signed-in browser: a random id in the `runbook_session` cookie, the token it signed in with (read again on each
/// request, so a revoked token ends the session), and the CSRF token every form of the session carries.
struct WebSession: Sendable, Equatable {
    let id: String
    let tokenID: String
    let csrf: String
}

/// What an action said, shown once on the next page of the session.
struct Flash: Sendable, Equatable {
    var refused: Bool
    var text: String
}

/// The sessions of this server process, in memory: a restart signs everyone out, which a token undoes.
///
/// A session left unused for `idleLimit` ends (a browser left open on a shared screen after the incident); one in use
/// goes on for as long as the incident does.
actor WebSessions {
    private var sessions: [String: WebSession] = [:]
    private var flashes: [String: Flash] = [:]
    private var lastUsed: [String: Instant] = [:]
    /// The most sessions kept; the oldest go first beyond it.
    private let limit: Int
    private var order: [String] = []
    private let clock: any WallClock
    /// 12 hours: the team's choice (the manual sets no limit), a long on-call shift with the page left open.
    static let idleLimit = RunbookDuration(seconds: 12 * 3600)

    init(limit: Int = 10_000, clock: any WallClock = SystemClock()) {
        self.limit = limit
        self.clock = clock
    }

    func create(tokenID: String) -> WebSession {
        let session = WebSession(id: Self.randomHex(bytes: 32), tokenID: tokenID, csrf: Self.randomHex(bytes: 32))
        sessions[session.id] = session
        lastUsed[session.id] = clock.now()
        order.append(session.id)
        if order.count > limit {
            let oldest = order.removeFirst()
            sessions[oldest] = nil
            flashes[oldest] = nil
            lastUsed[oldest] = nil
        }
        return session
    }

    /// The session `id`, counted as used now; nil when unknown or idle for longer than `idleLimit` (it ends then).
    func session(_ id: String) -> WebSession? {
        guard let session = sessions[id], let used = lastUsed[id] else { return nil }
        let now = clock.now()
        guard now.milliseconds(since: used) <= Self.idleLimit.seconds * 1000 else {
            end(id)
            return nil
        }
        lastUsed[id] = now
        return session
    }

    func end(_ id: String) {
        sessions[id] = nil
        flashes[id] = nil
        lastUsed[id] = nil
        order.removeAll { $0 == id }
    }

    func setFlash(_ flash: Flash, for id: String) { flashes[id] = flash }

    func takeFlash(_ id: String) -> Flash? { flashes.removeValue(forKey: id) }

    /// `bytes` random bytes from the system's generator, in hex (32 bytes: a 256-bit id).
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var out = ""
        for _ in 0..<count {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return out
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// A request's `application/x-www-form-urlencoded` body.
struct WebForm: Sendable {
    let fields: [String: String]

    init(fields: [String: String]) {
        self.fields = fields
    }

    init(_ request: Request) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: 256 * 1024)
        fields = Self.parse(String(buffer: buffer))
    }

    subscript(_ name: String) -> String? { fields[name] }

    /// The value of `name`, nil when absent or only whitespace.
    func text(_ name: String) -> String? {
        guard let value = fields[name], !value.trimmingWhitespace.isEmpty else { return nil }
        return value
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(parts[0], plusIsSpace: true)
            // The first value of a repeated name counts, as a single-valued form sends it.
            if fields[name] == nil { fields[name] = parts.count > 1 ? PercentEncoding.decode(parts[1], plusIsSpace: true) : "" }
        }
        return fields
    }
}

/// The cookies and the language of the web front end.
enum WebCookies {
    static let session = "runbook_session"
    static let language = "runbook_lang"
    /// The double-submit value of the sign-in form, which has no session yet.
    static let login = "runbook_login"

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, and Secure when the request came through TLS.
    static func set(_ name: String, _ value: String, request: Request, maxAge: Int? = nil) -> String {
        var cookie = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        if request.headers[.xForwardedProto]?.lowercased() == "https" { cookie += "; Secure" }
        return cookie
    }

    static func value(_ name: String, in request: Request) -> String? {
        request.cookies[name].map { String($0.value) }
    }

    /// The reader's language: `?lang=ko|en`, else the cookie it set, else the first language of `Accept-Language`.
    static func language(of request: Request) -> (language: Language, chosen: String?) {
        if let chosen = request.uri.queryParameters["lang"].map(String.init), chosen == "ko" || chosen == "en" {
            return (chosen == "ko" ? .korean : .english, chosen)
        }
        if let saved = value(language, in: request), saved == "ko" || saved == "en" {
            return (saved == "ko" ? .korean : .english, nil)
        }
        let first = request.headers[.acceptLanguage]?.split(separator: ",").first.map { String($0).trimmingWhitespace.lowercased() } ?? ""
        return (first.hasPrefix("ko") ? .korean : .english, nil)
    }
}
