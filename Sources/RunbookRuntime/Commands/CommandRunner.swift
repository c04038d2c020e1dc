public import RunbookCore
import Subprocess
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command step: `/bin/sh -c COMMAND` in its own process group, with a timeout and capped output.
///
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

    public init(outputCap: Int = 8 * 1024, killGrace: Duration = .seconds(2), shell: String = "/bin/sh") {
        self.outputCap = max(0, outputCap)
        self.killGrace = max(.zero, killGrace)
        self.shell = shell
    }

    /// Runs `command` and reports how it ended.
    ///
    /// - Parameters:
    ///   - environment: Variables added to (or replacing those of) the current environment.
    ///   - timeout: How long the command may run before its process group is killed.
    ///   - workingDirectory: The directory to run in; the current one when nil.
    /// - Throws: `UserError` when the command cannot be started (missing shell, bad working directory),
    ///   `CancellationError` when the calling task was cancelled.
    public func run(_ command: String, environment: [String: String], timeout: Duration,
                    workingDirectory: String? = nil) async throws -> CommandOutcome {
        try checkLaunchable(workingDirectory: workingDirectory)
        var platformOptions = PlatformOptions()
        // 0: a new group whose id is the child's pid.
        platformOptions.processGroupID = 0
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in environment {
            if let key = Environment.Key(rawValue: name) { overrides[key] = value }
        }
        let cap = outputCap
        let grace = killGrace
        let clock = ContinuousClock()
        let start = clock.now
        var started = false
        let result: ExecutionResult<Supervision, SequenceOutput, SequenceOutput>
        do {
            result = try await Subprocess.run(
                .path(FilePath(shell)),
                arguments: ["-c", command],
                environment: .inherit.updating(overrides),
                workingDirectory: workingDirectory.map { FilePath($0) },
                platformOptions: platformOptions,
                input: .none,
                output: .sequence,
                error: .sequence
            ) { execution in
                started = true
                return try await Self.supervise(execution, cap: cap, timeout: timeout, grace: grace)
            }
        } catch let error as SubprocessError where !started {
            throw launchError(error, workingDirectory: workingDirectory)
        }
        let elapsed = start.duration(to: clock.now)
        if Task.isCancelled { throw CancellationError() }
        let supervision = result.closureResult
        var exitCode: Int32?
        var signal: Int32?
        switch result.terminationStatus {
        case .exited(let code): exitCode = code
        case .signaled(let number): signal = number
        }
        return CommandOutcome(exitCode: exitCode, signal: signal, timedOut: supervision.timedOut,
                              durationMilliseconds: Self.milliseconds(elapsed),
                              stdout: supervision.stdout, stderr: supervision.stderr)
    }

    // MARK: - Supervision

    /// What the body of the run found: both captures and whether the deadline struck.
    struct Supervision: Sendable {
        var stdout: CapturedOutput
        var stderr: CapturedOutput
        var timedOut: Bool
    }

    /// Something that happened while a command ran, as reported by one of the supervising tasks.
    private enum Event: Sendable {
        case stdoutClosed(CapturedOutput)
        case stderrClosed(CapturedOutput)
        case deadline
        case graceOver
        /// The shell has exited, or the task was cancelled while waiting for it.
        case leaderExited
        /// The deadline timer stopped because the task was cancelled.
        case stopped
    }

    /// Reads both streams, enforces the deadline and returns once the output is in and the shell has exited.
    ///
    /// Every signal is sent from here or from the cancellation handler, both of which run before
    /// swift-subprocess reaps the shell, so the group id still belongs to this command.
    private static func supervise(_ execution: Execution<NoInput, SequenceOutput, SequenceOutput>, cap: Int,
                                  timeout: Duration, grace: Duration) async throws -> Supervision {
        let group = ProcessGroup(leader: execution.processIdentifier.value)
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
                var stdout: CapturedOutput?
                var stderr: CapturedOutput?
                var timedOut = false
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
                if timedOut {
                    // Whatever ignored SIGTERM, or was still finishing when the shell exited, goes now.
                    group.send(SIGKILL)
                }
                let empty = OutputCapture(cap: cap).finish()
                return Supervision(stdout: stdout ?? empty, stderr: stderr ?? empty, timedOut: timedOut)
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

    /// Whole milliseconds in `duration`.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
