import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a note to an incident's log.",
            discussion: """
                Notes starting with `action:` become action items in the post-mortem; \
                `went-well:`, `went-wrong:` and `lucky:` fill its lessons learned. \
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
