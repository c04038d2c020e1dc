import Foundation
import RunbookCore
import RunbookRuntime
import RunbookStore
import Synchronization

/// A clock the bench sets by hand while it builds incidents.
final class SettableClock: WallClock {
    private let current = Mutex(Instant(milliseconds: 0))
    func now() -> Instant { current.withLock { $0 } }
    func set(_ instant: Instant) { current.withLock { $0 = instant } }
}

/// The system clock's now.
func realNow() -> Instant { SystemClock().now() }

/// Percentile of sorted values.
func percentile(_ sorted: [Int64], _ p: Double) -> Int64 {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
}

/// CPU time (user + system, milliseconds) and peak resident memory (KiB) of a process, from /proc.
func processUsage(_ pid: Int32) -> (cpuMilliseconds: Int64, peakKiB: Int64) {
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
    let ticks = (fields.count > 12 ? Int64(fields[11]) ?? 0 : 0) + (fields.count > 13 ? Int64(fields[12]) ?? 0 : 0)
    let hz = Int64(sysconf(Int32(_SC_CLK_TCK)))
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }?.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
    return (ticks * 1000 / max(hz, 1), peak)
}

/// `runbook watch` with 10 000 open incidents whose stage deadlines fall over one minute: the delay from each
/// due time to the recorded page; then its CPU over an idle minute and its peak memory.
func watchRows(runbook: String) throws -> [Row] {
    let directory = NSTemporaryDirectory() + "runbook-bench-watch-\(getpid())"
    try? FileManager.default.removeItem(atPath: directory)
    try FileManager.default.createDirectory(atPath: "\(directory)/runbooks", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.copyItem(atPath: "runbooks/security-incident.yaml", toPath: "\(directory)/runbooks/security-incident.yaml")
    try "contacts:\n  oncall: { title: On-call, channels: [ { file: pages.log } ] }\n"
        .write(toFile: "\(directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
    let team = try TeamFiles.load(directory: "\(directory)/runbooks", configuredDirectory: "\(directory)/runbooks")
    let clock = SettableClock()
    func makeService(_ path: String) throws -> IncidentService {
        IncidentService(store: try SQLiteEventStore(path: path), library: RunbookLibrary(directory: "\(directory)/runbooks"),
                        clock: clock, team: team)
    }
    func open(_ service: IncidentService, at opened: Instant) throws {
        clock.set(opened)
        let snapshot = try service.start(runbookID: "security-incident", title: nil, severity: nil, drill: false, actor: "bench")
        try service.perform(.acknowledge, on: snapshot.state.id, actor: "bench")
    }
    // The deadlines must all lie ahead when watch starts: time a pilot to know how long building takes.
    let pilot = try makeService("\(directory)/pilot.db")
    let pilotStart = now()
    for index in 0..<200 { try open(pilot, at: Instant(milliseconds: 1_795_000_000_000 + Int64(index))) }
    let perIncident = (now() - pilotStart) / 200
    let incidents = 10_000
    let lead = Int64(perIncident * Double(incidents) * 1.5 * 1000) + 20_000
    let database = "\(directory)/incidents.db"
    let service = try makeService(database)
    // Deadlines (detect: 5m) fall from `lead` after now, one every 6 ms, over one minute.
    let firstDeadline = realNow().milliseconds + lead
    let build = now()
    for index in 0..<incidents {
        try open(service, at: Instant(milliseconds: firstDeadline - 300_000 + Int64(index) * 6))
    }
    let buildSeconds = now() - build
    let process = Process()
    process.executableURL = URL(fileURLWithPath: runbook)
    process.arguments = ["watch", "--db", database, "--runbooks", "\(directory)/runbooks"]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until the last deadline has passed and been handled, then measure an idle minute.
    let lastDeadline = firstDeadline + Int64(incidents) * 6
    while realNow().milliseconds < lastDeadline + 5_000 { Thread.sleep(forTimeInterval: 0.5) }
    let before = processUsage(process.processIdentifier)
    Thread.sleep(forTimeInterval: 60)
    let after = processUsage(process.processIdentifier)
    process.terminate()
    process.waitUntilExit()
    let delays = try Connection(path: database).prepare("""
        SELECT recorded_at - json_extract(data, '$.due_at') FROM events
        WHERE type = 'escalated' AND json_extract(data, '$.due_at') >= ?
        """).rows(firstDeadline) { $0.int64(0) }.sorted()
    let p50 = percentile(delays, 0.5), p99 = percentile(delays, 0.99), worst = delays.last ?? 0
    let idleCPU = after.cpuMilliseconds - before.cpuMilliseconds
    let lateBuild = buildSeconds * 1000 > Double(lead) ? " (built too slowly: \(format(buildSeconds, 0)) s)" : ""
    return [
        Row(name: "watch, 10k open incidents, \(delays.count) pages due over 1 min: delay due→recorded",
            measured: "p50 \(p50) ms, p99 \(p99) ms, max \(worst) ms\(lateBuild)", reference: "-", ratio: "-",
            target: "p99 < 1000 ms", pass: p99 < 1000 && delays.count >= incidents),
        Row(name: "watch CPU over an idle minute", measured: "\(idleCPU) ms", reference: "-", ratio: "-",
            target: "~0", pass: idleCPU <= 50),
        Row(name: "watch peak resident memory", measured: "\(format(Double(after.peakKiB) / 1024, 1)) MB", reference: "-", ratio: "-",
            target: "< 30 MB", pass: after.peakKiB < 30 * 1024),
    ]
}

/// Reports of incidents with 1 000, 10 000 and 100 000 events, each format.
func reportRows() throws -> [Row] {
    let text = securityIncidentText()
    let runbook = try RunbookLoader.load(text, file: "security-incident.yaml").get().runbook
    var rows: [Row] = []
    var previous: [String: Double] = [:]
    for count in [1_000, 10_000, 100_000] {
        let pending = generatedEvents(count: count, incident: 1, start: Instant(milliseconds: 1_795_000_000_000))
        var records: [EventRecord] = []
        var hash = EventChain.genesis
        for (index, event) in pending.enumerated() {
            let record = EventRecord(chaining: event, incidentID: "INC-R", sequence: Int64(index + 1), previousHash: hash)
            hash = record.hash
            records.append(record)
        }
        let events = records.compactMap { try? IncidentEvent.decode($0) }
        for kind in ["md", "html", "json"] {
            let seconds = median(measure(runs: count >= 100_000 ? 3 : count >= 10_000 ? 11 : 31) {
                let report = PostmortemReport(runbook: runbook, events: events, integrity: Integrity.chain(incidentID: "INC-R", records: records),
                                              now: Instant(milliseconds: 1_795_100_000_000))
                let output: String = switch kind {
                case "md": PostmortemMarkdown.render(report)
                case "html": PostmortemHTML.render(report)
                default: PostmortemJSON.render(report).text
                }
                if output.isEmpty { print("empty report") }
            })
            let growth = previous[kind].map { seconds / $0 }
            previous[kind] = seconds
            let isLargest = count == 100_000
            rows.append(Row(name: "report \(kind), \(count) events (verify + project + render)", measured: "\(format(seconds * 1000)) ms",
                            reference: growth.map { _ in "\(count / 10) events: \(format(seconds / (growth ?? 1) * 1000)) ms" } ?? "-",
                            ratio: growth.map { "\(format($0, 1))x" } ?? "-",
                            target: isLargest ? "< 1000 ms, <= 12x" : (growth == nil ? "-" : "<= 12x"),
                            pass: growth.map { $0 <= 12 && (!isLargest || seconds < 1) }))
        }
    }
    return rows
}
