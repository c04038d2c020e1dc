/// A store that takes whole incidents as another store held them (`runbook import`): SQLite and PostgreSQL.
public protocol ImportingStore: EventStore {
    /// Adds `incidents` with their rows, texts and records exactly as given, in one transaction: all of them or, when
    /// any id is already present (`StoreError.failure` names it) or anything fails, none. Moves each prefix's id counter
    /// past the imported numbers.
    func importIncidents(_ incidents: [ImportedIncident]) throws(StoreError)
}

/// One incident as an export carries it (`runbook export`, `runbook import`).
public struct ImportedIncident: Sendable {
    public var row: IncidentSummary
    public var runbook: RunbookSnapshot
    public var records: [EventRecord]
    /// The roster and contacts texts frozen into it.
    public var texts: [String]
    public var scheduled: ScheduledSlot?

    public init(row: IncidentSummary, runbook: RunbookSnapshot, records: [EventRecord], texts: [String], scheduled: ScheduledSlot?) {
        self.row = row
        self.runbook = runbook
        self.records = records
        self.texts = texts
        self.scheduled = scheduled
    }
}

