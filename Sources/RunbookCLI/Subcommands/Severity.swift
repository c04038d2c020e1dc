import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Severity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "severity",
            abstract: "Change an incident's severity (SEV1 to SEV4).",
            discussion: "Recorded with who and when; escalation tiers limited to severities follow the new one from now on.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "SEV1, SEV2, SEV3 or SEV4.")
        var severity: String

        func run() async throws {
            try await record(.changeSeverity(severity.uppercased()), incident: incident, global: global, action: action)
        }
    }
}
