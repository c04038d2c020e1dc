import FoundationEssentials
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RunbookCore
@testable import RunbookServer

/// Alert intake in the server tests: the sources' secrets in the server's environment, and webhook requests.
extension ServerFixture {
    /// The secrets of the shipped alerts.yaml's sources, as the server's environment holds them.
    static let alertSecrets = ["RUNBOOK_ALERTMANAGER_SECRET": "am-secret-1", "RUNBOOK_GRAFANA_SECRET": "gf-secret-2",
                               "RUNBOOK_ALERT_SECRET": "generic-secret-3"]

    /// Runs `body` against the whole server on a real loopback port, whose environment is `environment`.
    func live(environment: [String: String], _ body: @Sendable (Client) async throws -> Void) async throws {
        let desks = try Desks(settings: settings, clock: clock)
        var logger = Logger(label: "runbook-tests")
        logger.logLevel = .critical
        let app = TeamServer.application(settings: settings, desks: desks, logger: logger, environment: { environment[$0] })
        try await app.test(.live) { client in
            try await body(Client(client: client, fixture: self))
        }
    }

    /// Replaces the team's alerts.yaml (nil: removes it).
    func writeAlertRules(_ yaml: String?) throws {
        let path = "\(directory)/runbooks/alerts.yaml"
        if let yaml {
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}

extension ServerFixture.Client {
    /// Posts a webhook of `source` with `secret` as its bearer (nil: no Authorization header; default: the source's
    /// own secret).
    func alert(_ source: String, _ body: String, secret: String? = "") async throws -> ServerFixture.Reply {
        var headers = HTTPFields()
        let own = ["alertmanager": "am-secret-1", "grafana": "gf-secret-2", "generic": "generic-secret-3"][source] ?? ""
        if let secret { headers[.authorization] = "Bearer \(secret.isEmpty ? own : secret)" }
        return try await send(.post, "/api/v1/alerts/\(source)", as: nil, body: body, headers: headers)
    }

    /// The incidents the server lists (open and resolved), by id.
    func incidents() async throws -> [JSONValue] {
        try await get("/api/v1/incidents").json.array ?? []
    }

    /// The events of an incident of type `type`.
    func events(_ id: String, type: String) async throws -> [JSONValue] {
        (try await get("/api/v1/incidents/\(id)/timeline").json.array ?? []).filter { $0["type"]?.string == type }
    }
}

/// An Alertmanager webhook v4 body of one group.
func alertmanagerBody(group: String = "{}:{alertname=\"HighErrorRate\"}", _ alerts: [(fingerprint: String, status: String, labels: String)]) -> String {
    let items = alerts.map { alert in
        #"{"status": "\#(alert.status)", "labels": \#(alert.labels), "annotations": {"summary": "summary of \#(alert.fingerprint)"}, "#
            + #""startsAt": "2026-11-27T09:52:26Z", "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "\#(alert.fingerprint)"}"#
    }
    let groupKey = group.replacing("\"", with: "\\\"")
    return #"{"receiver": "runbook", "status": "firing", "version": "4", "groupKey": "\#(groupKey)", "truncatedAlerts": 0, "alerts": ["#
        + items.joined(separator: ", ") + "]}"
}
