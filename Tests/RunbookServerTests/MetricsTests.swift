import Foundation
import HTTPTypes
import RunbookCore
import RunbookRuntime
import RunbookStore
import RunbookTestSupport
import Testing

/// `/metrics` and `/readyz` against the whole server on a real loopback port, on a manual clock.
@Suite struct MetricsTests {
    /// The oncall role pages through a file and through a command that fails, so both counters move.
    static let contacts = """
        contacts:
          oncall:
            title: "on-call"
            channels:
              - { file: "metrics-test-notifications.log" }
              - { command: "exit 3" }
          manager:
            title: "manager"
            channels:
              - { file: "metrics-test-notifications.log" }
          security:
            title: "security"
            channels:
              - { file: "metrics-test-notifications.log" }
          cto:
            title: "cto"
            channels:
              - { file: "metrics-test-notifications.log" }
          dba:
            title: "dba"
            channels:
              - { file: "metrics-test-notifications.log" }

        """

    static func fixture() throws -> ServerFixture {
        let fixture = try ServerFixture()
        try contacts.write(toFile: "\(fixture.directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
        return fixture
    }

    @Test func metricsNeedATokenAndAreInPrometheusTextFormat() async throws {
        let fixture = try Self.fixture()
        try await fixture.live { client in
            let refused = try await client.get("/metrics", as: nil)
            #expect(refused.status == 401)
            #expect(refused.headers[.contentType] == "application/problem+json")

            let reply = try await client.get("/metrics", as: "cto")
            #expect(reply.status == 200)
            #expect(reply.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = try Exposition(reply.text)
            #expect(metrics.types["runbook_overdue_stages"] == "gauge")
            #expect(metrics.types["runbook_watcher_lag_seconds"] == "gauge")
            #expect(metrics.types["runbook_watcher_running"] == "gauge")
            #expect(metrics.types["runbook_time_to_acknowledge_seconds"] == "histogram")
            #expect(metrics.types["runbook_time_to_resolve_seconds"] == "histogram")
            #expect(metrics["runbook_overdue_stages"] == 0)
            #expect(metrics["runbook_watcher_lag_seconds"] == 0)
            #expect(metrics["runbook_watcher_running"] == 0)
            #expect(metrics["runbook_time_to_acknowledge_seconds_count"] == 0)
            #expect(metrics.samples.keys.contains { $0.hasPrefix("runbook_open_incidents") } == false)
        }
    }

    @Test func openIncidentsPagesAndTimesAreReadFromTheDatabase() async throws {
        let fixture = try Self.fixture()
        try await fixture.live { client in
            let restore = try await client.start("gated-restore", severity: "SEV1")
            _ = try await client.start("gated-restore", severity: "SEV2")
            let drill = try await client.post("/api/v1/incidents", #"{"runbook": "gated-restore", "severity": "SEV2", "drill": true}"#)
            #expect(drill.status == 201)

            var metrics = try Exposition(try await client.get("/metrics").text)
            #expect(metrics[#"runbook_open_incidents{severity="SEV1",drill="false"}"#] == 1)
            #expect(metrics[#"runbook_open_incidents{severity="SEV2",drill="false"}"#] == 1)
            #expect(metrics[#"runbook_open_incidents{severity="SEV2",drill="true"}"#] == 1)
            // Tier 0 pages oncall at once: the file channel delivers, the command fails (exit 3); the drill's page goes
            // to the drill log (a file).
            #expect(metrics[#"runbook_pages_sent_total{channel="file",drill="false"}"#] == 2)
            #expect(metrics[#"runbook_pages_failed_total{channel="command",drill="false"}"#] == 2)
            #expect(metrics[#"runbook_pages_sent_total{channel="file",drill="true"}"#] == 1)

            // Acknowledged after 90 s, resolved after 2 h: each incident counted once, however often it is scraped.
            fixture.clock.advance(by: .seconds(90))
            #expect(try await client.post("/api/v1/incidents/\(restore)/ack").status == 200)
            metrics = try Exposition(try await client.get("/metrics").text)
            #expect(metrics["runbook_time_to_acknowledge_seconds_count"] == 1)
            #expect(metrics[#"runbook_time_to_acknowledge_seconds_bucket{le="60.0"}"#] == 0)
            #expect(metrics[#"runbook_time_to_acknowledge_seconds_bucket{le="120.0"}"#] == 1)
            #expect(metrics["runbook_time_to_acknowledge_seconds_sum"] == 90)
            // Nothing new was delivered: the counters did not move.
            #expect(metrics[#"runbook_pages_sent_total{channel="file",drill="false"}"#] == 2)

            fixture.clock.advance(by: .seconds(2 * 3600 - 90))
            let resolved = try await client.post("/api/v1/incidents/\(restore)/resolve", as: "lee", #"{"note": "restored by hand"}"#)
            #expect(resolved.status == 200, "\(resolved.text)")
            metrics = try Exposition(try await client.get("/metrics").text)
            metrics = try Exposition(try await client.get("/metrics").text)
            #expect(metrics["runbook_time_to_resolve_seconds_count"] == 1)
            #expect(metrics["runbook_time_to_resolve_seconds_sum"] == 7200)
            #expect(metrics[#"runbook_time_to_resolve_seconds_bucket{le="3600.0"}"#] == 0)
            #expect(metrics[#"runbook_time_to_resolve_seconds_bucket{le="7200.0"}"#] == 1)
            #expect(metrics["runbook_time_to_acknowledge_seconds_count"] == 1)
            // The resolved incident no longer counts as open; its severity's series stays, at 0.
            #expect(metrics[#"runbook_open_incidents{severity="SEV1",drill="false"}"#] == 0)
        }
    }

    @Test func overdueStagesAndWatcherLagFollowTheClock() async throws {
        let fixture = try Self.fixture()
        try await fixture.live { client in
            let id = try await client.start("gated-restore")
            var metrics = try Exposition(try await client.get("/metrics").text)
            #expect(metrics["runbook_overdue_stages"] == 0)
            #expect(metrics["runbook_watcher_lag_seconds"] == 0)

            // No watcher runs: the stage's deadline (1 h) passes, and nothing due is handled; the earliest is the retry
            // of the page the failing command channel did not deliver, due 30 s after the opening.
            fixture.clock.advance(by: .minutes(61))
            metrics = try Exposition(try await client.get("/metrics").text)
            #expect(metrics["runbook_overdue_stages"] == 1)
            #expect(metrics["runbook_watcher_lag_seconds"] == Double(61 * 60 - 30), "\(metrics.samples)")
            #expect(metrics["runbook_watcher_running"] == 0)

            // The stage is left by resolving: no stage is overdue any more.
            #expect(try await client.post("/api/v1/incidents/\(id)/resolve", as: "lee").status == 200)
            metrics = try Exposition(try await client.get("/metrics").text)
            #expect(metrics["runbook_overdue_stages"] == 0)
        }
    }

    @Test func readinessSaysWhetherTheDatabaseAnswersAndAWatcherRuns() async throws {
        let fixture = try Self.fixture()
        try await fixture.live { client in
            let ready = try await client.get("/readyz", as: nil)
            #expect(ready.status == 200)
            #expect(ready.headers[.contentType] == "application/json")
            #expect(ready.json["status"]?.string == "ready")
            #expect(ready.json["database"]?["migrations"]?.string == "complete")
            #expect(ready.json["watcher"]?["running"]?.bool == false)
            #expect(ready.json["watcher"]?["supervised"]?.bool == false)

            // The database moved away under the server: not ready, with a problem body.
            let path = fixture.settings.databasePath
            try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
            let gone = try await client.get("/readyz", as: nil)
            #expect(gone.status == 503)
            #expect(gone.headers[.contentType] == "application/problem+json")
            #expect(gone.json["type"]?.string == "/api/v1/problems/not-ready")
            #expect(gone.detail == "the database file was moved or replaced while the server ran; put it back, or restart the server on the right --db")
            #expect(try await client.get("/metrics").status == 503)

            // Back in place: ready again.
            try FileManager.default.moveItem(atPath: path + ".moved", toPath: path)
            #expect(try await client.get("/readyz", as: nil).status == 200)
        }
    }

    @Test func aDatabaseWithoutItsMigrationsIsNotReady() async throws {
        let fixture = try Self.fixture()
        try await fixture.live { client in
            #expect(try await client.get("/readyz", as: nil).status == 200)
            // An older binary's database put in place (here: its last migration's record removed behind the server).
            try sqlite(fixture.settings.databasePath, "DELETE FROM schema_migrations WHERE id = 'v5-server-tokens'")
            let reply = try await client.get("/readyz", as: nil)
            #expect(reply.status == 503)
            #expect(reply.detail == "the database lacks the migrations v5-server-tokens of this version; restart the server to bring it up to date")
        }
    }
}

/// Runs one statement with the sqlite3 shell.
func sqlite(_ path: String, _ sql: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path, sql]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw FixtureError("sqlite3 failed on \(sql)") }
}

/// A Prometheus text exposition, read strictly: every line is a comment (`# HELP`, `# TYPE`) or `NAME{LABELS} VALUE`.
struct Exposition {
    var samples: [String: Double] = [:]
    var types: [String: String] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4 else { throw FixtureError("bad TYPE line: \(line)") }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("# HELP ") { continue }
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw FixtureError("bad sample line: \(line)")
            }
            let series = String(line[..<space])
            guard samples[series] == nil else { throw FixtureError("series twice: \(series)") }
            samples[series] = value
        }
    }

    subscript(_ series: String) -> Double? { samples[series] }
}
