/// What a command step's run produced, as recorded in the log.
public struct CommandOutcome: Sendable, Equatable {
    /// The exit status, or nil when the process was killed by a signal.
    public var exitCode: Int32?
    /// The signal that ended the process, if any.
    public var signal: Int32?
    /// True when the step's timeout killed the process group.
    public var timedOut: Bool
    /// Set when runbook itself cut the run short: its supervisor was signalled, or `--kill-stale` ended it.
    public var interruption: CommandInterruption?
    public var durationMilliseconds: Int64
    public var stdout: CapturedOutput
    public var stderr: CapturedOutput
    /// Why the command could not be started at all ("workdir /srv/app does not exist"); recorded as exit 127.
    public var couldNotStart: String?
    /// What the step's `expect:` found in the output, recorded when the exit code was as expected (absent from
    /// events of older runbooks and from runs of steps without `expect:`).
    public var expectation: ExpectationResult?

    public init(exitCode: Int32?, signal: Int32? = nil, timedOut: Bool = false, interruption: CommandInterruption? = nil,
                durationMilliseconds: Int64, stdout: CapturedOutput, stderr: CapturedOutput, couldNotStart: String? = nil,
                expectation: ExpectationResult? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.interruption = interruption
        self.durationMilliseconds = durationMilliseconds
        self.stdout = stdout
        self.stderr = stderr
        self.couldNotStart = couldNotStart
        self.expectation = expectation
    }

    /// Whether the run counts as success for a step expecting `expectedExit`.
    public func succeeded(expecting expectedExit: Int32) -> Bool {
        interruption == nil && !timedOut && signal == nil && exitCode == expectedExit
    }

    /// "interrupted (SIGTERM)", "timed out", "killed by signal 9 (SIGKILL)", "exit 127 (command not found)",
    /// "exit 3": the result in a few words, for logs, reports, the timeline and guided mode.
    public var shortResult: String {
        if let interruption { return interruption.shortDescription }
        if timedOut { return "timed out" }
        if let signal { return ExitStatus.killedBySignal(signal) }
        guard let exitCode else { return "exit ?" }
        return "exit \(exitCode)" + (ExitStatus.meaning(ofExit: exitCode).map { " (\($0))" } ?? "")
    }
}

/// What an exit status or a signal means: the one explanation every view of a command's result uses.
public enum ExitStatus {
    /// "command not found" for 127, "not executable" for 126, "timed out: the exit status of `timeout`" for
    /// 124; nil for a status that says nothing beyond "failed".
    public static func meaning(ofExit code: Int32, in language: Language = .english) -> String? {
        switch code {
        case 127: language.choose(english: "command not found", korean: "명령을 찾을 수 없음")
        case 126: language.choose(english: "not executable", korean: "실행할 수 없음")
        case 124: language.choose(english: "timed out: the exit status of `timeout`", korean: "시간 초과: `timeout`의 종료 코드")
        default: nil
        }
    }

    /// "killed by signal 9 (SIGKILL)", "killed by signal 11".
    public static func killedBySignal(_ signal: Int32, in language: Language = .english) -> String {
        let name = names[signal].map { " (\($0))" } ?? ""
        return language.choose(english: "killed by signal \(signal)\(name)", korean: "시그널 \(signal)\(name)로 종료됨")
    }

    /// The names of the signals that commonly end a command, by their numbers on Linux.
    static let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV",
                                         13: "SIGPIPE", 15: "SIGTERM"]
}

/// Why runbook cut a command's run short, other than its timeout.
public enum CommandInterruption: Sendable, Equatable {
    /// The supervising `runbook` received this signal (SIGINT, SIGTERM, SIGHUP) and passed it on to the
    /// command's process group.
    case signal(Int32)
    /// `runbook run --kill-stale` ended a group left running by an earlier run of the step.
    case killedAsStale

    /// As stored in the event: "SIGTERM", "signal 12", "kill-stale".
    public var stored: String {
        switch self {
        case .signal(let number): Self.signalNames[number] ?? "signal \(number)"
        case .killedAsStale: "kill-stale"
        }
    }

    /// Reads what `stored` wrote; nil for anything else.
    public init?(stored text: String) {
        if text == "kill-stale" {
            self = .killedAsStale
        } else if let number = Self.signalNames.first(where: { $0.value == text })?.key {
            self = .signal(number)
        } else if text.hasPrefix("signal "), let number = Int32(text.dropFirst("signal ".count)) {
            self = .signal(number)
        } else {
            return nil
        }
    }

    /// "interrupted (SIGTERM)", "ended with --kill-stale".
    public var shortDescription: String {
        switch self {
        case .signal: "interrupted (\(stored))"
        case .killedAsStale: "ended with --kill-stale"
        }
    }

    /// The signals runbook passes on, by their numbers on Linux and macOS.
    static let signalNames: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 9: "SIGKILL", 15: "SIGTERM"]
}

/// A capped capture of one output stream: its head and tail, its full size and the SHA-256 of all of it.
public struct CapturedOutput: Sendable, Equatable {
    /// The first bytes (up to the cap), as text.
    public var head: String
    /// The last bytes when the output was longer than the head; empty otherwise.
    public var tail: String
    public var totalBytes: Int64
    /// SHA-256 (lowercase hex) of the complete output.
    public var sha256: String

    public init(head: String, tail: String, totalBytes: Int64, sha256: String) {
        self.head = head
        self.tail = tail
        self.totalBytes = totalBytes
        self.sha256 = sha256
    }

    /// True when some bytes between head and tail were not kept.
    public var truncated: Bool {
        Int64(head.utf8.count + tail.utf8.count) < totalBytes
    }
}

/// What a command step's run means for the step: the one place this is decided (STYLE 18).
public enum CommandVerdict: Sendable, Equatable {
    case succeeded
    /// Exit 127: the shell could not find a program (named when its message says which).
    case notFound(program: String?)
    /// Exit 126: a program was found but could not be executed.
    case notExecutable(program: String?)
    case timedOut(after: RunbookDuration)
    case interrupted(CommandInterruption)
    case killed(signal: Int32)
    case exitCode(Int32, expected: Int32)
    /// The command could not be started (a missing `workdir`, no shell): nothing ran.
    case couldNotStart(reason: String)
    /// The exit code was as expected and the output showed what `expect:` asks for.
    case expectationMet(ExpectationResult)
    /// The exit code was as expected but the output did not show what `expect:` asks for: a failed attempt.
    case expectationFailed(ExpectationResult)

    public var succeeded: Bool {
        switch self {
        case .succeeded, .expectationMet: true
        default: false
        }
    }

    /// "could not run: command not found: supabase (exit 127)", "exit code 3, expected 0", "timed out after 2m".
    public var summary: String { summary(in: .english) }

    /// The summary in `language` ("종료 코드 3, 기대값 0").
    public func summary(in l: Language) -> String {
        switch self {
        case .succeeded: l.choose(english: "succeeded", korean: "성공")
        case .notFound(let program):
            l.choose(english: "could not run: command not found\(program.map { ": \($0)" } ?? "") (exit 127)",
                     korean: "실행하지 못함: 명령을 찾을 수 없음\(program.map { ": \($0)" } ?? "") (종료 코드 127)")
        case .notExecutable(let program):
            l.choose(english: "could not run: not executable\(program.map { ": \($0)" } ?? "") (exit 126)",
                     korean: "실행하지 못함: 실행할 수 없는 파일\(program.map { ": \($0)" } ?? "") (종료 코드 126)")
        case .timedOut(let after): l.choose(english: "timed out after \(after)", korean: "\(after) 뒤 시간 초과")
        case .interrupted(let interruption):
            switch interruption {
            case .signal:
                l.choose(english: "interrupted: runbook received \(interruption.stored) and ended the command's process group",
                         korean: "중단됨: runbook이 \(interruption.stored)을(를) 받아 명령의 프로세스 그룹을 끝냄")
            case .killedAsStale:
                l.choose(english: "ended with --kill-stale: its process group was still running from an earlier run",
                         korean: "--kill-stale로 끝냄: 이전 실행의 프로세스 그룹이 아직 실행 중이었음")
            }
        case .killed(let signal): ExitStatus.killedBySignal(signal, in: l)
        case .exitCode(let code, let expected):
            l.choose(english: "exit code \(code)", korean: "종료 코드 \(code)") + (ExitStatus.meaning(ofExit: code, in: l).map { " (\($0))" } ?? "")
                + l.choose(english: ", expected \(expected)", korean: ", 기대값 \(expected)")
        case .couldNotStart(let reason): l.choose(english: "could not start: \(reason)", korean: "시작하지 못함: \(reason)")
        case .expectationMet(let result):
            l.choose(english: "succeeded: ", korean: "성공: ") + Message.commandExpectation(result).text(in: l)
        case .expectationFailed(let result): Message.commandExpectation(result).text(in: l)
        }
    }

    /// What to do about it, when there is something specific to say.
    public var hint: String? { hint(in: .english) }

    /// The hint in `language`.
    public func hint(in l: Language) -> String? {
        switch self {
        case .notFound:
            l.choose(english: "install the program or fix PATH for this shell, then run the step again; `sh -c \"a && b\"` may have run `a` "
                        + "before failing, so this is a label, not a promise that nothing ran",
                     korean: "프로그램을 설치하거나 이 셸의 PATH를 고친 뒤 작업을 다시 실행하십시오. `sh -c \"a && b\"`는 실패하기 전에 "
                        + "`a`를 실행했을 수 있으니, 이 표시는 아무것도 실행되지 않았다는 보장이 아닙니다")
        case .notExecutable:
            l.choose(english: "check the file's execute permission, then run the step again",
                     korean: "파일의 실행 권한을 확인한 뒤 작업을 다시 실행하십시오")
        default:
            nil
        }
    }
}

extension CommandOutcome {
    /// The verdict for a step that expects `expectedExit` and was killed after `timeout`.
    ///
    /// The exit status decides first; then what the output's `expect:` check found, when one is recorded.
    public func verdict(expecting expectedExit: Int32, timeout: RunbookDuration) -> CommandVerdict {
        if let interruption { return .interrupted(interruption) }
        if timedOut { return .timedOut(after: timeout) }
        if let signal { return .killed(signal: signal) }
        if let couldNotStart { return .couldNotStart(reason: couldNotStart) }
        guard let exitCode else { return .killed(signal: 0) }
        if exitCode == expectedExit {
            guard let expectation else { return .succeeded }
            return expectation.passed ? .expectationMet(expectation) : .expectationFailed(expectation)
        }
        switch exitCode {
        case 127: return .notFound(program: Self.programNamed(in: stderr.head + stderr.tail, marker: "not found"))
        case 126: return .notExecutable(program: Self.programNamed(in: stderr.head + stderr.tail, marker: "Permission denied"))
        default: return .exitCode(exitCode, expected: expectedExit)
        }
    }

    /// The program a shell names in "sh: 1: supabase: not found" or "bash: line 1: supabase: command not found".
    static func programNamed(in stderr: String, marker: String) -> String? {
        for line in stderr.split(separator: "\n").reversed() where line.contains(marker) {
            let parts = line.split(separator: ":").map { String($0).trimmingWhitespace }
            guard let index = parts.lastIndex(where: { $0.contains(marker) }), index > 0 else { continue }
            let program = parts[index - 1]
            if !program.isEmpty, !program.contains(" ") || program.hasPrefix("/") { return String(program) }
        }
        return nil
    }
}


extension Step {
    /// The verdict of one of this command step's runs, by its own `expect_exit`, `expect:` and timeout: what the
    /// engine, `run`, guided mode, `output`, status and the report all say (a step that is not a command expects
    /// exit 0). A run whose check is not recorded yet is checked here, by the same function the engine records.
    public func verdict(of outcome: CommandOutcome) -> CommandVerdict {
        recorded(outcome).verdict(expecting: commandSpec?.expectExit ?? 0, timeout: commandTimeout)
    }

    /// The run as it is recorded: with what the step's `expect:` found in its output, when its exit status
    /// was as expected (the exit code is checked first; a failed run's output is not judged).
    public func recorded(_ outcome: CommandOutcome) -> CommandOutcome {
        guard let expect = expectationToCheck(outcome) else { return outcome }
        var recorded = outcome
        recorded.expectation = expect.evaluate(stdout: outcome.stdout, stderr: outcome.stderr)
        return recorded
    }

    /// The step's `expect:` when `outcome` is still to be checked against it: none is recorded yet and the exit
    /// status was as expected. The runtime checks it first, within a time bound, so the engine never has to.
    public func expectationToCheck(_ outcome: CommandOutcome) -> CommandExpectation? {
        guard outcome.expectation == nil, let command = commandSpec, let expect = command.expect,
              outcome.verdict(expecting: command.expectExit, timeout: commandTimeout) == .succeeded else { return nil }
        return expect
    }

    /// The command this step runs, if it is a command step.
    public var commandSpec: CommandSpec? {
        if case .command(let command) = kind { return command }
        return nil
    }
}

extension Runbook {
    /// The step with this id in any state (step ids are unique within a state; the first one is taken).
    public func anyStep(_ id: String) -> Step? {
        states.lazy.compactMap { $0.step(id) }.first
    }

    /// The verdict on a run of step `id`: by the step's `expect_exit` and timeout, or by the defaults when the
    /// runbook no longer has such a step.
    public func verdict(of outcome: CommandOutcome, step id: String) -> CommandVerdict {
        anyStep(id)?.verdict(of: outcome) ?? outcome.verdict(expecting: 0, timeout: CommandSpec.defaultTimeout)
    }
}
