import RunbookCore
import RunbookTestSupport
import Testing

/// "Stage k of n" on the incident's own path (SPEC §7), and the RTO clock of the header.
@Suite struct StagePositionTests {
    func disasterRecovery() throws -> EngineHarness {
        try EngineHarness(yaml: try shippedRunbook("disaster-recovery").text, roster: ["kim": ["oncall"]])
    }

    func position(_ h: EngineHarness) -> String {
        h.state.stagePosition(in: h.runbook).map { "\($0.index) of \($0.count)" } ?? "none"
    }

    @Test func theDisasterRecoveryRunbookCountsThePathNotEveryBranch() throws {
        var h = try disasterRecovery()
        #expect(h.runbook.states.count == 12)
        // Assess, then the first scenario's track (vercel): failover, resume, monitor, follow-up.
        #expect(position(h) == "1 of 5")
        try h.send(.mark(step: "impact", .done, note: nil))
        try h.send(.input(step: "severity", value: "SEV1"))
        try h.send(.mark(step: "assemble", .done, note: nil))
        try h.send(.input(step: "scenario", value: "data-loss"))
        // The data-loss track is longer: contain, recover, resume, monitor, follow-up after assess.
        #expect(h.state.stateID == "contain")
        #expect(position(h) == "2 of 6")
    }

    @Test func theDDoSTrackEndsAtFollowUp() throws {
        var h = try disasterRecovery()
        for step in ["impact", "assemble"] { try h.send(.mark(step: step, .done, note: nil)) }
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.input(step: "scenario", value: "ddos"))
        #expect(h.state.stateID == "ddos-waf")
        #expect(position(h) == "2 of 4")
        try h.send(.mark(step: "waf-rules", .done, note: nil))
        try h.send(.mark(step: "check-traffic", .skip, note: "checked in Vercel Analytics"))
        #expect(h.state.stateID == "monitor")
        #expect(position(h) == "3 of 4")
    }

    @Test func theRTOClockRunsFromOpeningAndTakesTheStageRTO() throws {
        var h = try disasterRecovery()
        h.advance(by: .minutes(25))
        let before = try #require(h.state.rtoClock(in: h.runbook, now: h.now))
        #expect(before.target == .hours(4))
        #expect(before.elapsedMilliseconds == 25 * 60_000)
        #expect(before.remainingMilliseconds == (240 - 25) * 60_000)
        for step in ["impact", "assemble"] { try h.send(.mark(step: step, .done, note: nil)) }
        try h.send(.input(step: "severity", value: "SEV2"))
        try h.send(.input(step: "scenario", value: "ddos"))
        // The DDoS track's own objective, 15 minutes, is already overdue by 10.
        let after = try #require(h.state.rtoClock(in: h.runbook, now: h.now))
        #expect(after.target == .minutes(15))
        #expect(after.overdue)
        #expect(after.remainingMilliseconds == -10 * 60_000)
    }
}
