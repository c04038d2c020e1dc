import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "escalate",
            abstract: "Page the next escalation tier now.",
            discussion: "Jumps the incident's running escalation to its next tier, or starts one above the highest tier paged so far. Recorded with your name and reason.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Option(help: "Why (goes into the page and the report).")
        var reason: String?

        func run() async throws {
            try await record(.escalate(reason: reason), incident: incident, global: global, action: action)
        }
    }
}
