#if canImport(Glibc)
import Glibc
#endif
public import RunbookCore
import Synchronization

/// Where "now" comes from. The core never reads a clock; the runtime passes instants in.
public protocol WallClock: Sendable {
    func now() -> Instant
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Instant {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Instant(milliseconds: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
}

/// A clock stopped at one instant (`RUNBOOK_NOW`, drills, tests).
public struct FixedClock: WallClock {
    public var instant: Instant

    public init(_ instant: Instant) {
        self.instant = instant
    }

    public func now() -> Instant { instant }
}

/// Local time for people: the `TZ` time zone, as the C library knows it.
public enum LocalTime {
    /// The local offset from UTC at `instant`, in seconds.
    public static func offset(at instant: Instant) -> Int {
        var seconds = time_t(instant.milliseconds / 1000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return 0 }
        return parts.tm_gmtoff
    }

    /// The zone's abbreviation at `instant` (`KST`, `UTC`).
    public static func zoneName(at instant: Instant) -> String {
        var seconds = time_t(instant.milliseconds / 1000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil, let zone = parts.tm_zone else { return "" }
        return String(cString: zone)
    }

    public static func civil(_ instant: Instant) -> CivilTime {
        CivilTime(utcMilliseconds: instant.milliseconds, offsetSeconds: offset(at: instant))
    }

    /// `2026-11-26 16:33:35 KST`.
    public static func full(_ instant: Instant) -> String {
        let name = zoneName(at: instant)
        return civil(instant).formatted() + (name.isEmpty ? "" : " \(name)")
    }

    /// `16:33:35`, for messages about today's incident.
    public static func time(_ instant: Instant) -> String {
        String(civil(instant).formatted().suffix(8))
    }

    /// Parses a time given by a user: ISO-8601 with a zone, or `YYYY-MM-DD HH:MM[:SS]` / `HH:MM[:SS]` in local time
    /// (a bare time is taken on the day of `reference`).
    public static func parse(_ text: String, reference: Instant) -> Instant? {
        if let instant = Instant(iso8601: text) { return instant }
        let parts = text.split(separator: " ").map(String.init)
        var date = civil(reference)
        var clock = text
        if parts.count == 2 {
            let ymd = parts[0].split(separator: "-").compactMap { Int($0) }
            guard ymd.count == 3 else { return nil }
            (date.year, date.month, date.day) = (ymd[0], ymd[1], ymd[2])
            clock = parts[1]
        } else if parts.count != 1 {
            return nil
        }
        let hms = clock.split(separator: ":").compactMap { Int($0) }
        guard hms.count == 2 || hms.count == 3, hms.count == clock.split(separator: ":").count else { return nil }
        let second = hms.count == 3 ? hms[2] : 0
        let iso = "\(pad4(date.year))-\(pad2(date.month))-\(pad2(date.day))T\(pad2(hms[0])):\(pad2(hms[1])):\(pad2(second))Z"
        guard let utcGuess = Instant(iso8601: iso) else { return nil }
        // Shift by the local offset (twice, to settle across a daylight-saving change).
        var instant = Instant(milliseconds: utcGuess.milliseconds - Int64(offset(at: utcGuess)) * 1000)
        instant = Instant(milliseconds: utcGuess.milliseconds - Int64(offset(at: instant)) * 1000)
        return instant
    }

    private static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func pad4(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}

/// A drill's clock: simulated time running `speed` times faster than the system clock from `start`,
/// and jumped forward by `advance(by:)` (the `wait` action of a scripted drill).
public final class SimulatedClock: WallClock {
    private let start: Instant
    private let realStart: Instant
    private let speed: Int64
    private let system: any WallClock
    private let offset: Mutex<Int64>

    public init(start: Instant, speed: Int, system: any WallClock = SystemClock()) {
        self.start = start
        self.system = system
        realStart = system.now()
        self.speed = Int64(max(1, speed))
        offset = Mutex(0)
    }

    public func now() -> Instant {
        let elapsed = system.now().milliseconds(since: realStart)
        return Instant(milliseconds: start.milliseconds + elapsed * speed + offset.withLock { $0 })
    }

    public func advance(by duration: RunbookDuration) {
        offset.withLock { $0 += Int64(duration.seconds) * 1000 }
    }
}
