public import RunbookCore

extension PostmortemReport {
    /// The report of an incident as read from the store, with the verdict of `runbook verify` on its log.
    /// Its headings and sentences are in `language` (the front ends pass `Language.current`).
    public init(snapshot: IncidentSnapshot, integrity: IntegrityVerdict, now: Instant, language: Language) {
        self.init(runbook: snapshot.runbook, events: snapshot.events, integrity: integrity, now: now, language: language)
        // Where each child stands now, as the service read it (`IncidentService.linkedIncidents`).
        for index in linked.indices where linked[index].role == .child {
            if let now = snapshot.linked.first(where: { $0.role == .child && $0.incident == linked[index].incident })?.result {
                linked[index].result = now
            }
        }
    }
}
