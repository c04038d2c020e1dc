import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct StepCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "step",
            abstract: "Mark a step of the current stage done, skipped or failed.",
            discussion: """
                Example: runbook step INC-20261126-0001 confirm-alert done --note "Sentry spike at 10:40"
                When every step of the stage is done or skipped, the incident moves to the next stage;
                a failed step follows the stage's on_fail. Command, input and approval steps have their
                own commands (run, input, approve).

                A step that waits for others (needs, order: sequential, an approval before it) cannot be
                done until they are; it may still be skipped or failed with a note. After a command's run
                failed, `done` (by hand: say what was checked instead) and `skip` need a note; only `fail`
                follows on_fail. Only holders of an approval's role may skip or fail it.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Argument(help: "The step id (see `runbook status INCIDENT`).")
        var step: String

        @Argument(help: "done, skip or fail.")
        var outcome: MarkArgument

        @Option(help: "A note kept with the step.")
        var note: String?

        func run() async throws {
            try record(.mark(step: step, outcome.mark, note: note), incident: incident, global: global, action: action)
        }
    }
}

/// The outcome argument of `runbook step`.
enum MarkArgument: String, ExpressibleByArgument, CaseIterable {
    case done, skip, fail

    var mark: IncidentCommand.StepMark {
        switch self {
        case .done: .done
        case .skip: .skip
        case .fail: .fail
        }
    }
}
