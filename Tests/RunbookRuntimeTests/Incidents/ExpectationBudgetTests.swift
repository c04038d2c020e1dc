import FoundationEssentials
import RunbookCore
@testable import RunbookRuntime
import RunbookTestSupport
import Testing

/// An `expect:` regex that backtracks without end (`^(a+)+$` on `a`s and a `!`: 2^n paths; 17 take Swift's `Regex`
/// about 2.5 s, 20 about 40 s, 36 for ever) must not hang a run in an outage: the check is given up after the runner's
/// budget and the attempt fails, waiting for a decision. Seventeen, so the thread left behind ends soon after the test.
@Suite struct ExpectationBudgetTests {
    static let runbook = """
        runbook: backtrack
        title: Backtrack
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: work
        states:
          work:
            title: Work
            steps:
              - id: probe
                title: Probe
                run: "printf 'aaaaaaaaaaaaaaaaa!\\\\n'"
                timeout: 10s
                expect: { match: '^(a+)+$' }
              - id: quick
                title: Quick
                run: "echo 'connections 42'"
                expect: { number: 'connections ([0-9]+)', below: 80 }
            resolves: true
            end: true

        """

    static func incident(_ directory: TemporaryDirectory) throws -> (IncidentService, String) {
        let folder = directory.path("runbooks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try runbook.write(toFile: "\(folder)/backtrack.yaml", atomically: true, encoding: .utf8)
        let store = try IncidentService.openStore(path: directory.path("incidents.db"))
        let service = IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: ManualClock(),
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "kim",
                                      drillChannel: nil, formatTime: { $0.iso8601 })
        let id = try service.start(runbookID: "backtrack", title: nil, severity: nil, drill: false, actor: "kim").state.id
        return (service, id)
    }

    @Test(.timeLimit(.minutes(1))) func aRegexThatBacktracksWithoutEndIsGivenUpAndTheAttemptFails() async throws {
        let directory = try TemporaryDirectory()
        let (service, id) = try Self.incident(directory)
        let started = ContinuousClock.now

        let result = try await service.runCommandStep("probe", on: id, actor: "kim", runner: CommandRunner(checkBudget: .milliseconds(100)))

        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(result.outcome.exitCode == 0)
        #expect(result.outcome.expectation?.found == .tooSlow(milliseconds: 100))
        #expect(result.verdict.summary == "the regex ^(a+)+$ was stopped after 100ms without an answer (it backtracks too much on this "
                + "output: simplify it, with no repeat inside a repeat such as (a+)+)")
        #expect(!result.verdict.succeeded)
        // The end of the run is recorded: the step waits for a decision instead of staying `running` for ever.
        let state = try service.snapshot(id).state
        #expect(state.steps["probe"]?.status == .attemptFailed)
        #expect(state.steps["probe"]?.outcome?.expectation?.found == .tooSlow(milliseconds: 100))
        // As the log stores it, and as a responder may then decide: done by hand with a note.
        try service.perform(.mark(step: "probe", .done, note: "checked the output by eye"), on: id, actor: "kim")
        #expect(try service.snapshot(id).state.steps["probe"]?.status == .done)
    }

    @Test func aCheckWithinTheBudgetFindsWhatTheEngineWouldFind() async throws {
        let directory = try TemporaryDirectory()
        let (service, id) = try Self.incident(directory)

        let result = try await service.runCommandStep("quick", on: id, actor: "kim", runner: CommandRunner())

        #expect(result.outcome.expectation?.found == .number(DecimalNumber(42)))
        #expect(result.verdict.succeeded)
        #expect(try service.snapshot(id).state.steps["quick"]?.status == .done)
    }
}
