import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Drill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "drill",
            abstract: "Run a practice incident on a simulated clock (the monthly disaster-recovery exercise).",
            discussion: """
                Opens an incident marked as a drill in every view and in the report, and guides it with a \
                clock running --speed times faster (default 60: a 10 minute deadline passes in 10 seconds). \
                Pages go to drill-notifications.log unless --live is given. Command steps are not run in a \
                drill unless --run-commands is given (running `supabase db reset` in a practice is a real reset). \
                Scripted (stdin not a terminal), the action `wait 10m` moves the simulated clock forward.
                """)

        @OptionGroup var global: GlobalOptions

        @OptionGroup var actor: ActorOption

        @Argument(help: "The runbook id, e.g. disaster-recovery.", completion: Completions.runbooks)
        var runbook: String

        @Option(help: "How much faster than real time the drill's clock runs.")
        var speed = 60

        @Flag(help: "Page the real contacts of runbooks/contacts.yaml instead of drill-notifications.log.")
        var live = false

        @Flag(help: "Run command steps for real when confirmed.")
        var runCommands = false

        func validate() throws {
            guard (1...3600).contains(speed) else { throw ValidationError("--speed takes 1 to 3600") }
        }

        func run() async throws {
            let workspace = Workspace(global: global)
            // The drill's clock is stored in its opening event: every process, the watcher included, computes the same time.
            let service = try workspace.service(clock: try workspace.clock(simulated: true), liveDrills: live, create: true, localOnly: "runbook drill")
            let actor = try workspace.actor(actor)
            let snapshot = try service.start(runbookID: runbook, title: nil, severity: nil, drill: true, actor: actor,
                                             drillSpeed: speed, liveDrill: live)
            workspace.ensureWatcher()
            out(Message.drillStarted(incident: snapshot.state.id, runbook: runbook, speed: speed, live: live).text())
            var session = GuidedSession(service: service, incidentID: snapshot.state.id, actor: actor, tty: global.tty,
                                        confirmCommands: true)
            session.drill = true
            session.runCommands = runCommands
            try await session.run()
        }
    }
}
