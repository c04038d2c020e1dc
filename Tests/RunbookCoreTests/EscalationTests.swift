import RunbookCore
import RunbookTestSupport
import Testing

/// Tiers of manual §7.2 with one repeat; a stage that moves on when its deadline passes; a wait.
let escalationRunbook = """
    runbook: esc
    title: Escalation test
    roles:
      oncall: { title: On-call }
      manager: { title: Manager }
      cto: { title: CTO }
    escalation:
      repeat: 1
      tiers:
        - { notify: [oncall],  after: 0m }
        - { notify: [manager], after: 10m }
        - { notify: [cto],     after: 30m }
    initial: detect
    states:
      detect:
        deadline: 5m
        steps:
          - { id: confirm, title: Confirm }
        next: isolate
      isolate:
        deadline: 15m
        steps:
          - { id: block, title: Block, timeout: 3m }
        next: monitor
        on_timeout: fallback
      fallback:
        steps:
          - { id: manual, title: Manual block }
        next: monitor
      monitor:
        deadline: 1h
        steps:
          - { id: watch, title: Watch, wait: 30m }
        resolves: true
        next: follow-up
      follow-up:
        deadline: 24h
        steps:
          - { id: report, title: Report }
        end: true

    """

func pages(_ events: [IncidentEvent]) -> [String] {
    events.compactMap { event in
        guard case .escalated(let episode, _, let tier, let round, let roles, _, let manual, _) = event else { return nil }
        return "e\(episode) t\(tier) r\(round) \(roles.joined(separator: ","))\(manual ? " manual" : "")"
    }
}

@Suite struct EscalationTests {
    let start = Instant(iso8601: "2026-11-26T01:00:00Z") ?? Instant(milliseconds: 0)

    func harness() throws -> EngineHarness {
        try EngineHarness(yaml: escalationRunbook, now: start)
    }

    /// The runbook with a monitor stage long enough that nothing resolves within the first hours.
    static let longMonitor = escalationRunbook.replacingAll("    deadline: 1h\n    steps:\n      - { id: watch, title: Watch, wait: 30m }",
                                                           with: "    deadline: 4h\n    steps:\n      - { id: watch, title: Watch, wait: 3h }")

    @Test func anUnacknowledgedIncidentPagesEveryTierThenRepeatsOnce() throws {
        var h = try EngineHarness(yaml: Self.longMonitor, now: start)
        #expect(try pages(h.tick()) == ["e1 t1 r1 oncall"], "tier 1 at once")
        #expect(try h.tick().isEmpty, "each page once")
        // Acknowledge nothing, finish detect so no deadline escalation interferes.
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.mark(step: "block", .done, note: nil))
        var seen: [String] = []
        for minute in 1...100 {
            h.now = start + .minutes(minute)
            seen += pages(try h.tick()).map { "\(minute)m \($0)" }
        }
        #expect(seen == ["10m e1 t2 r1 manager", "30m e1 t3 r1 cto", "50m e1 t1 r2 oncall", "60m e1 t2 r2 manager", "80m e1 t3 r2 cto"])
    }

    @Test func resolvingEndsTheUnacknowledgedPaging() throws {
        #expect(Self.longMonitor != escalationRunbook)
        var h = try harness()
        try h.tick()
        try h.send(.mark(step: "confirm", .done, note: nil))
        h.now = start + .minutes(12)
        #expect(pages(try h.tick()).contains("e1 t2 r1 manager"))
        try h.send(.resolve(note: "restored before anyone acknowledged"))
        var seen: [String] = []
        for minute in 13...100 {
            h.now = start + .minutes(minute)
            seen += pages(try h.tick()).map { "\(minute)m \($0)" }
        }
        #expect(!seen.contains { $0.contains("e1 ") }, "service is restored: nobody is woken about the unacknowledged opening: \(seen)")
    }

    @Test func acknowledgingStopsTheUnacknowledgedPage() throws {
        var h = try harness()
        try h.tick()
        h.advance(by: .minutes(2))
        try h.send(.acknowledge)
        try h.send(.mark(step: "confirm", .done, note: nil))
        h.advance(by: .minutes(20))
        #expect(try !pages(h.tick()).contains { $0.hasPrefix("e1 ") }, "no more unacknowledged pages")
        #expect(h.state.episodes.first.map { h.state.isActive($0) } == false)
    }

    @Test func aStageDeadlineAtTheBoundary() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        let due = start + .minutes(5)
        h.now = Instant(milliseconds: due.milliseconds - 1)
        #expect(try h.tick().isEmpty, "not yet at t - 1 ms")
        h.now = due
        #expect(try h.tick() == [
            .deadlineMissed(DeadlineMiss(kind: .stage, state: "detect", step: nil, deadline: .minutes(5), dueAt: due)),
            .escalationStarted(episode: 2, cause: "stage `detect` detect missed its 5m deadline", scope: .stage, baseAt: due),
            .escalated(episode: 2, index: 0, tier: 1, round: 1, roles: ["oncall"], dueAt: due, manual: false, reason: nil),
        ])
        #expect(try h.tick().isEmpty)
    }

    @Test func aDeadlineNoticedLateKeepsItsDueTimes() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        // No watcher ran for 12 minutes: the deadline (5m) and tier 2 of its escalation (5m + 10m = 15m)...
        h.now = start + .minutes(12)
        let events = try h.tick()
        #expect(pages(events) == ["e2 t1 r1 oncall"], "only what was due by 12m")
        guard case .deadlineMissed(let miss) = events.first else {
            Issue.record("the miss comes first")
            return
        }
        #expect(miss.dueAt == start + .minutes(5))
        h.now = start + .minutes(15)
        #expect(try pages(h.tick()) == ["e2 t2 r1 manager"])
    }

    @Test func completingTheStageJustBeforeItsTierIsDueStopsIt() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        h.now = start + .minutes(5)
        try h.tick()
        h.now = Instant(milliseconds: (start + .minutes(15)).milliseconds - 1)
        try h.send(.mark(step: "confirm", .done, note: nil))
        h.now = start + .minutes(15)
        #expect(try pages(h.tick()).isEmpty, "the stage was left before tier 2 was due")
    }

    @Test func escalatingByHandPagesTheNextTierNow() throws {
        var h = try harness()
        try h.tick()
        h.advance(by: .minutes(1))
        #expect(pages(try h.send(.escalate(reason: "DB unreachable"), as: "kim")) == ["e1 t2 r1 manager manual"])
        // The schedule continues from the manual page: tier 3 is 20 minutes after tier 2.
        h.now = start + .minutes(20)
        #expect(try !pages(h.tick()).contains { $0.hasPrefix("e1 ") })
        h.now = start + .minutes(21)
        #expect(try pages(h.tick()).filter { $0.hasPrefix("e1 ") } == ["e1 t3 r1 cto"])
    }

    @Test func escalatingByHandWithNothingRunningStartsAboveTheHighestTierPaged() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        #expect(try h.send(.escalate(reason: nil)) == [
            .escalationStarted(episode: 2, cause: "escalated by hand", scope: .stage, baseAt: h.now),
            .escalated(episode: 2, index: 1, tier: 2, round: 1, roles: ["manager"], dueAt: h.now, manual: true, reason: nil),
        ])
    }

    @Test func onTimeoutMovesToItsStateWithoutPaging() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        try h.send(.mark(step: "confirm", .done, note: nil))
        // isolate: the step's 3m timeout pages; the stage's 15m deadline moves to `fallback`.
        h.now = start + .minutes(3)
        #expect(try pages(h.tick()) == ["e2 t1 r1 oncall"])
        h.now = start + .minutes(15)
        let events = try h.tick()
        #expect(events.contains(.stateEntered(state: "fallback", reason: .onTimeout, from: "isolate")))
        #expect(h.state.stateID == "fallback")
        #expect(h.state.episodes.filter { h.state.isActive($0) }.isEmpty, "leaving the stage ends its escalation")
    }

    @Test func aWaitStepCompletesByItselfAndResolves() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.mark(step: "block", .done, note: nil))
        #expect(h.state.stateID == "monitor")
        h.advance(by: .minutes(29))
        #expect(try h.tick().isEmpty)
        h.advance(by: .minutes(1))
        #expect(try h.tick() == [
            .stepDone(state: "monitor", step: "watch", note: "waited 30m"),
            .stateCompleted(state: "monitor"),
            .resolved(note: nil),
            .stateEntered(state: "follow-up", reason: .next, from: "monitor"),
        ])
        #expect(h.events.last?.actor == "runbook")
    }

    @Test func afterResolutionALateStagePagesTierOneOnceNeverHigher() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.mark(step: "block", .done, note: nil))
        try h.send(.mark(step: "watch", .skip, note: nil))
        #expect(Scheduler.reportDue(state: h.state, runbook: h.runbook) == h.now + .hours(24))
        h.advance(by: .hours(24))
        let late = try h.tick()
        #expect(pages(late).count == 1)
        #expect(pages(late).first?.hasSuffix("t1 r1 oncall") == true)
        #expect(h.state.visits.last?.stageMissed == true)
        h.advance(by: .hours(5))
        #expect(try pages(h.tick()).isEmpty, "once, and never the manager or the CTO")
    }

    @Test func ackStopsADeadlineEscalationUntilAckTimeoutThenItResumesAtTheNextTier() throws {
        var h = try harness()
        try h.tick()
        try h.send(.acknowledge)
        h.now = start + .minutes(5)
        #expect(try pages(h.tick()) == ["e2 t1 r1 oncall"], "detect's deadline pages tier 1")
        // The incident was acknowledged already; this escalation is not: ack is accepted and holds it.
        h.now = start + .minutes(6)
        #expect(try h.send(.acknowledge) == [.acknowledged])
        var seen: [String] = []
        for minute in 7...40 {
            h.now = start + .minutes(minute)
            seen += pages(try h.tick()).map { "\(minute)m \($0)" }
        }
        // Without the ack the manager would have been paged at 15m; held, the next tier comes at 6m + 30m.
        #expect(seen == ["36m e2 t2 r1 manager"])
        // Nothing left to acknowledge once the stage moves on.
        try h.send(.mark(step: "confirm", .done, note: nil))
        #expect(throws: Refusal("nothing to acknowledge in incident INC-TEST-0001: it was acknowledged by kim at 01:00:00 and no escalation is paging now")) {
            try h.send(.acknowledge)
        }
    }

    @Test func pagesRecordedBeforeAnAckAreNotDeliveredAfterIt() throws {
        var h = try harness()
        try h.tick()
        #expect(Scheduler.pendingDeliveries(state: h.state, channels: { ["file \($0).log"] }, now: h.now).count == 1)
        try h.send(.acknowledge)
        #expect(Scheduler.pendingDeliveries(state: h.state, channels: { ["file \($0).log"] }, now: h.now).isEmpty)
    }

    @Test func aTierLimitedToSeveritiesIsPassedOverForOthers() throws {
        let text = Self.longMonitor.replacingAll("    - { notify: [cto],     after: 30m }",
                                                  with: "    - { notify: [cto],     after: 30m, severities: [SEV1, SEV2] }")
            .replacingAll("title: Escalation test", with: "title: Escalation test\nseverity: SEV3")
        var h = try EngineHarness(yaml: text, now: start)
        try h.send(.mark(step: "confirm", .done, note: nil))
        try h.send(.mark(step: "block", .done, note: nil))
        var seen: [String] = []
        for minute in 0...100 {
            h.now = start + .minutes(minute)
            seen += pages(try h.tick()).map { "\(minute)m \($0)" }
        }
        #expect(seen == ["10m e1 t2 r1 manager", "30m e1 t1 r2 oncall", "40m e1 t2 r2 manager"], "a SEV3 never wakes the CTO")
        // The same incident raised to SEV1 does.
        var raised = try EngineHarness(yaml: text, now: start)
        try raised.send(.changeSeverity("SEV1"))
        raised.now = start + .minutes(30)
        #expect(try pages(raised.tick()).contains("e1 t3 r1 cto"))
    }

    @Test func anEscalationSomeoneCausedStartsAboveTheirOwnTiers() throws {
        let text = escalationRunbook.replacingAll("    next: isolate\n", with: "    next: isolate\n    on_fail: escalate\n")
        var h = try EngineHarness(yaml: text, roster: ["kim": ["oncall"], "choi": ["manager"]], now: start)
        try h.send(.acknowledge)
        let failed = try h.send(.mark(step: "confirm", .fail, note: "false positive?"), as: "kim")
        #expect(failed.last == .escalationStarted(episode: 2, cause: "step `confirm` Confirm failed", scope: .stage, baseAt: start, firstIndex: 1))
        var seen: [String] = []
        for minute in 1...11 {
            h.now = start + .minutes(minute)
            seen += pages(try h.tick()).filter { $0.hasPrefix("e2") }.map { "\(minute)m \($0)" }
        }
        #expect(seen == ["10m e2 t2 r1 manager"], "kim is not paged about what kim just did")
    }

    @Test func deliveriesRetryWithBackoffAndStopWhenTheCauseIsHandled() throws {
        var h = try harness()
        let channels: (String) -> [String] = { role in role == "oncall" ? ["file a.log", "webhook https://x"] : ["file a.log"] }
        try h.tick()
        var pending = Scheduler.pendingDeliveries(state: h.state, channels: channels, now: h.now)
        #expect(pending.map { "\($0.role) \($0.channel) #\($0.attempt)" } == ["oncall file a.log #1", "oncall webhook https://x #1"])
        try h.send(.acknowledge, as: "runbook")  // stands in for delivery results recorded below
        var fresh = try harness()
        try fresh.tick()
        try fresh.append([.notification(Delivery(episode: 1, index: 0, role: "oncall", channel: "file a.log", attempt: 1, succeeded: true,
                                             detail: "appended", error: nil)),
                      .notification(Delivery(episode: 1, index: 0, role: "oncall", channel: "webhook https://x", attempt: 1,
                                             succeeded: false, detail: nil, error: "HTTP 500"))], actor: "runbook", occurredAt: nil)
        pending = Scheduler.pendingDeliveries(state: fresh.state, channels: channels, now: fresh.now)
        #expect(pending.isEmpty, "the retry waits 30 s")
        fresh.advance(by: .seconds(30))
        pending = Scheduler.pendingDeliveries(state: fresh.state, channels: channels, now: fresh.now)
        #expect(pending.map { "\($0.channel) #\($0.attempt)" } == ["webhook https://x #2"])
        #expect(Scheduler.backoff(afterAttempts: 2) == .minutes(1))
        #expect(Scheduler.backoff(afterAttempts: 9) == .minutes(10))
        try fresh.send(.acknowledge)
        #expect(Scheduler.pendingDeliveries(state: fresh.state, channels: channels, now: fresh.now).isEmpty,
                "a page whose cause was dealt with is not delivered late")
    }

    @Test func everyEscalationEventReplays() throws {
        var h = try harness()
        try h.tick()
        h.now = start + .minutes(40)
        try h.tick()
        try h.send(.escalate(reason: "x"))
        #expect(IncidentState.replay(h.events) == h.state)
    }
}
