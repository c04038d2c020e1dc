import RunbookCore
import Testing

/// Schedules (SPEC §3.2) read as exact instants: Asia/Seoul (no DST), Europe/Berlin (DST), month and year ends.
@Suite struct ScheduleTests {
    static let seoul = TimeZoneRules(name: "Asia/Seoul", fixedOffsetSeconds: 9 * 3600)
    /// Berlin by its POSIX rule (what the TZif footer says): pure, no zone file needed.
    static let berlin: TimeZoneRules = TimeZoneRules(name: "Europe/Berlin", posix: "CET-1CEST,M3.5.0,M10.5.0/3") ?? .utc

    static func schedule(_ phrases: [String]) throws -> Schedule {
        try Schedule.parse(phrases).get()
    }

    static func at(_ text: String) throws -> Instant { try #require(Instant(iso8601: text)) }

    struct Case: Sendable, CustomTestStringConvertible {
        var phrases: [String]
        var zone: TimeZoneRules
        var after: String
        var next: String
        var testDescription: String { "\(phrases) after \(after) in \(zone.name)" }
    }

    @Test(arguments: [
        // Seoul: 09:30 KST on Friday 2026-11-27 is 00:30Z.
        Case(phrases: ["daily at 09:00, 14:00"], zone: seoul, after: "2026-11-27T00:30:00Z", next: "2026-11-27T05:00:00Z"),
        Case(phrases: ["daily at 09:00", "daily at 14:00"], zone: seoul, after: "2026-11-27T05:00:00Z", next: "2026-11-28T00:00:00Z"),
        Case(phrases: ["weekdays at 09:30"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-11-30T00:30:00Z"),
        Case(phrases: ["weekends at 10:00"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-11-28T01:00:00Z"),
        Case(phrases: ["mondays at 08:00"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-11-29T23:00:00Z"),
        Case(phrases: ["Monday at 08:00"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-11-29T23:00:00Z"),
        Case(phrases: ["weekly on sunday at 02:00"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-11-28T17:00:00Z"),
        // The first Monday of December 2026 is the 7th; of June 2026 the 1st (the month begins on a Monday).
        Case(phrases: ["monthly on the first monday at 10:00"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-12-07T01:00:00Z"),
        Case(phrases: ["monthly on the first monday at 10:00"], zone: seoul, after: "2026-05-31T01:00:00Z", next: "2026-06-01T01:00:00Z"),
        Case(phrases: ["monthly on the first monday at 10:00"], zone: seoul, after: "2027-02-28T01:00:00Z", next: "2027-03-01T01:00:00Z"),
        Case(phrases: ["monthly on the second tuesday at 10:00"], zone: seoul, after: "2026-12-01T02:00:00Z", next: "2026-12-08T01:00:00Z"),
        // The last Monday: 2026-11-30; in February 2027 (the 28th is a Sunday) the 22nd.
        Case(phrases: ["monthly on the last monday at 10:00"], zone: seoul, after: "2026-11-27T01:00:00Z", next: "2026-11-30T01:00:00Z"),
        Case(phrases: ["monthly on the last monday at 10:00"], zone: seoul, after: "2027-02-01T01:00:00Z", next: "2027-02-22T01:00:00Z"),
        // Day 31 in a month without it runs on the month's last day: February 28 (29 in 2028), April 30.
        Case(phrases: ["monthly on day 31 at 09:00"], zone: seoul, after: "2027-02-01T00:00:00Z", next: "2027-02-28T00:00:00Z"),
        Case(phrases: ["monthly on day 31 at 09:00"], zone: seoul, after: "2028-02-01T00:00:00Z", next: "2028-02-29T00:00:00Z"),
        Case(phrases: ["monthly on day 31 at 09:00"], zone: seoul, after: "2027-03-31T00:00:00Z", next: "2027-04-30T00:00:00Z"),
        Case(phrases: ["monthly on day 15 at 09:00"], zone: seoul, after: "2026-11-27T00:00:00Z", next: "2026-12-15T00:00:00Z"),
        // Year end: the 31st of December, then January.
        Case(phrases: ["monthly on day 31 at 09:00"], zone: seoul, after: "2026-12-01T00:00:00Z", next: "2026-12-31T00:00:00Z"),
        Case(phrases: ["monthly on day 31 at 09:00"], zone: seoul, after: "2026-12-31T00:00:00Z", next: "2027-01-31T00:00:00Z"),
        Case(phrases: ["every 4h"], zone: seoul, after: "2026-12-31T14:00:00Z", next: "2026-12-31T15:00:00Z"),
        // Every N counted from local midnight: 09:30 KST → 12:00 KST; 09:10 → 09:30.
        Case(phrases: ["every 4h"], zone: seoul, after: "2026-11-27T00:30:00Z", next: "2026-11-27T03:00:00Z"),
        Case(phrases: ["every 30m"], zone: seoul, after: "2026-11-27T00:10:00Z", next: "2026-11-27T00:30:00Z"),
        // Berlin, spring forward on 2026-03-29: 02:30 does not exist and runs at 03:30 CEST (01:30Z).
        Case(phrases: ["daily at 02:30"], zone: berlin, after: "2026-03-28T23:00:00Z", next: "2026-03-29T01:30:00Z"),
        Case(phrases: ["daily at 02:30"], zone: berlin, after: "2026-03-29T01:30:00Z", next: "2026-03-30T00:30:00Z"),
        // Fall back on 2026-10-25: 02:30 happens twice; the run is the first (CEST, 00:30Z), once.
        Case(phrases: ["daily at 02:30"], zone: berlin, after: "2026-10-24T22:00:00Z", next: "2026-10-25T00:30:00Z"),
        Case(phrases: ["daily at 02:30"], zone: berlin, after: "2026-10-25T00:30:00Z", next: "2026-10-26T01:30:00Z"),
        Case(phrases: ["daily at 09:00"], zone: berlin, after: "2026-07-01T08:00:00Z", next: "2026-07-02T07:00:00Z"),
    ])
    func nextRun(_ item: Case) throws {
        let schedule = try Self.schedule(item.phrases)
        let next = schedule.nextRun(after: try Self.at(item.after), zone: item.zone)
        #expect(next == (try Self.at(item.next)))
        // The latest run at or before the next one is that one; just before it, an earlier one.
        #expect(schedule.latestRun(atOrBefore: try Self.at(item.next), zone: item.zone) == (try Self.at(item.next)))
        if let next, let earlier = schedule.latestRun(atOrBefore: Instant(milliseconds: next.milliseconds - 1), zone: item.zone) {
            #expect(earlier <= (try Self.at(item.after)))
        }
    }

    @Test(arguments: [
        (["daily at 09:00, 14:00"], "2026-11-27T04:59:00Z", "2026-11-27T00:00:00Z"),
        (["weekdays at 09:30"], "2026-11-29T01:00:00Z", "2026-11-27T00:30:00Z"),
        (["monthly on day 31 at 09:00"], "2027-03-15T00:00:00Z", "2027-02-28T00:00:00Z"),
        (["every 4h"], "2027-01-01T00:00:00Z", "2026-12-31T23:00:00Z"),
    ] as [([String], String, String)])
    func latestRun(_ phrases: [String], _ now: String, _ expected: String) throws {
        #expect(try Self.schedule(phrases).latestRun(atOrBefore: Self.at(now), zone: Self.seoul) == (try Self.at(expected)))
    }

    static let forms = "expected one of: " + ScheduleRule.forms

    @Test(arguments: [
        ("dialy at 09:00", "unknown schedule \"dialy at 09:00\"; \(forms)"),
        ("daily", "unknown schedule \"daily\"; \(forms)"),
        ("daily at", "unknown schedule \"daily at\"; \(forms)"),
        ("daily at 25:00", "\"25:00\" is not a time of day; expected HH:MM from 00:00 to 23:59"),
        ("daily at 09:00, 9h", "\"9h\" is not a time of day; expected HH:MM from 00:00 to 23:59"),
        ("every 7h", "every 7h does not divide the day evenly (runs are counted from midnight); use 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h"),
        ("every 7m", "every 7m does not divide the day evenly (runs are counted from midnight); use 5m, 10m, 15m, 20m, 30m or 60m"),
        ("every 0h", "every 0h does not divide the day evenly (runs are counted from midnight); use 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h"),
        ("every day", "unknown schedule \"every day\"; \(forms)"),
        ("monthly on day 32 at 09:00", "day 32 is not a day of the month; expected 1 to 31"),
        ("monthly on the fifth monday at 09:00", "unknown schedule \"monthly on the fifth monday at 09:00\"; \(forms)"),
        ("weekly on mon at 09:00", "unknown schedule \"weekly on mon at 09:00\"; \(forms)"),
    ])
    func invalidPhrases(_ phrase: String, _ message: String) {
        guard case .failure(let error) = Schedule.parse(["daily at 08:00", phrase]) else {
            Issue.record("\(phrase) was accepted")
            return
        }
        #expect(error.index == 1)
        #expect(error.message == message)
    }

    /// The watcher's decision: the latest due slot once; missed slots are not replayed but counted; the very first
    /// run only when its slot is at most an hour old.
    @Test func dueStartsTheLatestMissedSlotOnceAndCountsTheSkippedOnes() throws {
        let schedule = try Self.schedule(["daily at 09:00"])
        let zone = Self.seoul
        // 09:00:30 KST on 2026-11-27, last run on the 24th: the 25th and 26th are skipped, the 27th starts on time.
        let onTime = schedule.due(now: try Self.at("2026-11-27T00:00:30Z"), zone: zone, lastRecorded: try Self.at("2026-11-24T00:00:00Z"))
        #expect(onTime == ScheduledStart(slot: try Self.at("2026-11-27T00:00:00Z"), late: false, skipped: 2))
        // 11:00 KST: late.
        let late = schedule.due(now: try Self.at("2026-11-27T02:00:00Z"), zone: zone, lastRecorded: try Self.at("2026-11-26T00:00:00Z"))
        #expect(late == ScheduledStart(slot: try Self.at("2026-11-27T00:00:00Z"), late: true, skipped: 0))
        // Already started: nothing.
        #expect(schedule.due(now: try Self.at("2026-11-27T02:00:00Z"), zone: zone, lastRecorded: try Self.at("2026-11-27T00:00:00Z")) == nil)
        // First run ever: 09:20 starts the 09:00 check (late); 08:00 does not start yesterday's.
        #expect(schedule.due(now: try Self.at("2026-11-27T00:20:00Z"), zone: zone, lastRecorded: nil)
                == ScheduledStart(slot: try Self.at("2026-11-27T00:00:00Z"), late: true, skipped: 0))
        #expect(schedule.due(now: try Self.at("2026-11-26T23:00:00Z"), zone: zone, lastRecorded: nil) == nil)
    }

    /// A frequent schedule down for a week counts its skipped slots without walking them one by one.
    @Test func aWeekOfMissedMinutesIsCountedAtOnce() throws {
        let schedule = try Self.schedule(["every 1m"])
        let due = schedule.due(now: try Self.at("2026-11-27T00:00:30Z"), zone: Self.berlin, lastRecorded: try Self.at("2026-11-20T00:00:00Z"))
        #expect(due == ScheduledStart(slot: try Self.at("2026-11-27T00:00:00Z"), late: false, skipped: 7 * 1440 - 1))
    }

    @Test func countdownReadsAsPeopleSayIt() {
        #expect(Schedule.countdown(milliseconds: (3 * 60 + 10) * 60_000) == "3h 10m")
        #expect(Schedule.countdown(milliseconds: (2 * 1440 + 3 * 60) * 60_000) == "2d 3h")
        #expect(Schedule.countdown(milliseconds: 9 * 60_000 + 59_000) == "9m")
        #expect(Schedule.countdown(milliseconds: 30_000) == "<1m")
    }

    @Test func theLastRunSaysItsStatusInTheReadersLanguage() {
        let last = Message.schedule(.lastRun(incident: "INC-1", slot: "2026-11-27 09:00", late: true, status: "open"))
        #expect(last.text(in: .english) == "INC-1 at 2026-11-27 09:00, late, open")
        #expect(last.text(in: .korean) == "INC-1, 2026-11-27 09:00, 늦게 시작, 진행 중")
    }
}
