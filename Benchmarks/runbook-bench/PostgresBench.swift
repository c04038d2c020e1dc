import Foundation
import RunbookCore
import RunbookPostgres
import RunbookRuntime

/// The PostgreSQL rows of SPEC §9 and §10, on the cluster `make bench` starts (`RUNBOOK_BENCH_POSTGRES`, durable: fsync
/// and synchronous commit on, as a team's database would run), in a schema of their own:
/// - bulk append through the store (BENCH_PG_INCIDENTS incidents of 100 events, default 10 000, one incident per
///   transaction) against plain INSERTs of the same rows, hashes computed ahead, over the same connection and in the same
///   transaction shape;
/// - the server's incident JSON view at a paced 500 requests/s on that database, beside the same view in-process.
func postgresRows() -> [Row] {
    guard let base = ProcessInfo.processInfo.environment["RUNBOOK_BENCH_POSTGRES"], !base.isEmpty else {
        print("runbook-bench: RUNBOOK_BENCH_POSTGRES is not set (make bench starts a cluster); skipping the PostgreSQL rows")
        return []
    }
    do {
        let incidents = ProcessInfo.processInfo.environment["BENCH_PG_INCIDENTS"].flatMap { Int($0) } ?? 10_000
        let url = base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3Dbench_\(getpid())"
        let directory = NSTemporaryDirectory() + "runbook-bench-pg-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(atPath: "runbooks", toPath: "\(directory)/runbooks")
        let store = try PostgresEventStore(url: url)
        let (bulk, middle) = try postgresBulkRow(store, incidents: incidents)
        return [bulk] + (try postgresServerRows(store, url: url, incident: middle, runbooks: "\(directory)/runbooks", incidents: incidents))
    } catch {
        print("runbook-bench: PostgreSQL rows failed: \(error)")
        return []
    }
}

private func postgresBulkRow(_ store: PostgresEventStore, incidents: Int) throws -> (Row, String) {
    let eventsPerIncident = 100
    let start = Instant(milliseconds: 1_795_000_000_000)
    let template = generatedEvents(count: eventsPerIncident, incident: 0, start: start)
    let chained = EventRecord.chain(template, incidentID: "INC-RAW", after: 0, previousHash: EventChain.genesis)
    // Reference: the same rows, plain INSERTs (one prepared statement), one incident per transaction, same connection.
    let connection = store.connection
    try connection.execute("""
        CREATE TABLE raw_events (incident_id text NOT NULL, sequence bigint NOT NULL, recorded_at bigint NOT NULL,
            actor text NOT NULL, type text NOT NULL, data text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL,
            PRIMARY KEY (incident_id, sequence))
        """)
    progress("postgres rows: plain INSERTs of \(incidents * eventsPerIncident) rows")
    let rawStart = now()
    for incident in 0..<incidents {
        let id = "INC-RAW-\(incident)"
        try connection.transaction {
            for record in chained {
                try connection.query("INSERT INTO raw_events VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", [
                    id, record.sequence, record.recordedAt.milliseconds, record.actor, record.type, record.data,
                    record.previousHash, record.hash,
                ] as [any PGBindable])
            }
        }
    }
    let rawSeconds = now() - rawStart
    try connection.execute("DROP TABLE raw_events")

    progress("postgres rows: the same through the store")
    let snapshot = RunbookSnapshot(runbookID: "security-incident", text: securityIncidentText())
    var middle = ""
    let storeStart = now()
    for incident in 0..<incidents {
        let opened = Instant(milliseconds: start.milliseconds + Int64(incident) * 60_000)
        var projection = benchProjection
        projection.title = benchTitle(incident)
        projection.facts = benchFacts(incident, openedAt: opened)
        let id = try store.createIncident(idPrefix: "INC-20261126", runbook: snapshot,
                                          events: generatedEvents(count: eventsPerIncident, incident: incident, start: opened),
                                          projection: projection).id
        if incident == incidents / 2 { middle = id }
    }
    let storeSeconds = now() - storeStart
    let total = Double(incidents * eventsPerIncident)
    let ratio = rawSeconds / storeSeconds
    let row = Row(name: "PostgreSQL bulk append \(incidents * eventsPerIncident) events (\(eventsPerIncident)/transaction)",
                  measured: "\(format(total / storeSeconds / 1000, 1)) k events/s",
                  reference: "plain INSERTs same rows, same connection \(format(total / rawSeconds / 1000, 1)) k rows/s",
                  ratio: format(ratio, 2), target: ">= 0.33", pass: ratio >= 1.0 / 3.0)
    return (row, middle)
}

private func postgresServerRows(_ store: PostgresEventStore, url: String, incident: String, runbooks: String, incidents: Int) throws -> [Row] {
    let binary = runbookBinary() + "-server"
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("runbook-bench: \(binary) not built; skipping the PostgreSQL server row")
        return []
    }
    let token = try Tokens(store: store, path: store.displayURL).create(
        person: "bench", roster: Roster(roles: ["bench": ["oncall"]]), rosterPath: "bench", by: "bench", now: SystemClock().now()).secret
    let team = try TeamFiles.load(directory: runbooks, configuredDirectory: runbooks)
    let service = IncidentService(store: store, library: RunbookLibrary(directory: runbooks), clock: SystemClock(), team: team, drillChannel: nil)
    let server = try ServerProcess(binary: binary, location: url, runbooks: runbooks)
    defer { server.stop() }
    progress("postgres rows: server listening on \(server.port)")
    let label = "PostgreSQL \(incidents / 1000)k/\(incidents * 100 / 1000)k db"
    return [try pacedViewRow(service: service, server: server, token: token, incident: incident, label: label)]
}
