#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import RunbookCore

/// A process told apart from any later process given the same pid: its pid and its start time.
///
/// The start time is field 22 of `/proc/PID/stat` (clock ticks since boot). A pid is reused once its process
/// is reaped and its group is empty, but never with the same start time, so a recorded (pid, start time)
/// that no longer matches means the recorded process is gone, whoever holds the pid now.
public struct ProcessIdentity: Sendable, Equatable {
    public var pid: Int32
    /// Nil for a run recorded by an older runbook, which kept only the pid.
    public var startTime: UInt64?

    public init(pid: Int32, startTime: UInt64?) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The start time of `pid` now, or nil when there is no such process (or /proc cannot say).
    public static func startTime(of pid: Int32) -> UInt64? {
        stat(of: pid)?.startTime
    }

    /// The state letter (field 3: `R`, `S`, `Z` for a zombie, …) and start time (field 22) of `pid` now.
    static func stat(of pid: Int32) -> (state: Character, startTime: UInt64)? {
        guard pid > 0, let stat = try? FileIO.read("/proc/\(pid)/stat") else { return nil }
        return parse(stat: stat)
    }

    /// Fields 3 and 22 of a `/proc/PID/stat` line. The command name (field 2) is in parentheses and may hold
    /// spaces or parentheses itself, so fields are counted from the last `)`.
    static func parse(stat: String) -> (state: Character, startTime: UInt64)? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After the name: field 3 (state) is the first, so field 22 is the 20th.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 20, let state = fields[0].first, let startTime = UInt64(fields[19]) else { return nil }
        return (state, startTime)
    }

    /// The process as it is now: the pid with its current start time.
    public static func current(_ pid: Int32) -> ProcessIdentity? {
        startTime(of: pid).map { ProcessIdentity(pid: pid, startTime: $0) }
    }

    /// Whether the recorded process still runs: the same pid with the same start time, not a zombie (a
    /// supervisor killed with its parent stays a zombie where PID 1 does not reap, and its command is over).
    /// Without a recorded start time, whether any process has the pid (the older rule, which a reused pid fools).
    public var isAlive: Bool {
        guard let startTime else { return kill(pid, 0) == 0 || errno == EPERM }
        guard let now = Self.stat(of: pid) else { return false }
        return now.startTime == startTime && now.state != "Z" && now.state != "X"
    }

    /// Whether the pid still belongs to the recorded process (alive or a zombie not yet reaped): only then may
    /// its group be signalled, since a pid is not reused before its zombie is reaped.
    var mayBeSignalled: Bool {
        guard let startTime else { return false }
        return Self.startTime(of: pid) == startTime
    }

    /// What the engine is told about this recorded process.
    public var check: ProcessCheck {
        ProcessCheck(pid: pid, startTime: startTime, alive: isAlive)
    }
}
