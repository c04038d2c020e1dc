public import RunbookCore

extension PostmortemReport {
    /// The report of an incident as read from the store, with the verdict of `runbook verify` on its log.
    public init(snapshot: IncidentSnapshot, integrity: IntegrityVerdict, now: Instant) {
        self.init(runbook: snapshot.runbook, events: snapshot.events, integrity: integrity, now: now)
    }
}
