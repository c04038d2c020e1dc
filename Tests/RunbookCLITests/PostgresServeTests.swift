import Foundation
import Synchronization
import RunbookTestSupport
import Testing

/// Two `runbook serve` processes on one PostgreSQL database (SPEC §10), as two hosts of a team would run them: they lose
/// no update, their watchers stand by for each other, and a leader killed outright leaves each page to the other, once.
/// Real processes, a real cluster (`make test` starts it), curl over loopback.
@Suite(.serialized) struct PostgresServeTests {
    /// A fresh schema on the test cluster, a token for kim on it, and the workspace's runbooks.
    func setUp(_ cli: CLIRunner, _ directory: String) throws -> (url: String, token: String) {
        try removeScheduledRunbooks(directory)
        let url = try TestPostgres.freshURL()
        let created = try cli.run(["token", "create", "kim", "--db", url])
        #expect(created.status == 0, "\(created.stderr)")
        return (url, try #require(secretIn(created.stdout), "\(created.stdout)"))
    }

    /// The records of every incident in the database, as `runbook export` writes them.
    func exported(_ cli: CLIRunner, _ url: String) throws -> [String: [[String: Any]]] {
        let export = try cli.run(["export", "--db", url])
        #expect(export.status == 0, "\(export.stderr)")
        var incidents: [String: [[String: Any]]] = [:]
        for line in export.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if let id = object["incident"] as? String { incidents[id] = object["records"] as? [[String: Any]] ?? [] }
        }
        return incidents
    }

    @Test func twoServersWithFourClientsEachLoseNoUpdate() throws {
        try withWorkspace { cli, directory in
            let (url, token) = try setUp(cli, directory)
            let servers = try (0..<2).map { _ in
                try ServerProcess(cli, directory, ["serve", "--db", url, "--listen", "127.0.0.1:0", "--no-watcher"])
            }
            defer { servers.forEach { $0.stop() } }
            #expect(servers[0].banner.hasPrefix("Serving postgresql://postgres@/postgres on http://127.0.0.1:"), "\(servers[0].banner)")
            let opened = try curl("POST", servers[0].url("/api/v1/incidents"), token: token,
                                  body: #"{"runbook":"security-incident","title":"Two servers, one log"}"#)
            #expect(opened.status == 201, "\(opened.body)")
            let incident = try #require(opened.body.components(separatedBy: "\"").first { $0.hasPrefix("INC-") })

            // Eight clients, four on each server, at once: notes from all, step marks from one on the first server and
            // severity changes from one on the second (marking both detect steps would complete the stage).
            let notesPerClient = 12
            let urls = servers.map { $0.url("/api/v1/incidents/\(incident)") }
            let results = Mutex<[Int]>([])
            let bodies = Mutex<[String]>([])
            // Eight threads at once (curl is a process each: the requests really overlap).
            DispatchQueue.concurrentPerform(iterations: 8) { client in
                let base = urls[client % 2]
                var statuses: [Int] = []
                let post = { (path: String, body: String) in
                    let answer = (try? curl("POST", base + path, token: token, body: body)) ?? (status: 0, body: "")
                    statuses.append(answer.status)
                    if answer.status != 200 { bodies.withLock { $0.append(String(answer.body.prefix(300))) } }
                }
                for number in 0..<notesPerClient {
                    post("/notes", #"{"text":"client \#(client) note \#(number)"}"#)
                    if client == 0, number % 3 == 0 {
                        post("/steps/confirm-alert/done", "{}")
                        post("/steps/confirm-alert/undo", #"{"note":"again"}"#)
                    }
                    if client == 1, number % 3 == 0 {
                        post("/severity", number % 2 == 0 ? #"{"severity":"SEV1"}"# : #"{"severity":"SEV2"}"#)
                    }
                }
                results.withLock { $0 += statuses }
            }
            let statuses = results.withLock { $0 }
            #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses.filter { $0 != 200 }) \(bodies.withLock { $0 })")

            let records = try #require(try exported(cli, url)[incident])
            let sequences = records.compactMap { $0["sequence"] as? Int }
            #expect(sequences == Array(1...records.count), "contiguous sequences")
            let notes = records.filter { $0["type"] as? String == "note.added" }
            #expect(notes.count == 8 * notesPerClient)
            #expect(records.filter { $0["type"] as? String == "step.undone" }.count == 4)
            #expect(records.filter { $0["type"] as? String == "severity.changed" }.count == 4)
            let verify = try cli.run(["verify", "--db", url])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("hash chain intact"), "\(verify.stdout)")
        }
    }

    /// The leader's watcher is frozen with pages due (a host that hangs), then it and its server are killed with SIGKILL:
    /// the other server's watcher takes the lock within seconds, records each page once and delivers it.
    @Test func whenTheLeadingWatcherDiesTheOtherPagesEachPageOnce() throws {
        try withWorkspace { cli, directory in
            let (url, _) = try setUp(cli, directory)
            let leader = try ServerProcess(cli, directory, ["serve", "--db", url, "--listen", "127.0.0.1:0"])
            defer { leader.stop() }
            let leaderWatcher = try waitForChild(of: leader.process.processIdentifier)
            try waitFor("the leader's watcher to hold the lock") { try curl("GET", leader.url("/readyz")).body.contains(#""running": true"#) }
            let standby = try ServerProcess(cli, directory, ["serve", "--db", url, "--listen", "127.0.0.1:0"])
            defer { standby.stop() }
            let standbyWatcher = try waitForChild(of: standby.process.processIdentifier)
            defer { kill(standbyWatcher, SIGKILL) }
            kill(leaderWatcher, SIGSTOP)

            // An incident opened ten minutes ago (recorded in a file database on the real clock back-dated, then
            // imported): detect's 5m deadline and tier 2 are overdue now.
            let scratch = try makeTemporaryDirectory()
            var back = cli
            back.environment["RUNBOOK_NOW"] = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -600))
            let start = try back.run(["start", "security-incident", "--as", "kim", "--db", "\(scratch)/old.db"])
            #expect(start.status == 0, "\(start.stderr)")
            let export = try cli.run(["export", "--db", "\(scratch)/old.db"])
            try export.stdout.write(toFile: "\(scratch)/old.jsonl", atomically: true, encoding: .utf8)
            let imported = try cli.run(["import", "\(scratch)/old.jsonl", "--db", url])
            #expect(imported.status == 0, "\(imported.stderr)")
            let pagesBefore = try pageLines(directory)

            kill(leaderWatcher, SIGKILL)
            kill(leader.process.processIdentifier, SIGKILL)
            leader.process.waitUntilExit()
            try waitFor("the standby to page the missed deadline") {
                try pageLines(directory).contains { $0.contains("missed its 5m deadline") }
                    && pageLines(directory).contains { $0.contains("tier 2 → manager") }
            }
            let incident = try #require(try exported(cli, url).first)
            let records = incident.value
            let escalations = records.filter { $0["type"] as? String == "escalated" }.compactMap { $0["data"] as? String }
            #expect(Set(escalations).count == escalations.count, "no escalation recorded twice: \(escalations)")
            #expect(records.filter { $0["type"] as? String == "deadline.missed" }.count == 1)
            let sent = records.filter { $0["type"] as? String == "notification.sent" }.compactMap { $0["data"] as? String }
            #expect(Set(sent).count == sent.count, "no page recorded as sent twice")
            let newPages = try pageLines(directory).dropFirst(pagesBefore.count)
            #expect(newPages.filter { $0.contains("missed its 5m deadline") }.count == 2, "\(newPages)")
            #expect(newPages.filter { $0.contains("tier 2 → manager") }.count == 1, "\(newPages)")
            #expect(try cli.run(["verify", "--db", url]).status == 0)
            let ready = try curl("GET", standby.url("/readyz"))
            #expect(ready.body.contains(#""running": true"#), "\(ready.body)")
        }
    }

    @Test func commandsThatWorkOnAFileRefuseAPostgresURLInOneLine() throws {
        try withWorkspace { cli, _ in
            let url = try TestPostgres.freshURL()
            let refused: [(arguments: [String], command: String)] = [
                (["status"], "status"), (["note", "1", "x"], "note"), (["watch", "--status"], "watch --status"),
                (["start", "security-incident"], "start"), (["schedule"], "schedule"),
            ]
            for (arguments, command) in refused {
                let result = try cli.run(arguments + ["--db", url])
                #expect(result.status == 64, "\(arguments): \(result.stderr)")
                #expect(result.stderr.hasPrefix("runbook: error: `runbook \(command)` works on a database file, not on PostgreSQL"), "\(result.stderr)")
                #expect(!result.stderr.contains("\n") || result.stderr.split(separator: "\n").count == 1)
            }
            // A token for someone not in the roster is refused before anything is created.
            let stranger = try cli.run(["token", "create", "mallory", "--db", url])
            #expect(stranger.status == 64, "\(stranger.stderr)")
            #expect(stranger.stderr.contains("mallory is not in"), "\(stranger.stderr)")
            // Read-only commands on a database without the log say so and create nothing.
            let verify = try cli.run(["verify", "--db", url])
            #expect(verify.status != 0)
            #expect(verify.stderr.contains("holds no runbook log yet"), "\(verify.stderr)")
            let unreachable = try cli.run(["stats", "--db", "postgresql://ops:hunter2@/runbook?host=/nonexistent&connect_timeout=2"])
            #expect(unreachable.status != 0)
            #expect(unreachable.stderr.hasPrefix("runbook: error: cannot connect to PostgreSQL at postgresql://ops@/runbook: "), "\(unreachable.stderr)")
            #expect(!unreachable.stderr.contains("hunter2"))
        }
    }
}

/// The lines of the workspace's page file (the shipped contacts page to `notifications.log`).
func pageLines(_ directory: String) throws -> [String] {
    ((try? String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}

/// The first child process of `pid` (the server's watcher), waiting for it.
func waitForChild(of pid: pid_t) throws -> pid_t {
    var child: pid_t = 0
    try waitFor("a child of \(pid)") {
        // Any of its threads may have started it: each lists its own children.
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let text = threads.map { (try? String(contentsOfFile: "/proc/\(pid)/task/\($0)/children", encoding: .utf8)) ?? "" }.joined(separator: " ")
        child = text.split(separator: " ").first.flatMap { pid_t($0) } ?? 0
        return child != 0
    }
    return child
}

