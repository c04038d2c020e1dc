#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import RunbookCore
import RunbookRuntime

/// Alert intake (SPEC §10 "Alerts start runbooks"): `POST /api/v1/alerts/alertmanager`, `/grafana` and `/generic`.
/// They take no bearer token of a person: each source sends its own secret as `Authorization: Bearer SECRET` (what
/// Alertmanager's `http_config.authorization` and Grafana's webhook contact point send), the value of the
/// environment variable alerts.yaml names for it.
enum AlertRoutes {
    /// Reads a variable of the server's environment.
    typealias Environment = @Sendable (String) -> String?

    /// The process's own environment.
    static let processEnvironment: Environment = { name in
        getenv(name).map { String(cString: $0) }
    }

    static func routes(_ router: Router<ServerContext>, desks: Desks, environment: @escaping Environment = processEnvironment) {
        for source in AlertRules.sourceNames {
            router.post(RouterPath("api/v1/alerts/\(source)")) { request, context in
                try await receive(source, request: request, context: context, desks: desks, environment: environment)
            }
        }
    }

    static func receive(_ source: String, request: Request, context: ServerContext, desks: Desks,
                        environment: Environment) async throws -> Response {
        let rules = try await desks.reader().alertRules()
        try authenticate(source, request: request, rules: rules, environment: environment)
        let body = try await Body(request)
        let alerts: [ReceivedAlert]
        do {
            alerts = try AlertPayload.alerts(source: source, body: body.value)
        } catch {
            throw Problem.badRequest(.server(.alert(.badPayload(error.message))))
        }
        let outcomes = try await desks.writer.receive(alerts, rules: rules)
        for outcome in outcomes where outcome.disposition == .noRoute {
            let alert = outcome.alert
            context.logger.notice("\(Message.server(.alert(.noRoute(source: source, title: TextHygiene.escape(alert.title), fingerprint: TextHygiene.escape(alert.fingerprint), labels: alert.labelsText))).text(in: .english))")
        }
        // 200 when something was recorded; 202 when every alert was taken and nothing recorded (no route, or a
        // resolved alert no open incident holds): both tell the sender not to send it again.
        let recorded = outcomes.contains { $0.disposition.incident != nil }
        return API.json(.object([("source", .string(source)), ("alerts", .array(outcomes.map(\.json)))]), status: recorded ? .ok : .accepted)
    }

    /// Lets the request through when it carries the secret of `source`; else the problem: `503` when the server
    /// has no secret for the source (it would accept anyone otherwise), `401` for a missing or wrong one.
    static func authenticate(_ source: String, request: Request, rules: AlertRules, environment: Environment) throws(Problem) {
        let file = "alerts.yaml"
        guard let declared = rules.source(source) else {
            throw Problem(.serviceUnavailable, code: "alert-source-off", detail: Message.server(.alert(.sourceNotDeclared(source: source, file: file))).text())
        }
        guard let secret = environment(declared.secretEnvironmentVariable), !secret.trimmingWhitespace.isEmpty else {
            throw Problem(.serviceUnavailable, code: "alert-secret-unset",
                          detail: Message.server(.alert(.secretUnset(source: source, variable: declared.secretEnvironmentVariable))).text())
        }
        guard let presented = TokenAuthentication.bearer(request) else {
            throw Problem.unauthorized(Message.server(.alert(.secretMissing(source: source))).text())
        }
        guard sameSecret(presented, String(secret.trimmingWhitespace)) else {
            throw Problem.unauthorized(Message.server(.alert(.secretWrong(source: source))).text())
        }
    }

    /// Whether two secrets are equal, in time that does not depend on where they differ: their SHA-256 digests
    /// (always 64 hex digits) are compared byte by byte, every byte.
    static func sameSecret(_ given: String, _ expected: String) -> Bool {
        let a = Array(EventChain.sha256(given).utf8)
        let b = Array(EventChain.sha256(expected).utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
