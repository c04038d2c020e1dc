import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Output: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "output",
            abstract: "Show the captured output of a command step's run.",
            discussion: """
                Prints the head and tail of stdout and stderr that the run recorded (the middle of a long output is \
                cut; its size and SHA-256 say how much), with the exit code and duration. Every run of a step is an \
                attempt: --attempt N shows the Nth, the latest by default.
                Example: runbook output INC-20261126-0001 preserve-evidence --attempt 1
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "The command step id.", completion: Completions.steps)
        var step: String

        @Option(help: ArgumentHelp("Which run of the step (1 for the first; default the latest).", valueName: "n"))
        var attempt: Int?

        func run() async throws {
            let service = try Workspace(global: global).readOnlyService()
            let incident = try service.resolveIncidentID(self.incident)
            let snapshot = try service.snapshot(incident)
            let runs: [(at: Instant, by: String, outcome: CommandOutcome)] = snapshot.events.compactMap { event in
                guard case .commandFinished(_, let finished, let outcome) = event.event, finished == step else { return nil }
                return (event.at, event.actor, outcome)
            }
            guard snapshot.runbook.anyStep(step) != nil else {
                throw UserError(.usage, "no step `\(step)` in runbook \(snapshot.runbook.id); see `runbook status \(incident)`")
            }
            guard !runs.isEmpty else {
                throw UserError(.usage, "step `\(step)` of \(incident) has not run yet; run it with `runbook run \(incident) \(step)`")
            }
            let number = attempt ?? runs.count
            guard number >= 1, number <= runs.count else {
                throw UserError(.usage, "step `\(step)` ran \(runs.count) time\(runs.count == 1 ? "" : "s"); choose --attempt 1 to \(runs.count)")
            }
            let run = runs[number - 1]
            let verdict = snapshot.runbook.verdict(of: run.outcome, step: step)
            out(Message.outputAttempt(incident: incident, step: step, attempt: number, of: runs.count, by: TTY.inline(run.by),
                                      at: LocalTime.full(run.at), summary: verdict.summary(in: .current),
                                      duration: EventDescription.formatMilliseconds(run.outcome.durationMilliseconds)).text())
            if let hint = verdict.hint(in: .current), !verdict.succeeded { out(Message.outputHint(hint).text()) }
            if run.outcome.stdout.totalBytes + run.outcome.stderr.totalBytes == 0 { out(Message.outputNone.text()) }
            printOutput(run.outcome)
            for (name, output) in [("stdout", run.outcome.stdout), ("stderr", run.outcome.stderr)] where output.totalBytes > 0 {
                out("\(name) SHA-256 \(output.sha256)")
            }
        }
    }
}
