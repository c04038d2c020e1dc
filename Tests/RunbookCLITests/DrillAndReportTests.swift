import Foundation
import RunbookTestSupport
import Testing

@Suite struct DrillAndReportTests {
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
            #expect(pages.hasPrefix("[DRILL] [SEV2] INC-20261126-0001 tier 1: incident opened, not yet acknowledged"))
            #expect(pages.contains("[DRILL] [SEV2] INC-20261126-0001 tier 2: incident opened, not yet acknowledged"))
            #expect(pages.contains("tier 1: stage `detect` 탐지 (Detect) missed its 5m deadline"))
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
}
