import FoundationEssentials
import RunbookCore
@testable import RunbookRuntime
import RunbookTestSupport
import Testing

/// `env:` and `workdir:` reach a real command; a missing workdir is a run that could not start.
@Suite struct CommandEnvironmentRunTests {
    static let runbook = """
        runbook: probe
        title: Probe
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
              - { id: database-url, title: Database, input: { prompt: "database URL" } }
              - id: probe
                title: Probe
                run: 'echo "url=$DATABASE_URL timeout=$PGCONNECT_TIMEOUT"; cat marker.txt; printf "%s\\n" "$SPLICED"'
                env: { DATABASE_URL: "$RUNBOOK_VAR_DATABASE_URL", PGCONNECT_TIMEOUT: "10", SPLICED: "$(touch pwned)" }
                workdir: nextjs
                timeout: 10s
                expect: { number: "timeout=([0-9]+)", below: 5 }
              - id: elsewhere
                title: Elsewhere
                run: "touch created-here"
                workdir: missing
            resolves: true
            end: true

        """

    /// A service over a database file in `directory` (so relative workdirs are the directory's), with one incident.
    static func incident(_ directory: TemporaryDirectory) throws -> (IncidentService, String) {
        let folder = directory.path("runbooks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try runbook.write(toFile: "\(folder)/probe.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory.path("nextjs"), withIntermediateDirectories: true)
        try "inside nextjs\n".write(toFile: directory.path("nextjs/marker.txt"), atomically: true, encoding: .utf8)
        let store = try IncidentService.openStore(path: directory.path("incidents.db"))
        let service = IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: ManualClock(),
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "kim",
                                      drillChannel: nil, formatTime: { $0.iso8601 })
        let id = try service.start(runbookID: "probe", title: nil, severity: nil, drill: false, actor: "kim").state.id
        return (service, id)
    }

    @Test func envAndWorkdirReachTheCommandAndItsOutputIsChecked() async throws {
        let directory = try TemporaryDirectory()
        let (service, id) = try Self.incident(directory)
        try service.perform(.input(step: "database-url", value: "postgres://db/x"), on: id, actor: "kim")

        let result = try await service.runCommandStep("probe", on: id, actor: "kim", runner: CommandRunner())

        // The variable from the input, the literal, and the run in `nextjs` beside the database (not this process's directory).
        #expect(result.outcome.stdout.head == "url=postgres://db/x timeout=10\ninside nextjs\n$(touch pwned)\n")
        // A value is never spliced into the command: `$(touch pwned)` stayed text in the environment.
        #expect(!directory.exists("nextjs/pwned") && !directory.exists("pwned"))
        #expect(result.verdict.summary == "10 — expected below 5")
        #expect(!result.verdict.succeeded)
        let state = try service.snapshot(id).state
        #expect(state.steps["probe"]?.status == .attemptFailed)
        #expect(state.steps["probe"]?.outcome?.expectation?.found == .number(DecimalNumber(10)))
    }

    @Test func aMissingWorkdirFailsTheAttemptAsCouldNotStart() async throws {
        let directory = try TemporaryDirectory()
        let (service, id) = try Self.incident(directory)

        let result = try await service.runCommandStep("elsewhere", on: id, actor: "kim", runner: CommandRunner())

        let missing = directory.path("missing")
        #expect(result.verdict == .couldNotStart(reason: "workdir \(missing) does not exist"))
        #expect(result.verdict.summary == "could not start: workdir \(missing) does not exist")
        #expect(result.outcome.exitCode == 127)
        #expect(result.outcome.couldNotStart == "workdir \(missing) does not exist")
        #expect(!directory.exists("created-here"))
        let state = try service.snapshot(id).state
        #expect(state.steps["elsewhere"]?.status == .attemptFailed)
        #expect(state.steps["elsewhere"]?.note == "could not start: workdir \(missing) does not exist")
        // Once the directory exists, the step runs again there.
        try FileManager.default.createDirectory(atPath: missing, withIntermediateDirectories: true)
        let again = try await service.runCommandStep("elsewhere", on: id, actor: "kim", runner: CommandRunner())
        #expect(again.verdict == .succeeded)
        #expect(directory.exists("missing/created-here"))
    }

    @Test func aRelativeWorkdirIsTheDatabaseDirectorys() {
        #expect(IncidentService.resolve(workdir: "nextjs", databasePath: "/srv/ops/incidents.db") == "/srv/ops/nextjs")
        #expect(IncidentService.resolve(workdir: "/opt/app", databasePath: "/srv/ops/incidents.db") == "/opt/app")
    }
}
