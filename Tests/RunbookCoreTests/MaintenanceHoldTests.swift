import RunbookCore
import RunbookTestSupport
import Testing

/// An update that must wait for Sunday: its production stage runs only in the window; its pages are held by it.
let updateRunbook = """
    runbook: update-deploy
    title: Update
    roles:
      oncall: { title: On-call }
      manager: { title: Manager }
    escalation:
      repeat: 0
      tiers:
        - { notify: [oncall],  after: 0m }
        - { notify: [manager], after: 10m }
    initial: prepare
    states:
      prepare:
        deadline: 8h
        steps:
          - { id: check, title: Check }
        next: production
      production:
        window: sunday-maintenance
        deadline: 8h
        steps:
          - { id: deploy, title: Deploy, run: "true" }
          - { id: verify, title: Verify }
        resolves: true
        end: true

    """

@Suite struct MaintenanceHoldTests {
    /// Sunday 02:00-06:00 KST (Saturday 17:00-21:00 UTC), covering update-deploy.
    static let sunday = MaintenanceWindow(name: "sunday-maintenance", title: "정기 점검 (Sunday maintenance, manual §1.3)", zone: seoul.rules,
                                          zoneLabels: seoul.labels,
                                          timing: .weekly(days: [.sunday], from: ClockTime(hour: 2, minute: 0), to: ClockTime(hour: 6, minute: 0)),
                                          runbooks: ["update-deploy"])
    static let windowEnd = at("2026-11-28T21:00:00Z")

    func harness(at start: String) throws -> EngineHarness {
        try EngineHarness(yaml: updateRunbook, roster: ["kim": ["oncall"], "choi": ["manager"]], now: at(start), calendar: [Self.sunday])
    }

    @Test func aPageDueInTheWindowIsHeldThenPagedAtItsEnd() throws {
        var h = try harness(at: "2026-11-28T17:30:00Z")
        #expect(h.state.calendar.map(\.name) == ["sunday-maintenance"], "the calendar is frozen into the incident")
        #expect(try h.tick() == [.escalationHeld(episode: 1, index: 0, tier: 1, window: "sunday-maintenance", dueAt: at("2026-11-28T17:30:00Z"),
                                                 until: Self.windowEnd, untilText: "Sun 2026-11-29 06:00 KST")])
        #expect(try h.tick().isEmpty, "held once")
        #expect(Scheduler.nextDue(state: h.state, runbook: h.runbook) == Self.windowEnd, "the watcher wakes at the window's end")
        h.now = Instant(milliseconds: Self.windowEnd.milliseconds - 1)
        #expect(try h.tick().isEmpty, "still held at 05:59:59.999")
        h.now = Self.windowEnd
        #expect(try h.tick() == [.escalated(episode: 1, index: 0, tier: 1, round: 1, roles: ["oncall"], dueAt: Self.windowEnd, manual: false,
                                            reason: nil)])
        #expect(try h.tick().isEmpty, "released once")
        // The escalation goes on from the release: tier 2 ten minutes later.
        h.now = Self.windowEnd + .minutes(10)
        #expect(pages(try h.tick()) == ["e1 t2 r1 manager"])
        // A replay from the log (a restarted watcher) finds nothing more due: no page twice.
        let replayed = try #require(IncidentState.replay(h.events))
        #expect(replayed == h.state)
        #expect(Scheduler.due(state: replayed, runbook: h.runbook, now: h.now).isEmpty)
    }

    @Test func aLaterTierFallingDueInTheWindowIsHeld() throws {
        var h = try harness(at: "2026-11-28T16:55:00Z")
        #expect(pages(try h.tick()) == ["e1 t1 r1 oncall"], "before the window: paged at once")
        h.now = at("2026-11-28T17:05:00Z")
        #expect(try h.tick() == [.escalationHeld(episode: 1, index: 1, tier: 2, window: "sunday-maintenance", dueAt: at("2026-11-28T17:05:00Z"),
                                                 until: Self.windowEnd, untilText: "Sun 2026-11-29 06:00 KST")])
        #expect(EventDescription.describe(h.events[h.events.count - 1].event, runbook: h.runbook, language: .english)
                    == "tier 2 held by sunday-maintenance until Sun 2026-11-29 06:00 KST")
        // Acknowledging during the window stops the held page.
        h.now = at("2026-11-28T18:00:00Z")
        try h.send(.acknowledge)
        h.now = Self.windowEnd
        #expect(pages(try h.tick()).isEmpty)
    }

    /// The window of `sunday`, covering the routine check `daily-check` of `validChecklist` (30m deadline).
    static var checklistWindow: MaintenanceWindow {
        var window = sunday
        window.runbooks = ["daily-check"]
        return window
    }

    @Test func aRoutineCheckRunningLateInTheWindowIsHeldAndPagedOnceAtItsEnd() throws {
        // Sunday 03:00 KST: the run's 30m deadline passes at 03:30, inside the window (the manual's db-backup at 03:00).
        let opened = at("2026-11-28T18:00:00Z")
        var h = try EngineHarness(yaml: validChecklist, now: opened, calendar: [Self.checklistWindow])
        h.now = opened + .minutes(30)
        let late = try h.tick()
        #expect(pages(late).isEmpty, "nobody is paged inside the window")
        #expect(late.last == .escalationHeld(episode: 1, index: 0, tier: 1, window: "sunday-maintenance", dueAt: opened + .minutes(30),
                                             until: Self.windowEnd, untilText: "Sun 2026-11-29 06:00 KST"))
        #expect(Scheduler.nextDue(state: h.state, runbook: h.runbook) == Self.windowEnd, "the watcher wakes at the window's end")
        h.now = Instant(milliseconds: Self.windowEnd.milliseconds - 1)
        #expect(try h.tick().isEmpty)
        h.now = Self.windowEnd
        #expect(try h.tick() == [.escalated(episode: 1, index: 0, tier: 1, round: 1, roles: ["oncall"], dueAt: Self.windowEnd, manual: false,
                                            reason: nil)])
        for minute in 1...120 {
            h.now = Self.windowEnd + .minutes(minute)
            #expect(pages(try h.tick()).isEmpty, "released once, never higher")
        }
        let replayed = try #require(IncidentState.replay(h.events))
        #expect(Scheduler.due(state: replayed, runbook: h.runbook, now: h.now).isEmpty, "a restarted watcher pages nobody twice")
    }

    @Test func aRoutineCheckFailingACheckInTheWindowIsHeldToo() throws {
        let yaml = validChecklist.replacingAll("    end: true", with: "    on_fail: escalate\n    end: true")
        let opened = at("2026-11-28T18:00:00Z")
        var h = try EngineHarness(yaml: yaml, roster: ["kim": ["manager"]], now: opened, calendar: [Self.checklistWindow])
        h.now = opened + .minutes(5)
        let failed = try h.send(.mark(step: "disk", .fail, note: "92% full"), as: "kim")
        #expect(pages(failed).isEmpty, "nobody is paged inside the window")
        #expect(failed.contains(.escalationHeld(episode: 1, index: 0, tier: 1, window: "sunday-maintenance", dueAt: opened + .minutes(5),
                                                until: Self.windowEnd, untilText: "Sun 2026-11-29 06:00 KST")))
        h.now = Self.windowEnd
        #expect(pages(try h.tick()).first == "e1 t1 r1 oncall", "paged at the window's end")
    }

    @Test func aRoutineCheckDoneBeforeTheWindowEndsPagesNobody() throws {
        let opened = at("2026-11-28T18:00:00Z")
        var h = try EngineHarness(yaml: validChecklist, now: opened, calendar: [Self.checklistWindow])
        h.now = opened + .minutes(40)
        #expect(pages(try h.tick()).isEmpty)
        try h.send(.mark(step: "disk", .done, note: nil))
        try h.send(.mark(step: "backups", .done, note: nil))
        #expect(h.state.isClosed)
        h.now = Self.windowEnd + .minutes(1)
        #expect(pages(try h.tick()).isEmpty, "the run closed late but inside the window: the held notice is dropped")
    }

    @Test func aWindowNotCoveringTheRunbookHoldsNothing() throws {
        var other = Self.sunday
        other.runbooks = ["db-backup"]
        var h = try EngineHarness(yaml: updateRunbook, now: at("2026-11-28T17:30:00Z"), calendar: [other])
        #expect(pages(try h.tick()) == ["e1 t1 r1 oncall"])
    }

    @Test func aStageWithAWindowRefusesOutsideItAndSkipStillWorks() throws {
        // Friday 2026-11-27 10:00 KST.
        var h = try harness(at: "2026-11-27T01:00:00Z")
        try h.send(.acknowledge)
        try h.send(.mark(step: "check", .done, note: nil))
        #expect(h.state.stateID == "production")
        let opens = "which opens Sun 2026-11-29 02:00 KST"
        #expect(throws: Refusal("stage `production` runs only in the window sunday-maintenance (정기 점검), \(opens); "
                                + "step `verify` cannot be marked done until then (it may be skipped or failed with a note)")) {
            try h.send(.mark(step: "verify", .done, note: nil))
        }
        #expect(throws: Refusal("stage `production` runs only in the window sunday-maintenance (정기 점검), \(opens); "
                                + "step `deploy` cannot run until then (it may be skipped or failed with a note)")) {
            try h.send(.startCommand(step: "deploy", pid: 42))
        }
        let gate = WindowGate.closed(try #require(h.runbook.state("production")), state: h.state, at: h.now)
        #expect(gate.map { Message.waitsForWindow($0).text(in: .english) }
                    == "waits for the window sunday-maintenance (정기 점검), which opens Sun 2026-11-29 02:00 KST")
        // Skipping needs a note, as past any gate; with one it is recorded.
        #expect(throws: Refusal(.noteRequired(action: .skip, step: "verify", because: .pastAGate), kind: .usage)) {
            try h.send(.mark(step: "verify", .skip, note: nil))
        }
        try h.send(.mark(step: "verify", .skip, note: "verified on staging instead"))
        #expect(h.state.steps["verify"]?.status == .skipped)
        // In the window the command runs.
        h.now = at("2026-11-28T17:00:00Z")
        #expect(WindowGate.closed(try #require(h.runbook.state("production")), state: h.state, at: h.now) == nil)
        try h.send(.startCommand(step: "deploy", pid: 42))
        #expect(h.state.steps["deploy"]?.status == .running)
    }
}
