/// The runbook database schema, as the list of its migrations.
///
/// Shipped migrations are never edited: to change the schema, register a new one below the others.
enum StoreSchema {
    static let migrator: Migrator = {
        var migrator = Migrator()
        migrator.registerMigration("v1-event-log", sql: v1)
        migrator.registerMigration("v2-frozen-texts", sql: v2)
        migrator.registerMigration("v3-review-facts") { connection in
            try connection.execute(v3)
            try ReviewFactsBackfill.run(connection)
        }
        migrator.registerMigration("v4-scheduled-runs", sql: v4)
        migrator.registerMigration("v5-server-tokens", sql: v5)
        return migrator
    }()

    /// The triggers that keep the events table append-only; verification checks they are in place.
    static let appendOnlyGuards = ["events_refuse_delete", "events_refuse_update"]

    /// The event log, its projections and the append-only guard.
    ///
    /// `events` is clustered by (incident_id, sequence) (`WITHOUT ROWID`), so reading one incident is one
    /// range scan and appending finds the last event with one seek. `incidents` is a projection that can be
    /// rebuilt from the events; `incident_counters` holds the last id number given out per prefix.
    private static let v1 = """
        CREATE TABLE runbooks (
            sha256 TEXT PRIMARY KEY NOT NULL,
            runbook_id TEXT NOT NULL,
            text TEXT NOT NULL
        );

        CREATE TABLE incident_counters (
            prefix TEXT PRIMARY KEY NOT NULL,
            last_number INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE incidents (
            id TEXT PRIMARY KEY NOT NULL,
            runbook_id TEXT NOT NULL,
            runbook_sha256 TEXT NOT NULL REFERENCES runbooks (sha256),
            title TEXT NOT NULL,
            severity TEXT NOT NULL,
            status TEXT NOT NULL,
            stage TEXT NOT NULL,
            drill INTEGER NOT NULL DEFAULT 0,
            opened_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            last_sequence INTEGER NOT NULL,
            next_due_at INTEGER
        ) WITHOUT ROWID;

        CREATE INDEX incidents_next_due_at ON incidents (next_due_at)
            WHERE next_due_at IS NOT NULL;
        CREATE INDEX incidents_status_opened_at ON incidents (status, opened_at);

        CREATE TABLE events (
            incident_id TEXT NOT NULL REFERENCES incidents (id),
            sequence INTEGER NOT NULL CHECK (sequence >= 1),
            recorded_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            PRIMARY KEY (incident_id, sequence)
        ) WITHOUT ROWID;

        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only');
        END;

        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only');
        END;
        """

    /// The roster and contacts texts frozen into incidents, stored by SHA-256 beside the runbook texts.
    /// Content-addressed and shared: the events that freeze them name them by hash (`roster.frozen`).
    private static let v2 = """
        CREATE TABLE frozen_texts (
            sha256 TEXT PRIMARY KEY NOT NULL,
            text TEXT NOT NULL
        ) WITHOUT ROWID;
        """

    /// The monthly review's facts on each incident row (`IncidentFacts`), kept at every append in the same
    /// transaction as the events: the first acknowledgement, the resolution and closing in force, the RTO in force,
    /// break-glass approvals, and the missed deadlines per stage and pages per tier as a small JSON object
    /// (`counts`, NULL when both are empty). Rows recorded before this migration get their facts by replaying
    /// their events once, inside the migration's transaction (`ReviewFactsBackfill`).
    private static let v3 = """
        ALTER TABLE incidents ADD COLUMN acked_at INTEGER;
        ALTER TABLE incidents ADD COLUMN resolved_at INTEGER;
        ALTER TABLE incidents ADD COLUMN closed_at INTEGER;
        ALTER TABLE incidents ADD COLUMN rto_ms INTEGER;
        ALTER TABLE incidents ADD COLUMN break_glass INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE incidents ADD COLUMN counts TEXT;
        CREATE INDEX incidents_opened_at ON incidents (opened_at);
        """

    /// Scheduled runs (SPEC §3.2): one row per runbook and slot, written in the transaction that opens the run's
    /// incident, so a slot is started once however many watchers race for it. A projection of the opening events'
    /// `scheduled` data; no earlier incident has one, so nothing is backfilled.
    private static let v4 = """
        CREATE TABLE scheduled_runs (
            runbook_id TEXT NOT NULL,
            slot INTEGER NOT NULL,
            incident_id TEXT NOT NULL REFERENCES incidents (id),
            late INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (runbook_id, slot)
        ) WITHOUT ROWID;
        """

    /// The team server's bearer tokens: the SHA-256 of each secret, never the secret.
    private static let v5 = """
        CREATE TABLE tokens (
            id TEXT PRIMARY KEY,
            person TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            revoked_at INTEGER,
            revoked_by TEXT
        ) WITHOUT ROWID;
        """
}
