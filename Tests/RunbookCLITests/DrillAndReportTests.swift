import Foundation
import RunbookTestSupport
import Testing

@Suite struct DrillAndReportTests {
    /// The `recorded_at` of the last event of `type` in `timeline --json`.
    func recordedAt(_ cli: CLIRunner, _ incident: String, type: String) throws -> Date? {
        let timeline = try cli.run(["timeline", incident, "--json"])
        let events = try JSONSerialization.jsonObject(with: Data(timeline.stdout.utf8)) as? [[String: Any]] ?? []
        guard let text = events.last(where: { $0["type"] as? String == type })?["recorded_at"] as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    @Test func everyProcessComputesTheSameDrillTime() throws {
        try withWorkspace { base, directory in
            var drill = base
            drill.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let start = try drill.run(["drill", "security-incident", "--speed", "60", "--as", "kim"], input: "wait 2h\nquit\n")
            #expect(start.status == 0, "\(start.stderr)")
            #expect(start.stdout.contains("(drill clock +2h: now 2026-11-26 03:00:"))
            // Another process, on the real clock and without RUNBOOK_NOW, records at the drill's time: the clock is in
            // the log (start, speed, the 2h moved), not in the drill's process.
            let note = try base.run(["note", "INC-20261126-0001", "from another terminal", "--as", "lee"])
            #expect(note.status == 0, "\(note.stderr)")
            let noted = try #require(try recordedAt(base, "INC-20261126-0001", type: "note.added"))
            let drillStart = try #require(ISO8601DateFormatter().date(from: "2026-11-26T01:00:00Z"))
            let elapsed = noted.timeIntervalSince(drillStart)
            #expect(elapsed >= 7200 && elapsed < 7200 + 60 * 60, "2h moved plus a minute per real second at 60x: \(elapsed)")
            // The drill's speed and its real start are stored in the opening event.
            let timeline = try base.run(["timeline", "INC-20261126-0001", "--json"])
            #expect(timeline.stdout.contains("\"drill_clock\""))
            #expect(timeline.stdout.contains("\"type\": \"drill.clock_advanced\""))
            // A real incident has no drill clock to move.
            let real = try base.run(["start", "security-incident", "--as", "kim"])
            #expect(real.status == 0, "\(real.stderr)")
        }
    }

    @Test func aDrillsPagesLandBesideItsDatabaseWhateverTheWorkingDirectory() throws {
        try withWorkspace { base, directory in
            try FileManager.default.createDirectory(atPath: "\(directory)/db", withIntermediateDirectories: true)
            var drill = base
            drill.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let result = try drill.run(["drill", "security-incident", "--db", "db/incidents.db", "--as", "kim"], input: "quit\n")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: "\(directory)/db/drill-notifications.log"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/drill-notifications.log"))
        }
    }

    @Test func theWatcherPagesADrillOnItsOwnClock() throws {
        try withWorkspace { base, directory in
            var drill = base
            drill.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            // At 3600x, detect's 5m deadline passes 84 ms after the opening, in real time.
            let start = try drill.run(["drill", "security-incident", "--speed", "3600", "--as", "kim"], input: "ack\nquit\n")
            #expect(start.status == 0, "\(start.stderr)")
            // `watch --once` as a scheduler would call it; the drill's deadline falls due on its own clock.
            var pages = ""
            #expect(try eventually(seconds: 10) {
                let watch = try base.run(["watch", "--once"])
                pages = (try? String(contentsOfFile: "\(directory)/drill-notifications.log", encoding: .utf8)) ?? ""
                return watch.status == 0 && pages.contains("missed its 5m deadline")
            })
            #expect(pages.contains("[DRILL] [SEV2] INC-20261126-0001 tier 1 → oncall (kim, office-hours shift): stage `detect` 탐지 (Detect) missed its 5m deadline"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/notifications.log"), "a drill never pages the real contacts")
        }
    }

    @Test func aScriptedDrillPagesIntoTheDrillLogAndIsMarkedEverywhere() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let script = """
                done
                wait 10m
                input SEV1
                select deployment
                input erp-abc.vercel.app
                select preserve-evidence
                run
                quit
                """
            let result = try cli.run(["drill", "security-incident", "--speed", "1", "--as", "kim"], input: script)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("Drill INC-20261126-0001 of security-incident at 1x speed; pages go to drill-notifications.log."))
            #expect(result.stdout.contains("INC-20261126-0001 DRILL  SEV2  open"))
            #expect(result.stdout.contains("step `preserve-evidence` 증거 보존: Vercel 함수 로그 (Preserve evidence: Vercel function logs) skipped: drill: `vercel logs"))
            let pages = try String(contentsOfFile: "\(directory)/drill-notifications.log", encoding: .utf8)
            // One line per page and role: its time, the incident, the tier, the role, the reason once.
            #expect(pages.hasPrefix("2026-11-26T01:00:0"))
            #expect(pages.contains("Z [DRILL] [SEV2] INC-20261126-0001 tier 1 → oncall (kim, office-hours shift): incident opened, not yet acknowledged | Acknowledge: runbook ack INC-20261126-0001"))
            #expect(pages.contains("[DRILL] [SEV2] INC-20261126-0001 tier 2 → manager: incident opened, not yet acknowledged"))
            #expect(pages.contains("tier 1 → oncall (kim, office-hours shift): stage `detect` 탐지 (Detect) missed its 5m deadline"))
            #expect(!pages.split(separator: "\n").contains { $0.components(separatedBy: "incident opened, not yet acknowledged").count > 2 },
                    "the reason once per line")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/notifications.log"), "a drill never pages the real contacts")
            let status = try base.run(["status", "--json"])
            #expect(status.stdout.contains("\"drill\": true"))
            let report = try base.run(["report", "INC-20261126-0001"])
            #expect(report.stdout.hasPrefix("# Post-mortem: 보안 사고 대응 (Security incident response) (DRILL)"))
        }
    }

    @Test func watchWritesTheFinalReportWhenTheIncidentCloses() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let id = try cli.run(["start", "rollback", "--no-guide"]).stdout.trimmingCharacters(in: .newlines)
            #expect(try cli.run(["step", id, "deployments", "skip", "--note", "listed in the dashboard"]).status == 0)
            #expect(try cli.run(["input", id, "deployment-url", "https://erp-abc.vercel.app"]).status == 0)
            for step in ["rollback", "health"] {
                #expect(try cli.run(["step", id, step, "skip", "--note", "done in the dashboard"]).status == 0)
            }
            #expect(try cli.run(["step", id, "smoke-test", "done"]).status == 0)
            let closing = try cli.run(["input", id, "migration-cause", "no"])
            #expect(closing.stdout.contains("incident closed"))
            let watch = try cli.run(["watch", "--once"])
            #expect(watch.status == 0)
            #expect(watch.stdout.contains("final post-mortem written: reports/\(id).md, reports/\(id).html"))
            #expect(FileManager.default.fileExists(atPath: "\(directory)/reports/\(id).html"))
            let report = try String(contentsOfFile: "\(directory)/reports/\(id).md", encoding: .utf8)
            #expect(report.contains("| Status | final (incident closed) |"))
            #expect(report.contains("Log verified"))
            for suffix in ["md", "html"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/reports/\(id).\(suffix)")
                #expect(attributes[.posixPermissions] as? Int == 0o600)
            }
            // Written once: a second pass has nothing to do.
            let again = try cli.run(["watch", "--once"])
            #expect(!again.stdout.contains("post-mortem written"))
        }
    }

    @Test func reportFormatsThroughTheCLI() throws {
        try withWorkspace { cli, directory in
            let id = try cli.run(["start", "security-incident", "--no-guide"]).stdout.trimmingCharacters(in: .newlines)
            try cli.run(["note", id, "<script>alert(1)</script>"])
            let html = try cli.run(["report", id, "--format", "html", "-o", "r.html"])
            #expect(html.status == 0)
            let page = try String(contentsOfFile: "\(directory)/r.html", encoding: .utf8)
            #expect(page.hasPrefix("<!DOCTYPE html>"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let json = try cli.run(["report", id, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["schema_version"] as? Int == 1)
            #expect(object["status"] as? String == "draft")
            let bad = try cli.run(["report", id, "--format", "pdf"])
            #expect(bad.status == 64)
        }
    }

    /// A runbook whose follow-up lasts an hour, to see the report's draft and final without a long walk.
    static let shortFollowUp = """
        runbook: short
        title: "짧은 사고 (Short incident)"
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: fix
        states:
          fix:
            deadline: 30m
            steps:
              - { id: fix, title: Fix }
            resolves: true
            next: follow-up
          follow-up:
            deadline: 1h
            steps:
              - { id: wrap, title: Wrap up }
            end: true

        """

    @Test func aDraftAtTheFollowUpDeadlineIsRewrittenWhenEventsArriveAndFinalOnlyWhenClosed() throws {
        try withWorkspace { base, directory in
            try Self.shortFollowUp.write(toFile: "\(directory)/runbooks/short.yaml", atomically: true, encoding: .utf8)
            func at(_ time: String) -> CLIRunner {
                var cli = base
                cli.environment["RUNBOOK_NOW"] = "2026-11-26T\(time):00Z"
                return cli
            }
            let id = try at("01:00").run(["start", "short", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try at("01:01").run(["ack", id, "--as", "kim"]).status == 0)
            #expect(try at("01:05").run(["step", id, "fix", "done", "--as", "kim"]).status == 0)
            // Before the follow-up deadline: nothing to write.
            #expect(!(try at("01:30").run(["watch", "--once"]).stdout.contains("post-mortem written")))
            // At the deadline, a draft: the incident is not closed.
            let first = try at("02:10").run(["watch", "--once"])
            #expect(first.stdout.contains("draft post-mortem written: reports/\(id).md, reports/\(id).html"))
            let draft = try String(contentsOfFile: "\(directory)/reports/\(id).md", encoding: .utf8)
            #expect(draft.contains("| Status | draft (incident resolved) |"))
            // Nothing new, nothing rewritten.
            #expect(!(try at("02:11").run(["watch", "--once"]).stdout.contains("post-mortem written")))
            // A later action item makes the draft stale: the next round rewrites it.
            #expect(try at("02:20").run(["note", id, "action: rotate the keys (owner: park)", "--as", "kim"]).status == 0)
            let second = try at("02:21").run(["watch", "--once"])
            #expect(second.stdout.contains("draft post-mortem written"))
            #expect(try String(contentsOfFile: "\(directory)/reports/\(id).md", encoding: .utf8).contains("rotate the keys"))
            // Closing makes it final, once.
            #expect(try at("02:30").run(["step", id, "wrap", "done", "--as", "kim"]).stdout.contains("incident closed"))
            let last = try at("02:31").run(["watch", "--once"])
            #expect(last.stdout.contains("final post-mortem written"))
            #expect(try String(contentsOfFile: "\(directory)/reports/\(id).md", encoding: .utf8).contains("| Status | final (incident closed) |"))
            #expect(!(try at("02:40").run(["watch", "--once"]).stdout.contains("post-mortem written")))
            // Each written report records what it covers and its checkpoint.
            let events = try #require(try JSONSerialization.jsonObject(with: Data(try at("02:41").run(["timeline", id, "--json"]).stdout.utf8))
                                      as? [[String: Any]])
            let written = events.filter { $0["type"] as? String == "report.written" }.compactMap { $0["data"] as? [String: Any] }
            #expect(written.map { $0["final"] as? Bool } == [false, false, true])
            #expect(written.allSatisfy { ($0["checkpoint"] as? String)?.hasPrefix("\(id)#") == true && $0["covers"] is Int })
        }
    }
}

