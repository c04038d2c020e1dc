/// When a runbook runs by itself (SPEC §3.2 `schedule:`): one or more phrases such as `daily at 09:00, 14:00`,
/// `weekdays at 09:30`, `monthly on the first monday at 10:00` or `every 4h`, read in a time zone.
///
/// Pure: `nextRun(after:zone:)` and `latestRun(atOrBefore:zone:)` compute slots from the zone's rules, so the
/// watcher, `runbook schedule` and the tests agree on every instant.
public struct Schedule: Sendable, Equatable {
    /// The phrases as written, for views.
    public var phrases: [String]
    public var rules: [ScheduleRule]

    public init(phrases: [String], rules: [ScheduleRule]) {
        self.phrases = phrases
        self.rules = rules
    }

    /// Parses phrases; the first phrase that is not valid gives its index and the message.
    public static func parse(_ phrases: [String]) -> Result<Schedule, ScheduleError> {
        var rules: [ScheduleRule] = []
        for (index, phrase) in phrases.enumerated() {
            switch ScheduleRule.parse(phrase) {
            case .success(let rule): rules.append(rule)
            case .failure(var error):
                error.index = index
                return .failure(error)
            }
        }
        return .success(Schedule(phrases: phrases, rules: rules))
    }

    /// How far a search for a slot looks (every rule has a slot within two months).
    static let searchDays = 400

    /// The slots on a local date, earliest first, without duplicates (two times can meet in a DST gap).
    public func slots(on date: LocalDate, zone: TimeZoneRules) -> [Instant] {
        var instants: Set<Instant> = []
        for rule in rules {
            for time in rule.times(on: date) { instants.insert(zone.instant(date, time)) }
        }
        return instants.sorted()
    }

    /// The first slot strictly after `instant`.
    public func nextRun(after instant: Instant, zone: TimeZoneRules) -> Instant? {
        guard !rules.isEmpty else { return nil }
        let start = zone.date(of: instant).adding(days: -1)
        for offset in 0..<Self.searchDays {
            if let slot = slots(on: start.adding(days: offset), zone: zone).first(where: { $0 > instant }) { return slot }
        }
        return nil
    }

    /// The last slot at or before `instant`.
    public func latestRun(atOrBefore instant: Instant, zone: TimeZoneRules) -> Instant? {
        guard !rules.isEmpty else { return nil }
        let start = zone.date(of: instant).adding(days: 1)
        for offset in 0..<Self.searchDays {
            if let slot = slots(on: start.adding(days: -offset), zone: zone).last(where: { $0 <= instant }) { return slot }
        }
        return nil
    }

    /// How long past its slot a run counts as late.
    public static let lateAfter = RunbookDuration.minutes(1)
    /// How old a slot may be for the first watcher of a runbook that has never run to start it: a watcher started
    /// at 09:20 starts the 09:00 check, one started at 08:00 does not start yesterday's.
    public static let firstRunGrace = RunbookDuration.hours(1)

    /// What a watcher should start at `now`: the latest slot that has come, when it is later than the last slot
    /// recorded (missed slots are not replayed: the older ones are counted as skipped). With no recorded slot only
    /// a slot at most `firstRunGrace` old starts. Nil when nothing is due.
    public func due(now: Instant, zone: TimeZoneRules, lastRecorded: Instant?) -> ScheduledStart? {
        guard let latest = latestRun(atOrBefore: now, zone: zone) else { return nil }
        let late = now.milliseconds(since: latest) > Int64(Self.lateAfter.seconds) * 1000
        guard let lastRecorded else {
            guard now.milliseconds(since: latest) <= Int64(Self.firstRunGrace.seconds) * 1000 else { return nil }
            return ScheduledStart(slot: latest, late: late, skipped: 0)
        }
        guard latest > lastRecorded else { return nil }
        // Counted a day at a time (an `every 1m` schedule down for a week skipped ten thousand slots), over at most
        // `searchDays` days before the latest slot.
        var skipped = 0
        let lastDay = zone.date(of: latest).adding(days: 1)
        var day = max(zone.date(of: lastRecorded).adding(days: -1), lastDay.adding(days: -Self.searchDays))
        while day <= lastDay {
            skipped += slots(on: day, zone: zone).filter { $0 > lastRecorded && $0 < latest }.count
            day = day.adding(days: 1)
        }
        return ScheduledStart(slot: latest, late: late, skipped: skipped)
    }
}

/// A scheduled run to start now: its slot, whether it starts late, and how many older missed slots are skipped.
public struct ScheduledStart: Sendable, Equatable {
    public var slot: Instant
    public var late: Bool
    public var skipped: Int

    public init(slot: Instant, late: Bool, skipped: Int) {
        self.slot = slot
        self.late = late
        self.skipped = skipped
    }
}

/// Why a schedule phrase is not valid.
public struct ScheduleError: Error, Sendable, Equatable {
    /// The phrase's position in the list.
    public var index: Int
    public var message: String

    public init(index: Int = 0, message: String) {
        self.index = index
        self.message = message
    }
}

/// One phrase of a schedule.
public enum ScheduleRule: Sendable, Equatable {
    /// On these days of the week, at these times (`daily`, `weekdays`, `weekends`, `mondays`, `weekly on monday`).
    case weekly([Weekday], [ClockTime])
    /// On the nth weekday of every month (1-4; -1 is the last), at these times.
    case monthlyWeekday(ordinal: Int, Weekday, [ClockTime])
    /// On day N of every month (the month's last day when it has fewer days), at these times.
    case monthlyDay(Int, [ClockTime])
    /// Every N minutes counted from local midnight; N divides a day.
    case every(minutes: Int)

    /// The accepted forms, for messages.
    public static let forms = "daily at HH:MM, weekdays at HH:MM, weekends at HH:MM, mondays at HH:MM, weekly on monday at HH:MM, "
        + "monthly on the first|second|third|fourth|last monday at HH:MM, monthly on day N at HH:MM, every Nh, every Nm "
        + "(several times after `at` separated by commas)"

    static let ordinals = ["first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1]

    /// The wall-clock times of the rule on `date` (none when the rule does not run that day).
    func times(on date: LocalDate) -> [ClockTime] {
        switch self {
        case .weekly(let days, let times):
            return days.contains(date.weekday) ? times : []
        case .monthlyWeekday(let ordinal, let weekday, let times):
            return date.day == Self.day(ordinal, weekday, inMonthOf: date) ? times : []
        case .monthlyDay(let day, let times):
            return date.day == min(day, date.daysInMonth) ? times : []
        case .every(let minutes):
            return stride(from: 0, to: 24 * 60, by: max(minutes, 1)).map { ClockTime(hour: $0 / 60, minute: $0 % 60) }
        }
    }

    /// The day of the month of the nth (or last, -1) `weekday` in `date`'s month.
    static func day(_ ordinal: Int, _ weekday: Weekday, inMonthOf date: LocalDate) -> Int {
        if ordinal < 0 {
            let last = LocalDate(year: date.year, month: date.month, day: date.daysInMonth)
            return last.day - (last.weekday.index - weekday.index + 7) % 7
        }
        let first = LocalDate(year: date.year, month: date.month, day: 1)
        return 1 + (weekday.index - first.weekday.index + 7) % 7 + 7 * (ordinal - 1)
    }

    /// Parses one phrase.
    public static func parse(_ phrase: String) -> Result<ScheduleRule, ScheduleError> {
        let words = phrase.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let unknown = ScheduleError(message: "unknown schedule \"\(TextHygiene.escape(phrase))\"; expected one of: \(forms)")
        guard let first = words.first else { return .failure(unknown) }
        if first == "every" {
            guard words.count == 2 else { return .failure(unknown) }
            return parseEvery(words[1], unknown: unknown)
        }
        guard let atIndex = words.firstIndex(of: "at"), atIndex > 0 else { return .failure(unknown) }
        let times: [ClockTime]
        switch clockTimes(words[(atIndex + 1)...].joined(separator: " "), unknown: unknown) {
        case .success(let parsed): times = parsed
        case .failure(let error): return .failure(error)
        }
        let head = Array(words[..<atIndex])
        switch head.count {
        case 1:
            if head[0] == "daily" { return .success(.weekly(Weekday.allCases, times)) }
            if ["weekdays", "weekends"].contains(head[0]) || Weekday.allCases.contains(where: { $0.rawValue == head[0] || $0.rawValue + "s" == head[0] }),
               let days = Weekday.days(named: head[0]) {
                return .success(.weekly(days, times))
            }
        case 3 where head[0] == "weekly" && head[1] == "on":
            if let day = fullWeekday(head[2]) { return .success(.weekly([day], times)) }
        case 4 where head[0] == "monthly" && head[1] == "on" && head[2] == "day":
            guard let day = Int(head[3]), (1...31).contains(day), head[3].allSatisfy(\.isASCII) else {
                return .failure(ScheduleError(message: "day \(TextHygiene.escape(head[3])) is not a day of the month; expected 1 to 31"))
            }
            return .success(.monthlyDay(day, times))
        case 5 where head[0] == "monthly" && head[1] == "on" && head[2] == "the":
            if let ordinal = ordinals[head[3]], let day = fullWeekday(head[4]) {
                return .success(.monthlyWeekday(ordinal: ordinal, day, times))
            }
        default:
            break
        }
        return .failure(unknown)
    }

    /// A weekday by its full name, singular or plural.
    static func fullWeekday(_ word: String) -> Weekday? {
        Weekday.allCases.first { $0.rawValue == word || $0.rawValue + "s" == word }
    }

    /// `HH:MM[, HH:MM…]`; `unknown` when there is no time at all.
    static func clockTimes(_ text: String, unknown: ScheduleError) -> Result<[ClockTime], ScheduleError> {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { String(String($0).trimmingWhitespace) }
        guard !items.isEmpty, !text.trimmingWhitespace.isEmpty else { return .failure(unknown) }
        var times: [ClockTime] = []
        for item in items {
            guard let time = ClockTime(item), time.hour < 24 else {
                return .failure(ScheduleError(message: "\"\(TextHygiene.escape(item))\" is not a time of day; expected HH:MM from 00:00 to 23:59"))
            }
            if !times.contains(time) { times.append(time) }
        }
        return .success(times.sorted())
    }

    /// `every Nh` or `every Nm`, N dividing a day.
    static func parseEvery(_ word: String, unknown: ScheduleError) -> Result<ScheduleRule, ScheduleError> {
        guard let unit = word.last, unit == "h" || unit == "m", let count = Int(word.dropLast()), word.dropLast().allSatisfy(\.isASCII) else {
            return .failure(unknown)
        }
        let minutes = unit == "h" ? count * 60 : count
        guard count > 0, 24 * 60 % minutes == 0 else {
            let examples = unit == "h" ? "1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h" : "5m, 10m, 15m, 20m, 30m or 60m"
            return .failure(ScheduleError(message: "every \(word) does not divide the day evenly (runs are counted from midnight); use \(examples)"))
        }
        return .success(.every(minutes: minutes))
    }
}

extension Schedule {
    /// A slot as people read it in the schedule's zone: `2026-11-27 09:00`.
    public static func label(_ slot: Instant, zone: TimeZoneRules) -> String {
        String(zone.civil(slot).formatted().dropLast(3))
    }
}

extension Schedule {
    /// How long until a slot, as people read it: `2d 3h`, `3h 10m`, `10m`, `<1m`.
    public static func countdown(milliseconds: Int64) -> String {
        let minutes = max(0, milliseconds) / 60_000
        let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(rest)m" }
        return minutes > 0 ? "\(rest)m" : "<1m"
    }
}
