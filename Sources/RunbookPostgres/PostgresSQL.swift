/// The PostgreSQL store's SQL, in one place: the SQLite store's statements (`SQL`) in PostgreSQL's dialect.
enum PostgresSQL {
    static let factsColumns = "acked_at, resolved_at, closed_at, rto_ms, break_glass, counts"
    static let summaryColumns =
        "id, runbook_id, opened_at, updated_at, last_sequence, title, severity, status, stage, next_due_at, drill, \(factsColumns)"
    static let eventColumns = "sequence, recorded_at, actor, type, data, prev_hash, hash"

    static let recordMigration = """
        INSERT INTO schema_migrations (id, applied_at) VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
        """
    static let nextIncidentNumber = """
        INSERT INTO incident_counters (prefix, last_number) VALUES ($1, 1)
        ON CONFLICT (prefix) DO UPDATE SET last_number = incident_counters.last_number + 1
        RETURNING last_number
        """
    /// Moves a prefix's id counter to at least `$2` (`runbook import`).
    static let advanceCounter = """
        INSERT INTO incident_counters (prefix, last_number) VALUES ($1, $2)
        ON CONFLICT (prefix) DO UPDATE SET last_number = greatest(incident_counters.last_number, excluded.last_number)
        """
    static let insertRunbook =
        "INSERT INTO runbooks (sha256, runbook_id, text) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING"
    static let insertIncident = """
        INSERT INTO incidents (id, runbook_id, runbook_sha256, title, severity, status, stage, drill, opened_at,
                               updated_at, last_sequence, next_due_at, \(factsColumns))
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
        """
    static let insertEvent = """
        INSERT INTO events (incident_id, sequence, recorded_at, actor, type, data, prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """
    /// Locks the incident's row for the append's transaction and reads the count it holds. The tail is read by a second
    /// statement, after the lock is granted: under READ COMMITTED a statement that waited for a lock sees the locked row
    /// as committed, but anything it joined as of its start (a join here gave a stale tail, and the concurrent-append
    /// test caught it).
    static let lockIncident = "SELECT last_sequence FROM incidents WHERE id = $1 FOR UPDATE"
    static let lastEvent = "SELECT sequence, hash FROM events WHERE incident_id = $1 ORDER BY sequence DESC LIMIT 1"
    /// `updated_at` keeps its value when the append brought no events (bound NULL).
    static let updateProjection = """
        UPDATE incidents SET title = $1, severity = $2, status = $3, stage = $4, drill = $5, next_due_at = $6,
                             last_sequence = $7, updated_at = coalesce($8, updated_at),
                             acked_at = $9, resolved_at = $10, closed_at = $11, rto_ms = $12, break_glass = $13, counts = $14
        WHERE id = $15
        """
    /// `$2` NULL selects every runbook.
    static let reviewRows = """
        SELECT id, runbook_id, opened_at, drill, status, \(factsColumns) FROM incidents
        WHERE opened_at >= $1 AND ($2::text IS NULL OR runbook_id = $2) ORDER BY opened_at, id
        """
    static let scheduledRun = "SELECT incident_id FROM scheduled_runs WHERE runbook_id = $1 AND slot = $2"
    static let scheduledRunsByIncident = "SELECT incident_id, slot, late FROM scheduled_runs"
    /// Returns no row when the slot was taken (by a transaction that committed first).
    static let insertScheduledRun = """
        INSERT INTO scheduled_runs (runbook_id, slot, incident_id, late) VALUES ($1, $2, $3, $4)
        ON CONFLICT (runbook_id, slot) DO NOTHING RETURNING incident_id
        """
    static let latestScheduledRuns = """
        SELECT DISTINCT ON (runbook_id) runbook_id, slot, incident_id, late FROM scheduled_runs
        WHERE ($1::text IS NULL OR runbook_id = $1) ORDER BY runbook_id, slot DESC
        """
    static let incidentExists = "SELECT 1 FROM incidents WHERE id = $1"
    static let runbookTexts = "SELECT sha256, text FROM runbooks"
    static let frozenTexts = "SELECT sha256, text FROM frozen_texts"
    /// The triggers on `events` as verification weighs them (`PostgresGuards`): when each fires, on what, and its code.
    static let guards = """
        SELECT t.tgname, t.tgenabled::text, t.tgqual IS NULL, t.tgattr::text, t.tgtype, p.prosrc
        FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
        WHERE t.tgrelid = to_regclass('events') AND NOT t.tgisinternal
        """
    /// Rules on `events` (a `DO INSTEAD NOTHING` rule would swallow an UPDATE before any trigger saw it).
    static let rules = "SELECT rulename FROM pg_rewrite WHERE ev_class = to_regclass('events') AND rulename <> '_RETURN'"
    static let incidentIDs = "SELECT id FROM incidents"
    static let eventsWithoutIncident = """
        SELECT DISTINCT incident_id FROM events WHERE incident_id NOT IN (SELECT id FROM incidents) ORDER BY incident_id
        """
    static let counters = "SELECT prefix, last_number FROM incident_counters"
    static let events = "SELECT \(eventColumns) FROM events WHERE incident_id = $1 AND sequence > $2 ORDER BY sequence"
    /// A slice of one incident's events of some types (`/metrics`): `$4` is an array of types.
    static let eventsOfTypes = """
        SELECT \(eventColumns) FROM events
        WHERE incident_id = $1 AND sequence > $2 AND sequence <= $3 AND type = ANY ($4::text[]) ORDER BY sequence
        """
    static let runbook = """
        SELECT incidents.runbook_id, runbooks.text, runbooks.sha256
        FROM incidents JOIN runbooks ON runbooks.sha256 = incidents.runbook_sha256
        WHERE incidents.id = $1
        """
    static let insertFrozenText = "INSERT INTO frozen_texts (sha256, text) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING"
    static let frozenText = "SELECT text FROM frozen_texts WHERE sha256 = $1"
    static let incident = "SELECT \(summaryColumns) FROM incidents WHERE id = $1"
    static let allIncidents = "SELECT \(summaryColumns) FROM incidents ORDER BY opened_at DESC, id DESC"
    static let incidentsWithStatus = """
        SELECT \(summaryColumns) FROM incidents WHERE status = ANY ($1::text[]) ORDER BY opened_at DESC, id DESC
        """
    static let due = """
        SELECT \(summaryColumns) FROM incidents WHERE next_due_at IS NOT NULL AND next_due_at <= $1 ORDER BY next_due_at, id
        """
    static let nextDueAt = "SELECT min(next_due_at) FROM incidents WHERE next_due_at IS NOT NULL"

    static let tokenColumns = "id, person, sha256, created_at, created_by, revoked_at, revoked_by"
    static let insertToken = "INSERT INTO tokens (id, person, sha256, created_at, created_by) VALUES ($1, $2, $3, $4, $5)"
    static let allTokens = "SELECT \(tokenColumns) FROM tokens ORDER BY created_at, id"
    static let tokenByHash = "SELECT \(tokenColumns) FROM tokens WHERE sha256 = $1"
    static let revokeToken = "UPDATE tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL"
}
