#if canImport(Glibc)
import Glibc
#endif
public import RunbookCore

extension IncidentService {
    /// Runs a command step: records its start, runs it in its own process group with the step's timeout,
    /// and records the result (exit code, duration, capped output), which moves the incident on.
    /// `confirmed` tells that the responder named the step to confirm a destructive command.
    public func runCommandStep(_ stepID: String, on incidentID: String, actor: String, runner: CommandRunner, confirmed: Bool = false,
                               workingDirectory: String? = nil) async throws(UserError) -> (outcome: CommandOutcome, events: [RecordedEvent]) {
        let before = try snapshot(incidentID)
        // A command is run only from the runbook text the incident was opened with: an edited stored runbook
        // could run anything. The rest of the incident goes on; `verify` names the edit.
        let stored = before.runbookSnapshot
        if EventChain.sha256(stored.text) != stored.sha256 || stored.sha256 != before.state.runbookSHA256 {
            throw UserError(.data, "the runbook stored with incident \(incidentID) was edited after it started (its text no longer "
                            + "hashes to the SHA-256 it was opened with); its commands are not run: run `runbook verify \(incidentID)`, "
                            + "run the manual's command by hand, and record it with `runbook step \(incidentID) \(stepID) skip --note …`")
        }
        let progress = before.state.steps[stepID]
        // A run whose supervising process is gone (the laptop was killed mid-command) may be started again.
        let abandoned = progress?.status == .running && progress?.pid.map { !Self.processExists($0) } ?? false
        try perform(.startCommand(step: stepID, pid: getpid(), previousRunAbandoned: abandoned, confirmed: confirmed),
                    on: incidentID, actor: actor)
        let current = try snapshot(incidentID)
        guard let step = current.runbook.state(current.state.stateID)?.step(stepID), case .command(let command) = step.kind else {
            throw UserError(.failed, "step `\(stepID)` is no longer current in incident \(incidentID)")
        }
        var environment = ["RUNBOOK_INCIDENT": incidentID, "RUNBOOK_RUNBOOK": current.runbook.id,
                           "RUNBOOK_STATE": current.state.stateID, "RUNBOOK_STEP": stepID, "RUNBOOK_ACTOR": actor,
                           "RUNBOOK_SEVERITY": current.state.severity]
        for (variable, value) in current.state.variables {
            environment[Step.variableName(for: variable)] = value
        }
        let started = clock.now()
        let outcome: CommandOutcome
        do {
            outcome = try await runner.run(command.run, environment: environment,
                                           timeout: .seconds(step.commandTimeout.seconds), workingDirectory: workingDirectory)
        } catch is CancellationError {
            throw UserError(.failed, "the run of step `\(stepID)` was interrupted; run it again with `runbook run \(incidentID) \(stepID)`")
        } catch {
            let message = (error as? UserError)?.message ?? "cannot run the command: \(error)"
            let empty = CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: EventChain.sha256(""))
            outcome = CommandOutcome(exitCode: 127, durationMilliseconds: clock.now().milliseconds(since: started), stdout: empty,
                                     stderr: CapturedOutput(head: message, tail: "", totalBytes: Int64(message.utf8.count),
                                                            sha256: EventChain.sha256(message)))
        }
        let events = try perform(.finishCommand(step: stepID, outcome: outcome), on: incidentID, actor: actor)
        return (outcome, events)
    }

    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
