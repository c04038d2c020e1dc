#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process group of a running command, whose id is its leader's pid (the `/bin/sh` that runs it).
///
/// Signal the group only while the leader has not been reaped: until then its pid, and so the group id,
/// cannot be given to another process. `CommandRunner` does all its signalling inside the body of the
/// subprocess run, before swift-subprocess reaps the leader.
struct ProcessGroup: Sendable {
    let leader: pid_t

    /// Sends `signal` to every process of the group; a group with no live process left is ignored.
    func send(_ signal: Int32) {
        guard leader > 0 else { return }
        _ = kill(-leader, signal)
    }

    /// True once the leader has exited. It is not reaped: its exit status stays for swift-subprocess.
    func leaderHasExited() -> Bool {
        while true {
            var info = siginfo_t()
            if waitid(P_PID, id_t(leader), &info, WEXITED | WNOHANG | WNOWAIT) == 0 {
                // With WNOHANG and nothing to report, waitid leaves the structure zeroed.
                return info.si_signo != 0
            }
            if errno == EINTR { continue }
            // ECHILD: the leader is no longer a child of this process, so it has gone.
            return true
        }
    }

    /// Returns when the leader has exited, or early when the task is cancelled, checking with a short backoff.
    ///
    /// Polling is used only after both output pipes have closed, which in practice is within a moment of the
    /// leader's exit; a leader that closes its output and keeps running is polled at most every 25 ms.
    func waitForLeaderExit() async {
        var interval = Duration.milliseconds(1)
        while !leaderHasExited() {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            interval = min(interval * 2, .milliseconds(25))
        }
    }
}

extension ProcessGroup {
    /// Ends the group led by a recorded process that is not this process's child (`runbook run --kill-stale`):
    /// SIGTERM, then SIGKILL once `grace` has passed. Every signal is sent only after checking that the pid still
    /// has the recorded start time, so a pid given to another process since is never signalled; a record
    /// without a start time is never signalled. Returns whether the recorded process is gone at the end.
    public static func endStale(_ process: ProcessIdentity, grace: Duration) async -> Bool {
        guard process.mayBeSignalled else { return !process.isAlive }
        _ = kill(-process.pid, SIGTERM)
        let gone = await waitUntilGone(process, limit: grace)
        // What ignored SIGTERM, or stayed in the group behind a leader that is now a zombie.
        if process.mayBeSignalled { _ = kill(-process.pid, SIGKILL) }
        return gone ? true : await waitUntilGone(process, limit: .seconds(2))
    }

    /// Interrupts the group led by a recorded process as Ctrl-C on its terminal would (SIGINT), then ends it (SIGTERM,
    /// then SIGKILL) if it is still there after `grace` each. Every signal is sent only while the pid still has the
    /// recorded start time. Returns whether the process is gone at the end.
    public static func interrupt(_ process: ProcessIdentity, grace: Duration) async -> Bool {
        guard process.mayBeSignalled else { return !process.isAlive }
        _ = kill(-process.pid, SIGINT)
        if await waitUntilGone(process, limit: grace) { return true }
        return await endStale(process, grace: grace)
    }

    /// Polls, in short steps up to `limit`, until the recorded process no longer runs.
    private static func waitUntilGone(_ process: ProcessIdentity, limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: limit)
        while process.isAlive {
            if clock.now >= end { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
