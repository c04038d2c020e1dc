import Foundation
import RunbookTestSupport
import Testing

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A temporary folder with a copy of the shipped runbooks, removed afterwards.
func withWorkspace(_ body: (CLIRunner, String) throws -> Void) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.copyItem(atPath: "\(repositoryRoot)/runbooks", toPath: "\(directory)/runbooks")
    try body(CLIRunner(directory: directory), directory)
}

/// Takes the scheduled runbooks (those with `schedule:`) out of a workspace, for a test that runs a watcher on the real
/// clock: it would start their runs when a slot falls during the test (db-backup at 03:00 KST is 18:00 UTC) and never
/// be idle.
func removeScheduledRunbooks(_ directory: String) throws {
    let folder = "\(directory)/runbooks"
    for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".yaml") {
        let text = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)
        if text.split(separator: "\n").contains(where: { $0.hasPrefix("schedule:") }) {
            try FileManager.default.removeItem(atPath: "\(folder)/\(file)")
        }
    }
}

@Suite struct RunbookCommandsTests {
    /// Help reads as paragraphs: no prose line is broken short while its sentence goes on (the ragged wrapping
    /// of hard line breaks inside a paragraph), and nothing but the usage line and examples passes 80 columns.
    @Test func helpWrapsCleanly() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["COLUMNS"] = "80"
            let root = try cli.run(["--help"])
            let names = root.stdout.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
                .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map(String.init) : nil } ?? []
            #expect(names.count >= 20, "\(names)")
            for name in names {
                let help = try cli.run(["help", name])
                #expect(help.status == 0)
                let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for (line, next) in zip(lines, lines.dropFirst()) where !line.hasPrefix(" ") && !line.hasPrefix("USAGE") {
                    let continues = next.first.map { $0.isLowercase } ?? false
                    #expect(!(line.count < 60 && continues && !line.hasSuffix(":")),
                            "`runbook help \(name)` breaks a sentence short: \"\(line)\" / \"\(next)\"")
                }
            }
        }
    }

    @Test func listShowsEveryShippedRunbook() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["list"])
            #expect(result.status == 0)
            #expect(result.stderr == "")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "Incident runbooks")
            let checks = try #require(lines.firstIndex(of: "Routine checks"))
            #expect(lines[1].hasPrefix("ID ") && lines[1].hasSuffix("STAGES  DEADLINES  RTO"))
            #expect(lines[2..<checks].map { String($0.prefix { $0 != " " }) }
                    == ["db-connection-errors", "db-recovery", "disaster-recovery", "performance-degradation", "rollback", "security-incident",
                        "service-unreachable", "storage-recovery", "update-deploy"])
            #expect(lines[checks + 1].hasPrefix("ID ") && lines[checks + 1].hasSuffix("STAGES  DEADLINES  SCHEDULE"))
            #expect(lines[(checks + 2)...].map { String($0.prefix { $0 != " " }) }
                    == ["daily-check", "db-backup", "evening-check", "monthly-check", "shift-handover", "weekly-check"])
            #expect(lines.contains { $0.hasPrefix("security-incident ") && $0.contains("보안 사고 대응 (Security incident response)")
                && $0.hasSuffix("5  25h50m     2h") })
            #expect(lines.contains { $0.hasPrefix("db-backup ") && $0.hasSuffix("daily at 03:00 (Asia/Seoul)") })
        }
    }

    @Test func listAsJSON() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["list", "--json"])
            #expect(result.status == 0)
            let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(items.count == 15)
            let security = try #require(items.first { $0["id"] as? String == "security-incident" })
            #expect(security["stages"] as? Int == 5)
            #expect(security["rto_seconds"] as? Int == 7200)
        }
    }

    @Test func showPrintsStagesStepsAndTiers() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["show", "security-incident"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("  1. detect  탐지 (Detect)  [deadline 5m, initial]"))
            #expect(result.stdout.contains("  2. isolate  격리 (Isolate)  [deadline 15m, contains]"))
            #expect(result.stdout.contains("  tier 2 after 10m: manager (운영 매니저 (operations manager))"))
            #expect(result.stdout.contains("     - severity       심각도 판단 (Judge severity)   choose: SEV1 | SEV2 | SEV3"))
            #expect(!result.stdout.contains("\u{1B}["), "no colour when not a terminal")
        }
    }

    @Test func showDiagrams() throws {
        try withWorkspace { cli, _ in
            let mermaid = try cli.run(["show", "security-incident", "--format", "mermaid"])
            #expect(mermaid.status == 0)
            #expect(mermaid.stdout.hasPrefix("stateDiagram-v2\n    [*] --> detect\n"))
            let dot = try cli.run(["show", "rollback", "--format", "dot"])
            // The database rollback is reached only by deciding the failure is the migration's (manual §8.3).
            #expect(dot.stdout.contains("\"verify-app\" -> \"db-rollback\" [label=\"yes\"];"))
            #expect(!dot.stdout.contains("\"app-rollback\" -> \"db-rollback\""))
        }
    }

    /// SPEC §3.1: `show` draws the gates in every format: what a step waits for, and destructive commands.
    @Test func showDrawsTheGates() throws {
        try withWorkspace { cli, _ in
            let text = try cli.run(["show", "db-recovery"])
            #expect(text.status == 0)
            let lines = text.stdout.split(separator: "\n").map(String.init)
            let reset = try #require(lines.firstIndex { $0.hasPrefix("     - reset ") })
            #expect(lines[reset].hasSuffix("$ supabase --yes db reset --db-url \"${DATABASE_URL:?set DATABASE_URL to the database to restore}\"  (timeout 10m)  ⚠ destructive"))
            #expect(lines[reset + 1] == "                      waits for: approve-reset (approval), backup-file (needs), check-backup (needs)")
            #expect(text.stdout.contains("  3. restore  복구 실행 (Restore)  [deadline 1h, in order]"))

            let mermaid = try cli.run(["show", "db-recovery", "--format", "mermaid"])
            #expect(mermaid.stdout.contains("""
                    note right of restore
                        in order: list-backups → backup-file → fetch-backup → check-backup → approve-reset → reset → restore
                        reset — ⚠ destructive, waits for: approve-reset (approval), backup-file (needs), check-backup (needs)
                        restore — ⚠ destructive, waits for: approve-reset (approval)
                    end note
                """))

            let dot = try cli.run(["show", "rollback", "--format", "dot"])
            #expect(dot.stdout.contains("\nmigrations-down — ⚠ destructive, waits for: approve (approval)\nmigrations-up — waits for: approve (approval)\""))
        }
    }

    @Test func showUnknownRunbookSuggests() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["show", "security-incidnet"])
            #expect(result.status == 64)
            #expect(result.stdout == "")
            #expect(result.stderr == "runbook: error: no runbook `security-incidnet` in runbooks; did you mean `security-incident`? run `runbook list` to see them\n")
        }
    }

    @Test func lintIsCleanOnShippedRunbooks() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["lint"])
            #expect(result.status == 0)
            #expect(result.stdout == "15 runbooks checked, no problems\n")
        }
    }

    @Test func lintReportsEveryErrorOfBrokenCopies() throws {
        try withWorkspace { cli, directory in
            let original = try String(contentsOfFile: "\(directory)/runbooks/security-incident.yaml", encoding: .utf8)
            let broken = original
                .replacingOccurrences(of: "    deadline: 15m\n", with: "    deadline: soon\n")
                .replacingOccurrences(of: "    next: recover\n", with: "    next: recovr\n")
            try broken.write(toFile: "\(directory)/runbooks/security-incident.yaml", atomically: true, encoding: .utf8)
            try "runbook: x\ntitle: [\n".write(toFile: "\(directory)/runbooks/x.yaml", atomically: true, encoding: .utf8)
            let result = try cli.run(["lint"])
            #expect(result.status == 65)
            #expect(result.stdout == "")
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.contains("runbooks/security-incident.yaml:38:15: error: states.isolate.deadline: expected a duration like \"5m\", \"1h30m\" or \"24h\", found \"soon\""))
            #expect(lines.contains("    deadline: soon"))
            #expect(lines.contains("              ^"))
            #expect(lines.contains { $0.hasPrefix("runbooks/security-incident.yaml:") && $0.hasSuffix("error: states.analyze.next: unknown state `recovr`; did you mean `recover`?") })
            #expect(lines.contains { $0.hasPrefix("runbooks/x.yaml:3:1: error: ") })
            #expect(lines.contains("16 runbooks checked: 3 errors in 2 files"))
            #expect(!result.stderr.contains("unreachable"), "one typo is one error, not a cascade")
        }
    }

    @Test func lintNamedFiles() throws {
        try withWorkspace { cli, directory in
            let result = try cli.run(["lint", "runbooks/rollback.yaml"])
            #expect(result.status == 0)
            #expect(result.stdout == "1 runbook checked, no problems\n")
            let missing = try cli.run(["lint", "nope.yaml"])
            #expect(missing.status == 64)
            #expect(missing.stderr == "runbook: error: cannot read nope.yaml: no such file or directory\n")
        }
    }

    @Test func helpTeaches() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("Exit codes: 0 success"))
            #expect(result.stdout.contains("lint"))
        }
    }
}
