import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Open an incident from a runbook and guide the response.",
            discussion: """
                Prints the new incident's id (INC-YYYYMMDD-NNNN). On a terminal it continues in guided mode; \
                otherwise (or with --no-guide) it prints the id and exits, and actions are recorded with \
                `runbook step`, `run`, `input`, `approve` and `note`, or by piping actions into `runbook guide`.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The runbook id, e.g. security-incident (see `runbook list`).", completion: Completions.runbooks)
        var runbook: String

        @Option(help: "A title for this incident (default: the runbook's title).")
        var title: String?

        @Option(help: "SEV1, SEV2, SEV3 or SEV4 (default: the runbook's).")
        var severity: String?

        @Option(help: ArgumentHelp("When the problem began, if before it was noticed (for the report's time to detect).",
                                   valueName: "TIME"))
        var impactStartedAt: String?

        @Option(help: ArgumentHelp("When the problem was noticed (default: now, the opening); not after the opening.", valueName: "TIME"))
        var detectedAt: String?

        @Flag(help: "Print the id and exit instead of guiding.")
        var noGuide = false

        @Flag(help: "Guided mode: run command steps without asking for confirmation.")
        var yes = false

        func validate() throws {
            if let severity, !Runbook.severities.contains(severity) {
                throw ValidationError("unknown severity `\(severity)`; use one of \(Runbook.severities.joined(separator: ", "))")
            }
            if action.at != nil { throw ValidationError("--at applies to actions entered after the fact, not to start") }
        }

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.service(create: true)
            let actor = try workspace.actor(action)
            let now = service.clock.now()
            let impact = ImpactTimes(startedAt: try workspace.pastTime(impactStartedAt, flag: "--impact-started-at", now: now),
                                     detectedAt: try workspace.pastTime(detectedAt, flag: "--detected-at", now: now))
            let snapshot = try service.start(runbookID: runbook, title: title, severity: severity, drill: false, actor: actor,
                                             impact: impact.nonEmpty)
            let notice = workspace.unlistedActorNotice(actor, action.who, team: snapshot.team)
            // Paging must not depend on someone remembering to start `watch`.
            workspace.ensureWatcher()
            if noGuide || !TTY.stdinIsTerminal {
                if let notice { err(notice) }
                out(snapshot.state.id)
                // Tier 1 is paged at once: deliver it here when no `runbook watch` runs.
                _ = try await service.deliverOwed(snapshot.state.id)
                return
            }
            var session = GuidedSession(service: service, incidentID: snapshot.state.id, actor: actor, tty: global.tty,
                                        confirmCommands: !yes)
            session.notices = notice.map { [$0] } ?? []
            try await session.run()
        }
    }
}
