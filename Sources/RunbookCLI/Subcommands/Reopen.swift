import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen",
            abstract: "Open a resolved or closed incident again (the problem came back, or it was closed by mistake).",
            discussion: """
                Example: runbook reopen INC-20261126-0001 --reason "5xx errors returned at 16:10"
                The problem came back: the incident is open again and goes back to the stage that restores and \
                verifies service (the latest resolving stage it went through), so it is resolved anew there or \
                with `runbook resolve`; its RTO runs until then. A closed incident without such a stage enters its \
                last stage again. What paged before the reopening stops; its final post-mortem becomes a draft \
                until it closes again. The reopening is kept in the log and is a finding.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.reopenable)
        var incident: String

        @Option(help: "Why the incident is opened again (required).")
        var reason: String

        func run() async throws {
            try await record(.reopen(reason: reason), incident: incident, global: global, action: action)
            Workspace(global: global).ensureWatcher()
        }
    }
}
