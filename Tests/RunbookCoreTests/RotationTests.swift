import RunbookCore
import Testing

@Suite struct RotationTests {
    static let roster: [String: [String]] = ["kim": ["oncall"], "lee": ["oncall", "dba"], "park": ["oncall", "security"], "choi": ["manager"]]
    static let yaml = """
        oncall:
          timezone: Asia/Seoul
          shifts:
            - { name: office-hours, days: weekdays, from: "09:00", to: "18:00", people: [kim] }
            - { name: night, days: daily, from: "18:00", to: "09:00", people: [lee, park, kim], rotate: weekly, start: "2026-11-30" }
          overrides:
            - { person: kim, from: "2026-12-24 18:00", to: "2026-12-26 09:00", reason: "holiday cover" }
        """

    static func decode(_ yaml: String) throws -> ([Rotation], [Diagnostic]) {
        let node = try #require(try YAMLParser.parse(yaml))
        return RotationDecoder.decode(node, file: "roster.yaml", roles: roster, zones: zones, defaultZone: seoul)
    }

    func rotation() throws -> Rotation {
        try #require(try Self.decode(Self.yaml).0.first)
    }

    /// "kim office-hours" at a KST wall time of the week of Monday 2026-11-30.
    func duty(_ local: String) throws -> String {
        let rotation = try rotation()
        let parts = local.split(separator: " ").map(String.init)
        let instant = seoul.rules.instant(try #require(LocalDate(parts[0])), try #require(ClockTime(parts[1])))
        guard let duty = rotation.onDuty(at: instant) else { return "nobody" }
        return "\(duty.person) \(duty.shift ?? "override") until \(rotation.format(duty.until)) next \(duty.next ?? "nobody")"
    }

    @Test func handOffsAtTheBoundaryMinute() throws {
        // Monday 2026-11-30: office hours, then the first night of lee's week.
        #expect(try duty("2026-11-30 08:59") == "kim night until Mon 2026-11-30 09:00 KST next kim",
                "Sunday night's shift belongs to the week before the start: people[-1] = kim")
        #expect(try duty("2026-11-30 09:00") == "kim office-hours until Mon 2026-11-30 18:00 KST next lee")
        #expect(try duty("2026-11-30 17:59") == "kim office-hours until Mon 2026-11-30 18:00 KST next lee")
        #expect(try duty("2026-11-30 18:00") == "lee night until Tue 2026-12-01 09:00 KST next kim")
        #expect(try duty("2026-12-01 08:59") == "lee night until Tue 2026-12-01 09:00 KST next kim", "Monday's night ends Tuesday 09:00")
    }

    @Test func fridayNightRunsIntoSaturdayAndTheWeekendIsUncovered() throws {
        #expect(try duty("2026-12-04 23:00") == "lee night until Sat 2026-12-05 09:00 KST next nobody")
        #expect(try duty("2026-12-05 09:00") == "nobody", "Saturday daytime: no shift; pages go to every holder")
        #expect(try duty("2026-12-05 18:00") == "lee night until Sun 2026-12-06 09:00 KST next nobody")
    }

    @Test func theWeeklyHandOffIsAtTheShiftsStartOnTheStartWeekday() throws {
        #expect(try duty("2026-12-07 08:59") == "lee night until Mon 2026-12-07 09:00 KST next kim", "Sunday night is still lee's week")
        #expect(try duty("2026-12-07 18:00") == "park night until Tue 2026-12-08 09:00 KST next kim")
        #expect(try duty("2026-12-14 18:00") == "kim night until Tue 2026-12-15 09:00 KST next kim")
        #expect(try duty("2026-12-21 18:00") == "lee night until Tue 2026-12-22 09:00 KST next kim", "three people: the fourth week is lee's again")
    }

    @Test func anOverrideBeginsAndEnds() throws {
        // Thursday 2026-12-24 is in kim's night week (the fourth from 2026-11-30 is lee's: 12-21..12-27).
        #expect(try duty("2026-12-24 17:59") == "kim office-hours until Thu 2026-12-24 18:00 KST next kim")
        #expect(try duty("2026-12-24 18:00") == "kim override until Sat 2026-12-26 09:00 KST next nobody")
        #expect(try duty("2026-12-26 08:59") == "kim override until Sat 2026-12-26 09:00 KST next nobody")
        #expect(try duty("2026-12-26 09:00") == "nobody")
        #expect(try duty("2026-12-26 18:00") == "lee night until Sun 2026-12-27 09:00 KST next nobody")
        // Before it begins, the shift's duty ends when the override starts.
        #expect(try duty("2026-12-24 12:00") == "kim office-hours until Thu 2026-12-24 18:00 KST next kim")
        #expect(try duty("2026-12-23 18:00") == "lee night until Thu 2026-12-24 09:00 KST next kim")
    }

    @Test func anOverrideListedFirstCutsShortAnOverlappingOverrideInForce() throws {
        // Two overrides overlap: the one listed first holds wherever it covers, so the other's duty ends when it begins.
        let (rotations, _) = try Self.decode("""
            oncall:
              shifts:
                - { days: daily, from: "00:00", to: "24:00", people: [kim] }
              overrides:
                - { person: park, from: "2026-12-24 12:00", to: "2026-12-24 14:00" }
                - { person: lee, from: "2026-12-24 10:00", to: "2026-12-24 20:00" }
                - { person: lee, from: "2026-12-24 11:00", to: "2026-12-24 13:00" }
            """)
        let rotation = try #require(rotations.first)
        func duty(_ time: String) throws -> String {
            let instant = seoul.rules.instant(try #require(LocalDate("2026-12-24")), try #require(ClockTime(time)))
            let duty = try #require(rotation.onDuty(at: instant))
            return "\(duty.person) until \(rotation.format(duty.until)) next \(duty.next ?? "nobody")"
        }
        #expect(try duty("10:30") == "lee until Thu 2026-12-24 12:00 KST next park", "park's override, listed first, takes over at 12:00")
        #expect(try duty("12:30") == "park until Thu 2026-12-24 14:00 KST next lee")
        #expect(try duty("14:00") == "lee until Thu 2026-12-24 20:00 KST next kim")
    }

    @Test func theUncoveredHoursAreAWarning() throws {
        let (_, diagnostics) = try Self.decode(Self.yaml)
        #expect(diagnostics.map(\.headline) == [
            "roster.yaml:1:1: warning: rotations.oncall: rotation oncall leaves Sat 09:00-18:00, Sun 09:00-18:00 uncovered; "
                + "pages then go to every oncall holder",
        ])
    }

    struct LintCase: Sendable, CustomStringConvertible {
        var shift: String
        var expected: String
        var description: String { expected }
    }

    static let lintCases: [LintCase] = [
        LintCase(shift: "{ days: daily, from: \"00:00\", to: \"24:00\", people: [kimm] }",
                 expected: "roster.yaml:3:59: error: rotations.oncall.shifts[0].people[0]: `kimm` is not in the roster; did you mean `kim`?"),
        LintCase(shift: "{ days: daily, from: \"00:00\", to: \"24:00\", people: [choi] }",
                 expected: "roster.yaml:3:59: error: rotations.oncall.shifts[0].people[0]: `choi` does not hold the role `oncall` in the roster"),
        LintCase(shift: "{ days: daily, from: \"00:00\", to: \"24:00\", people: [kim, lee], rotate: biweekly, start: \"2026-11-30\" }",
                 expected: "roster.yaml:3:78: error: rotations.oncall.shifts[0].rotate: unknown rotation \"biweekly\"; expected `daily` or `weekly`"),
        LintCase(shift: "{ days: daily, from: \"9:60\", to: \"24:00\", people: [kim] }",
                 expected: "roster.yaml:3:28: error: rotations.oncall.shifts[0].from: expected a time like \"02:00\", found \"9:60\""),
        LintCase(shift: "{ days: daily, from: \"00:00\", to: \"24:00\", people: [kim, lee], rotate: weekly, start: \"2026-11-31\" }",
                 expected: "roster.yaml:3:93: error: rotations.oncall.shifts[0].start: expected a date like \"2026-11-30\", found \"2026-11-31\""),
        LintCase(shift: "{ days: weekdayz, from: \"00:00\", to: \"24:00\", people: [kim] }",
                 expected: "roster.yaml:3:15: error: rotations.oncall.shifts[0].days: unknown day \"weekdayz\"; did you mean `weekdays`?"),
        LintCase(shift: "{ days: daily, from: \"00:00\", to: \"24:00\", people: [kim, lee], start: \"2026-11-30\" }",
                 expected: "roster.yaml:3:77: error: rotations.oncall.shifts[0].start: `start:` counts the turns of `rotate:`; "
                     + "add `rotate: daily` or `rotate: weekly`, or remove it"),
        LintCase(shift: "{ days: daily, from: \"00:00\", to: \"24:00\", people: [kim, lee], rotate: weekly }",
                 expected: "roster.yaml:3:7: error: rotations.oncall.shifts[0]: missing required key `start` (the date the turns count from) for `rotate:`"),
        LintCase(shift: "{ days: [], from: \"00:00\", to: \"24:00\", people: [kim] }",
                 expected: "roster.yaml:3:15: error: rotations.oncall.shifts[0].days: expected at least one day (a day, a list of days, weekdays, weekends or daily)"),
        LintCase(shift: "{ dayz: daily, from: \"00:00\", to: \"24:00\", people: [kim] }",
                 expected: "roster.yaml:3:9: error: rotations.oncall.shifts[0].dayz: unknown key `dayz`; did you mean `days`?"),
    ]

    @Test(arguments: lintCases)
    func lintMessages(_ lintCase: LintCase) throws {
        let (_, diagnostics) = try Self.decode("oncall:\n  shifts:\n    - \(lintCase.shift)\n")
        #expect(diagnostics.filter { !$0.isWarning }.map(\.headline).first == lintCase.expected)
    }

    @Test func anEmptyListOfShiftsSaysSo() throws {
        let (_, diagnostics) = try Self.decode("oncall:\n  shifts: []\n")
        #expect(diagnostics.map(\.headline) == ["roster.yaml:2:11: error: rotations.oncall.shifts: expected at least one shift (days, from, to, people)"])
    }

    @Test func anOverrideByAPersonWithoutTheRoleIsAnError() throws {
        let (_, diagnostics) = try Self.decode("""
            oncall:
              shifts:
                - { days: daily, from: "00:00", to: "24:00", people: [kim] }
              overrides:
                - { person: choi, from: "2026-12-24 18:00", to: "2026-12-26 09:00" }
            """)
        #expect(diagnostics.map(\.headline) == ["roster.yaml:5:17: error: rotations.oncall.overrides[0].person: `choi` does not hold the role `oncall` in the roster"])
    }
}
