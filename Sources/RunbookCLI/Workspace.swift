import ArgumentParser
import RunbookCore
import RunbookRuntime
import RunbookStore

/// Who acts.
struct ActorOption: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting (default: $RUNBOOK_USER, else $USER).", valueName: "name"))
    var actor: String?
}

/// Who acts and when, for commands that record something.
struct ActionOptions: ParsableArguments {
    @OptionGroup var who: ActorOption

    @Option(name: .customLong("at"), help: ArgumentHelp(
        "When it really happened, for an action entered after the fact: 10:42, \"2026-11-26 10:42\" or ISO-8601. Stored beside the recording time.",
        valueName: "time"))
    var at: String?
}

/// The pieces every incident command needs, built from the global options and the environment.
struct Workspace {
    var global: GlobalOptions

    /// The clock: `RUNBOOK_NOW` (ISO-8601) fixes now for one invocation, for drills and back-filling.
    ///
    /// Outside drills (`simulated: false`) a `RUNBOOK_NOW` more than a minute ahead of `real` is refused: an
    /// event stamped in the future would lock its incident for everyone until then. A drill runs on its own
    /// simulated clock and may start at any time.
    func clock(simulated: Bool = false, real: any WallClock = SystemClock()) throws(UserError) -> any WallClock {
        guard let text = environment("RUNBOOK_NOW") else { return real }
        guard let instant = Instant(iso8601: text) else {
            throw UserError(.usage, "RUNBOOK_NOW=\(text) is not an ISO-8601 time like 2026-11-26T10:42:00Z")
        }
        let now = real.now()
        if !simulated, instant.milliseconds(since: now) > 60_000 {
            throw UserError(.usage, "RUNBOOK_NOW=\(text) is ahead of the real clock (now is \(now.iso8601)); "
                            + "it may only fix a time in the past, up to a minute ahead (a drill runs on its own clock)")
        }
        return FixedClock(instant)
    }

    func actor(_ options: ActionOptions) throws(UserError) -> String {
        try actor(options.who)
    }

    /// `--as`, else `$RUNBOOK_USER`, else `$USER`.
    func actor(_ option: ActorOption) throws(UserError) -> String {
        let name = option.actor ?? environment("RUNBOOK_USER") ?? environment("USER") ?? "unknown"
        guard !name.isEmpty, !name.contains(where: { $0.isNewline }) else {
            throw UserError(.usage, "--as needs a name without line breaks")
        }
        return name
    }

    /// The `--at` time, checked against now.
    func occurredAt(_ options: ActionOptions, now: Instant) throws(UserError) -> Instant? {
        guard let text = options.at else { return nil }
        guard let instant = LocalTime.parse(text, reference: now) else {
            throw UserError(.usage, "--at \(text) is not a time; use 10:42, \"2026-11-26 10:42\" or 2026-11-26T10:42:00+09:00")
        }
        guard instant <= now else {
            throw UserError(.usage, "--at \(text) is in the future (now is \(LocalTime.full(now))); --at records when something already happened")
        }
        return instant
    }

    var library: RunbookLibrary { RunbookLibrary(directory: global.runbooksPath) }

    /// The roster and contacts of the runbooks directory in use, beside the team's configured directory
    /// (`RUNBOOK_PATH`, else `./runbooks`): a `--runbooks` pointing elsewhere is recorded as a finding.
    func team() throws(UserError) -> TeamFiles {
        try TeamFiles.load(directory: global.runbooksPath, configuredDirectory: environment("RUNBOOK_PATH") ?? "runbooks")
    }

    /// The incident service on the database (created at first use).
    func service(clock given: (any WallClock)? = nil, liveDrills: Bool = false) throws(UserError) -> IncidentService {
        let store = try IncidentService.openStore(path: global.databasePath)
        let clock: any WallClock
        if let given { clock = given } else { clock = try self.clock() }
        return IncidentService(store: store, library: library, clock: clock, team: try team(),
                               drillChannel: liveDrills ? nil : .file(path: "drill-notifications.log"))
    }

    /// Delivers an incident's owed pages now when no `runbook watch` runs (a running watcher delivers them
    /// within a second); prints what happened.
    func deliverUnlessWatched(_ incidentID: String, service: IncidentService) async throws(UserError) {
        guard let claim = DeliveryClaim(databasePath: global.databasePath) else {
            out("`runbook watch` is running: it delivers the pages.")
            return
        }
        defer { claim.release() }
        try printRecorded(try await service.deliverPending(incidentID, notifier: Notifier()), incident: incidentID, service: service)
    }
}
