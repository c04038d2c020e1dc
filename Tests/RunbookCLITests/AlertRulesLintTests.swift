import Foundation
import RunbookTestSupport
import Testing

/// `runbook lint` checks the folder's alerts.yaml with its runbooks (SPEC §10).
@Suite struct AlertRulesLintTests {
    @Test func theShippedAlertsFileIsClean() throws {
        try withWorkspace { base, directory in
            #expect(FileManager.default.fileExists(atPath: "\(directory)/runbooks/alerts.yaml"))
            let lint = try base.run(["lint"])
            #expect(lint.status == 0, "\(lint.stderr)")
            #expect(!lint.stderr.contains("alerts.yaml"), "\(lint.stderr)")
        }
    }

    @Test func lintReportsEveryProblemOfAlertsYaml() throws {
        try withWorkspace { base, directory in
            try """
                sources:
                  alertmanager: { secret_env: RUNBOOK_ALERTMANAGER_SECRET }
                  grafanna: { secret_env: RUNBOOK_GRAFANA_SECRET }
                routes:
                  - match: { alertname: HighErrorRate }
                    runbook: service-unreachabel
                  - match: {}
                    runbook: service-unreachable
                  - match: { alertname: Backup }
                    runbook: daily-check
                  - match: { alertname: Slow }
                    source: generic
                    runbook: performance-degradation
                    severity: SEV9

                """.write(toFile: "\(directory)/runbooks/alerts.yaml", atomically: true, encoding: .utf8)
            let lint = try base.run(["lint"])
            #expect(lint.status == 65)
            for expected in [
                "runbooks/alerts.yaml:3:3: error: sources.grafanna: unknown source `grafanna`; did you mean `grafana`?\n  grafanna:",
                "runbooks/alerts.yaml:6:14: error: routes[0].runbook: unknown runbook `service-unreachabel`: no such file in the runbooks folder; "
                    + "did you mean `service-unreachable`?\n    runbook: service-unreachabel\n             ^",
                "runbooks/alerts.yaml:7:12: error: routes[1].match: expected at least one label to match",
                "runbooks/alerts.yaml:10:14: error: routes[2].runbook: `daily-check` is a routine check (kind: checklist)",
                "runbooks/alerts.yaml:12:13: error: routes[3].source: source `generic` is not declared; declare it under `sources:` with its secret_env",
                "runbooks/alerts.yaml:14:15: error: routes[3].severity: unknown severity `SEV9`; expected one of SEV1, SEV2, SEV3, SEV4",
                "6 errors in 1 file",
            ] {
                #expect(lint.stderr.contains(expected), "missing: \(expected)\n\(lint.stderr)")
            }
        }
    }
}
