import RunbookCore
import RunbookTestSupport
import Testing

/// A disaster recovery that calls `db-recovery` (SPEC §3.2): the call waits for the staging URL, a failed child
/// sends the incident to the restore by hand.
let callingRunbook = """
    runbook: dr
    title: "재해 복구 (Disaster recovery)"
    roles:
      oncall: { title: On-call }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: recover
    states:
      recover:
        steps:
          - { id: staging-url, title: Staging URL, input: { prompt: "staging database URL" } }
          - id: restore-database
            title: "DB 복구 (Restore the database: runbook db-recovery)"
            call: { runbook: db-recovery, env: { DATABASE_URL: "$RUNBOOK_VAR_STAGING_URL", MODE: restore } }
            needs: [staging-url]
        next: follow-up
        on_fail: by-hand
        resolves: true
      by-hand:
        steps:
          - { id: restore-by-hand, title: Restore by hand }
        next: follow-up
        resolves: true
      follow-up:
        steps:
          - { id: review, title: Review }
        end: true

    """

func calling() throws -> EngineHarness {
    var h = try EngineHarness(yaml: callingRunbook, roster: ["kim": ["oncall"]])
    try h.send(.acknowledge)
    return h
}

struct ChildEndCase: CustomTestStringConvertible, Sendable {
    var name: String
    var resolved: Bool
    var expected: [IncidentEvent]
    var stage: String
    var testDescription: String { name }
}

let childEndCases: [ChildEndCase] = [
    ChildEndCase(name: "child resolves: the step is done and the parent moves on", resolved: true,
                 expected: [.callFinished(state: "recover", step: "restore-database", child: "INC-2", childSequence: 12, resolved: true),
                            .stepDone(state: "recover", step: "restore-database", note: "INC-2 resolved"),
                            .stateCompleted(state: "recover"), .resolved(note: nil),
                            .stateEntered(state: "follow-up", reason: .next, from: "recover")],
                 stage: "follow-up"),
    ChildEndCase(name: "child closed unresolved: the step fails and on_fail is taken", resolved: false,
                 expected: [.callFinished(state: "recover", step: "restore-database", child: "INC-2", childSequence: 12, resolved: false),
                            .stepFailed(state: "recover", step: "restore-database", note: "INC-2 was closed without being resolved"),
                            .stateEntered(state: "by-hand", reason: .onFail, from: "recover")],
                 stage: "by-hand"),
]

@Suite struct CallTests {
    // MARK: Decoding

    @Test func decodesBothForms() throws {
        let short = callingRunbook.replacingAll(
            "call: { runbook: db-recovery, env: { DATABASE_URL: \"$RUNBOOK_VAR_STAGING_URL\", MODE: restore } }", with: "call: db-recovery")
        let plain = try RunbookLoader.load(short, file: "dr.yaml").get().runbook
        #expect(plain.state("recover")?.step("restore-database")?.kind == .call(CallSpec(runbook: "db-recovery")))
        #expect(plain.state("recover")?.step("restore-database")?.kind.name == "call")
        let full = try RunbookLoader.load(callingRunbook, file: "dr.yaml").get().runbook
        #expect(full.state("recover")?.step("restore-database")?.call
                == CallSpec(runbook: "db-recovery", drill: false,
                            environment: [EnvironmentEntry(name: "DATABASE_URL", value: .variable("RUNBOOK_VAR_STAGING_URL")),
                                          EnvironmentEntry(name: "MODE", value: .literal("restore"))]))
        let drill = try RunbookLoader.load(short.replacingAll("call: db-recovery", with: "call: { runbook: db-recovery, drill: true }"),
                                           file: "dr.yaml").get().runbook
        #expect(drill.state("recover")?.step("restore-database")?.call?.drill == true)
    }

    static let callLine = "    call: { runbook: db-recovery, env: { DATABASE_URL: \"$RUNBOOK_VAR_STAGING_URL\", MODE: restore } }"

    static let lintCases: [DecodingCase] = [
        DecodingCase(name: "unknown key in the mapping form", replace: callLine,
                     with: "    call: { runbok: db-recovery }",
                     expected: ["dr.yaml:15:15: error: states.recover.steps[1].call: missing required key `runbook`",
                                "dr.yaml:15:17: error: states.recover.steps[1].call.runbok: unknown key `runbok`; did you mean `runbook`?"]),
        DecodingCase(name: "a variable name that is not one", replace: "MODE: restore", with: "1MODE: restore",
                     expected: ["dr.yaml:15:88: error: states.recover.steps[1].call.env.1MODE: `1MODE` is not a valid environment variable name; use ASCII letters, digits and `_`, not starting with a digit"]),
        DecodingCase(name: "runbook's own variables", replace: "MODE: restore", with: "RUNBOOK_STEP: restore",
                     expected: ["dr.yaml:15:88: error: states.recover.steps[1].call.env.RUNBOOK_STEP: `RUNBOOK_STEP` starts with RUNBOOK_, which runbook reserves for the variables it sets itself; choose another name"]),
        DecodingCase(name: "a reference inside text", replace: "MODE: restore", with: "MODE: \"to $RUNBOOK_VAR_STAGING_URL\"",
                     expected: ["dr.yaml:15:94: error: states.recover.steps[1].call.env.MODE: \"to $RUNBOOK_VAR_STAGING_URL\" would be passed as literal text: a value is either exactly `$RUNBOOK_VAR_NAME` (an input's value) or literal text; pass the variable on its own and build the text in `run:`"]),
        DecodingCase(name: "a reference to no input of the runbook", replace: "$RUNBOOK_VAR_STAGING_URL", with: "$RUNBOOK_VAR_STAGING",
                     expected: ["dr.yaml:15:60: error: states.recover.steps[1].call.env.DATABASE_URL: `$RUNBOOK_VAR_STAGING` names no input step of this runbook (an input step `x` sets `$RUNBOOK_VAR_X`); did you mean `$RUNBOOK_VAR_STAGING_URL`?"]),
        DecodingCase(name: "a call to itself", replace: callLine, with: "    call: dr",
                     expected: ["dr.yaml:15:15: error: states.recover.steps[1].call: step `restore-database` calls its own runbook `dr`; each incident would start another forever"]),
        DecodingCase(name: "a call with another kind", replace: callLine, with: "    call: db-recovery\n        run: ls",
                     expected: ["dr.yaml:15:15: error: states.recover.steps[1].call: a step has one kind, found both `run` and `call`; split it into two steps"]),
    ]

    @Test(arguments: lintCases)
    func lintReportsExactMessage(_ testCase: DecodingCase) throws {
        #expect(callingRunbook.contains(testCase.replace), "the case must change the runbook")
        let text = callingRunbook.replacingAll(testCase.replace, with: testCase.with)
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "dr.yaml", expectedID: "dr") else {
            Issue.record("expected errors, got a valid runbook")
            return
        }
        #expect(invalid.diagnostics.map(\.headline) == testCase.expected)
    }

    struct FolderCase: CustomTestStringConvertible, Sendable {
        var name: String
        var folder: [String: [String]]
        var expected: [String]
        var testDescription: String { name }
    }

    static let folderCases: [FolderCase] = [
        FolderCase(name: "the called runbook exists", folder: ["dr": ["db-recovery"], "db-recovery": []], expected: []),
        FolderCase(name: "unknown runbook, with the nearest", folder: ["dr": [], "db-recover": []],
                   expected: ["runbooks/dr.yaml:15:26: error: states.recover.steps[1].call.runbook: step `restore-database` calls runbook `db-recovery`, but there is no runbooks/db-recovery.yaml; did you mean `db-recover`?"]),
        FolderCase(name: "a cycle across runbooks", folder: ["dr": ["db-recovery"], "db-recovery": ["rollback"], "rollback": ["dr"]],
                   expected: ["runbooks/dr.yaml:15:26: error: states.recover.steps[1].call.runbook: calls form a cycle: `dr` → `db-recovery` → `rollback` → `dr`; each incident would start another forever"]),
    ]

    @Test(arguments: folderCases)
    func crossRunbookChecksReportExactMessage(_ testCase: FolderCase) throws {
        let decoded = try RunbookLoader.load(callingRunbook, file: "runbooks/dr.yaml", expectedID: "dr").get()
        let found = RunbookLint.checkCalls(decoded, file: "runbooks/dr.yaml", folder: testCase.folder, directory: "runbooks")
        #expect(found.map(\.headline) == testCase.expected)
    }

    // MARK: The child's lifecycle, on the parent

    @Test(arguments: childEndCases)
    func theChildsEndSettlesTheStep(_ testCase: ChildEndCase) throws {
        var h = try calling()
        try h.send(.input(step: "staging-url", value: "postgres://staging"))
        #expect(try h.send(.startCall(step: "restore-database", child: "INC-2"))
                == [.callStarted(state: "recover", step: "restore-database", child: "INC-2", runbook: "db-recovery")])
        #expect(h.state.steps["restore-database"]?.status == .running)
        #expect(h.state.unsettledCalls.map(\.child) == ["INC-2"])

        let events = try h.send(.settleCall(ChildOutcome(child: "INC-2", sequence: 12, resolved: testCase.resolved)), as: Scheduler.systemActor)
        #expect(events == testCase.expected)
        #expect(h.state.stateID == testCase.stage)
        #expect(h.state.unsettledCalls.isEmpty)
        #expect(h.state.calls.first?.finished?.childSequence == 12)
        // Exactly once: the same end reflected again records nothing.
        #expect(try h.send(.settleCall(ChildOutcome(child: "INC-2", sequence: 12, resolved: testCase.resolved)), as: Scheduler.systemActor) == [])
        #expect(h.events.filter { if case .callFinished = $0.event { true } else { false } }.count == 1)
    }

    @Test func aFailedChildMayBeCalledAgainInTheSameVisit() throws {
        // Without on_fail the stage stays open after a failed child: running the step again starts a new child.
        var h = try EngineHarness(yaml: callingRunbook.replacingAll("on_fail: by-hand", with: "on_timeout: by-hand"), roster: ["kim": ["oncall"]])
        try h.send(.input(step: "staging-url", value: "postgres://staging"))
        try h.send(.startCall(step: "restore-database", child: "INC-2"))
        try h.send(.settleCall(ChildOutcome(child: "INC-2", sequence: 9, resolved: false)), as: Scheduler.systemActor)
        #expect(h.state.steps["restore-database"]?.status == .failed)
        try h.send(.startCall(step: "restore-database", child: "INC-3"))
        #expect(h.state.steps["restore-database"]?.child == "INC-3")
        #expect(h.state.steps["restore-database"]?.attempts == 2)
        try h.send(.settleCall(ChildOutcome(child: "INC-3", sequence: 14, resolved: true)), as: Scheduler.systemActor)
        #expect(h.state.stateID == "follow-up")
    }

    struct RefusalCase: CustomTestStringConvertible, Sendable {
        var name: String
        var setup: [IncidentCommand]
        var command: IncidentCommand
        var expected: String
        var testDescription: String { name }
    }

    static let refusalCases: [RefusalCase] = [
        RefusalCase(name: "gates apply as to a command", setup: [], command: .startCall(step: "restore-database", child: "INC-2"),
                    expected: "step `restore-database` waits for step `staging-url` (needs); it cannot run until then (it may be skipped or failed with a note)"),
        RefusalCase(name: "running again while the child is open",
                    setup: [.input(step: "staging-url", value: "x"), .startCall(step: "restore-database", child: "INC-2")],
                    command: .startCall(step: "restore-database", child: "INC-3"),
                    expected: "INC-2 is still open for step restore-database; see it with `runbook status INC-2`, or skip the step with a note"),
        RefusalCase(name: "done by hand without a note", setup: [.input(step: "staging-url", value: "x")],
                    command: .mark(step: "restore-database", .done, note: nil),
                    expected: "step `restore-database` calls runbook db-recovery and is done when that incident resolves; start it with "
                        + "`runbook run INC-TEST-0001 restore-database`, or say with --note how it was handled to mark it done"),
        RefusalCase(name: "skipped without a note", setup: [.input(step: "staging-url", value: "x")],
                    command: .mark(step: "restore-database", .skip, note: " "),
                    expected: "step `restore-database` calls runbook db-recovery and is done when that incident resolves; start it with "
                        + "`runbook run INC-TEST-0001 restore-database`, or say with --note how it was handled to mark it skipped"),
        RefusalCase(name: "not a call step", setup: [], command: .startCall(step: "staging-url", child: "INC-2"),
                    expected: "step `staging-url` is not a call step (it is a input step)"),
    ]

    @Test(arguments: refusalCases)
    func refusesWithExactMessage(_ testCase: RefusalCase) throws {
        var h = try calling()
        for command in testCase.setup { try h.send(command) }
        #expect(throws: Refusal.self) { try h.send(testCase.command) }
        do {
            try h.send(testCase.command)
        } catch {
            #expect(error.message == testCase.expected)
        }
    }

    @Test func skippingLeavesTheOpenChildAloneAndItsEndIsStillRecorded() throws {
        var h = try calling()
        try h.send(.input(step: "staging-url", value: "x"))
        try h.send(.startCall(step: "restore-database", child: "INC-2"))
        try h.send(.mark(step: "restore-database", .skip, note: "restored from the console"))
        #expect(h.state.stateID == "follow-up")
        #expect(h.state.unsettledCalls.map(\.child) == ["INC-2"], "the child is still open and linked")
        // The child's later end is recorded for the report, without touching the step or the stage.
        #expect(try h.send(.settleCall(ChildOutcome(child: "INC-2", sequence: 20, resolved: true)), as: Scheduler.systemActor)
                == [.callFinished(state: "recover", step: "restore-database", child: "INC-2", childSequence: 20, resolved: true)])
        #expect(h.state.stateID == "follow-up")
    }

    @Test func aChildItNeverCalledIsIgnored() throws {
        var h = try calling()
        #expect(try h.send(.settleCall(ChildOutcome(child: "INC-9", sequence: 3, resolved: true)), as: Scheduler.systemActor) == [])
    }

    // MARK: What the child inherits

    @Test func theChildInheritsSeverityAndTheEnvironmentFromTheParentsInputs() throws {
        var h = try calling()
        try h.send(.changeSeverity("SEV1"))
        let call = try #require(h.runbook.state("recover")?.step("restore-database")?.call)
        // Before the input is recorded the reference cannot be resolved.
        #expect(throws: Refusal.self) { try ChildOpening.of(call, step: "restore-database", parent: h.state, now: h.now, realNow: h.now) }
        do {
            _ = try ChildOpening.of(call, step: "restore-database", parent: h.state, now: h.now, realNow: h.now)
        } catch {
            #expect(error.message == "step `restore-database` passes DATABASE_URL=$RUNBOOK_VAR_STAGING_URL, but no input recorded "
                    + "RUNBOOK_VAR_STAGING_URL yet; record that input first")
        }
        try h.send(.input(step: "staging-url", value: "postgres://staging"))
        let opening = try ChildOpening.of(call, step: "restore-database", parent: h.state, now: h.now, realNow: h.now)
        #expect(opening == ChildOpening(severity: "SEV1", drill: false, drillClock: nil,
                                        calledBy: CallOrigin(incident: "INC-TEST-0001", step: "restore-database",
                                                             environment: [EnvironmentVariable(name: "DATABASE_URL", value: "postgres://staging"),
                                                                           EnvironmentVariable(name: "MODE", value: "restore")])))
    }

    struct DrillCase: CustomTestStringConvertible, Sendable {
        var name: String
        var parentClock: DrillClock?
        var forced: Bool
        var expectedDrill: Bool
        var expectedClock: DrillClock?
        var testDescription: String { name }
    }

    static let parentTime = Instant(milliseconds: 1_800_000_000_000)
    static let realTime = Instant(milliseconds: 1_700_000_000_000)

    @Test(arguments: [
        DrillCase(name: "live parent: live child", parentClock: nil, forced: false, expectedDrill: false, expectedClock: nil),
        DrillCase(name: "drill parent: a drill child on the same simulated clock",
                  parentClock: DrillClock(start: Instant(milliseconds: 1_799_000_000_000), realStart: Instant(milliseconds: 1_699_000_000_000), speed: 60, live: true),
                  forced: false, expectedDrill: true,
                  expectedClock: DrillClock(start: parentTime, realStart: realTime, speed: 60, live: true)),
        DrillCase(name: "drill: true under a live parent: a drill on real time", parentClock: nil, forced: true, expectedDrill: true,
                  expectedClock: DrillClock(start: parentTime, realStart: realTime, speed: 1, live: false)),
    ])
    func theChildInheritsTheDrill(_ testCase: DrillCase) throws {
        var h = try calling()
        h.state.drill = testCase.parentClock != nil
        h.state.drillClock = testCase.parentClock
        let call = CallSpec(runbook: "db-recovery", drill: testCase.forced)
        let opening = try ChildOpening.of(call, step: "restore-database", parent: h.state, now: Self.parentTime, realNow: Self.realTime)
        #expect(opening.drill == testCase.expectedDrill)
        #expect(opening.drillClock == testCase.expectedClock)
        // The child's clock reads the parent's drill time now and runs at the parent's speed.
        if let parentClock = testCase.parentClock, let childClock = opening.drillClock {
            let later = Instant(milliseconds: Self.realTime.milliseconds + 1000)
            let parentLater = parentClock.time(atReal: later, advanced: 0)
            let parentNow = parentClock.time(atReal: Self.realTime, advanced: 0)
            #expect(childClock.time(atReal: later, advanced: 0).milliseconds - Self.parentTime.milliseconds
                    == parentLater.milliseconds - parentNow.milliseconds)
        }
    }

    @Test func theOpeningRecordsItsParentAndOldOpeningsStillDecode() throws {
        let origin = CallOrigin(incident: "INC-1", step: "restore-database", environment: [EnvironmentVariable(name: "DATABASE_URL", value: "x")])
        let opening = IncidentEvent.opened(runbookID: "db-recovery", runbookSHA256: "ab", title: "DB", severity: "SEV1", drill: false,
                                           calledBy: origin)
        let pending = opening.pending(actor: "kim", recordedAt: Instant(milliseconds: 0))
        #expect(pending.data.contains("\"called_by\":{\"incident\":\"INC-1\",\"step\":\"restore-database\",\"env\":{\"DATABASE_URL\":\"x\"}}"))
        let old = EventRecord(chaining: IncidentEvent.opened(runbookID: "db-recovery", runbookSHA256: "ab", title: "DB", severity: "SEV1", drill: false)
                                .pending(actor: "kim", recordedAt: Instant(milliseconds: 0)),
                              incidentID: "INC-1", sequence: 1, previousHash: EventChain.genesis)
        #expect(!old.data.contains("called_by"))
        let state = try #require(IncidentState(opening: try IncidentEvent.decode(old)))
        #expect(state.calledBy == nil)
    }
}
