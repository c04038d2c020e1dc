import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Input: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "input",
            abstract: "Record the value of an input step.",
            discussion: """
                Example: runbook input INC-20261126-0001 severity SEV1
                The value reaches later command steps only as the environment variable RUNBOOK_VAR_<STEP_ID>.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "The input step id.", completion: Completions.steps)
        var step: String

        @Argument(help: "The value (one of the step's choices, or free text).")
        var value: String

        func run() async throws {
            try await record(.input(step: step, value: value), incident: incident, global: global, action: action)
        }
    }
}
