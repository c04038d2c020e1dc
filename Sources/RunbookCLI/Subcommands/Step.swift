import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct StepCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "step",
            abstract: "Mark a step of the current stage done, skipped or failed, or undo a mark made by mistake.",
            discussion: """
                Example: runbook step 4 confirm-alert done --note "Sentry spike at 10:40"

                When every step of the stage is done or skipped, the incident moves to the next stage; \
                a failed step follows the stage's on_fail. Command, input and approval steps have their \
                own commands (run, input, approve).

                A step that waits for others (needs, order: sequential, an approval before it) cannot be \
                done until they are; it may still be skipped or failed with a note. After a command's run \
                failed, `done` (by hand: say what was checked instead) and `skip` need a note; only `fail` \
                follows on_fail. Only holders of an approval's role may skip or fail it.

                A mark made by mistake is taken back with `undo` and a note saying what was wrong:
                  runbook step 4 confirm-alert undo --note "marked the wrong step"
                The mark stays in the log as a correction (the post-mortem lists it); the step is pending again. \
                Only marks in the current stage can be undone, never an approval (resolutions and closings are \
                taken back with `runbook reopen`).
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "The step id (see `runbook status INCIDENT`).", completion: Completions.steps)
        var step: String

        @Argument(help: "What to do with the step (undo needs --note).")
        var outcome: MarkArgument

        @Option(help: "A note kept with the step (required with undo: what was wrong).")
        var note: String?

        func validate() throws {
            if outcome == .undo, note?.trimmingWhitespace.isEmpty ?? true {
                throw ValidationError("undo needs --note saying what was wrong, e.g. --note \"marked the wrong step\"")
            }
        }

        func run() async throws {
            let command: IncidentCommand = switch outcome.mark {
            case .some(let mark): .mark(step: step, mark, note: note)
            case nil: .undo(step: step, note: note ?? "")
            }
            try await record(command, incident: incident, global: global, action: action)
        }
    }
}

/// The outcome argument of `runbook step`.
enum MarkArgument: String, ArgumentChoice {
    case done, skip, fail, undo

    /// The mark to make; nil for `undo`.
    var mark: IncidentCommand.StepMark? {
        switch self {
        case .done: .done
        case .skip: .skip
        case .fail: .fail
        case .undo: nil
        }
    }
}
