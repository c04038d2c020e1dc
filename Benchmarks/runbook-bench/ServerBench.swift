import Foundation
import RunbookCore
import RunbookRuntime
import RunbookStore
import Synchronization

/// A blocking HTTP/1.1 client on one keep-alive loopback connection: the bench's own, so that what it measures is
/// the server, not a client library.
final class LoopbackHTTP {
    private let socket: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BenchError("cannot connect to 127.0.0.1:\(port)") }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(socket) }

    /// Sends one request and reads its whole response; returns the status code and the body.
    func request(_ method: String, _ path: String, token: String, body: String? = nil, minimal: Bool = false) throws -> (status: Int, body: String) {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
        if minimal { text += "Prefer: return=minimal\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchError("send failed") }
            sent += n
        }
        // Headers, then Content-Length bytes of body.
        var headerEnd: Int?
        while true {
            if let end = headerEnd ?? findHeaderEnd() {
                headerEnd = end
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if buffer.count >= end + 4 + length {
                    let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                    let body = String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self)
                    buffer.removeFirst(end + 4 + length)
                    return (status, body)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw BenchError("connection closed") }
            buffer += chunk[..<n]
        }
    }

    /// Opens an event stream: sends the GET and reads past the response's headers.
    func openStream(_ path: String, token: String) throws {
        let text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n\r\n"
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == bytes.count else { throw BenchError("send failed") }
        while findHeaderEnd() == nil { try receive() }
        if let end = findHeaderEnd() { buffer.removeFirst(end + 4) }
    }

    /// Reads the stream until an `id: N` line names `sequence` or later, or `deadline` (monotonic seconds) passes;
    /// true when it came. The body is chunked: its framing is taken off first (`unchunk`).
    func waitForEvent(_ sequence: Int64, deadline: Double) throws -> Bool {
        while now() < deadline {
            unchunk()
            let text = String(decoding: events, as: UTF8.self)
            if let found = text.split(separator: "\n").compactMap({ $0.hasPrefix("id: ") ? Int64($0.dropFirst(4)) : nil }).max(),
               found >= sequence {
                events.removeAll(keepingCapacity: true)
                return true
            }
            var poll = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            if Glibc.poll(&poll, 1, 50) > 0 { try receive() }
        }
        return false
    }

    /// The stream's bytes without the chunked framing, as far as whole chunks have come.
    private var events: [UInt8] = []

    private func unchunk() {
        while let lineEnd = crlf(from: 0), let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16),
              buffer.count >= lineEnd + 2 + size + 2 {
            events += buffer[(lineEnd + 2)..<(lineEnd + 2 + size)]
            buffer.removeFirst(lineEnd + 2 + size + 2)
        }
    }

    private func crlf(from start: Int) -> Int? {
        guard buffer.count >= start + 2 else { return nil }
        for index in start...(buffer.count - 2) where buffer[index] == 13 && buffer[index + 1] == 10 { return index }
        return nil
    }

    /// What was read and not yet consumed, for a diagnostic.
    var pending: String { String(decoding: buffer.prefix(400), as: UTF8.self) }

    private func receive() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw BenchError("connection closed") }
        buffer += chunk[..<n]
    }

    private func findHeaderEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A running `runbook-server serve` on the bench database.
final class ServerProcess: Sendable {
    let pid: pid_t
    let port: Int

    convenience init(binary: String, database: BenchDatabase) throws {
        try self.init(binary: binary, location: database.path, runbooks: "\(database.directory)/runbooks")
    }

    /// A server on `location`: a database file or a PostgreSQL URL.
    init(binary: String, location: String, runbooks: String) throws {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw BenchError("pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        let arguments = [binary, "serve", "--listen", "127.0.0.1:0", "--no-watcher", "--db", location, "--runbooks", runbooks]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var spawned: pid_t = 0
        guard posix_spawn(&spawned, binary, &actions, nil, argv, environ) == 0 else { throw BenchError("cannot start \(binary)") }
        close(pipe[1])
        pid = spawned
        // "Serving … on http://127.0.0.1:PORT (…)."
        var text = ""
        var byte: UInt8 = 0
        while !text.contains("\n"), read(pipe[0], &byte, 1) == 1 { text.append(Character(UnicodeScalar(byte))) }
        close(pipe[0])
        guard let range = text.range(of: "http://127.0.0.1:"),
              let port = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            kill(spawned, SIGKILL)
            throw BenchError("the server did not say its port: \(text)")
        }
        self.port = port
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// The server rows of SPEC §9 on the 10k/1M database: an incident's JSON view at a paced 500 requests/s (an
/// open-loop client: each request is due at its slot, and its latency counts from the slot, so a slow reply is
/// not hidden by the requests it delays) beside the same view computed in-process; `wrk`'s saturation throughput;
/// 50 clients appending notes to 50 incidents beside in-process single `note` actions.
func serverRows(_ database: BenchDatabase, server binary: String) throws -> [Row] {
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("runbook-bench: \(binary) not built; skipping the server rows")
        return []
    }
    let store = try SQLiteEventStore(path: database.path)
    let roster = Roster(roles: ["bench": ["oncall"]])
    let token = try Tokens(store: store, path: database.path).create(person: "bench", roster: roster, rosterPath: "bench", by: "bench",
                                                                      now: SystemClock().now()).secret
    let id = database.middleIncident
    let team = try TeamFiles.load(directory: "\(database.directory)/runbooks", configuredDirectory: "\(database.directory)/runbooks")
    let service = IncidentService(store: store, library: RunbookLibrary(directory: "\(database.directory)/runbooks"), clock: SystemClock(),
                                  team: team, drillChannel: nil)

    let server = try ServerProcess(binary: binary, database: database)
    progress("server rows: listening on \(server.port)")
    defer { server.stop() }
    var rows = [try pacedViewRow(service: service, server: server, token: token, incident: id, label: "10k/1M db")]

    progress("server rows: paced done")
    let path = "/api/v1/incidents/\(id)"
    // Saturation throughput by wrk (2 threads, 50 connections, 5 s), when installed.
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") {
        let output = try capture("/usr/bin/wrk", ["-t2", "-c50", "-d5s", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(server.port)\(path)"])
        let perSecond = output.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }?.split(separator: " ").last.map(String.init) ?? "?"
        rows.append(Row(name: "server: incident JSON view at saturation (wrk -t2 -c50 5 s)", measured: "\(perSecond) req/s",
                        reference: "paced row above: 500 req/s", ratio: "-", target: "(info)", pass: nil))
    } else {
        print("runbook-bench: wrk not installed; the saturation row is left out")
    }

    // 50 clients, each appending notes to its own incident, against single in-process `note` actions (one
    // transaction each) on the same database.
    let writers = 50, notesEach = 20
    let incidents = try store.incidents(statuses: nil).prefix(writers + 1).map(\.id).filter { $0 != id }.prefix(writers)
    let before = try incidents.map { try store.incident($0)?.lastSequence ?? 0 }
    // Each note recorded exactly once: counted among the events appended after `before` (with what fell due).
    func notesAdded(_ incident: String, after sequence: Int64) throws -> Int {
        let records: [EventRecord] = try store.events(of: incident, after: sequence)
        return records.filter { $0.type == "note.added" }.count
    }
    let referenceNotes = 200
    let inProcessStart = now()
    for index in 0..<referenceNotes {
        try service.perform(.note("in-process bench note \(index)"), on: id, actor: "bench")
    }
    let inProcessRate = Double(referenceNotes) / (now() - inProcessStart)
    let writeFailures = Atomic<Int>(0)
    let writeStart = now()
    onThreads(writers) { worker in
        guard worker < incidents.count, let client = try? LoopbackHTTP(port: server.port) else {
            writeFailures.add(1, ordering: .relaxed)
            return
        }
        let incident = incidents[incidents.startIndex + worker]
        for note in 0..<notesEach {
            // As the command line asks: the recorded note, not the incident's view (which the view row measures).
            let reply = try? client.request("POST", "/api/v1/incidents/\(incident)/notes", token: token,
                                            body: "{\"text\": \"bench note \(worker)-\(note)\"}", minimal: true)
            if reply?.status != 200 { writeFailures.add(1, ordering: .relaxed) }
        }
    }
    let serverRate = Double(writers * notesEach) / (now() - writeStart)
    let lost = try zip(incidents, before).filter { try notesAdded($0, after: $1) != notesEach }.count
    let ratio = serverRate / inProcessRate
    rows.append(Row(name: "server: \(writers) clients appending notes to \(writers) incidents (\(writers * notesEach) notes)",
                    measured: "\(format(serverRate, 0)) notes/s, \(lost) incidents short",
                    reference: "in-process single note \(format(inProcessRate, 0))/s", ratio: format(ratio, 2),
                    target: ">= 0.33, none lost", pass: ratio >= 1.0 / 3.0 && lost == 0 && writeFailures.load(ordering: .relaxed) == 0))
    rows.append(try fanOutRow(server: server, token: token, incident: id))
    return rows
}

/// An action's arrival at 100 open event streams of its incident: 20 notes, each posted once the previous one has
/// reached every stream; the delay from each post to its arrival on each stream.
func fanOutRow(server: ServerProcess, token: String, incident: String) throws -> Row {
    let streams = 100, actions = 20
    let clients = try (0..<streams).map { _ in UncheckedBox(try LoopbackHTTP(port: server.port)) }
    let last = try LoopbackHTTP(port: server.port).request("GET", "/api/v1/incidents/\(incident)", token: token)
    guard let sequence = (try? JSONValue(parsing: last.body))?["events"]?.int else { throw BenchError("no incident view") }
    for client in clients { try client.value.openStream("/api/v1/incidents/\(incident)/events?after=\(sequence)", token: token) }
    let poster = try LoopbackHTTP(port: server.port)
    let delays = Mutex<[Int64]>([])
    let missed = Atomic<Int>(0)
    for action in 0..<actions {
        let posted = now()
        let reply = try poster.request("POST", "/api/v1/incidents/\(incident)/notes", token: token, body: "{\"text\": \"fan-out \(action)\"}")
        guard reply.status == 200, let recorded = (try? JSONValue(parsing: reply.body))?["recorded"]?.array,
              let noteSequence = recorded.compactMap({ $0["type"]?.string == "note.added" ? $0["sequence"]?.int : nil }).last else {
            throw BenchError("note refused: \(reply.status)")
        }
        onThreads(streams) { index in
            if (try? clients[index].value.waitForEvent(noteSequence, deadline: posted + 5)) == true {
                let delay = Int64((now() - posted) * 1_000_000)
                delays.withLock { $0.append(delay) }
            } else {
                if missed.add(1, ordering: .relaxed).oldValue == 0 { progress("fan-out: stream \(index) missed event \(noteSequence): \(clients[index].value.pending)") }
            }
        }
    }
    let sorted = delays.withLock { $0 }.sorted()
    let p50 = Double(percentile(sorted, 0.5)) / 1000, p99 = Double(percentile(sorted, 0.99)) / 1000
    let lost = missed.load(ordering: .relaxed)
    return Row(name: "server: an action reaching \(streams) open event streams (\(actions) actions)",
               measured: "p50 \(format(p50)) ms, p99 \(format(p99)) ms\(lost > 0 ? ", \(lost) missed" : "")",
               reference: "-", ratio: "-", target: "p99 < 1000 ms", pass: p99 < 1000 && lost == 0)
}

/// One stream's client, read by exactly one thread at a time (the threads of one round each take their own).
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs `body` on `count` threads of its own at once (a dispatch queue would run only as many as there are cores,
/// and an open-loop client needs every connection sending when its slot comes), and waits for them all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// A line on stderr when BENCH_VERBOSE is set.
func progress(_ text: String) {
    if ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// Runs a program and returns what it printed on stdout.
func capture(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// An incident's JSON view at a paced 500 requests/s for 10 s over 50 connections (an open-loop client: each request is
/// due at its slot, and its latency counts from the slot, so a slow reply is not hidden by the requests it delays),
/// beside the same view computed and rendered in this process by `service`.
func pacedViewRow(service: IncidentService, server: ServerProcess, token: String, incident id: String, label: String) throws -> Row {
    // In-process reference: the view the server sends, computed and rendered in this process.
    var inProcess: [Int64] = []
    for _ in 0..<1000 {
        let start = now()
        let snapshot = try service.snapshotAsOfNow(id)
        let integrity = try service.integrity(of: snapshot)
        let text = IncidentJSON.state(snapshot, now: service.now(for: snapshot.state), integrity: integrity).prettyText
        if text.isEmpty { print("empty view") }
        inProcess.append(Int64((now() - start) * 1_000_000))
    }
    inProcess.sort()

    progress("server rows: in-process view p99 \(Double(percentile(inProcess, 0.99)) / 1000) ms; starting the server")
    let path = "/api/v1/incidents/\(id)"
    // Warm the server's desks.
    let warm = try LoopbackHTTP(port: server.port)
    for _ in 0..<50 { guard try warm.request("GET", path, token: token).status == 200 else { throw BenchError("view refused") } }

    progress("server rows: warmed; pacing")
    // Paced: 500 requests/s for 10 s over 50 connections; latency from each request's slot to its reply.
    let rate = 500.0, seconds = 10.0, connections = 50
    let total = Int(rate * seconds)
    let latencies = Mutex<[Int64]>([])
    let failures = Atomic<Int>(0)
    let t0 = now() + 0.2
    onThreads(connections) { worker in
        guard let client = try? LoopbackHTTP(port: server.port) else {
            failures.add(1, ordering: .relaxed)
            return
        }
        var mine: [Int64] = []
        var index = worker
        while index < total {
            let slot = t0 + Double(index) / rate
            let wait = slot - now()
            if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
            if let reply = try? client.request("GET", path, token: token), reply.status == 200 {
                mine.append(Int64((now() - slot) * 1_000_000))
            } else {
                failures.add(1, ordering: .relaxed)
            }
            index += connections
        }
        latencies.withLock { $0 += mine }
    }
    let paced = latencies.withLock { $0 }.sorted()
    let p50 = Double(percentile(paced, 0.5)) / 1000, p99 = Double(percentile(paced, 0.99)) / 1000
    let refP50 = Double(percentile(inProcess, 0.5)) / 1000, refP99 = Double(percentile(inProcess, 0.99)) / 1000
    let failed = failures.load(ordering: .relaxed)
    return Row(name: "server: incident JSON view, paced \(Int(rate)) req/s x \(Int(seconds)) s, \(label)",
                    measured: "p50 \(format(p50)) ms, p99 \(format(p99)) ms\(failed > 0 ? ", \(failed) failed" : "")",
                    reference: "in-process view p50 \(format(refP50)) ms, p99 \(format(refP99)) ms", ratio: "-",
                    target: "p99 < 20 ms", pass: p99 < 20 && failed == 0 && paced.count == total)

}
