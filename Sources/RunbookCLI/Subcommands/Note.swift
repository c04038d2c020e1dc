import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "note",
            abstract: "Add a note to an incident's log.",
            discussion: """
                A note starting with a tag fills that part of the post-mortem: `impact:`, `root-cause:`, `trigger:`, \
                `resolution:` and `detection:` its sections (e.g. runbook note INC "impact: logins failed for 20 \
                minutes"), `summary:` its summary, `action:` its action items (`action: rotate keys (owner: park)`), \
                `went-well:`, `went-wrong:` and `lucky:` its lessons learned. Untagged notes are listed as notes. \
                A note may span lines; every view shows control characters in it as text (\\e, \\x07, \\u{202E}).
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "The note.")
        var text: String

        func run() async throws {
            try await record(.note(text), incident: incident, global: global, action: action)
        }
    }
}
