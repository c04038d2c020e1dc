import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a command step of the current stage, or start the incident a call step calls.",
            discussion: """
                Runs the step's command with /bin/sh -c in its own process group; the step's timeout kills \
                the whole group. Exit code, duration and the head and tail of the output are recorded. \
                Input values reach the command as RUNBOOK_VAR_<STEP_ID> environment variables; the step's \
                env: adds variables and workdir: sets the directory it runs in (relative to the database's \
                directory). A step with expect: also checks the output (a regex to match, or a number to \
                compare); the value found is recorded and shown.

                A step marked destructive (a database reset, a restore over live data) runs only when you \
                name it again: runbook run INC reset --confirm reset. A step that waits for an approval or \
                for other steps is refused, saying what it waits for and who can give it.

                A failed run is an attempt, not a verdict: the step waits for your decision and the incident \
                stays in its stage. Run it again, mark it done by hand (runbook step INC STEP done --note \
                "what was checked instead"), skip it with a note, or fail it (only failing follows on_fail). \
                Exit status 1 when the command fails.

                The command is never left running behind runbook. Ctrl-C, SIGTERM or SIGHUP (a closed \
                terminal) is passed on to the command's process group; whatever still runs a short grace \
                later gets SIGKILL, and the run is recorded as interrupted: a failed attempt. If runbook \
                itself is killed (kill -9, a crash), the small supervisor that leads the group sees it go \
                and kills the group at once; if runbook is only stopped (Ctrl-Z), the supervisor kills the \
                group itself a second after the timeout. What escapes: a process that leaves the group (a \
                daemon that calls setsid or setpgid, or `setsid CMD`) is no longer reached by signals to \
                the group, by design: that is how a step starts a service that must outlive it.

                While a run's process group is alive (the same pid with the same start time, read from \
                /proc/PID/stat), another run of the step is refused, naming the pid and start time. A run \
                whose process is gone, or whose pid now belongs to a process that started at another time, \
                may be run again. --kill-stale ends a live group first (SIGTERM, then SIGKILL, each only \
                after checking the start time, so a reused pid is never signalled), records that run as \
                ended, then runs the step.

                A call step (call: RUNBOOK) starts a linked child incident of that runbook instead, with this \
                incident's severity, drill flag and roster, and prints its id. The step is done when the child \
                resolves, and failed when the child is closed without resolving.
                """)

        @OptionGroup var global: GlobalOptions

        @OptionGroup var actor: ActorOption

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Argument(help: "The command step id.", completion: Completions.steps)
        var step: String

        @Option(help: ArgumentHelp("Confirm a destructive step by naming it again.", valueName: "step"))
        var confirm: String?

        @Flag(help: "End an earlier run of the step whose process group is still alive, record it, then run.")
        var killStale = false

        func validate() throws {
            if let confirm, confirm != step {
                throw ValidationError("--confirm \(confirm) does not name the step being run; to confirm it, type --confirm \(step)")
            }
        }

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.service()
            let incident = try service.resolveIncidentID(self.incident)
            // A call step starts its child incident instead of a command.
            if let call = try service.callSpec(of: step, on: incident) {
                let started = try service.startCall(step, on: incident, actor: try workspace.actor(actor))
                out(Message.callStarted(child: started.child.state.id, runbook: call.runbook, step: step).text())
                try printRecorded(started.events, incident: incident, service: service)
                return
            }
            let result = try await service.runCommandStep(step, on: incident, actor: try workspace.actor(actor), runner: CommandRunner(forwardsSignals: true),
                                                        confirmed: confirm == step, killStale: killStale)
            printOutput(result.outcome)
            try printRecorded(result.events, incident: incident, service: service)
            let verdict = result.verdict
            if !verdict.succeeded {
                // Why it failed, in view: the first line the command wrote on stderr.
                var said = result.outcome.stderr.head.split(separator: "\n").first.map { TTY.inline(String($0)) }
                if case .couldNotStart = verdict { said = nil }
                throw UserError(.failed, .runFailedWaits(incident: incident, step: step, summary: verdict.summary(in: .current), stderr: said,
                                                         hint: verdict.hint(in: .current)))
            }
        }
    }
}

/// Prints a command's captured output, marking what was cut.
func printOutput(_ outcome: CommandOutcome) {
    for (name, output) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] where output.totalBytes > 0 {
        out(Message.outputStream(name: name, bytes: output.totalBytes, truncated: output.truncated).text())
        out(escapedOutput(output.head))
        if !output.tail.isEmpty {
            out("[…]")
            out(escapedOutput(output.tail))
        }
    }
}

/// Captured output as a terminal may show it: control characters escaped (a command may print colour codes
/// or worse), each line indented by two columns under its header, no final line break.
func escapedOutput(_ text: String) -> String {
    var text = text[...]
    if text.last == "\n" || text.last == "\r\n" { text = text.dropLast() }
    return "  " + TTY.block(text, indent: 2)
}
