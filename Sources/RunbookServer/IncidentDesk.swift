import RunbookCore
import RunbookRuntime
import RunbookStore

/// One connection to the database with the incident service on it. Every request's work runs on a desk, one at a
/// time per desk (a SQLite connection belongs to one thread at a time): the server keeps one desk for writes and
/// a few for reads. The desk decides nothing: it calls the same service functions as the command line.
actor IncidentDesk {
    var service: IncidentService
    let settings: ServeSettings
    let clock: any WallClock
    /// The alert rules last read, with the state of the files they were read from (`alertRules()`).
    var alertRulesCache: (key: String, result: Result<AlertRules, Problem>)?

    init(settings: ServeSettings, clock: any WallClock) throws(UserError) {
        self.settings = settings
        self.clock = clock
        service = try Self.makeService(settings, clock: clock)
    }

    static func makeService(_ settings: ServeSettings, clock: any WallClock) throws(UserError) -> IncidentService {
        let store = try IncidentService.openDatabase(settings.databasePath)
        let team = try TeamFiles.load(directory: settings.runbooksPath, configuredDirectory: settings.configuredRunbooks)
        let service = IncidentService(store: store, library: RunbookLibrary(directory: settings.runbooksPath), clock: clock, team: team,
                                      drillChannel: .file(path: IncidentService.drillLog(databasePath: settings.databaseFile)),
                                      realClock: clock)
        service.checkpointKeys = try CheckpointKeys.fromEnvironment()
        return service
    }

    // MARK: - Who is calling

    /// The live token presented, or why it is refused.
    func authenticate(_ secret: String) throws(Problem) -> AccessToken {
        do {
            return try Tokens(service).authenticate(secret)
        } catch {
            // Only an unknown or revoked token is the caller's problem; a database that cannot answer is the server's.
            throw error.kind == .usage ? Problem.unauthorized(error.message) : Problem.from(error)
        }
    }

    // MARK: - Views

    /// The incident id a path names (its id, today's number or the end of its id).
    private func incidentID(_ text: String) throws(Problem) -> String {
        do {
            return try service.resolveIncidentID(text)
        } catch {
            throw Problem.from(error)
        }
    }

    /// The open incidents (with `all`, every incident), as `runbook status --json` lists them.
    func summaries(all: Bool) throws(Problem) -> JSONValue {
        do {
            let summaries = try service.store.incidents(statuses: all ? nil : ["open", "resolved"])
            let now = clock.now()
            return .array(summaries.map { IncidentJSON.summary($0, now: now) })
        } catch {
            throw Problem.from(IncidentService.userError(error, database: nil))
        }
    }

    /// An incident as `runbook status INC --json` shows it, and the sequence of its last event (its ETag).
    func view(_ text: String) throws(Problem) -> (json: JSONValue, sequence: Int64) {
        let id = try incidentID(text)
        do {
            let (snapshot, json) = try stateJSON(id)
            return (json, snapshot.lastStoredSequence)
        } catch {
            throw Problem.from(error)
        }
    }

    /// The incident's events after `sequence`, as `runbook timeline --json` shows them.
    func timeline(_ text: String, after sequence: Int64) throws(Problem) -> (json: JSONValue, last: Int64) {
        let id = try incidentID(text)
        do {
            let snapshot = try service.snapshot(id)
            return (IncidentJSON.timeline(snapshot, after: sequence), snapshot.lastStoredSequence)
        } catch {
            throw Problem.from(error)
        }
    }

    /// The post-mortem in `format`, as `runbook report` writes it.
    func report(_ text: String, format: ReportFormat, language: Language) throws(Problem) -> String {
        let id = try incidentID(text)
        do {
            var snapshot = try service.snapshotAsOfNow(id)
            snapshot.linked = service.linkedIncidents(of: snapshot.state)
            let integrity = try service.integrity(of: snapshot)
            let report = PostmortemReport(snapshot: snapshot, integrity: integrity, now: service.now(for: snapshot.state), language: language)
            return switch format {
            case .md: PostmortemMarkdown.render(report) { LocalTime.full($0) }
            case .html: PostmortemHTML.render(report) { LocalTime.full($0) }
            case .json: PostmortemJSON.render(report).prettyText + "\n"
            }
        } catch {
            throw Problem.from(error)
        }
    }

    /// What `body` answers, or the problem its error is.
    private func answer(_ body: () throws(UserError) -> JSONValue) throws(Problem) -> JSONValue {
        do {
            return try body()
        } catch {
            throw Problem.from(error)
        }
    }

    /// The monthly review's rows (`runbook stats` working through this server folds them).
    func storedReview(since: Instant?, runbook: String?) throws(Problem) -> JSONValue {
        try answer { () throws(UserError) in try service.storedReviewJSON(since: since, runbook: runbook) }
    }

    /// The runbooks' files and texts (`runbook list` and `show` working through this server read them).
    func runbookTexts() throws(Problem) -> JSONValue {
        try answer { () throws(UserError) in try service.runbookTextsJSON() }
    }

    /// The incident rows as stored (`runbook` working through this server reads them).
    func storedRows(all: Bool) throws(Problem) -> JSONValue {
        try answer { () throws(UserError) in try service.storedRowsJSON(all: all) }
    }

    /// One incident's log as stored, after `sequence`: an exact id, as the command line resolves ids itself.
    func storedLog(_ id: String, after sequence: Int64) throws(Problem) -> JSONValue {
        try answer { () throws(UserError) in try service.storedLogJSON(id, after: sequence) }
    }

    /// The runbooks of the folder, as `runbook list --json` shows them.
    func runbooks() throws(Problem) -> JSONValue {
        do {
            return .array(try service.library.files().compactMap { try? RunbookLibrary.load(file: $0).json })
        } catch {
            throw Problem.from(error)
        }
    }

    /// The review of `runbook stats --format json` over the last `span`.
    func stats(span: String, runbook: String?) throws(Problem) -> JSONValue {
        do {
            return StatsJSON.render(try StatsReport.review(store: service.store, library: service.library, now: clock.now(), span: span,
                                                           runbook: runbook, databasePath: settings.databaseName))
        } catch {
            throw Problem.from(error)
        }
    }

    // MARK: - Actions

    /// Performs one action as `caller`, decided on the latest log (or refused when `expected`, the sequence the
    /// caller last saw, is no longer the last), and returns what it recorded with the incident as it is now.
    ///
    /// Only the recording happens here; the reply's view of the incident is built by `outcome(_:)` on any desk, so that
    /// the one writer spends its time writing (`Desks.act`).
    func act(_ command: IncidentCommand, on text: String, caller: AccessToken, expected: Int64?,
             occurredAt: Instant? = nil) async throws(Problem) -> Recorded {
        let id = try incidentID(text)
        do {
            let outcome = try await IncidentService.$requestIdentity.withValue(.token(caller)) { () async throws(UserError) in
                try await service.act(command, on: id, actor: caller.person, occurredAt: occurredAt, expectedSequence: expected)
            }
            return Recorded(incident: id, events: outcome.events + outcome.deliveries, pages: outcome.pages)
        } catch {
            throw Problem.caught(error)
        }
    }

    /// Interrupts a run of `step` in progress on this host (the command line's Ctrl-C), as `caller`.
    func interrupt(step: String, on text: String, caller: AccessToken) async throws(Problem) -> JSONValue {
        let id = try incidentID(text)
        do {
            let interrupted = try await IncidentService.$requestIdentity.withValue(.token(caller)) { () async throws(UserError) -> Bool in
                try await service.interruptRun(step, on: id, actor: caller.person)
            }
            return .object([("interrupted", .bool(interrupted))])
        } catch {
            throw Problem.caught(error)
        }
    }

    /// What an action recorded, as the reply says it, with the incident as it is now.
    struct Recorded: Sendable {
        let incident: String
        let events: [RecordedEvent]
        let pages: ActionOutcome.Pages
    }

    /// The reply to an action: what it recorded, whether pages went out, and the incident as it is now (read on this
    /// desk's connection, which sees every committed write).
    ///
    /// `minimal` (the client's `Prefer: return=minimal`, RFC 7240) leaves the incident's view out: what was recorded and
    /// what became of the pages, without folding and verifying the incident again.
    func outcome(_ recorded: Recorded, minimal: Bool = false) throws(Problem) -> JSONValue {
        do {
            return try outcomeJSON(recorded.incident, recorded: recorded.events, pages: recorded.pages, view: !minimal)
        } catch {
            throw Problem.caught(error)
        }
    }

    /// Opens an incident as `caller`, with the roster and contacts of the runbooks folder as they are now.
    func start(runbook: String, title: String?, severity: String?, drill: Bool, caller: AccessToken) async throws(Problem) -> (json: JSONValue, id: String) {
        do {
            service = try Self.makeService(settings, clock: clock)
            let started = try IncidentService.$requestIdentity.withValue(.token(caller)) { () throws(UserError) in
                try service.start(runbookID: runbook, title: title, severity: severity, drill: drill, actor: caller.person)
            }
            let id = started.state.id
            let (deliveries, pages) = try await service.deliverOwed(id)
            return (try outcomeJSON(id, recorded: started.events + deliveries, pages: pages), id)
        } catch {
            throw Problem.caught(error)
        }
    }

    /// Runs a command step on this host (or starts a call step's child) as `caller`, and returns the outcome with
    /// the output the command wrote.
    func run(step: String, on text: String, confirmed: Bool, killStale: Bool, caller: AccessToken,
             expected: Int64? = nil) async throws(Problem) -> JSONValue {
        let id = try incidentID(text)
        do {
            // A run (or a call step's child) decided on an older log is refused before anything starts (`If-Match`).
            if expected != nil { try IncidentService.requireUnchanged(try service.snapshot(id), since: expected) }
            return try await IncidentService.$requestIdentity.withValue(.token(caller)) { () async throws(UserError) -> JSONValue in
                if try service.callSpec(of: step, on: id) != nil {
                    let started = try service.startCall(step, on: id, actor: caller.person)
                    return try outcomeJSON(id, recorded: started.events, pages: .noneOwed, extra: [("child", .string(started.child.state.id))])
                }
                // Relative paths in a command are the database's directory's, as for a watcher run as a service.
                let result = try await service.runCommandStep(step, on: id, actor: caller.person, runner: CommandRunner(forwardsSignals: false),
                                                              confirmed: confirmed, killStale: killStale,
                                                              workingDirectory: FileIO.directory(of: settings.databaseFile))
                let (deliveries, pages) = try await service.deliverOwed(id)
                return try outcomeJSON(id, recorded: result.events + deliveries, pages: pages,
                                       extra: [("run", RunJSON.run(result.outcome, verdict: result.verdict))])
            }
        } catch {
            throw Problem.caught(error)
        }
    }

    /// What an action recorded, whether pages went out, and (with `view`) the incident as it is now.
    private func outcomeJSON(_ id: String, recorded: [RecordedEvent], pages: ActionOutcome.Pages,
                             extra: [(String, JSONValue)] = [], view: Bool = true) throws(UserError) -> JSONValue {
        let runbook: Runbook
        var incident: [(String, JSONValue)] = []
        if view {
            let (snapshot, json) = try stateJSON(id)
            runbook = snapshot.runbook
            incident = [("incident", json)]
        } else {
            runbook = try service.runbook(of: id)
        }
        return .object([
            ("recorded", .array(recorded.map { $0.json(onBehalf: false, runbook: runbook) })),
            ("pages", .string(pages.name)),
        ] + extra + incident)
    }

    /// The incident as it stands now (with what has fallen due, not recorded) and its view, verified, as
    /// `runbook status INC --json` shows it.
    private func stateJSON(_ id: String) throws(UserError) -> (snapshot: IncidentSnapshot, json: JSONValue) {
        let snapshot = try service.snapshotAsOfNow(id)
        let integrity = try service.integrity(of: snapshot)
        return (snapshot, IncidentJSON.state(snapshot, now: service.now(for: snapshot.state), integrity: integrity))
    }
}

extension ActionOutcome.Pages {
    /// The name of what became of the pages, for the API.
    var name: String {
        switch self {
        case .noneOwed: "none-owed"
        case .delivered: "delivered"
        case .leftToWatcher: "left-to-watcher"
        case .deferred: "deferred"
        }
    }
}

/// The formats of a post-mortem.
enum ReportFormat: String, CaseIterable {
    case md, html, json

    var contentType: String {
        switch self {
        case .md: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .json: "application/json"
        }
    }
}

// MARK: - The web page's reads (Web/): the same service, whole snapshots for rendering

extension IncidentDesk {
    /// The token of a web session, read again on each request so a revoked token ends its sessions at once.
    func liveToken(id: String) throws(Problem) -> AccessToken {
        let all: [AccessToken]
        do {
            all = try Tokens(service).list()
        } catch {
            throw Problem.from(error)
        }
        guard let token = all.first(where: { $0.id == id }) else { throw Problem.unauthorized(Message.server(.authUnknown).text()) }
        if let at = token.revokedAt {
            throw Problem.unauthorized(Message.server(.authRevoked(id: token.id, at: LocalTime.full(at))).text())
        }
        return token
    }

    /// The incident as it is now, with the time it is in (a drill's own clock) and whether its log is intact.
    func page(_ text: String) throws(Problem) -> WebIncident {
        let id = try incidentID(text)
        do {
            var snapshot = try service.snapshotAsOfNow(id)
            snapshot.linked = service.linkedIncidents(of: snapshot.state)
            return WebIncident(snapshot: snapshot, now: service.now(for: snapshot.state), realNow: clock.now(),
                               integrity: try service.integrity(of: snapshot))
        } catch {
            throw Problem.from(error)
        }
    }

    /// The open incidents (not yet closed), each as it is now, newest first, and the wall clock's time.
    func openIncidents() throws(Problem) -> (incidents: [WebIncident], now: Instant) {
        let now = clock.now()
        let summaries: [IncidentSummary]
        do {
            summaries = try service.store.incidents(statuses: ["open", "resolved"])
        } catch {
            throw Problem.from(IncidentService.userError(error, database: nil))
        }
        do {
            return (try summaries.sorted { $0.openedAt > $1.openedAt }.map { summary throws(UserError) in
                let snapshot = try service.snapshotAsOfNow(summary.id)
                return WebIncident(snapshot: snapshot, now: service.now(for: snapshot.state), realNow: now, integrity: nil)
            }, now)
        } catch {
            throw Problem.from(error)
        }
    }

    /// The runbooks that can start an incident: id and title.
    func runbookChoices() -> [(id: String, title: String)] {
        ((try? service.library.files()) ?? []).compactMap { try? RunbookLibrary.load(file: $0) }
            .map { ($0.runbook.id, $0.runbook.title) }.sorted { $0.id < $1.id }
    }

    /// The monthly review as the HTML page `runbook stats --format html` writes.
    func statsHTML(span: String, language: Language) throws(Problem) -> String {
        do {
            let report = try StatsReport.review(store: service.store, library: service.library, now: clock.now(), span: span,
                                                runbook: nil, databasePath: settings.databaseName)
            return StatsHTML.render(report, language: language) { LocalTime.full($0) }
        } catch {
            throw Problem.from(error)
        }
    }
}

extension IncidentDesk {
    /// `PRAGMA data_version` of this desk's connection: it changes when any other connection or process commits.
    func dataVersion() -> Int64? {
        try? (service.store as? any ChangeVersioned)?.dataVersion()
    }

    /// The last sequence of each incident named (nil for one that does not exist).
    func lastSequences(of ids: [String]) -> [String: Int64] {
        var found: [String: Int64] = [:]
        for id in ids {
            if let summary = try? service.store.incident(id) { found[id] = summary.lastSequence }
        }
        return found
    }

    /// The incidents not yet closed with their last sequences, for the list's change stream.
    func openSequences() -> [String: Int64] {
        let summaries = (try? service.store.incidents(statuses: ["open", "resolved"])) ?? []
        return Dictionary(summaries.map { ($0.id, $0.lastSequence) }, uniquingKeysWith: { $1 })
    }

    /// The id of an incident that exists, for a path that may name it another way (today's number, the end of its id).
    func resolve(_ text: String) throws(Problem) -> String {
        let id = try incidentID(text)
        guard (try? service.store.incident(id)) != nil else {
            throw Problem(.notFound, code: "unknown-incident", detail: Message.unknownIncident(id, nearest: nil).text())
        }
        return id
    }
}

/// One incident as the web page renders it.
struct WebIncident: Sendable {
    var snapshot: IncidentSnapshot
    /// The incident's now (a drill runs on its own clock) and the wall clock's.
    var now: Instant
    var realNow: Instant
    var integrity: IntegrityVerdict?
}
