public import RunbookCore

/// An event store in plain arrays and dictionaries, with the same guarantees as `SQLiteEventStore`.
///
/// For tests of the engine and the runtime that need a store but not a file. Like the SQLite store it is
/// owned by one thread or task at a time.
public final class InMemoryEventStore: EventStore {
    private struct Incident {
        var summary: IncidentSummary
        var runbook: RunbookSnapshot
        var records: [EventRecord]
    }

    private var incidentsByID: [String: Incident] = [:]
    private var lastNumberByPrefix: [String: Int64] = [:]
    private var frozenTexts: [String: String] = [:]
    private var scheduledRuns: [ScheduledRunRow] = []

    public init() {}

    public func createIncident(idPrefix: String, runbook: RunbookSnapshot, events: [PendingEvent],
                               projection: IncidentProjection) throws(StoreError) -> (id: String, records: [EventRecord]) {
        guard let first = events.first, let last = events.last else {
            throw StoreError.noOpeningEvents
        }
        let number = (lastNumberByPrefix[idPrefix] ?? 0) + 1
        let id = IncidentID.make(prefix: idPrefix, number: number)
        if let scheduled = projection.scheduled {
            if let taken = scheduledRuns.first(where: { $0.runbookID == runbook.runbookID && $0.slot == scheduled.at }) {
                throw StoreError.slotTaken(runbookID: runbook.runbookID, slot: scheduled.at, incidentID: taken.incidentID)
            }
            scheduledRuns.append(ScheduledRunRow(runbookID: runbook.runbookID, slot: scheduled.at, incidentID: id, late: scheduled.late))
        }
        let records = EventRecord.chain(events, incidentID: id, after: 0, previousHash: EventChain.genesis)
        lastNumberByPrefix[idPrefix] = number
        incidentsByID[id] = Incident(
            summary: IncidentSummary(id: id, runbookID: runbook.runbookID, openedAt: first.recordedAt,
                                     updatedAt: last.recordedAt, lastSequence: Int64(records.count),
                                     projection: projection),
            runbook: runbook, records: records)
        return (id, records)
    }

    public func append(_ events: [PendingEvent], to incidentID: String, expectedSequence: Int64,
                       projection: IncidentProjection) throws(StoreError) -> [EventRecord] {
        guard var incident = incidentsByID[incidentID] else {
            throw StoreError.unknownIncident(incidentID)
        }
        let lastSequence = incident.records.last?.sequence ?? 0
        guard lastSequence == expectedSequence else {
            throw StoreError.conflict(incidentID: incidentID, expected: expectedSequence, actual: lastSequence)
        }
        // A cut tail is never papered over: numbering goes on after what the row counted.
        let base = max(lastSequence, incident.summary.lastSequence)
        let records = EventRecord.chain(events, incidentID: incidentID, after: base,
                                 previousHash: incident.records.last?.hash ?? EventChain.genesis)
        incident.records += records
        incident.summary.lastSequence = base + Int64(records.count)
        incident.summary.updatedAt = events.last?.recordedAt ?? incident.summary.updatedAt
        incident.summary.projection = projection
        incidentsByID[incidentID] = incident
        return records
    }

    public func events(of incidentID: String, after sequence: Int64) throws(StoreError) -> [EventRecord] {
        guard let records = incidentsByID[incidentID]?.records else { return [] }
        // Sequences are 1, 2, 3, …: the records after `sequence` start at index `sequence`.
        let start = Int(min(max(sequence, 0), Int64(records.count)))
        return Array(records[start...])
    }

    public func runbook(of incidentID: String) throws(StoreError) -> RunbookSnapshot? {
        incidentsByID[incidentID]?.runbook
    }

    @discardableResult
    public func storeFrozenText(_ text: String) throws(StoreError) -> String {
        let sha256 = EventChain.sha256(text)
        if frozenTexts[sha256] == nil { frozenTexts[sha256] = text }
        return sha256
    }

    public func frozenText(sha256: String) throws(StoreError) -> String? {
        frozenTexts[sha256]
    }

    public func integrityFacts(wholeStore: Bool) throws(StoreError) -> StoreIntegrityFacts {
        let altered = frozenTexts.filter { EventChain.sha256($0.value) != $0.key }.map(\.key).sorted()
        let scheduled = Dictionary(scheduledRuns.map { ($0.incidentID, ScheduledSlot(at: $0.slot, late: $0.late)) }, uniquingKeysWith: { first, _ in first })
        guard wholeStore else { return StoreIntegrityFacts(incidentIDs: [], alteredTexts: altered, scheduledRuns: scheduled) }
        return StoreIntegrityFacts(incidentIDs: Set(incidentsByID.keys), counters: lastNumberByPrefix, alteredTexts: altered,
                                   scheduledRuns: scheduled)
    }

    public func incidents(statuses: Set<String>?) throws(StoreError) -> [IncidentSummary] {
        incidentsByID.values.map(\.summary)
            .filter { summary in statuses.map { $0.contains(summary.projection.status) } ?? true }
            .sorted { ($0.openedAt, $0.id) > ($1.openedAt, $1.id) }
    }

    public func incident(_ incidentID: String) throws(StoreError) -> IncidentSummary? {
        incidentsByID[incidentID]?.summary
    }

    public func due(at instant: Instant) throws(StoreError) -> [IncidentSummary] {
        dueCandidates()
            .filter { ($0.due) <= instant }
            .sorted { ($0.due, $0.summary.id) < ($1.due, $1.summary.id) }
            .map(\.summary)
    }

    /// The earliest due time over open incidents, as `SQLiteEventStore` answers it.
    public func nextDueAt() throws(StoreError) -> Instant? {
        dueCandidates().map(\.due).min()
    }

    public func latestScheduledRuns(runbookID: String?) throws(StoreError) -> [ScheduledRunRow] {
        Dictionary(grouping: scheduledRuns.filter { row in runbookID.map { row.runbookID == $0 } ?? true }, by: \.runbookID)
            .compactMap { $0.value.max { $0.slot < $1.slot } }
            .sorted { $0.runbookID < $1.runbookID }
    }

    public func reviewRows(openedSince: Instant?, runbookID: String?) throws(StoreError) -> [IncidentReviewRow] {
        incidentsByID.values.map(\.summary)
            .filter { summary in openedSince.map { summary.openedAt >= $0 } ?? true }
            .filter { summary in runbookID.map { summary.runbookID == $0 } ?? true }
            .sorted { ($0.openedAt, $0.id) < ($1.openedAt, $1.id) }
            .map { summary in
                IncidentReviewRow(id: summary.id, runbookID: summary.runbookID, openedAt: summary.openedAt,
                                  drill: summary.projection.drill, status: summary.projection.status, facts: summary.projection.facts)
            }
    }

    /// Open incidents with a due time: the ones `due(at:)` and `nextDueAt()` consider.
    private func dueCandidates() -> [(due: Instant, summary: IncidentSummary)] {
        incidentsByID.values.compactMap { incident in
            guard let due = incident.summary.projection.nextDueAt else {
                return nil
            }
            return (due, incident.summary)
        }
    }
}
