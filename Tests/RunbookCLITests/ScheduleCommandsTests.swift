import Foundation
import RunbookTestSupport
import Testing

/// A routine check run every day at 09:00 in Seoul (00:00Z), whose 30m deadline pages the on-call once.
let dailyCheck = """
    runbook: daily-check
    kind: checklist
    title: "일일 점검 (Daily check)"
    schedule: "daily at 09:00"
    timezone: Asia/Seoul
    roles:
      oncall: { title: On-call }
      manager: { title: Manager }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
        - { notify: [manager], after: 10m }
    initial: checks
    states:
      checks:
        deadline: 30m
        steps:
          - { id: disk, title: "디스크 확인 (Disk)" }
          - { id: backups, title: "백업 확인 (Backups)" }
        end: true

    """

/// Four shipped incident runbooks plus this `daily-check` (instead of the shipped one), in a temporary folder: the
/// figures below (column widths, the one scheduled runbook) are of this set, not of whatever the team ships.
func withScheduledWorkspace(_ body: (CLIRunner, String) throws -> Void) throws {
    try withWorkspace { cli, directory in
        let kept: Set = ["db-recovery.yaml", "disaster-recovery.yaml", "rollback.yaml", "security-incident.yaml", "roster.yaml", "contacts.yaml"]
        for file in try FileManager.default.contentsOfDirectory(atPath: "\(directory)/runbooks") where !kept.contains(file) {
            try FileManager.default.removeItem(atPath: "\(directory)/runbooks/\(file)")
        }
        try dailyCheck.write(toFile: "\(directory)/runbooks/daily-check.yaml", atomically: true, encoding: .utf8)
        try body(cli, directory)
    }
}

@Suite(.serialized) struct ScheduleCommandsTests {
    func at(_ cli: CLIRunner, _ now: String) -> CLIRunner {
        var c = cli
        c.environment["RUNBOOK_NOW"] = now
        return c
    }

    @Test func scheduleListsTheNextRunAndNeverCreatesTheDatabase() throws {
        try withScheduledWorkspace { cli, directory in
            // 05:50 KST: the 09:00 check is 3h 10m away.
            let result = try at(cli, "2026-11-26T20:50:00Z").run(["schedule"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "RUNBOOK      SCHEDULE        TIME ZONE   NEXT RUN                      LAST RUN")
            #expect(lines.dropFirst().first == "daily-check  daily at 09:00  Asia/Seoul  2026-11-27 09:00 (in 3h 10m)  no runs yet")
            #expect(result.stdout.contains("scheduled runs start only while `runbook watch` runs"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/incidents.db"))
            let json = try at(cli, "2026-11-26T20:50:00Z").run(["schedule", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let item = try #require((object["runbooks"] as? [[String: Any]])?.first)
            #expect(item["runbook"] as? String == "daily-check")
            #expect(item["kind"] as? String == "checklist")
            #expect(item["schedule"] as? [String] == ["daily at 09:00"])
            #expect(item["next_run"] as? String == "2026-11-27T00:00:00.000Z")
            #expect(item["next_run_in_seconds"] as? Int == 11_400)
            #expect(item["last_run"] is NSNull)
        }
    }

    @Test func listGroupsIncidentRunbooksAndRoutineChecks() throws {
        try withScheduledWorkspace { cli, _ in
            let result = try cli.run(["list"])
            #expect(result.status == 0)
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let checks = try #require(lines.firstIndex(of: "Routine checks"))
            #expect(lines.first == "Incident runbooks")
            #expect(lines[1] == "ID                 TITLE                                        STAGES  DEADLINES  RTO")
            #expect(lines[2..<checks].contains("security-incident  보안 사고 대응 (Security incident response)       5  25h50m     2h"))
            #expect(lines[checks + 1] == "ID           TITLE                    STAGES  DEADLINES  SCHEDULE")
            #expect(lines[checks + 2] == "daily-check  일일 점검 (Daily check)       1  30m        daily at 09:00 (Asia/Seoul)")
            let json = try cli.run(["list", "--json"])
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let check = try #require(items.first { $0["id"] as? String == "daily-check" })
            #expect(check["kind"] as? String == "checklist")
            #expect(check["schedule"] as? [String] == ["daily at 09:00"])
            #expect(items.first { $0["id"] as? String == "rollback" }?["kind"] as? String == "incident")
        }
    }

    @Test func lintReportsAnUnknownTimeZone() throws {
        try withScheduledWorkspace { cli, directory in
            try dailyCheck.replacingOccurrences(of: "timezone: Asia/Seoul", with: "timezone: Mars/Olympus")
                .write(toFile: "\(directory)/runbooks/daily-check.yaml", atomically: true, encoding: .utf8)
            let lint = try cli.run(["lint", "runbooks/daily-check.yaml"])
            #expect(lint.status == 65)
            #expect(lint.stderr.hasPrefix("runbooks/daily-check.yaml:5:11: error: timezone: unknown time zone; use an IANA name such as Asia/Seoul, or +09:00\n"))
        }
    }

    /// The watcher starts the slot's run at its time, once: a watcher killed with SIGKILL right after starting it and
    /// a restarted one (and a third pass) leave one incident for the slot.
    @Test func aScheduledRunStartsExactlyOnceAcrossAWatcherKilledWithSigkill() throws {
        try withScheduledWorkspace { cli, directory in
            let database = "\(directory)/incidents.db"
            let env = ["RUNBOOK_NOW": "2026-11-27T00:00:30Z"]
            let first = try launch(["watch"], in: directory, environment: env, output: "\(directory)/watch1.log")
            // Started: the run recorded and the watcher's log line after it written (killed before that, the log
            // checked below could not hold the line).
            let started = try eventually {
                guard FileManager.default.fileExists(atPath: database) else { return false }
                return try count(database, "SELECT count(*) FROM scheduled_runs") == 1
                    && (try? String(contentsOfFile: "\(directory)/watch1.log", encoding: .utf8))?.contains("scheduled run of daily-check") == true
            }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(started)
            for name in ["watch2.log", "watch3.log"] {
                let again = try launch(["watch", "--once"], in: directory, environment: env, output: "\(directory)/\(name)")
                again.waitUntilExit()
                #expect(again.terminationStatus == 0)
            }
            #expect(try count(database, "SELECT count(*) FROM incidents") == 1)
            #expect(try sqlite(database, "SELECT runbook_id, slot, incident_id, late FROM scheduled_runs")
                    == "daily-check|1795737600000|INC-20261127-0001|0\n")
            let opening = try sqlite(database, """
                SELECT actor, json_extract(data, '$.title'), json_extract(data, '$.scheduled.at'), json_extract(data, '$.scheduled.late')
                FROM events WHERE type = 'incident.opened'
                """)
            #expect(opening == "schedule|일일 점검 (Daily check) — 2026-11-27 09:00|1795737600000|0\n")
            // No page at opening: nothing escalated.
            #expect(try count(database, "SELECT count(*) FROM events WHERE type = 'escalated'") == 0)
            let log = try String(contentsOfFile: "\(directory)/watch1.log", encoding: .utf8)
            #expect(log.contains("started INC-20261127-0001: scheduled run of daily-check for 2026-11-27 09:00"), "\(log)")
            let verify = try cli.run(["verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            // `runbook schedule` shows the run; the status header says it is a checklist.
            let schedule = try at(cli, "2026-11-27T00:05:00Z").run(["schedule"])
            #expect(schedule.stdout.contains("INC-20261127-0001 at 2026-11-27 09:00, open"), "\(schedule.stdout)")
            #expect(schedule.stdout.contains("2026-11-28 09:00 (in 23h 55m)"))
            let status = try at(cli, "2026-11-27T00:05:00Z").run(["watch", "--status"])
            #expect(status.stdout.contains("Next scheduled run: daily-check at 2026-11-28 09:00 (Asia/Seoul)."), "\(status.stdout)")
        }
    }

    /// The background watcher that `start` launches knows the runbooks folder it was given (`--runbooks`), and starts
    /// the scheduled runs of that folder on the real clock while it runs.
    @Test func theBackgroundWatcherStartsScheduledRunsOfTheFolderItWasGiven() throws {
        try withScheduledWorkspace { base, directory in
            try FileManager.default.copyItem(atPath: "\(directory)/runbooks", toPath: "\(directory)/ops")
            try dailyCheck.replacingOccurrences(of: "runbook: daily-check", with: "runbook: minute-check")
                .replacingOccurrences(of: "schedule: \"daily at 09:00\"", with: "schedule: every 1m")
                .write(toFile: "\(directory)/ops/minute-check.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "on"
            let start = try cli.run(["start", "security-incident", "--runbooks", "ops", "--no-guide", "--as", "kim"])
            #expect(start.status == 0, "\(start.stderr)")
            let pid = try #require(start.stderr.range(of: "started a background watcher (pid ").flatMap { range in
                Int32(start.stderr[range.upperBound...].prefix { $0.isNumber })
            }, "\(start.stderr)")
            defer {
                kill(pid, SIGTERM)
                _ = eventually(seconds: 10) { kill(pid, 0) != 0 }
            }
            let database = "\(directory)/incidents.db"
            #expect(try eventually(seconds: 30) { try count(database, "SELECT count(*) FROM scheduled_runs WHERE runbook_id = 'minute-check'") >= 1 })
            // The watcher logs the run after recording it: wait for the line rather than read the log at once.
            let logged = eventually(seconds: 10) {
                (try? String(contentsOfFile: "\(directory)/watch.log", encoding: .utf8))?.contains("scheduled run of minute-check") == true
            }
            #expect(logged, "\((try? String(contentsOfFile: "\(directory)/watch.log", encoding: .utf8)) ?? "")")
        }
    }

    /// A schedule added while the watcher sleeps (nothing due, no incident) wakes it: the run starts at its slot, not at
    /// the watcher's next wake (which, past the first hour, would never start it).
    @Test func aScheduleAddedWhileTheWatcherSleepsWakesIt() throws {
        try withScheduledWorkspace { _, directory in
            try FileManager.default.removeItem(atPath: "\(directory)/runbooks/daily-check.yaml")
            let watcher = try launch(["watch"], in: directory, environment: [:], output: "\(directory)/watch.log")
            defer {
                watcher.terminate()
                watcher.waitUntilExit()
            }
            let log = "\(directory)/watch.log"
            #expect(eventually(seconds: 10) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("watching") })
            // Its first pass (right after "watching") finds no schedule; then it sleeps with nothing due, for good.
            Thread.sleep(forTimeInterval: 2)
            try dailyCheck.replacingOccurrences(of: "runbook: daily-check", with: "runbook: minute-check")
                .replacingOccurrences(of: "schedule: \"daily at 09:00\"", with: "schedule: every 1m")
                .write(toFile: "\(directory)/runbooks/minute-check.yaml", atomically: true, encoding: .utf8)
            #expect(eventually(seconds: 20) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("scheduled run of minute-check") },
                    "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }

    /// A watcher that was down for days starts only the latest missed slot, recorded late, and says how many older
    /// ones it skipped; the run's missed deadline pages tier 1 once, never tier 2.
    @Test func aLateRunIsRecordedLateAndOlderMissedSlotsAreSkipped() throws {
        try withScheduledWorkspace { cli, directory in
            let database = "\(directory)/incidents.db"
            for (now, name) in [("2026-11-24T00:00:10Z", "w1.log"), ("2026-11-27T02:00:00Z", "w2.log"), ("2026-11-27T05:00:00Z", "w3.log")] {
                let watch = try launch(["watch", "--once"], in: directory, environment: ["RUNBOOK_NOW": now], output: "\(directory)/\(name)")
                watch.waitUntilExit()
                #expect(watch.terminationStatus == 0)
            }
            #expect(try sqlite(database, "SELECT slot, incident_id, late FROM scheduled_runs ORDER BY slot")
                    == "1795478400000|INC-20261124-0001|0\n1795737600000|INC-20261127-0001|1\n")
            let log = try String(contentsOfFile: "\(directory)/w2.log", encoding: .utf8)
            #expect(log.contains("started INC-20261127-0001: scheduled run of daily-check for 2026-11-27 09:00, late; "
                                 + "2 older missed runs were skipped, not replayed"), "\(log)")
            // Each run's 30m deadline paged the on-call once; the manager never.
            #expect(try sqlite(database, "SELECT incident_id, json_extract(data, '$.tier'), json_extract(data, '$.roles[0]') FROM events WHERE type = 'escalated' ORDER BY 1")
                    == "INC-20261124-0001|1|oncall\nINC-20261127-0001|1|oncall\n")
            let status = try at(cli, "2026-11-27T05:00:00Z").run(["status", "INC-20261127-0001"])
            #expect(status.stdout.contains("checklist"), "\(status.stdout)")
            // A checklist run's report is its run record.
            let report = try at(cli, "2026-11-27T05:00:00Z").run(["report", "INC-20261127-0001"])
            #expect(report.stdout.hasPrefix("# Checklist run record: 일일 점검 (Daily check) — 2026-11-27 09:00"), "\(report.stdout.prefix(200))")
            // The review leaves both runs out of its incident figures and counts them apart.
            let stats = try at(cli, "2026-11-27T05:00:00Z").run(["stats", "--format", "json"])
            let review = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
            #expect(review["checklist_runs"] as? Int == 2)
            #expect((review["overall"] as? [String: Any])?["incidents"] as? Int == 0)
            let markdown = try at(cli, "2026-11-27T05:00:00Z").run(["stats"])
            #expect(markdown.stdout.contains("2 routine check runs (kind: checklist) in this period, not counted as incidents."))
            // The scheduled-run rows are a projection of the openings: verify finds one edited behind runbook's back.
            #expect(try cli.run(["verify"]).status == 0)
            _ = try sqlite(database, "UPDATE scheduled_runs SET late = 0 WHERE incident_id = 'INC-20261127-0001'")
            let verify = try cli.run(["verify"])
            #expect(verify.status != 0)
            #expect((verify.stdout + verify.stderr).contains("scheduled run"), "\(verify.stdout)\(verify.stderr)")
            _ = try sqlite(database, "UPDATE scheduled_runs SET late = 1 WHERE incident_id = 'INC-20261127-0001'")
            let resolve = try at(cli, "2026-11-27T05:00:00Z").run(["resolve", "INC-20261127-0001", "--as", "kim"])
            #expect(resolve.status == 64)
            #expect(resolve.stderr.contains("is a checklist run: it is not resolved"))
            // Started by hand: no severity; its status JSON says what it is.
            let severity = try at(cli, "2026-11-27T05:00:00Z").run(["start", "daily-check", "--severity", "SEV1", "--no-guide", "--as", "kim"])
            #expect(severity.status == 64)
            #expect(severity.stderr.contains("daily-check is a checklist: a routine check has no severity; start it without --severity"))
            let json = try at(cli, "2026-11-27T05:00:00Z").run(["status", "INC-20261127-0001", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["kind"] as? String == "checklist")
            #expect(object["severity"] is NSNull)
            #expect((object["scheduled"] as? [String: Any])?["late"] as? Bool == true)
        }
    }
}
