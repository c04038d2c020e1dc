public import RunbookCore

/// The event store in a PostgreSQL database (SPEC §10), for teams that run several `runbook serve` processes or already
/// keep their data in a replicated PostgreSQL: the same interface and guarantees as the SQLite file, checked by the same
/// conformance suite.
///
/// Every write is one transaction. An append locks its incident's row (`SELECT … FOR UPDATE`), so appends to one
/// incident from several servers are serialized and one based on a stale view fails with `.conflict`; the primary key
/// (incident_id, sequence) refuses a doubled number whatever happens. The store owns one connection: use it from one
/// thread or task at a time, and open one store per task, as with SQLite.
public final class PostgresEventStore: EventStore {
    /// The store's connection (the benchmark's reference inserts go over it too).
    public let connection: PGConnection
    /// The URL without its password, for messages.
    public let displayURL: String
    public var databaseName: String? { displayURL }
    public var pagesOnlyThroughWatcher: Bool { true }
    /// The connection that listens for change announcements (`dataVersion()`), opened at its first use.
    var listener: PGConnection?
    var heard: Int64 = 0
    /// The URL as given (password included): the watcher and the event feed open their own connections with it.
    public let url: String

    /// Connects to `url` and brings runbook's schema up to date. With `readOnly`, a database without runbook's tables is
    /// refused instead of being given them (a mistyped URL is an error, not a new empty log).
    public init(url: String, readOnly: Bool = false) throws(StoreError) {
        let displayURL = PostgresLocation.display(url)
        do {
            connection = try PGConnection(url: url, displayURL: displayURL)
        } catch {
            throw StoreError.unavailable(Message.server(.postgresUnreachable(url: displayURL, detail: PostgresLocation.redact(error.message, url: url))).text())
        }
        self.displayURL = displayURL
        self.url = url
        try guarded { try migrate(readOnly: readOnly) }
    }

    /// Applies the migrations not yet recorded, under a transaction-scoped advisory lock, so two servers starting at
    /// once migrate one after the other. A database migrated by a newer runbook is refused. A database already up to
    /// date (every open but the first) is read once and not written; a read-only open never writes.
    private func migrate(readOnly: Bool) throws {
        if let applied = try appliedMigrations(), try isComplete(applied) { return }
        if readOnly { throw StoreError.failure(Message.server(.postgresNoSchema(url: displayURL)).text()) }
        try createNamedSchema()
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '.runbook-migrate'))")
            try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at bigint NOT NULL)")
            let applied = try appliedMigrations() ?? []
            guard !(try isComplete(applied)) else { return }
            for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
                try connection.execute(migration.sql)
                try connection.query(PostgresSQL.recordMigration, [migration.id])
            }
        }
    }

    /// The migrations the database records, nil when it has no `schema_migrations` table.
    private func appliedMigrations() throws -> Set<String>? {
        guard try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").bool(0, 0) else { return nil }
        return Set(try connection.query("SELECT id FROM schema_migrations").rowsText(0))
    }

    /// Whether `applied` holds every migration of this version; refuses one this version does not know.
    private func isComplete(_ applied: Set<String>) throws -> Bool {
        let known = PostgresSchema.migrations.map(\.id)
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError.damaged(Message.databaseNewer(path: displayURL, migration: unknown).text())
        }
        return known.allSatisfy(applied.contains)
    }

    /// A `search_path` that names a schema not yet there (`?options=-csearch_path%3Drunbook`) gets it: runbook's
    /// tables then live apart from whatever else the database holds.
    private func createNamedSchema() throws {
        guard try connection.query("SELECT current_schema()").isNull(0, 0) else { return }
        let path = try connection.query("SELECT current_setting('search_path')").text(0, 0)
        guard let name = Self.firstSchema(path) else { return }
        let create = "CREATE SCHEMA IF NOT EXISTS \(try connection.identifier(name))"
        do throws(PGError) {
            try connection.execute(create)
        } catch {
            // Another server created it at the same moment (IF NOT EXISTS does not cover a concurrent creation).
            guard error.isUniqueViolation || error.sqlState == "42P06" else { throw error }
        }
    }

    /// The schema the first entry of a `search_path` names, as PostgreSQL reads it: a plain name folded to lower case, a
    /// quoted one as written. Nil for `"$user"` and for anything this simple reading is not sure of (a quoted name with
    /// a comma or a quote in it): then no schema is created, and PostgreSQL's own refusal names the problem.
    static func firstSchema(_ searchPath: String) -> String? {
        let first = String(String(searchPath.prefix { $0 != "," }).trimmingWhitespace)
        if first.hasPrefix("\"") {
            let inner = first.dropFirst()
            guard inner.hasSuffix("\""), inner.count >= 2 else { return nil }
            let name = String(inner.dropLast())
            return name.contains("\"") || name == "$user" ? nil : name
        }
        let plain = !first.isEmpty && first.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar == "_" || scalar == "$" || ("0"..."9").contains(scalar)
        }
        return plain && first != "$user" ? first.lowercased() : nil
    }

    // MARK: Writing

    public func createIncident(idPrefix: String, runbook: RunbookSnapshot, events: [PendingEvent],
                               projection: IncidentProjection) throws(StoreError) -> (id: String, records: [EventRecord]) {
        guard let first = events.first, let last = events.last else {
            throw StoreError.noOpeningEvents
        }
        return try guarded {
            try connection.transaction {
                let number = try connection.query(PostgresSQL.nextIncidentNumber, [idPrefix]).int64(0, 0)
                let id = IncidentID.make(prefix: idPrefix, number: number)
                try connection.query(PostgresSQL.insertRunbook, [runbook.sha256, runbook.runbookID, runbook.text])
                try connection.query(PostgresSQL.insertIncident, [
                    id, runbook.runbookID, runbook.sha256, projection.title, projection.severity, projection.status,
                    projection.stage, projection.drill, first.recordedAt.milliseconds, last.recordedAt.milliseconds,
                    Int64(events.count), projection.nextDueAt?.milliseconds, projection.facts.acknowledgedAt?.milliseconds,
                    projection.facts.resolvedAt?.milliseconds, projection.facts.closedAt?.milliseconds,
                    projection.facts.rtoMilliseconds, Int64(projection.facts.breakGlass), projection.facts.countsJSON,
                ] as [any PGBindable])
                let records = try insert(events, into: id, after: 0, previousHash: EventChain.genesis)
                if let scheduled = projection.scheduled {
                    // One run per slot: the loser of a race waits on the winner's key, then records nothing.
                    let taken = try connection.query(PostgresSQL.insertScheduledRun,
                                                     [runbook.runbookID, scheduled.at.milliseconds, id, scheduled.late] as [any PGBindable])
                    if taken.count == 0 {
                        throw SlotTaken(runbookID: runbook.runbookID, slot: scheduled.at)
                    }
                }
                return (id, records)
            }
        }
    }

    /// Raised inside the opening transaction when the slot is taken; answered after the rollback with the winner's id.
    private struct SlotTaken: Error {
        var runbookID: String
        var slot: Instant
    }

    public func append(_ events: [PendingEvent], to incidentID: String, expectedSequence: Int64,
                       projection: IncidentProjection) throws(StoreError) -> [EventRecord] {
        try guarded {
            try connection.transaction {
                // The row lock serializes appends to this incident across every connection and server.
                let locked = try connection.query(PostgresSQL.lockIncident, [incidentID])
                guard locked.count == 1 else { throw StoreError.unknownIncident(incidentID) }
                let listed = locked.int64(0, 0)
                let tail = try connection.query(PostgresSQL.lastEvent, [incidentID])
                let lastSequence = tail.count > 0 ? tail.int64(0, 0) : 0
                let lastHash = tail.count > 0 ? tail.text(0, 1) : EventChain.genesis
                guard lastSequence == expectedSequence else {
                    throw StoreError.conflict(incidentID: incidentID, expected: expectedSequence, actual: lastSequence)
                }
                // A cut tail is never papered over: numbering goes on after what the row counted.
                let base = max(lastSequence, listed)
                let records = try insert(events, into: incidentID, after: base, previousHash: lastHash)
                try connection.query(PostgresSQL.updateProjection, [
                    projection.title, projection.severity, projection.status, projection.stage, projection.drill,
                    projection.nextDueAt?.milliseconds, base + Int64(events.count),
                    events.last?.recordedAt.milliseconds, projection.facts.acknowledgedAt?.milliseconds,
                    projection.facts.resolvedAt?.milliseconds, projection.facts.closedAt?.milliseconds,
                    projection.facts.rtoMilliseconds, Int64(projection.facts.breakGlass), projection.facts.countsJSON, incidentID,
                ] as [any PGBindable])
                return records
            }
        }
    }

    /// Chains `events` after `sequence` and `previousHash` and inserts them; call inside a transaction.
    private func insert(_ events: [PendingEvent], into incidentID: String, after sequence: Int64,
                        previousHash: String) throws -> [EventRecord] {
        let records = EventRecord.chain(events, incidentID: incidentID, after: sequence, previousHash: previousHash)
        for record in records { try insertRecord(record) }
        return records
    }

    func insertRecord(_ record: EventRecord) throws {
        try connection.query(PostgresSQL.insertEvent, [
            record.incidentID, record.sequence, record.recordedAt.milliseconds, record.actor, record.type, record.data,
            record.previousHash, record.hash,
        ] as [any PGBindable])
    }

    // MARK: Reading

    public func events(of incidentID: String, after sequence: Int64) throws(StoreError) -> [EventRecord] {
        try guarded {
            let result = try connection.query(PostgresSQL.events, [incidentID, sequence] as [any PGBindable])
            return result.rows(Self.record(result, of: incidentID))
        }
    }

    public func runbook(of incidentID: String) throws(StoreError) -> RunbookSnapshot? {
        try guarded {
            let result = try connection.query(PostgresSQL.runbook, [incidentID])
            guard result.count > 0 else { return nil }
            return RunbookSnapshot(runbookID: result.text(0, 0), text: result.text(0, 1), sha256: result.text(0, 2))
        }
    }

    @discardableResult
    public func storeFrozenText(_ text: String) throws(StoreError) -> String {
        let sha256 = EventChain.sha256(text)
        try guarded { try connection.query(PostgresSQL.insertFrozenText, [sha256, text]) }
        return sha256
    }

    public func frozenText(sha256: String) throws(StoreError) -> String? {
        try guarded {
            let result = try connection.query(PostgresSQL.frozenText, [sha256])
            return result.count > 0 ? result.text(0, 0) : nil
        }
    }

    public func integrityFacts(wholeStore: Bool) throws(StoreError) -> StoreIntegrityFacts {
        try guarded {
            var altered: [String] = []
            for sql in [PostgresSQL.runbookTexts, PostgresSQL.frozenTexts] {
                let result = try connection.query(sql)
                altered += result.rows { (key: result.text($0, 0), text: result.text($0, 1)) }
                    .filter { EventChain.sha256($0.text) != $0.key }.map(\.key)
            }
            // A guard counts only as created: firing in normal sessions ('O') or always ('A', not only for replication),
            // for every row without a WHEN or a column list, on its own event, with the function body that refuses.
            let guards = try connection.query(PostgresSQL.guards)
            var live: Set<String> = []
            for row in 0..<guards.count {
                let name = guards.text(row, 0)
                guard let expected = PostgresSchema.guardTypes.first(where: { $0.name == name })?.type else { continue }
                let body = guards.text(row, 5).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if ["O", "A"].contains(guards.text(row, 1)), guards.bool(row, 2), guards.text(row, 3).isEmpty,
                   guards.int64(row, 4) == expected, body == PostgresSchema.guardBody {
                    live.insert(name)
                }
            }
            var missing = PostgresSchema.appendOnlyGuards.filter { !live.contains($0) }
            if try connection.query(PostgresSQL.rules).count > 0 { missing.append(PostgresSchema.noRulesGuard) }
            let scheduled = try connection.query(PostgresSQL.scheduledRunsByIncident)
            var facts = StoreIntegrityFacts(
                incidentIDs: [], alteredTexts: altered.sorted(), missingGuards: missing,
                scheduledRuns: Dictionary(scheduled.rows { row in
                    (scheduled.text(row, 0), ScheduledSlot(at: Instant(milliseconds: scheduled.int64(row, 1)), late: scheduled.bool(row, 2)))
                }, uniquingKeysWith: { first, _ in first }))
            guard wholeStore else { return facts }
            facts.incidentIDs = Set(try connection.query(PostgresSQL.incidentIDs).rowsText(0))
            facts.eventsWithoutIncident = try connection.query(PostgresSQL.eventsWithoutIncident).rowsText(0)
            let counters = try connection.query(PostgresSQL.counters)
            for row in 0..<counters.count {
                facts.counters[counters.text(row, 0)] = counters.int64(row, 1)
            }
            return facts
        }
    }

    public func incidents(statuses: Set<String>?) throws(StoreError) -> [IncidentSummary] {
        try guarded {
            guard let statuses else { return try summaries(connection.query(PostgresSQL.allIncidents)) }
            guard !statuses.isEmpty else { return [] }
            return try summaries(connection.query(PostgresSQL.incidentsWithStatus, [PostgresArray.text(statuses.sorted())]))
        }
    }

    public func incident(_ incidentID: String) throws(StoreError) -> IncidentSummary? {
        try guarded { try summaries(connection.query(PostgresSQL.incident, [incidentID])).first }
    }

    public func due(at instant: Instant) throws(StoreError) -> [IncidentSummary] {
        try guarded { try summaries(connection.query(PostgresSQL.due, [instant.milliseconds])) }
    }

    public func nextDueAt() throws(StoreError) -> Instant? {
        try guarded {
            try connection.query(PostgresSQL.nextDueAt).optionalInt64(0, 0).map(Instant.init(milliseconds:))
        }
    }

    public func reviewRows(openedSince: Instant?, runbookID: String?) throws(StoreError) -> [IncidentReviewRow] {
        try guarded {
            let result = try connection.query(PostgresSQL.reviewRows, [openedSince?.milliseconds ?? Int64.min, runbookID] as [any PGBindable])
            return result.rows { row in
                IncidentReviewRow(id: result.text(row, 0), runbookID: result.text(row, 1),
                                  openedAt: Instant(milliseconds: result.int64(row, 2)), drill: result.bool(row, 3),
                                  status: result.text(row, 4), facts: Self.facts(result, row, from: 5))
            }
        }
    }

    public func latestScheduledRuns(runbookID: String?) throws(StoreError) -> [ScheduledRunRow] {
        try guarded {
            let result = try connection.query(PostgresSQL.latestScheduledRuns, [runbookID])
            return result.rows { row in
                ScheduledRunRow(runbookID: result.text(row, 0), slot: Instant(milliseconds: result.int64(row, 1)),
                                incidentID: result.text(row, 2), late: result.bool(row, 3))
            }
        }
    }

    // MARK: Rows

    static func record(_ result: PGResult, of incidentID: String) -> (Int) -> EventRecord {
        { row in
            EventRecord(incidentID: incidentID, sequence: result.int64(row, 0), recordedAt: Instant(milliseconds: result.int64(row, 1)),
                        actor: result.text(row, 2), type: result.text(row, 3), data: result.text(row, 4),
                        previousHash: result.text(row, 5), hash: result.text(row, 6))
        }
    }

    private func summaries(_ result: PGResult) -> [IncidentSummary] {
        result.rows { row in
            IncidentSummary(
                id: result.text(row, 0), runbookID: result.text(row, 1), openedAt: Instant(milliseconds: result.int64(row, 2)),
                updatedAt: Instant(milliseconds: result.int64(row, 3)), lastSequence: result.int64(row, 4),
                projection: IncidentProjection(
                    title: result.text(row, 5), severity: result.text(row, 6), status: result.text(row, 7), stage: result.text(row, 8),
                    nextDueAt: result.optionalInt64(row, 9).map(Instant.init(milliseconds:)), drill: result.bool(row, 10),
                    facts: Self.facts(result, row, from: 11)))
        }
    }

    /// Reads the columns of `PostgresSQL.factsColumns` from `column` on; counts that do not read are left out.
    private static func facts(_ result: PGResult, _ row: Int, from column: Int) -> IncidentFacts {
        let counts = result.optionalText(row, column + 5).flatMap { IncidentFacts.counts(json: $0) }
        return IncidentFacts(
            acknowledgedAt: result.optionalInt64(row, column).map(Instant.init(milliseconds:)),
            resolvedAt: result.optionalInt64(row, column + 1).map(Instant.init(milliseconds:)),
            closedAt: result.optionalInt64(row, column + 2).map(Instant.init(milliseconds:)),
            rtoMilliseconds: result.optionalInt64(row, column + 3), missedByStage: counts?.missedByStage ?? [:],
            pagesByTier: counts?.pagesByTier ?? [:], breakGlass: Int(result.int64(row, column + 4)))
    }

    /// Runs `body`, turning any error into the `StoreError` a user can read.
    @discardableResult
    func guarded<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let taken as SlotTaken {
            let winner = try? connection.query(PostgresSQL.scheduledRun, [taken.runbookID, taken.slot.milliseconds] as [any PGBindable])
            throw StoreError.slotTaken(runbookID: taken.runbookID, slot: taken.slot,
                                       incidentID: winner.flatMap { $0.count > 0 ? $0.text(0, 0) : nil })
        } catch let error as PGError {
            let detail = PostgresLocation.redact(error.message, url: url)
            if error.sqlState == nil {
                throw StoreError.unavailable(Message.server(.postgresUnreachable(url: displayURL, detail: detail)).text())
            }
            throw StoreError.failure("\(displayURL): \(detail)")
        } catch {
            throw StoreError.failure("\(displayURL): \(error)")
        }
    }
}

extension PGResult {
    /// The text of `column` in every row.
    func rowsText(_ column: Int) -> [String] { rows { text($0, column) } }
}

/// A PostgreSQL array literal for a parameter (`{"a","b"}`), its elements quoted and escaped.
enum PostgresArray {
    static func text(_ values: [String]) -> String {
        let quoted = values.map { value in
            var escaped = "\""
            for character in value {
                if character == "\\" || character == "\"" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }
}
