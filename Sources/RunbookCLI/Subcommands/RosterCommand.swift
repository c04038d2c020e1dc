import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct RosterCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roster",
            abstract: "The roster and contacts frozen into an incident.",
            subcommands: [Reload.self])

        struct Reload: AsyncParsableCommand {
            // Every command names itself: a name derived from the type would be demangled at every start (~0.7 ms).
            static let configuration = CommandConfiguration(
                commandName: "reload",
                abstract: "Freeze the current roster.yaml and contacts.yaml into a running incident (a shift handover).",
                discussion: """
                    An incident decides who may approve, and pages, by the roster and contacts frozen into it when \
                    it started: editing roster.yaml, or pointing --runbooks at another folder, changes nothing for \
                    an incident already running. At a shift handover, update roster.yaml (who is on call, who \
                    approves, their logins), then record the new version in the incident:

                      runbook roster reload INC-20261126-0001 --as kim

                    The reload is an event in the log (who reloaded, from which folder, the SHA-256 of both files); \
                    a reload from a folder other than the team's configured one (RUNBOOK_PATH, else ./runbooks) \
                    is shown as a finding in `runbook status` and the report.
                    """)

            @OptionGroup var global: GlobalOptions
            @OptionGroup var who: ActorOption

            @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
            var incident: String

            func run() async throws {
                let workspace = Workspace(global: global)
                let service = try workspace.service(localOnly: "runbook roster reload")
                let incident = try service.resolveIncidentID(self.incident)
                let events = try service.reloadRoster(incident, actor: try workspace.actor(who))
                try printRecorded(events, incident: incident, service: service)
            }
        }
    }
}
