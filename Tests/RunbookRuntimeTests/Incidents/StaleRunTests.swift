import FoundationEssentials
import Glibc
import RunbookCore
@testable import RunbookRuntime
import RunbookTestSupport
import Testing

/// A run still recorded as running: refused while its process (same pid, same start time) lives, started
/// again once it is gone, ended with `killStale`; a pid whose start time differs is never signalled.
@Suite struct StaleRunTests {
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
              - { id: probe, title: Probe, run: "echo probed", timeout: 5s }
              - { id: other, title: Other }
            resolves: true
            end: true

        """

    /// A service over an in-memory store with one incident whose `probe` step is recorded as running as `process`.
    static func incident(_ directory: TemporaryDirectory, running process: ProcessIdentity) throws -> (IncidentService, String) {
        let folder = directory.path("runbooks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try runbook.write(toFile: "\(folder)/probe.yaml", atomically: true, encoding: .utf8)
        let service = IncidentService(store: InMemoryEventStore(), library: RunbookLibrary(directory: folder), clock: ManualClock(),
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "kim",
                                      drillChannel: nil, formatTime: { $0.iso8601 })
        let id = try service.start(runbookID: "probe", title: nil, severity: nil, drill: false, actor: "kim").state.id
        try service.perform(.startCommand(step: "probe", pid: process.pid, startTime: process.startTime), on: id, actor: "kim")
        return (service, id)
    }

    /// A `sleep 30` that leads its own process group, as a command's supervisor does; the caller ends it with
    /// `reap`. Spawned directly: Foundation's `Process` would take over SIGCHLD for this whole test process.
    static func groupLeader() throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let words = ["/bin/sleep", "30"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sleep", nil, &attributes, argv, environ) == 0 else { throw SpawnFailed() }
        return pid
    }

    struct SpawnFailed: Error {}

    static func reap(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    @Test func aPidWithAnotherStartTimeIsTreatedAsGoneAndNeverSignalled() async throws {
        let pid = try Self.groupLeader()
        defer { Self.reap(pid) }
        let real = try #require(await Processes.poll { ProcessIdentity.current(pid) })
        #expect(real.isAlive)
        let reused = ProcessIdentity(pid: pid, startTime: try #require(real.startTime) + 1)
        #expect(!reused.isAlive)
        #expect(reused.check == ProcessCheck(pid: pid, startTime: reused.startTime, alive: false))

        #expect(await ProcessGroup.endStale(reused, grace: .milliseconds(100)), "the recorded process is gone")
        let directory = try TemporaryDirectory()
        let (service, id) = try Self.incident(directory, running: reused)
        // The recorded run is gone (its pid now belongs to another start time): the step runs again,
        // and even --kill-stale leaves the process that now has the pid alone.
        let result = try await service.runCommandStep("probe", on: id, actor: "kim", runner: CommandRunner(), killStale: true)
        #expect(result.outcome.exitCode == 0)
        #expect(result.outcome.stdout.head == "probed\n")
        #expect(!Processes.isGone(pid), "a pid with another start time is never signalled")
        #expect(real.isAlive)
    }

    @Test func aLiveRunIsRefusedNamingItsPidAndStartTimeAndKillStaleEndsIt() async throws {
        let pid = try Self.groupLeader()
        defer { Self.reap(pid) }
        let live = try #require(await Processes.poll { ProcessIdentity.current(pid) })
        let startTime = try #require(live.startTime)
        let directory = try TemporaryDirectory()
        let (service, id) = try Self.incident(directory, running: live)

        let error = await #expect(throws: UserError.self) {
            try await service.runCommandStep("probe", on: id, actor: "kim", runner: CommandRunner())
        }
        #expect(error?.refusal?.reason == .commandStillRunning(incident: id, step: "probe", pid: pid, startTime: startTime,
                                                                startedBy: "kim", startedAt: ManualClock().now().iso8601))
        #expect(error?.message.contains("process group (pid \(pid), start time \(startTime) (clock ticks since boot)) is alive") == true)
        #expect(!Processes.isGone(pid), "a refusal signals nothing")

        let result = try await service.runCommandStep("probe", on: id, actor: "kim", runner: CommandRunner(killGrace: .milliseconds(500)),
                                                      killStale: true)
        #expect(await Processes.waitUntilGone(pid))
        #expect(result.outcome.exitCode == 0)
        let finishes = try service.snapshot(id).events.compactMap { event -> CommandOutcome? in
            if case .commandFinished(_, _, let outcome) = event.event { outcome } else { nil }
        }
        #expect(finishes.map(\.interruption) == [.killedAsStale, nil], "the stale run is recorded as ended, then the new run")
        let notes = try service.snapshot(id).events.compactMap { event -> String? in
            if case .attemptFailed(_, _, let note) = event.event { note } else { nil }
        }
        #expect(notes == ["ended with --kill-stale: its process group was still running from an earlier run"])
    }
}
