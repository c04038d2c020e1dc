/// An on-call rotation of the roster (SPEC §3.2): a role whose pages go to the person on duty, by shifts
/// (days and hours, with people taking turns daily or weekly) and overrides for a date range.
///
/// Pure: the zone's rules come resolved; `onDuty(at:)` is the one answer to "who is on call at t".
public struct Rotation: Sendable, Equatable {
    public enum Turn: String, Sendable, Equatable, CaseIterable {
        case daily, weekly
    }

    /// Days and hours covered by one person at a time.
    public struct Shift: Sendable, Equatable {
        public var name: String
        public var days: [Weekday]
        public var from: ClockTime
        /// At or before `from`: the shift ends the next day (the night of Monday belongs to Monday's shift).
        public var to: ClockTime
        public var people: [String]
        public var rotate: Turn?
        /// The date the turns count from: people[0] takes the shift on it.
        public var start: LocalDate?

        public init(name: String, days: [Weekday], from: ClockTime, to: ClockTime, people: [String], rotate: Turn? = nil, start: LocalDate? = nil) {
            self.name = name
            self.days = days
            self.from = from
            self.to = to
            self.people = people
            self.rotate = rotate
            self.start = start
        }

        var overnight: Bool { to <= from }

        /// Who takes the shift that begins on `date`.
        func person(on date: LocalDate) -> String? {
            guard !people.isEmpty else { return nil }
            guard let rotate, let start else { return people[0] }
            let days = date.daysSinceEpoch - start.daysSinceEpoch
            let period = rotate == .daily ? days : days.floorDivided(by: 7).quotient
            return people[period.floorDivided(by: people.count).remainder]
        }
    }

    /// Someone covering the role over a range, whatever the shifts say.
    public struct Cover: Sendable, Equatable {
        public var person: String
        public var start: Instant
        public var end: Instant
        public var reason: String?

        public init(person: String, start: Instant, end: Instant, reason: String? = nil) {
            self.person = person
            self.start = start
            self.end = end
            self.reason = reason
        }
    }

    /// The person on duty at an instant.
    public struct OnDuty: Sendable, Equatable {
        public var person: String
        /// The shift's name; nil when an override holds.
        public var shift: String?
        /// The override in force, if any.
        public var override: Cover?
        /// When this person's duty ends (the shift's end, or an override beginning or ending).
        public var until: Instant
        /// Who is on duty from `until`; nil when nobody is (pages then go to every holder of the role).
        public var next: String?

        public init(person: String, shift: String?, override: Cover?, until: Instant, next: String?) {
            self.person = person
            self.shift = shift
            self.override = override
            self.until = until
            self.next = next
        }

    }

    public var role: String
    public var zone: TimeZoneRules
    public var zoneLabels: [Int: String]
    public var shifts: [Shift]
    public var overrides: [Cover]

    public init(role: String, zone: TimeZoneRules, zoneLabels: [Int: String] = [:], shifts: [Shift], overrides: [Cover] = []) {
        self.role = role
        self.zone = zone
        self.zoneLabels = zoneLabels
        self.shifts = shifts
        self.overrides = overrides
    }

    /// The stretch of `shift` that begins on `date`, if the shift covers that day.
    func stretch(_ shift: Shift, on date: LocalDate) -> (start: Instant, end: Instant)? {
        guard shift.days.contains(date.weekday) else { return nil }
        return (zone.instant(date, shift.from), zone.instant(shift.overnight ? date.adding(days: 1) : date, shift.to))
    }

    /// Who holds the role at `instant` without looking further: an override covering it, else the first shift.
    func holder(at instant: Instant) -> (person: String, shift: String?, override: Cover?, end: Instant)? {
        if let cover = overrides.first(where: { $0.start <= instant && instant < $0.end }) {
            return (cover.person, nil, cover, cover.end)
        }
        let today = zone.date(of: instant)
        for shift in shifts {
            for date in [today.adding(days: -1), today] {
                guard let stretch = stretch(shift, on: date), stretch.start <= instant, instant < stretch.end,
                      let person = shift.person(on: date) else { continue }
                return (person, shift.name, nil, stretch.end)
            }
        }
        return nil
    }

    /// The person on duty at `instant`, their shift, until when, and who follows; nil when nobody is.
    public func onDuty(at instant: Instant) -> OnDuty? {
        guard let now = holder(at: instant) else { return nil }
        // An override that begins before the stretch ends may take over (one listed earlier wins over an override in
        // force too): the stretch is looked at again from there.
        func end(_ stretch: (person: String, shift: String?, override: Cover?, end: Instant), after start: Instant) -> Instant {
            overrides.filter { $0.start > start && $0.start < stretch.end }.map(\.start).min() ?? stretch.end
        }
        var until = end(now, after: instant)
        // Follow on while the same person stays on duty (a shift handing over to the same person).
        var next = holder(at: until)
        for _ in 0..<(14 + overrides.count) {
            guard let following = next, following.person == now.person, following.shift == now.shift, following.override == now.override
            else { break }
            let followingEnd = end(following, after: until)
            guard followingEnd > until else { break }
            until = followingEnd
            next = holder(at: until)
        }
        return OnDuty(person: now.person, shift: now.shift, override: now.override, until: until, next: next?.person)
    }

    /// The hours of a week (wall-clock, Monday first) no shift covers, as minute ranges `[start, end)` from Monday 00:00.
    public var uncoveredMinutes: [Range<Int>] {
        let week = 7 * 1440
        var covered = [Bool](repeating: false, count: week)
        for shift in shifts {
            for day in shift.days {
                let base = day.index * 1440
                let end = shift.overnight ? shift.to.minuteOfDay + 1440 : shift.to.minuteOfDay
                for minute in shift.from.minuteOfDay..<end { covered[(base + minute) % week] = true }
            }
        }
        var ranges: [Range<Int>] = []
        var start: Int?
        for minute in 0...week {
            let free = minute < week && !covered[minute]
            if free, start == nil { start = minute }
            if !free, let begun = start {
                ranges.append(begun..<minute)
                start = nil
            }
        }
        // A gap over Sunday midnight is one gap.
        if ranges.count > 1, let first = ranges.first, let last = ranges.last, first.lowerBound == 0, last.upperBound == week {
            ranges.removeFirst()
            ranges[ranges.count - 1] = last.lowerBound..<(week + first.upperBound)
        }
        return ranges
    }

    /// "Sat 09:00-18:00", "Fri 18:00-Mon 09:00": a range of `uncoveredMinutes`.
    public static func describe(_ range: Range<Int>) -> String {
        func point(_ minute: Int) -> (day: String, time: String) {
            let wrapped = minute % (7 * 1440)
            return (Weekday.allCases[wrapped / 1440].shortName, ClockTime(hour: wrapped % 1440 / 60, minute: wrapped % 60).description)
        }
        let start = point(range.lowerBound)
        // The end reads as 24:00 of the day it ends, not 00:00 of the next.
        let last = point(range.upperBound - 1)
        let endTime = range.upperBound % 1440 == 0 ? "24:00" : point(range.upperBound).time
        return "\(start.day) \(start.time)-" + (last.day == start.day && range.count < 1440 ? endTime : "\(last.day) \(endTime)")
    }

    /// "Sun 2026-11-29 02:00 KST".
    public func format(_ instant: Instant) -> String { zone.describe(instant, labels: zoneLabels) }
}
