import Foundation
import RunbookTestSupport
import Testing

/// A check whose number comes from a file in its workdir, so a test can change what it finds.
let connectionsCheck = """
    runbook: connections
    title: "연결 수 점검 (Connections check)"
    roles:
      oncall: { title: "운영팀 당직자 (on-call operator)" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: check
    states:
      check:
        deadline: 30m
        steps:
          - id: connections
            title: "연결 수 확인 (Count connections)"
            run: 'cat value.txt; echo "limit $LIMIT"'
            env: { LIMIT: "80" }
            workdir: probe
            expect: { number: "^([0-9.]+)", below: 80, unit: "%" }
        resolves: true
        end: true

    """

/// Runs `body` in a workspace holding `connections` and its `probe` folder (beside the database), at a fixed time.
func withConnectionsCheck(_ body: (_ cli: CLIRunner, _ directory: String) throws -> Void) throws {
    try withWorkspace { base, directory in
        try connectionsCheck.write(toFile: "\(directory)/runbooks/connections.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(directory)/probe", withIntermediateDirectories: true)
        try "93\n".write(toFile: "\(directory)/probe/value.txt", atomically: true, encoding: .utf8)
        var cli = base
        cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
        try body(cli, directory)
    }
}

@Suite struct ExpectCommandsTests {
    @Test func aFailedExpectationPrintsTheValueAndWaitsForADecision() throws {
        try withConnectionsCheck { cli, directory in
            let id = try cli.run(["start", "connections", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id == "INC-20261126-0001")

            let failed = try cli.run(["run", id, "connections", "--as", "kim"])
            #expect(failed.status == 1)
            // The command ran in `probe` with LIMIT from `env:`; the value found is in the recorded line and the error.
            #expect(failed.stdout.contains("  93\n  limit 80\n"))
            #expect(failed.stdout.contains("12 bytes of output; 93% — expected below 80%\n"))
            #expect(failed.stderr == "runbook: error: step `connections` 93% — expected below 80%; it waits for your decision: run it again, "
                    + "`runbook step \(id) connections done --note \"what was checked instead\"`, skip it with --note, or fail it\n")

            let status = try cli.run(["status", id])
            #expect(status.stdout.contains(" 1. [?]  connections  연결 수 확인 (Count connections)  failed: 93% — expected below 80% · decide: "
                                           + "run again, done by hand, skip or fail (with a note)\n"))
            #expect(status.stdout.contains("kim: command `connections` finished: exit 0 in "))
            let output = try cli.run(["output", id, "connections"])
            #expect(output.stdout.hasPrefix("\(id) step `connections` attempt 1 of 1, by kim at 2026-11-26 01:00:00 UTC: "
                                            + "93% — expected below 80% in "))

            // The number drops: the run again completes the step, and every view shows the value it found.
            try "42\n".write(toFile: "\(directory)/probe/value.txt", atomically: true, encoding: .utf8)
            let passed = try cli.run(["run", id, "connections", "--as", "kim"])
            #expect(passed.status == 0)
            #expect(passed.stdout.contains("12 bytes of output; 42% (expected below 80%)\n"))
            let after = try cli.run(["status", id])
            #expect(after.stdout.contains(" 1. [x]  connections  연결 수 확인 (Count connections)  done by kim 01:00:00: 42% (expected below 80%)\n"))
            #expect(!after.stdout.contains("Findings"), "a step done by a run that met its expectation was not passed over")

            let report = try cli.run(["report", id, "--format", "md"])
            #expect(report.status == 0)
            #expect(report.stdout.contains("What failed: command `connections` (93% — expected below 80%)."))
            #expect(report.stdout.contains("`cat value.txt; echo \"limit $LIMIT\"` → 93% — expected below 80% in "))
            #expect(report.stdout.contains("`cat value.txt; echo \"limit $LIMIT\"` → succeeded: 42% (expected below 80%) in "))
            let json = try cli.run(["report", id, "--format", "json"])
            let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let commands = parsed?["commands"] as? [[String: Any]] ?? []
            let found = commands.compactMap { $0["expect"] as? [String: Any] }
            #expect(found.map { $0["value"] as? String } == ["93", "42"])
            #expect(found.map { $0["passed"] as? Bool } == [false, true])
            #expect(found.first?["comparison"] as? String == "below" && found.first?["bound"] as? String == "80")
        }
    }

    @Test func theValueInKorean() throws {
        try withConnectionsCheck { base, _ in
            var cli = base
            cli.environment["LANG"] = "ko_KR.UTF-8"
            let id = try cli.run(["start", "connections", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let failed = try cli.run(["run", id, "connections", "--as", "kim"])
            #expect(failed.status == 1)
            #expect(failed.stdout.contains("출력 12바이트; 93% — 기대값 80% 미만\n"))
            #expect(failed.stderr.contains("93% — 기대값 80% 미만"))
        }
    }

    @Test func aMissingWorkdirCouldNotStart() throws {
        try withConnectionsCheck { cli, directory in
            try FileManager.default.removeItem(atPath: "\(directory)/probe")
            let id = try cli.run(["start", "connections", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let failed = try cli.run(["run", id, "connections", "--as", "kim"])
            #expect(failed.status == 1)
            let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            #expect(failed.stderr.hasPrefix("runbook: error: step `connections` could not start: workdir "))
            #expect(failed.stderr.contains("/probe does not exist; it waits for your decision"))
            #expect(failed.stderr.contains(directory) || failed.stderr.contains(real))
        }
    }

    @Test func showListsExpectEnvAndWorkdir() throws {
        try withConnectionsCheck { cli, _ in
            let show = try cli.run(["show", "connections"])
            #expect(show.status == 0)
            for line in ["expect: number by ^([0-9.]+) below 80%", "env: LIMIT=80", "workdir: probe"] {
                #expect(show.stdout.contains(line + "\n") || show.stdout.hasSuffix(line), "\(line)")
            }
        }
    }
}
