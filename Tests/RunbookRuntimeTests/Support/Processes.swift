#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials

/// Checks on processes started by the commands under test.
enum Processes {
    /// Waits, in short steps up to `limit`, until `pid` is gone; returns whether it went.
    static func waitUntilGone(_ pid: pid_t, limit: Duration = .seconds(2)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while clock.now < deadline {
            if isGone(pid) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return isGone(pid)
    }

    /// True when `pid` no longer runs.
    ///
    /// A dead process whose parent died too is a zombie until PID 1 reaps it; some sandboxes' PID 1 never
    /// does, so a zombie counts as gone here.
    static func isGone(_ pid: pid_t) -> Bool {
        if kill(pid, 0) == -1 && errno == ESRCH { return true }
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return false }
        let text = String(decoding: stat, as: UTF8.self)
        // The state follows the parenthesised command name: "pid (comm) S ...".
        guard let close = text.lastIndex(of: ")") else { return false }
        let state = text[text.index(after: close)...].drop { $0 == " " }.first
        return state == "Z" || state == "X"
    }

    /// The whitespace-separated process ids written to a pid file.
    static func pids(in text: String) -> [pid_t] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
    }

    /// Waits, in short steps up to `limit`, until `read` returns something.
    static func poll<T>(limit: Duration = .seconds(15), _ read: () -> T?) async -> T? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while clock.now < deadline {
            if let value = read() { return value }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return read()
    }
}
