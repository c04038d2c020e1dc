/// Where an incident stands: a fold over its events. Replaying the same events always gives the same state.
public struct IncidentState: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case open, resolved, closed
    }

    public var id: String
    public var runbookID: String
    public var runbookSHA256: String
    public var title: String
    public var severity: String
    public var drill: Bool
    public var openedAt: Instant
    public var openedBy: String
    public var status: Status = .open
    /// The state the incident is in; after closing, the last one.
    public var stateID: String = ""
    /// When the current state was entered.
    public var enteredAt: Instant
    /// Every visit of a state, in order; the last is the current one.
    public var visits: [StageVisit] = []
    /// The steps of the current visit, by step id.
    public var steps: [String: StepProgress] = [:]
    /// Input values by step id: the `RUNBOOK_VAR_*` environment of later commands.
    public var variables: [String: String] = [:]
    public var acknowledged: Actioned?
    public var resolved: Actioned?
    public var closed: Actioned?
    public var lastSequence: Int64 = 0
    public var lastRecordedAt: Instant
    /// Everyone who recorded something, in order of first appearance.
    public var participants: [String] = []

    /// Starts the fold from the `incident.opened` event.
    public init?(opening recorded: RecordedEvent) {
        guard case .opened(let runbookID, let sha, let title, let severity, let drill) = recorded.event else { return nil }
        id = recorded.record.incidentID
        self.runbookID = runbookID
        runbookSHA256 = sha
        self.title = title
        self.severity = severity
        self.drill = drill
        openedAt = recorded.at
        openedBy = recorded.actor
        enteredAt = recorded.at
        lastSequence = recorded.sequence
        lastRecordedAt = recorded.record.recordedAt
        participants = [recorded.actor]
    }

    /// Replays events from the first; nil when the first is not `incident.opened`.
    public static func replay(_ events: [RecordedEvent]) -> IncidentState? {
        guard let first = events.first, var state = IncidentState(opening: first) else { return nil }
        for event in events.dropFirst() { state.apply(event) }
        return state
    }

    /// The current visit.
    public var currentVisit: StageVisit? { visits.last }

    public var isClosed: Bool { status == .closed }

    /// Applies one event.
    public mutating func apply(_ recorded: RecordedEvent) {
        lastSequence = recorded.sequence
        lastRecordedAt = recorded.record.recordedAt
        if !participants.contains(recorded.actor) { participants.append(recorded.actor) }
        let who = Actioned(by: recorded.actor, at: recorded.at, sequence: recorded.sequence)
        switch recorded.event {
        case .opened:
            break
        case .stateEntered(let state, let reason, _):
            if var last = visits.popLast() {
                if last.left == nil { last.left = who }
                visits.append(last)
            }
            stateID = state
            enteredAt = recorded.at
            steps = [:]
            visits.append(StageVisit(state: state, reason: reason, entered: who))
        case .stateCompleted:
            if var last = visits.popLast() {
                last.completed = who
                last.left = who
                visits.append(last)
            }
        case .stepStarted(_, let step):
            steps[step, default: StepProgress()].started = who
            if steps[step]?.status == .pending { steps[step]?.status = .running }
        case .stepDone(_, let step, let note):
            steps[step, default: StepProgress()].finish(.done, who, note)
        case .stepSkipped(_, let step, let note):
            steps[step, default: StepProgress()].finish(.skipped, who, note)
        case .stepFailed(_, let step, let note):
            steps[step, default: StepProgress()].finish(.failed, who, note)
            if var last = visits.popLast() {
                last.failedSteps.append(step)
                visits.append(last)
            }
        case .commandStarted(_, let step, _, let pid):
            steps[step, default: StepProgress()].status = .running
            steps[step]?.started = who
            steps[step]?.pid = pid
        case .commandFinished(_, let step, let outcome):
            steps[step, default: StepProgress()].outcome = outcome
        case .inputRecorded(_, let step, let value):
            steps[step, default: StepProgress()].value = value
            variables[step] = value
        case .approvalGiven(_, let step, _):
            steps[step, default: StepProgress()].approvals.append(who)
        case .approvalRefused:
            break
        case .noteAdded:
            break
        case .acknowledged:
            if acknowledged == nil { acknowledged = who }
        case .severityChanged(_, let to):
            severity = to
        case .resolved:
            if resolved == nil { resolved = who }
            if status == .open { status = .resolved }
        case .closed:
            closed = who
            status = .closed
        }
    }
}

/// Who did something, when, at which event.
public struct Actioned: Sendable, Equatable {
    public var by: String
    public var at: Instant
    public var sequence: Int64
}

/// One visit of a state.
public struct StageVisit: Sendable, Equatable {
    public var state: String
    public var reason: IncidentEvent.EntryReason
    public var entered: Actioned
    /// When the visit ended by completing every step.
    public var completed: Actioned?
    /// When the incident moved on (completed, failed over, branched).
    public var left: Actioned?
    public var failedSteps: [String] = []
}

/// A step's progress in the current visit.
public struct StepProgress: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case pending, running, done, skipped, failed
    }

    public var status: Status = .pending
    public var started: Actioned?
    /// Who marked it done, skipped or failed.
    public var finished: Actioned?
    public var note: String?
    public var value: String?
    public var approvals: [Actioned] = []
    public var outcome: CommandOutcome?
    public var pid: Int32?

    public init() {}

    /// Done or skipped: the state can complete without it.
    public var isSettled: Bool { status == .done || status == .skipped }

    mutating func finish(_ status: Status, _ who: Actioned, _ note: String?) {
        self.status = status
        finished = who
        self.note = note
    }
}
