import Foundation
import RunbookTestSupport
import Testing

/// Runs the sqlite3 shell on a database (for tampering behind runbook's back).
func sqlite(_ database: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [database, sql]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite struct IncidentCommandsTests {
    @Test func aWholeSecurityIncidentFromStartToClose() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            // The system's own programs only: `vercel` is not found, whatever this machine has installed.
            cli.environment["PATH"] = "/usr/bin:/bin"
            let start = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status == 0)
            #expect(start.stdout == "INC-20261126-0001\n")
            let id = "INC-20261126-0001"
            #expect(FileManager.default.fileExists(atPath: "\(directory)/incidents.db"))
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/incidents.db")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            func act(_ arguments: [String], at time: String, as actor: String = "kim") throws -> CLIResult {
                var c = cli
                c.environment["RUNBOOK_NOW"] = time
                return try c.run(arguments + ["--as", actor])
            }
            #expect(try act(["ack", id], at: "2026-11-26T01:01:00Z").status == 0)
            #expect(try act(["step", id, "confirm-alert", "done", "--note", "Sentry: 로그인 실패 급증"], at: "2026-11-26T01:02:00Z").status == 0)
            let severity = try act(["input", id, "severity", "SEV1"], at: "2026-11-26T01:03:00Z")
            #expect(severity.stdout.contains("entered stage `isolate` 격리 (Isolate)"))
            #expect(try act(["step", id, "block", "done"], at: "2026-11-26T01:05:00Z").status == 0)
            #expect(try act(["input", id, "deployment", "erp-abc.vercel.app"], at: "2026-11-26T01:05:00Z").status == 0)
            // The evidence command cannot run here (no Vercel CLI on the PATH): exit 1, the failed attempt is
            // recorded and the step waits for a decision.
            let evidence = try act(["run", id, "preserve-evidence"], at: "2026-11-26T01:06:00Z")
            #expect(evidence.status == 1)
            #expect(evidence.stderr.hasPrefix("runbook: error: step `preserve-evidence` could not run: command not found: vercel (exit 127) "
                                              + "(stderr: /bin/sh: 1: vercel: not found); it waits for your decision: run it again"))
            // Skipping a failed step needs a note.
            let bare = try act(["step", id, "preserve-evidence", "skip"], at: "2026-11-26T01:07:00Z")
            #expect(bare.status == 64)
            #expect(bare.stderr == "runbook: error: cannot skip step `preserve-evidence` without a note: its command failed (attempt 1: could not run: command not found: vercel (exit 127)); say why with --note TEXT\n")
            #expect(try act(["step", id, "preserve-evidence", "skip", "--note", "copied by hand"], at: "2026-11-26T01:08:00Z").status == 0)
            for step in ["supabase-logs", "sentry-events"] {
                #expect(try act(["step", id, step, "done"], at: "2026-11-26T01:09:00Z").status == 0)
            }
            for step in ["root-cause", "response-plan"] {
                #expect(try act(["step", id, step, "done"], at: "2026-11-26T01:20:00Z").status == 0)
            }
            #expect(try act(["input", id, "affected-scope", "users table"], at: "2026-11-26T01:21:00Z").status == 0)
            let refused = try act(["approve", id, "approve-plan"], at: "2026-11-26T01:22:00Z", as: "kim")
            #expect(refused.status == 1)
            #expect(refused.stderr == "runbook: error: kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi may approve approval `approve-plan` (anyone on the roster may break the glass with --break-glass --reason TEXT)\n")
            #expect(try act(["approve", id, "approve-plan"], at: "2026-11-26T01:23:00Z", as: "choi").status == 0)
            #expect(try act(["step", id, "restore-system", "done"], at: "2026-11-26T01:50:00Z").status == 0)
            #expect(try act(["step", id, "check-service", "skip", "--note", "no network here"], at: "2026-11-26T01:55:00Z").status == 0)
            #expect(try act(["note", id, "action: rotate API keys (owner: park)"], at: "2026-11-26T02:00:00Z").status == 0)
            #expect(try act(["step", id, "write-report", "done"], at: "2026-11-26T10:00:00Z").status == 0)
            let last = try act(["step", id, "prevent-recurrence", "done"], at: "2026-11-26T10:05:00Z")
            #expect(last.stdout.contains("incident closed"))

            let status = try cli.run(["status", id, "--json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(json["status"] as? String == "closed")
            #expect(json["severity"] as? String == "SEV1")
            #expect(json["resolved_at"] as? String == "2026-11-26T01:55:00.000Z")
            #expect(json["participants"] as? [String] == ["kim", "choi"])

            var late = cli
            late.environment["RUNBOOK_NOW"] = "2026-11-26T10:06:00Z"
            let timeline = try late.run(["timeline", id])
            #expect(timeline.status == 0)
            let lines = timeline.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "2026-11-26 01:00:00 UTC  #1  kim  incident opened from runbook security-incident (SEV2): 보안 사고 대응 (Security incident response)")
            #expect(lines.contains("2026-11-26 01:22:00 UTC  #30  kim  approval of `approve-plan` 대응 방안 승인 (Approve the response) refused: kim does not hold the role `manager` in the roster"))
            #expect(lines.contains("2026-11-26 01:23:00 UTC  #31  choi  approved `approve-plan` 대응 방안 승인 (Approve the response) as manager"))
            #expect(lines.last == "2026-11-26 10:05:00 UTC  #44  kim  incident closed")

            let verify = try late.run(["verify", id])
            #expect(verify.status == 0)
            #expect(verify.stdout.hasPrefix("\(id): 44 events, hash chain intact; checkpoint \(id)#44:"))
        }
    }

    @Test func verifyNamesTheFirstTamperedEvent() throws {
        try withWorkspace { cli, directory in
            let id = try cli.run(["start", "security-incident", "--no-guide"]).stdout.trimmingCharacters(in: .newlines)
            for index in 0..<5 { try cli.run(["note", id, "note \(index)"]) }
            let database = "\(directory)/incidents.db"
            #expect(try sqlite(database, "UPDATE events SET data = '{}' WHERE sequence = 3").isEmpty)
            #expect(try sqlite(database, "SELECT data FROM events WHERE incident_id = '\(id)' AND sequence = 3") != "{}\n",
                    "the triggers refuse the edit")
            _ = try sqlite(database, """
                DROP TRIGGER events_refuse_update;
                UPDATE events SET data = '{"text":"nothing happened"}' WHERE incident_id = '\(id)' AND sequence = 4;
                """)
            let verify = try cli.run(["verify"])
            #expect(verify.status == 1)
            // The row's due time is the detect deadline the intact log gave; the tampered log folds to no stage at all.
            let nextDue = verify.stderr.components(separatedBy: "says next due ").dropFirst().first?.components(separatedBy: ",").first ?? "?"
            #expect(verify.stderr == """
                \(id): hash chain broken at event 4: event 4 was altered after it was recorded
                \(id): the incident row says stage detect, its events say (none)
                \(id): the incident row says next due \(nextDue), its events say never
                incidents.db: the append-only guard events_refuse_update is missing: events can be edited or deleted without a trace
                runbook: error: 1 of 1 incident failed verification and the database itself was altered; the log was altered outside runbook (actions still work; every view shows where the log breaks)

                """)
        }
    }

    @Test func scriptedNotesAndUndoKeepTheirTextOnTheirLine() throws {
        try withWorkspace { cli, _ in
            let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .newlines)
            let script = """
                note
                done
                undo
                undo marked the wrong step
                quit
                """
            let result = try cli.run(["guide", id, "--as", "kim"], input: script)
            #expect(result.status == 1)
            // A bare `note` never takes the next line (`done`) as its text: the next line is the next action.
            #expect(result.stderr.contains("runbook: error: write the note on the same line: note TEXT (nothing recorded)"))
            #expect(result.stdout.contains("step `confirm-alert` 알림 확인 (Confirm the alert) done"))
            #expect(result.stderr.contains("runbook: error: undo needs a note saying what was wrong: undo TEXT"))
            #expect(result.stdout.contains("correction: the mark on step `confirm-alert` 알림 확인 (Confirm the alert) was undone: marked the wrong step"))
            let timeline = try cli.run(["timeline", id, "--json"])
            #expect(!timeline.stdout.contains("\"type\": \"note.added\""))
        }
    }

    @Test func scriptedGuidedSession() throws {
        try withWorkspace { cli, _ in
            let id = try cli.run(["start", "security-incident"]).stdout.trimmingCharacters(in: .newlines)
            let script = """
                done 알림 확인함
                input SEV2
                # isolate
                done
                input erp-abc.vercel.app
                run
                y
                select preserve-evidence
                skip copied by hand
                done
                done
                bogus
                quit
                """
            let result = try cli.run(["guide", id, "--as", "park"], input: script)
            #expect(result.status == 1, "a refused or failed action makes the session's exit status 1")
            #expect(result.stdout.contains("step `confirm-alert` 알림 확인 (Confirm the alert) done: 알림 확인함"))
            #expect(result.stdout.contains("Stage 2 of 5: 격리 (Isolate)"))
            #expect(result.stdout.contains("Run `vercel logs \"$RUNBOOK_VAR_DEPLOYMENT\" > \"evidence-vercel-$(date +%Y%m%d_%H%M%S).log\"` (timeout 6m)? [y/N]"))
            #expect(result.stdout.contains("step `preserve-evidence` 증거 보존: Vercel 함수 로그 (Preserve evidence: Vercel function logs) skipped: copied by hand"))
            #expect(result.stdout.contains("Stage 3 of 5: 분석 (Analyze)"))
            #expect(result.stderr.contains("runbook: error: unknown action `bogus`"))
            // Resuming shows where the incident stands.
            let resumed = try cli.run(["guide", id], input: "quit\n")
            #expect(resumed.status == 0)
            #expect(resumed.stdout.contains("Stage 3 of 5: 분석 (Analyze)"))
        }
    }

    @Test func twoProcessesAppendingAtOnceLoseNothing() throws {
        try withWorkspace { cli, directory in
            let id = try cli.run(["start", "security-incident"]).stdout.trimmingCharacters(in: .newlines)
            let opening = Int(try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events").trimmingCharacters(in: .newlines)) ?? 0
            let executable = CLIRunner.executable
            var processes: [Process] = []
            for name in ["kim", "lee"] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["guide", id, "--as", name]
                process.currentDirectoryURL = URL(fileURLWithPath: directory)
                var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") }
                environment["RUNBOOK_WATCHER"] = "off"
                process.environment = environment
                let input = Pipe()
                process.standardInput = input
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let lines = (0..<500).map { "note \(name) \($0)" }.joined(separator: "\n") + "\nquit\n"
                input.fileHandleForWriting.write(Data(lines.utf8))
                try input.fileHandleForWriting.close()
                processes.append(process)
            }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }
            let verify = try cli.run(["verify", id])
            #expect(verify.stdout.hasPrefix("\(id): \(opening + 1000) events, hash chain intact; checkpoint"))
            let sequences = try sqlite("\(directory)/incidents.db", "SELECT min(sequence), max(sequence), count(*) FROM events WHERE incident_id = '\(id)'")
            #expect(sequences == "1|\(opening + 1000)|\(opening + 1000)\n")
            for name in ["kim", "lee"] {
                let count = try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events WHERE actor = '\(name)' AND type = 'note.added'")
                #expect(count == "500\n")
            }
        }
    }

    @Test func badInputChangesNothing() throws {
        try withWorkspace { cli, directory in
            // A read-only command never creates a database.
            let noDatabase = try cli.run(["status", "INC-20991231-0001"])
            #expect(noDatabase.status == 64)
            #expect(noDatabase.stderr == "runbook: error: no database at incidents.db; check --db or RUNBOOK_DB (only `runbook start`, `drill` and `watch` create one)\n")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/incidents.db"))
            let id = try cli.run(["start", "security-incident"]).stdout.trimmingCharacters(in: .newlines)
            let unknown = try cli.run(["status", "INC-20991231-0001"])
            #expect(unknown.status == 64)
            #expect(unknown.stderr.hasPrefix("runbook: error: no incident INC-20991231-0001 in this database"))
            let before = try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events")
            let wrongStep = try cli.run(["step", id, "confrim-alert", "done"])
            #expect(wrongStep.status == 64)
            #expect(wrongStep.stderr == "runbook: error: cannot mark step `confrim-alert` done: no step `confrim-alert` in state `detect`; did you mean `confirm-alert`?\n")
            let badOutcome = try cli.run(["step", id, "confirm-alert", "finished"])
            #expect(badOutcome.status == 64)
            var past = cli
            past.environment["RUNBOOK_NOW"] = "2020-01-01T00:00:00Z"
            let early = try past.run(["note", id, "x"])
            #expect(early.status == 64)
            #expect(early.stderr.hasPrefix("runbook: error: the time now (2020-01-01T00:00:00.000Z) is earlier than incident \(id)'s last event"))
            let future = try cli.run(["note", id, "x", "--at", "2099-01-01 10:00"])
            #expect(future.status == 64)
            #expect(try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events") == before)
        }
    }

    @Test func aDamagedDatabaseIsAClearErrorAndIsLeftAlone() throws {
        try withWorkspace { cli, directory in
            let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            try garbage.write(to: URL(fileURLWithPath: "\(directory)/incidents.db"))
            let result = try cli.run(["status"])
            #expect(result.status == 65)
            #expect(result.stderr.hasPrefix("runbook: error: incidents.db is not a runbook database"))
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/incidents.db")) == garbage)
        }
    }

    @Test func undoAMistakenMarkAndReopenAResolvedIncident() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let id = "INC-20261126-0001"
            #expect(try cli.run(["start", "security-incident", "--as", "kim"]).status == 0)
            #expect(try cli.run(["step", id, "confirm-alert", "done", "--as", "kim"]).status == 0)
            // An undo says why.
            let bare = try cli.run(["step", id, "confirm-alert", "undo", "--as", "kim"])
            #expect(bare.status == 64)
            #expect(bare.stderr.contains("undo needs --note saying what was wrong"))
            let undo = try cli.run(["step", id, "confirm-alert", "undo", "--note", "it was a test alert", "--as", "kim"])
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(undo.stdout.contains("correction: the mark on step `confirm-alert` 알림 확인 (Confirm the alert) was undone: it was a test alert"))
            let status = try cli.run(["status", id, "--json"])
            #expect(status.stdout.contains("\"kind\": \"correction\""))
            // Nothing to undo now: refused, and the log unchanged.
            let again = try cli.run(["step", id, "confirm-alert", "undo", "--note", "twice", "--as", "kim"])
            #expect(again.status == 64)
            #expect(again.stderr == "runbook: error: step `confirm-alert` has no mark to undo (it is pending)\n")

            // Reopen: refused while open; needs a reason; a resolved incident runs again.
            let open = try cli.run(["reopen", id, "--reason", "x", "--as", "kim"])
            #expect(open.status == 1)
            #expect(open.stderr.contains("is open; there is nothing to reopen"))
            #expect(try cli.run(["resolve", id, "--as", "kim"]).status == 0)
            let missing = try cli.run(["reopen", id, "--as", "kim"])
            #expect(missing.status == 64)
            let reopened = try cli.run(["reopen", "1", "--reason", "errors came back", "--as", "kim"])
            #expect(reopened.status == 0, "\(reopened.stderr)")
            #expect(reopened.stdout.contains("incident reopened: errors came back"))
            let after = try cli.run(["status", id, "--json"])
            #expect(after.stdout.contains("\"status\": \"open\""))
            #expect(after.stdout.contains("\"kind\": \"reopened\""))
            // Both are findings of the post-mortem.
            let report = try cli.run(["report", id])
            let findings = report.stdout.components(separatedBy: "## Findings").last?.components(separatedBy: "## Summary").first ?? ""
            #expect(findings.contains("kim undid the mark on step `confirm-alert`: it was a test alert"), "\(report.stdout)")
            #expect(findings.contains("reopened by kim: errors came back"))
        }
    }

    @Test func shortIncidentIdsNameTodaysNumberOrAnUnambiguousEnd() throws {
        try withWorkspace { base, _ in
            var yesterday = base
            yesterday.environment["RUNBOOK_NOW"] = "2026-11-25T09:00:00Z"
            var today = base
            today.environment["RUNBOOK_NOW"] = "2026-11-26T09:00:00Z"
            #expect(try yesterday.run(["start", "rollback", "--as", "kim"]).stdout == "INC-20261125-0001\n")
            #expect(try today.run(["start", "rollback", "--as", "kim"]).stdout == "INC-20261126-0001\n")
            #expect(try today.run(["start", "rollback", "--as", "kim"]).stdout == "INC-20261126-0002\n")
            // A number is today's incident.
            #expect(try today.run(["status", "1"]).stdout.hasPrefix("INC-20261126-0001 "))
            #expect(try today.run(["note", "2", "by number", "--as", "kim"]).stdout.hasPrefix("INC-20261126-0002 #"))
            // An end of the id that only one incident has.
            #expect(try today.run(["timeline", "1125-0001"]).stdout.contains("incident opened from runbook rollback"))
            // An end two incidents share is refused, naming them (a day later, `0001` is no longer today's).
            var nextDay = base
            nextDay.environment["RUNBOOK_NOW"] = "2026-11-27T00:30:00Z"
            let ambiguous = try nextDay.run(["status", "0001"])
            #expect(ambiguous.status == 64)
            #expect(ambiguous.stderr == "runbook: error: `0001` could be 2 incidents (INC-20261126-0001, INC-20261125-0001); give more of the id\n")
        }
    }
}

