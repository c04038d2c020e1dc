/// The runbook schema on PostgreSQL (SPEC §10): the same tables and ideas as the SQLite file (`StoreSchema`), in
/// PostgreSQL's types, as a list of migrations applied in order and recorded in `schema_migrations`.
///
/// Tables are created unqualified, in the first schema of the connection's `search_path`: a team that shares a
/// database with other programs gives runbook its own schema with `?options=-csearch_path%3Drunbook` in the URL.
/// Shipped migrations are never edited: to change the schema, add a new one below the others.
enum PostgresSchema {
    static let migrations: [(id: String, sql: String)] = [
        ("pg1-event-log", v1),
    ]

    /// The append-only guards on `events`, each with the trigger type it must have (`pg_trigger.tgtype`: 1 row, 2 before,
    /// 8 delete, 16 update, 32 truncate); verification checks each is there as created (`PostgresGuards`).
    static let guardTypes: [(name: String, type: Int64)] = [
        ("events_refuse_update", 1 | 2 | 16), ("events_refuse_delete", 1 | 2 | 8), ("events_refuse_truncate", 2 | 32),
    ]
    static var appendOnlyGuards: [String] { guardTypes.map(\.name) }
    /// What verification reports when a rule is defined on `events`.
    static let noRulesGuard = "no rules on events"
    /// The guards' function body as created, whitespace folded.
    static let guardBody = "BEGIN RAISE EXCEPTION 'events are append-only'; END;"

    /// A new connection to `url` listening on the channel of its schema (the watcher's link, the event feed's listener).
    static func listener(url: String, displayURL: String) throws(PGError) -> PGConnection {
        let connection = try PGConnection(url: url, displayURL: displayURL)
        try connection.listen(try connection.query("SELECT \(channel(of: "coalesce(current_schema(), '')"))").text(0, 0))
        return connection
    }

    /// The channel a schema's changes are announced on (`NOTIFY`), as an SQL expression of the schema's name `schema`:
    /// `runbook.` and the name, or its MD5 when that would pass PostgreSQL's 63 bytes for an identifier.
    static func channel(of schema: String) -> String {
        "CASE WHEN octet_length(\(schema)) <= 55 THEN 'runbook.' || \(schema) ELSE 'runbook.' || md5(\(schema)) END"
    }

    /// Every table of the log with its projections, the append-only guards, and the change announcement.
    ///
    /// `events` has the primary key (incident_id, sequence): two servers appending to one incident at once cannot both
    /// take a number, and the append's `SELECT … FOR UPDATE` of the incident row serializes them before that. Times are
    /// milliseconds since the epoch, as in the SQLite file, so an export reads the same from either store.
    /// Any change to an incident row (every append updates it in the same transaction) notifies
    /// `runbook.<schema>` with the incident's id, at commit: the watcher and the event streams of every server wake.
    private static let v1 = """
        CREATE TABLE runbooks (
            sha256 text PRIMARY KEY,
            runbook_id text NOT NULL,
            text text NOT NULL
        );

        CREATE TABLE incident_counters (
            prefix text PRIMARY KEY,
            last_number bigint NOT NULL
        );

        CREATE TABLE incidents (
            id text PRIMARY KEY,
            runbook_id text NOT NULL,
            runbook_sha256 text NOT NULL REFERENCES runbooks (sha256),
            title text NOT NULL,
            severity text NOT NULL,
            status text NOT NULL,
            stage text NOT NULL,
            drill boolean NOT NULL DEFAULT false,
            opened_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            last_sequence bigint NOT NULL,
            next_due_at bigint,
            acked_at bigint,
            resolved_at bigint,
            closed_at bigint,
            rto_ms bigint,
            break_glass bigint NOT NULL DEFAULT 0,
            counts text
        );

        CREATE INDEX incidents_next_due_at ON incidents (next_due_at) WHERE next_due_at IS NOT NULL;
        CREATE INDEX incidents_status_opened_at ON incidents (status, opened_at);
        CREATE INDEX incidents_opened_at ON incidents (opened_at);

        CREATE TABLE events (
            incident_id text NOT NULL REFERENCES incidents (id),
            sequence bigint NOT NULL CHECK (sequence >= 1),
            recorded_at bigint NOT NULL,
            actor text NOT NULL,
            type text NOT NULL,
            data text NOT NULL,
            prev_hash text NOT NULL,
            hash text NOT NULL,
            PRIMARY KEY (incident_id, sequence)
        );

        CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'events are append-only';
        END;
        $$;
        CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
            FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
        CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
        CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

        CREATE FUNCTION incidents_announce() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify(\(channel(of: "TG_TABLE_SCHEMA")), NEW.id);
            RETURN NULL;
        END;
        $$;
        CREATE TRIGGER incidents_announce AFTER INSERT OR UPDATE ON incidents
            FOR EACH ROW EXECUTE FUNCTION incidents_announce();

        CREATE TABLE frozen_texts (
            sha256 text PRIMARY KEY,
            text text NOT NULL
        );

        CREATE TABLE scheduled_runs (
            runbook_id text NOT NULL,
            slot bigint NOT NULL,
            incident_id text NOT NULL REFERENCES incidents (id),
            late boolean NOT NULL DEFAULT false,
            PRIMARY KEY (runbook_id, slot)
        );

        CREATE TABLE tokens (
            id text PRIMARY KEY,
            person text NOT NULL,
            sha256 text NOT NULL UNIQUE,
            created_at bigint NOT NULL,
            created_by text NOT NULL,
            revoked_at bigint,
            revoked_by text
        );
        """
}
