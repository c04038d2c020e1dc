import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RunbookTestSupport
import Testing

/// A runbook `id` whose one command step, `slow`, takes `seconds`, leaving the file `slow-started` when it begins.
func slowStepRunbook(_ id: String, seconds: Int) -> String {
    """
    runbook: \(id)
    title: Slow step
    roles:
      oncall: { title: "on-call" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: work
    states:
      work:
        steps:
          - { id: slow, title: Slow, run: "touch slow-started; sleep \(seconds); echo done" }
        resolves: true
        end: true

    """
}

/// `runbook serve` as a real process (the `runbook` binary execs `runbook-server`), talked to with curl.
@Suite struct ServeCommandTests {
    @Test func serveListensOnAFreePortAndAnswersHealth() throws {
        try withWorkspace { cli, directory in
            let server = try ServerProcess(cli, directory, ["serve", "--listen", "127.0.0.1:0", "--no-watcher"])
            defer { server.stop() }
            #expect(server.banner.hasPrefix("Serving incidents.db on http://127.0.0.1:"), "\(server.banner)")
            #expect(server.port > 0)
            let health = try curl("GET", server.url("/healthz"))
            #expect(health.status == 200)
            #expect(health.body == "ok\n")
            let ready = try curl("GET", server.url("/readyz"))
            #expect(ready.status == 200)
            #expect(ready.body.contains(#""supervised": false"#), "\(ready.body)")
            #expect(try curl("GET", server.url("/api/v1/incidents")).status == 401)
            #expect(try curl("GET", server.url("/metrics")).status == 401)
            kill(server.process.processIdentifier, SIGTERM)
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .exit)
            #expect(server.process.terminationStatus == 0)
        }
    }

    @Test func aPortInUseIsOneLineAndAnExitNotAHang() throws {
        try withWorkspace { cli, directory in
            let first = try ServerProcess(cli, directory, ["serve", "--listen", "127.0.0.1:0", "--no-watcher"])
            defer { first.stop() }
            let second = try cli.run(["serve", "--listen", "127.0.0.1:\(first.port)"])
            #expect(second.status == 1)
            let lines = second.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(second.stderr)")
            #expect(lines.first?.hasPrefix("runbook: error: cannot listen on 127.0.0.1:\(first.port) (") == true, "\(second.stderr)")
            #expect(lines.first?.hasSuffix("; is another server running there? pick another port with --listen") == true)
        }
    }

    @Test func aBadListenAddressIsAUsageError() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["serve", "--listen", "localhost"])
            #expect(result.status == 64)
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(lines.first?.contains("--listen localhost: expected HOST:PORT, e.g. 127.0.0.1:8080") == true, "\(result.stderr)")
        }
    }

    @Test func tokensAreForRosterPeopleAndTheirSecretsAreNeverListed() throws {
        try withWorkspace { cli, _ in
            let unknown = try cli.run(["token", "create", "kimm"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("kimm is not in "), "\(unknown.stderr)")
            #expect(unknown.stderr.contains("a token acts as a roster person: add them there first"), "\(unknown.stderr)")

            let created = try cli.run(["token", "create", "kim"])
            #expect(created.status == 0, "\(created.stderr)")
            let secret = try #require(secretIn(created.stdout))
            let listed = try cli.run(["token", "list"])
            #expect(listed.status == 0)
            #expect(listed.stdout.contains("kim"))
            #expect(!listed.stdout.contains(secret))
            #expect(!listed.stdout.contains(String(secret.suffix(20))))
            let json = try cli.run(["token", "list", "--json"])
            #expect(!json.stdout.contains(String(secret.suffix(20))))
        }
    }

    /// SIGTERM while a command step runs: the reply still arrives with the run recorded, the server exits 0, its
    /// watcher is gone and the log verifies.
    @Test func sigtermFinishesTheRequestInProgressThenStopsTheWatcher() throws {
        try withWorkspace { cli, directory in
            try removeScheduledRunbooks(directory)
            try slowStepRunbook("slow-step", seconds: 2).write(toFile: "\(directory)/runbooks/slow-step.yaml", atomically: true, encoding: .utf8)
            let token = try #require(secretIn(try cli.run(["token", "create", "kim"]).stdout))
            let server = try ServerProcess(cli, directory, ["serve", "--listen", "127.0.0.1:0"])
            defer { server.stop() }
            let watcher = try server.watcherPID()

            let started = try curl("POST", server.url("/api/v1/incidents"), token: token, body: #"{"runbook": "slow-step"}"#)
            #expect(started.status == 201, "\(started.body)")
            let id = try #require(try JSONSerialization.jsonObject(with: Data(started.body.utf8)) as? [String: Any])
                .flatMap { ($0["incident"] as? [String: Any])?["id"] as? String }
            let run = try CurlProcess("POST", server.url("/api/v1/incidents/\(try #require(id))/steps/slow/run"), token: token, in: directory)
            try waitFor("the command to start") { FileManager.default.fileExists(atPath: "\(directory)/slow-started") }
            kill(server.process.processIdentifier, SIGTERM)

            let reply = try run.finish()
            #expect(reply.status == 200, "\(reply.body)")
            #expect(reply.body.contains(#""succeeded": true"#), "\(reply.body)")
            #expect(reply.body.contains("done"), "\(reply.body)")
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .exit)
            #expect(server.process.terminationStatus == 0, "\(server.errors)")
            #expect(kill(watcher, 0) == -1 && errno == ESRCH, "the watcher \(watcher) outlived the server")

            let verify = try cli.run(["verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let timeline = try cli.run(["timeline", try #require(id)])
            #expect(timeline.stdout.contains("slow"), "\(timeline.stdout)")
            #expect(timeline.stdout.contains("command.finished") || timeline.stdout.contains("done"), "\(timeline.stdout)")
        }
    }

    /// A server killed outright (SIGKILL: no clean stop) does not leave its watcher holding the database's watch lock
    /// against the next server: the watcher notices within a second or two and stops.
    @Test func aKilledServersWatcherStopsByItself() throws {
        try withWorkspace { cli, directory in
            try removeScheduledRunbooks(directory)
            let server = try ServerProcess(cli, directory, ["serve", "--listen", "127.0.0.1:0"])
            defer { server.stop() }
            let watcher = try server.watcherPID()
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            try waitFor("the orphaned watcher to stop") { kill(watcher, 0) == -1 && errno == ESRCH }
        }
    }

    @Test func aKilledWatcherIsStartedAgain() throws {
        try withWorkspace { cli, directory in
            try removeScheduledRunbooks(directory)
            let server = try ServerProcess(cli, directory, ["serve", "--listen", "127.0.0.1:0"])
            defer { server.stop() }
            let first = try server.watcherPID()
            kill(first, SIGKILL)
            var second: pid_t = 0
            try waitFor("the watcher to be started again") {
                second = (try? server.watcherPID(wait: false)) ?? 0
                return second != 0 && second != first && kill(second, 0) == 0
            }
            let ready = try curl("GET", server.url("/readyz"))
            #expect(ready.body.contains(#""running": true"#), "\(ready.body)")
            kill(server.process.processIdentifier, SIGTERM)
            server.process.waitUntilExit()
            #expect(server.process.terminationStatus == 0, "\(server.errors)")
            #expect(kill(second, 0) == -1)
        }
    }
}

/// The secret a `runbook token create` printed (`rbk_…`).
func secretIn(_ text: String) -> String? {
    text.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("rbk_") }.map(String.init)
}

/// Polls `condition` every 50 ms for up to 30 s: what a real process does takes real time.
func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
        if try condition() { return }
        usleep(50_000)
    }
    throw ServeTestError("timed out waiting for \(what)")
}

struct ServeTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A `runbook serve` started for a test: the line it printed, its port, and what it wrote on stderr.
final class ServerProcess {
    let process: Process
    let banner: String
    let port: Int
    let directory: String
    private let errorsPath: String

    init(_ cli: CLIRunner, _ directory: String, _ arguments: [String]) throws {
        self.directory = directory
        errorsPath = "\(directory)/server.err"
        let outputPath = "\(directory)/server.out"
        process = try cli.launch(arguments, stdout: outputPath, stderr: errorsPath)
        var line = ""
        let process = process
        do {
            try waitFor("the server to listen") {
                guard process.isRunning else { throw ServeTestError("the server exited") }
                line = (try? String(contentsOfFile: outputPath, encoding: .utf8))?.split(separator: "\n").first.map(String.init) ?? ""
                return line.contains("http://")
            }
        } catch {
            let errors = (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? ""
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw ServeTestError("\(error); stderr: \(errors)")
        }
        banner = line
        let address = line.components(separatedBy: "http://").last ?? ""
        let portText = address.split(separator: " ").first?.split(separator: ":").last ?? ""
        port = Int(portText) ?? 0
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var errors: String { (try? String(contentsOfFile: errorsPath, encoding: .utf8)) ?? "" }

    /// The pid of the watcher holding the database (from the status file it writes), waiting for one to run.
    func watcherPID(wait: Bool = true) throws -> pid_t {
        let path = "\(directory)/incidents.db.watch-status"
        var pid: pid_t = 0
        let read = {
            pid = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { $0.split(separator: " ").first.flatMap { pid_t($0) } } ?? 0
            return pid != 0
        }
        if wait { try waitFor("the watcher to start", read) } else { _ = read() }
        return pid
    }

    /// Kills what is left (a test that failed half-way), the watcher with it.
    func stop() {
        if let pid = try? watcherPID(wait: false), pid != 0, process.isRunning { kill(pid, SIGKILL) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// An HTTP request by curl, not waited for.
final class CurlProcess {
    let process = Process()
    let outputPath: String

    init(_ method: String, _ url: String, token: String? = nil, body: String? = nil, in directory: String) throws {
        outputPath = "\(directory)/curl-\(UUID().uuidString)"
        var arguments = ["-s", "-S", "-X", method, "-o", outputPath, "-w", "%{http_code}", "--max-time", "60"]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments + [url]
        process.standardOutput = Pipe()
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func finish() throws -> (status: Int, body: String) {
        process.waitUntilExit()
        let pipe = process.standardOutput as? Pipe
        let code = pipe.flatMap { String(data: $0.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8) } ?? ""
        let body = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: outputPath)
        return (Int(code) ?? 0, body)
    }
}

/// One HTTP request by curl, waited for.
func curl(_ method: String, _ url: String, token: String? = nil, body: String? = nil) throws -> (status: Int, body: String) {
    try CurlProcess(method, url, token: token, body: body, in: NSTemporaryDirectory()).finish()
}
