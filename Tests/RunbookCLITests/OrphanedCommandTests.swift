import Foundation
import Glibc
import RunbookTestSupport
import Testing

/// A step whose command holds on (`exec sleep 30`, in a 3 s timeout) while the file `block` exists, writing its
/// pid first, and otherwise prints `quick` at once, so a test can run the same step slowly and then quickly.
let holdingRunbook = """
    runbook: holding
    title: Holding
    roles:
      oncall: { title: On-call }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: work
    states:
      work:
        deadline: 1h
        steps:
          - id: hold
            title: Hold
            run: 'if [ -e block ]; then echo $$ > shell.pid; exec sleep 30; fi; echo quick'
            timeout: 3s
          - id: stubborn
            title: Stubborn
            run: 'trap "" INT TERM HUP; echo $$ > shell.pid; sleep 30 & wait'
            timeout: 3s
          - { id: other, title: Other }
        resolves: true
        end: true

    """

/// A workspace holding only `holding`, with an incident started from it by kim.
func withHoldingIncident(_ body: (_ cli: CLIRunner, _ directory: String, _ id: String) throws -> Void) throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.createDirectory(atPath: "\(directory)/runbooks", withIntermediateDirectories: true)
    try holdingRunbook.write(toFile: "\(directory)/runbooks/holding.yaml", atomically: true, encoding: .utf8)
    let cli = CLIRunner(directory: directory)
    let started = try cli.run(["start", "holding", "--as", "kim"])
    try #require(started.status == 0, "\(started.stderr)")
    try body(cli, directory, started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
}

/// `runbook ARGUMENTS` started in the background, to be signalled while its command runs.
final class BackgroundRun {
    let process = Process()
    private let scratch: String

    init(_ cli: CLIRunner, _ arguments: [String], input: String = "") throws {
        scratch = try makeTemporaryDirectory()
        try input.write(toFile: "\(scratch)/in", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") && $0.key != "NO_COLOR" }
        environment["TZ"] = "UTC"
        environment["USER"] = "tester"
        environment["RUNBOOK_WATCHER"] = "off"
        process.environment = environment
        _ = FileManager.default.createFile(atPath: "\(scratch)/out", contents: nil)
        _ = FileManager.default.createFile(atPath: "\(scratch)/err", contents: nil)
        process.standardInput = FileHandle(forReadingAtPath: "\(scratch)/in")
        process.standardOutput = FileHandle(forWritingAtPath: "\(scratch)/out")
        process.standardError = FileHandle(forWritingAtPath: "\(scratch)/err")
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    var pid: pid_t { process.processIdentifier }

    /// Waits for it to exit; its status, standard output and standard error.
    func finish() throws -> CLIResult {
        process.waitUntilExit()
        return CLIResult(stdout: try String(contentsOfFile: "\(scratch)/out", encoding: .utf8),
                         stderr: try String(contentsOfFile: "\(scratch)/err", encoding: .utf8), status: process.terminationStatus)
    }
}

/// Processes as /proc shows them.
enum ProcTable {
    /// Fields 3 onwards of `/proc/PID/stat` (the state first), or nil when there is no such process.
    static func fields(_ pid: pid_t) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return nil
        }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// The process group of `pid`.
    static func group(of pid: pid_t) -> pid_t? {
        fields(pid).flatMap { $0.count > 2 ? pid_t($0[2]) : nil }
    }

    /// The start time of `pid` (field 22, clock ticks since boot).
    static func startTime(of pid: pid_t) -> UInt64? {
        fields(pid).flatMap { $0.count > 19 ? UInt64($0[19]) : nil }
    }

    /// The processes of group `group` that still run. A zombie has ended: where PID 1 does not reap, a supervisor
    /// whose parent was killed stays one.
    static func liveMembers(of group: pid_t) -> [pid_t] {
        // No signal is sent: kill with 0 only asks whether the group still has any process, zombies included.
        guard kill(-group, 0) == 0 else { return [] }
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
        return pids.filter { pid in
            guard let fields = fields(pid), fields.count > 2, pid_t(fields[2]) == group else { return false }
            return fields[0] != "Z" && fields[0] != "X"
        }
    }

    /// Polls every 10 ms, up to `limit`, until `condition` holds; whether it did.
    static func waitUntil(limit: Duration, _ condition: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        while clock.now < end {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    /// The group of the command that wrote its pid to `shell.pid` in `directory`, once it has.
    static func commandGroup(in directory: String) -> pid_t? {
        var group: pid_t?
        _ = waitUntil(limit: .seconds(15)) {
            guard let text = try? String(contentsOfFile: "\(directory)/shell.pid", encoding: .utf8),
                  let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
            group = ProcTable.group(of: pid)
            return group != nil
        }
        return group
    }
}

@Suite(.serialized) struct OrphanedCommandTests {
    @Test func killNineOfRunEndsTheCommandBeforeItsTimeoutAndAnotherRunWaitsOnlyWhileItLives() throws {
        try withHoldingIncident { cli, directory, id in
            _ = FileManager.default.createFile(atPath: "\(directory)/block", contents: nil)
            let first = try BackgroundRun(cli, ["run", id, "hold", "--as", "kim"])
            let group = try #require(ProcTable.commandGroup(in: directory))
            let startTime = try #require(ProcTable.startTime(of: group))
            #expect(group != first.pid, "the command runs in a group of its own")

            let refused = try cli.run(["run", id, "hold", "--as", "kim"])
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("runbook: error: step `hold` is still running: its command's process group "
                                             + "(pid \(group), start time \(startTime) (clock ticks since boot)) is alive, started by kim at "))
            #expect(refused.stderr.hasSuffix("; wait for it to end or time out, or end it with runbook run \(id) hold --kill-stale\n"))
            #expect(!ProcTable.liveMembers(of: group).isEmpty, "a refused run leaves the running one alone")

            kill(first.pid, SIGKILL)
            _ = try first.finish()
            #expect(ProcTable.waitUntil(limit: .seconds(3)) { ProcTable.liveMembers(of: group).isEmpty },
                    "no process of the group outlives the step's 3 s timeout")

            // The recorded process is gone: the step may run again.
            try FileManager.default.removeItem(atPath: "\(directory)/block")
            let again = try cli.run(["run", id, "hold", "--as", "kim"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.hasPrefix("--- stdout (6 bytes) ---\n  quick\n"))
        }
    }

    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")])
    func aSignalToRunIsPassedToTheGroupAndRecordedAsAnInterruptedAttempt(signal: Int32, name: String) throws {
        try withHoldingIncident { cli, directory, id in
            _ = FileManager.default.createFile(atPath: "\(directory)/block", contents: nil)
            let run = try BackgroundRun(cli, ["run", id, "hold", "--as", "kim"])
            let group = try #require(ProcTable.commandGroup(in: directory))
            let clock = ContinuousClock()
            let sent = clock.now

            kill(run.pid, signal)
            let result = try run.finish()

            #expect(sent.duration(to: clock.now) < .seconds(2), "at once, not at the 3 s timeout")
            #expect(ProcTable.waitUntil(limit: .milliseconds(500)) { ProcTable.liveMembers(of: group).isEmpty })
            #expect(result.status == 1)
            #expect(result.stderr == "runbook: error: step `hold` interrupted: runbook received \(name) and ended the command's process group; "
                    + "it waits for your decision: run it again, `runbook step \(id) hold done --note \"what was checked instead\"`, "
                    + "skip it with --note, or fail it\n")
            #expect(result.stdout.contains("command `hold` finished: interrupted (\(name)) in "))
            let timeline = try cli.run(["timeline", id]).stdout
            #expect(timeline.contains("step `hold` Hold attempt failed, waiting for a decision (run again, done by hand, skip or fail): "
                                      + "interrupted: runbook received \(name) and ended the command's process group"))
            // An interrupted run is a failed attempt like any other: run it again.
            try FileManager.default.removeItem(atPath: "\(directory)/block")
            #expect(try cli.run(["run", id, "hold", "--as", "kim"]).status == 0)
        }
    }

    @Test func aCommandThatIgnoresTheSignalIsKilledAfterAShortGrace() throws {
        try withHoldingIncident { cli, directory, id in
            let run = try BackgroundRun(cli, ["run", id, "stubborn", "--as", "kim"])
            let group = try #require(ProcTable.commandGroup(in: directory))
            #expect(ProcTable.waitUntil(limit: .seconds(2)) { ProcTable.liveMembers(of: group).count == 3 },
                    "the supervisor, the shell and its sleep")

            kill(run.pid, SIGTERM)
            let result = try run.finish()

            #expect(ProcTable.waitUntil(limit: .milliseconds(500)) { ProcTable.liveMembers(of: group).isEmpty })
            #expect(result.status == 1)
            #expect(result.stdout.contains("command `stubborn` finished: interrupted (SIGTERM) in "))
        }
    }

    @Test func aStoppedRunStillHasItsCommandKilledJustAfterTheTimeout() throws {
        try withHoldingIncident { cli, directory, id in
            _ = FileManager.default.createFile(atPath: "\(directory)/block", contents: nil)
            let clock = ContinuousClock()
            let start = clock.now
            let stopped = try BackgroundRun(cli, ["run", id, "hold", "--as", "kim"])
            let group = try #require(ProcTable.commandGroup(in: directory))
            kill(stopped.pid, SIGSTOP)
            defer {
                kill(stopped.pid, SIGKILL)
                _ = try? stopped.finish()
            }

            // The supervisor's own clock: the 3 s timeout and a second's margin.
            #expect(ProcTable.waitUntil(limit: .seconds(10)) { ProcTable.liveMembers(of: group).isEmpty })
            let ended = start.duration(to: clock.now)
            #expect(ended >= .seconds(3) && ended < .seconds(7), "ended at \(ended)")
        }
    }

    @Test func killStaleEndsALiveGroupRecordsItAndRuns() throws {
        try withHoldingIncident { cli, directory, id in
            _ = FileManager.default.createFile(atPath: "\(directory)/block", contents: nil)
            let stuck = try BackgroundRun(cli, ["run", id, "hold", "--as", "kim"])
            let group = try #require(ProcTable.commandGroup(in: directory))
            // A runbook that is stopped, not dead (Ctrl-Z, a frozen session), keeps its command's group alive.
            kill(stuck.pid, SIGSTOP)
            defer {
                kill(stuck.pid, SIGKILL)
                _ = try? stuck.finish()
            }
            try FileManager.default.removeItem(atPath: "\(directory)/block")
            #expect(try cli.run(["run", id, "hold", "--as", "kim"]).status == 1, "refused while the group lives")

            let result = try cli.run(["run", id, "hold", "--kill-stale", "--as", "kim"])

            #expect(result.status == 0, "\(result.stderr)")
            #expect(ProcTable.liveMembers(of: group).isEmpty)
            #expect(result.stdout.contains("command `hold` finished: ended with --kill-stale in "))
            #expect(result.stdout.contains("step `hold` Hold attempt failed, waiting for a decision (run again, done by hand, skip or fail): "
                                           + "ended with --kill-stale: its process group was still running from an earlier run"))
            #expect(result.stdout.contains("quick\n"))
            #expect(result.stdout.contains("step `hold` Hold done"))
        }
    }

    /// The earlier run's `runbook` is alive (another terminal; the team server's request): --kill-stale ends its group,
    /// that run records its own end, and the step runs again instead of failing to record an end already recorded.
    @Test func killStaleOfARunWhoseRunbookIsAliveRunsTheStepAgain() throws {
        try withHoldingIncident { cli, directory, id in
            _ = FileManager.default.createFile(atPath: "\(directory)/block", contents: nil)
            let first = try BackgroundRun(cli, ["run", id, "hold", "--as", "kim"])
            let group = try #require(ProcTable.commandGroup(in: directory))
            try FileManager.default.removeItem(atPath: "\(directory)/block")

            let result = try cli.run(["run", id, "hold", "--kill-stale", "--as", "lee"])

            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(ProcTable.liveMembers(of: group).isEmpty)
            #expect(result.stdout.contains("quick\n"), "\(result.stdout)")
            #expect(result.stdout.contains("step `hold` Hold done"), "\(result.stdout)")
            _ = try first.finish()
            let timeline = try cli.run(["timeline", id]).stdout
            #expect(timeline.components(separatedBy: "finished:").count - 1 == 2, "each run's end recorded once: \(timeline)")
        }
    }

    @Test func guidedModePassesTheSignalOnToo() throws {
        try withHoldingIncident { cli, directory, id in
            _ = FileManager.default.createFile(atPath: "\(directory)/block", contents: nil)
            let guide = try BackgroundRun(cli, ["guide", id, "--as", "kim"], input: "select hold\nrun\ny\nquit\n")
            let group = try #require(ProcTable.commandGroup(in: directory))

            kill(guide.pid, SIGTERM)
            let result = try guide.finish()

            #expect(ProcTable.waitUntil(limit: .milliseconds(500)) { ProcTable.liveMembers(of: group).isEmpty })
            #expect(result.stdout.contains("Step `hold` interrupted: runbook received SIGTERM and ended the command's process group. Decide: "))
            // SIGTERM ends the session too, once the run is recorded (Ctrl-C would stop only the command).
            #expect(result.status == 1)
            #expect(result.stderr.hasSuffix("runbook: error: left guided mode: runbook received SIGTERM while a command ran; the run was "
                                            + "recorded as interrupted; resume with `runbook guide \(id)`\n"))
            #expect(try cli.run(["timeline", id]).stdout.contains("command `hold` finished: interrupted (SIGTERM) in "))
        }
    }

    @Test func runHelpSaysWhatEscapesTheGroup() throws {
        let help = try CLIRunner(directory: FileManager.default.temporaryDirectory.path).run(["run", "--help"]).stdout
        #expect(help.contains("--kill-stale"))
        #expect(help.contains("setsid"))
    }
}
