import ArgumentParser
import RunbookCore
import RunbookRuntime
import RunbookStore

/// Who acts.
struct ActorOption: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting (default: $RUNBOOK_USER, else $USER, else your login).", valueName: "name"))
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
            throw UserError(.usage, .nowNotISO(text))
        }
        let now = real.now()
        if !simulated, instant.milliseconds(since: now) > 60_000 {
            throw UserError(.usage, .nowAhead(text, now: now.iso8601))
        }
        return FixedClock(instant)
    }

    func actor(_ options: ActionOptions) throws(UserError) -> String {
        try actor(options.who)
    }

    /// `--as`, else `$RUNBOOK_USER`, else `$USER`, else the operating-system login (a shell without `USER`,
    /// such as a fresh tmux or a service, still records who acted rather than "unknown").
    func actor(_ option: ActorOption) throws(UserError) -> String {
        // Through a server the token decides who acts (SPEC §10).
        if let address = try serverAddress() {
            guard option.actor == nil else { throw UserError(.usage, Message.server(.asRefused)) }
            return try RemoteSession.open(address).person
        }
        let (name, source): (String, String) = if let given = option.actor {
            (given, "--as")
        } else if let given = environment("RUNBOOK_USER") {
            (given, "RUNBOOK_USER")
        } else if let given = environment("USER") {
            (given, "USER")
        } else {
            (OSLogin.current(), "the login")
        }
        try Self.checkActor(name, source: source)
        return name
    }

    /// What to say when nobody chose the actor (it came from `$USER` or the login, as root's does on a fresh host) and the
    /// team's roster does not name them: pages go to the people on it and only they may approve, so a responder acting
    /// as `root` learns at the first command how to act as themselves. Judged against the roster frozen into the
    /// incident (`team`), the one its approvals are checked against. Nil when the actor was chosen or is listed.
    func unlistedActorNotice(_ actor: String, _ option: ActorOption, team: TeamFiles) -> String? {
        guard option.actor == nil, environment("RUNBOOK_USER") == nil, !team.roster.roles.isEmpty,
              team.roster.roles[actor] == nil, (try? serverAddress()) == nil else { return nil }
        return Message.actorNotInRoster(actor: actor, source: environment("USER") == nil ? "login" : "USER",
                                        roster: "\(team.directory)/roster.yaml").text()
    }

    /// Refuses an actor name that is empty or carries a control character (`TextHygiene.isControl`):
    /// it would be printed in every view and page.
    static func checkActor(_ name: String, source: String) throws(UserError) {
        guard !name.trimmingWhitespace.isEmpty else {
            throw UserError(.usage, "\(source) needs a name; set --as NAME or RUNBOOK_USER")
        }
        if let refusal = TextHygiene.refusal(name, as: "a name") {
            throw UserError(.usage, "\(source) \"\(TextHygiene.escape(name))\": \(refusal); give a plain name with --as NAME")
        }
        if name.trimmingWhitespace.count != name.count {
            throw UserError(.usage, "\(source) \"\(TextHygiene.escape(name))\" starts or ends with a space; give the plain name with --as NAME")
        }
    }

    /// The `--at` time, checked against now.
    func occurredAt(_ options: ActionOptions, now: Instant) throws(UserError) -> Instant? {
        try pastTime(options.at, flag: "--at", now: now)
    }

    /// A time given with `flag` (ISO-8601, or local `YYYY-MM-DD HH:MM[:SS]` / `HH:MM[:SS]`), not later than now.
    func pastTime(_ text: String?, flag: String, now: Instant) throws(UserError) -> Instant? {
        guard let text else { return nil }
        guard let instant = LocalTime.parse(text, reference: now) else {
            throw UserError(.usage, .notATime(flag: flag, text: text))
        }
        guard instant <= now else {
            throw UserError(.usage, .timeInFuture(flag: flag, text: text, now: LocalTime.full(now)))
        }
        return instant
    }

    var library: RunbookLibrary { RunbookLibrary(directory: global.runbooksPath) }

    /// The runbooks responders choose from, each loaded and checked, with the files that do not load: the team
    /// server's folder through a server (SPEC §10), else the runbooks folder.
    func runbooks() throws(UserError) -> (loaded: [LoadedRunbook], problems: [UserError]) {
        // Each file with its text when the server sent it; a local file is read as it is loaded.
        let files: [(file: String, text: String?)]
        if let address = try serverAddress() {
            files = try RemoteEventStore(transport: try RemoteSession.open(address).transport, server: address.base).runbookTexts()
                .map { ($0.file, $0.text) }
        } else {
            files = try library.files().map { ($0, nil) }
        }
        var loaded: [LoadedRunbook] = []
        var problems: [UserError] = []
        for (file, text) in files {
            do throws(UserError) {
                let read: String
                if let text { read = text } else { read = try FileIO.read(file) }
                loaded.append(try RunbookLibrary.load(text: read, file: file))
            } catch {
                problems.append(error)
            }
        }
        return (loaded, problems)
    }

    /// The roster and contacts of the runbooks directory in use, beside the team's configured directory
    /// (`RUNBOOK_PATH`, else `./runbooks`): a `--runbooks` pointing elsewhere is recorded as a finding.
    func team() throws(UserError) -> TeamFiles {
        try TeamFiles.load(directory: global.runbooksPath, configuredDirectory: environment("RUNBOOK_PATH") ?? "runbooks")
    }

    /// The incident service on the database. Only the commands that open incidents (`start`, `drill`) and
    /// `watch` create the database; every other command refuses a database that does not exist, so a
    /// mistyped `--db` is an error, not a new empty file.
    ///
    /// With a team server named (`--server`, `RUNBOOK_SERVER`), the service works through it; `localOnly` names a
    /// command that works on the server's host only, refused then rather than run on some local database.
    ///
    /// `postgres` names the commands that also take a PostgreSQL URL as `--db` (SPEC §10: serve, export, import, verify,
    /// token, stats); every other command refuses one.
    func service(clock given: (any WallClock)? = nil, liveDrills: Bool = false, create: Bool = false,
                 readOnly: Bool = false, localOnly: String? = nil, postgres: Bool = false) throws(UserError) -> IncidentService {
        if let address = try serverAddress() {
            if let localOnly { throw UserError(.usage, Message.server(.notThroughServer(localOnly))) }
            return try remoteService(address, clock: given)
        }
        return try localService(clock: given, liveDrills: liveDrills, create: create, readOnly: readOnly, postgres: postgres)
    }

    /// The service on the local database, whatever `RUNBOOK_SERVER` says (`serve` is the server).
    func localService(clock given: (any WallClock)? = nil, liveDrills: Bool = false, create: Bool = false,
                      readOnly: Bool = false, postgres: Bool = false) throws(UserError) -> IncidentService {
        let location = try databaseLocation(postgres: postgres)
        if !create, location != ":memory:", !PostgresLocation.isPostgres(location), !FileIO.exists(location) {
            throw UserError(.usage, .noDatabase(location))
        }
        let store = try IncidentService.openDatabase(location, readOnly: readOnly)
        let clock: any WallClock
        if let given { clock = given } else { clock = try self.clock() }
        let service = IncidentService(store: store, library: library, clock: clock, team: try team(),
                                      drillChannel: liveDrills ? nil : .file(path: IncidentService.drillLog(databasePath: global.databasePath)),
                                      realClock: SystemClock())
        service.checkpointKeys = try CheckpointKeys.fromEnvironment()
        return service
    }

    /// The `--db` database, checked for this command: a PostgreSQL URL only for a command that takes one (`postgres`),
    /// which in the `runbook` binary starts `runbook-server` (the binary with the PostgreSQL client) in its place.
    ///
    /// `command` names the command in the refusal (default: the subcommand given).
    func databaseLocation(postgres: Bool, command: String? = nil) throws(UserError) -> String {
        let location = global.databasePath
        guard PostgresLocation.isPostgres(location) else { return location }
        guard postgres else {
            throw UserError(.usage, Message.server(.postgresNotHere(command: command ?? CommandLine.arguments.dropFirst().first ?? "runbook")))
        }
        if PostgresClient.current.withLock({ $0 }) == nil {
            try RunbookCommand.execServerBinary(purpose: "a PostgreSQL database (--db postgres://…)")
        }
        return location
    }

    /// The team server this command works through: `--server`, else `RUNBOOK_SERVER`, with `RUNBOOK_TOKEN`; nil for
    /// the local database.
    func serverAddress() throws(UserError) -> ServerAddress? {
        guard let url = global.server ?? environment("RUNBOOK_SERVER") else { return nil }
        return try ServerAddress(url: url, token: environment("RUNBOOK_TOKEN"))
    }

    /// The service working through the team server at `address`: it reads the server's log and sends every action
    /// there, as the token's person. In the `runbook` binary this starts `runbook-server`, which holds the HTTP client.
    func remoteService(_ address: ServerAddress, clock given: (any WallClock)?) throws(UserError) -> IncidentService {
        // The server records at its own time, in its own database: a local time or database named here would be ignored.
        if environment("RUNBOOK_NOW") != nil { throw UserError(.usage, Message.server(.notThroughServer("RUNBOOK_NOW"))) }
        if global.database != nil { throw UserError(.usage, Message.server(.notThroughServer("--db"))) }
        let session = try RemoteSession.open(address)
        let clock: any WallClock
        if let given { clock = given } else { clock = try self.clock() }
        let service = IncidentService(store: RemoteEventStore(transport: session.transport, server: address.base), library: library,
                                      clock: clock, team: try team(), login: session.identity.login, drillChannel: nil,
                                      realClock: SystemClock())
        service.callerIdentity = session.identity
        return service
    }

    /// Makes sure a watcher pages on time for this database (SPEC §5), saying on standard error what it did. Through a
    /// server, the server's watcher does.
    func ensureWatcher() {
        if (try? serverAddress()) != nil { return }
        switch BackgroundWatcher.ensure(databasePath: global.databasePath, runbooksPath: global.runbooksPath) {
        case .disabled, .alreadyRunning:
            break
        case .started(let pid, let log):
            err(Message.backgroundWatcherStarted(pid: pid, log: log).text())
        case .failed(let reason):
            err(Message.backgroundWatcherFailed(reason: reason).text())
        }
    }

    /// The service for read-only commands (status, timeline, report, verify): never creates a database.
    /// On a full disk it still reads.
    func readOnlyService(postgres: Bool = false) throws(UserError) -> IncidentService {
        try service(create: false, readOnly: true, postgres: postgres)
    }
}
