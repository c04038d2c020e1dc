import Foundation
import RunbookTestSupport
import Testing

/// `start --impact-started-at` / `--detected-at` (SPEC §8: time to detect), end to end with the built binary.
@Suite struct ReportContentCommandsTests {
    @Test func startRecordsWhenTheProblemBeganAndWasNoticed() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let started = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim",
                                       "--impact-started-at", "2026-11-26T00:40:00Z", "--detected-at", "2026-11-26T00:55:00Z"])
            #expect(started.status == 0, "\(started.stderr)")
            let id = started.stdout.trimmingCharacters(in: .newlines)
            let timeline = try cli.run(["timeline", id, "--json"])
            #expect(timeline.stdout.contains("\"impact_started_at\""), "stored in the opening event")
            let report = try cli.run(["report", id, "--format", "json"])
            #expect(report.status == 0, "\(report.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(json["impact_started_at"] as? String == "2026-11-26T00:40:00.000Z")
            #expect(json["detected_at"] as? String == "2026-11-26T00:55:00.000Z")
            #expect((json["intervals_ms"] as? [String: Any])?["detect"] as? Int == 15 * 60_000)
            let markdown = try cli.run(["report", id])
            #expect(markdown.stdout.contains("| Time to detect | 15m00s |"))

            // Without them, the opening is the detection and the time to detect is unknown.
            let plain = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim"])
            let plainID = plain.stdout.trimmingCharacters(in: .newlines)
            let plainJSON = try JSONSerialization.jsonObject(with: Data(try cli.run(["report", plainID, "--format", "json"]).stdout.utf8))
                as? [String: Any] ?? [:]
            #expect(plainJSON["detected_at"] as? String == "2026-11-26T01:00:00.000Z")
            #expect(plainJSON["impact_started_at"] is NSNull)
        }
    }

    @Test func startRefusesImpossibleDetectionTimes() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let late = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim", "--detected-at", "2026-11-26T01:05:00Z"])
            #expect(late.status == 64)
            #expect(late.stderr.hasPrefix("runbook: error: --detected-at 2026-11-26T01:05:00Z is in the future"), "\(late.stderr)")
            let order = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim",
                                     "--impact-started-at", "2026-11-26T00:58:00Z", "--detected-at", "2026-11-26T00:50:00Z"])
            #expect(order.status == 64)
            #expect(order.stderr.hasPrefix("runbook: error: --impact-started-at "), "\(order.stderr)")
            #expect(order.stderr.hasSuffix("; a problem begins before it is noticed\n"), "\(order.stderr)")
            let garbage = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim", "--impact-started-at", "yesterday"])
            #expect(garbage.status == 64)
            #expect(garbage.stderr.contains("--impact-started-at"), "\(garbage.stderr)")
            // Nothing was opened by a refused start.
            let list = try cli.run(["status"])
            #expect(!list.stdout.contains("INC-20261126-0001"), "\(list.stdout)")
        }
    }

    /// The report's headings follow LANG (Korean when it starts with `ko`) whatever language the runbook is in.
    @Test func reportHeadingsFollowTheLocale() throws {
        try withWorkspace { base, directory in
            let runbook = """
                runbook: web-outage
                title: "Web outage"
                roles:
                  oncall: { title: On-call }
                escalation:
                  tiers:
                    - { notify: [oncall], after: 0m }
                initial: triage
                states:
                  triage:
                    title: Triage
                    deadline: 5m
                    steps:
                      - { id: look, title: Look at the dashboards }
                    resolves: true
                    end: true

                """
            try runbook.write(toFile: "\(directory)/runbooks/web-outage.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let started = try cli.run(["start", "web-outage", "--no-guide", "--as", "kim"])
            #expect(started.status == 0, "\(started.stderr)")
            let id = started.stdout.trimmingCharacters(in: .newlines)
            var korean = cli
            korean.environment["LANG"] = "ko_KR.UTF-8"
            let ko = try korean.run(["report", id])
            #expect(ko.stdout.hasPrefix("# 사후 보고서: Web outage\n"), "\(ko.stdout.prefix(200))")
            #expect(ko.stdout.contains("\n## 요약\n") && ko.stdout.contains("\n## 주요 시간\n") && !ko.stdout.contains("## Summary"))
            #expect(try korean.run(["report", id, "--format", "html"]).stdout.contains("<html lang=\"ko\">"))
            var english = cli
            english.environment["LANG"] = "C.UTF-8"
            let en = try english.run(["report", id])
            #expect(en.stdout.hasPrefix("# Post-mortem: Web outage\n"))
            #expect(en.stdout.contains("\n## Summary\n") && !en.stdout.contains("요약"))
        }
    }
}
