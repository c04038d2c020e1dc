/// A maintenance window (SPEC §3.2): a weekly stretch of wall-clock time (`every: sunday`, `from: "02:00"`,
/// `to: "06:00"`) or a one-off stretch, in a time zone, naming the runbooks whose escalations it holds.
///
/// Pure: the zone's rules come resolved, so every process computes the same openings.
public struct MaintenanceWindow: Sendable, Equatable {
    public enum Timing: Sendable, Equatable {
        /// On each of `days`, from `from` to `to` local time; `to` at or before `from` ends the next day.
        case weekly(days: [Weekday], from: ClockTime, to: ClockTime)
        /// Once, from `start` to `end`.
        case once(start: Instant, end: Instant)
    }

    public var name: String
    public var title: String?
    public var zone: TimeZoneRules
    /// Abbreviations of the zone by UTC offset in seconds (`32400: KST`), for people; may be empty.
    public var zoneLabels: [Int: String]
    public var timing: Timing
    /// The runbooks whose escalations the window holds.
    public var runbooks: [String]

    public init(name: String, title: String? = nil, zone: TimeZoneRules, zoneLabels: [Int: String] = [:], timing: Timing, runbooks: [String]) {
        self.name = name
        self.title = title
        self.zone = zone
        self.zoneLabels = zoneLabels
        self.timing = timing
        self.runbooks = runbooks
    }

    /// The stretches of the window that start from the day before `instant`'s local date, over `days` days.
    func occurrences(around instant: Instant, days: Int = 9) -> [(start: Instant, end: Instant)] {
        switch timing {
        case .once(let start, let end):
            return [(start, end)]
        case .weekly(let weekdays, let from, let to):
            let first = zone.date(of: instant).adding(days: -1)
            var result: [(start: Instant, end: Instant)] = []
            for offset in 0..<days {
                let date = first.adding(days: offset)
                guard weekdays.contains(date.weekday) else { continue }
                let endDate = to <= from ? date.adding(days: 1) : date
                result.append((zone.instant(date, from), zone.instant(endDate, to)))
            }
            return result
        }
    }

    /// Whether the window is open at `instant` (from its opening, inclusive, to its end, exclusive).
    public func isOpen(at instant: Instant) -> Bool {
        occurrences(around: instant, days: 2).contains { $0.start <= instant && instant < $0.end }
    }

    /// The next instant the window opens, at or after `instant`; nil when it never opens again.
    public func opening(after instant: Instant) -> Instant? {
        occurrences(around: instant).map(\.start).filter { $0 >= instant }.min()
    }

    /// When the window closes: the end of the stretch open at `instant`, else of the next one; nil when none ends after it.
    public func closing(after instant: Instant) -> Instant? {
        occurrences(around: instant).filter { $0.end > instant }.min { $0.start < $1.start }?.end
    }

    /// "정기 점검" or the name: how refusals and views call the window.
    public var label: String { title.map { "\(name) (\(Self.shortTitle($0)))" } ?? name }

    /// The title's own-language part: "정기 점검" of "정기 점검 (Sunday maintenance, manual §1.3)".
    static func shortTitle(_ title: String) -> String {
        if let open = title.firstRange(of: " (") { return String(title[..<open.lowerBound]) }
        return title
    }

    /// "Sun 2026-11-29 02:00 KST": an instant as the window's zone reads it.
    public func format(_ instant: Instant) -> String { zone.describe(instant, labels: zoneLabels) }

    /// "02:00": the wall-clock time of an instant in the window's zone, for short views.
    public func clockTime(_ instant: Instant) -> String {
        let civil = zone.civil(instant)
        return ClockTime(hour: civil.hour, minute: civil.minute).description
    }

}

extension TimeZoneRules {
    /// "Sun 2026-11-29 02:00 KST": an instant as this zone reads it, named by `labels` (abbreviations by offset),
    /// else by its offset ("UTC+09:00").
    public func describe(_ instant: Instant, labels: [Int: String]) -> String {
        let civil = civil(instant)
        let date = LocalDate(year: civil.year, month: civil.month, day: civil.day)
        let offset = offset(at: instant)
        let label = labels[offset] ?? Self.offsetLabel(offset)
        return "\(date.weekday.shortName) \(date) \(ClockTime(hour: civil.hour, minute: civil.minute)) \(label)"
    }

    /// "UTC+09:00".
    static func offsetLabel(_ seconds: Int) -> String {
        if seconds == 0 { return "UTC" }
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return "UTC\(sign)\(ClockTime(hour: minutes / 60, minute: minutes % 60))"
    }
}

/// The windows of `runbooks/calendar.yaml`.
public struct MaintenanceCalendar: Sendable, Equatable {
    public var windows: [MaintenanceWindow]

    public init(windows: [MaintenanceWindow] = []) {
        self.windows = windows
    }

    public func window(_ name: String) -> MaintenanceWindow? { windows.first { $0.name == name } }

    /// The windows to freeze into an incident of `runbook`: those covering it, and those its states name in `window:`.
    public func windows(for runbook: Runbook) -> [MaintenanceWindow] {
        let named = Set(runbook.states.compactMap(\.window))
        return windows.filter { $0.runbooks.contains(runbook.id) || named.contains($0.name) }
    }
}

/// A hold on paging: a window covering the runbook is open, and none is until `until`.
public struct EscalationHold: Sendable, Equatable {
    public var window: String
    public var until: Instant
    /// `until` as the window's zone reads it ("Sun 2026-11-29 06:00 KST").
    public var untilText: String
}

extension [MaintenanceWindow] {
    /// Whether a window covering `runbookID` is open at `instant`, and until when (open windows that meet or
    /// overlap are followed to the first instant none is open).
    public func hold(of runbookID: String, at instant: Instant) -> EscalationHold? {
        let covering = filter { $0.runbooks.contains(runbookID) }
        guard let first = covering.first(where: { $0.isOpen(at: instant) }) else { return nil }
        var until = instant
        for _ in 0..<64 {
            let open = covering.filter { $0.isOpen(at: until) }
            guard !open.isEmpty else { break }
            guard let end = open.compactMap({ $0.closing(after: until) }).max(), end > until else { break }
            until = end
        }
        return EscalationHold(window: first.name, until: until, untilText: first.format(until))
    }
}
