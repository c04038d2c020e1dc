extension IncidentState {
    /// When the current stage's deadline falls, if it has one and the incident is not closed.
    public func stageDeadline(in runbook: Runbook) -> Instant? {
        guard !isClosed, let deadline = runbook.state(stateID)?.deadline else { return nil }
        return enteredAt + deadline
    }

    /// The list row the store keeps for this incident.
    public func projection(in runbook: Runbook) -> IncidentProjection {
        IncidentProjection(title: title, severity: severity, status: status.rawValue, stage: stateID,
                           nextDueAt: stageDeadline(in: runbook), drill: drill)
    }

    /// The state's position as "k of n", by the runbook's order of states.
    public func stagePosition(in runbook: Runbook) -> (index: Int, count: Int)? {
        runbook.position(of: stateID)
    }
}
