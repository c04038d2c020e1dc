extension IncidentState {
    /// When the current stage's deadline falls, if it has one and the incident is not closed.
    public func stageDeadline(in runbook: Runbook) -> Instant? {
        guard !isClosed, let deadline = runbook.state(stateID)?.deadline else { return nil }
        return enteredAt + deadline
    }

    /// The earliest time something falls due: a deadline, a wait, a page, a delivery retry, the report.
    public func nextDue(in runbook: Runbook, channels: (String) -> [String]) -> Instant? {
        [Scheduler.nextDue(state: self, runbook: runbook), Scheduler.reportDue(state: self, runbook: runbook),
         Scheduler.pendingDeliveries(state: self, channels: channels).first?.dueAt].compactMap { $0 }.min()
    }

    /// The list row the store keeps for this incident.
    public func projection(in runbook: Runbook, channels: (String) -> [String] = { _ in [] }) -> IncidentProjection {
        IncidentProjection(title: title, severity: severity, status: status.rawValue, stage: stateID,
                           nextDueAt: nextDue(in: runbook, channels: channels), drill: drill, facts: facts(in: runbook), scheduled: scheduled)
    }

    /// The current stage's position as "k of n" on the incident's own path (SPEC §7): k counts the stages
    /// visited so far, this one included; n adds the stages left on the default path from here
    /// (`Runbook.defaultSuccessor`). Other branches of the runbook are not counted (a choice that branches
    /// moves the incident at once, so the path taken holds it). Nil when the current state is not in the runbook.
    public func stagePosition(in runbook: Runbook) -> (index: Int, count: Int)? {
        guard runbook.state(stateID) != nil else { return nil }
        let index = max(visits.count, 1)
        var remaining = 0
        var seen: Set<String> = [stateID]
        var current = stateID
        while let next = runbook.defaultSuccessor(of: current), seen.insert(next).inserted {
            remaining += 1
            current = next
        }
        return (index, index + remaining)
    }

    /// The RTO in force (SPEC §3): the runbook's, or the last one set by a stage the incident went through.
    public func rtoInForce(in runbook: Runbook) -> RunbookDuration? {
        var rto = runbook.rto
        for visit in visits {
            if let stateRTO = runbook.state(visit.state)?.rto { rto = stateRTO }
        }
        return rto
    }

    /// The RTO against the time to restore: elapsed since opening (until resolution, if resolved) and what
    /// is left, negative when overdue. Nil without an RTO.
    public func rtoClock(in runbook: Runbook, now: Instant) -> RTOClock? {
        guard let rto = rtoInForce(in: runbook) else { return nil }
        let end = resolved?.at ?? now
        let elapsed = end.milliseconds(since: openedAt)
        return RTOClock(target: rto, elapsedMilliseconds: elapsed, remainingMilliseconds: Int64(rto.seconds) * 1000 - elapsed,
                        stopped: resolved != nil)
    }
}

/// The RTO as a running clock: target, elapsed, remaining (negative when overdue), stopped once resolved.
public struct RTOClock: Sendable, Equatable {
    public var target: RunbookDuration
    public var elapsedMilliseconds: Int64
    public var remainingMilliseconds: Int64
    public var stopped: Bool

    public var overdue: Bool { remainingMilliseconds <= 0 }
}
