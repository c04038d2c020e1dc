import Foundation
import RunbookCore
import Testing

/// The runbooks an alerts.yaml of these tests may route to.
private let kinds: [String: RunbookKind] = ["service-unreachable": .incident, "db-connection-errors": .incident,
                                            "performance-degradation": .incident, "daily-check": .checklist]

private func rules(_ yaml: String) -> (AlertRules, [Diagnostic]) {
    AlertRulesDecoder.decode(yaml, file: "alerts.yaml", runbooks: kinds)
}

private func alert(_ labels: [String: String], source: String = "alertmanager", status: ReceivedAlert.Status = .firing) -> ReceivedAlert {
    ReceivedAlert(source: source, fingerprint: "f", status: status, title: "t",
                  labels: labels.map { AlertLabel(name: $0.key, value: $0.value) })
}

/// `runbooks/alerts.yaml` (SPEC §10): its decoder's errors with their positions, and routing.
@Suite struct AlertRulesTests {
    static let valid = """
        sources:
          alertmanager: { secret_env: RUNBOOK_ALERTMANAGER_SECRET }
          generic: { secret_env: RUNBOOK_ALERT_SECRET }
        routes:
          - match: { alertname: [HighErrorRate, "High Error Rate"] }
            runbook: service-unreachable
            severity: SEV2
            title: "Error rate above 5%"
          - match: { alertname: DatabaseConnection, env: prod }
            source: generic
            runbook: db-connection-errors
          - match: { alertname: DatabaseConnection }
            runbook: db-connection-errors
            severity: SEV3
        """

    @Test func aValidFileDecodesWhole() {
        let (decoded, diagnostics) = rules(Self.valid)
        #expect(diagnostics == [])
        #expect(decoded == AlertRules(
            sources: [AlertSource(name: "alertmanager", secretEnvironmentVariable: "RUNBOOK_ALERTMANAGER_SECRET"),
                      AlertSource(name: "generic", secretEnvironmentVariable: "RUNBOOK_ALERT_SECRET")],
            routes: [
                AlertRoute(matchers: [AlertMatcher(label: "alertname", values: ["HighErrorRate", "High Error Rate"])], runbook: "service-unreachable",
                           severity: "SEV2", title: "Error rate above 5%", index: 0),
                AlertRoute(matchers: [AlertMatcher(label: "alertname", values: ["DatabaseConnection"]), AlertMatcher(label: "env", values: ["prod"])],
                           sources: ["generic"], runbook: "db-connection-errors", index: 1),
                AlertRoute(matchers: [AlertMatcher(label: "alertname", values: ["DatabaseConnection"])], runbook: "db-connection-errors",
                           severity: "SEV3", index: 2),
            ]))
    }

    @Test(arguments: [
        ("sources:\n  grafanna: { secret_env: X }\n",
         "alerts.yaml:2:3: error: sources.grafanna: unknown source `grafanna`; did you mean `grafana`?"),
        ("sources:\n  pagerduty: { secret_env: X }\n",
         "alerts.yaml:2:3: error: sources.pagerduty: unknown source `pagerduty`; expected one of: alertmanager, grafana, generic"),
        ("sources:\n  generic: { secret_evn: X }\n",
         "alerts.yaml:2:14: error: sources.generic.secret_evn: unknown key `secret_evn`; did you mean `secret_env`?"),
        ("sources:\n  generic: { secret_env: \"hunter2 is the secret\" }\n",
         "alerts.yaml:2:26: error: sources.generic.secret_env: expected the name of an environment variable like RUNBOOK_ALERTMANAGER_SECRET "
            + "(letters, digits and `_`), found \"hunter2 is the secret\"; the secret itself belongs in the server's environment, not in this file"),
        ("route:\n  - match: { alertname: A }\n",
         "alerts.yaml:1:1: error: route: unknown key `route`; did you mean `routes`?"),
        ("routes:\n  match: { alertname: A }\n",
         "alerts.yaml:2:3: error: routes: expected a list of routes, found a mapping"),
        ("routes:\n  - match: { alertname: A }\n    runbok: service-unreachable\n",
         "alerts.yaml:3:5: error: routes[0].runbok: unknown key `runbok`; did you mean `runbook`?"),
        ("routes:\n  - runbook: service-unreachable\n",
         "alerts.yaml:2:5: error: routes[0]: missing required key `match`"),
        ("routes:\n  - match: {}\n    runbook: service-unreachable\n",
         "alerts.yaml:2:12: error: routes[0].match: expected at least one label to match, like `{ alertname: HighErrorRate }`; "
            + "a route that matches every alert would open an incident for anything"),
        ("routes:\n  - match: HighErrorRate\n    runbook: service-unreachable\n",
         "alerts.yaml:2:12: error: routes[0].match: expected a mapping of labels to values, like `{ alertname: HighErrorRate }`, found a string"),
        ("routes:\n  - match: { alertname: [] }\n    runbook: service-unreachable\n",
         "alerts.yaml:2:25: error: routes[0].match.alertname: expected a value or a list of values, found an empty list"),
        ("routes:\n  - match: { alertname: A }\n    runbook: service-unreachabel\n",
         "alerts.yaml:3:14: error: routes[0].runbook: unknown runbook `service-unreachabel`: no such file in the runbooks folder; "
            + "did you mean `service-unreachable`?"),
        ("routes:\n  - match: { alertname: A }\n    runbook: daily-check\n",
         "alerts.yaml:3:14: error: routes[0].runbook: `daily-check` is a routine check (kind: checklist), which has no severity and pages "
            + "nobody at opening; route alerts to a runbook that handles an incident"),
        ("routes:\n  - match: { alertname: A }\n    runbook: service-unreachable\n    severity: SEV5\n",
         "alerts.yaml:4:15: error: routes[0].severity: unknown severity `SEV5`; expected one of SEV1, SEV2, SEV3, SEV4"),
        ("sources:\n  alertmanager: { secret_env: A }\nroutes:\n  - match: { alertname: A }\n    source: grafana\n    runbook: service-unreachable\n",
         "alerts.yaml:5:13: error: routes[0].source: source `grafana` is not declared; declare it under `sources:` with its secret_env"),
        ("routes:\n  - match: { alertname: A }\n    source: [alertmanger]\n    runbook: service-unreachable\n",
         "alerts.yaml:3:14: error: routes[0].source: unknown source `alertmanger`; did you mean `alertmanager`?"),
        ("routes:\n  - match: { alertname: A }\n    runbook: service-unreachable\n    title: \"\"\n",
         "alerts.yaml:4:12: error: routes[0].title: expected a title, found an empty string; leave `title:` out to use the alert's own"),
        ("routes:\n  - match: { alertname: \"\\e[31m\" }\n    runbook: service-unreachable\n",
         "alerts.yaml:2:25: error: routes[0].match.alertname: a name or title may not contain control characters; found \\e (U+001B)"),
        ("routes: [\n", "alerts.yaml:2:1: error: did not find expected node content (while parsing a flow node started at line 2, column 1)"),
    ])
    func errorsSayWhereAndWhat(_ yaml: String, _ expected: String) {
        let (_, diagnostics) = rules(yaml)
        #expect(diagnostics.map(\.headline) == [expected])
    }

    @Test func everyProblemIsReportedAndTheGoodRoutesKept() {
        let (decoded, diagnostics) = rules("""
            routes:
              - match: { alertname: A }
                runbook: nowhere
              - match: { alertname: B }
                runbook: service-unreachable
              - match: {}
                runbook: service-unreachable
            """)
        #expect(diagnostics.map(\.mark.line) == [3, 6])
        #expect(decoded.routes.map(\.index) == [1])
    }

    @Test func withoutTheFolderRunbookNamesAreNotChecked() {
        let (decoded, diagnostics) = AlertRulesDecoder.decode("routes:\n  - match: { a: b }\n    runbook: anything\n", file: "alerts.yaml")
        #expect(diagnostics == [])
        #expect(decoded.routes.map(\.runbook) == ["anything"])
    }

    @Test func anEmptyFileHasNoRoutes() {
        #expect(rules("").0 == AlertRules())
        #expect(rules("# nothing yet\n").1 == [])
    }

    // MARK: - Routing

    @Test(arguments: [
        (["alertname": "HighErrorRate"], "alertmanager", 0),
        (["alertname": "High Error Rate", "team": "ops"], "grafana", 0),
        // The generic source with env=prod takes the second route; the others the third.
        (["alertname": "DatabaseConnection", "env": "prod"], "generic", 1),
        (["alertname": "DatabaseConnection", "env": "prod"], "alertmanager", 2),
        (["alertname": "DatabaseConnection"], "generic", 2),
    ])
    func theFirstMatchingRouteWins(_ labels: [String: String], _ source: String, _ index: Int) {
        let (decoded, _) = rules(Self.valid)
        #expect(decoded.route(for: alert(labels, source: source))?.index == index)
    }

    @Test(arguments: [
        ["alertname": "highErrorRate"],     // values are compared exactly
        ["alertname": "LowDiskSpace"],
        ["severity": "critical"],           // a route's label missing from the alert: no match
        [:],
    ])
    func noRouteMatches(_ labels: [String: String]) {
        let (decoded, _) = rules(Self.valid)
        #expect(decoded.route(for: alert(labels)) == nil)
    }

    @Test func aRouteWithoutMatchersMatchesNothing() {
        #expect(!AlertRoute(matchers: [], runbook: "x").matches(alert(["a": "b"])))
    }

    // MARK: - The shipped file

    /// The manual's alert rules (§3.2, §11.3) reach the runbooks that handle them, with the chosen severities.
    @Test(arguments: [
        ("HighErrorRate", "service-unreachable", "SEV2"),
        ("High Error Rate", "service-unreachable", "SEV2"),
        ("HighAPIResponseTime", "performance-degradation", "SEV2"),
        ("Slow Response", "performance-degradation", "SEV2"),
        ("DatabaseConnectionPoolExhausted", "db-connection-errors", "SEV2"),
        ("DatabaseConnection", "db-connection-errors", "SEV3"),
    ])
    func theShippedRoutes(_ alertname: String, _ runbook: String, _ severity: String) throws {
        let shipped = try shippedAlertRules()
        let route = try #require(shipped.route(for: alert(["alertname": alertname])))
        #expect(route.runbook == runbook)
        #expect(route.severity == severity)
    }

    @Test func theShippedFileIsCleanAndLeavesLowDiskSpaceUnrouted() throws {
        let shipped = try shippedAlertRules()
        #expect(shipped.sources.map(\.name) == ["alertmanager", "grafana", "generic"])
        #expect(shipped.route(for: alert(["alertname": "LowDiskSpace"])) == nil)
    }

    private func shippedAlertRules() throws -> AlertRules {
        let text = try String(contentsOfFile: "\(repositoryRoot)/runbooks/alerts.yaml", encoding: .utf8)
        var folder: [String: RunbookKind] = [:]
        for id in shippedRunbookIDs { folder[id] = try shippedRunbook(id).runbook.kind }
        let (decoded, diagnostics) = AlertRulesDecoder.decode(text, file: "runbooks/alerts.yaml", runbooks: folder)
        #expect(diagnostics.map(\.headline) == [])
        return decoded
    }
}
