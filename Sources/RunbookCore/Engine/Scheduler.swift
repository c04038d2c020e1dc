/// What time makes due: missed deadlines, finished waits, escalation pages, deliveries and the report.
///
/// A pure function of the incident's state, its runbook and the time, so any command can bring the log up
/// to date and `watch` only has to wake at `nextDue`.
public enum Scheduler {
    /// The actor recorded for what the engine does by itself.
    public static let systemActor = "runbook"

    /// Delivery attempts per page, role and channel before giving up.
    public static let maxDeliveryAttempts = 5

    /// The events due at or before `now`, in the order they fell due (each carrying its due time).
    public static func due(state: IncidentState, runbook: Runbook, now: Instant) -> [IncidentEvent] {
        let context = DecisionContext(runbook: runbook, actor: systemActor, now: now)
        var events: [IncidentEvent] = []
        var current = state
        for _ in 0..<10_000 {
            guard let item = earliest(current, runbook), item.at <= now else { break }
            let produced = IncidentEngine.settle(item.events, state: current, context: context)
            guard !produced.isEmpty, let next = IncidentEngine.project(produced, onto: current, context: context) else { break }
            events += produced
            current = next
        }
        return events
    }

    /// The earliest time something falls due for the incident (not counting deliveries), if any.
    public static func nextDue(state: IncidentState, runbook: Runbook) -> Instant? {
        earliest(state, runbook)?.at
    }

    /// One thing that falls due, with the events it produces.
    struct Item {
        var at: Instant
        var events: [IncidentEvent]
    }

    static func earliest(_ state: IncidentState, _ runbook: Runbook) -> Item? {
        candidates(state, runbook).min { $0.at < $1.at }
    }

    static func candidates(_ state: IncidentState, _ runbook: Runbook) -> [Item] {
        guard !state.isClosed, let stage = runbook.state(state.stateID), let visit = state.visits.last else { return [] }
        var items: [Item] = []
        let nextEpisode = (state.episodes.map(\.number).max() ?? 0) + 1
        // The stage's deadline, counted from entering it.
        if let deadline = stage.deadline, !visit.stageMissed {
            let due = state.enteredAt + deadline
            var events: [IncidentEvent] = [.deadlineMissed(DeadlineMiss(kind: .stage, state: stage.id, step: nil, deadline: deadline, dueAt: due))]
            switch stage.onTimeout {
            case .state(let target):
                events += IncidentEngine.enter(target, reason: .onTimeout, from: stage.id, runbook: runbook)
            case .escalate where state.resolved != nil || runbook.kind == .checklist:
                // After service is restored a late stage (the follow-up) pages the tier-1 roles once, never higher; so does
                // a routine check that runs late.
                if let first = runbook.escalation.tiers.first {
                    events += notice(episode: nextEpisode, cause: .stageDeadline(stage: stage.id, title: stage.title, deadline: deadline,
                                                                                 afterRestore: state.resolved != nil),
                                     roles: first.notify, due: due, state: state)
                }
            case .escalate where !stage.end:
                events.append(.escalationStarted(episode: nextEpisode, cause: .stageDeadline(stage: stage.id, title: stage.title, deadline: deadline,
                                                                                              afterRestore: false),
                                                 scope: .stage, baseAt: due))
            case .escalate:
                break
            }
            items.append(Item(at: due, events: events))
        }
        for step in stage.steps {
            let progress = state.steps[step.id] ?? StepProgress()
            // A wait step completes by itself.
            if case .wait(let duration) = step.kind, progress.status == .running, let started = progress.started {
                items.append(Item(at: started.at + duration,
                                  events: [.stepDone(state: stage.id, step: step.id, note: "waited \(duration)")]))
            }
            // A step's timeout, counted from starting it (from entering the stage for steps that have no start).
            if let timeout = step.timeout, !visit.stepsMissed.contains(step.id), !progress.isSettled {
                if case .command = step.kind { continue }  // a command's timeout kills it; its failure is the record
                let due = (progress.started?.at ?? state.enteredAt) + timeout
                let miss = IncidentEvent.deadlineMissed(DeadlineMiss(kind: .step, state: stage.id, step: step.id, deadline: timeout, dueAt: due))
                let cause = EscalationCause.stepTimeout(step: step.id, title: step.title, timeout: timeout)
                if runbook.kind == .checklist {
                    // A routine check pages its tier 1 once, never higher.
                    items.append(Item(at: due, events: [miss] + (runbook.escalation.tiers.first.map { first in
                        notice(episode: nextEpisode, cause: cause, roles: first.notify, due: due, state: state)
                    } ?? [])))
                } else {
                    items.append(Item(at: due, events: [miss, .escalationStarted(episode: nextEpisode, cause: cause, scope: .stage, baseAt: due)]))
                }
            }
        }
        // A notice held by a window pages its tier 1 at the window's end, once (unless the run closed meanwhile).
        for episode in state.episodes where episode.scope == .notice && state.isActive(episode) {
            guard let held = episode.pendingHold, let first = runbook.escalation.tiers.first else { continue }
            items.append(Item(at: held.until, events: [.escalated(episode: episode.number, index: held.index, tier: held.tier, round: 1,
                                                                  roles: first.notify, dueAt: held.until, manual: false, reason: nil)]))
        }
        // The next page of every escalation still running.
        for episode in state.episodes where state.isActive(episode) && episode.scope != .notice {
            // An acknowledged escalation whose cause is still there resumes at its next tier after ack_timeout.
            let acknowledged = episode.isHeld ? episode.acknowledged.map { $0.at + runbook.escalation.ackTimeout } : nil
            // A page held by a maintenance window pages when the window ends (SPEC §3.2).
            let notBefore = [acknowledged, episode.pendingHold?.until].compactMap { $0 }.max()
            guard let page = nextPage(episode, policy: runbook.escalation, severity: state.severity, manualAt: nil, notBefore: notBefore) else {
                continue
            }
            if case .escalated(_, let index, let tier, _, _, _, _, _) = page.event,
               let hold = state.calendar.hold(of: state.runbookID, at: page.dueAt),
               episode.pendingHold.map({ $0.index != index || $0.until != hold.until }) ?? true {
                items.append(Item(at: page.dueAt, events: [.escalationHeld(episode: episode.number, index: index, tier: tier, window: hold.window,
                                                                           dueAt: page.dueAt, until: hold.until,
                                                                           untilText: hold.untilText)]))
            } else {
                items.append(Item(at: page.dueAt, events: [page.event]))
            }
        }
        return items
    }

    /// A notice (tier 1, once: a routine check running late, a late stage after service was restored) started at `due`:
    /// paged then, or held until its end when a maintenance window covering the runbook is open (SPEC §3.2).
    static func notice(episode: Int, cause: EscalationCause, roles: [String], due: Instant, state: IncidentState) -> [IncidentEvent] {
        let started = IncidentEvent.escalationStarted(episode: episode, cause: cause, scope: .notice, baseAt: due)
        if let hold = state.calendar.hold(of: state.runbookID, at: due) {
            return [started, .escalationHeld(episode: episode, index: 0, tier: 1, window: hold.window, dueAt: due, until: hold.until,
                                             untilText: hold.untilText)]
        }
        return [started, .escalated(episode: episode, index: 0, tier: 1, round: 1, roles: roles, dueAt: due, manual: false, reason: nil)]
    }

    /// The next page of an escalation: its index, tier, round, roles and due time; nil when every tier of
    /// every round was paged. Tiers limited to other severities are passed over; the first page goes to the
    /// episode's first tier; an acknowledgement holds the page until `notBefore`.
    public static func nextPage(_ episode: Episode, policy: EscalationPolicy, severity: String, manualAt: Instant?,
                                notBefore: Instant? = nil, reason: String? = nil) -> (dueAt: Instant, event: IncidentEvent)? {
        let tiers = policy.tiers
        guard !tiers.isEmpty else { return nil }
        let total = tiers.count * (1 + policy.repeatCount)
        var index = episode.pages.last.map { $0.index + 1 } ?? min(episode.firstIndex, total)
        while index < total, !tiers[index % tiers.count].pages(severity: severity) { index += 1 }
        guard index < total else { return nil }
        var due: Instant
        if let manualAt {
            due = manualAt
        } else if let last = episode.pages.last {
            due = last.dueAt + gap(from: last.index, to: index, tiers: tiers)
        } else {
            due = episode.baseAt + tiers[index % tiers.count].after
        }
        if manualAt == nil, let notBefore, due < notBefore { due = notBefore }
        let tier = index % tiers.count
        return (due, .escalated(episode: episode.number, index: index, tier: tier + 1, round: index / tiers.count + 1,
                                roles: tiers[tier].notify, dueAt: due, manual: manualAt != nil, reason: reason))
    }

    /// Time between two consecutive pages: the difference of their tiers' `after`, or, from the last tier back
    /// to the first, the last gap again (at least a minute).
    static func gap(from previous: Int, to next: Int, tiers: [EscalationTier]) -> RunbookDuration {
        let count = tiers.count
        let a = previous % count, b = next % count
        if b > a { return RunbookDuration(seconds: tiers[b].after.seconds - tiers[a].after.seconds) }
        let lastGap = count >= 2 ? tiers[count - 1].after.seconds - tiers[count - 2].after.seconds : tiers[0].after.seconds
        return RunbookDuration(seconds: max(lastGap, 60))
    }

    // MARK: - Deliveries

    /// A page to deliver to a role through a channel.
    public struct PendingDelivery: Sendable, Equatable {
        public var episode: Int
        public var index: Int
        public var role: String
        public var channel: String
        /// The number of this attempt (1 for the first).
        public var attempt: Int
        public var dueAt: Instant
    }

    /// Backoff before attempt `attempt + 1` after `attempt` failures: 30s, 1m, 2m, 4m, … at most 10m.
    public static func backoff(afterAttempts attempts: Int) -> RunbookDuration {
        RunbookDuration(seconds: min(30 * (1 << max(0, min(attempts - 1, 10))), 600))
    }

    /// Deliveries still owed for pages of running escalations (a page whose cause was dealt with is dropped),
    /// due at or before `now` when given, else all of them.
    public static func pendingDeliveries(state: IncidentState, channels: (String) -> [String], now: Instant? = nil) -> [PendingDelivery] {
        var result: [PendingDelivery] = []
        for episode in state.episodes where state.isActive(episode) {
            for page in episode.pages {
                // An acknowledgement stops the paging: pages recorded before it are not delivered any more.
                if let ack = episode.acknowledged, page.recorded.sequence < ack.sequence { continue }
                for role in page.roles {
                    for channel in channels(role) {
                        let key = Delivery.key(episode: episode.number, index: page.index, role: role, channel: channel)
                        let progress = state.deliveries[key] ?? DeliveryProgress()
                        guard progress.delivered == nil, progress.attempts < maxDeliveryAttempts else { continue }
                        let due = progress.lastAttempt.map { $0.at + backoff(afterAttempts: progress.attempts) } ?? page.recorded.at
                        if let now, due > now { continue }
                        result.append(PendingDelivery(episode: episode.number, index: page.index, role: role, channel: channel,
                                                      attempt: progress.attempts + 1, dueAt: due))
                    }
                }
            }
        }
        return result.sorted { ($0.dueAt, $0.episode, $0.index) < ($1.dueAt, $1.episode, $1.index) }
    }

    // MARK: - The report

    /// When the post-mortem falls due (SPEC §8): the final one when the incident closes; a draft when its
    /// final (follow-up) stage's deadline is over, rewritten whenever later events arrive; nil once the final
    /// report is written. A `report.written` event itself never makes a report due again.
    public static func reportDue(state: IncidentState, runbook: Runbook) -> Instant? {
        if state.report?.final == true { return nil }
        if let closed = state.closed { return closed.at }
        if let draft = state.report {
            return state.lastSequence > draft.written.sequence ? state.lastRecordedAt : nil
        }
        guard let stage = runbook.state(state.stateID), stage.end, let deadline = stage.deadline else { return nil }
        return state.enteredAt + deadline
    }
}
