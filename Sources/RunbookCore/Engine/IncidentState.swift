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
    /// A drill's clock (nil for a real incident, and for a drill recorded before drills stored their clock).
    public var drillClock: DrillClock?
    /// Milliseconds the drill's clock was moved forward (`drill.clock_advanced`).
    public var drillAdvanced: Int64 = 0
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
    /// Escalations, in order of their start.
    public var episodes: [Episode] = []
    /// Delivery attempts of pages, by `Delivery.key`.
    public var deliveries: [String: DeliveryProgress] = [:]
    /// The last post-mortem written.
    public var report: ReportMark?
    /// The roster and contacts in force (the latest frozen); nil for an incident recorded before rosters were frozen.
    public var roster: RosterFreeze?
    /// The maintenance windows frozen into the incident (SPEC §3.2); empty when none was in force.
    public var calendar: [MaintenanceWindow] = []
    /// How many approvals were completed by breaking the glass, over every visit (a step's override is forgotten
    /// when its state is left; the review counts them all).
    public var breakGlass = 0
    /// When the problem began and was noticed, as given at the start.
    public var impact: ImpactTimes?
    /// The parent incident and `call:` step that started this one (nil for an incident started by hand).
    public var calledBy: CallOrigin?
    /// The child incidents started by this incident's `call:` steps, in order.
    public var calls: [CallLink] = []
    /// The slot of a scheduled run (nil for an incident started by hand).
    public var scheduled: ScheduledSlot?

    /// Starts the fold from the `incident.opened` event.
    public init?(opening recorded: RecordedEvent) {
        guard case .opened(let runbookID, let sha, let title, let severity, let drill, let clock, let impact, let origin, let scheduled) = recorded.event
        else { return nil }
        self.impact = impact
        calledBy = origin
        self.scheduled = scheduled
        id = recorded.record.incidentID
        self.runbookID = runbookID
        runbookSHA256 = sha
        self.title = title
        self.severity = severity
        self.drill = drill
        drillClock = drill ? clock : nil
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
        if recorded.actor != Scheduler.systemActor, !participants.contains(recorded.actor) { participants.append(recorded.actor) }
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
        case .attemptFailed(_, let step, let note):
            steps[step, default: StepProgress()].finish(.attemptFailed, who, note)
        case .stepFailed(_, let step, let note):
            steps[step, default: StepProgress()].finish(.failed, who, note)
            if var last = visits.popLast() {
                last.failedSteps.append(step)
                visits.append(last)
            }
        case .commandStarted(_, let step, _, let pid, let startTime):
            steps[step, default: StepProgress()].status = .running
            steps[step]?.started = who
            steps[step]?.pid = pid
            steps[step]?.pidStartTime = startTime
            steps[step]?.attempts += 1
        case .commandFinished(_, let step, let outcome):
            steps[step, default: StepProgress()].outcome = outcome
        case .inputRecorded(_, let step, let value):
            steps[step, default: StepProgress()].value = value
            variables[step] = value
        case .approvalGiven(_, let step, _):
            steps[step, default: StepProgress()].approvals.append(who)
        case .approvalRefused:
            break
        case .approvalOverridden(_, let step, _, let reason):
            steps[step, default: StepProgress()].override = Override(by: who, reason: reason)
            breakGlass += 1
        case .noteAdded:
            break
        case .acknowledged:
            // Acknowledges every escalation running now: its paging stops (until ack_timeout, if its cause stays).
            for position in episodes.indices where episodes[position].scope != .notice && isActive(episodes[position]) {
                episodes[position].acknowledged = who
            }
            if acknowledged == nil { acknowledged = who }
        case .severityChanged(_, let to):
            severity = to
        case .resolved:
            if resolved == nil { resolved = who }
            if status == .open { status = .resolved }
            // Service is restored: nobody is woken any more about the unacknowledged opening or an overdue stage; a later
            // stage's miss pages tier 1 once, as a notice (SPEC §5).
            endEpisodes(who) { $0.scope != .notice }
        case .closed:
            closed = who
            status = .closed
        case .stepUndone(_, let step, _):
            // The mark is forgotten; the command's runs (attempts, last outcome) stay, as they happened.
            var progress = steps[step] ?? StepProgress()
            if progress.status == .failed, var last = visits.popLast() {
                if let position = last.failedSteps.lastIndex(of: step) { last.failedSteps.remove(at: position) }
                visits.append(last)
            }
            if progress.value != nil { variables[step] = nil }
            // The escalation the failure started ends with it.
            if progress.status == .failed {
                let visit = visits.count - 1
                endEpisodes(who) { episode in
                    guard case .stepFailed(let failed, _) = episode.cause else { return false }
                    return failed == step && episode.visitIndex == visit
                }
            }
            progress.status = .pending
            progress.finished = nil
            progress.note = nil
            progress.value = nil
            steps[step] = progress
        case .reopened:
            // What paged before belongs to before: the reopened incident pages for what happens from now on.
            endEpisodes(who) { _ in true }
            status = .open
            resolved = nil
            closed = nil
            // The final post-mortem no longer tells the end: it is rewritten as a draft, and as final once closed again.
            report?.final = false
        case .drillClockAdvanced(let milliseconds):
            drillAdvanced += milliseconds
        case .deadlineMissed(let miss):
            if var last = visits.popLast() {
                switch miss.kind {
                case .stage: last.stageMissed = true
                case .step: if let step = miss.step { last.stepsMissed.insert(step) }
                }
                visits.append(last)
            }
        case .escalationStarted(let episode, let cause, let scope, let baseAt, let firstIndex):
            episodes.append(Episode(number: episode, cause: cause, scope: scope, baseAt: baseAt, visitIndex: visits.count - 1, started: who,
                                    firstIndex: firstIndex))
        case .escalated(let episode, let index, let tier, let round, let roles, let dueAt, let manual, let reason):
            if let position = episodes.firstIndex(where: { $0.number == episode }) {
                episodes[position].pages.append(Page(index: index, tier: tier, round: round, roles: roles, dueAt: dueAt,
                                                     manual: manual, reason: reason, recorded: who))
            }
        case .notification(let delivery):
            var progress = deliveries[delivery.key] ?? DeliveryProgress()
            progress.attempts = max(progress.attempts, delivery.attempt)
            progress.lastAttempt = who
            if delivery.succeeded { progress.delivered = who }
            progress.lastError = delivery.error
            deliveries[delivery.key] = progress
        case .reportWritten(_, _, let final, _, _):
            report = ReportMark(written: who, final: final)
        case .rosterFrozen(let freeze):
            roster = freeze
        case .callStarted(let state, let step, let child, let runbook):
            var progress = steps[step] ?? StepProgress()
            progress.status = .running
            progress.started = who
            progress.child = child
            progress.attempts += 1
            steps[step] = progress
            calls.append(CallLink(state: state, step: step, child: child, runbook: runbook, visitIndex: visits.count - 1, started: who))
        case .callFinished(_, _, let child, let childSequence, let resolved):
            if let position = calls.lastIndex(where: { $0.child == child }) {
                calls[position].finished = CallLink.Finish(resolved: resolved, childSequence: childSequence, recorded: who)
            }
        case .calendarFrozen(let windows):
            calendar = windows
        case .escalationHeld(let episode, let index, let tier, let window, let dueAt, let until, _):
            if let position = episodes.firstIndex(where: { $0.number == episode }) {
                episodes[position].hold = HeldPage(index: index, tier: tier, window: window, dueAt: dueAt, until: until, recorded: who)
            }
        case .alertReceived:
            // The alert is in the log; where the same alert goes next is read from there (IncidentService+Alerts).
            break
        }
    }

    /// The calls whose child's end is not yet reflected here (nothing is recorded on a closed incident).
    public var unsettledCalls: [CallLink] {
        isClosed ? [] : calls.filter { $0.finished == nil }
    }

    // Equality is derived from every stored property (STYLE 20): a replay that differs anywhere is not equal.

    /// Whether an escalation is still running: its cause has not been dealt with.
    public func isActive(_ episode: Episode) -> Bool {
        guard !isClosed, episode.ended == nil else { return false }
        switch episode.scope {
        case .unacknowledged:
            return acknowledged == nil
        case .notice:
            return true
        case .stage:
            return episode.visitIndex >= 0 && episode.visitIndex < visits.count && visits[episode.visitIndex].left == nil
        }
    }

    /// Ends the running episodes that `which` selects.
    mutating func endEpisodes(_ who: Actioned, _ which: (Episode) -> Bool) {
        for position in episodes.indices where episodes[position].ended == nil && isActive(episodes[position]) && which(episodes[position]) {
            episodes[position].ended = who
        }
    }

    /// The drill's time when the real clock reads `real`; nil for a real incident (and a drill without a stored clock).
    public func drillTime(atReal real: Instant) -> Instant? {
        drillClock?.time(atReal: real, advanced: drillAdvanced)
    }

    /// The highest tier paged so far in this incident (0 when none).
    public var highestTierPaged: Int {
        episodes.filter { $0.scope != .notice }.flatMap(\.pages).map(\.tier).max() ?? 0
    }
}

/// A child incident started by a `call:` step, and how it ended as far as this incident recorded.
public struct CallLink: Sendable, Equatable {
    public struct Finish: Sendable, Equatable {
        public var resolved: Bool
        /// The child's event that this incident reflects (its resolution or closing).
        public var childSequence: Int64
        public var recorded: Actioned
    }

    public var state: String
    public var step: String
    public var child: String
    public var runbook: String
    /// The visit of `state` during which it was started.
    public var visitIndex: Int
    public var started: Actioned
    public var finished: Finish?
}

/// How a child incident ended, read from its log: what settles the parent's `call:` step.
public struct ChildOutcome: Sendable, Equatable {
    public var child: String
    /// The child's event that ended it (its resolution, or its closing without one).
    public var sequence: Int64
    public var resolved: Bool

    public init(child: String, sequence: Int64, resolved: Bool) {
        self.child = child
        self.sequence = sequence
        self.resolved = resolved
    }

    /// How `child` ended, or nil while it is open (a resolved child counts as resolved, also once closed). A routine
    /// check (`kind: checklist`) never resolves: its run closing with no check failed is its success.
    public init?(of child: IncidentState, kind: RunbookKind = .incident) {
        if let resolved = child.resolved {
            self.init(child: child.id, sequence: resolved.sequence, resolved: true)
        } else if let closed = child.closed {
            let passed = kind == .checklist && !child.steps.values.contains { $0.status == .failed }
            self.init(child: child.id, sequence: closed.sequence, resolved: passed)
        } else {
            return nil
        }
    }
}

/// One escalation: tiers paged in order from `baseAt` until its cause is dealt with.
public struct Episode: Sendable, Equatable {
    public var number: Int
    public var cause: EscalationCause
    public var scope: EscalationScope
    /// The time tier offsets count from (the due time of the missed deadline, the opening).
    public var baseAt: Instant
    /// The visit it belongs to (for a stage-scoped escalation).
    public var visitIndex: Int
    public var started: Actioned
    public var pages: [Page] = []
    /// The tier index its first page goes to (above the tiers of the person who caused it).
    public var firstIndex = 0
    /// The latest acknowledgement of this escalation.
    public var acknowledged: Actioned?
    /// The latest page held by a maintenance window (SPEC §3.2): it pages when the window ends.
    public var hold: HeldPage?
    /// When it ended for good though its cause did not go: the incident was resolved or reopened, or the failed
    /// step that started it was undone.
    public var ended: Actioned?

    /// Whether an acknowledgement holds it now: acknowledged after its last page (a page after the
    /// acknowledgement means it resumed).
    public var isHeld: Bool {
        guard let acknowledged else { return false }
        return acknowledged.sequence > (pages.last?.recorded.sequence ?? started.sequence)
    }
}

/// A page held by a maintenance window: due at `dueAt`, paged at `until`.
public struct HeldPage: Sendable, Equatable {
    public var index: Int
    public var tier: Int
    public var window: String
    public var dueAt: Instant
    public var until: Instant
    public var recorded: Actioned
}

extension Episode {
    /// The page held now: held and not paged since.
    public var pendingHold: HeldPage? {
        guard let hold, !pages.contains(where: { $0.index == hold.index }) else { return nil }
        return hold
    }
}

/// One tier paged.
public struct Page: Sendable, Equatable {
    public var index: Int
    public var tier: Int
    public var round: Int
    public var roles: [String]
    public var dueAt: Instant
    public var manual: Bool
    public var reason: String?
    public var recorded: Actioned
}

/// Delivery attempts of one page to one role through one channel.
public struct DeliveryProgress: Sendable, Equatable {
    public var attempts = 0
    public var lastAttempt: Actioned?
    public var delivered: Actioned?
    public var lastError: String?
}

extension Delivery {
    /// Identifies the page, role and channel across attempts.
    public var key: String { Self.key(episode: episode, index: index, role: role, channel: channel) }

    public static func key(episode: Int, index: Int, role: String, channel: String) -> String {
        "\(episode)/\(index)/\(role)/\(channel)"
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
    /// Whether the stage's deadline was recorded as missed during this visit.
    public var stageMissed = false
    /// Steps whose timeout was recorded as missed during this visit.
    public var stepsMissed: Set<String> = []
}

/// A step's progress in the current visit.
public struct StepProgress: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case pending, running, done, skipped, failed
        /// A command's run failed; the step waits for a decision.
        case attemptFailed = "attempt failed"
    }

    public var status: Status = .pending
    public var started: Actioned?
    /// Who marked it done, skipped or failed.
    public var finished: Actioned?
    public var note: String?
    public var value: String?
    public var approvals: [Actioned] = []
    public var outcome: CommandOutcome?
    /// The process that leads the running command's group, and when it started (clock ticks since boot; nil
    /// when recorded by an older runbook): together they tell it from a later process given the same pid.
    public var pid: Int32?
    public var pidStartTime: UInt64?
    /// How many times the command was started in this visit.
    public var attempts = 0
    /// The approval was overridden (break-glass).
    public var override: Override?
    /// The child incident a call step started last in this visit.
    public var child: String?

    public init() {}

    /// Done or skipped: the state can complete without it.
    public var isSettled: Bool { status == .done || status == .skipped }

    /// Failed, or its last run failed: moving past it needs a note.
    public var hasFailed: Bool { status == .failed || status == .attemptFailed }

    mutating func finish(_ status: Status, _ who: Actioned, _ note: String?) {
        self.status = status
        finished = who
        self.note = note
    }
}

/// An approval completed by breaking the glass.
public struct Override: Sendable, Equatable {
    public var by: Actioned
    public var reason: String
}

/// The last post-mortem written for an incident.
public struct ReportMark: Sendable, Equatable {
    /// Who wrote it (the engine), when, at which event.
    public var written: Actioned
    public var final: Bool
}
