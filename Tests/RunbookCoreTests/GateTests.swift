import RunbookCore
import RunbookTestSupport
import Testing

/// A restore with every kind of gate: `needs`, an approval before a destructive reset, and a sequential stage.
let gateRunbook = """
    runbook: gates
    title: "게이트 (Gates)"
    roles:
      oncall: { title: "운영팀 당직자 (on-call operator)" }
      manager: { title: "운영 매니저 (operations manager)" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
        - { notify: [manager], after: 10m }
    initial: restore
    states:
      restore:
        deadline: 1h
        steps:
          - { id: backup-file, title: Backup file, input: { prompt: "backup file" } }
          - { id: check, title: Check the backup, needs: [backup-file] }
          - { id: approve-reset, title: Approve the reset, approve: { role: manager } }
          - { id: reset, title: Reset, run: "supabase db reset --linked", destructive: true }
          - { id: restore, title: Restore, run: "psql -f backup.sql", needs: [reset] }
        next: verify
        on_fail: escalate
      verify:
        order: sequential
        steps:
          - { id: count, title: Count the rows, run: "psql -c 'select 1'" }
          - { id: compare, title: Compare }
        resolves: true
        next: wrap-up
      wrap-up:
        steps:
          - { id: wrap, title: Wrap up }
        end: true

    """

func gates(logins: [String: [String]] = [:], login: String? = "root") throws -> EngineHarness {
    var h = try EngineHarness(yaml: gateRunbook, roster: ["kim": ["oncall"], "lee": ["oncall"], "choi": ["manager"]])
    h.logins = logins
    h.login = login
    try h.send(.acknowledge)
    return h
}

func outcome(exit: Int32, stderr: String = "") -> CommandOutcome {
    let empty = CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: EventChain.sha256(""))
    let err = CapturedOutput(head: stderr, tail: "", totalBytes: Int64(stderr.utf8.count), sha256: EventChain.sha256(stderr))
    return CommandOutcome(exitCode: exit, durationMilliseconds: 40, stdout: empty, stderr: err)
}

struct GateCase: CustomTestStringConvertible, Sendable {
    var name: String
    /// Steps to take first (as choi for the approval, else as kim).
    var setup: [IncidentCommand] = []
    var command: IncidentCommand
    var actor = "kim"
    var expected: Refusal.Reason
    var sentence: String
    var testDescription: String { name }
}

let approvalWait = Blocker(step: "approve-reset", reason: .approvalGate,
                           approval: ApprovalFacts(role: RoleRef(id: "manager", title: "운영 매니저 (operations manager)"),
                                                   holders: ["choi"], given: 0, min: 1))
let manager = RoleRef(id: "manager", title: "운영 매니저 (operations manager)")

let gateCases: [GateCase] = [
    GateCase(name: "needs", command: .mark(step: "check", .done, note: nil),
             expected: .blocked(action: .done, step: "check", waitingFor: [Blocker(step: "backup-file", reason: .needs)]),
             sentence: "step `check` waits for step `backup-file` (needs); it cannot be marked done until then "
                 + "(it may be skipped or failed with a note)"),
    GateCase(name: "approval gate on a command", command: .startCommand(step: "reset", pid: 1, confirmed: true),
             expected: .blocked(action: .run, step: "reset", waitingFor: [approvalWait]),
             sentence: "step `reset` waits for approval `approve-reset` by 운영 매니저 (manager): choi; it cannot run until then "
                 + "(it may be skipped or failed with a note)"),
    GateCase(name: "approval gate and needs together", command: .startCommand(step: "restore", pid: 1),
             expected: .blocked(action: .run, step: "restore", waitingFor: [approvalWait, Blocker(step: "reset", reason: .needs)]),
             sentence: "step `restore` waits for approval `approve-reset` by 운영 매니저 (manager): choi; and for step `reset` (needs); "
                 + "it cannot run until then (it may be skipped or failed with a note)"),
    GateCase(name: "destructive without confirmation", setup: [.approve(step: "approve-reset")],
             command: .startCommand(step: "reset", pid: 1, confirmed: false),
             expected: .destructiveNotConfirmed(incident: "INC-TEST-0001", step: "reset", command: "supabase db reset --linked"),
             sentence: "step `reset` is destructive (supabase db reset --linked); to run it, confirm by naming it: "
                 + "runbook run INC-TEST-0001 reset --confirm reset"),
    GateCase(name: "sequential order", setup: [.input(step: "backup-file", value: "b.sql"), .mark(step: "check", .done, note: nil),
                                               .approve(step: "approve-reset"), .mark(step: "reset", .skip, note: "n/a"),
                                               .mark(step: "restore", .skip, note: "n/a")],
             command: .mark(step: "compare", .done, note: nil),
             expected: .blocked(action: .done, step: "compare", waitingFor: [Blocker(step: "count", reason: .sequential)]),
             sentence: "step `compare` waits for step `count` before it (order: sequential); it cannot be marked done until then "
                 + "(it may be skipped or failed with a note)"),
    GateCase(name: "skipping past a gate needs a note", command: .mark(step: "reset", .skip, note: nil),
             expected: .noteRequired(action: .skip, step: "reset", because: .pastAGate),
             sentence: "cannot skip step `reset` without a note: it is still waiting for other steps; say why it is skipped anyway with --note TEXT"),
    GateCase(name: "a non-holder approves", command: .approve(step: "approve-reset"),
             expected: .notRoleHolder(actor: "kim", action: .approve, step: "approve-reset", role: manager, holders: ["choi"]),
             sentence: "kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi may approve approval `approve-reset` "
                 + "(anyone on the roster may break the glass with --break-glass --reason TEXT)"),
    GateCase(name: "a non-holder skips the approval", command: .mark(step: "approve-reset", .skip, note: "manager is asleep"),
             expected: .notRoleHolder(actor: "kim", action: .skip, step: "approve-reset", role: manager, holders: ["choi"]),
             sentence: "kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi may skip approval `approve-reset` "
                 + "(anyone on the roster may break the glass with --break-glass --reason TEXT)"),
    GateCase(name: "a non-holder fails the approval", command: .mark(step: "approve-reset", .fail, note: nil),
             expected: .notRoleHolder(actor: "kim", action: .fail, step: "approve-reset", role: manager, holders: ["choi"]),
             sentence: "kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi may fail approval `approve-reset` "
                 + "(anyone on the roster may break the glass with --break-glass --reason TEXT)"),
    GateCase(name: "break-glass without a reason", command: .overrideApproval(step: "approve-reset", reason: "  "),
             expected: .breakGlassNeedsReason(incident: "INC-TEST-0001", step: "approve-reset"),
             sentence: "breaking the glass needs a reason that the approvers will read: "
                 + "runbook approve INC-TEST-0001 approve-reset --break-glass --reason \"manager unreachable for 20m\""),
    GateCase(name: "break-glass by someone not on the roster", command: .overrideApproval(step: "approve-reset", reason: "urgent"),
             actor: "mallory", expected: .notOnRoster(actor: "mallory", step: "approve-reset"),
             sentence: "mallory is not on the roster (runbooks/roster.yaml); only people on it may override approval `approve-reset`"),
    GateCase(name: "done by hand is for failed runs", command: .mark(step: "reset", .done, note: "done by hand"),
             expected: .explained("step `reset` is a command; run it with `runbook run INC-TEST-0001 reset`, or skip it with a note"),
             sentence: "step `reset` is a command; run it with `runbook run INC-TEST-0001 reset`, or skip it with a note"),
]

@Suite struct GateTests {
    @Test(arguments: gateCases)
    func blockedActionsAreRefusedWithTheExactSentence(_ testCase: GateCase) throws {
        var h = try gates()
        for command in testCase.setup {
            if case .approve = command { try h.send(command, as: "choi") } else { try h.send(command) }
        }
        let before = h.state
        do {
            try h.send(testCase.command, as: testCase.actor)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.reason == testCase.expected)
            #expect(error.message == testCase.sentence)
        }
        // A refusal changes nothing but the record of a refused approval.
        #expect(h.state.steps.filter { $0.value.status != .pending } == before.steps.filter { $0.value.status != .pending })
        #expect(h.state.stateID == before.stateID)
    }

    @Test func theWholeRestoreOnceTheGatesOpen() throws {
        var h = try gates()
        try h.send(.input(step: "backup-file", value: "backup_20250127.sql"))
        #expect(try h.send(.mark(step: "check", .done, note: nil)) == [.stepDone(state: "restore", step: "check", note: nil)])
        #expect(try h.send(.approve(step: "approve-reset"), as: "choi") == [
            .approvalGiven(state: "restore", step: "approve-reset", role: "manager"),
            .stepDone(state: "restore", step: "approve-reset", note: nil),
        ])
        #expect(try h.send(.startCommand(step: "reset", pid: 7, confirmed: true))
                == [.commandStarted(state: "restore", step: "reset", command: "supabase db reset --linked", pid: 7)])
        try h.send(.finishCommand(step: "reset", outcome: outcome(exit: 0)))
        try h.send(.startCommand(step: "restore", pid: 8))
        let finished = try h.send(.finishCommand(step: "restore", outcome: outcome(exit: 0)))
        #expect(finished.suffix(2) == [.stateCompleted(state: "restore"), .stateEntered(state: "verify", reason: .next, from: "restore")])
        try h.send(.startCommand(step: "count", pid: 9))
        try h.send(.finishCommand(step: "count", outcome: outcome(exit: 0)))
        let compared = try h.send(.mark(step: "compare", .done, note: nil))
        #expect(compared.contains(.resolved(note: nil)))
    }

    @Test func aHolderMaySkipTheApprovalAndTheGateOpens() throws {
        var h = try gates()
        try h.send(.mark(step: "approve-reset", .skip, note: "restoring a staging copy"), as: "choi")
        #expect(h.state.steps["approve-reset"]?.status == .skipped)
        #expect(try h.send(.startCommand(step: "reset", pid: 1, confirmed: true)).count == 1)
    }

    @Test func skippedOrFailedPastAGateWithANote() throws {
        var h = try gates()
        #expect(try h.send(.mark(step: "reset", .skip, note: "reset by the DBA from the console"))
                == [.stepSkipped(state: "restore", step: "reset", note: "reset by the DBA from the console")])
        // The stage still waits for the approval itself.
        #expect(h.state.stateID == "restore")
    }

    @Test func breakingTheGlassIsRecordedPagedOnceAndOpensTheGate() throws {
        var h = try gates()
        h.advance(by: .minutes(20))
        let events = try h.send(.overrideApproval(step: "approve-reset", reason: "manager unreachable for 20m"), as: "lee")
        #expect(events == [
            .approvalOverridden(state: "restore", step: "approve-reset", role: "manager", reason: "manager unreachable for 20m"),
            .stepDone(state: "restore", step: "approve-reset", note: "approval overridden by lee: manager unreachable for 20m"),
            .escalationStarted(episode: 2, cause: "lee overrode the approval of `approve-reset` Approve the reset: manager unreachable for 20m",
                               scope: .notice, baseAt: h.now),
            .escalated(episode: 2, index: 0, tier: 0, round: 1, roles: ["manager"], dueAt: h.now, manual: false, reason: nil),
        ])
        #expect(h.state.steps["approve-reset"]?.override?.reason == "manager unreachable for 20m")
        // One page to the approval's role, owed now; the notice escalates no further, however long we wait.
        let owed = Scheduler.pendingDeliveries(state: h.state, channels: { ["file \($0).log"] }, now: h.now)
        #expect(owed.map(\.role) == ["manager"])
        h.advance(by: .hours(3))
        #expect(try !h.tick().contains { if case .escalated(2, _, _, _, _, _, _, _) = $0 { true } else { false } })
        #expect(try h.send(.startCommand(step: "reset", pid: 1, confirmed: true)).count == 1)
    }

    @Test func approvalsAndBreakGlassFromAnotherLoginAreRefused() throws {
        var h = try gates(logins: ["choi": ["choi"], "lee": ["lee"]], login: "kim")
        do {
            try h.send(.approve(step: "approve-reset"), as: "choi")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.reason == .identityNotProven(actor: "choi", login: "kim", logins: ["choi"], action: .approve, step: "approve-reset"))
            #expect(error.message == "cannot approve step `approve-reset` as choi: the roster binds choi to the login choi, and this runs as kim; "
                    + "choi must do it from their own login")
            #expect(error.record.count == 1)
        }
        #expect(throws: Refusal(.identityNotProven(actor: "lee", login: "kim", logins: ["lee"], action: .breakGlass, step: "approve-reset"))) {
            try h.send(.overrideApproval(step: "approve-reset", reason: "urgent"), as: "lee")
        }
        h.login = "choi"
        #expect(try h.send(.approve(step: "approve-reset"), as: "choi").first == .approvalGiven(state: "restore", step: "approve-reset", role: "manager"))
    }

    @Test func aFailedRunIsAnAttemptUntilSomeoneDecides() throws {
        var h = try gates()
        try h.send(.approve(step: "approve-reset"), as: "choi")
        try h.send(.startCommand(step: "reset", pid: 1, confirmed: true))
        let notFound = outcome(exit: 127, stderr: "sh: 1: supabase: not found\n")
        #expect(try h.send(.finishCommand(step: "reset", outcome: notFound)) == [
            .commandFinished(state: "restore", step: "reset", outcome: notFound),
            .attemptFailed(state: "restore", step: "reset", note: "could not run: command not found: supabase (exit 127)"),
        ])
        #expect(h.state.stateID == "restore")
        #expect(h.state.steps["reset"]?.status == .attemptFailed)
        // Attempt 2 is recorded and, succeeding, completes the step.
        try h.send(.startCommand(step: "reset", pid: 2, confirmed: true))
        #expect(h.state.steps["reset"]?.attempts == 2)
        #expect(try h.send(.finishCommand(step: "reset", outcome: outcome(exit: 0))).last == .stepDone(state: "restore", step: "reset", note: nil))
        #expect(h.events.filter { if case .commandStarted = $0.event { true } else { false } }.count == 2)
    }

    @Test func doneByHandAndSkipNeedANoteAfterAFailedRun() throws {
        var h = try gates()
        try h.send(.approve(step: "approve-reset"), as: "choi")
        try h.send(.startCommand(step: "reset", pid: 1, confirmed: true))
        try h.send(.finishCommand(step: "reset", outcome: outcome(exit: 3)))
        #expect(throws: Refusal(.noteRequired(action: .done, step: "reset", because: .afterFailedAttempt(attempts: 1, failure: "exit code 3, expected 0")),
                                kind: .usage)) {
            try h.send(.mark(step: "reset", .done, note: nil))
        }
        #expect(throws: Refusal(.noteRequired(action: .skip, step: "reset", because: .afterFailedAttempt(attempts: 1, failure: "exit code 3, expected 0")),
                                kind: .usage)) {
            try h.send(.mark(step: "reset", .skip, note: ""))
        }
        #expect(try h.send(.mark(step: "reset", .done, note: "reset from the Supabase dashboard"))
                == [.stepDone(state: "restore", step: "reset", note: "reset from the Supabase dashboard")])
    }

    @Test func onlyFailingFollowsOnFailAndTheStageStaysOpen() throws {
        var h = try gates()
        try h.send(.approve(step: "approve-reset"), as: "choi")
        try h.send(.startCommand(step: "reset", pid: 1, confirmed: true))
        try h.send(.finishCommand(step: "reset", outcome: outcome(exit: 1)))
        #expect(!h.state.episodes.contains { $0.cause.english.contains("reset") })
        let failed = try h.send(.mark(step: "reset", .fail, note: "the reset cannot work today"))
        #expect(failed == [
            .stepFailed(state: "restore", step: "reset", note: "the reset cannot work today"),
            // kim holds tier 1 (oncall): the escalation kim caused starts at the manager.
            .escalationStarted(episode: 2, cause: "step `reset` Reset failed", scope: .stage, baseAt: h.now, firstIndex: 1),
        ])
        #expect(h.state.stateID == "restore")
        // Still open: it can be run again, done by hand or skipped.
        #expect(try h.send(.startCommand(step: "reset", pid: 2, confirmed: true)).count == 1)
    }

    @Test(arguments: [
        (outcome(exit: 127, stderr: "sh: 1: supabase: not found\n"), CommandVerdict.notFound(program: "supabase"),
         "could not run: command not found: supabase (exit 127)"),
        (outcome(exit: 127, stderr: "bash: line 1: vercel: command not found\n"), .notFound(program: "vercel"),
         "could not run: command not found: vercel (exit 127)"),
        (outcome(exit: 127), .notFound(program: nil), "could not run: command not found (exit 127)"),
        (outcome(exit: 126, stderr: "sh: 1: ./deploy.sh: Permission denied\n"), .notExecutable(program: "./deploy.sh"),
         "could not run: not executable: ./deploy.sh (exit 126)"),
        (outcome(exit: 2), .exitCode(2, expected: 0), "exit code 2, expected 0"),
        (outcome(exit: 124), .exitCode(124, expected: 0), "exit code 124 (timed out: the exit status of `timeout`), expected 0"),
        (outcome(exit: 0), .succeeded, "succeeded"),
    ])
    func theVerdictOfARun(_ run: CommandOutcome, _ verdict: CommandVerdict, _ summary: String) {
        #expect(run.verdict(expecting: 0, timeout: .minutes(1)) == verdict)
        #expect(verdict.summary == summary)
        #expect((verdict.hint != nil) == (run.exitCode == 127 || run.exitCode == 126))
    }

    @Test func exitCodesAreExplainedWhereverTheyAreShown() {
        var killed = outcome(exit: 0)
        killed.exitCode = nil
        killed.signal = 9
        #expect(killed.shortResult == "killed by signal 9 (SIGKILL)")
        #expect(killed.verdict(expecting: 0, timeout: .minutes(1)).summary == "killed by signal 9 (SIGKILL)")
        #expect(outcome(exit: 127).shortResult == "exit 127 (command not found)")
        #expect(outcome(exit: 126).shortResult == "exit 126 (not executable)")
        #expect(outcome(exit: 124).shortResult == "exit 124 (timed out: the exit status of `timeout`)")
        #expect(outcome(exit: 3).shortResult == "exit 3")
        #expect(EventDescription.describe(.commandFinished(state: "a", step: "s", outcome: outcome(exit: 127)), runbook: nil)
                == "command `s` finished: exit 127 (command not found) in 40ms, 0 bytes of output")
    }

    @Test func passingOverAFailedCheckInAResolvingStageIsAFinding() throws {
        var h = try gates()
        try h.send(.input(step: "backup-file", value: "b.sql"))
        try h.send(.mark(step: "check", .done, note: nil))
        try h.send(.approve(step: "approve-reset"), as: "choi")
        func passedOver() -> [Finding] {
            Findings.of(h.events, runbook: h.runbook).filter { if case .failedCheckPassedOver = $0.kind { true } else { false } }
        }
        // A failed run skipped in a stage that does not resolve: recorded, but no finding.
        try h.send(.startCommand(step: "reset", pid: 1, confirmed: true))
        try h.send(.finishCommand(step: "reset", outcome: outcome(exit: 1)))
        try h.send(.mark(step: "reset", .skip, note: "reset from the console"))
        try h.send(.mark(step: "restore", .skip, note: "nothing to restore"))
        #expect(h.state.stateID == "verify")
        #expect(passedOver().isEmpty)
        // The row count fails in the resolving stage and is skipped: service is declared restored without it.
        try h.send(.startCommand(step: "count", pid: 2))
        try h.send(.finishCommand(step: "count", outcome: outcome(exit: 2)))
        try h.send(.mark(step: "count", .skip, note: "psql is down, looked at the dashboard"), as: "lee")
        let findings = passedOver()
        #expect(findings.map(\.kind) == [.failedCheckPassedOver(by: "lee", step: "count", state: "verify", skipped: true,
                                                                 failure: "exit code 2, expected 0", note: "psql is down, looked at the dashboard")])
        #expect(findings.first?.message == "failed check `count` in resolving stage `verify` skipped by lee after it failed "
                + "(exit code 2, expected 0): psql is down, looked at the dashboard")
        // Without the runbook the stage's meaning is unknown: nothing is guessed.
        #expect(!Findings.of(h.events).contains { if case .failedCheckPassedOver = $0.kind { true } else { false } })
    }
}
