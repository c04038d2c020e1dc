import Foundation
import RunbookTestSupport
import Testing

/// Contacts whose every role is reached by a slow command that appends a line to `pages.log`.
let slowCommandContacts = """
    contacts:
      oncall:  { title: On-call,  channels: [ { command: 'sleep 0.05; echo "$RUNBOOK_INCIDENT $RUNBOOK_ROLE $RUNBOOK_TIER $RUNBOOK_ROUND $RUNBOOK_REASON" >> pages.log' } ] }
      manager: { title: Manager,  channels: [ { command: 'sleep 0.05; echo "$RUNBOOK_INCIDENT $RUNBOOK_ROLE $RUNBOOK_TIER $RUNBOOK_ROUND $RUNBOOK_REASON" >> pages.log' } ] }
      cto:     { title: CTO,      channels: [ { command: 'sleep 0.05; echo "$RUNBOOK_INCIDENT $RUNBOOK_ROLE $RUNBOOK_TIER $RUNBOOK_ROUND $RUNBOOK_REASON" >> pages.log' } ] }
      security: { title: Security, channels: [] }

    """

/// Starts `runbook ARGUMENTS` in the background with its output in a file.
func launch(_ arguments: [String], in directory: String, environment: [String: String], output: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") }
    env["TZ"] = "UTC"
    env["RUNBOOK_WATCHER"] = "off"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    try Data().write(to: URL(fileURLWithPath: output))
    process.standardOutput = FileHandle(forWritingAtPath: output)
    process.standardError = FileHandle(forWritingAtPath: output)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// Waits (bounded) until `condition` holds, checking every 20 ms; the work waited for is another process's.
func eventually(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}

func count(_ database: String, _ sql: String) throws -> Int {
    Int(try sqlite(database, sql).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
}

@Suite(.serialized) struct WatchTests {
    /// Opens `incidents` security incidents at 01:00, nobody acknowledging.
    func openIncidents(_ incidents: Int, cli: CLIRunner, directory: String) throws {
        try slowCommandContacts.write(toFile: "\(directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
        // Hold the watch lock while opening, so `start` records tier 1 but leaves its delivery to watch.
        for _ in 0..<incidents {
            var c = cli
            c.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let result = try c.run(["start", "security-incident", "--no-guide"])
            #expect(result.status == 0)
        }
    }

    @Test func killedMidRoundAndRestartedRecordsEachEscalationOnceAndDeliversIt() throws {
        try withWorkspace { cli, directory in
            try removeScheduledRunbooks(directory)
            try openIncidents(20, cli: cli, directory: directory)
            let database = "\(directory)/incidents.db"
            let env = ["RUNBOOK_NOW": "2026-11-26T01:40:00Z"]
            let first = try launch(["watch"], in: directory, environment: env, output: "\(directory)/watch1.log")
            // Kill it in the middle of the round: some pages recorded and delivered, not all.
            let midway = try eventually { try count(database, "SELECT count(*) FROM events WHERE type = 'notification.sent'") >= 15 }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(midway)
            let second = try launch(["watch", "--once"], in: directory, environment: env, output: "\(directory)/watch2.log")
            second.waitUntilExit()
            #expect(second.terminationStatus == 0)

            // Every page (incident, escalation, index) is recorded exactly once.
            let duplicates = try sqlite(database, """
                SELECT incident_id, json_extract(data, '$.episode') e, json_extract(data, '$.index') i, count(*) c
                FROM events WHERE type = 'escalated' GROUP BY 1, 2, 3 HAVING c > 1
                """)
            #expect(duplicates == "")
            // By 01:40: the unacknowledged page reached tiers 1, 2 and 3; the 5m detect deadline's page tiers 1, 2, 3.
            #expect(try count(database, "SELECT count(*) FROM events WHERE type = 'escalated'") == 20 * 6)
            // Every page delivered at least once.
            let undelivered = try sqlite(database, """
                SELECT e.incident_id, json_extract(e.data, '$.episode'), json_extract(e.data, '$.index') FROM events e
                WHERE e.type = 'escalated' AND NOT EXISTS (SELECT 1 FROM events n WHERE n.incident_id = e.incident_id
                  AND n.type = 'notification.sent' AND json_extract(n.data, '$.episode') = json_extract(e.data, '$.episode')
                  AND json_extract(n.data, '$.index') = json_extract(e.data, '$.index'))
                """)
            #expect(undelivered == "")
            let lines = try String(contentsOfFile: "\(directory)/pages.log", encoding: .utf8).split(separator: "\n")
            #expect(lines.count >= 120)
            #expect(lines.count <= 121, "at most the one delivery in flight at the kill is repeated")
            let verify = try cli.run(["verify"])
            #expect(verify.status == 0)
        }
    }

    @Test func twoWatchersNeverDoubleNotify() throws {
        try withWorkspace { cli, directory in
            try removeScheduledRunbooks(directory)
            try openIncidents(5, cli: cli, directory: directory)
            let database = "\(directory)/incidents.db"
            let env = ["RUNBOOK_NOW": "2026-11-26T01:40:00Z"]
            let a = try launch(["watch"], in: directory, environment: env, output: "\(directory)/a.log")
            let b = try launch(["watch"], in: directory, environment: env, output: "\(directory)/b.log")
            #expect(try eventually { try count(database, "SELECT count(*) FROM events WHERE type = 'notification.sent'") == 30 })
            for process in [a, b] { kill(process.processIdentifier, SIGTERM) }
            for process in [a, b] {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "SIGTERM stops watch cleanly")
            }
            let lines = try String(contentsOfFile: "\(directory)/pages.log", encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 30)
            #expect(Set(lines).count == 30, "no page delivered twice")
            let logs = try ["a.log", "b.log"].map { try String(contentsOfFile: "\(directory)/\($0)", encoding: .utf8) }
            #expect(logs.filter { $0.contains("standing by") }.count == 1)
            #expect(logs.allSatisfy { $0.contains("stopping") || $0.contains("standing by") })
        }
    }

    @Test func aSecurityIncidentLeftAlonePagesEachTierOnceAcrossARestart() throws {
        try withWorkspace { cli, directory in
            try removeScheduledRunbooks(directory)
            // Only the incident's pages: the shipped routine checks (09:00 and 09:30 in Seoul) would start at 10:00 too.
            for file in try FileManager.default.contentsOfDirectory(atPath: "\(directory)/runbooks")
            where (try String(contentsOfFile: "\(directory)/runbooks/\(file)", encoding: .utf8)).contains("\nschedule:") {
                try FileManager.default.removeItem(atPath: "\(directory)/runbooks/\(file)")
            }
            try openIncidents(1, cli: cli, directory: directory)
            for minute in [0, 5, 10, 15, 30, 35] {
                let time = String(format: "2026-11-26T01:%02d:00Z", minute)
                let watch = try launch(["watch", "--once"], in: directory, environment: ["RUNBOOK_NOW": time], output: "\(directory)/w.log")
                watch.waitUntilExit()
                #expect(watch.terminationStatus == 0)
            }
            let lines = try String(contentsOfFile: "\(directory)/pages.log", encoding: .utf8).split(separator: "\n").map(String.init)
            let id = "INC-20261126-0001"
            let unacknowledged = "incident opened, not yet acknowledged"
            let deadline = "stage `detect` 탐지 (Detect) missed its 5m deadline"
            // Unacknowledged: oncall at 0m, manager at 10m, cto at 30m. The detect deadline (5m): oncall at 5m,
            // manager at 15m, cto at 35m.
            #expect(lines == ["\(id) oncall 1 1 \(unacknowledged)", "\(id) oncall 1 1 \(deadline)", "\(id) manager 2 1 \(unacknowledged)",
                              "\(id) manager 2 1 \(deadline)", "\(id) cto 3 1 \(unacknowledged)", "\(id) cto 3 1 \(deadline)"])
        }
    }
}

@Suite struct WebhookAndCommandContactsTests {
    /// A local HTTP server (python3's http.server) that appends each POST body as one line to `hooks.log`.
    /// It writes its own pid, since `python3` may be a shim that runs the interpreter as a child.
    func startHookServer(in directory: String) throws -> (Process, Int) {
        let script = """
            import http.server, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers['Content-Length']))
                    with open('hooks.log', 'ab') as f: f.write(body.replace(b'\\n', b' ') + b'\\n')
                    self.send_response(200); self.end_headers()
                def log_message(self, *a): pass
            s = http.server.HTTPServer(('127.0.0.1', 0), H)
            import os
            open('pid', 'w').write(str(os.getpid()))
            open('port', 'w').write(str(s.server_address[1]))
            s.serve_forever()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var port = 0
        _ = eventually(seconds: 10) {
            port = Int((try? String(contentsOfFile: "\(directory)/port", encoding: .utf8)) ?? "") ?? 0
            return port > 0
        }
        return (process, port)
    }

    @Test func aPageReachesAWebhookAndACommand() throws {
        try withWorkspace { base, directory in
            try removeScheduledRunbooks(directory)
            let (server, port) = try startHookServer(in: directory)
            defer {
                if let pid = Int32((try? String(contentsOfFile: "\(directory)/pid", encoding: .utf8)) ?? "") { kill(pid, SIGKILL) }
                server.terminate()
                server.waitUntilExit()
            }
            #expect(port > 0)
            try """
                contacts:
                  oncall:
                    title: On-call
                    channels:
                      - { webhook: "http://127.0.0.1:\(port)/hooks/T00/SECRET", timeout: 5s }
                      - { command: 'cat > "page-$RUNBOOK_TIER.txt"' }
                  manager: { title: Manager, channels: [ { webhook: "http://127.0.0.1:\(port)/hooks/T00/SECRET" } ] }
                  cto: { title: CTO, channels: [] }

                """.write(toFile: "\(directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let id = try cli.run(["start", "security-incident"]).stdout.trimmingCharacters(in: .newlines)
            #expect(try cli.run(["ack", id]).status == 0)
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:15:00Z"
            #expect(try cli.run(["watch", "--once"]).status == 0)
            let hooks = try String(contentsOfFile: "\(directory)/hooks.log", encoding: .utf8).split(separator: "\n")
            // Tier 1 at opening (oncall), then the detect deadline's tier 1 (oncall) and tier 2 (manager) at 15m.
            #expect(hooks.count == 3)
            let first = try #require(try JSONSerialization.jsonObject(with: Data(hooks[0].utf8)) as? [String: Any])
            #expect((first["text"] as? String)?.hasPrefix("[SEV2] \(id) tier 1: incident opened, not yet acknowledged") == true)
            #expect(first["acknowledge"] as? String == "runbook ack \(id)")
            let page = try String(contentsOfFile: "\(directory)/page-1.txt", encoding: .utf8)
            #expect(page.contains("Acknowledge: runbook ack \(id)"))
            let timeline = try cli.run(["timeline", id]).stdout
            #expect(timeline.contains("notified manager via webhook http://127.0.0.1:\(port)/… #"))
            #expect(!timeline.contains("SECRET"), "the hook's secret path stays out of the log")
        }
    }
}
