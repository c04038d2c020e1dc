import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Acknowledge an incident: someone is on it.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        func run() async throws {
            try await record(.acknowledge, incident: incident, global: global, action: action)
        }
    }
}
