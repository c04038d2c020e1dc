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
                           nextDueAt: nextDue(in: runbook, channels: channels), drill: drill)
    }

    /// The state's position as "k of n", by the runbook's order of states.
    public func stagePosition(in runbook: Runbook) -> (index: Int, count: Int)? {
        runbook.position(of: stateID)
    }
}
