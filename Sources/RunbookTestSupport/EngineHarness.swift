public import RunbookCore

/// Drives the pure engine in tests: decide, record with sequence numbers and a manual time, fold.
public struct EngineHarness {
    public var runbook: Runbook
    public var events: [RecordedEvent] = []
    public var state: IncidentState
    public var now: Instant
    public var roster: [String: [String]]
    /// Logins the roster binds people to (absent: unbound).
    public var logins: [String: [String]] = [:]
    /// The operating-system login the harness acts from.
    public var login: String? = "root"

    /// Opens an incident of `yaml` at `now` as `actor`.
    public init(yaml: String, actor: String = "kim", roster: [String: [String]] = [:],
                now: Instant = Instant(iso8601: "2026-11-26T01:00:00Z") ?? Instant(milliseconds: 0), impact: ImpactTimes? = nil,
                calendar: [MaintenanceWindow] = []) throws {
        runbook = try RunbookLoader.load(yaml, file: "test.yaml").get().runbook
        self.now = now
        self.roster = roster
        let context = DecisionContext(runbook: runbook, actor: actor, now: now, formatTime: Self.formatTime)
        let opening = try IncidentEngine.open(runbook: runbook, snapshotSHA256: EventChain.sha256(yaml), title: nil,
                                              severity: nil, drill: false, impact: impact, calendar: calendar, context: context)
        var recorded: [RecordedEvent] = []
        for (index, event) in opening.enumerated() {
            recorded.append(try Self.record(event, sequence: Int64(index + 1), actor: actor, at: now, previous: recorded.last))
        }
        guard let state = IncidentState.replay(recorded) else { throw Refusal("no opening event") }
        self.state = state
        events = recorded
    }

    /// Times in refusals read `HH:MM:SS` in UTC, so messages are the same on every machine.
    public static let formatTime: @Sendable (Instant) -> String = { String($0.iso8601.dropFirst(11).prefix(8)) }

    /// Decides `command` as `actor` now; appends and folds the events, or throws the refusal (after recording
    /// what a refusal keeps, like a refused approval).
    @discardableResult
    public mutating func send(_ command: IncidentCommand, as actor: String = "kim", at occurredAt: Instant? = nil) throws(Refusal) -> [IncidentEvent] {
        // As the service does: first what time has made due, then the command.
        try tick()
        var holders: [String: [String]] = [:]
        for (user, roles) in roster.sorted(by: { $0.key < $1.key }) {
            for role in roles { holders[role, default: []].append(user) }
        }
        let context = DecisionContext(runbook: runbook, actor: actor, actorRoles: roster[actor] ?? [], roleHolders: holders,
                                      login: login, actorLogins: logins[actor], now: now, occurredAt: occurredAt,
                                      formatTime: Self.formatTime)
        do {
            let decided = try IncidentEngine.decide(command, state: state, context: context)
            try append(decided, actor: actor, occurredAt: occurredAt)
            return decided
        } catch {
            try append(error.record, actor: actor, occurredAt: occurredAt)
            throw error
        }
    }

    public mutating func advance(by duration: RunbookDuration) {
        now = now + duration
    }

    public mutating func advance(milliseconds: Int64) {
        now = Instant(milliseconds: now.milliseconds + milliseconds)
    }

    /// Records what time has made due by now (as the engine's own actor) and returns it.
    @discardableResult
    public mutating func tick() throws(Refusal) -> [IncidentEvent] {
        let due = Scheduler.due(state: state, runbook: runbook, now: now)
        try append(due, actor: Scheduler.systemActor, occurredAt: nil)
        return due
    }

    /// Records events as the store would; an event that does not decode back to itself fails the test.
    public mutating func append(_ decided: [IncidentEvent], actor: String, occurredAt: Instant?) throws(Refusal) {
        for event in decided {
            let recorded = try Self.record(event, sequence: state.lastSequence + 1, actor: actor, at: now, previous: events.last,
                                           occurredAt: occurredAt)
            events.append(recorded)
            state.apply(recorded)
        }
    }

    /// Encodes, chains and decodes an event, as the store and a later replay would. The harness never
    /// forgives: an event that cannot be decoded, or decodes to something else, is an error, never the original.
    static func record(_ event: IncidentEvent, sequence: Int64, actor: String, at: Instant, previous: RecordedEvent?,
                       occurredAt: Instant? = nil) throws(Refusal) -> RecordedEvent {
        let pending = event.pending(actor: actor, recordedAt: at, occurredAt: occurredAt)
        let record = EventRecord(chaining: pending, incidentID: "INC-TEST-0001", sequence: sequence,
                                 previousHash: previous?.record.hash ?? EventChain.genesis)
        let decoded: RecordedEvent
        do {
            decoded = try IncidentEvent.decode(record)
        } catch {
            throw Refusal("the harness could not decode the event it appended: \(error.message)")
        }
        guard decoded.event == event else {
            throw Refusal("event \(sequence) decodes to \(decoded.event), not to the \(event) appended")
        }
        return decoded
    }
}
