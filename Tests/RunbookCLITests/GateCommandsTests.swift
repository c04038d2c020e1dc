import Foundation
import RunbookTestSupport
import Testing

/// A restore whose commands leave marker files, so a test can tell whether they ran.
let gatedRestore = """
    runbook: gated-restore
    title: "복구 (Gated restore)"
    roles:
      oncall: { title: "운영팀 당직자 (on-call operator)" }
      manager: { title: "운영 매니저 (operations manager)" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
        - { notify: [manager], after: 10m }
    initial: restore
    states:
      restore:
        deadline: 1h
        steps:
          - { id: approve-reset, title: Approve the reset, approve: { role: manager } }
          - { id: reset, title: Reset, run: "touch reset-ran", destructive: true }
          - { id: restore, title: Restore, run: "no-such-program-xyz --restore", needs: [reset] }
        resolves: true
        end: true

    """

/// Runs `body` in a workspace with the shipped runbooks plus `gated-restore`, as one person at one time.
func withGatedWorkspace(_ body: (_ act: (_ arguments: [String], _ actor: String, _ input: String) throws -> CLIResult, _ directory: String) throws -> Void) throws {
    // Read-only views take no `--as`: an empty actor leaves it out.
    try withWorkspace { base, directory in
        try gatedRestore.write(toFile: "\(directory)/runbooks/gated-restore.yaml", atomically: true, encoding: .utf8)
        var cli = base
        cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
        try body({ arguments, actor, input in try cli.run(arguments + (actor.isEmpty ? [] : ["--as", actor]), input: input) }, directory)
    }
}

@Suite struct GateCommandsTests {
    @Test func aDestructiveResetWaitsForItsApprovalAndItsConfirmation() throws {
        try withGatedWorkspace { act, directory in
            #expect(try act(["start", "gated-restore"], "kim", "").stdout == "INC-20261126-0001\n")
            let id = "INC-20261126-0001"
            let marker = "\(directory)/reset-ran"

            let early = try act(["run", id, "reset", "--confirm", "reset"], "kim", "")
            #expect(early.status == 1)
            #expect(early.stderr == "runbook: error: step `reset` waits for approval `approve-reset` by 운영 매니저 (manager): choi; "
                    + "it cannot run until then (it may be skipped or failed with a note)\n")
            #expect(!FileManager.default.fileExists(atPath: marker))

            // The on-call engineer cannot walk around the manager's approval.
            for (arguments, verb) in [(["step", id, "approve-reset", "skip", "--note", "no time"], "skip"),
                                      (["step", id, "approve-reset", "fail"], "fail"), (["approve", id, "approve-reset"], "approve")] {
                let refused = try act(arguments, "kim", "")
                #expect(refused.status == 1)
                #expect(refused.stderr == "runbook: error: kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi "
                        + "may \(verb) approval `approve-reset` (anyone on the roster may break the glass with --break-glass --reason TEXT)\n")
            }
            #expect(try act(["approve", id, "approve-reset"], "choi", "").status == 0)

            let unconfirmed = try act(["run", id, "reset"], "kim", "")
            #expect(unconfirmed.status == 64)
            #expect(unconfirmed.stderr == "runbook: error: step `reset` is destructive (touch reset-ran); to run it, confirm by naming it: "
                    + "runbook run \(id) reset --confirm reset\n")
            let wrongName = try act(["run", id, "reset", "--confirm", "restore"], "kim", "")
            #expect(wrongName.status == 64)
            #expect(wrongName.stderr.contains("--confirm restore does not name the step being run; to confirm it, type --confirm reset"))
            #expect(!FileManager.default.fileExists(atPath: marker))

            #expect(try act(["run", id, "reset", "--confirm", "reset"], "kim", "").status == 0)
            #expect(FileManager.default.fileExists(atPath: marker))
        }
    }

    @Test func aCommandNotFoundIsAFailedAttemptThatWaitsForADecision() throws {
        try withGatedWorkspace { act, _ in
            let id = try act(["start", "gated-restore"], "kim", "").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try act(["approve", id, "approve-reset"], "choi", "").status == 0)
            #expect(try act(["run", id, "reset", "--confirm", "reset"], "kim", "").status == 0)
            let failed = try act(["run", id, "restore"], "kim", "")
            #expect(failed.status == 1)
            #expect(failed.stderr.hasPrefix("runbook: error: step `restore` could not run: command not found: no-such-program-xyz (exit 127) "
                                            + "(stderr: "), "why it failed is in view: \(failed.stderr)")
            #expect(failed.stderr.contains("no-such-program-xyz: not found); it waits for your decision"))
            // The whole capture of each attempt stays reachable.
            let output = try act(["output", id, "restore"], "", "")
            #expect(output.status == 0)
            #expect(output.stdout.hasPrefix("\(id) step `restore` attempt 1 of 1, by kim at "))
            #expect(output.stdout.contains("could not run: command not found: no-such-program-xyz (exit 127)"))
            #expect(output.stdout.contains("--- stderr ("))
            #expect(output.stdout.contains("stderr SHA-256 "))
            let missing = try act(["output", id, "restore", "--attempt", "2"], "", "")
            #expect(missing.status == 64)
            #expect(missing.stderr == "runbook: error: step `restore` ran 1 time; choose --attempt 1 to 1\n")
            #expect(try act(["output", id, "reset"], "", "").stdout.contains("attempt 1 of 1"))
            // The severity can change, recorded like any action.
            #expect(try act(["severity", id, "sev1"], "kim", "").stdout.contains("severity changed from SEV2 to SEV1"))
            #expect(try act(["severity", id, "SEV9"], "kim", "").status == 64)
            let status = try act(["status", id], "", "")
            #expect(status.stdout.contains("[?]"))
            #expect(status.stdout.contains("could not run: command not found: no-such-program-xyz (exit 127)"))
            let timeline = try act(["timeline", id], "", "")
            #expect(timeline.stdout.contains("step `restore` Restore attempt failed, waiting for a decision (run again, done by hand, skip or fail): "
                                             + "could not run: command not found: no-such-program-xyz (exit 127)"))
            // The incident stays in its stage until someone decides; done by hand needs a note.
            let bare = try act(["step", id, "restore", "done"], "kim", "")
            #expect(bare.status == 64)
            #expect(bare.stderr.contains("without a note: its command failed (attempt 1: could not run: command not found"))
            let json = try JSONSerialization.jsonObject(with: Data(try act(["status", id, "--json"], "", "").stdout.utf8)) as? [String: Any]
            #expect(json?["status"] as? String == "open")
            let done = try act(["step", id, "restore", "done", "--note", "restored with pg_restore by hand"], "kim", "")
            #expect(done.status == 0)
            #expect(done.stdout.contains("incident closed"))
        }
    }

    @Test func breakingTheGlassIsRecordedPagedAndShown() throws {
        try withGatedWorkspace { act, directory in
            let id = try act(["start", "gated-restore"], "kim", "").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let noReason = try act(["approve", id, "approve-reset", "--break-glass"], "kim", "")
            #expect(noReason.status == 64)
            #expect(noReason.stderr.contains("breaking the glass needs a reason that the approvers will read"))
            let broken = try act(["approve", id, "approve-reset", "--break-glass", "--reason", "manager unreachable for 20m"], "kim", "")
            #expect(broken.status == 0)
            #expect(broken.stdout.contains("BREAK-GLASS: approval `approve-reset` Approve the reset overridden without manager: manager unreachable for 20m"))
            let log = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            let pages = log.split(separator: "\n").filter { $0.contains("kim overrode the approval of `approve-reset`") }
            #expect(pages.count == 1)
            #expect(pages.first?.contains("manager unreachable for 20m") == true)
            // Running the watcher's round again does not page twice.
            _ = try act(["status", id], "", "")
            let again = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            #expect(again.split(separator: "\n").filter { $0.contains("overrode") }.count == 1)

            let json = try #require(try JSONSerialization.jsonObject(with: Data(try act(["status", id, "--json"], "", "").stdout.utf8)) as? [String: Any])
            let steps = try #require(json["steps"] as? [[String: Any]])
            let override = try #require(steps.first?["override"] as? [String: Any])
            #expect(override["by"] as? String == "kim")
            #expect(override["reason"] as? String == "manager unreachable for 20m")
            #expect(steps.dropFirst().first?["destructive"] as? Bool == true)
            let findings = try #require(json["findings"] as? [[String: Any]])
            #expect(findings.contains { $0["kind"] as? String == "approval_overridden" && $0["by"] as? String == "kim"
                && $0["reason"] as? String == "manager unreachable for 20m" })
            #expect(try act(["status", id], "", "").stdout.contains("kim broke the glass: approval `approve-reset` overridden without manager"))
        }
    }

    @Test func guidedModeAsksForTheStepIdAndForTheMissingNote() throws {
        try withGatedWorkspace { act, directory in
            let id = try act(["start", "gated-restore"], "kim", "").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let script = """
                select reset
                run
                select 1
                break-glass
                manager unreachable for 20m
                select reset
                run
                yes
                run
                reset
                select restore
                run
                y
                done
                checked the row count by hand
                quit
                """
            let result = try act(["guide", id], "kim", script)
            // Before the approval the reset is refused, whatever is typed.
            #expect(result.stderr.contains("runbook: error: step `reset` waits for approval `approve-reset` by 운영 매니저 (manager): choi"))
            #expect(result.stdout.contains("approval `approve-reset` Approve the reset overridden without manager: manager unreachable for 20m"))
            // `yes` is not the step id: not run. Typing `reset` runs it.
            #expect(result.stdout.contains("DESTRUCTIVE: `touch reset-ran` (timeout 10m). Type `reset` to run it: "))
            #expect(result.stdout.contains("Not run."))
            #expect(FileManager.default.fileExists(atPath: "\(directory)/reset-ran"))
            #expect(result.stdout.contains("Step `restore` could not run: command not found: no-such-program-xyz (exit 127). Decide:"))
            // `done` after the failed run asks for the note instead of refusing.
            #expect(result.stdout.contains("cannot mark step `restore` done without a note"))
            #expect(result.stdout.contains("step `restore` Restore done: checked the row count by hand"))
        }
    }
}
