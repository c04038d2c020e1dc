/// A drill's simulated clock, stored in its opening event so that every process (the drill's own session, a
/// colleague's `runbook note`, the watcher) computes the same drill time (SPEC §5).
///
/// Drill time is `start` plus the real time since `realStart` times `speed`, plus every `drill.clock_advanced`.
public struct DrillClock: Sendable, Equatable {
    /// The drill time at the opening.
    public var start: Instant
    /// The real time at the opening.
    public var realStart: Instant
    /// How many times faster than real time the drill's clock runs.
    public var speed: Int
    /// Whether the drill pages the real contacts (`drill --live`) instead of the drill log.
    public var live: Bool

    public init(start: Instant, realStart: Instant, speed: Int, live: Bool = false) {
        self.start = start
        self.realStart = realStart
        self.speed = max(1, speed)
        self.live = live
    }

    /// The drill time when the real clock reads `real`, with `advanced` milliseconds of recorded jumps.
    public func time(atReal real: Instant, advanced: Int64) -> Instant {
        let elapsed = max(0, real.milliseconds(since: realStart))
        return Instant(milliseconds: start.milliseconds + elapsed * Int64(speed) + advanced)
    }

    /// The real time at which the drill's clock reaches `drillTime` (for the watcher's schedule), rounded up so
    /// that the watcher never wakes a moment too early.
    public func realTime(of drillTime: Instant, advanced: Int64) -> Instant {
        let drillElapsed = drillTime.milliseconds - start.milliseconds - advanced
        guard drillElapsed > 0 else { return realStart }
        let speed = Int64(speed)
        return Instant(milliseconds: realStart.milliseconds + (drillElapsed + speed - 1) / speed)
    }

    var json: JSONValue {
        .object([("start", .int(start.milliseconds)), ("real_start", .int(realStart.milliseconds)), ("speed", .int(Int64(speed))),
                 ("live", .bool(live))])
    }

    init?(json: JSONValue) {
        guard let start = json["start"]?.int, let realStart = json["real_start"]?.int, let speed = json["speed"]?.int,
              (1...3600).contains(speed) else { return nil }
        self.init(start: Instant(milliseconds: start), realStart: Instant(milliseconds: realStart), speed: Int(speed),
                  live: json["live"]?.bool ?? false)
    }
}
