public import RunbookCore
public import RunbookStore

/// An incident read from the store: its frozen runbook, its events and the state they fold to.
public struct IncidentSnapshot: Sendable {
    public var runbook: Runbook
    public var runbookSnapshot: RunbookSnapshot
    public var events: [RecordedEvent]
    public var state: IncidentState
    /// The roster and contacts in force: the latest frozen into the incident (for an incident recorded
    /// before rosters were frozen, the runbooks directory's files).
    public var team: TeamFiles
    /// Stored records that could not be read (an edited event): left out of the fold so the team can go on,
    /// and reported by verification.
    public var unreadable: [EventDecodingError] = []
    /// Every stored record, readable or not, for verification.
    public var records: [EventRecord] = []

    /// The incidents linked by call steps, as they stand now (filled for views by `snapshotAsOfNow`).
    public var linked: [LinkedIncident] = []
    /// The state the stored events alone fold to, when `state` also holds what has fallen due since and is not yet
    /// recorded (`snapshotAsOfNow`): what the incident's row must agree with.
    public var recordedState: IncidentState?

    /// The sequence of the last stored event, which the next append links to.
    public var lastStoredSequence: Int64 { records.last?.sequence ?? state.lastSequence }
}

/// The imperative shell around the engine: reads an incident, decides, appends, retries on a concurrent append.
public final class IncidentService {
    public let store: any EventStore
    /// The keys that sign the checkpoints leaving the machine and check signed ones (none by default).
    public var checkpointKeys = CheckpointKeys()
    public let library: RunbookLibrary
    public let clock: any WallClock
    /// The real clock a drill's time runs from (never `RUNBOOK_NOW`: a drill's clock is stored in the incident, so
    /// every process computes the same drill time).
    public let realClock: any WallClock
    /// The roster and contacts of the runbooks directory now: frozen into incidents when they start and by
    /// `roster reload`; a running incident decides and pages by its own frozen version (`IncidentSnapshot.team`).
    public let team: TeamFiles
    /// The operating-system login of this process.
    public let processLogin: String
    /// Who is recorded as having acted, on every event this service appends: the team server's token
    /// (`Identity.tokenLogin`) for the request being served, else this process's operating-system login.
    public var login: String { identity?.login ?? processLogin }
    /// Who this service acts as: the request being served, else the token of a command line working through a server
    /// (`callerIdentity`), else nil (this process's login).
    var identity: RequestIdentity? { Self.requestIdentity ?? callerIdentity }
    /// The token a command line working through a server acts with (SPEC §10): its checks before asking the server
    /// are decided as the server decides them.
    public var callerIdentity: RequestIdentity?
    /// The identity of the server request running in this task (SPEC §10: the token takes the login's place);
    /// nil outside the server. A task-local, so that concurrent requests never see each other's.
    @TaskLocal public static var requestIdentity: RequestIdentity?
    /// How times appear in messages.
    public let formatTime: @Sendable (Instant) -> String
    /// Where a drill's pages go instead of the contacts' channels (nil: to the real contacts).
    public let drillChannel: NotificationChannel?
    private var runbookCache: [String: Runbook] = [:]
    private var teamCache: [String: TeamFiles] = [:]

    public init(store: any EventStore, library: RunbookLibrary, clock: any WallClock, team: TeamFiles,
                login: String = OSLogin.current(), drillChannel: NotificationChannel? = .file(path: "drill-notifications.log"),
                realClock: (any WallClock)? = nil, formatTime: @escaping @Sendable (Instant) -> String = { LocalTime.time($0) }) {
        self.store = store
        self.library = library
        self.clock = clock
        self.realClock = realClock ?? clock
        self.team = team
        self.processLogin = login
        self.drillChannel = drillChannel
        self.formatTime = formatTime
    }

    /// The channels a role of an incident is paged through, by the incident's contacts. A drill pages the drill
    /// log unless it was started `--live` (an older drill: unless this process was).
    public func channels(for role: String, contacts: Contacts, state: IncidentState) -> [NotificationChannel] {
        let live = state.drillClock?.live ?? (drillChannel == nil)
        if state.drill, !live { return [drillChannel ?? .file(path: Self.drillLog(databasePath: databasePath))] }
        return contacts.channels(for: role)
    }

    /// The drill log beside the database (SPEC §6: a relative file is the database's, never the working directory's),
    /// so a drill's pages land in one place whoever delivers them.
    public static func drillLog(databasePath: String) -> String {
        FileIO.sibling("drill-notifications.log", of: databasePath)
    }

    /// "Now" for an incident: a drill's own time (from the clock stored in it), the service's clock otherwise.
    public func now(for state: IncidentState) -> Instant {
        state.drillTime(atReal: realClock.now()) ?? clock.now()
    }

    /// The list row of an incident in `state`. A drill's due time is scheduled in real time, for `watch`; a drill
    /// recorded without its clock runs only inside `runbook drill` and is never scheduled.
    func projection(_ state: IncidentState, _ runbook: Runbook, contacts: Contacts) -> IncidentProjection {
        var projection = state.projection(in: runbook) { role in
            self.channels(for: role, contacts: contacts, state: state).map(\.description)
        }
        if state.drill {
            projection.nextDueAt = state.drillClock.flatMap { clock in
                projection.nextDueAt.map { clock.realTime(of: $0, advanced: state.drillAdvanced) }
            }
        }
        return projection
    }

    /// The database file (for the watch lock beside it).
    public var databasePath: String { (store as? SQLiteEventStore)?.path ?? "incidents.db" }

    /// The database as messages name it: the file, or a PostgreSQL URL without its password.
    public var databaseName: String { store.databaseName ?? databasePath }

    /// The store at `location`: a PostgreSQL URL (through `PostgresClient`), else a SQLite file (`openStore`).
    public static func openDatabase(_ location: String, readOnly: Bool = false) throws(UserError) -> any EventStore {
        guard PostgresLocation.isPostgres(location) else { return try openStore(path: location, readOnly: readOnly) }
        let client = try PostgresClient.installed()
        do {
            return try client.openStore(location, readOnly)
        } catch {
            // Its messages name the database without the password; the URL as given may hold one.
            throw userError(error, database: nil)
        }
    }

    /// The database file and its -wal and -shm are made mode 0600 (0660 for `RUNBOOK_GROUP`), also when they
    /// existed before, with a one-line notice when something changed.
    public static func openStore(path: String, readOnly: Bool = false) throws(UserError) -> SQLiteEventStore {
        let sharing = try FileSharing.fromEnvironment()
        let existed = path != ":memory:" && FileIO.exists(path)
        let store: SQLiteEventStore
        do {
            store = try SQLiteEventStore(path: path, readOnly: readOnly)
        } catch {
            throw userError(error, database: path)
        }
        // Only a file that proved to be a runbook database is touched. One that was there before is fixed with
        // a notice; one just created is made right quietly.
        if path != ":memory:" {
            for file in [path, "\(path)-wal", "\(path)-shm"] {
                if existed { _ = try? sharing.secureAndTell(file) } else { _ = try? sharing.secure(file) }
            }
        }
        return store
    }

    // MARK: - Reading

    /// Reads and replays an incident.
    public func snapshot(_ incidentID: String) throws(UserError) -> IncidentSnapshot {
        let records: [EventRecord]
        let snapshot: RunbookSnapshot?
        do {
            snapshot = try store.runbook(of: incidentID)
            records = try store.events(of: incidentID, after: 0)
        } catch {
            throw Self.userError(error, database: nil)
        }
        guard let snapshot else {
            if (try? store.incident(incidentID)) != nil {
                throw UserError(.data, "the runbook text incident \(incidentID) runs is missing from the database (removed behind runbook's "
                                + "back); run `runbook verify \(incidentID)`")
            }
            throw unknownIncident(incidentID)
        }
        let runbook = try frozenRunbook(snapshot, incidentID: incidentID)
        var events: [RecordedEvent] = []
        var unreadable: [EventDecodingError] = []
        events.reserveCapacity(records.count)
        for record in records {
            do {
                events.append(try IncidentEvent.decode(record))
            } catch {
                // A broken log never locks the team out mid-outage: the event is left out and verification names it.
                unreadable.append(error)
            }
        }
        guard let state = IncidentState.replay(events) else {
            throw UserError(.data, "incident \(incidentID) has no readable opening event; run `runbook verify \(incidentID)`")
        }
        return IncidentSnapshot(runbook: runbook, runbookSnapshot: snapshot, events: events, state: state,
                                team: try frozenTeam(state.roster, incidentID: incidentID), unreadable: unreadable, records: records)
    }

    /// The roster and contacts frozen into an incident, parsed from their stored texts (cached by hash); the
    /// runbooks directory's files for an incident recorded before rosters were frozen.
    func frozenTeam(_ freeze: RosterFreeze?, incidentID: String) throws(UserError) -> TeamFiles {
        guard let freeze else {
            var unfrozen = team
            unfrozen.contacts = team.unfrozenContacts
            return unfrozen
        }
        if let cached = teamCache[Self.teamKey(freeze)] { return cached }
        // Most incidents run on the files of the folder in use: no need to read and parse them again.
        if Self.teamKey(team.freeze(reload: false)) == Self.teamKey(freeze), team.configuredDirectory == freeze.configuredDirectory {
            teamCache[Self.teamKey(freeze)] = team
            return team
        }
        func text(_ sha256: String) throws(UserError) -> String? {
            let stored: String?
            do {
                stored = try store.frozenText(sha256: sha256)
            } catch {
                throw Self.userError(error, database: nil)
            }
            guard let stored, EventChain.sha256(stored) == sha256 else { return nil }
            return stored
        }
        guard let roster = try text(freeze.rosterSHA256), let contacts = try text(freeze.contactsSHA256) else {
            // An edited or deleted frozen text never locks the team out mid-outage: the incident goes on with the
            // folder's files, as incidents recorded before rosters were frozen do, and verification names the edit
            // in every view.
            return team
        }
        let files = try TeamFiles(directory: freeze.directory, configuredDirectory: freeze.configuredDirectory,
                                  rosterText: roster, contactsText: contacts, source: "\(incidentID):\(freeze.directory)")
        teamCache[Self.teamKey(freeze)] = files
        return files
    }

    static func teamKey(_ freeze: RosterFreeze) -> String {
        "\(freeze.rosterSHA256)/\(freeze.contactsSHA256)/\(freeze.directory)"
    }

    /// The runbook an incident was started with, without reading its events.
    public func runbook(of incidentID: String) throws(UserError) -> Runbook {
        let stored: RunbookSnapshot?
        do {
            stored = try store.runbook(of: incidentID)
        } catch {
            throw Self.userError(error, database: nil)
        }
        guard let stored else { throw unknownIncident(incidentID) }
        return try frozenRunbook(stored, incidentID: incidentID)
    }

    /// The runbook an incident was started with, parsed from its stored text (cached by hash).
    func frozenRunbook(_ snapshot: RunbookSnapshot, incidentID: String) throws(UserError) -> Runbook {
        if let cached = runbookCache[snapshot.sha256] { return cached }
        switch RunbookLoader.load(snapshot.text, file: "\(incidentID):\(snapshot.runbookID).yaml") {
        case .success(let decoded):
            runbookCache[snapshot.sha256] = decoded.runbook
            return decoded.runbook
        case .failure(let invalid):
            throw UserError(.data, "the runbook stored with incident \(incidentID) no longer loads: "
                            + (invalid.diagnostics.first?.headline ?? "invalid"))
        }
    }

    /// The error for an incident id that is not in the database, with the nearest id suggested.
    public func unknownIncident(_ id: String) -> UserError {
        let ids = (try? store.incidents(statuses: nil).map(\.id)) ?? []
        var error = UserError(.usage, .unknownIncident(id, nearest: Suggestion.nearest(to: id, in: ids)))
        error.cause = .unknownIncident
        return error
    }

    // MARK: - Writing

    /// Opens an incident from the runbook `runbookID` and returns it.
    /// A drill (`drillSpeed` given) runs on a clock stored in its opening event, from now at that speed.
    /// `impact` holds when the problem began and was noticed (`start --impact-started-at`, `--detected-at`).
    public func start(runbookID: String, title: String?, severity: String?, drill: Bool, actor: String,
                      drillSpeed: Int? = nil, liveDrill: Bool = false, impact: ImpactTimes? = nil) throws(UserError) -> IncidentSnapshot {
        if let remote {
            return try startRemotely(runbookID: runbookID, title: title, severity: severity, drill: drill, through: remote,
                                     unsupported: drillSpeed != nil || liveDrill || impact != nil)
        }
        guard let started = try start(runbookID: runbookID, title: title, severity: severity, drill: drill, actor: actor, bringUpToDate: true,
                                      drillSpeed: drillSpeed, liveDrill: liveDrill, impact: impact) else {
            throw UserError(.failed, "the incident was not opened")
        }
        return started
    }

    /// Opens an incident; a scheduled run carries its slot (`scheduled`), and nil is returned when that slot was
    /// already started (the store refuses a second start of a slot, also to a watcher racing this one).
    func start(runbookID: String, title: String?, severity: String?, drill: Bool, actor: String,
               bringUpToDate: Bool, drillSpeed: Int? = nil, liveDrill: Bool = false, impact: ImpactTimes? = nil,
               scheduled: ScheduledSlot? = nil, alert: ReceivedAlert? = nil) throws(UserError) -> IncidentSnapshot? {
        let loaded = try library.load(runbookID)
        let now = clock.now()
        // The roster and contacts in force are frozen into the incident: their texts first, then the event naming them.
        let freeze = try storeFrozenTexts(of: team, reload: false)
        return try open(loaded, title: title, severity: severity, drill: drill,
                        drillClock: drillSpeed.map { DrillClock(start: now, realStart: realClock.now(), speed: $0, live: liveDrill) },
                        actor: actor, now: now, team: team, freeze: freeze, impact: impact, calledBy: nil, scheduled: scheduled,
                        alert: alert, bringUpToDate: bringUpToDate)
    }

    /// Opens an incident of `loaded` at `now`, deciding by `team` (the roster in force) and recording `freeze` as its
    /// frozen roster and contacts; a child of a call step names its parent in `calledBy`, a scheduled run its slot in
    /// `scheduled` (nil is returned when that slot was already started).
    func open(_ loaded: LoadedRunbook, title: String?, severity: String?, drill: Bool, drillClock: DrillClock?, actor: String, now: Instant,
              team: TeamFiles, freeze: RosterFreeze, impact: ImpactTimes?, calledBy: CallOrigin?, scheduled: ScheduledSlot? = nil,
              alert: ReceivedAlert? = nil, bringUpToDate: Bool) throws(UserError) -> IncidentSnapshot? {
        let runbookID = loaded.runbook.id
        let snapshot = RunbookSnapshot(runbookID: runbookID, text: loaded.text)
        let context = context(runbook: loaded.runbook, roster: team.roster, actor: actor, now: now, occurredAt: nil)
        // So are the maintenance windows that concern the runbook, each with its zone's rules (SPEC §3.2).
        // A broken calendar never keeps an incident from starting (it may be a SEV1): it starts without windows, and says so.
        var calendar = MaintenanceCalendar()
        var calendarProblem: String?
        do {
            calendar = try CalendarFile.load(directory: library.directory)
        } catch {
            calendarProblem = error.message
        }
        let windows = calendar.windows(for: loaded.runbook).map { $0.frozen(from: now) }
        let events: [IncidentEvent]
        do {
            events = try IncidentEngine.open(runbook: loaded.runbook, snapshotSHA256: snapshot.sha256, title: title,
                                             severity: severity, drill: drill, drillClock: drillClock,
                                             roster: freeze, impact: impact, calledBy: calledBy, scheduled: scheduled,
                                             calendar: windows, alert: alert, context: context)
        } catch {
            throw UserError(error.kind == .usage ? .usage : .failed, error.message)
        }
        guard let state = IncidentEngine.project(events, onto: nil, context: context) else {
            throw UserError(.failed, "the runbook \(runbookID) produced no opening event")
        }
        let prefix = "INC-" + LocalTime.civil(now).compactDate
        let id: String
        do throws(StoreError) {
            id = try store.createIncident(idPrefix: prefix, runbook: snapshot,
                                          events: events.map { $0.pending(actor: actor, login: login, recordedAt: now) },
                                          projection: projection(state, loaded.runbook, contacts: team.contacts)).id
        } catch {
            if case .slotTaken = error, scheduled != nil { return nil }
            throw Self.userError(error, database: nil)
        }
        if let calendarProblem {
            _ = try perform(.note(Message.calendarUnreadable(problem: calendarProblem).text(in: .english)), on: id, actor: Scheduler.systemActor)
        }
        // Tier 1 of the unacknowledged page is due at once.
        if bringUpToDate { try self.bringUpToDate(id) }
        return try self.snapshot(id)
    }

    /// Stores the texts of `files` by SHA-256 and returns the facts of freezing them.
    func storeFrozenTexts(of files: TeamFiles, reload: Bool) throws(UserError) -> RosterFreeze {
        do {
            try store.storeFrozenText(files.rosterText)
            try store.storeFrozenText(files.contactsText)
        } catch {
            throw Self.userError(error, database: nil)
        }
        let freeze = files.freeze(reload: reload)
        teamCache[Self.teamKey(freeze)] = files
        return freeze
    }

    /// Freezes the runbooks directory's roster and contacts into a running incident, as `actor` (a shift
    /// handover); from then on the incident decides approvals and pages by them.
    @discardableResult
    public func reloadRoster(_ incidentID: String, actor: String) throws(UserError) -> [RecordedEvent] {
        let freeze = try storeFrozenTexts(of: team, reload: true)
        return try perform(.reloadRoster(freeze), on: incidentID, actor: actor)
    }

    /// The incident an argument names: its full id, its number for today's incidents (`4` for
    /// `INC-<today>-0004`), or an unambiguous end of its id (`0004`, `1126-0004`). Anything else is returned as
    /// given, for the caller's unknown-incident error with its suggestion.
    public func resolveIncidentID(_ text: String) throws(UserError) -> String {
        if (try? store.incident(text)) != nil { return text }
        guard !text.isEmpty, let ids = try? store.incidents(statuses: nil).map(\.id) else { return text }
        if text.allSatisfy(\.isNumber), let number = Int64(text), number > 0 {
            let today = IncidentID.make(prefix: "INC-" + LocalTime.civil(clock.now()).compactDate, number: number)
            if ids.contains(today) { return today }
        }
        let matches = ids.filter { $0.hasSuffix(text) }
        if matches.count == 1, let only = matches.first { return only }
        if matches.count > 1 {
            throw UserError(.usage, .ambiguousIncident(text, matches: matches))
        }
        return text
    }

    /// The incident as it stands now, with what time has made due folded in but not recorded: what read-only
    /// views show (SPEC §5: they compute what is due and show it, but never append).
    public func snapshotAsOfNow(_ incidentID: String) throws(UserError) -> IncidentSnapshot {
        var current = try snapshot(incidentID)
        let now = now(for: current.state)
        if now >= current.state.lastRecordedAt {
            current.recordedState = current.state
            current.state = dueFoldedIn(current, now: now).state
        }
        if current.state.calledBy != nil || !current.state.calls.isEmpty { current.linked = linkedIncidents(of: current.state) }
        return current
    }

    /// What time has made due by `now`, and the state with it folded in (not recorded): the state every
    /// decision and every view is taken on.
    ///
    /// First the calls whose child incident ended but which this log does not reflect yet (the process that ended the
    /// child died before it recorded the parent's side): each is settled here, once, as the child's log tells it.
    func dueFoldedIn(_ current: IncidentSnapshot, now: Instant) -> (due: [IncidentEvent], state: IncidentState) {
        let system = context(current, actor: Scheduler.systemActor, now: now, occurredAt: nil)
        var events: [IncidentEvent] = []
        var state = current.state
        for outcome in endedChildren(of: state) {
            let settled = IncidentEngine.settleCall(outcome, state: state, context: system)
            events += settled
            state = IncidentEngine.project(settled, onto: state, context: system) ?? state
        }
        let due = Scheduler.due(state: state, runbook: current.runbook, now: now)
        guard !due.isEmpty else { return (events, state) }
        return (events + due, IncidentEngine.project(due, onto: state, context: system) ?? state)
    }

    /// Records what time has made due (missed deadlines, finished waits, pages), so the log is right even
    /// when no `watch` runs. Returns the events recorded.
    @discardableResult
    public func bringUpToDate(_ incidentID: String) throws(UserError) -> [RecordedEvent] {
        // Through a server, its watcher records what falls due.
        guard remote == nil else { return [] }
        return try appendAsSystem(incidentID) { current, now in
            // A fixed clock behind the log (RUNBOOK_NOW) has nothing to add.
            guard now >= current.state.lastRecordedAt else { return ([], now) }
            return (dueFoldedIn(current, now: now).due, now)
        }
    }

    /// Decides `command` on the incident's current log and appends the result; retries when someone else
    /// appended in between, so the decision is always taken on the latest state.
    @discardableResult
    ///
    /// With `expectedSequence` (the server's `If-Match`), the action is refused when the incident's last event is no
    /// longer that one: the caller decided on a log that has changed since.
    public func perform(_ command: IncidentCommand, on incidentID: String, actor: String,
                        occurredAt: Instant? = nil, expectedSequence: Int64? = nil) throws(UserError) -> [RecordedEvent] {
        if let remote { return try performRemotely(command, on: incidentID, occurredAt: occurredAt, through: remote) }
        for _ in 0..<20 {
            let current = try snapshot(incidentID)
            try Self.requireUnchanged(current, since: expectedSequence)
            let now = now(for: current.state)
            try checkClock(now, current.state)
            // First what time has made due, then the command, decided on the state after it; one append.
            let (due, state) = dueFoldedIn(current, now: now)
            let context = context(current, actor: actor, now: now, occurredAt: occurredAt)
            let events: [IncidentEvent]
            var refusal: Refusal?
            do {
                events = try IncidentEngine.decide(command, state: state, context: context)
            } catch {
                refusal = error
                events = error.record
            }
            let all = due.map { ($0, Scheduler.systemActor) } + events.map { ($0, actor) }
            if !all.isEmpty {
                do {
                    let records = try append(all, to: current, context: context)
                    if refusal == nil { return Array(records.suffix(events.count)) }
                } catch {
                    if case .conflict = error { continue }
                    throw Self.userError(error, database: nil)
                }
            }
            if let refusal { throw UserError(refusal) }
            return []
        }
        throw UserError(.failed, "incident \(incidentID) is changing too fast to record this action; try again")
    }

    /// Refuses an action decided on an older log: `expected` (the server's `If-Match`), when given, must be the sequence of
    /// the incident's last stored event.
    public static func requireUnchanged(_ current: IncidentSnapshot, since expected: Int64?) throws(UserError) {
        guard let expected, current.lastStoredSequence != expected else { return }
        var error = UserError(.failed, .server(.changedSince(incident: current.state.id, expected: expected, actual: current.lastStoredSequence)))
        error.cause = .changedSince
        throw error
    }

    /// The events `command` would record now, decided on the latest log without recording anything (guided
    /// mode asks before an action that would resolve or close the incident); throws the refusal it would meet.
    public func preview(_ command: IncidentCommand, on incidentID: String, actor: String) throws(UserError) -> [IncidentEvent] {
        let current = try snapshot(incidentID)
        let now = clock.now()
        let state = dueFoldedIn(current, now: now).state
        do {
            return try IncidentEngine.decide(command, state: state, context: context(current, actor: actor, now: now, occurredAt: nil))
        } catch {
            throw UserError(error)
        }
    }

    /// Decides `command` on the latest log without recording anything: throws the refusal it would meet.
    /// Guided mode asks before it prompts (for a destructive command's confirmation) so that nobody types a
    /// confirmation for a step that is still gated.
    public func check(_ command: IncidentCommand, on incidentID: String, actor: String) throws(UserError) {
        let current = try snapshot(incidentID)
        let now = now(for: current.state)
        let state = dueFoldedIn(current, now: now).state
        do {
            _ = try IncidentEngine.decide(command, state: state, context: context(current, actor: actor, now: now, occurredAt: nil))
        } catch {
            throw UserError(error)
        }
    }

    /// Appends events decided on `current` (each with its actor), with the projection they lead to.
    /// `context` gives the time; events by the system carry no `--at`; every event carries this process's login.
    func append(_ events: [(IncidentEvent, String)], to current: IncidentSnapshot, context: DecisionContext) throws(StoreError) -> [RecordedEvent] {
        var projected = current.state
        var pending: [PendingEvent] = []
        for (event, actor) in events {
            let occurredAt = actor == Scheduler.systemActor ? nil : context.occurredAt
            var eventContext = context
            eventContext.actor = actor
            eventContext.occurredAt = occurredAt
            projected = IncidentEngine.project([event], onto: projected, context: eventContext) ?? projected
            pending.append(event.pending(actor: actor, login: login, recordedAt: context.now, occurredAt: occurredAt))
        }
        // A reload in this append pages by the new contacts from now on (`storeFrozenTexts` cached them).
        let reloaded = projected.roster == current.state.roster ? nil : projected.roster.flatMap { teamCache[Self.teamKey($0)] }
        let contacts = reloaded?.contacts ?? current.team.contacts
        let records = try store.append(pending, to: current.state.id, expectedSequence: current.lastStoredSequence,
                                       projection: projection(projected, current.runbook, contacts: contacts))
        // A child that resolved or closed just now settles its parent's call step, in the parent's own transaction,
        // decided on the parent's latest log; if this process dies first, the parent's next action settles it.
        if let parent = projected.calledBy?.incident,
           events.contains(where: { if case .resolved = $0.0 { true } else if case .closed = $0.0 { true } else { false } }) {
            _ = try? bringUpToDate(parent)
        }
        return zip(records, events).map { record, event in
            RecordedEvent(record: record, event: event.0, occurredAt: event.1 == Scheduler.systemActor ? nil : context.occurredAt,
                          login: login)
        }
    }

    /// Appends the engine's own events, as `decide` chooses them on the latest snapshot at a time it returns,
    /// retrying when someone else appended in between.
    func appendAsSystem(_ incidentID: String,
                        _ decide: (IncidentSnapshot, Instant) -> (events: [IncidentEvent], at: Instant)) throws(UserError) -> [RecordedEvent] {
        for _ in 0..<20 {
            let current = try snapshot(incidentID)
            let (events, at) = decide(current, now(for: current.state))
            guard !events.isEmpty else { return [] }
            let context = context(current, actor: Scheduler.systemActor, now: at, occurredAt: nil)
            do {
                return try append(events.map { ($0, Scheduler.systemActor) }, to: current, context: context)
            } catch {
                if case .conflict = error { continue }
                throw Self.userError(error, database: nil)
            }
        }
        throw UserError(.failed, "incident \(incidentID) is changing too fast to record what the engine did; try again")
    }

    /// A fixed "now" (RUNBOOK_NOW) may not go back before what the incident already recorded.
    func checkClock(_ now: Instant, _ state: IncidentState) throws(UserError) {
        guard now >= state.lastRecordedAt else {
            throw UserError(.usage, .nowBeforeLastEvent(now: now.iso8601, incident: state.id, last: state.lastRecordedAt.iso8601))
        }
    }

    /// The facts of a decision on `current`: its frozen runbook and roster, who acts (the declared actor, this
    /// process's login and the logins the actor's entry binds), and when.
    public func context(_ current: IncidentSnapshot, actor: String, now: Instant, occurredAt: Instant?) -> DecisionContext {
        context(runbook: current.runbook, roster: current.team.roster, actor: actor, now: now, occurredAt: occurredAt)
    }

    public func context(runbook: Runbook, roster: Roster, actor: String, now: Instant, occurredAt: Instant?) -> DecisionContext {
        var context = DecisionContext(runbook: runbook, actor: actor, actorRoles: roster.roles(of: actor), roleHolders: roster.holders,
                                      login: login, actorLogins: roster.logins(of: actor), now: now, occurredAt: occurredAt,
                                      formatTime: formatTime)
        context.tokenIssuer = identity?.tokenIssuer
        return context
    }

    /// A store failure as a user error.
    public static func userError(_ error: StoreError, database: String?) -> UserError {
        switch error {
        case .conflict(let id, _, _):
            return UserError(.failed, .incidentChanged(id))
        case .unknownIncident(let id):
            var error = UserError(.usage, .unknownIncident(id, nearest: nil))
            error.cause = .unknownIncident
            return error
        case .damaged(let message):
            return UserError(.data, message)
        case .failure(let message):
            return UserError(.failed, database.map { "\($0): \(message)" } ?? message)
        case .unavailable(let message):
            var error = UserError(.failed, message)
            error.cause = .databaseUnavailable
            return error
        case .slotTaken(let runbookID, let slot, let incidentID):
            return UserError(.failed, .schedule(.slotTaken(runbook: runbookID, slot: LocalTime.full(slot), incident: incidentID)))
        }
    }
}

/// Who a server request acts as: the login recorded on its events (`token:ID`) and, for a token, the operating-system
/// login that created it, which an approval as a person whose roster entry binds logins must be one of (SPEC §3.1).
public struct RequestIdentity: Sendable, Equatable {
    public var login: String
    public var tokenIssuer: String?

    public init(login: String, tokenIssuer: String? = nil) {
        self.login = login
        self.tokenIssuer = tokenIssuer
    }

    /// The identity of a request made with `token`.
    public static func token(_ token: AccessToken) -> RequestIdentity {
        RequestIdentity(login: Identity.tokenLogin(token.id), tokenIssuer: token.createdBy)
    }
}
