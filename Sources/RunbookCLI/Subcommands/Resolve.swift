import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve",
            abstract: "Mark an incident resolved (service restored) before its resolving stage completes.",
            discussion: "The RTO clock stops at this time. The runbook's remaining stages (the follow-up) still apply.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Option(help: "How service was restored.")
        var note: String?

        func run() async throws {
            try await record(.resolve(note: note), incident: incident, global: global, action: action)
        }
    }
}
