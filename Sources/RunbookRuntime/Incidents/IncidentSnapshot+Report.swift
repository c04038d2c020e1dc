public import RunbookCore

extension PostmortemReport {
    /// The report of an incident as read from the store, its hash chain checked.
    public init(snapshot: IncidentSnapshot, now: Instant) {
        self.init(runbook: snapshot.runbook, events: snapshot.events,
                  integrity: EventChain.verify(snapshot.events.map(\.record)), now: now)
    }
}
