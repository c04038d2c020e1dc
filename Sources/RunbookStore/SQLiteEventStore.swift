public import RunbookCore
#if canImport(Glibc)
import Glibc
#endif

/// The event store in one SQLite file, shared safely by the processes of everyone working the incidents.
///
/// Every write is one `BEGIN IMMEDIATE` transaction, so appends from several processes are serialized
/// and an append based on a stale view fails with `.conflict` without writing anything. Reads go through
/// prepared statements cached on the connection. The store owns its connection: use it from one thread
/// or task at a time, and open one store per thread or process.
public final class SQLiteEventStore: EventStore {
    let connection: Connection
    /// The path as given, used in messages (`incidents.db is not a runbook database …`).
    private let displayPath: String
    /// The path the store was opened with.
    public let path: String

    /// Opens the runbook database at `path` (created with mode 0600 if missing), or a new in-memory
    /// database for `:memory:`, and brings its schema up to date.
    ///
    /// A file that is not a runbook database fails with `.damaged` and is left untouched.
    ///
    /// With `readOnly`, a database on a full disk is still read: when the normal open fails for want of
    /// space and no write-ahead log holds unmerged changes, the file is opened immutable (no -shm needed).
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        let displayPath = path == ":memory:" ? "the in-memory database" : path
        let inspect = { (connection: Connection) throws in try SQLiteEventStore.inspect(connection, displayPath: displayPath) }
        do {
            connection = try Self.open(path, readOnly: readOnly, inspect: inspect)
        } catch {
            throw SQLiteEventStore.storeError(error, displayPath: displayPath)
        }
        self.displayPath = displayPath
        self.path = path
    }

    /// Opens and migrates the database; a read on a full disk falls back to an immutable open.
    private static func open(_ path: String, readOnly: Bool, inspect: (Connection) throws -> Void) throws -> Connection {
        do {
            let connection = try Connection(path: path, inspect: inspect)
            try StoreSchema.migrator.migrate(connection)
            return connection
        } catch let error as SQLiteError where readOnly && error.isDiskFull && !hasUnmergedLog(path) {
            return try Connection.immutable(path: path, inspect: inspect)
        }
    }

    /// Whether a write-ahead log beside `path` may hold changes not yet in the main file.
    private static func hasUnmergedLog(_ path: String) -> Bool {
        var info = stat()
        return stat("\(path)-wal", &info) == 0 && info.st_size > 0
    }

    /// A number that changes whenever another connection or process commits to the database
    /// (`PRAGMA data_version`); `watch` compares it to notice appends made elsewhere.
    public func dataVersion() throws(StoreError) -> Int64 {
        try guarded { try connection.dataVersion() }
    }

    // MARK: Writing

    public func createIncident(idPrefix: String, runbook: RunbookSnapshot, events: [PendingEvent],
                               projection: IncidentProjection) throws(StoreError) -> (id: String, records: [EventRecord]) {
        guard let first = events.first, let last = events.last else {
            throw StoreError.noOpeningEvents
        }
        return try guarded {
            try connection.transaction {
                let number = try connection.prepare(SQL.nextIncidentNumber).first(idPrefix) { $0.int64(0) }
                guard let number else {
                    throw SQLiteError.misuse("no incident number returned", sql: SQL.nextIncidentNumber)
                }
                let id = IncidentID.make(prefix: idPrefix, number: number)
                if let scheduled = projection.scheduled {
                    // One run per slot: the loser of a race sees the winner's row and records nothing.
                    if let taken = try connection.prepare(SQL.scheduledRun).first(runbook.runbookID, scheduled.at.milliseconds, as: { $0.text(0) }) {
                        throw StoreError.slotTaken(runbookID: runbook.runbookID, slot: scheduled.at, incidentID: taken)
                    }
                }
                try connection.prepare(SQL.insertRunbook).run(runbook.sha256, runbook.runbookID, runbook.text)
                try connection.prepare(SQL.insertIncident).run(
                    id, runbook.runbookID, runbook.sha256, projection.title, projection.severity, projection.status,
                    projection.stage, projection.drill, first.recordedAt.milliseconds, last.recordedAt.milliseconds,
                    Int64(events.count), projection.nextDueAt?.milliseconds, projection.facts.acknowledgedAt?.milliseconds,
                    projection.facts.resolvedAt?.milliseconds, projection.facts.closedAt?.milliseconds,
                    projection.facts.rtoMilliseconds, projection.facts.breakGlass, projection.facts.countsJSON)
                let records = try insert(events, into: id, after: 0, previousHash: EventChain.genesis)
                if let scheduled = projection.scheduled {
                    try connection.prepare(SQL.insertScheduledRun).run(runbook.runbookID, scheduled.at.milliseconds, id, scheduled.late)
                }
                return (id, records)
            }
        }
    }

    public func append(_ events: [PendingEvent], to incidentID: String, expectedSequence: Int64,
                       projection: IncidentProjection) throws(StoreError) -> [EventRecord] {
        try guarded {
            try connection.transaction {
                let (lastSequence, lastHash) = try lastEvent(of: incidentID)
                guard lastSequence == expectedSequence else {
                    throw StoreError.conflict(incidentID: incidentID, expected: expectedSequence, actual: lastSequence)
                }
                // A cut tail is never papered over: numbering goes on after what the row counted.
                let listed = try connection.prepare(SQL.listedSequence).first(incidentID) { $0.int64(0) } ?? lastSequence
                let base = max(lastSequence, listed)
                let records = try insert(events, into: incidentID, after: base, previousHash: lastHash)
                try connection.prepare(SQL.updateProjection).run(
                    projection.title, projection.severity, projection.status, projection.stage, projection.drill,
                    projection.nextDueAt?.milliseconds, base + Int64(events.count),
                    events.last?.recordedAt.milliseconds, projection.facts.acknowledgedAt?.milliseconds,
                    projection.facts.resolvedAt?.milliseconds, projection.facts.closedAt?.milliseconds,
                    projection.facts.rtoMilliseconds, projection.facts.breakGlass, projection.facts.countsJSON, incidentID)
                return records
            }
        }
    }

    /// Stores the review's facts on the incident's row (the migration's backfill; appends write them with the row).
    static func writeFacts(_ facts: IncidentFacts, of incidentID: String, on connection: Connection) throws {
        try connection.prepare(SQL.updateFacts).run(
            facts.acknowledgedAt?.milliseconds, facts.resolvedAt?.milliseconds, facts.closedAt?.milliseconds,
            facts.rtoMilliseconds, facts.breakGlass, facts.countsJSON, incidentID)
    }

    /// The sequence and hash of the incident's last event; (0, genesis) for an incident without events.
    private func lastEvent(of incidentID: String) throws -> (sequence: Int64, hash: String) {
        if let last = try connection.prepare(SQL.lastEvent).first(incidentID, as: { ($0.int64(0), $0.text(1)) }) {
            return last
        }
        guard try connection.prepare(SQL.incidentExists).first(incidentID, as: { _ in true }) != nil else {
            throw StoreError.unknownIncident(incidentID)
        }
        return (0, EventChain.genesis)
    }

    /// Chains `events` after `sequence` and `previousHash` and inserts them; call inside a transaction.
    private func insert(_ events: [PendingEvent], into incidentID: String, after sequence: Int64,
                        previousHash: String) throws -> [EventRecord] {
        let statement = try connection.prepare(SQL.insertEvent)
        let records = EventRecord.chain(events, incidentID: incidentID, after: sequence, previousHash: previousHash)
        for record in records {
            try statement.run(record.incidentID, record.sequence, record.recordedAt.milliseconds, record.actor,
                              record.type, record.data, record.previousHash, record.hash)
        }
        return records
    }

    // MARK: Reading

    public func events(of incidentID: String, after sequence: Int64) throws(StoreError) -> [EventRecord] {
        try guarded {
            try connection.prepare(SQL.events).rows(incidentID, sequence) { row in
                EventRecord(incidentID: incidentID, sequence: row.int64(0), recordedAt: Instant(milliseconds: row.int64(1)),
                            actor: row.text(2), type: row.text(3), data: row.text(4), previousHash: row.text(5),
                            hash: row.text(6))
            }
        }
    }

    public func runbook(of incidentID: String) throws(StoreError) -> RunbookSnapshot? {
        try guarded {
            try connection.prepare(SQL.runbook).first(incidentID) { row in
                RunbookSnapshot(runbookID: row.text(0), text: row.text(1), sha256: row.text(2))
            }
        }
    }

    @discardableResult
    public func storeFrozenText(_ text: String) throws(StoreError) -> String {
        let sha256 = EventChain.sha256(text)
        try guarded { try connection.prepare(SQL.insertFrozenText).run(sha256, text) }
        return sha256
    }

    public func frozenText(sha256: String) throws(StoreError) -> String? {
        try guarded {
            try connection.prepare(SQL.frozenText).first(sha256) { row in row.text(0) }
        }
    }

    public func integrityFacts(wholeStore: Bool) throws(StoreError) -> StoreIntegrityFacts {
        try guarded {
            var altered: [String] = []
            for sql in [SQL.runbookTexts, SQL.frozenTexts] {
                let texts = try connection.prepare(sql).rows { row in (key: row.text(0), text: row.text(1)) }
                altered += texts.filter { EventChain.sha256($0.text) != $0.key }.map(\.key)
            }
            let guards = Dictionary(try connection.prepare(SQL.triggers).rows { row in (row.text(0), row.text(1)) },
                                    uniquingKeysWith: { first, _ in first })
            let missing = StoreSchema.appendOnlyGuards.filter { name in
                guard let sql = guards[name] else { return true }
                return !sql.contains("RAISE(ABORT")
            }
            let scheduled = try connection.prepare(SQL.scheduledRunsByIncident).rows { row in
                (row.text(0), ScheduledSlot(at: Instant(milliseconds: row.int64(1)), late: row.int64(2) != 0))
            }
            var facts = StoreIntegrityFacts(incidentIDs: [], alteredTexts: altered.sorted(), missingGuards: missing,
                                            scheduledRuns: Dictionary(scheduled, uniquingKeysWith: { first, _ in first }))
            guard wholeStore else { return facts }
            facts.incidentIDs = Set(try connection.prepare(SQL.incidentIDs).rows { $0.text(0) })
            facts.eventsWithoutIncident = try connection.prepare(SQL.eventsWithoutIncident).rows { $0.text(0) }
            for (prefix, last) in try connection.prepare(SQL.counters).rows(as: { row in (row.text(0), row.int64(1)) }) {
                facts.counters[prefix] = last
            }
            return facts
        }
    }

    public func incidents(statuses: Set<String>?) throws(StoreError) -> [IncidentSummary] {
        try guarded {
            guard let statuses else {
                return try connection.prepare(SQL.allIncidents).rows(as: Self.summary)
            }
            guard !statuses.isEmpty else { return [] }
            let statement = try connection.prepare(SQL.incidents(statusCount: statuses.count))
            for (offset, status) in statuses.sorted().enumerated() {
                try statement.bind(status, at: Int32(offset + 1))
            }
            return try statement.rows(as: Self.summary)
        }
    }

    public func incident(_ incidentID: String) throws(StoreError) -> IncidentSummary? {
        try guarded {
            try connection.prepare(SQL.incident).first(incidentID, as: Self.summary)
        }
    }

    public func due(at instant: Instant) throws(StoreError) -> [IncidentSummary] {
        try guarded {
            try connection.prepare(SQL.due).rows(instant.milliseconds, as: Self.summary)
        }
    }

    /// The earliest due time over open incidents: the incidents `due(at:)` considers, so a scheduler that
    /// wakes at this time finds them due.
    public func nextDueAt() throws(StoreError) -> Instant? {
        try guarded {
            try connection.prepare(SQL.nextDueAt).first { row in row.optionalInt64(0).map(Instant.init(milliseconds:)) }
                ?? nil
        }
    }

    public func reviewRows(openedSince: Instant?, runbookID: String?) throws(StoreError) -> [IncidentReviewRow] {
        try guarded {
            let since = openedSince?.milliseconds ?? Int64.min
            return try connection.prepare(SQL.reviewRows).rows(since, runbookID, runbookID) { row in
                IncidentReviewRow(id: row.text(0), runbookID: row.text(1), openedAt: Instant(milliseconds: row.int64(2)),
                                  drill: row.int64(3) != 0, status: row.text(4), facts: Self.facts(row, from: 5))
            }
        }
    }

    public func latestScheduledRuns(runbookID: String?) throws(StoreError) -> [ScheduledRunRow] {
        try guarded {
            try connection.prepare(SQL.latestScheduledRuns).rows(runbookID, runbookID) { row in
                ScheduledRunRow(runbookID: row.text(0), slot: Instant(milliseconds: row.int64(1)), incidentID: row.text(2), late: row.int64(3) != 0)
            }
        }
    }

    /// Reads a row of `SQL.summaryColumns`.
    private static func summary(_ row: Row) -> IncidentSummary {
        IncidentSummary(
            id: row.text(0), runbookID: row.text(1), openedAt: Instant(milliseconds: row.int64(2)),
            updatedAt: Instant(milliseconds: row.int64(3)), lastSequence: row.int64(4),
            projection: IncidentProjection(
                title: row.text(5), severity: row.text(6), status: row.text(7), stage: row.text(8),
                nextDueAt: row.optionalInt64(9).map(Instant.init(milliseconds:)), drill: row.int64(10) != 0,
                facts: facts(row, from: 11)))
    }

    /// Reads the columns of `SQL.factsColumns` from `column` on. Counts that do not read (a row edited behind
    /// runbook's back) are left out: the review goes on.
    private static func facts(_ row: Row, from column: Int32) -> IncidentFacts {
        let counts = row.optionalText(column + 5).flatMap { IncidentFacts.counts(json: $0) }
        return IncidentFacts(
            acknowledgedAt: row.optionalInt64(column).map(Instant.init(milliseconds:)),
            resolvedAt: row.optionalInt64(column + 1).map(Instant.init(milliseconds:)),
            closedAt: row.optionalInt64(column + 2).map(Instant.init(milliseconds:)),
            rtoMilliseconds: row.optionalInt64(column + 3), missedByStage: counts?.missedByStage ?? [:],
            pagesByTier: counts?.pagesByTier ?? [:], breakGlass: Int(row.int64(column + 4)))
    }

    /// Runs `body`, turning any error into the `StoreError` a user can read.
    func guarded<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch {
            throw SQLiteEventStore.storeError(error, displayPath: displayPath)
        }
    }
}

/// The store's SQL, in one place and in plain SQL (SPEC §10: PostgreSQL later).
enum SQL {
    /// The incidents that can fall due: `due(at:)` and `nextDueAt()` must agree on them.
    static let dueFilter = "next_due_at IS NOT NULL"

    /// The review's facts, in the order `SQLiteEventStore.facts(_:from:)` reads them.
    static let factsColumns = "acked_at, resolved_at, closed_at, rto_ms, break_glass, counts"

    static let summaryColumns =
        "id, runbook_id, opened_at, updated_at, last_sequence, title, severity, status, stage, next_due_at, drill, \(factsColumns)"

    static let nextIncidentNumber = """
        INSERT INTO incident_counters (prefix, last_number) VALUES (?, 1)
        ON CONFLICT (prefix) DO UPDATE SET last_number = last_number + 1
        RETURNING last_number
        """
    static let insertRunbook =
        "INSERT INTO runbooks (sha256, runbook_id, text) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING"
    static let insertIncident = """
        INSERT INTO incidents (id, runbook_id, runbook_sha256, title, severity, status, stage, drill, opened_at,
                               updated_at, last_sequence, next_due_at, \(factsColumns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let insertEvent = """
        INSERT INTO events (incident_id, sequence, recorded_at, actor, type, data, prev_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// `updated_at` keeps its value when the append brought no events (bound NULL). The review's facts are written
    /// with the rest of the row, in the append's transaction.
    static let updateProjection = """
        UPDATE incidents SET title = ?, severity = ?, status = ?, stage = ?, drill = ?, next_due_at = ?,
                             last_sequence = ?, updated_at = coalesce(?, updated_at),
                             acked_at = ?, resolved_at = ?, closed_at = ?, rto_ms = ?, break_glass = ?, counts = ?
        WHERE id = ?
        """
    static let updateFacts = """
        UPDATE incidents SET acked_at = ?, resolved_at = ?, closed_at = ?, rto_ms = ?, break_glass = ?, counts = ?
        WHERE id = ?
        """
    /// `runbook_id` is bound twice: NULL selects every runbook.
    static let reviewRows = """
        SELECT id, runbook_id, opened_at, drill, status, \(factsColumns) FROM incidents
        WHERE opened_at >= ? AND (? IS NULL OR runbook_id = ?) ORDER BY opened_at, id
        """
    static let scheduledRun = "SELECT incident_id FROM scheduled_runs WHERE runbook_id = ? AND slot = ?"
    static let scheduledRunsByIncident = "SELECT incident_id, slot, late FROM scheduled_runs"
    static let insertScheduledRun = "INSERT INTO scheduled_runs (runbook_id, slot, incident_id, late) VALUES (?, ?, ?, ?)"
    static let latestScheduledRuns = """
        SELECT runbook_id, max(slot), incident_id, late FROM scheduled_runs WHERE (? IS NULL OR runbook_id = ?)
        GROUP BY runbook_id ORDER BY runbook_id
        """
    static let lastEvent = "SELECT sequence, hash FROM events WHERE incident_id = ? ORDER BY sequence DESC LIMIT 1"
    static let incidentExists = "SELECT 1 FROM incidents WHERE id = ?"
    static let listedSequence = "SELECT last_sequence FROM incidents WHERE id = ?"
    static let runbookTexts = "SELECT sha256, text FROM runbooks"
    static let frozenTexts = "SELECT sha256, text FROM frozen_texts"
    static let triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
    static let incidentIDs = "SELECT id FROM incidents"
    /// Each incident id in the events table once (a skip over the clustered key), less those with a row.
    static let eventsWithoutIncident = """
        SELECT DISTINCT incident_id FROM events WHERE incident_id NOT IN (SELECT id FROM incidents) ORDER BY incident_id
        """
    static let counters = "SELECT prefix, last_number FROM incident_counters"

    static let events = """
        SELECT sequence, recorded_at, actor, type, data, prev_hash, hash FROM events
        WHERE incident_id = ? AND sequence > ? ORDER BY sequence
        """
    static let runbook = """
        SELECT incidents.runbook_id, runbooks.text, runbooks.sha256
        FROM incidents JOIN runbooks ON runbooks.sha256 = incidents.runbook_sha256
        WHERE incidents.id = ?
        """
    static let insertFrozenText = "INSERT INTO frozen_texts (sha256, text) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING"
    static let frozenText = "SELECT text FROM frozen_texts WHERE sha256 = ?"
    static let incident = "SELECT \(summaryColumns) FROM incidents WHERE id = ?"
    static let allIncidents = "SELECT \(summaryColumns) FROM incidents ORDER BY opened_at DESC, id DESC"
    static func incidents(statusCount: Int) -> String {
        let placeholders = Array(repeating: "?", count: statusCount).joined(separator: ", ")
        return "SELECT \(summaryColumns) FROM incidents WHERE status IN (\(placeholders)) ORDER BY opened_at DESC, id DESC"
    }
    static let due = """
        SELECT \(summaryColumns) FROM incidents WHERE \(dueFilter) AND next_due_at <= ? ORDER BY next_due_at, id
        """
    static let nextDueAt = "SELECT min(next_due_at) FROM incidents WHERE \(dueFilter)"
}
