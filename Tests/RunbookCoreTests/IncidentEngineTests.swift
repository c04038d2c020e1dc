import RunbookCore
import RunbookTestSupport
import Testing

/// A runbook with every step kind and transition.
let engineRunbook = """
    runbook: test
    title: "테스트 사고 (Test incident)"
    severity: SEV3
    roles:
      oncall: { title: On-call }
      manager: { title: Manager }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: detect
    states:
      detect:
        title: "탐지 (Detect)"
        deadline: 5m
        steps:
          - { id: confirm, title: Confirm }
          - { id: severity, title: Severity, input: { choices: [SEV1, SEV2, SEV3] }, sets: severity }
        next: isolate
      isolate:
        deadline: 15m
        steps:
          - { id: block, title: Block }
          - { id: evidence, title: Evidence, run: "tar czf e.tgz /var/log", timeout: 2m }
        next: decide
        on_fail: escalate
      decide:
        steps:
          - { id: path, title: Path, input: { choices: [fast, slow] }, goto: { fast: recover } }
          - { id: sign, title: Sign-off, approve: { role: manager, min: 2 } }
        next: recover
        on_fail: recover
      recover:
        deadline: 1h
        steps:
          - { id: monitor, title: Monitor, wait: 30m }
        resolves: true
        next: follow-up
      follow-up:
        deadline: 24h
        steps:
          - { id: report, title: Report }
        end: true

    """

func harness() throws -> EngineHarness {
    try EngineHarness(yaml: engineRunbook, roster: ["choi": ["manager"], "cto": ["manager"]])
}

func sample(exit: Int32?, timedOut: Bool = false) -> CommandOutcome {
    let empty = CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: EventChain.sha256(""))
    return CommandOutcome(exitCode: exit, timedOut: timedOut, durationMilliseconds: 1200, stdout: empty, stderr: empty)
}

@Suite struct IncidentEngineTests {
    @Test func openingEntersTheInitialState() throws {
        let h = try harness()
        #expect(h.events.map(\.event) == [
            .opened(runbookID: "test", runbookSHA256: EventChain.sha256(engineRunbook), title: "테스트 사고 (Test incident)",
                    severity: "SEV3", drill: false),
            .escalationStarted(episode: 1, cause: "incident opened, not yet acknowledged", scope: .unacknowledged, baseAt: h.now),
            .stateEntered(state: "detect", reason: .initial, from: nil),
        ])
        #expect(h.state.stateID == "detect")
        #expect(h.state.status == .open)
        #expect(h.state.steps.isEmpty)
        #expect(h.state.severity == "SEV3")
        #expect(h.state.participants == ["kim"])
        #expect(h.state.stageDeadline(in: h.runbook) == h.now + .minutes(5))
    }

    @Test func completingAStageMovesToNextAndSeverityInputChangesSeverity() throws {
        var h = try harness()
        #expect(try h.send(.mark(step: "confirm", .done, note: "seen")) == [.stepDone(state: "detect", step: "confirm", note: "seen")])
        #expect(h.state.stateID == "detect")
        h.advance(by: .minutes(2))
        #expect(try h.send(.input(step: "severity", value: " SEV1 "), as: "lee") == [
            .inputRecorded(state: "detect", step: "severity", value: "SEV1"),
            .stepDone(state: "detect", step: "severity", note: nil),
            .severityChanged(from: "SEV3", to: "SEV1"),
            .stateCompleted(state: "detect"),
            .stateEntered(state: "isolate", reason: .next, from: "detect"),
        ])
        #expect(h.state.stateID == "isolate")
        #expect(h.state.severity == "SEV1")
        #expect(h.state.steps.isEmpty)
        #expect(h.state.variables == ["severity": "SEV1"])
        #expect(h.state.participants == ["kim", "lee"])
        #expect(h.state.enteredAt == h.now)
        #expect(h.state.visits.map(\.state) == ["detect", "isolate"])
        #expect(h.state.visits[0].completed?.by == "lee")
    }

    @Test func commandStepSuccessAndFailure() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.mark(step: "block", .done, note: nil))
        #expect(try h.send(.startCommand(step: "evidence", pid: 42))
                == [.commandStarted(state: "isolate", step: "evidence", command: "tar czf e.tgz /var/log", pid: 42)])
        #expect(h.state.steps["evidence"]?.status == .running)
        #expect(throws: Refusal("step `evidence` is already running (started by kim at 01:00:00)")) {
            try h.send(.startCommand(step: "evidence", pid: 43))
        }
        // A failed run is an attempt: the step waits for a decision, the incident stays, on_fail is not followed.
        #expect(try h.send(.finishCommand(step: "evidence", outcome: sample(exit: 2))) == [
            .commandFinished(state: "isolate", step: "evidence", outcome: sample(exit: 2)),
            .attemptFailed(state: "isolate", step: "evidence", note: "exit code 2, expected 0"),
        ])
        #expect(h.state.stateID == "isolate")
        #expect(h.state.steps["evidence"]?.status == .attemptFailed)
        #expect(h.state.steps["evidence"]?.attempts == 1)
        // A failed command may be run again; success completes the stage.
        try h.send(.startCommand(step: "evidence", pid: 44))
        #expect(try h.send(.finishCommand(step: "evidence", outcome: sample(exit: 0))) == [
            .commandFinished(state: "isolate", step: "evidence", outcome: sample(exit: 0)),
            .stepDone(state: "isolate", step: "evidence", note: nil),
            .stateCompleted(state: "isolate"),
            .stateEntered(state: "decide", reason: .next, from: "isolate"),
        ])
    }

    @Test func anAbandonedRunMayBeStartedAgain() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.startCommand(step: "evidence", pid: 42, startTime: 9_000))
        #expect(h.state.steps["evidence"]?.pidStartTime == 9_000)
        let gone = ProcessCheck(pid: 42, startTime: 9_000, alive: false)
        #expect(try h.send(.startCommand(step: "evidence", pid: 50, startTime: 9_500, previousRun: gone))
                == [.commandStarted(state: "isolate", step: "evidence", command: "tar czf e.tgz /var/log", pid: 50, startTime: 9_500)])
        #expect(h.state.steps["evidence"]?.pid == 50)
        #expect(h.state.steps["evidence"]?.pidStartTime == 9_500)
    }

    @Test func aRunWhoseGroupIsAliveIsRefusedNamingItsProcess() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.startCommand(step: "evidence", pid: 42, startTime: 9_000))
        let refusal = Refusal(.commandStillRunning(incident: "INC-TEST-0001", step: "evidence", pid: 42, startTime: 9_000,
                                                   startedBy: "kim", startedAt: "01:00:00"))
        #expect(throws: refusal) {
            try h.send(.startCommand(step: "evidence", pid: 50, previousRun: ProcessCheck(pid: 42, startTime: 9_000, alive: true)))
        }
        #expect(refusal.message == "step `evidence` is still running: its command's process group (pid 42, start time 9000 "
                + "(clock ticks since boot)) is alive, started by kim at 01:00:00; wait for it to end or time out, "
                + "or end it with runbook run INC-TEST-0001 evidence --kill-stale")
        // A check of another process (a run recorded since it was made) proves nothing about this one.
        #expect(throws: Refusal("step `evidence` is already running (started by kim at 01:00:00)")) {
            try h.send(.startCommand(step: "evidence", pid: 50, previousRun: ProcessCheck(pid: 42, startTime: 8_000, alive: false)))
        }
        #expect(throws: Refusal("step `evidence` is already running (started by kim at 01:00:00)")) {
            try h.send(.startCommand(step: "evidence", pid: 50, previousRun: ProcessCheck(pid: 41, startTime: 9_000, alive: false)))
        }
    }

    @Test func theResultOfAReplacedRunIsNotRecordedOnItsReplacement() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.startCommand(step: "evidence", pid: 42, startTime: 9_000))
        var stale = sample(exit: nil)
        stale.interruption = .killedAsStale
        try h.send(.finishCommand(step: "evidence", outcome: stale, pid: 42))
        try h.send(.startCommand(step: "evidence", pid: 50, startTime: 9_500))
        // The first run's runbook, stopped while --kill-stale ended its group, comes back and reports.
        #expect(throws: Refusal("the run of step `evidence` led by pid 42 was replaced by a later run (pid 50, started by kim at "
                                + "01:00:00); its result is not recorded")) {
            try h.send(.finishCommand(step: "evidence", outcome: sample(exit: nil), pid: 42))
        }
        #expect(try h.send(.finishCommand(step: "evidence", outcome: sample(exit: 0), pid: 50)).contains(
            .stepDone(state: "isolate", step: "evidence", note: nil)))
    }

    @Test func anInterruptedRunIsAFailedAttempt() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.startCommand(step: "evidence", pid: 42, startTime: 9_000))
        var outcome = sample(exit: 0)
        outcome.interruption = .signal(15)
        let events = try h.send(.finishCommand(step: "evidence", outcome: outcome))
        #expect(events.last == .attemptFailed(state: "isolate", step: "evidence",
                                              note: "interrupted: runbook received SIGTERM and ended the command's process group"))
        #expect(h.state.stateID == "isolate")
        #expect(h.state.steps["evidence"]?.status == .attemptFailed)
    }

    @Test func timedOutCommandFailsWithItsTimeout() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.startCommand(step: "evidence", pid: 1))
        let events = try h.send(.finishCommand(step: "evidence", outcome: sample(exit: nil, timedOut: true)))
        #expect(events.last == .attemptFailed(state: "isolate", step: "evidence", note: "timed out after 2m"))
    }

    @Test func gotoChoiceBranchesAndWaitStepStarts() throws {
        var h = try moveToDecide()
        #expect(try h.send(.input(step: "path", value: "fast")) == [
            .inputRecorded(state: "decide", step: "path", value: "fast"),
            .stepDone(state: "decide", step: "path", note: nil),
            .stateEntered(state: "recover", reason: .goto, from: "decide"),
            .stepStarted(state: "recover", step: "monitor"),
        ])
        #expect(h.state.steps["monitor"]?.status == .running)
        #expect(throws: Refusal("step `monitor` waits 30m and completes by itself; skip it to move on sooner", kind: .usage)) {
            try h.send(.mark(step: "monitor", .done, note: nil))
        }
        // Skipping the wait completes the resolving stage: resolved, then the follow-up.
        #expect(try h.send(.mark(step: "monitor", .skip, note: "stable")) == [
            .stepSkipped(state: "recover", step: "monitor", note: "stable"),
            .stateCompleted(state: "recover"),
            .resolved(note: nil),
            .stateEntered(state: "follow-up", reason: .next, from: "recover"),
        ])
        #expect(h.state.status == .resolved)
        #expect(try h.send(.mark(step: "report", .done, note: nil)) == [
            .stepDone(state: "follow-up", step: "report", note: nil),
            .stateCompleted(state: "follow-up"),
            .closed,
        ])
        #expect(h.state.status == .closed)
        #expect(h.state.isClosed)
        #expect(throws: Refusal("incident INC-TEST-0001 was closed by kim at 01:00:00; only notes can be added, or reopen it: runbook reopen INC-TEST-0001 --reason \"…\"")) {
            try h.send(.mark(step: "report", .done, note: nil))
        }
        #expect(try h.send(.note("action: rotate the API keys")) == [.noteAdded(text: "action: rotate the API keys")])
    }

    @Test func onFailMovesToItsState() throws {
        var h = try moveToDecide()
        #expect(try h.send(.mark(step: "path", .fail, note: "no decision")) == [
            .stepFailed(state: "decide", step: "path", note: "no decision"),
            .stateEntered(state: "recover", reason: .onFail, from: "decide"),
            .stepStarted(state: "recover", step: "monitor"),
        ])
        #expect(h.state.visits.last(where: { $0.state == "decide" })?.failedSteps == ["path"])
    }

    @Test func approvalsNeedRoleAndDistinctApprovers() throws {
        var h = try moveToDecide()
        try h.send(.input(step: "path", value: "slow"))
        #expect(throws: Refusal(.notRoleHolder(actor: "kim", action: .approve, step: "sign", role: RoleRef(id: "manager", title: "Manager"),
                                               holders: ["choi", "cto"]),
                                record: [.approvalRefused(state: "decide", step: "sign", role: "manager",
                                                          reason: "kim does not hold the role `manager` in the roster")])) {
            try h.send(.approve(step: "sign"))
        }
        #expect(h.events.last?.event == .approvalRefused(state: "decide", step: "sign", role: "manager",
                                                         reason: "kim does not hold the role `manager` in the roster"))
        #expect(try h.send(.approve(step: "sign"), as: "choi") == [.approvalGiven(state: "decide", step: "sign", role: "manager")])
        #expect(h.state.steps["sign"]?.status == .pending)
        #expect(throws: Refusal("choi already approved step `sign` at 01:00:00; it needs 2 different approvers")) {
            try h.send(.approve(step: "sign"), as: "choi")
        }
        #expect(try h.send(.approve(step: "sign"), as: "cto") == [
            .approvalGiven(state: "decide", step: "sign", role: "manager"),
            .stepDone(state: "decide", step: "sign", note: nil),
            .stateCompleted(state: "decide"),
            .stateEntered(state: "recover", reason: .next, from: "decide"),
            .stepStarted(state: "recover", step: "monitor"),
        ])
    }

    @Test(arguments: [
        (IncidentCommand.mark(step: "confirm", .done, note: nil),
         "cannot mark step `confirm` done: state `detect` was left at 01:10:00 by lee (completed); the incident is now in `isolate`"),
        (.mark(step: "blok", .done, note: nil), "cannot mark step `blok` done: no step `blok` in state `isolate`; did you mean `block`?"),
        (.mark(step: "zzz", .done, note: nil), "cannot mark step `zzz` done: no step `zzz` in state `isolate`; its steps are block, evidence"),
        (.mark(step: "evidence", .done, note: nil),
         "step `evidence` is a command; run it with `runbook run INC-TEST-0001 evidence`, or skip it with a note"),
        (.mark(step: "path", .done, note: nil),
         "cannot mark step `path` done: it belongs to state `decide`, and the incident is in `isolate`"),
        (.input(step: "block", value: "x"), "step `block` is not an input step (it is a manual step)"),
        (.acknowledge, "nothing to acknowledge in incident INC-TEST-0001: it was acknowledged by kim at 01:10:00 and no escalation is paging now"),
        (.changeSeverity("SEV9"), "unknown severity `SEV9`; use one of SEV1, SEV2, SEV3, SEV4"),
        (.note("   "), "the note is empty; write what happened"),
    ])
    func refusalsExplainThemselves(_ command: IncidentCommand, _ message: String) throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        h.advance(by: .minutes(10))
        try h.send(.input(step: "severity", value: "SEV2"), as: "lee")
        try h.send(.acknowledge)
        do {
            try h.send(command)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func aStaleActionIsRefusedWithWhoChangedIt() throws {
        var h = try harness()
        try h.send(.mark(step: "confirm", .fail, note: "false alarm?"), as: "park")
        do {
            try h.send(.mark(step: "confirm", .done, note: nil), as: "kim")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.message == "cannot mark step `confirm` done without a note: it was marked failed by park at 01:00:00: false alarm?; "
                    + "say what was checked instead with --note TEXT")
        }
        // Skipping a failed step is an informed override and is allowed.
        #expect(try h.send(.mark(step: "confirm", .skip, note: "checked: real"), as: "kim").first
                == .stepSkipped(state: "detect", step: "confirm", note: "checked: real"))
    }

    @Test func actionsEnteredAfterTheFactKeepBothTimes() throws {
        var h = try harness()
        h.advance(by: .minutes(20))
        let earlier = h.now + RunbookDuration(seconds: -15 * 60)
        try h.send(.mark(step: "confirm", .done, note: nil), at: earlier)
        let last = try #require(h.events.last)
        #expect(last.occurredAt == earlier)
        #expect(last.record.recordedAt == h.now)
        #expect(h.state.steps["confirm"]?.finished?.at == earlier)
    }

    @Test func replayGivesTheSameState() throws {
        var h = try moveToDecide()
        try h.send(.input(step: "path", value: "fast"))
        try h.send(.note("노트 (note) with \"quotes\" and \\ backslash"))
        #expect(IncidentState.replay(h.events) == h.state)
    }

    func moveToDecide() throws -> EngineHarness {
        var h = try harness()
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.mark(step: "block", .done, note: nil))
        try h.send(.mark(step: "evidence", .skip, note: "done by hand"))
        #expect(h.state.stateID == "decide")
        return h
    }
}

@Suite struct IncidentEventCodingTests {
    static let all: [IncidentEvent] = [
        .opened(runbookID: "r", runbookSHA256: "abc", title: "제목 \"t\"", severity: "SEV1", drill: true),
        .stateEntered(state: "a", reason: .onTimeout, from: "b"),
        .stateEntered(state: "a", reason: .initial, from: nil),
        .stateCompleted(state: "a"),
        .stepStarted(state: "a", step: "s"),
        .stepDone(state: "a", step: "s", note: "n\nline"),
        .stepSkipped(state: "a", step: "s", note: nil),
        .stepFailed(state: "a", step: "s", note: "x"),
        .commandStarted(state: "a", step: "s", command: "echo \"$X\"", pid: 7),
        .commandStarted(state: "a", step: "s", command: "sleep 30", pid: 4_242, startTime: 1_234_567),
        .commandFinished(state: "a", step: "s", outcome: CommandOutcome(
            exitCode: nil, signal: 15, interruption: .signal(15), durationMilliseconds: 5,
            stdout: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: "e"),
            stderr: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: "e"))),
        .commandFinished(state: "a", step: "s", outcome: CommandOutcome(
            exitCode: nil, interruption: .killedAsStale, durationMilliseconds: 5,
            stdout: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: "e"),
            stderr: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: "e"))),
        .commandFinished(state: "a", step: "s", outcome: CommandOutcome(
            exitCode: nil, signal: 9, timedOut: true, durationMilliseconds: 5,
            stdout: CapturedOutput(head: "h", tail: "t", totalBytes: 99, sha256: "d"),
            stderr: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: "e"))),
        .inputRecorded(state: "a", step: "s", value: "$(touch /tmp/x)"),
        .approvalGiven(state: "a", step: "s", role: "cto"),
        .approvalRefused(state: "a", step: "s", role: "cto", reason: "no"),
        .noteAdded(text: "<script>alert(1)</script>"),
        .acknowledged,
        .severityChanged(from: "SEV2", to: "SEV1"),
        .resolved(note: nil),
        .closed,
        .rosterFrozen(RosterFreeze(rosterSHA256: "r", contactsSHA256: "c", directory: "/srv/ops/runbooks 2",
                                   configuredDirectory: "/srv/ops/runbooks", logins: ["choi": ["choi"], "cto": ["cto", "jhpark"]], reload: true)),
        .rosterFrozen(RosterFreeze(rosterSHA256: "r", contactsSHA256: "c", directory: "/d", configuredDirectory: "/d", logins: [:], reload: false)),
        .attemptFailed(state: "a", step: "s", note: "could not run: command not found: supabase (exit 127)"),
        .attemptFailed(state: "a", step: "s", note: nil),
        .approvalOverridden(state: "a", step: "s", role: "manager", reason: "manager unreachable for 20m"),
        .deadlineMissed(DeadlineMiss(kind: .stage, state: "a", step: nil, deadline: .minutes(5), dueAt: Instant(milliseconds: 300_000))),
        .deadlineMissed(DeadlineMiss(kind: .step, state: "a", step: "s", deadline: .seconds(90), dueAt: Instant(milliseconds: 90_000))),
        .escalationStarted(episode: 1, cause: "opened", scope: .unacknowledged, baseAt: Instant(milliseconds: 1)),
        .escalationStarted(episode: 2, cause: "late", scope: .stage, baseAt: Instant(milliseconds: 2)),
        .escalationStarted(episode: 3, cause: "kim overrode", scope: .notice, baseAt: Instant(milliseconds: 3)),
        .escalated(episode: 1, index: 4, tier: 2, round: 2, roles: ["manager", "dba"], dueAt: Instant(milliseconds: 4), manual: true,
                   reason: "by hand"),
        .escalated(episode: 3, index: 0, tier: 0, round: 1, roles: ["manager"], dueAt: Instant(milliseconds: 5), manual: false, reason: nil),
        .notification(Delivery(episode: 1, index: 0, role: "oncall", channel: "file n.log", attempt: 1, succeeded: true,
                               detail: "appended", error: nil)),
        .notification(Delivery(episode: 1, index: 1, role: "oncall", channel: "file n.log", attempt: 1, succeeded: true,
                               detail: nil, error: nil, onDuty: "lee", shift: "night")),
        .calendarFrozen(windows: [
            MaintenanceWindow(name: "sunday-maintenance", title: "정기 점검 (Sunday maintenance)", zone: TimeZoneRules(name: "Asia/Seoul", fixedOffsetSeconds: 32_400),
                              zoneLabels: [32_400: "KST"], timing: .weekly(days: [.saturday, .sunday], from: ClockTime(hour: 2, minute: 0),
                                                                             to: ClockTime(hour: 6, minute: 0)), runbooks: ["update-deploy", "db-backup"]),
            MaintenanceWindow(name: "freeze", zone: TimeZoneRules(name: "Europe/Berlin", posix: "CET-1CEST,M3.5.0,M10.5.0/3") ?? .utc,
                              timing: .once(start: Instant(milliseconds: 1_000), end: Instant(milliseconds: 2_000)), runbooks: []),
        ]),
        .escalationHeld(episode: 1, index: 1, tier: 2, window: "sunday-maintenance", dueAt: Instant(milliseconds: 600_000),
                        until: Instant(milliseconds: 900_000), untilText: "Sun 2026-11-29 06:00 KST"),
        .notification(Delivery(episode: 1, index: 0, role: "oncall", channel: "webhook https://h#ab", attempt: 3, succeeded: false,
                               detail: nil, error: "HTTP 500")),
        .reportWritten(files: ["reports/a.md", "reports/a.html"], sha256: ["1", "2"], final: false, covers: 41,
                       checkpoint: "INC-1#41:0123456789abcdef"),
        .reportWritten(files: [], sha256: [], final: true, covers: nil, checkpoint: nil),
        .opened(runbookID: "dr", runbookSHA256: "ab", title: "연습", severity: "SEV2", drill: true,
                drillClock: DrillClock(start: Instant(milliseconds: 7), realStart: Instant(milliseconds: 8), speed: 60, live: true)),
        .stepUndone(state: "triage", step: "check", note: "marked the wrong step"),
        .reopened(reason: "errors came back"),
        .drillClockAdvanced(milliseconds: 600_000),
        .opened(runbookID: "db-recovery", runbookSHA256: "ab", title: "DB 복구", severity: "SEV1", drill: false,
                calledBy: CallOrigin(incident: "INC-1", step: "restore-database",
                                     environment: [EnvironmentVariable(name: "DATABASE_URL", value: "postgres://staging")])),
        .callStarted(state: "recover", step: "restore-database", child: "INC-2", runbook: "db-recovery"),
        .callFinished(state: "recover", step: "restore-database", child: "INC-2", childSequence: 17, resolved: true),
        .callFinished(state: "recover", step: "restore-database", child: "INC-3", childSequence: 9, resolved: false),
        .alertReceived(ReceivedAlert(source: "alertmanager", fingerprint: "1a30ba71cca2921f", groupKey: "{}:{alertname=\"HighErrorRate\"}",
                                     status: .firing, title: "Error rate <b>5%</b>\u{1B}[31m",
                                     labels: [AlertLabel(name: "severity", value: "critical"), AlertLabel(name: "alertname", value: "HighErrorRate")])),
        .alertReceived(ReceivedAlert(source: "generic", fingerprint: "x", status: .resolved, title: "disk", labels: [])),
    ]

    /// The name of every case of `IncidentEvent`; the switch does not compile when a case is added, so the
    /// table above must grow with it.
    static func caseName(_ event: IncidentEvent) -> String {
        switch event {
        case .opened: "opened"
        case .stateEntered: "stateEntered"
        case .stateCompleted: "stateCompleted"
        case .stepStarted: "stepStarted"
        case .stepDone: "stepDone"
        case .stepSkipped: "stepSkipped"
        case .stepFailed: "stepFailed"
        case .attemptFailed: "attemptFailed"
        case .commandStarted: "commandStarted"
        case .commandFinished: "commandFinished"
        case .inputRecorded: "inputRecorded"
        case .approvalGiven: "approvalGiven"
        case .approvalRefused: "approvalRefused"
        case .approvalOverridden: "approvalOverridden"
        case .noteAdded: "noteAdded"
        case .acknowledged: "acknowledged"
        case .severityChanged: "severityChanged"
        case .resolved: "resolved"
        case .closed: "closed"
        case .deadlineMissed: "deadlineMissed"
        case .escalationStarted: "escalationStarted"
        case .escalated: "escalated"
        case .notification: "notification"
        case .reportWritten: "reportWritten"
        case .rosterFrozen: "rosterFrozen"
        case .calendarFrozen: "calendarFrozen"
        case .escalationHeld: "escalationHeld"
        case .stepUndone: "stepUndone"
        case .reopened: "reopened"
        case .drillClockAdvanced: "drillClockAdvanced"
        case .callStarted: "callStarted"
        case .callFinished: "callFinished"
        case .alertReceived: "alertReceived"
        }
    }

    @Test func theTableHoldsEveryEventType() {
        let names = ["opened", "stateEntered", "stateCompleted", "stepStarted", "stepDone", "stepSkipped", "stepFailed", "attemptFailed",
                     "commandStarted", "commandFinished", "inputRecorded", "approvalGiven", "approvalRefused", "approvalOverridden",
                     "noteAdded", "acknowledged", "severityChanged", "resolved", "closed", "deadlineMissed", "escalationStarted",
                     "escalated", "notification", "reportWritten", "rosterFrozen", "stepUndone", "reopened", "drillClockAdvanced",
                     "callStarted", "callFinished", "calendarFrozen", "escalationHeld", "alertReceived"]
        #expect(Set(Self.all.map(Self.caseName)) == Set(names))
        // Both results of a delivery have their own stored type.
        #expect(Set(Self.all.map(\.type)).isSuperset(of: ["notification.sent", "notification.failed"]))
    }

    @Test(arguments: all)
    func roundTrips(_ event: IncidentEvent) throws {
        let at = Instant(milliseconds: 1_700_000_000_123)
        let record = EventRecord(chaining: event.pending(actor: "김", recordedAt: at, occurredAt: Instant(milliseconds: 5)),
                                 incidentID: "INC-1", sequence: 1, previousHash: EventChain.genesis)
        let decoded = try IncidentEvent.decode(record)
        #expect(decoded.event == event)
        #expect(decoded.occurredAt == Instant(milliseconds: 5))
        #expect(decoded.actor == "김")
    }

    @Test(arguments: all)
    func theLoginRoundTripsInTheChainedDataAndIsAbsentWhenNotGiven(_ event: IncidentEvent) throws {
        let at = Instant(milliseconds: 1_700_000_000_123)
        let pending = event.pending(actor: "choi", login: "root", recordedAt: at)
        let record = EventRecord(chaining: pending, incidentID: "INC-1", sequence: 1, previousHash: EventChain.genesis)
        let decoded = try IncidentEvent.decode(record)
        #expect(decoded.event == event)
        #expect(decoded.login == "root")
        #expect(decoded.actor == "choi")
        #expect(try JSONValue(parsing: record.data)["login"] == .string("root"), "the login is in the hashed data")
        // The hash covers it: another login is another hash.
        let other = EventRecord(chaining: event.pending(actor: "choi", login: "choi", recordedAt: at), incidentID: "INC-1", sequence: 1,
                                previousHash: EventChain.genesis)
        #expect(other.hash != record.hash)

        let withoutLogin = EventRecord(chaining: event.pending(actor: "choi", recordedAt: at), incidentID: "INC-1", sequence: 1,
                                       previousHash: EventChain.genesis)
        #expect(try IncidentEvent.decode(withoutLogin).login == nil)
    }

    @Test func aMalformedRosterEventIsAClearError() {
        let record = EventRecord(incidentID: "I", sequence: 2, recordedAt: Instant(milliseconds: 0), actor: "a", type: "roster.frozen",
                                 data: #"{"roster_sha256":"r","contacts_sha256":"c","runbooks":"/d","configured_runbooks":"/d","logins":{"choi":"choi"}}"#,
                                 previousHash: "", hash: "")
        #expect(throws: EventDecodingError(sequence: 2, message: "event 2 (roster.frozen): malformed roster")) {
            _ = try IncidentEvent.decode(record)
        }
    }

    @Test func aCommandStartRecordedBeforeStartTimesWereKeptStillReads() throws {
        let record = EventRecord(incidentID: "I", sequence: 4, recordedAt: Instant(milliseconds: 0), actor: "a", type: "command.started",
                                 data: #"{"state":"a","step":"s","command":"sleep 30","pid":4242}"#, previousHash: "", hash: "")
        #expect(try IncidentEvent.decode(record).event == .commandStarted(state: "a", step: "s", command: "sleep 30", pid: 4_242, startTime: nil))
        let finished = EventRecord(incidentID: "I", sequence: 5, recordedAt: Instant(milliseconds: 0), actor: "a", type: "command.finished",
                                   data: #"{"state":"a","step":"s","exit_code":0,"timed_out":false,"duration_ms":3,"#
                                       + #""stdout":{"head":"","bytes":0,"sha256":"e"},"stderr":{"head":"","bytes":0,"sha256":"e"}}"#,
                                   previousHash: "", hash: "")
        guard case .commandFinished(_, _, let outcome) = try IncidentEvent.decode(finished).event else {
            Issue.record("not a command.finished")
            return
        }
        #expect(outcome.interruption == nil)
        #expect(outcome.succeeded(expecting: 0))
    }

    @Test func unknownTypeIsAClearError() {
        let record = EventRecord(incidentID: "I", sequence: 3, recordedAt: Instant(milliseconds: 0), actor: "a", type: "future.thing",
                                 data: "{}", previousHash: "", hash: "")
        #expect(throws: EventDecodingError(sequence: 3, message: "event 3 (future.thing): unknown event type; this database was written by a newer runbook")) {
            _ = try IncidentEvent.decode(record)
        }
    }
}
