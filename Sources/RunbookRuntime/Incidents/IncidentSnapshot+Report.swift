public import RunbookCore

extension PostmortemReport {
    /// The report of an incident as read from the store, with the verdict of `runbook verify` on its log.
    /// Its headings and sentences are in `language` (the front ends pass `Language.current`).
    public init(snapshot: IncidentSnapshot, integrity: IntegrityVerdict, now: Instant, language: Language) {
        self.init(runbook: snapshot.runbook, events: snapshot.events, integrity: integrity, now: now, language: language)
    }
}
