import Hummingbird
import RunbookCore
import RunbookRuntime

/// An HTTP error as an RFC 9457 problem body (`application/problem+json`): what went wrong in one sentence, the
/// same sentence the command line prints. A refusal by the engine is `409` with the engine's own words.
struct Problem: HTTPResponseError {
    var status: HTTPResponse.Status
    /// A short stable name of the kind of problem, also the last part of its `type`.
    var code: String
    var detail: String
    /// Extra members (the refusal's kind, the expected sequence).
    var extra: [(String, JSONValue)] = []
    /// The engine's refusal behind the problem, for the web page, which says it in the reader's language.
    var refusal: Refusal?

    init(_ status: HTTPResponse.Status, code: String, detail: String, extra: [(String, JSONValue)] = []) {
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra
    }

    var json: JSONValue {
        .object([("type", .string("/api/v1/problems/\(code)")), ("title", .string(status.reasonPhrase)),
                 ("status", .int(Int64(status.code))), ("detail", .string(detail))] + extra)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"runbook\"" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json.prettyText + "\n")))
    }

    static func notFound(_ path: String) -> Problem {
        Problem(.notFound, code: "not-found", detail: Message.server(.notFound(path: path)).text())
    }

    static func unauthorized(_ detail: String) -> Problem {
        Problem(.unauthorized, code: "unauthorized", detail: detail)
    }

    static func badRequest(_ message: Message) -> Problem {
        Problem(.badRequest, code: "bad-request", detail: message.text())
    }

    /// The problem for any error a desk meets: a service error as `from(_: UserError)` says, anything else `500`.
    static func caught(_ error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        if let error = error as? UserError { return from(error as UserError) }
        return Problem(.internalServerError, code: "internal", detail: "\(error)")
    }

    /// The problem for an error of the service, as the CLI would have said it. A refusal is `409` (`422` when it is
    /// about the request itself, an unknown step); an unknown incident `404`; a damaged database `500`.
    static func from(_ error: UserError) -> Problem {
        if let refusal = error.refusal {
            let status: HTTPResponse.Status = refusal.kind == .usage ? .unprocessableContent : .conflict
            var problem = Problem(status, code: "refused", detail: error.message, extra: [("reason", .string(refusal.reason.code))])
            problem.refusal = refusal
            return problem
        }
        switch error.cause {
        case .changedSince: return Problem(.preconditionFailed, code: "changed", detail: error.message)
        case .unknownIncident: return Problem(.notFound, code: "unknown-incident", detail: error.message)
        case .databaseUnavailable: return Problem(.serviceUnavailable, code: "database-unavailable", detail: error.message)
        case nil: break
        }
        switch error.kind {
        case .usage:
            return Problem(.unprocessableContent, code: "invalid", detail: error.message)
        case .failed:
            return Problem(.conflict, code: "failed", detail: error.message)
        case .data:
            return Problem(.internalServerError, code: "damaged", detail: error.message)
        }
    }
}

/// Every error the framework itself raises (no such route, a body too large, a wrong method) as a problem body
/// too, so a client reads one shape of error from every path.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .notFound { throw Problem.notFound(request.uri.path) }
            throw Problem(error.status, code: error.status == .contentTooLarge ? "too-large" : "http",
                          detail: error.body ?? error.status.reasonPhrase)
        }
    }
}
