import RunbookCore
import RunbookRuntime
import Testing

/// The tz database read as schedules, windows and rotations read it.
@Suite struct TimeZonesTests {
    func at(_ text: String) throws -> Instant { try #require(Instant(iso8601: text)) }

    @Test func seoulIsNineHoursAheadAllYear() throws {
        let seoul = try #require(TimeZones.rules(named: "Asia/Seoul"))
        for text in ["2026-01-15T00:00:00Z", "2026-07-15T00:00:00Z", "2045-07-15T00:00:00Z"] {
            #expect(seoul.offset(at: try at(text)) == 9 * 3600)
        }
        // 1988 had daylight saving time in Korea (the Olympics): the table, not a constant.
        #expect(seoul.offset(at: try at("1988-07-01T00:00:00Z")) == 10 * 3600)
    }

    @Test func berlinFollowsDaylightSavingInTheTableAndBeyondIt() throws {
        let berlin = try #require(TimeZones.rules(named: "Europe/Berlin"))
        #expect(berlin.offset(at: try at("2026-01-15T12:00:00Z")) == 3600)
        #expect(berlin.offset(at: try at("2026-07-15T12:00:00Z")) == 7200)
        // Past the file's last transition the footer rule (CET-1CEST,M3.5.0,M10.5.0/3) decides.
        #expect(berlin.offset(at: try at("2050-01-15T12:00:00Z")) == 3600)
        #expect(berlin.offset(at: try at("2050-07-15T12:00:00Z")) == 7200)
        // The switch itself: 2026-03-29 01:00 UTC.
        #expect(berlin.offset(at: try at("2026-03-29T00:59:59Z")) == 3600)
        #expect(berlin.offset(at: try at("2026-03-29T01:00:00Z")) == 7200)
    }

    @Test func wallTimesBecomeInstantsThroughGapsAndOverlaps() throws {
        let berlin = try #require(TimeZones.rules(named: "Europe/Berlin"))
        let day = try #require(LocalDate("2026-03-29"))
        // 02:30 does not exist that night: it is taken as 03:30 CEST, half an hour after the jump.
        #expect(berlin.instant(day, try #require(ClockTime("02:30"))) == (try at("2026-03-29T01:30:00Z")))
        #expect(berlin.instant(day, try #require(ClockTime("09:00"))) == (try at("2026-03-29T07:00:00Z")))
        // 02:30 happens twice on 2026-10-25: the first time (CEST).
        let autumn = try #require(LocalDate("2026-10-25"))
        #expect(berlin.instant(autumn, try #require(ClockTime("02:30"))) == (try at("2026-10-25T00:30:00Z")))
        let seoul = try #require(TimeZones.rules(named: "Asia/Seoul"))
        #expect(seoul.instant(try #require(LocalDate("2026-11-29")), try #require(ClockTime("02:00"))) == (try at("2026-11-28T17:00:00Z")))
    }

    @Test(arguments: [("UTC", 0), ("+09:00", 32_400), ("-0330", -12_600), ("+05", 18_000)])
    func fixedOffsetsNeedNoFile(name: String, seconds: Int) throws {
        let rules = try #require(TimeZones.rules(named: name))
        #expect(rules.offset(at: try at("2026-07-01T00:00:00Z")) == seconds)
    }

    @Test(arguments: ["Mars/Olympus", "../../etc/passwd", "/etc/localtime", "", "+25:00", "Asia/../Asia/Seoul"])
    func unknownOrHostileNamesAreNoZone(name: String) {
        #expect(TimeZones.rules(named: name) == nil)
    }

    @Test func aPosixRuleWithoutAFile() throws {
        let rules = try #require(TimeZoneRules(name: "x", posix: "EST5EDT,M3.2.0,M11.1.0"))
        #expect(rules.offset(at: try at("2026-01-10T12:00:00Z")) == -5 * 3600)
        #expect(rules.offset(at: try at("2026-07-10T12:00:00Z")) == -4 * 3600)
        #expect(TimeZoneRules(name: "x", posix: "nonsense") == nil)
    }

    @Test func datesKnowTheirWeekday() throws {
        #expect(try #require(LocalDate("2026-11-29")).weekday == .sunday)
        #expect(try #require(LocalDate("2026-11-27")).weekday == .friday)
        #expect(try #require(LocalDate("2028-02-29")).weekday == .tuesday)
        #expect(LocalDate("2026-02-29") == nil)
        #expect(try #require(LocalDate("2026-12-31")).adding(days: 1) == LocalDate("2027-01-01"))
        #expect(Weekday.days(named: "weekdays") == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(Weekday(name: "Sundays") == .sunday)
        #expect(ClockTime("24:00")?.minuteOfDay == 1440)
        #expect(ClockTime("24:01") == nil)
        #expect(ClockTime("9:5") == nil)
    }
}
