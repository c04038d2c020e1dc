import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a command step of the current stage.",
            discussion: """
                Runs the step's command with /bin/sh -c in its own process group; the step's timeout kills
                the whole group. Exit code, duration and the head and tail of the output are recorded.
                Input values reach the command as RUNBOOK_VAR_<STEP_ID> environment variables.
                Exit status 1 when the command fails.
                """)

        @OptionGroup var global: GlobalOptions

        @OptionGroup var actor: ActorOption

        @Argument(help: "The incident id.")
        var incident: String

        @Argument(help: "The command step id.")
        var step: String

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.service()
            let result = try await service.runCommandStep(step, on: incident, actor: try workspace.actor(actor), runner: CommandRunner())
            printOutput(result.outcome)
            try printRecorded(result.events, incident: incident, service: service)
            if case .stepFailed(_, _, let note) = result.events.first(where: { if case .stepFailed = $0.event { true } else { false } })?.event {
                throw UserError(.failed, "step `\(step)` failed: \(note ?? "the command failed"); see `runbook timeline \(incident)`")
            }
        }
    }
}

/// Prints a command's captured output, marking what was cut.
func printOutput(_ outcome: CommandOutcome) {
    for (name, output) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] where output.totalBytes > 0 {
        out("--- \(name) (\(output.totalBytes) bytes\(output.truncated ? ", middle cut" : "")) ---")
        print(output.head, terminator: output.head.hasSuffix("\n") ? "" : "\n")
        if !output.tail.isEmpty {
            out("[…]")
            print(output.tail, terminator: output.tail.hasSuffix("\n") ? "" : "\n")
        }
    }
}
