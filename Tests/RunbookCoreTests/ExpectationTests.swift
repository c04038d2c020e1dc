import RunbookCore
import RunbookTestSupport
import Testing

/// A command step with `expect:`, `env:` and `workdir:`, after an input step its env refers to.
let expectRunbook = """
    runbook: checks
    title: "점검 (Checks)"
    roles:
      oncall: { title: On-call }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: check
    states:
      check:
        steps:
          - { id: database-url, title: Database, input: { prompt: "database URL" } }
          - id: connections
            title: "연결 수 확인 (Count connections)"
            run: 'psql "$DATABASE_URL" -Atc "select 93"'
            env: { DATABASE_URL: "$RUNBOOK_VAR_DATABASE_URL", PGCONNECT_TIMEOUT: "10" }
            workdir: nextjs
            expect: { number: "^([0-9.]+)", below: 80, unit: "%" }
          - id: health
            title: Health
            run: "curl -sS https://erp.example/api/health"
            expect: { match: '"status":\\s*"ok"', in: output }
        resolves: true
        end: true

    """

/// A captured stream holding `text` whole.
func captured(_ text: String) -> CapturedOutput {
    CapturedOutput(head: text, tail: "", totalBytes: Int64(text.utf8.count), sha256: EventChain.sha256(text))
}

func run(exit: Int32, stdout: String = "", stderr: String = "") -> CommandOutcome {
    CommandOutcome(exitCode: exit, durationMilliseconds: 40, stdout: captured(stdout), stderr: captured(stderr))
}

func commandStep(_ expect: CommandExpectation?, expectExit: Int32 = 0) -> Step {
    Step(id: "connections", title: "Connections", kind: .command(CommandSpec(run: "true", expectExit: expectExit, expect: expect)))
}

let below80 = CommandExpectation(check: .number(pattern: "^([0-9.]+)", .below(DecimalNumber(80))), unit: "%")
let healthOK = CommandExpectation(check: .match(pattern: #""status":\s*"ok""#))

struct VerdictCase: CustomTestStringConvertible, Sendable {
    var name: String
    var expect: CommandExpectation
    var run: CommandOutcome
    var succeeded: Bool
    var summary: String
    var korean: String? = nil
    var testDescription: String { name }
}

func number(_ pattern: String, _ comparison: String, _ bound: String, unit: String? = nil) -> CommandExpectation {
    CommandExpectation(check: .number(pattern: pattern, CommandExpectation.Comparison(key: comparison, text: bound) ?? .equals(DecimalNumber(-1))),
                       unit: unit)
}

let verdictCases: [VerdictCase] = [
    VerdictCase(name: "number below: passes", expect: below80, run: run(exit: 0, stdout: "42\n"), succeeded: true,
                summary: "succeeded: 42% (expected below 80%)", korean: "성공: 42% (기대값 80% 미만)"),
    VerdictCase(name: "number below: fails", expect: below80, run: run(exit: 0, stdout: "93\n"), succeeded: false,
                summary: "93% — expected below 80%", korean: "93% — 기대값 80% 미만"),
    VerdictCase(name: "the bound itself is not below it", expect: below80, run: run(exit: 0, stdout: "80"), succeeded: false,
                summary: "80% — expected below 80%"),
    VerdictCase(name: "no number found", expect: below80, run: run(exit: 0, stdout: "psql: error: connection refused\n"), succeeded: false,
                summary: "no number found by ^([0-9.]+) — expected below 80%", korean: "^([0-9.]+)로 숫자를 찾지 못함 — 기대값 80% 미만"),
    VerdictCase(name: "a group that is not a number", expect: number("load: (\\S+)", "above", "1"), run: run(exit: 0, stdout: "load: high\n"),
                succeeded: false, summary: "found \"high\" by load: (\\S+), not a number — expected above 1"),
    VerdictCase(name: "the exit code is checked first", expect: below80, run: run(exit: 2, stdout: "42\n"), succeeded: false,
                summary: "exit code 2, expected 0"),
    VerdictCase(name: "a failed exit code is not judged by its output", expect: below80, run: run(exit: 1, stdout: "93\n"), succeeded: false,
                summary: "exit code 1, expected 0"),
    VerdictCase(name: "equals with decimals", expect: number("version ([0-9.]+)", "equals", "99.5"), run: run(exit: 0, stdout: "version 99.50\n"),
                succeeded: true, summary: "succeeded: 99.50 (expected 99.5)"),
    VerdictCase(name: "equals with decimals: a near miss", expect: number("version ([0-9.]+)", "equals", "99.5"),
                run: run(exit: 0, stdout: "version 99.49\n"), succeeded: false, summary: "99.49 — expected 99.5"),
    VerdictCase(name: "above with a negative bound", expect: number("temp=(-?[0-9.]+)", "above", "-3.5", unit: " °C"),
                run: run(exit: 0, stdout: "temp=-3.25\n"), succeeded: true, summary: "succeeded: -3.25 °C (expected above -3.5 °C)"),
    VerdictCase(name: "the first match decides", expect: number("lag ([0-9]+)", "below", "10"), run: run(exit: 0, stdout: "lag 3\nlag 400\n"),
                succeeded: true, summary: "succeeded: 3 (expected below 10)"),
    VerdictCase(name: "^ matches at a line start", expect: below80, run: run(exit: 0, stdout: "NOTICE: hello\n12\n"), succeeded: true,
                summary: "succeeded: 12% (expected below 80%)"),
    VerdictCase(name: "match: passes", expect: healthOK, run: run(exit: 0, stdout: #"{"status": "ok"}"#), succeeded: true,
                summary: #"succeeded: output matched "status":\s*"ok""#),
    VerdictCase(name: "match: fails", expect: healthOK, run: run(exit: 0, stdout: #"{"status":"down"}"#), succeeded: false,
                summary: #"output did not match "status":\s*"ok""#, korean: #"출력이 "status":\s*"ok"와 일치하지 않음"#),
    VerdictCase(name: "match in stderr is not seen by default", expect: healthOK, run: run(exit: 0, stderr: #""status": "ok""#),
                succeeded: false, summary: #"output did not match "status":\s*"ok""#),
    VerdictCase(name: "match in stderr with in: output", expect: CommandExpectation(check: healthOK.check, stream: .output),
                run: run(exit: 0, stdout: "checking\n", stderr: #""status": "ok""#), succeeded: true,
                summary: #"succeeded: output matched "status":\s*"ok""#),
    VerdictCase(name: "no match in either stream with in: output", expect: CommandExpectation(check: healthOK.check, stream: .output),
                run: run(exit: 0, stdout: "a\n", stderr: "b\n"), succeeded: false,
                summary: #"output (stdout or stderr) did not match "status":\s*"ok""#),
    VerdictCase(name: "a cut output is checked by its head, and says so",
                expect: CommandExpectation(check: .match(pattern: "DONE")),
                run: CommandOutcome(exitCode: 0, durationMilliseconds: 40,
                                    stdout: CapturedOutput(head: "line\n", tail: "DONE\n", totalBytes: 20000, sha256: "x"), stderr: captured("")),
                succeeded: false, summary: "output did not match DONE (only the first 5 of 20000 bytes were kept and checked)",
                korean: "출력이 DONE와 일치하지 않음 (20000바이트 중 보관된 처음 5바이트만 검사함)"),
    VerdictCase(name: "an output kept whole is checked with its tail",
                expect: CommandExpectation(check: .match(pattern: "DONE")),
                run: CommandOutcome(exitCode: 0, durationMilliseconds: 40,
                                    stdout: CapturedOutput(head: "line\n", tail: "DONE\n", totalBytes: 10, sha256: "x"), stderr: captured("")),
                succeeded: true, summary: "succeeded: output matched DONE"),
]

@Suite struct ExpectationTests {
    @Test(arguments: verdictCases)
    func theVerdictOfARunWithAnExpectation(_ testCase: VerdictCase) {
        let verdict = commandStep(testCase.expect).verdict(of: testCase.run)
        #expect(verdict.succeeded == testCase.succeeded)
        #expect(verdict.summary == testCase.summary)
        if let korean = testCase.korean { #expect(verdict.summary(in: .korean) == korean) }
    }

    @Test func expectExitStillDecidesFirst() {
        let step = commandStep(below80, expectExit: 3)
        #expect(step.verdict(of: run(exit: 3, stdout: "42")).summary == "succeeded: 42% (expected below 80%)")
        #expect(step.verdict(of: run(exit: 0, stdout: "42")) == .exitCode(0, expected: 3))
    }

    @Test func aStepWithoutExpectSucceedsByItsExitCode() {
        #expect(commandStep(nil).verdict(of: run(exit: 0, stdout: "93")) == .succeeded)
    }

    @Test func theRecordedCheckIsTheOneTheVerdictReads() {
        let step = commandStep(below80)
        let recorded = step.recorded(run(exit: 0, stdout: "93\n"))
        #expect(recorded.expectation == ExpectationResult(expectation: below80, found: .number(DecimalNumber(93))))
        // A recorded check is not done again.
        #expect(step.recorded(recorded) == recorded)
        // A run that failed by its exit code is recorded without a check.
        #expect(step.recorded(run(exit: 1, stdout: "93")).expectation == nil)
        // The runbook's own verdict reads the recorded value even for a step it no longer has.
        #expect(recorded.verdict(expecting: 0, timeout: .minutes(1)).summary == "93% — expected below 80%")
    }

    @Test func aCheckGivenUpByTheRuntimeIsAFailedAttemptKeptAsRecorded() throws {
        let step = commandStep(below80)
        // The runtime asks which check is still to do, does it within its budget, and records what it found.
        #expect(step.expectationToCheck(run(exit: 0, stdout: "93\n")) == below80)
        #expect(step.expectationToCheck(run(exit: 1, stdout: "93\n")) == nil)
        var given = run(exit: 0, stdout: "93\n")
        given.expectation = ExpectationResult(expectation: below80, found: .tooSlow(milliseconds: 5000))
        #expect(step.expectationToCheck(given) == nil)
        #expect(step.recorded(given) == given, "the engine does not check again what the runtime gave up")
        let verdict = step.verdict(of: given)
        #expect(!verdict.succeeded)
        #expect(verdict.summary == "the regex ^([0-9.]+) was stopped after 5s without an answer (it backtracks too much on this output: "
                + "simplify it, with no repeat inside a repeat such as (a+)+) — expected below 80%")
        #expect(Message.commandExpectation(ExpectationResult(expectation: below80, found: .tooSlow(milliseconds: 5000))).text(in: .korean)
                == "정규식 ^([0-9.]+) 검사가 5초 안에 끝나지 않아 중단됨 (이 출력에서 역추적이 너무 많음: (a+)+처럼 반복 안에 반복이 없도록 "
                + "단순하게 고치세요) — 기대값 80% 미만")
        // The log keeps it: the stored event reads back the same.
        let event = IncidentEvent.commandFinished(state: "work", step: "probe", outcome: given)
        let record = EventRecord(chaining: event.pending(actor: "kim", recordedAt: Instant(milliseconds: 1_700_000_000_000)),
                                 incidentID: "INC-1", sequence: 1, previousHash: EventChain.genesis)
        #expect(try IncidentEvent.decode(record).event == event)
    }

    /// Numbers compare by their digits, not as Doubles: past 2^53 or with many fraction digits two different
    /// numbers are the same Double, and `equals:` passed a row count one off.
    @Test(arguments: [("9007199254740993", "9007199254740992", 1), ("9007199254740992", "9007199254740992", 0),
                      ("0.1000000000000000001", "0.1", 1), ("80", "80.00", 0), ("080", "80", 0), ("-0", "0", 0), ("+0.0", "-.0", 0),
                      ("-3", "2", -1), ("-3", "-2", -1), ("-2.5", "-2.50", 0), ("99.5", "100", -1), (".5", "0.49", 1), ("3.", "3", 0),
                      ("12345678901234567890", "12345678901234567891", -1)])
    func numbersCompareExactly(_ left: String, _ right: String, _ expected: Int) throws {
        let a = try #require(DecimalNumber(parsing: left)), b = try #require(DecimalNumber(parsing: right))
        #expect(a.exactlyCompared(to: b) == expected)
        #expect(b.exactlyCompared(to: a) == -expected)
        #expect(CommandExpectation.Comparison.equals(b).holds(for: a) == (expected == 0))
        #expect(CommandExpectation.Comparison.below(b).holds(for: a) == (expected < 0))
        #expect(CommandExpectation.Comparison.above(b).holds(for: a) == (expected > 0))
    }

    @Test func decimalNumbersAreStrict() {
        for text in ["80", "99.5", "-3", "+2", ".5", "3.", " 7 "] { #expect(DecimalNumber(parsing: text) != nil, "\(text)") }
        for text in ["", "-", ".", "1e5", "inf", "nan", "0x10", "1,000", "1.2.3", "5-"] { #expect(DecimalNumber(parsing: text) == nil, "\(text)") }
        #expect(DecimalNumber(parsing: "99.50")?.value == DecimalNumber(parsing: "99.5")?.value)
    }

    @Test(arguments: [("^([0-9.]+)", 1), ("ab", 0), ("(a)(b)", 2), ("(?:a)(b)", 1), ("(?<n>b)", 1), ("(?=a)(b)", 1), ("(?<=a)b", 0),
                      (#"\(a\)"#, 0), ("[(]a", 0), ("[]()]", 0), (#"\Q(a)\E(b)"#, 1), ("(?i)x(y)", 1)])
    func captureGroupsAreCounted(_ pattern: String, _ groups: Int) {
        #expect(RegexPattern.captureGroupCount(pattern) == groups)
    }

    // MARK: - env

    @Test func envValuesResolveFromTheVariablesAvailable() {
        let entries = [EnvironmentEntry(name: "DATABASE_URL", value: EnvironmentValue(parsing: "$RUNBOOK_VAR_DATABASE_URL")),
                       EnvironmentEntry(name: "BRACED", value: EnvironmentValue(parsing: "${RUNBOOK_VAR_DATABASE_URL}")),
                       EnvironmentEntry(name: "PGCONNECT_TIMEOUT", value: EnvironmentValue(parsing: "10")),
                       EnvironmentEntry(name: "NOT_GIVEN", value: EnvironmentValue(parsing: "$RUNBOOK_VAR_OTHER")),
                       EnvironmentEntry(name: "SHELL_TEXT", value: EnvironmentValue(parsing: "$HOME; rm -rf /"))]
        let resolved = CommandEnvironment.resolve(entries, variables: ["RUNBOOK_VAR_DATABASE_URL": "postgres://db/x"])
        #expect(resolved == ["DATABASE_URL": "postgres://db/x", "BRACED": "postgres://db/x", "PGCONNECT_TIMEOUT": "10", "NOT_GIVEN": "",
                             "SHELL_TEXT": "$HOME; rm -rf /"])
        #expect(CommandEnvironment.unknownReferences(in: entries, defined: ["RUNBOOK_VAR_DATABASE_URL"]).map(\.variable) == ["RUNBOOK_VAR_OTHER"])
        // A caller that makes more variables available (a parent incident's env) passes them in.
        #expect(CommandEnvironment.unknownReferences(in: entries, defined: ["RUNBOOK_VAR_DATABASE_URL", "RUNBOOK_VAR_OTHER"]).isEmpty)
    }

    @Test func theRunbookDecodesExpectEnvAndWorkdir() throws {
        let runbook = try RunbookLoader.load(expectRunbook, file: "checks.yaml", expectedID: "checks").get().runbook
        let command = try #require(runbook.anyStep("connections")?.commandSpec)
        #expect(command.expect == below80)
        #expect(command.environment == [EnvironmentEntry(name: "DATABASE_URL", value: .variable("RUNBOOK_VAR_DATABASE_URL")),
                                        EnvironmentEntry(name: "PGCONNECT_TIMEOUT", value: .literal("10"))])
        #expect(command.workdir == "nextjs")
        #expect(runbook.anyStep("health")?.commandSpec?.expect == CommandExpectation(check: healthOK.check, stream: .output))
    }

    // MARK: - the engine records the value

    @Test func aFailedExpectationIsAFailedAttemptAndItsValueIsRecorded() throws {
        var h = try EngineHarness(yaml: expectRunbook)
        try h.send(.acknowledge)
        try h.send(.input(step: "database-url", value: "postgres://db/x"))
        try h.send(.startCommand(step: "connections", pid: 10))
        let finished = try h.send(.finishCommand(step: "connections", outcome: run(exit: 0, stdout: "93\n")))
        let found = ExpectationResult(expectation: below80, found: .number(DecimalNumber(93)))
        var recorded = run(exit: 0, stdout: "93\n")
        recorded.expectation = found
        #expect(finished == [.commandFinished(state: "check", step: "connections", outcome: recorded),
                             .attemptFailed(state: "check", step: "connections", note: "93% — expected below 80%")])
        #expect(h.state.steps["connections"]?.status == .attemptFailed)
        #expect(h.state.steps["connections"]?.outcome?.expectation == found)
        #expect(EventDescription.describe(finished[0], runbook: h.runbook, language: .english)
                == "command `connections` finished: exit 0 in 40ms, 3 bytes of output; 93% — expected below 80%")
        #expect(EventDescription.describe(finished[0], runbook: h.runbook, language: .korean)
                == "`connections` 명령 끝남: 종료 코드 0, 40ms, 출력 3바이트; 93% — 기대값 80% 미만")
        // Run again: a value below the bound completes the step.
        try h.send(.startCommand(step: "connections", pid: 11))
        let again = try h.send(.finishCommand(step: "connections", outcome: run(exit: 0, stdout: "41\n")))
        #expect(again.contains(.stepDone(state: "check", step: "connections", note: nil)))
        let report = PostmortemReport(runbook: h.runbook, events: h.events,
                                      integrity: Integrity.chain(incidentID: "INC-TEST-0001", records: h.events.map(\.record)), now: h.now,
                                      language: .english)
        #expect(report.commands.map { $0.verdict.summary } == ["93% — expected below 80%", "succeeded: 41% (expected below 80%)"])
        // Done by a run that met the expectation: not a failed check passed over.
        #expect(!Findings.of(h.events, runbook: h.runbook).contains { if case .failedCheckPassedOver = $0.kind { true } else { false } })
    }

    @Test func aRunThatCouldNotStartSaysWhy() throws {
        var h = try EngineHarness(yaml: expectRunbook)
        try h.send(.acknowledge)
        try h.send(.startCommand(step: "health", pid: nil))
        let reason = "workdir /srv/app/nextjs does not exist"
        let outcome = CommandOutcome(exitCode: 127, durationMilliseconds: 0, stdout: captured(""), stderr: captured(reason), couldNotStart: reason)
        let finished = try h.send(.finishCommand(step: "health", outcome: outcome))
        #expect(finished.last == .attemptFailed(state: "check", step: "health", note: "could not start: workdir /srv/app/nextjs does not exist"))
        #expect(EventDescription.describe(finished[0], runbook: h.runbook, language: .english)
                == "command `health` could not start: workdir /srv/app/nextjs does not exist")
    }
}
