import Glibc
public import RunbookCore
import Synchronization

extension CommandExpectation {
    /// Checks a run's output as `evaluate(stdout:stderr:)` does, on a thread of its own, and gives up after
    /// `budget`: Swift's `Regex` backtracks, so a pattern such as `^(a+)+$` can take years on 40 bytes, and it
    /// cannot be cancelled. Given up, the check is `tooSlow` (a failed attempt the responder decides on); the
    /// thread is left to finish or to end with the process.
    public func evaluate(stdout: CapturedOutput, stderr: CapturedOutput, within budget: Duration) async -> ExpectationResult {
        let job = CheckJob { self.evaluate(stdout: stdout, stderr: stderr) }
        guard job.start() else {
            // No thread to spare: check here, as the engine would.
            return evaluate(stdout: stdout, stderr: stderr)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: budget)
        var pause = Duration.microseconds(200)
        while true {
            if let result = job.result { return result }
            let left = clock.now.duration(to: deadline)
            if left <= .zero { break }
            // Not `try await`: a cancelled task still waits out the budget rather than record a check that never ran.
            try? await Task.sleep(for: min(pause, left))
            pause = min(pause * 2, .milliseconds(20))
        }
        if let result = job.result { return result }
        let milliseconds = budget.components.seconds * 1000 + budget.components.attoseconds / 1_000_000_000_000_000
        return ExpectationResult(expectation: self, found: .tooSlow(milliseconds: milliseconds))
    }
}

/// One check running on its own detached thread; `result` is set when it returns.
private final class CheckJob: Sendable {
    private let work: @Sendable () -> ExpectationResult
    private let finished = Mutex<ExpectationResult?>(nil)

    init(_ work: @escaping @Sendable () -> ExpectationResult) {
        self.work = work
    }

    var result: ExpectationResult? {
        finished.withLock { $0 }
    }

    /// Starts the thread (which holds the job until it returns); false when none could be created.
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let job = Unmanaged<CheckJob>.fromOpaque(context).takeRetainedValue()
            let result = job.work()
            job.finished.withLock { $0 = result }
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<CheckJob>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
