import RunbookCore
import RunbookTestSupport
import Testing

/// `step … undo`, `reopen` and the drill clock stored in the opening event (SPEC §5, §7).
@Suite struct CorrectionTests {
    @Test func anActionEnteredAfterTheFactCannotPrecedeTheIncident() throws {
        var h = try gates()
        let before = Instant(milliseconds: h.state.openedAt.milliseconds - 60_000)
        #expect(throws: Refusal(stated: .occurredBeforeOpening(incident: "INC-TEST-0001", at: "00:59:00", opened: "01:00:00"), kind: .usage)) {
            try h.send(.reopen(reason: "x"), at: before)
        }
        try h.send(.note("entered after the fact, at the opening"), at: h.state.openedAt)
    }

    @Test func undoForgetsTheMarkAndKeepsItInTheLog() throws {
        var h = try gates()
        try h.send(.input(step: "backup-file", value: "/backups/a.sql"))
        try h.send(.mark(step: "check", .done, note: nil))
        #expect(h.state.variables["backup-file"] == "/backups/a.sql")
        try h.send(.undo(step: "check", note: "checked the wrong file"))
        try h.send(.undo(step: "backup-file", note: "wrong backup"))
        #expect(h.state.steps["check"]?.status == .pending)
        #expect(h.state.steps["backup-file"]?.status == .pending)
        #expect(h.state.steps["backup-file"]?.value == nil)
        #expect(h.state.variables["backup-file"] == nil)
        // The gate closes again: `check` needs the input.
        #expect(throws: Refusal.self) { try h.send(.mark(step: "check", .done, note: nil)) }
        // Both marks and both corrections stay in the log, and are findings.
        let findings = Findings.of(h.events, runbook: h.runbook).map(\.kind)
        #expect(findings.contains(.correction(by: "kim", step: "check", note: "checked the wrong file")))
        #expect(findings.contains(.correction(by: "kim", step: "backup-file", note: "wrong backup")))
        #expect(h.events.filter { if case .stepDone = $0.event { true } else { false } }.count == 2)
    }

    @Test func undoOfAFailedStepForgetsTheFailure() throws {
        var h = try gates()
        try h.send(.mark(step: "check", .fail, note: "no backup"))
        #expect(h.state.currentVisit?.failedSteps == ["check"])
        try h.send(.undo(step: "check", note: "the backup was there"))
        #expect(h.state.currentVisit?.failedSteps == [])
        #expect(h.state.steps["check"]?.status == .pending)
    }

    @Test func undoRefusals() throws {
        var h = try gates()
        #expect(throws: Refusal("step `check` has no mark to undo (it is pending)", kind: .usage)) {
            try h.send(.undo(step: "check", note: "oops"))
        }
        try h.send(.input(step: "backup-file", value: "a"))
        #expect(throws: Refusal.self) { try h.send(.undo(step: "backup-file", note: "  ")) }
        try h.send(.approve(step: "approve-reset"), as: "choi")
        let approval = #expect(throws: Refusal.self) { try h.send(.undo(step: "approve-reset", note: "too early")) }
        #expect(approval?.message.contains("never undone") == true)
        // A failed run is a fact, not a mark.
        try h.send(.startCommand(step: "reset", pid: 1, confirmed: true))
        try h.send(.finishCommand(step: "reset", outcome: outcome(exit: 1)))
        let attempt = #expect(throws: Refusal.self) { try h.send(.undo(step: "reset", note: "retry")) }
        #expect(attempt?.message.contains("is a fact, not a mark") == true)
    }

    @Test func undoOnlyInTheCurrentStage() throws {
        var h = try EngineHarness(yaml: gateRunbook, roster: ["kim": ["oncall"], "choi": ["manager"]])
        try h.send(.acknowledge)
        try h.send(.input(step: "backup-file", value: "a"))
        try h.send(.mark(step: "check", .done, note: nil))
        try h.send(.approve(step: "approve-reset"), as: "choi")
        try h.send(.mark(step: "reset", .skip, note: "not needed"))
        try h.send(.mark(step: "restore", .skip, note: "not needed"))
        #expect(h.state.stateID == "verify")
        let refused = #expect(throws: Refusal.self) { try h.send(.undo(step: "check", note: "late")) }
        #expect(refused?.message.contains("state `restore` was left") == true)
    }

    @Test func reopenAResolvedIncidentRunsTheClockAgain() throws {
        var h = try gates()
        try h.send(.resolve(note: "restored"))
        #expect(h.state.status == .resolved)
        #expect(throws: Refusal.self) { try h.send(.reopen(reason: "")) }
        try h.send(.reopen(reason: "errors came back"))
        #expect(h.state.status == .open)
        #expect(h.state.resolved == nil)
        #expect(throws: Refusal("incident INC-TEST-0001 is open; there is nothing to reopen")) {
            try h.send(.reopen(reason: "again"))
        }
        #expect(Findings.of(h.events).map(\.kind) == [.reopened(by: "kim", reason: "errors came back")])
    }

    @Test func reopenAClosedIncidentEntersItsLastStageAgain() throws {
        var h = try EngineHarness(yaml: """
            runbook: short
            title: Short
            roles: { oncall: { title: On-call } }
            escalation: { tiers: [{ notify: [oncall], after: 0m }] }
            initial: fix
            states:
              fix:
                steps: [{ id: fix, title: Fix }]
                resolves: true
                end: true
            """)
        try h.send(.mark(step: "fix", .done, note: nil))
        #expect(h.state.isClosed)
        #expect(throws: Refusal.self) { try h.send(.mark(step: "fix", .done, note: nil)) }
        let closedAt = try #require(h.state.closed).at
        #expect(Scheduler.reportDue(state: h.state, runbook: h.runbook) == closedAt)
        try h.append([.reportWritten(files: ["r.md"], sha256: ["x"], final: true)], actor: Scheduler.systemActor, occurredAt: nil)
        #expect(Scheduler.reportDue(state: h.state, runbook: h.runbook) == nil)
        try h.send(.reopen(reason: "closed by mistake"), as: "lee")
        // The final report no longer tells the end: a draft is due now, a final one once it closes again.
        #expect(Scheduler.reportDue(state: h.state, runbook: h.runbook) != nil)
        #expect(h.state.status == .open)
        #expect(h.state.stateID == "fix")
        #expect(h.state.steps["fix"]?.status == nil)
        #expect(h.state.currentVisit?.reason == .reopened)
        try h.send(.mark(step: "fix", .done, note: nil))
        #expect(h.state.isClosed)
        #expect(h.events.filter { $0.event == .closed }.count == 2)
        #expect(Scheduler.reportDue(state: h.state, runbook: h.runbook) == h.state.closed?.at)
    }

    @Test func aDrillsTimeComesFromItsStoredClock() throws {
        let start = Instant(iso8601: "2026-11-26T01:00:00Z") ?? Instant(milliseconds: 0)
        let realStart = Instant(iso8601: "2026-11-27T09:00:00Z") ?? Instant(milliseconds: 0)
        let clock = DrillClock(start: start, realStart: realStart, speed: 60)
        // Ten real seconds are ten drill minutes; advances add on top.
        #expect(clock.time(atReal: realStart + RunbookDuration(seconds: 10), advanced: 0) == start + RunbookDuration(seconds: 600))
        #expect(clock.time(atReal: realStart, advanced: 300_000) == start + RunbookDuration(seconds: 300))
        // A real clock before the opening never runs the drill backwards.
        #expect(clock.time(atReal: Instant(milliseconds: realStart.milliseconds - 5000), advanced: 0) == start)
        // The watcher's schedule: the real time a drill time arrives, never a moment early.
        let due = start + RunbookDuration(seconds: 601)
        let real = clock.realTime(of: due, advanced: 0)
        #expect(clock.time(atReal: real, advanced: 0) >= due)
        #expect(clock.time(atReal: Instant(milliseconds: real.milliseconds - 1), advanced: 0) < due)
        #expect(clock.realTime(of: due, advanced: 600_000) == Instant(milliseconds: realStart.milliseconds + 17))
        #expect(clock.realTime(of: start + RunbookDuration(seconds: 600), advanced: 600_000) == realStart)
    }

    @Test func theDrillClockIsFoldedFromTheLog() throws {
        var h = try EngineHarness(yaml: gateRunbook)
        #expect(throws: Refusal.self) { try h.send(.advanceDrillClock(RunbookDuration(seconds: 600))) }
        let start = Instant(iso8601: "2026-11-26T01:00:00Z") ?? Instant(milliseconds: 0)
        let context = DecisionContext(runbook: h.runbook, actor: "kim", now: start)
        let clock = DrillClock(start: start, realStart: start, speed: 30, live: false)
        let opening = try IncidentEngine.open(runbook: h.runbook, snapshotSHA256: "x", title: nil, severity: nil, drill: true,
                                              drillClock: clock, context: context)
        guard case .opened(_, _, _, _, true, let stored, _, _, _) = opening.first else {
            Issue.record("the drill's opening event has no clock")
            return
        }
        #expect(stored == clock)
        var state = try #require(IncidentEngine.project(opening, onto: nil, context: context))
        let advance = try IncidentEngine.decide(.advanceDrillClock(RunbookDuration(seconds: 600)), state: state, context: context)
        state = try #require(IncidentEngine.project(advance, onto: state, context: context))
        #expect(state.drillTime(atReal: start + RunbookDuration(seconds: 2)) == start + RunbookDuration(seconds: 660))
        // A real incident has no drill time, and the engine never stores a clock for one.
        let real = try IncidentEngine.open(runbook: h.runbook, snapshotSHA256: "x", title: nil, severity: nil, drill: false,
                                           drillClock: clock, context: context)
        #expect(IncidentEngine.project(real, onto: nil, context: context)?.drillClock == nil)
    }

    @Test func undoingAFailureEndsTheEscalationItStarted() throws {
        var h = try gates()
        try h.send(.mark(step: "check", .fail, note: "no backup"))
        #expect(h.state.episodes.last.map { h.state.isActive($0) } == true)
        try h.send(.undo(step: "check", note: "the backup was there"))
        #expect(h.state.episodes.last.map { h.state.isActive($0) } == false)
        // Its manager page was due 10 minutes after the failure (the stage's own 1h deadline is later).
        h.advance(by: RunbookDuration(seconds: 1800))
        #expect(pages(try h.tick()).isEmpty, "nobody is paged about a failure that was taken back")
    }

    @Test func reopeningPagesNothingOfWhatCameBefore() throws {
        var h = try EngineHarness(yaml: """
            runbook: short
            title: Short
            roles: { oncall: { title: On-call }, manager: { title: Manager } }
            escalation: { tiers: [{ notify: [oncall], after: 0m }, { notify: [manager], after: 10m }] }
            initial: fix
            states:
              fix:
                steps: [{ id: fix, title: Fix }]
                resolves: true
                end: true
            """)
        try h.tick()
        try h.send(.mark(step: "fix", .done, note: nil))
        #expect(h.state.isClosed)
        // Never acknowledged; reopened an hour later: the opening's tiers are not all due at once.
        h.advance(by: RunbookDuration(seconds: 3600))
        try h.send(.reopen(reason: "came back"))
        #expect(pages(try h.tick()).isEmpty)
        h.advance(by: RunbookDuration(seconds: 3600))
        #expect(pages(try h.tick()).isEmpty)
    }

    @Test func reopeningAResolvedIncidentGoesBackToTheStageThatRestoresService() throws {
        var h = try gates()
        try h.send(.input(step: "backup-file", value: "a"))
        try h.send(.mark(step: "check", .done, note: nil))
        try h.send(.approve(step: "approve-reset"), as: "choi")
        try h.send(.mark(step: "reset", .skip, note: "not needed"))
        try h.send(.mark(step: "restore", .skip, note: "not needed"))
        try h.send(.mark(step: "count", .skip, note: "checked by hand"))
        try h.send(.mark(step: "compare", .done, note: nil))
        #expect(h.state.status == .resolved)
        #expect(h.state.stateID == "wrap-up")
        try h.send(.reopen(reason: "errors came back"))
        #expect(h.state.stateID == "verify", "the resolving stage, to restore and verify service again")
        #expect(h.state.currentVisit?.reason == .reopened)
        #expect(h.state.resolved == nil)
        try h.send(.mark(step: "count", .skip, note: "checked by hand"))
        try h.send(.mark(step: "compare", .done, note: nil))
        #expect(h.state.status == .resolved, "resolved anew where service is verified")
        #expect(h.state.stateID == "wrap-up")
    }
}
