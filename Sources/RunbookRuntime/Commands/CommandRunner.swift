public import RunbookCore
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command step: `/bin/sh -c COMMAND` in its own process group, with a timeout and capped output.
///
/// - The group is led by a small supervisor (`CommandSupervisor`, the `runbook` binary in a hidden mode) that
///   holds the read end of a pipe from this process: if this process dies, even by SIGKILL, the supervisor
///   sees the pipe close and kills the group; it also kills it a moment after the timeout on its own. It starts
///   the shell only once `started` has returned, so a start that is refused (or not recorded) runs nothing.
/// - With `forwardsSignals`, SIGINT, SIGTERM and SIGHUP to this process are passed on to the group while the
///   command runs; SIGKILL follows after `killGrace`, or as soon as the shell has exited, and the outcome
///   is marked interrupted. A second signal sends SIGKILL at once.
/// - The command text is passed to the shell untouched; runbook values (`RUNBOOK_VAR_*`, `RUNBOOK_INCIDENT`)
///   reach it only as environment variables, added to this process's environment.
/// - Standard input is `/dev/null`. Standard output and error are read as they arrive: the first and last
///   `outputCap` bytes of each are kept, with the total size and a SHA-256 of all of it.
/// - At the timeout the whole process group gets SIGTERM, so a command such as `tar` may remove its
///   partial files, and SIGKILL once `killGrace` has passed, or as soon as the shell has exited and its
///   output pipes have closed (whichever comes first), so no grandchild outlives a timed-out step.
///   A `killGrace` of zero sends SIGKILL at once.
/// - If the calling task is cancelled, the group gets SIGKILL at once (from the body's cancellation handler,
///   which runs even when the task was cancelled before the shell started) and `run` throws
///   `CancellationError`.
/// - A command that exits normally while leaving background processes behind is not killed: a step may
///   start a service on purpose. Once the shell has exited, reading stops, even if such a process still
///   holds the pipes open.
public struct CommandRunner: Sendable {
    /// The bytes kept for the head, and separately for the tail, of each output stream.
    public let outputCap: Int
    /// How long a timed-out command has between SIGTERM and SIGKILL.
    public let killGrace: Duration
    /// The shell that runs the command with `-c`.
    public let shell: String
    /// Whether SIGINT, SIGTERM and SIGHUP sent to this process are passed on to the running command's group
    /// (a front end that supervises one command at a time: `runbook run`, guided mode).
    public let forwardsSignals: Bool
    /// How long checking the output against the step's `expect:` may take before it is given up (a failed attempt):
    /// a regex that backtracks without end must not hang a run.
    public let checkBudget: Duration
    /// How long after the timeout the supervisor acts on its own, when this process has not (it is stopped).
    static let supervisorMargin = Duration.seconds(1)

    public init(outputCap: Int = 8 * 1024, killGrace: Duration = .seconds(2), shell: String = "/bin/sh", forwardsSignals: Bool = false,
                checkBudget: Duration = .seconds(5)) {
        self.outputCap = max(0, outputCap)
        self.killGrace = max(.zero, killGrace)
        self.shell = shell
        self.forwardsSignals = forwardsSignals
        self.checkBudget = max(.milliseconds(1), checkBudget)
    }

    /// Runs `command` and reports how it ended.
    ///
    /// - Parameters:
    ///   - environment: Variables added to (or replacing those of) the current environment.
    ///   - timeout: How long the command may run before its process group is killed.
    ///   - workingDirectory: The directory to run in; the current one when nil.
    ///   - started: Called with the process that leads the group (its pid and start time) before the command
    ///     starts; if it throws, the command never runs and `run` throws its error.
    /// - Throws: `UserError` when the command cannot be started (missing shell, bad working directory),
    ///   `CancellationError` when the calling task was cancelled, or what `started` threw.
    nonisolated(nonsending) public func run(_ command: String, environment: [String: String], timeout: Duration, workingDirectory: String? = nil,
                    started: (ProcessIdentity) async throws -> Void = { _ in }) async throws -> CommandOutcome {
        try checkLaunchable(workingDirectory: workingDirectory)
        guard let supervisor = CommandSupervisor.executable() else {
            throw UserError(.failed, "cannot run the command: the runbook executable that supervises it was not found beside this program")
        }
        let lifeline = try Lifeline()
        defer { lifeline.close() }
        var platformOptions = PlatformOptions()
        // 0: a new group whose id is the supervisor's pid.
        platformOptions.processGroupID = 0
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { overrides[key] = value }
        }
        let interrupts = forwardsSignals ? InterruptSignals.begin() : nil
        defer { interrupts?.end() }
        let cap = outputCap
        let grace = killGrace
        let clock = ContinuousClock()
        let start = clock.now
        var launched = false
        let result: ExecutionResult<Supervision, SequenceOutput, SequenceOutput>
        do {
            result = try await Subprocess.run(
                .path(FilePath(supervisor)),
                arguments: Arguments(CommandSupervisor.arguments(deadline: timeout + Self.supervisorMargin, grace: grace,
                                                                 shell: shell, command: command)),
                environment: .inherit.updating(overrides),
                workingDirectory: workingDirectory.map { FilePath($0) },
                platformOptions: platformOptions,
                input: .fileDescriptor(FileDescriptor(rawValue: lifeline.readEnd), closeAfterSpawningProcess: true),
                output: .sequence,
                error: .sequence
            ) { execution in
                launched = true
                let leader = execution.processIdentifier.value
                do {
                    try await started(ProcessIdentity(pid: leader, startTime: ProcessIdentity.startTime(of: leader)))
                } catch {
                    // End of file before the go-ahead: the supervisor exits without starting the shell.
                    lifeline.close()
                    throw error
                }
                if let number = interrupts?.received {
                    lifeline.close()
                    return Supervision(stdout: OutputCapture(cap: cap).finish(), stderr: OutputCapture(cap: cap).finish(),
                                       timedOut: false, interruptedBy: number, ran: false)
                }
                if Task.isCancelled {
                    lifeline.close()
                    throw CancellationError()
                }
                lifeline.goAhead()
                return try await Self.supervise(execution, cap: cap, timeout: timeout, grace: grace, interrupts: interrupts)
            }
        } catch let error as SubprocessError where !launched {
            throw launchError(error, workingDirectory: workingDirectory)
        }
        let elapsed = start.duration(to: clock.now)
        if Task.isCancelled { throw CancellationError() }
        let supervision = result.closureResult
        var exitCode: Int32?
        var signal: Int32?
        switch result.terminationStatus {
        case .exited(let code) where supervision.ran: exitCode = code
        case .signaled(let number) where supervision.ran: signal = number
        default: break
        }
        // Killed at or past its timeout: timed out, even if the supervisor's own clock struck first.
        let timedOut = supervision.timedOut || (signal != nil && elapsed >= timeout)
        return CommandOutcome(exitCode: exitCode, signal: signal, timedOut: timedOut,
                              interruption: supervision.interruptedBy.map { .signal($0) },
                              durationMilliseconds: Self.milliseconds(elapsed),
                              stdout: supervision.stdout, stderr: supervision.stderr)
    }

    // MARK: - Supervision

    /// What the body of the run found: both captures and whether the deadline struck.
    struct Supervision: Sendable {
        var stdout: CapturedOutput
        var stderr: CapturedOutput
        var timedOut: Bool
        /// The signal this process received and passed on to the group.
        var interruptedBy: Int32?
        /// False when a signal came before the go-ahead, so the shell never started.
        var ran = true
    }

    /// Something that happened while a command ran, as reported by one of the supervising tasks.
    private enum Event: Sendable {
        case stdoutClosed(CapturedOutput)
        case stderrClosed(CapturedOutput)
        case deadline
        case graceOver
        /// This process received the signal (SIGINT, SIGTERM, SIGHUP).
        case interrupted(Int32)
        /// The shell has exited, or the task was cancelled while waiting for it.
        case leaderExited
        /// The deadline timer stopped because the task was cancelled.
        case stopped
    }

    /// Reads both streams, enforces the deadline and returns once the output is in and the shell has exited.
    ///
    /// Every signal is sent from here or from the cancellation handler, both of which run before
    /// swift-subprocess reaps the shell, so the group id still belongs to this command.
    private static func supervise(_ execution: Execution<FileDescriptorInput, SequenceOutput, SequenceOutput>, cap: Int,
                                  timeout: Duration, grace: Duration, interrupts: InterruptSignals?) async throws -> Supervision {
        let group = ProcessGroup(leader: execution.processIdentifier.value)
        /// Waits for the next signal this process catches.
        @Sendable func nextInterrupt() async -> Event {
            guard let interrupts else { return .stopped }
            for await number in interrupts.signals { return .interrupted(number) }
            return .stopped
        }
        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Event.self) { tasks in
                tasks.addTask { .stdoutClosed(try await capture(execution.standardOutput, cap: cap)) }
                tasks.addTask { .stderrClosed(try await capture(execution.standardError, cap: cap)) }
                tasks.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                        return .deadline
                    } catch {
                        return .stopped
                    }
                }
                if interrupts != nil { tasks.addTask { await nextInterrupt() } }
                var stdout: CapturedOutput?
                var stderr: CapturedOutput?
                var timedOut = false
                var interruptedBy: Int32?
                var finished = false
                var watchingLeader = false
                do {
                    while !finished, let event = try await tasks.next() {
                        switch event {
                        case .stdoutClosed(let output): stdout = output
                        case .stderrClosed(let output): stderr = output
                        case .deadline:
                            // A shell that exited just in time met its deadline; what it left behind stays.
                            if group.leaderHasExited() { break }
                            timedOut = true
                            if grace == .zero {
                                group.send(SIGKILL)
                            } else {
                                group.send(SIGTERM)
                                tasks.addTask {
                                    try? await Task.sleep(for: grace)
                                    return .graceOver
                                }
                            }
                        case .graceOver:
                            group.send(SIGKILL)
                        case .interrupted(let number):
                            // A command that has already ended was not interrupted; a second signal is impatience.
                            if group.leaderHasExited() { break }
                            if interruptedBy != nil {
                                group.send(SIGKILL)
                            } else {
                                interruptedBy = number
                                group.send(number)
                                tasks.addTask {
                                    try? await Task.sleep(for: grace)
                                    return .graceOver
                                }
                            }
                            tasks.addTask { await nextInterrupt() }
                        case .leaderExited:
                            finished = true
                        case .stopped:
                            break
                        }
                        if stdout != nil, stderr != nil, !watchingLeader {
                            // The pipes are closed; the shell may still run (it can close them itself).
                            watchingLeader = true
                            // On cancellation the wait ends early; the group is being killed anyway.
                            tasks.addTask {
                                await group.waitForLeaderExit()
                                return .leaderExited
                            }
                        }
                    }
                } catch {
                    // A read failed: do not leave the command running behind the error.
                    group.send(SIGKILL)
                    throw error
                }
                tasks.cancelAll()
                if timedOut || interruptedBy != nil {
                    // Whatever ignored the signal, or was still finishing when the shell exited, goes now.
                    group.send(SIGKILL)
                }
                let empty = OutputCapture(cap: cap).finish()
                return Supervision(stdout: stdout ?? empty, stderr: stderr ?? empty, timedOut: timedOut, interruptedBy: interruptedBy)
            }
        } onCancel: {
            group.send(SIGKILL)
        }
    }

    /// Reads `stream` to its end, keeping only what `OutputCapture` keeps.
    private static func capture(_ stream: SubprocessOutputSequence, cap: Int) async throws -> CapturedOutput {
        var capture = OutputCapture(cap: cap)
        for try await buffer in stream {
            buffer.withUnsafeBytes { capture.append($0) }
        }
        return capture.finish()
    }

    // MARK: - Launch errors

    /// Checks the shell and working directory up front, so the usual launch failures read clearly.
    private func checkLaunchable(workingDirectory: String?) throws(UserError) {
        guard access(shell, X_OK) == 0 else { throw shellMissing() }
        if let workingDirectory, !FileIO.isDirectory(workingDirectory) {
            throw badWorkingDirectory(workingDirectory)
        }
    }

    /// The user-facing error for a failure of swift-subprocess to start the shell.
    private func launchError(_ error: SubprocessError, workingDirectory: String?) -> UserError {
        if error.code == .executableNotFound { return shellMissing() }
        let reason = error.underlyingError.map { String(cString: strerror($0.rawValue)).lowercased() }
        if error.code == .failedToChangeWorkingDirectory, let workingDirectory {
            return UserError(.usage, "cannot run the command: cannot enter the working directory \(workingDirectory)"
                             + (reason.map { ": \($0)" } ?? ""))
        }
        return UserError(.failed, "cannot start the command with \(shell): \(reason ?? "the system refused to start it")")
    }

    private func shellMissing() -> UserError {
        UserError(.failed, "cannot run the command: the shell \(shell) is missing or not executable")
    }

    private func badWorkingDirectory(_ directory: String) -> UserError {
        UserError(.usage, "cannot run the command: the working directory \(directory) does not exist or is not a directory")
    }

    /// The pipe that keeps the supervisor going: it reads the go-ahead byte from it, and its end of file
    /// (this process closing it, or dying) as the order to kill the group.
    final class Lifeline: Sendable {
        let readEnd: Int32
        private let writeEnd: Atomic<Int32>

        init() throws(UserError) {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                throw UserError(.failed, "cannot run the command: cannot make a pipe: \(FileIO.lastError())")
            }
            // Closed on exec: no other child may hold the write end open, or a dead runbook would go unnoticed.
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            readEnd = ends[0]
            writeEnd = Atomic(ends[1])
        }

        /// Tells the supervisor to start the shell.
        func goAhead() {
            var byte: UInt8 = 1
            let descriptor = writeEnd.load(ordering: .acquiring)
            if descriptor >= 0 { _ = write(descriptor, &byte, 1) }
        }

        /// Closes the write end (once).
        func close() {
            let descriptor = writeEnd.exchange(-1, ordering: .acquiringAndReleasing)
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        }
    }

    /// Whole milliseconds in `duration`.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
