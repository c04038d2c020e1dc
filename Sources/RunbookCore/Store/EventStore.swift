/// The frozen runbook an incident runs: its exact text and that text's SHA-256.
public struct RunbookSnapshot: Sendable, Equatable {
    public var runbookID: String
    public var text: String
    public var sha256: String

    public init(runbookID: String, text: String) {
        self.runbookID = runbookID
        self.text = text
        self.sha256 = EventChain.sha256(text)
    }

    public init(runbookID: String, text: String, sha256: String) {
        self.runbookID = runbookID
        self.text = text
        self.sha256 = sha256
    }
}

/// What listing and scheduling need to know of an incident without replaying it; rebuilt from events.
public struct IncidentProjection: Sendable, Equatable {
    public var title: String
    public var severity: String
    /// `open`, `resolved` or `closed`.
    public var status: String
    /// The current state id.
    public var stage: String
    /// The earliest time something about the incident falls due (a deadline, a tier, a delivery, the report),
    /// if any; the store schedules by this alone.
    public var nextDueAt: Instant?
    public var drill: Bool
    /// What the monthly review needs (`runbook stats`), kept with the row so it reads no events.
    public var facts: IncidentFacts
    /// The slot of a scheduled run: at opening the store records it once per runbook (`scheduledRuns`), refusing a
    /// second opening of the same slot with `StoreError.slotTaken`.
    public var scheduled: ScheduledSlot?

    public init(title: String, severity: String, status: String, stage: String, nextDueAt: Instant?, drill: Bool = false,
                facts: IncidentFacts = IncidentFacts(), scheduled: ScheduledSlot? = nil) {
        self.scheduled = scheduled
        self.title = title
        self.severity = severity
        self.status = status
        self.stage = stage
        self.nextDueAt = nextDueAt
        self.drill = drill
        self.facts = facts
    }
}

/// One row of the incident list.
public struct IncidentSummary: Sendable, Equatable {
    public var id: String
    public var runbookID: String
    public var openedAt: Instant
    public var updatedAt: Instant
    public var lastSequence: Int64
    public var projection: IncidentProjection

    public init(id: String, runbookID: String, openedAt: Instant, updatedAt: Instant, lastSequence: Int64,
                projection: IncidentProjection) {
        self.id = id
        self.runbookID = runbookID
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.lastSequence = lastSequence
        self.projection = projection
    }
}

/// Why a store refused or failed an operation.
public enum StoreError: Error, Sendable, Equatable {
    /// Someone appended first: the incident has `actual` events, the caller expected `expected`.
    case conflict(incidentID: String, expected: Int64, actual: Int64)
    case unknownIncident(String)
    /// The database file is not a usable runbook database.
    case damaged(String)
    /// Any other failure of the underlying database, described for the user.
    case failure(String)
    /// The database server cannot be reached or dropped the connection (PostgreSQL): nothing was decided, try again.
    case unavailable(String)
    /// A scheduled run of `runbookID` for this slot was already started (by `incidentID` when known).
    case slotTaken(runbookID: String, slot: Instant, incidentID: String?)

    /// `createIncident` was given no events.
    public static let noOpeningEvents = StoreError.failure("cannot open an incident without events; record at least its opening event")
}

/// A scheduled run as the store records it: the runbook, its slot, the incident started for it, whether late.
public struct ScheduledRunRow: Sendable, Equatable {
    public var runbookID: String
    public var slot: Instant
    public var incidentID: String
    public var late: Bool

    public init(runbookID: String, slot: Instant, incidentID: String, late: Bool) {
        self.runbookID = runbookID
        self.slot = slot
        self.incidentID = incidentID
        self.late = late
    }
}

/// The narrow interface every event store implements (SQLite now; PostgreSQL later).
///
/// Requirements, checked for every implementation by the store conformance tests:
/// - an incident's sequence numbers are 1, 2, 3, … with no gap, in append order;
/// - `append` is atomic: all of its events are stored or none, and it fails with `.conflict` when the
///   incident's last stored sequence is not `expectedSequence`;
/// - a log whose tail was cut never reuses the cut numbers: when the incident row counts more events than
///   are stored, new events are numbered after the row's count (linked to the stored tail), so the gap
///   stays visible to verification;
/// - every stored record carries the hash chain of `EventChain`;
/// - reads return events in sequence order; incident ids are unique and allocated in order per prefix;
/// - a frozen text comes back exactly as stored, under the SHA-256 of its UTF-8 bytes.
public protocol EventStore: AnyObject {
    /// Opens an incident with the next free id `PREFIX-NNNN`, its runbook snapshot and its first events.
    func createIncident(idPrefix: String, runbook: RunbookSnapshot, events: [PendingEvent],
                        projection: IncidentProjection) throws(StoreError) -> (id: String, records: [EventRecord])

    /// Appends events after `expectedSequence`, the last sequence the caller saw, and updates the projection.
    func append(_ events: [PendingEvent], to incidentID: String, expectedSequence: Int64,
                projection: IncidentProjection) throws(StoreError) -> [EventRecord]

    /// The incident's events with a sequence above `sequence`, in order.
    func events(of incidentID: String, after sequence: Int64) throws(StoreError) -> [EventRecord]

    /// The runbook snapshot the incident was started with, or nil for an unknown incident.
    func runbook(of incidentID: String) throws(StoreError) -> RunbookSnapshot?

    /// Stores a text frozen into incidents (a roster, a contacts file) under its SHA-256 and returns that
    /// hash; storing the same text again changes nothing.
    @discardableResult
    func storeFrozenText(_ text: String) throws(StoreError) -> String

    /// The frozen text stored under `sha256`, or nil.
    func frozenText(sha256: String) throws(StoreError) -> String?

    /// What verification checks beside the chains. `wholeStore` adds the store-wide facts (ids the counter
    /// gave out, events without an incident row), which read every event; without it only the cheap facts
    /// (stored texts re-hashed, append-only guards) are gathered, for the views of one incident.
    func integrityFacts(wholeStore: Bool) throws(StoreError) -> StoreIntegrityFacts

    /// Incidents, newest first; only those with one of `statuses` when given.
    func incidents(statuses: Set<String>?) throws(StoreError) -> [IncidentSummary]

    /// The incident's list row, or nil.
    func incident(_ incidentID: String) throws(StoreError) -> IncidentSummary?

    /// Incidents whose projection has something due at or before `instant`, earliest first.
    func due(at instant: Instant) throws(StoreError) -> [IncidentSummary]

    /// The earliest due time over all incidents, if any.
    func nextDueAt() throws(StoreError) -> Instant?

    /// The review's rows (`runbook stats`): every incident opened at or after `openedSince` (all when nil), of the
    /// runbook `runbookID` when given, with its facts, oldest first. Reads the incident rows only, never the events.
    func reviewRows(openedSince: Instant?, runbookID: String?) throws(StoreError) -> [IncidentReviewRow]

    /// The latest scheduled run of each runbook (by slot), or of `runbookID` only.
    func latestScheduledRuns(runbookID: String?) throws(StoreError) -> [ScheduledRunRow]

    /// The database as messages name it when it is not a file: a PostgreSQL URL without its password. Nil by default.
    var databaseName: String? { get }

    /// Whether only a watcher sends this database's pages: on PostgreSQL the watcher (in one of the servers) always
    /// runs, and a request delivering beside it would need a claim across hosts. False by default.
    ///
    /// Requirements rather than casts to a protocol: a failed dynamic cast scans every conformance of the binary, which
    /// cost `note` 3 % of its instructions (callgrind).
    var pagesOnlyThroughWatcher: Bool { get }
}

extension EventStore {
    public var databaseName: String? { nil }
    public var pagesOnlyThroughWatcher: Bool { false }
}

/// One incident as the monthly review sees it: who, when opened, whether a drill, and its facts.
public struct IncidentReviewRow: Sendable, Equatable {
    public var id: String
    public var runbookID: String
    public var openedAt: Instant
    public var drill: Bool
    /// `open`, `resolved` or `closed`.
    public var status: String
    public var facts: IncidentFacts

    public init(id: String, runbookID: String, openedAt: Instant, drill: Bool, status: String, facts: IncidentFacts) {
        self.id = id
        self.runbookID = runbookID
        self.openedAt = openedAt
        self.drill = drill
        self.status = status
        self.facts = facts
    }
}
