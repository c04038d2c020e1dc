import Hummingbird
import RunbookCore
import RunbookRuntime

/// The JSON API (`/api/v1`, SPEC §10): every action and view of the command line, each route a thin caller of the
/// desk, which calls the same service function as the CLI.
enum API {
    static func routes(_ router: Router<ServerContext>, desks: Desks) {
        let api = router.group("api/v1").add(middleware: TokenAuthentication(desks: desks))

        api.get("whoami") { _, context in
            let caller = try context.requireCaller()
            return json(.object([("token", .string(caller.id)), ("person", .string(caller.person)),
                                 ("created_by", .optional(caller.createdBy))]))
        }
        api.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPI.text)))
        }
        api.get("runbooks") { _, _ in
            json(try await desks.reader().runbooks())
        }
        api.get("stats") { request, _ in
            let query = request.uri.queryParameters
            return json(try await desks.reader().stats(span: query["since"].map(String.init) ?? "30d", runbook: query["runbook"].map(String.init)))
        }

        // Incidents
        api.get("incidents") { request, _ in
            json(try await desks.reader().summaries(all: request.uri.queryParameters["all"] == "true"))
        }
        api.post("incidents") { request, context in
            let caller = try context.requireCaller()
            let body = try await Body(request)
            let started = try await desks.writer.start(runbook: try body.string("runbook"), title: try body.optionalString("title"),
                                                       severity: try body.optionalString("severity"), drill: try body.bool("drill"),
                                                       caller: caller)
            var headers = HTTPFields()
            headers[.location] = "/api/v1/incidents/\(started.id)"
            return json(started.json, status: .created, headers: headers)
        }
        api.get("incidents/:incident") { _, context in
            let view = try await desks.reader().view(try context.segment("incident"))
            var headers = HTTPFields()
            headers[.eTag] = "\"\(view.sequence)\""
            return json(view.json, headers: headers)
        }
        api.get("incidents/:incident/timeline") { request, context in
            let after = request.uri.queryParameters["after"].flatMap { Int64($0) } ?? 0
            return json(try await desks.reader().timeline(try context.segment("incident"), after: after).json)
        }
        api.get("incidents/:incident/report") { request, context in
            let name = request.uri.queryParameters["format"].map(String.init) ?? "md"
            guard let format = ReportFormat(rawValue: name) else {
                throw Problem.badRequest(.server(.badField(field: "format", expected: "md, html or json")))
            }
            let text = try await desks.reader().report(try context.segment("incident"), format: format, language: .current)
            var headers = HTTPFields()
            headers[.contentType] = format.contentType
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }

        // The log as stored, for a command line working through this server: it folds and verifies it itself.
        api.get("log/review") { request, _ in
            let query = request.uri.queryParameters
            let since = query["since_ms"].flatMap { Int64($0) }.map(Instant.init(milliseconds:))
            return json(try await desks.reader().storedReview(since: since, runbook: query["runbook"].map(String.init)))
        }
        api.get("log/runbooks") { _, _ in
            json(try await desks.reader().runbookTexts())
        }
        api.get("log/incidents") { request, _ in
            json(try await desks.reader().storedRows(all: request.uri.queryParameters["all"] == "true"))
        }
        api.get("log/incidents/:incident") { request, context in
            let after = request.uri.queryParameters["after"].flatMap { Int64($0) } ?? 0
            return json(try await desks.reader().storedLog(try context.segment("incident"), after: after))
        }

        // Actions: each one command of the engine, as the CLI records it.
        action(api, "steps/:step/:mark", desks) { body, context in
            let step = try context.segment("step")
            let note = try body.optionalString("note")
            switch try context.segment("mark") {
            case "done": return .mark(step: step, .done, note: note)
            case "skip": return .mark(step: step, .skip, note: note)
            case "fail": return .mark(step: step, .fail, note: note)
            case "undo":
                guard let note, !note.trimmingWhitespace.isEmpty else { throw Problem.badRequest(.server(.missingField("note"))) }
                return .undo(step: step, note: note)
            case "input": return .input(step: step, value: try body.string("value"))
            case "approve":
                if try body.bool("break_glass") { return .overrideApproval(step: step, reason: try body.optionalString("reason") ?? "") }
                return .approve(step: step)
            case let other:
                throw Problem.notFound("/api/v1/incidents/…/steps/\(step)/\(other)")
            }
        }
        action(api, "notes", desks) { body, _ in .note(try body.string("text")) }
        action(api, "ack", desks) { _, _ in .acknowledge }
        action(api, "escalate", desks) { body, _ in .escalate(reason: try body.optionalString("reason")) }
        action(api, "resolve", desks) { body, _ in .resolve(note: try body.optionalString("note")) }
        action(api, "reopen", desks) { body, _ in .reopen(reason: try body.string("reason")) }
        action(api, "severity", desks) { body, _ in .changeSeverity(try body.string("severity")) }

        // A run in progress interrupted (a command line's Ctrl-C): 200 with whether one was running.
        api.post("incidents/:incident/steps/:step/interrupt") { _, context in
            let caller = try context.requireCaller()
            return json(try await desks.writer.interrupt(step: try context.segment("step"), on: try context.segment("incident"), caller: caller))
        }

        // A command step runs on the server's host, as the server's user; its output comes back.
        api.post("incidents/:incident/steps/:step/run") { request, context in
            let caller = try context.requireCaller()
            let body = try await Body(request)
            let step = try context.segment("step")
            let confirm = try body.optionalString("confirm")
            if let confirm, confirm != step {
                throw Problem.badRequest(.server(.badField(field: "confirm", expected: "the id of the step being run (\(step))")))
            }
            return json(try await desks.writer.run(step: step, on: try context.segment("incident"), confirmed: confirm == step,
                                                   killStale: try body.bool("kill_stale"), caller: caller, expected: try ifMatch(request)))
        }
    }

    /// A POST route under an incident that performs the command `make` builds from the body, honouring `If-Match`.
    private static func action(_ api: RouterGroup<ServerContext>, _ path: String, _ desks: Desks,
                               _ make: @escaping @Sendable (Body, ServerContext) throws -> IncidentCommand) {
        api.post(RouterPath("incidents/:incident/" + path)) { request, context in
            let caller = try context.requireCaller()
            let body = try await Body(request)
            let command = try make(body, context)
            let expected = try ifMatch(request)
            let occurredAt = try occurredAt(body)
            return json(try await desks.act(command, on: try context.segment("incident"), caller: caller, expected: expected,
                                            occurredAt: occurredAt, minimal: prefersMinimal(request)))
        }
    }

    /// Whether the client asked for the reply without the incident's view (`Prefer: return=minimal`, RFC 7240).
    static func prefersMinimal(_ request: Request) -> Bool {
        request.headers.contains { field in
            field.name.canonicalName == "prefer"
                && field.value.split(separator: ",").contains { String($0.filter { $0 != " " }).lowercased() == "return=minimal" }
        }
    }

    /// When an action entered after the fact really happened (`occurred_at`, ISO-8601, as `--at`): not later than now.
    static func occurredAt(_ body: Body) throws(Problem) -> Instant? {
        guard let text = try body.optionalString("occurred_at") else { return nil }
        guard let instant = Instant(iso8601: text), instant <= SystemClock().now() else {
            throw Problem.badRequest(.server(.badField(field: "occurred_at", expected: "an ISO-8601 time not later than now")))
        }
        return instant
    }

    /// The sequence an `If-Match` header names (`"42"`, the incident view's ETag); nil without one or for `*`. A weak
    /// tag (`W/"42"`) never matches (RFC 9110 §13.1.1 compares strongly): `412`, as for any tag that is not current.
    static func ifMatch(_ request: Request) throws(Problem) -> Int64? {
        guard let value = request.headers[.ifMatch].map({ String($0.trimmingWhitespace) }), value != "*" else { return nil }
        if value.hasPrefix("W/") {
            throw Problem(.preconditionFailed, code: "changed", detail: Message.server(.weakIfMatch(value)).text())
        }
        var digits = Substring(value)
        if digits.hasPrefix("\""), digits.hasSuffix("\""), digits.count >= 2 { digits = digits.dropFirst().dropLast() }
        guard let sequence = Int64(digits), sequence >= 0 else { throw Problem.badRequest(.server(.badIfMatch(value))) }
        return sequence
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.prettyText + "\n")))
    }
}

/// A request's JSON body: an object (an empty body is an empty object), read with the fuzzed JSON reader.
struct Body: Sendable {
    let value: JSONValue
    /// The largest body read: a note of a megabyte is a mistake, not a note.
    static let limit = 1 << 20

    init(_ request: Request) async throws {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, code: "too-large", detail: Message.server(.bodyTooLarge(limit: Self.limit)).text())
        }
        let text = String(buffer: buffer)
        guard !text.trimmingWhitespace.isEmpty else {
            value = .object([])
            return
        }
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw Problem.badRequest(.server(.badJSON(error.message)))
        }
        guard value.members != nil else { throw Problem.badRequest(.server(.badJSON("expected an object"))) }
    }

    func string(_ name: String) throws(Problem) -> String {
        guard let text = try optionalString(name) else { throw Problem.badRequest(.server(.missingField(name))) }
        return text
    }

    func optionalString(_ name: String) throws(Problem) -> String? {
        switch value[name] {
        case nil, .some(.null): return nil
        case .some(.string(let text)): return text
        default: throw Problem.badRequest(.server(.badField(field: name, expected: "a string")))
        }
    }

    func bool(_ name: String) throws(Problem) -> Bool {
        switch value[name] {
        case nil, .some(.null): return false
        case .some(.bool(let flag)): return flag
        default: throw Problem.badRequest(.server(.badField(field: name, expected: "true or false")))
        }
    }
}
