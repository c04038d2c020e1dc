#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RunbookCore
@testable import RunbookRuntime
import Testing

@Suite struct CommandRunnerTests {
    let runner = CommandRunner()

    @Test func successCapturesStandardOutput() async throws {
        let outcome = try await runner.run("echo hello", environment: [:], timeout: .seconds(10))

        #expect(outcome.exitCode == 0)
        #expect(outcome.signal == nil)
        #expect(!outcome.timedOut)
        #expect(outcome.succeeded(expecting: 0))
        #expect(outcome.stdout == CapturedOutput(
            head: "hello\n", tail: "", totalBytes: 6,
            sha256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"))
        #expect(outcome.stderr == CapturedOutput(
            head: "", tail: "", totalBytes: 0,
            sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        #expect(outcome.durationMilliseconds >= 0 && outcome.durationMilliseconds < 10_000)
    }

    @Test func exitCodeIsRecorded() async throws {
        let outcome = try await runner.run("exit 3", environment: [:], timeout: .seconds(10))

        #expect(outcome.exitCode == 3)
        #expect(outcome.signal == nil)
        #expect(!outcome.succeeded(expecting: 0))
        #expect(outcome.succeeded(expecting: 3))
    }

    @Test func standardErrorIsCaptured() async throws {
        let outcome = try await runner.run("echo oops >&2; exit 1", environment: [:], timeout: .seconds(10))

        #expect(outcome.exitCode == 1)
        #expect(outcome.stderr.head == "oops\n")
        #expect(outcome.stderr.sha256 == EventChain.sha256("oops\n"))
        #expect(outcome.stdout.totalBytes == 0)
    }

    @Test func deathBySignalIsRecorded() async throws {
        let outcome = try await runner.run("kill -9 $$", environment: [:], timeout: .seconds(10))

        #expect(outcome.exitCode == nil)
        #expect(outcome.signal == SIGKILL)
        #expect(!outcome.timedOut)
        #expect(!outcome.succeeded(expecting: 0))
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let directory = try TemporaryDirectory()
        let clock = ContinuousClock()
        let start = clock.now

        let outcome = try await runner.run(
            #"echo before; sh -c 'sleep 30 & echo $! > "$PIDFILE"; wait'"#,
            environment: ["PIDFILE": directory.path("pid")], timeout: .milliseconds(300))

        let elapsed = start.duration(to: clock.now)
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGTERM)
        #expect(outcome.exitCode == nil)
        #expect(!outcome.succeeded(expecting: 0))
        #expect(outcome.stdout.head == "before\n")
        #expect(elapsed < .seconds(10), "a timed-out command returns promptly, not when its grandchild (30 s) ends")
        #expect(outcome.durationMilliseconds >= 300)
        let grandchild = try #require(directory.text("pid").flatMap { Processes.pids(in: $0).first })
        #expect(await Processes.waitUntilGone(grandchild))
    }

    @Test func timeoutEscalatesToSIGKILLWhenSIGTERMIsIgnored() async throws {
        let directory = try TemporaryDirectory()
        let runner = CommandRunner(killGrace: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now

        let outcome = try await runner.run(
            #"trap '' TERM; sleep 30 & echo $! > "$PIDFILE"; wait; wait"#,
            environment: ["PIDFILE": directory.path("pid")], timeout: .milliseconds(200))

        #expect(start.duration(to: clock.now) < .seconds(10), "well before the 30 s sleep ends")
        #expect(outcome.timedOut)
        #expect(outcome.signal == SIGKILL)
        let grandchild = try #require(directory.text("pid").flatMap { Processes.pids(in: $0).first })
        #expect(await Processes.waitUntilGone(grandchild))
    }

    @Test func backgroundProcessHoldingThePipesDoesNotDelayTheResult() async throws {
        let directory = try TemporaryDirectory()
        let clock = ContinuousClock()
        let start = clock.now

        let outcome = try await runner.run(#"sleep 30 & echo $! > "$PIDFILE"; echo started"#,
                                           environment: ["PIDFILE": directory.path("pid")], timeout: .seconds(20))

        let background = try #require(directory.text("pid").flatMap { Processes.pids(in: $0).first })
        kill(background, SIGKILL)
        #expect(start.duration(to: clock.now) < .seconds(10), "well before the 30 s sleep ends")
        #expect(outcome.exitCode == 0)
        #expect(!outcome.timedOut)
        #expect(outcome.stdout.head == "started\n")
    }

    @Test func hugeOutputIsCappedButCountedAndHashed() async throws {
        let cap = 8 * 1024
        let outcome = try await runner.run(
            #"head -c 5000000 /dev/zero | tr '\0' 'a'"#, environment: [:], timeout: .seconds(30))

        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.totalBytes == 5_000_000)
        #expect(outcome.stdout.head.utf8.count == cap)
        #expect(outcome.stdout.tail.utf8.count == cap)
        #expect(outcome.stdout.head.utf8.allSatisfy { $0 == UInt8(ascii: "a") })
        #expect(outcome.stdout.tail.utf8.allSatisfy { $0 == UInt8(ascii: "a") })
        #expect(outcome.stdout.truncated)
        #expect(outcome.stdout.sha256 == EventChain.sha256(bytes: [UInt8](repeating: UInt8(ascii: "a"), count: 5_000_000)))
    }

    @Test func tailHoldsTheLastBytes() async throws {
        let runner = CommandRunner(outputCap: 4)
        let outcome = try await runner.run("printf 0123456789", environment: [:], timeout: .seconds(10))

        #expect(outcome.stdout == CapturedOutput(head: "0123", tail: "6789", totalBytes: 10,
                                                 sha256: EventChain.sha256("0123456789")))
        #expect(outcome.stdout.truncated)
    }

    @Test func inputReachesTheCommandOnlyAsEnvironment() async throws {
        let directory = try TemporaryDirectory()

        let outcome = try await runner.run(
            #"printf '%s' "$RUNBOOK_VAR_X""#, environment: ["RUNBOOK_VAR_X": "$(touch MARKER)"],
            timeout: .seconds(10), workingDirectory: directory.path)

        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.head == "$(touch MARKER)")
        #expect(!directory.exists("MARKER"))
    }

    @Test func commandRunsInTheWorkingDirectoryWithTheInheritedEnvironment() async throws {
        let directory = try TemporaryDirectory()

        let outcome = try await runner.run(
            #"touch here; printf '%s|%s' "$RUNBOOK_INCIDENT" "${PATH:+path}""#,
            environment: ["RUNBOOK_INCIDENT": "inc-7"], timeout: .seconds(10), workingDirectory: directory.path)

        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.head == "inc-7|path")
        #expect(directory.exists("here"))
    }

    @Test func standardInputIsEmpty() async throws {
        let outcome = try await runner.run("wc -c", environment: [:], timeout: .seconds(10))

        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout.head.trimmingPrefix(while: { $0 == " " }) == "0\n")
    }

    @Test func koreanTextCutAtTheCapKeepsWholeCharacters() async throws {
        let runner = CommandRunner(outputCap: 10)
        // 21 bytes: the head's 10th byte and the tail's 1st byte fall inside characters.
        let text = "가나다라마바사"

        let outcome = try await runner.run(#"printf '%s' "$TEXT""#, environment: ["TEXT": text], timeout: .seconds(10))

        #expect(outcome.stdout.head == "가나다")
        #expect(outcome.stdout.tail == "마바사")
        #expect(outcome.stdout.totalBytes == 21)
        #expect(outcome.stdout.truncated)
        #expect(outcome.stdout.sha256 == EventChain.sha256(text))
    }

    @Test func koreanTextSplitBetweenHeadAndTailIsNotLost() async throws {
        let runner = CommandRunner(outputCap: 10)
        let text = "가나다라마"

        let outcome = try await runner.run(#"printf '%s' "$TEXT""#, environment: ["TEXT": text], timeout: .seconds(10))

        #expect(outcome.stdout.head == "가나다")
        #expect(outcome.stdout.tail == "라마")
        #expect(!outcome.stdout.truncated)
        #expect(!outcome.stdout.head.unicodeScalars.contains("\u{FFFD}"))
    }

    @Test func cancellingTheTaskKillsTheProcessGroup() async throws {
        let directory = try TemporaryDirectory()
        let runner = self.runner
        let pidFile = directory.path("pid")
        let task = Task {
            try await runner.run(#"sleep 30 & echo "$$ $!" > "$PIDFILE"; wait"#,
                                 environment: ["PIDFILE": pidFile], timeout: .seconds(60))
        }
        let pids = try #require(await Processes.poll { () -> [pid_t]? in
            let pids = directory.text("pid").map(Processes.pids(in:)) ?? []
            return pids.count == 2 ? pids : nil
        })
        let clock = ContinuousClock()
        let start = clock.now

        task.cancel()
        let result = await task.result

        #expect(start.duration(to: clock.now) < .seconds(10), "well before the 30 s sleep ends")
        #expect(throws: CancellationError.self) { try result.get() }
        for pid in pids {
            #expect(await Processes.waitUntilGone(pid))
        }
    }

    @Test func alreadyCancelledTaskDoesNotLeaveTheCommandRunning() async throws {
        let directory = try TemporaryDirectory()
        let runner = self.runner
        let pidFile = directory.path("pid")
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await runner.run(#"echo "$$" > "$PIDFILE"; exec sleep 30"#,
                                        environment: ["PIDFILE": pidFile], timeout: .seconds(60))
        }

        let result = await task.result

        #expect(start.duration(to: clock.now) < .seconds(10), "well before the 30 s sleep ends")
        #expect(throws: CancellationError.self) { try result.get() }
        if let pid = directory.text("pid").flatMap({ Processes.pids(in: $0).first }) {
            #expect(await Processes.waitUntilGone(pid))
        }
    }

    @Test func missingWorkingDirectoryFailsToLaunch() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing")

        let error = await #expect(throws: UserError.self) {
            try await runner.run("true", environment: [:], timeout: .seconds(10), workingDirectory: missing)
        }

        #expect(error?.message == "cannot run the command: the working directory \(missing) does not exist or is not a directory")
    }

    @Test func missingShellFailsToLaunch() async throws {
        let runner = CommandRunner(shell: "/nonexistent/sh")

        let error = await #expect(throws: UserError.self) {
            try await runner.run("true", environment: [:], timeout: .seconds(10))
        }

        #expect(error?.message == "cannot run the command: the shell /nonexistent/sh is missing or not executable")
    }
}

@Suite struct OutputCaptureTests {
    /// Feeding the same bytes in chunks of any size gives the same capture.
    @Test(arguments: [1, 3, 7, 16, 1000])
    func chunkingDoesNotMatter(chunkSize: Int) {
        let bytes = (0..<1000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        var capture = OutputCapture(cap: 16)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            bytes[offset..<end].withUnsafeBytes { capture.append($0) }
            offset = end
        }

        let output = capture.finish()

        #expect(output.head == String(decoding: bytes.prefix(16), as: UTF8.self))
        #expect(output.tail == String(decoding: bytes.suffix(16), as: UTF8.self))
        #expect(output.totalBytes == 1000)
        #expect(output.sha256 == EventChain.sha256(bytes: bytes))
    }

    @Test func outputShorterThanTwoCapsIsKeptWhole() {
        var capture = OutputCapture(cap: 4)
        Array("abcdefg".utf8).withUnsafeBytes { capture.append($0) }

        let output = capture.finish()

        #expect(output.head == "abcd")
        #expect(output.tail == "efg")
        #expect(!output.truncated)
    }

    @Test func invalidBytesAreReplacedNotFatal() {
        var capture = OutputCapture(cap: 8)
        let bytes: [UInt8] = [0xFF, 0xFE, 0x61, 0xE2, 0x82]
        bytes.withUnsafeBytes { capture.append($0) }

        let output = capture.finish()

        #expect(output.head == "\u{FFFD}\u{FFFD}a\u{FFFD}")
        #expect(output.totalBytes == 5)
    }

    /// Bytes cut from a longer stream, and how many of them end on a whole character.
    static let cuts: [(bytes: [UInt8], complete: Int)] = {
        let korean: [UInt8] = Array("가".utf8)
        let emoji: [UInt8] = Array("😀".utf8)
        return [
            ([], 0),
            (Array("abc".utf8), 3),
            (korean, 3),
            (Array(korean.prefix(2)), 0),
            ([UInt8(ascii: "a")] + Array(emoji.prefix(3)), 1),
            ([UInt8(ascii: "a")] + emoji, 5),
        ]
    }()

    @Test(arguments: cuts)
    func completePrefixLength(cut: (bytes: [UInt8], complete: Int)) {
        #expect(UTF8Boundary.completePrefixLength(of: cut.bytes) == cut.complete)
    }
}

@Suite struct CommandSupervisionTests {
    @Test func theCommandStartsOnlyOnceItsStartIsAccepted() async throws {
        let directory = try TemporaryDirectory()
        struct Refused: Error {}
        var leader: ProcessIdentity?

        await #expect(throws: Refused.self) {
            try await CommandRunner().run(#"touch "$MARKER""#, environment: ["MARKER": directory.path("ran")], timeout: .seconds(10)) {
                leader = $0
                throw Refused()
            }
        }

        #expect(!directory.exists("ran"), "a refused start runs nothing")
        let process = try #require(leader)
        #expect(process.startTime != nil, "the group leader's start time is read when it starts")
        #expect(await Processes.waitUntilGone(process.pid))
    }

    @Test func aSignalWhileTheStartIsRecordedRunsNothingAndIsAnInterruption() async throws {
        let directory = try TemporaryDirectory()
        let runner = CommandRunner(forwardsSignals: true)

        let outcome = try await runner.run(#"touch "$MARKER""#, environment: ["MARKER": directory.path("ran")], timeout: .seconds(10)) { _ in
            // Caught, not fatal: the runner passes SIGTERM on while it supervises a command.
            kill(getpid(), SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
        }

        #expect(outcome.interruption == .signal(SIGTERM))
        #expect(outcome.exitCode == nil && outcome.signal == nil)
        #expect(outcome.verdict(expecting: 0, timeout: RunbookDuration(seconds: 10))
                == .interrupted(.signal(SIGTERM)))
        #expect(!directory.exists("ran"), "the shell never started")
    }

    @Test func theGroupIsLedByTheSupervisorWhoseStartTimeIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        var leader: ProcessIdentity?

        let outcome = try await CommandRunner().run(#"cut -d' ' -f5 /proc/$$/stat > "$OUT""#, environment: ["OUT": directory.path("pgid")],
                                                    timeout: .seconds(10)) { leader = $0 }

        #expect(outcome.exitCode == 0)
        let process = try #require(leader)
        #expect(directory.text("pgid") == "\(process.pid)\n", "the shell runs in the group the supervisor leads")
    }

    @Test(arguments: [
        ("4242 (sleep) S 1 4242 4242 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 987654 5000 100", "S", UInt64(987_654)),
        ("77 (a) b (c)) Z 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12 0 0", "Z", UInt64(12)),
    ])
    func startTimeIsField22CountedFromTheLastParenthesis(line: String, state: String, startTime: UInt64) {
        let parsed = ProcessIdentity.parse(stat: line)
        #expect(parsed.map { String($0.state) } == state)
        #expect(parsed?.startTime == startTime)
    }

    @Test func thisProcessIsAliveWithItsOwnStartTimeOnly() throws {
        let me = try #require(ProcessIdentity.current(getpid()))
        #expect(me.isAlive)
        #expect(!ProcessIdentity(pid: me.pid, startTime: (me.startTime ?? 0) + 1).isAlive)
        #expect(!ProcessIdentity(pid: 0x3FFF_FFFF, startTime: 1).isAlive)
    }
}
