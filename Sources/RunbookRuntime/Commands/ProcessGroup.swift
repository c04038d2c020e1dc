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
