import Hummingbird
import RunbookCore
import RunbookRuntime
import ServiceLifecycle

/// The Server-Sent Events streams (SPEC §10): `GET /api/v1/incidents/:id/events` (each new event of the incident,
/// resuming after `Last-Event-ID`) and `GET /api/v1/events` (a short "incident changed" line for the list). They
/// take a bearer token like the rest of the API, or the web page's session cookie.
enum EventStreams {

    /// `heartbeat`: the interval of the comment line that keeps idle connections (and proxies) open, and of the
    /// check that the caller may still read.
    static func routes(_ router: Router<ServerContext>, desks: Desks, sessions: WebSessions, feed: ChangeFeed, heartbeat: Duration) {
        router.get("api/v1/incidents/:incident/events") { request, context in
            let person = try await caller(request, desks: desks, sessions: sessions)
            let incident = try await desks.reader().resolve(try context.segment("incident"))
            let resume = request.headers[.lastEventID] ?? request.uri.queryParameters["after"].map(String.init)
            let after = try resume.map { text throws(Problem) -> Int64 in
                guard let sequence = Int64(text.trimmingWhitespace), sequence >= 0 else {
                    throw Problem.badRequest(.server(.badField(field: "Last-Event-ID", expected: "an event sequence, e.g. 42")))
                }
                return sequence
            }
            return stream(feed, incident: incident, after: after, heartbeat: heartbeat,
                          allowed: stillAllowed(person, request, desks: desks, sessions: sessions))
        }
        router.get("api/v1/events") { request, _ in
            let person = try await caller(request, desks: desks, sessions: sessions)
            return stream(feed, incident: nil, after: nil, heartbeat: heartbeat,
                          allowed: stillAllowed(person, request, desks: desks, sessions: sessions))
        }
    }

    /// Whether the stream's caller may still read: its token is live and, for the web page, its session not ended. A
    /// database that cannot answer for a moment does not end the stream.
    static func stillAllowed(_ token: AccessToken, _ request: Request, desks: Desks, sessions: WebSessions) -> @Sendable () async -> Bool {
        let session = request.headers[.authorization] == nil ? WebCookies.value(WebCookies.session, in: request) : nil
        return {
            if let session, await sessions.session(session) == nil { return false }
            do {
                _ = try await desks.reader().liveToken(id: token.id)
                return true
            } catch {
                return (error as? Problem)?.status != .unauthorized
            }
        }
    }

    /// The person a stream is for: a bearer token, else a live web session.
    static func caller(_ request: Request, desks: Desks, sessions: WebSessions) async throws -> AccessToken {
        if request.headers[.authorization] != nil {
            guard let secret = TokenAuthentication.bearer(request) else {
                throw Problem.unauthorized(Message.server(.authMissing).text())
            }
            return try await desks.reader().authenticate(secret)
        }
        guard let id = WebCookies.value(WebCookies.session, in: request), let session = await sessions.session(id) else {
            throw Problem.unauthorized(Message.server(.authMissing).text())
        }
        do {
            return try await desks.reader().liveToken(id: session.tokenID)
        } catch {
            // Only a revoked or unknown token ends the session; a database that cannot answer does not.
            if error.status == .unauthorized { await sessions.end(id) }
            throw error
        }
    }

    /// A `text/event-stream` response fed by `feed` until the client leaves or the server shuts down.
    /// `allowed` is asked again at every heartbeat: a stream whose token was revoked, or whose session ended, stops
    /// there (within one heartbeat), so a revoked token does not go on reading an incident.
    static func stream(_ feed: ChangeFeed, incident: String?, after: Int64?, heartbeat: Duration = .seconds(15),
                       allowed: @escaping @Sendable () async -> Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (items, continuation) = AsyncStream.makeStream(of: FeedItem.self, bufferingPolicy: .bufferingNewest(10_000))
            // The first bytes go out at once, so the client knows the stream is open before anything happens.
            try await writer.write(ByteBuffer(string: ": runbook events\nretry: 2000\n\n"))
            guard let subscription = await feed.subscribe(incident: incident, after: after, continuation) else {
                try await writer.finish(nil)
                return
            }
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    if Task.isCancelled { break }
                    guard await allowed() else {
                        continuation.finish()
                        break
                    }
                    continuation.yield(.heartbeat)
                }
            }
            // Shutdown finishes the stream: the loop ends and the response ends cleanly.
            let failure: (any Error)? = await withGracefulShutdownHandler {
                do {
                    for await item in items {
                        try await writer.write(ByteBuffer(string: text(of: item)))
                    }
                    return nil
                } catch {
                    return error
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            beat.cancel()
            await feed.unsubscribe(subscription)
            if let failure { throw failure }
            try await writer.finish(nil)
        })
    }

    /// One item as the event-stream format writes it.
    static func text(of item: FeedItem) -> String {
        switch item {
        case .event(let sequence, let json):
            return "id: \(sequence)\nevent: incident-event\ndata: \(json.text)\n\n"
        case .changed(let incident, let sequence):
            let data = JSONValue.object([("incident", .string(incident)), ("events", .int(sequence))])
            return "event: incident-changed\ndata: \(data.text)\n\n"
        case .heartbeat:
            return ": heartbeat\n\n"
        }
    }
}
