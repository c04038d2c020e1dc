import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Guide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "guide",
            abstract: "Resume guided mode for an incident.",
            discussion: """
                Shows the incident, the current stage (k of n) with its deadline countdown and its steps, and \
                takes single-key actions: d done, s skip, f fail, r run, i input, a approve, b break the \
                glass, n note, k ack, e escalate, o output, ? help, q quit; arrow keys, Tab and 1-9 select a \
                step. Prompts are a line editor (arrow keys, Home, End, Backspace, Delete; Esc cancels). Several \
                people may guide the same incident from different terminals; each sees the others' actions.

                When stdin is not a terminal it reads one action per line, so it can be scripted:
                  done [note] | skip [note] | fail [note] | run | input VALUE | approve | note TEXT |
                  ack | escalate [reason] | output | select STEP | as NAME | status | quit
                A command step asks for confirmation (a line `y`) unless --yes is given.

                A drill (the child a drill's call step started, too) is guided as `runbook drill` guides it: \
                command steps are skipped with a note unless --run-commands is given.
                """)

        @OptionGroup var global: GlobalOptions

        @OptionGroup var actor: ActorOption

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Flag(help: "Run command steps without asking for confirmation.")
        var yes = false

        @Flag(help: "In a drill, run command steps for real when confirmed.")
        var runCommands = false

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.service()
            let incident = try service.resolveIncidentID(self.incident)
            _ = try service.runbook(of: incident)  // an unknown incident is refused before guiding
            let snapshot = try service.snapshot(incident)
            workspace.ensureWatcher()
            let actor = try workspace.actor(self.actor)
            var session = GuidedSession(service: service, incidentID: incident, actor: actor, tty: global.tty, confirmCommands: !yes)
            session.notices = workspace.unlistedActorNotice(actor, self.actor, team: snapshot.team).map { [$0] } ?? []
            // Resuming a drill, or guiding the drill a drill's call step started, must not run `supabase db reset` for real.
            session.drill = snapshot.state.drill
            session.runCommands = runCommands
            try await session.run()
        }
    }
}
