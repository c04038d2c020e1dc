public import RunbookCore
public import RunbookRuntime
import Synchronization

/// A clock that moves only when a test says so: `advance(by: .minutes(5))`. No test sleeps.
public final class ManualClock: WallClock {
    private let current: Mutex<Instant>

    public init(_ start: Instant = Instant(iso8601: "2026-11-26T01:00:00Z") ?? Instant(milliseconds: 0)) {
        current = Mutex(start)
    }

    public func now() -> Instant {
        current.withLock { $0 }
    }

    public func advance(by duration: RunbookDuration) {
        current.withLock { $0 = $0 + duration }
    }

    public func advance(milliseconds: Int64) {
        current.withLock { $0 = Instant(milliseconds: $0.milliseconds + milliseconds) }
    }

    public func set(_ instant: Instant) {
        current.withLock { $0 = instant }
    }
}
