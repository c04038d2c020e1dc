/// The offsets of one time zone over time, as the tz database gives them: what schedules, maintenance
/// windows and on-call rotations (SPEC §3.2) need to turn "Sunday 02:00 in Asia/Seoul" into an instant.
///
/// Pure: the runtime reads the zone's TZif file (`/usr/share/zoneinfo/NAME`) and hands its bytes to
/// `init?(name:tzif:)`; a fixed offset (`UTC`, `+09:00`) needs no file.
public struct TimeZoneRules: Sendable, Equatable, CustomStringConvertible {
    /// The name it was given by (`Asia/Seoul`, `UTC`, `+09:00`).
    public var name: String
    /// Transition instants (seconds since the epoch, ascending) and the UTC offset in seconds from each.
    var transitions: [Int64]
    var offsets: [Int32]
    /// The offset before the first transition.
    var initialOffset: Int32
    /// The rule in force after the last transition (the TZif footer); nil when the last offset holds.
    var footer: PosixRule?

    public var description: String { name }

    /// A zone at a fixed offset from UTC.
    public init(name: String, fixedOffsetSeconds: Int) {
        self.name = name
        transitions = []
        offsets = []
        initialOffset = Int32(clamping: fixedOffsetSeconds)
        footer = nil
    }

    public static let utc = TimeZoneRules(name: "UTC", fixedOffsetSeconds: 0)

    /// A name that needs no file: `UTC`, `Z`, `GMT`, or `±HH:MM` / `±HHMM` / `±HH`; nil for anything else.
    public init?(fixedName name: String) {
        if ["UTC", "Z", "GMT", "Etc/UTC"].contains(name) {
            self.init(name: name, fixedOffsetSeconds: 0)
            return
        }
        let bytes = Array(name.utf8)
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = bytes.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard [2, 4].contains(digits.count), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              bytes.count == 3 || bytes.count == 5 || (bytes.count == 6 && bytes[3] == UInt8(ascii: ":")) else { return nil }
        let values = digits.map { Int($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        guard hours <= 14, minutes < 60 else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        self.init(name: name, fixedOffsetSeconds: seconds)
    }

    /// Whether `name` may name a zone file: `Area/City` letters, digits, `_`, `-`, `+`, `/`, never `..` or a leading `/`.
    public static func isZoneFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == ".." || $0 == "." }
            && name.utf8.allSatisfy { c in
                (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || c == 45 || c == 43 || c == 47
            }
    }

    /// Reads a TZif file (RFC 8536, versions 1-4); nil when the bytes are not one.
    public init?(name: String, tzif bytes: [UInt8]) {
        guard let parsed = TZif.parse(bytes) else { return nil }
        self.name = name
        transitions = parsed.transitions
        offsets = parsed.offsets
        initialOffset = parsed.initialOffset
        footer = parsed.footer
    }

    /// A POSIX TZ rule with no zone file (`KST-9`, `CET-1CEST,M3.5.0,M10.5.0/3`); nil when it is not one.
    public init?(name: String, posix: String) {
        guard let rule = PosixRule(posix) else { return nil }
        self.name = name
        transitions = []
        offsets = []
        initialOffset = Int32(clamping: rule.standard)
        footer = rule.daylight == nil ? nil : rule
    }

    /// The offset from UTC, in seconds, in force at `instant`.
    public func offset(at instant: Instant) -> Int {
        let seconds = instant.milliseconds.floorDivided(by: 1000).quotient
        if let footer, seconds >= transitions.last ?? Int64.min { return footer.offset(atUTCSeconds: seconds) }
        guard !transitions.isEmpty else { return Int(initialOffset) }
        // The last transition at or before `seconds`.
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= seconds { low = mid + 1 } else { high = mid }
        }
        return Int(low == 0 ? initialOffset : offsets[low - 1])
    }

    /// The local date and time at `instant`.
    public func civil(_ instant: Instant) -> CivilTime {
        CivilTime(utcMilliseconds: instant.milliseconds, offsetSeconds: offset(at: instant))
    }

    /// The local date at `instant`.
    public func date(of instant: Instant) -> LocalDate {
        let civil = civil(instant)
        return LocalDate(year: civil.year, month: civil.month, day: civil.day)
    }

    /// The instant a local wall-clock time names. A time skipped by a forward jump (a DST gap) is taken as
    /// that many minutes after the jump; a time that happens twice (a backward jump) is taken the first time.
    public func instant(_ date: LocalDate, _ time: ClockTime) -> Instant {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(time.hour * 3600 + time.minute * 60)
        // Try the offsets in force around the moment; the earliest that maps back to the same wall time wins.
        let before = Int64(offset(at: Instant(milliseconds: (local - 86_400) * 1000)))
        let after = Int64(offset(at: Instant(milliseconds: (local + 86_400) * 1000)))
        for candidate in Set([before, after]).sorted(by: >) {
            let utc = local - candidate
            if Int64(offset(at: Instant(milliseconds: utc * 1000))) == candidate {
                return Instant(milliseconds: utc * 1000)
            }
        }
        // In a gap: neither offset maps back; the wall time plus the jump.
        return Instant(milliseconds: (local - before) * 1000)
    }
}

/// A calendar date with no zone: what "Sunday" or "the first Monday" is counted in.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2026-11-29`; nil for an impossible date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= CivilTime.daysIn(month: month, year: year) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    init(daysSinceEpoch days: Int) {
        let civil = CivilTime(utcMilliseconds: Int64(days) * 86_400_000)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }

    public var daysSinceEpoch: Int { CivilTime.daysFromCivil(year: year, month: month, day: day) }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = (daysSinceEpoch + 3).floorDivided(by: 7).remainder
        return Weekday.allCases[index]
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The number of days in this date's month.
    public var daysInMonth: Int { CivilTime.daysIn(month: month, year: year) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public var description: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
}

/// A wall-clock time of day, to the minute.
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int, minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// `09:00`, `9:30`, `24:00` (the end of a day, for windows and shifts); nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (hour < 24 && minute < 60) || (hour == 24 && minute == 0) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var minuteOfDay: Int { hour * 60 + minute }

    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minuteOfDay < rhs.minuteOfDay }

    public var description: String {
        pad(hour, 2) + ":" + pad(minute, 2)
    }
}

/// A day of the week, Monday first (ISO 8601).
public enum Weekday: String, Sendable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// `monday`, `Monday`, `mon`, `mondays`; nil otherwise.
    public init?(name: String) {
        let lower = name.lowercased()
        let singular = lower.hasSuffix("s") && lower.count > 4 ? String(lower.dropLast()) : lower
        guard let day = Weekday.allCases.first(where: { $0.rawValue == singular || String($0.rawValue.prefix(3)) == singular }) else { return nil }
        self = day
    }

    /// Monday to Friday.
    public static let workdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]

    /// Names for sets of days: `weekdays` (Monday-Friday), `weekends`, `daily`/`everyday`/`all`, or one day
    /// (`sunday`, `sundays`); nil for anything else.
    public static func days(named name: String) -> [Weekday]? {
        switch name.lowercased() {
        case "weekdays", "weekday": workdays
        case "weekends", "weekend": [.saturday, .sunday]
        case "daily", "everyday", "every day", "all": allCases
        default: Weekday(name: name).map { [$0] }
        }
    }

    var index: Int { Weekday.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.index < rhs.index }

    public var shortName: String { String(rawValue.prefix(3)).capitalized }
}

extension String {
    /// The first letter upper case.
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}
