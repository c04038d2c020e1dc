import Hummingbird
import RunbookCore
import RunbookRuntime

/// The request context of the team server: the core context and who is calling (set by `TokenAuthentication`).
struct ServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The token the request presented; every route under /api/v1 but the alert webhooks has one.
    var caller: AccessToken?

    init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The caller, which the authentication middleware guarantees on the routes it guards.
    func requireCaller() throws(Problem) -> AccessToken {
        guard let caller else { throw Problem.unauthorized(Message.server(.authMissing).text()) }
        return caller
    }
}

/// Every request under /api/v1 carries `Authorization: Bearer TOKEN`; the token names the person who acts.
struct TokenAuthentication: RouterMiddleware {
    typealias Context = ServerContext
    let desks: Desks

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let secret = Self.bearer(request) else {
            throw Problem.unauthorized(Message.server(.authMissing).text())
        }
        var context = context
        context.caller = try await desks.reader().authenticate(secret)
        return try await next(request, context)
    }

    /// The secret of an `Authorization: Bearer SECRET` header; nil without one (or with another scheme). The token
    /// routes, the event streams and the alert webhooks all read it here.
    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(String(parts[1]).trimmingWhitespace)
    }
}

/// The desks of one database: one for every write, so appends never race each other inside the server, and a few
/// for reads, which SQLite's write-ahead log lets run beside the writes.
struct Desks: Sendable {
    let writer: IncidentDesk
    let readers: [IncidentDesk]
    /// The clock the desks read (a manual one in tests).
    let clock: any WallClock

    init(settings: ServeSettings, clock: any WallClock, readers count: Int = 2) throws(UserError) {
        self.clock = clock
        writer = try IncidentDesk(settings: settings, clock: clock)
        var readers: [IncidentDesk] = []
        for _ in 0..<max(1, count) { readers.append(try IncidentDesk(settings: settings, clock: clock)) }
        self.readers = readers
    }

    /// A desk for a read (any will do: each has its own connection).
    func reader() -> IncidentDesk {
        readers.randomElement() ?? writer
    }

    /// Performs an action on the writer and builds its reply on a reader: the view after a write (a fold and a
    /// verification) never holds up the next write.
    func act(_ command: IncidentCommand, on incident: String, caller: AccessToken, expected: Int64?,
             occurredAt: Instant? = nil, minimal: Bool = false) async throws(Problem) -> JSONValue {
        let recorded = try await writer.act(command, on: incident, caller: caller, expected: expected, occurredAt: occurredAt)
        return try await reader().outcome(recorded, minimal: minimal)
    }
}

extension ServerContext {
    /// A path parameter, percent-decoded (an id or step sent encoded by a client comes back as the client wrote it).
    func segment(_ name: String) throws -> String {
        PercentEncoding.decode(Substring(try parameters.require(name)), plusIsSpace: false)
    }
}
