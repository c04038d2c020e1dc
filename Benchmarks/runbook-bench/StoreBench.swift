import Foundation
import RunbookCore
import RunbookRuntime
import RunbookStore

/// A generated incident's events: opening, entering the first stage, then notes and step marks.
func generatedEvents(count: Int, incident: Int, start: Instant) -> [PendingEvent] {
    var events: [IncidentEvent] = [
        .opened(runbookID: "security-incident", runbookSHA256: securityIncidentSHA256,
                title: benchTitle(incident),
                severity: "SEV2", drill: false),
        .stateEntered(state: "detect", reason: .initial, from: nil),
    ]
    var index = 0
    while events.count < count {
        events.append(index % 3 == 0
                      ? .noteAdded(text: "점검 메모 \(index): checked the dashboard, error rate \(index % 7)%")
                      : .approvalRefused(state: "detect", step: "severity", role: "manager", reason: "bench \(index)"))
        index += 1
    }
    let actors = ["kim", "lee", "park", "choi"]
    return events.enumerated().map { offset, event in
        event.pending(actor: actors[offset % actors.count], recordedAt: Instant(milliseconds: start.milliseconds + Int64(offset) * 1000))
    }
}

let benchProjection = IncidentProjection(title: "bench", severity: "SEV2", status: "open", stage: "detect", nextDueAt: nil)

func benchTitle(_ incident: Int) -> String { "벤치마크 사고 \(incident) (bench incident)" }

/// Paths and ids of the generated database, shared by the rows that use it.
struct BenchDatabase {
    var directory: String
    var path: String { "\(directory)/incidents.db" }
    var middleIncident: String
}

/// Builds 10 000 incidents of 100 events through the store (the bulk-append row) and the same rows raw.
func bulkAppendRows(incidents: Int, eventsPerIncident: Int) throws -> (rows: [Row], database: BenchDatabase) {
    let directory = NSTemporaryDirectory() + "runbook-bench-\(getpid())"
    try? FileManager.default.removeItem(atPath: directory)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let start = Instant(milliseconds: 1_795_000_000_000)
    let template = generatedEvents(count: eventsPerIncident, incident: 0, start: start)
    // The shipped runbook itself, so that the CLI rows read incidents that load (a stub text would make `status` fail fast).
    let snapshot = RunbookSnapshot(runbookID: "security-incident", text: securityIncidentText())

    // Reference: the same rows, hashes computed ahead, inserted raw with one prepared statement per table.
    let rawPath = "\(directory)/raw.db"
    let raw = try Connection(path: rawPath)
    try raw.execute("""
        CREATE TABLE events (incident_id TEXT NOT NULL, sequence INTEGER NOT NULL, recorded_at INTEGER NOT NULL,
            actor TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
            PRIMARY KEY (incident_id, sequence)) WITHOUT ROWID
        """)
    let chained = EventRecord.chain(template, incidentID: "INC-RAW", after: 0, previousHash: EventChain.genesis)
    let rawStart = now()
    for incident in 0..<incidents {
        let id = "INC-20261126-\(incident)"
        try raw.transaction {
            let insert = try raw.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for record in chained {
                try insert.run(id, record.sequence, record.recordedAt.milliseconds, record.actor, record.type, record.data,
                               record.previousHash, record.hash)
            }
        }
    }
    let rawSeconds = now() - rawStart

    // Through the engine's store: encoded, hash-chained, committed one incident (100 events) per transaction.
    let store = try SQLiteEventStore(path: "\(directory)/incidents.db")
    var middle = ""
    let storeStart = now()
    for incident in 0..<incidents {
        let events = generatedEvents(count: eventsPerIncident, incident: incident,
                                     start: Instant(milliseconds: start.milliseconds + Int64(incident) * 60_000))
        // The row agrees with what the events fold to, so `verify` finds the database whole.
        var projection = benchProjection
        projection.title = benchTitle(incident)
        projection.facts = benchFacts(incident, openedAt: Instant(milliseconds: start.milliseconds + Int64(incident) * 60_000))
        let id = try store.createIncident(idPrefix: "INC-20261126", runbook: snapshot, events: events, projection: projection).id
        if incident == incidents / 2 { middle = id }
    }
    let storeSeconds = now() - storeStart
    let total = Double(incidents * eventsPerIncident)
    let ratio = (total / storeSeconds) / (total / rawSeconds)
    let row = Row(name: "bulk append \(incidents * eventsPerIncident) events (\(eventsPerIncident)/transaction)",
                  measured: "\(format(total / storeSeconds / 1000, 0)) k events/s",
                  reference: "raw SQLite insert \(format(total / rawSeconds / 1000, 0)) k rows/s", ratio: format(ratio, 2),
                  target: ">= 0.33", pass: ratio >= 1.0 / 3.0)
    try? FileManager.default.removeItem(atPath: rawPath)
    return ([row], BenchDatabase(directory: directory, middleIncident: middle))
}

/// Runs a program with posix_spawn (Foundation's Process adds tens of milliseconds) and waits; output goes to /dev/null.
@discardableResult
func spawn(_ executable: String, _ arguments: [String], directory: String, environment: [String: String] = [:]) throws -> Int32 {
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let code = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard code == 0 else { throw NSError(domain: "spawn", code: Int(code)) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status
}

/// `runbook status INCIDENT` and `runbook note` on the big database, against the sqlite3 shell reading the same events.
func cliRows(_ database: BenchDatabase, runbook: String) throws -> [Row] {
    let runs = 21
    let id = database.middleIncident
    let query = "SELECT * FROM events WHERE incident_id = '\(id)' ORDER BY sequence;"
    let shell = median(try measure(runs: runs) { try spawn("/usr/bin/sqlite3", [database.path, query], directory: database.directory) })
    let env = ["RUNBOOK_USER": "bench", "RUNBOOK_PATH": "\(database.directory)/runbooks"]
    // A command that failed would be measured fast and wrong: every run must exit 0.
    func succeed(_ arguments: [String]) throws {
        let status = try spawn(runbook, arguments, directory: database.directory, environment: env)
        guard status == 0 else { throw BenchError("runbook \(arguments.joined(separator: " ")) exited with status \(status)") }
    }
    let status = median(try measure(runs: runs) { try succeed(["status", id, "--db", database.path]) })
    var counter = 0
    let note = median(try measure(runs: runs) {
        counter += 1
        try succeed(["note", id, "bench note \(counter)", "--db", database.path])
    })
    let rows = [("status INCIDENT", status), ("note INCIDENT TEXT", note)].map { name, seconds in
        let ratio = seconds / shell
        return Row(name: "CLI `\(name)`, 10k incidents / 1M events (median of \(runs))",
                   measured: "\(format(seconds * 1000)) ms", reference: "sqlite3 shell same events \(format(shell * 1000)) ms",
                   ratio: format(ratio, 2), target: "< 15 ms, <= 5x", pass: seconds < 0.015 && ratio <= 5)
    }
    // `verify` of every incident: chains, rows against folds, texts, guards, the id counter; against the shell
    // reading every event.
    let verifyRuns = 3
    let shellAll = median(try measure(runs: verifyRuns) {
        try spawn("/usr/bin/sqlite3", [database.path, "SELECT * FROM events;"], directory: database.directory)
    })
    // `verify` exits 1 when it reports findings (the generated incidents are not a real response): measured all the
    // same; only a failure to run (another status) stops the bench.
    var verifyStatus: Int32 = 0
    let verify = median(try measure(runs: verifyRuns) {
        verifyStatus = try spawn(runbook, ["verify", "--db", database.path], directory: database.directory, environment: env)
        guard verifyStatus == 0 || verifyStatus == 256 else { throw BenchError("runbook verify exited with status \(verifyStatus)") }
    })
    let ratio = verify / shellAll
    return rows + [Row(name: "CLI `verify` (all), 10k incidents / 1M events (median of \(verifyRuns))",
                       measured: "\(format(verify * 1000, 0)) ms\(verifyStatus == 0 ? "" : " (exit 1)")", reference: "sqlite3 shell all events \(format(shellAll * 1000, 0)) ms",
                       ratio: format(ratio, 2), target: "(info)", pass: true)]
}

/// Reading and folding one incident of 10 000 and of 100 000 events.
func replayRows(directory: String) throws -> [Row] {
    let store = try SQLiteEventStore(path: "\(directory)/replay.db")
    let snapshot = RunbookSnapshot(runbookID: "security-incident", text: securityIncidentText())
    var ids: [Int: String] = [:]
    for count in [10_000, 100_000] {
        let events = generatedEvents(count: count, incident: count, start: Instant(milliseconds: 1_795_000_000_000))
        ids[count] = try store.createIncident(idPrefix: "INC-REPLAY", runbook: snapshot, events: events, projection: benchProjection).id
    }
    let service = IncidentService(store: store, library: RunbookLibrary(directory: "runbooks"), clock: SystemClock(),
                                  team: try TeamFiles(directory: "runbooks"))
    var times: [Int: Double] = [:]
    for count in [10_000, 100_000] {
        guard let id = ids[count] else { continue }
        times[count] = median(try measure(runs: 5) {
            let snapshot = try service.snapshot(id)
            if snapshot.state.lastSequence != Int64(count) { print("replay: wrong count") }
        })
    }
    let small = times[10_000] ?? 0, large = times[100_000] ?? 0
    let growth = large / max(small, 1e-9)
    return [
        Row(name: "replay (read + decode + fold) 10 000 events", measured: "\(format(small * 1000)) ms", reference: "-",
            ratio: "-", target: "(linear)", pass: nil),
        Row(name: "replay (read + decode + fold) 100 000 events", measured: "\(format(large * 1000)) ms",
            reference: "10k events \(format(small * 1000)) ms", ratio: "\(format(growth, 1))x", target: "< 500 ms, <= 12x",
            pass: large < 0.5 && growth <= 12),
    ]
}

/// The shipped security-incident runbook, so replayed incidents have a real runbook.
/// The SHA-256 of the shipped security runbook, computed once.
let securityIncidentSHA256 = EventChain.sha256(securityIncidentText())

func securityIncidentText() -> String {
    (try? String(contentsOfFile: "runbooks/security-incident.yaml", encoding: .utf8)) ?? ""
}
