public import RunbookCore

extension IncidentService {
    /// Runs a command step: checks that it may start (gates, confirmation, an earlier run still alive), starts
    /// its supervisor, records the start with the group's pid and start time, lets the command run in its own
    /// process group with the step's timeout, and records the result (exit code, duration, capped output, or
    /// the interruption), which moves the incident on.
    ///
    /// The step's `env:` is added to the environment (values resolved by `CommandEnvironment.resolve`) and it
    /// runs in its `workdir:` (a relative one is the database's directory's, `workingDirectory` otherwise). A
    /// workdir that does not exist is a run that could not start, recorded as exit 127 with the reason.
    ///
    /// `confirmed` tells that the responder named the step to confirm a destructive command. With `killStale`,
    /// an earlier run still recorded as running whose group is alive is ended first (after checking its start
    /// time) and recorded as ended, then the step runs; the events returned begin with that record.
    nonisolated(nonsending) public func runCommandStep(_ stepID: String, on incidentID: String, actor: String, runner: CommandRunner, confirmed: Bool = false,
                               killStale: Bool = false, workingDirectory: String? = nil)
        async throws(UserError) -> (outcome: CommandOutcome, verdict: CommandVerdict, events: [RecordedEvent]) {
        if let remote { return try runRemotely(stepID, on: incidentID, confirmed: confirmed, killStale: killStale, through: remote) }
        // A command is run only from the runbook text the incident was opened with: an edited stored runbook
        // could run anything. The rest of the incident goes on; `verify` names the edit.
        let before = try snapshot(incidentID)
        let stored = before.runbookSnapshot
        if EventChain.sha256(stored.text) != stored.sha256 || stored.sha256 != before.state.runbookSHA256 {
            throw UserError(.data, "the runbook stored with incident \(incidentID) was edited after it started (its text no longer "
                            + "hashes to the SHA-256 it was opened with); its commands are not run: run `runbook verify \(incidentID)`, "
                            + "run the manual's command by hand, and record it with `runbook step \(incidentID) \(stepID) skip --note …`")
        }
        var previousRun = try previousRunCheck(stepID, on: incidentID)
        var staleEvents: [RecordedEvent] = []
        if killStale, let check = previousRun, check.alive {
            staleEvents = try await endStaleRun(stepID, on: incidentID, actor: actor,
                                                process: ProcessIdentity(pid: check.pid, startTime: check.startTime), grace: runner.killGrace)
            previousRun = nil
        }
        // Refused before anything starts, so the supervisor is not even launched.
        try check(.startCommand(step: stepID, pid: nil, previousRun: previousRun, confirmed: confirmed), on: incidentID, actor: actor)
        let current = try snapshot(incidentID)
        guard let step = current.runbook.state(current.state.stateID)?.step(stepID), case .command(let command) = step.kind else {
            throw UserError(.failed, "step `\(stepID)` is no longer current in incident \(incidentID)")
        }
        var environment = ["RUNBOOK_INCIDENT": incidentID, "RUNBOOK_RUNBOOK": current.runbook.id,
                           "RUNBOOK_STATE": current.state.stateID, "RUNBOOK_STEP": stepID, "RUNBOOK_ACTOR": actor,
                           "RUNBOOK_SEVERITY": current.state.severity]
        // A child of a call step: the environment its parent's step gave, resolved when the child started.
        for variable in current.state.calledBy?.environment ?? [] {
            environment[variable.name] = variable.value
        }
        var variables: [String: String] = [:]
        for (variable, value) in current.state.variables {
            variables[Step.variableName(for: variable)] = value
        }
        environment.merge(variables) { _, new in new }
        environment.merge(CommandEnvironment.resolve(command.environment, variables: variables)) { _, new in new }
        let directory = command.workdir.map { Self.resolve(workdir: $0, databasePath: databasePath) } ?? workingDirectory
        let started = clock.now()
        var recordedStart = false
        var leader: Int32?
        var outcome: CommandOutcome?
        var notStarted = directory.flatMap(Self.workdirProblem)
        if notStarted == nil {
            do {
                outcome = try await runner.run(command.run, environment: environment, timeout: .seconds(step.commandTimeout.seconds),
                                               workingDirectory: directory) { process in
                    do throws(UserError) {
                        try perform(.startCommand(step: stepID, pid: process.pid, startTime: process.startTime, previousRun: previousRun,
                                                  confirmed: confirmed), on: incidentID, actor: actor)
                        recordedStart = true
                        leader = process.pid
                    } catch {
                        throw StartNotRecorded(error: error)
                    }
                }
            } catch let error as StartNotRecorded {
                throw error.error
            } catch is CancellationError {
                throw UserError(.failed, "the run of step `\(stepID)` was interrupted; run it again with `runbook run \(incidentID) \(stepID)`")
            } catch {
                // Could not start (or stopped reading): a failed attempt, recorded as such.
                notStarted = (error as? UserError)?.message ?? "cannot run the command: \(error)"
            }
        }
        var ran: CommandOutcome
        if let outcome {
            ran = outcome
            // `expect:` is checked here, within the runner's budget, so a regex that backtracks without end is a
            // failed attempt rather than a run that never records its end; the engine keeps what was found.
            if let expect = step.expectationToCheck(outcome) {
                ran.expectation = await expect.evaluate(stdout: outcome.stdout, stderr: outcome.stderr, within: runner.checkBudget)
            }
        } else {
            if !recordedStart {
                try perform(.startCommand(step: stepID, pid: nil, previousRun: previousRun, confirmed: confirmed), on: incidentID, actor: actor)
            }
            let message = notStarted ?? "cannot run the command"
            ran = CommandOutcome(exitCode: 127, durationMilliseconds: clock.now().milliseconds(since: started), stdout: Self.noOutput,
                                 stderr: CapturedOutput(head: message, tail: "", totalBytes: Int64(message.utf8.count),
                                                        sha256: EventChain.sha256(message)),
                                 couldNotStart: message)
        }
        let events = try perform(.finishCommand(step: stepID, outcome: ran, pid: leader), on: incidentID, actor: actor)
        // The run as recorded (with what `expect:` found), so the caller says what the log says.
        let recorded = events.lazy.compactMap { event -> CommandOutcome? in
            if case .commandFinished(_, stepID, let outcome) = event.event { return outcome }
            return nil
        }.first ?? ran
        return (recorded, current.runbook.verdict(of: recorded, step: stepID), staleEvents + events)
    }

    /// A step's `workdir:` as a path: absolute as written, relative to the directory holding the database (SPEC §6's
    /// rule for file channels), never the process's working directory.
    public static func resolve(workdir: String, databasePath: String) -> String {
        if workdir.hasPrefix("/") { return workdir }
        return FileIO.sibling(workdir, of: databasePath)
    }

    /// Why a command cannot start in `directory`, or nil when it is a directory.
    static func workdirProblem(_ directory: String) -> String? {
        if FileIO.isDirectory(directory) { return nil }
        return FileIO.exists(directory) ? "workdir \(directory) is not a directory" : "workdir \(directory) does not exist"
    }

    /// Checks that a command step may start now, as `runCommandStep` would, without starting it (guided mode
    /// asks before confirming).
    public func checkCommandStart(_ stepID: String, on incidentID: String, actor: String, confirmed: Bool) throws(UserError) {
        let previousRun = try previousRunCheck(stepID, on: incidentID)
        try check(.startCommand(step: stepID, pid: nil, previousRun: previousRun, confirmed: confirmed), on: incidentID, actor: actor)
    }

    /// What is found now of the process recorded for a run of the step still marked running: whether the same
    /// pid with the same start time is alive. Nil when no run is recorded as running with a pid.
    func previousRunCheck(_ stepID: String, on incidentID: String) throws(UserError) -> ProcessCheck? {
        // A served incident's commands run on the server's host: its processes are not this host's to look up.
        guard remote == nil else { return nil }
        let progress = try snapshot(incidentID).state.steps[stepID]
        guard let progress, progress.status == .running, let pid = progress.pid else { return nil }
        return ProcessIdentity(pid: pid, startTime: progress.pidStartTime).check
    }

    /// Ends a run still recorded as running whose process group is alive (`--kill-stale`) and records it as
    /// ended: a failed attempt, so the step may run again.
    nonisolated(nonsending) func endStaleRun(_ stepID: String, on incidentID: String, actor: String, process: ProcessIdentity,
                     grace: Duration) async throws(UserError) -> [RecordedEvent] {
        guard process.startTime != nil else {
            throw UserError(.failed, "step `\(stepID)`'s run (pid \(process.pid)) was recorded by an older runbook without its start "
                            + "time, so pid \(process.pid) cannot be told from a reused pid and is not signalled; check it with "
                            + "`ps -o pid,lstart,args -g \(process.pid)` and end it by hand (kill -TERM -\(process.pid))")
        }
        guard await ProcessGroup.endStale(process, grace: grace) else {
            throw UserError(.failed, "step `\(stepID)`'s run (pid \(process.pid)) did not end after SIGTERM and SIGKILL; "
                            + "check it with `ps -o pid,stat,args -g \(process.pid)`")
        }
        // A run whose own `runbook` was still alive (another terminal, the team server's request) records its end itself
        // once its group is gone: then there is nothing left to record here, and the step may simply run again.
        func stillRunning() throws(UserError) -> Bool { try snapshot(incidentID).state.steps[stepID]?.status == .running }
        let state = try snapshot(incidentID).state
        guard state.steps[stepID]?.status == .running else { return [] }
        let now = now(for: state)
        let startedAt = state.steps[stepID]?.started?.at ?? now
        let outcome = CommandOutcome(exitCode: nil, interruption: .killedAsStale, durationMilliseconds: max(0, now.milliseconds(since: startedAt)),
                                     stdout: Self.noOutput, stderr: Self.noOutput)
        do {
            return try perform(.finishCommand(step: stepID, outcome: outcome, pid: process.pid), on: incidentID, actor: actor)
        } catch {
            if try !stillRunning() { return [] }
            throw error
        }
    }

    static let noOutput = CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: EventChain.sha256(""))
}

/// A start the engine refused or the store could not record, passed through the runner unchanged.
private struct StartNotRecorded: Error {
    var error: UserError
}
