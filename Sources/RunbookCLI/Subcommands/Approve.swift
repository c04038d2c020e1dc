import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "approve",
            abstract: "Approve an approval step (only holders of its role in the roster may), or break the glass.",
            discussion: """
                An approval gates every step listed after it in its stage. Only holders of its role may \
                approve, skip or fail it; when the roster binds a person to logins, only from those logins. \
                A refused approval is recorded in the log too.

                In an emergency, anyone on the roster may break the glass. It completes the approval whatever \
                its min, pages the approval's role at once with your reason, and shows as a finding in status \
                and the post-mortem:
                  runbook approve 4 approve-reset --break-glass --reason "manager away 20m"
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "The approval step id.", completion: Completions.steps)
        var step: String

        @Flag(help: "Override the approval without its role (recorded, paged, reported).")
        var breakGlass = false

        @Option(help: "Why the glass is broken (required with --break-glass; the approvers read it).")
        var reason: String?

        func validate() throws {
            if reason != nil, !breakGlass {
                throw ValidationError("--reason goes with --break-glass; an ordinary approval needs no reason")
            }
        }

        func run() async throws {
            let command: IncidentCommand = breakGlass ? .overrideApproval(step: step, reason: reason ?? "") : .approve(step: step)
            try await record(command, incident: incident, global: global, action: action)
        }
    }
}
