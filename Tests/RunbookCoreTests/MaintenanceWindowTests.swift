import RunbookCore
import RunbookTestSupport
import Testing

/// Seoul has kept +09:00 since 1988; a fixed zone stands for it in the pure core's tests.
let seoul = ZoneInfo(rules: TimeZoneRules(name: "Asia/Seoul", fixedOffsetSeconds: 9 * 3600), labels: [9 * 3600: "KST"])
/// Berlin's POSIX rule: CET, CEST from the last Sunday of March 02:00 to the last Sunday of October 03:00.
let berlin = ZoneInfo(rules: TimeZoneRules(name: "Europe/Berlin", posix: "CET-1CEST,M3.5.0,M10.5.0/3") ?? .utc,
                      labels: [3600: "CET", 7200: "CEST"])

func at(_ text: String) -> Instant { Instant(iso8601: text) ?? Instant(milliseconds: -1) }

func zones(_ name: String) -> ZoneInfo? {
    ["Asia/Seoul": seoul, "Europe/Berlin": berlin, "UTC": ZoneInfo(rules: .utc, labels: [0: "UTC"])][name]
}

func calendar(_ yaml: String, runbooks: Set<String>? = nil) -> (MaintenanceCalendar, [Diagnostic]) {
    CalendarDecoder.decode(yaml, file: "calendar.yaml", zones: zones, defaultZone: seoul, runbookIDs: runbooks)
}

@Suite struct MaintenanceWindowTests {
    static let yaml = """
        timezone: Asia/Seoul
        windows:
          sunday-maintenance:
            title: "정기 점검 (Sunday maintenance, manual §1.3)"
            every: sunday
            from: "02:00"
            to: "06:00"
            runbooks: [update-deploy, db-backup]
          saturday-night:
            every: saturday
            from: "22:00"
            to: "02:00"
            runbooks: [db-backup]
          year-end-freeze:
            from: "2026-12-31 22:00"
            to: "2027-01-01 02:00"
            runbooks: [update-deploy]
        """

    @Test func theCalendarDecodes() throws {
        let (decoded, problems) = calendar(Self.yaml)
        #expect(problems.isEmpty)
        #expect(decoded.windows.map(\.name) == ["sunday-maintenance", "saturday-night", "year-end-freeze"])
        let sunday = try #require(decoded.window("sunday-maintenance"))
        #expect(sunday.timing == .weekly(days: [.sunday], from: ClockTime(hour: 2, minute: 0), to: ClockTime(hour: 6, minute: 0)))
        #expect(sunday.label == "sunday-maintenance (정기 점검)")
        #expect(decoded.window("year-end-freeze")?.timing == .once(start: at("2026-12-31T13:00:00Z"), end: at("2026-12-31T17:00:00Z")))
    }

    @Test func aWeeklyWindowOpensAndCloses() throws {
        let window = try #require(calendar(Self.yaml).0.window("sunday-maintenance"))
        // Sunday 2026-11-29 02:00 KST is Saturday 17:00 UTC.
        #expect(!window.isOpen(at: at("2026-11-28T16:59:59Z")))
        #expect(window.isOpen(at: at("2026-11-28T17:00:00Z")))
        #expect(window.isOpen(at: at("2026-11-28T20:59:59Z")))
        #expect(!window.isOpen(at: at("2026-11-28T21:00:00Z")), "06:00 is the end, not in the window")
        #expect(window.opening(after: at("2026-11-27T05:00:00Z")) == at("2026-11-28T17:00:00Z"))
        #expect(window.closing(after: at("2026-11-28T18:00:00Z")) == at("2026-11-28T21:00:00Z"))
        // After it closed, the next opening is a week later.
        #expect(window.opening(after: at("2026-11-28T21:00:00Z")) == at("2026-12-05T17:00:00Z"))
        #expect(window.format(at("2026-11-28T17:00:00Z")) == "Sun 2026-11-29 02:00 KST")
    }

    @Test func aWindowAcrossMidnightEndsTheNextDay() throws {
        let window = try #require(calendar(Self.yaml).0.window("saturday-night"))
        // Saturday 2026-11-28 22:00 KST to Sunday 02:00 KST.
        #expect(!window.isOpen(at: at("2026-11-28T12:59:00Z")))
        #expect(window.isOpen(at: at("2026-11-28T13:00:00Z")))
        #expect(window.isOpen(at: at("2026-11-28T15:00:00Z")), "after midnight, Sunday, still Saturday's window")
        #expect(window.isOpen(at: at("2026-11-28T16:59:59Z")))
        #expect(!window.isOpen(at: at("2026-11-28T17:00:00Z")))
        #expect(window.closing(after: at("2026-11-28T15:00:00Z")) == at("2026-11-28T17:00:00Z"))
    }

    @Test func aOneOffWindowAcrossTheYear() throws {
        let window = try #require(calendar(Self.yaml).0.window("year-end-freeze"))
        #expect(window.isOpen(at: at("2026-12-31T13:00:00Z")))
        #expect(window.isOpen(at: at("2026-12-31T16:59:00Z")))
        #expect(!window.isOpen(at: at("2026-12-31T17:00:00Z")))
        #expect(window.opening(after: at("2027-01-02T00:00:00Z")) == nil, "a one-off window never opens again")
    }

    @Test func aWindowAcrossTheSpringForwardGapIsAnHourShorter() throws {
        let (decoded, problems) = calendar("""
            windows:
              night: { every: sunday, from: "01:00", to: "04:00", timezone: Europe/Berlin }
            """)
        #expect(problems.isEmpty)
        let window = try #require(decoded.window("night"))
        // 2026-03-29: 01:00 CET is 00:00 UTC; the clocks jump from 02:00 to 03:00; 04:00 CEST is 02:00 UTC.
        #expect(window.isOpen(at: at("2026-03-29T00:00:00Z")))
        #expect(window.isOpen(at: at("2026-03-29T01:59:00Z")))
        #expect(!window.isOpen(at: at("2026-03-29T02:00:00Z")))
        #expect(window.closing(after: at("2026-03-29T00:30:00Z")) == at("2026-03-29T02:00:00Z"))
        #expect(window.format(at("2026-03-29T02:00:00Z")) == "Sun 2026-03-29 04:00 CEST")
        // 2026-10-25: 01:00 CEST is 23:00 UTC the day before; 04:00 CET is 03:00 UTC: four hours.
        #expect(window.opening(after: at("2026-10-20T00:00:00Z")) == at("2026-10-24T23:00:00Z"))
        #expect(window.closing(after: at("2026-10-24T23:00:00Z")) == at("2026-10-25T03:00:00Z"))
    }

    @Test func frozenWindowsRoundTripThroughTheEvent() throws {
        let window = try #require(calendar("""
            windows:
              night: { every: [saturday, sunday], from: "01:00", to: "04:00", timezone: Europe/Berlin, runbooks: [x] }
            """).0.window("night"))
        let frozen = window.frozen(from: at("2026-11-27T00:00:00Z"))
        let record = EventRecord(chaining: IncidentEvent.calendarFrozen(windows: [frozen]).pending(actor: "kim", recordedAt: at("2026-11-27T00:00:00Z")),
                                 incidentID: "INC-1", sequence: 2, previousHash: EventChain.genesis)
        let decoded = try IncidentEvent.decode(record)
        #expect(decoded.event == .calendarFrozen(windows: [frozen]))
        #expect(frozen.isOpen(at: at("2027-03-28T00:30:00Z")) == window.isOpen(at: at("2027-03-28T00:30:00Z")))
    }

    struct LintCase: Sendable, CustomStringConvertible {
        var yaml: String
        var expected: [String]
        var description: String { expected.first ?? "clean" }
    }

    static let lintCases: [LintCase] = [
        LintCase(yaml: "windows:\n  w: { evry: sunday, from: \"02:00\", to: \"06:00\" }\n",
                 expected: ["calendar.yaml:2:8: error: windows.w.evry: unknown key `evry`; did you mean `every`?"]),
        LintCase(yaml: "windows:\n  w: { every: sunday, from: \"25:00\", to: \"06:00\" }\n",
                 expected: ["calendar.yaml:2:29: error: windows.w.from: expected a time like \"02:00\", found \"25:00\""]),
        LintCase(yaml: "windows:\n  w: { every: sundy, from: \"02:00\", to: \"06:00\" }\n",
                 expected: ["calendar.yaml:2:15: error: windows.w.every: unknown day \"sundy\"; did you mean `sunday`?"]),
        LintCase(yaml: "windows:\n  w: { every: sunday, from: \"02:00\", to: \"02:00\" }\n",
                 expected: ["calendar.yaml:2:42: error: windows.w.to: the window is empty: it starts and ends at 02:00"]),
        LintCase(yaml: "windows:\n  w: { from: \"2026-12-31 22:00\", to: \"2026-12-31 21:00\" }\n",
                 expected: ["calendar.yaml:2:38: error: windows.w.to: the window is empty: it ends at or before it starts "
                            + "(a one-off window gives both dates; a weekly one needs `every:`)"]),
        LintCase(yaml: "windows:\n  w: { from: \"2026-12-31\", to: \"2027-01-01 02:00\" }\n",
                 expected: ["calendar.yaml:2:14: error: windows.w.from: expected a date and time like \"2026-12-31 22:00\" "
                            + "(or ISO-8601 with an offset), found \"2026-12-31\""]),
        LintCase(yaml: "timezone: Asia/Seol\nwindows:\n  w: { every: sunday, from: \"02:00\", to: \"06:00\" }\n",
                 expected: ["calendar.yaml:1:11: error: timezone: unknown time zone \"Asia/Seol\"; expected a tz database name like "
                            + "\"Asia/Seoul\" or an offset like \"+09:00\""]),
        LintCase(yaml: "windows:\n  w: { every: [], from: \"02:00\", to: \"06:00\" }\n",
                 expected: ["calendar.yaml:2:15: error: windows.w.every: expected at least one day (a day, a list of days, weekdays, weekends or daily)"]),
        LintCase(yaml: "windows:\n  w: { every: sunday, to: \"06:00\" }\n",
                 expected: ["calendar.yaml:2:6: error: windows.w: missing required key `from`"]),
        LintCase(yaml: "windows:\n  w: { every: sunday, from: \"02:00\", to: \"06:00\", runbooks: [update-deploi] }\n",
                 expected: ["calendar.yaml:2:62: warning: windows.w.runbooks: window w covers `update-deploi`, which is not a runbook "
                            + "in this folder; did you mean `update-deploy`?"]),
    ]

    @Test(arguments: lintCases)
    func lintMessages(_ lintCase: LintCase) {
        let (_, problems) = calendar(lintCase.yaml, runbooks: ["update-deploy", "db-backup"])
        #expect(problems.map(\.headline) == lintCase.expected)
    }

    @Test func aStateNamingAnUnknownWindowIsAnError() {
        let yaml = """
            runbook: deploy
            title: Deploy
            roles:
              oncall: { title: On-call }
            escalation:
              repeat: 0
              tiers:
                - { notify: [oncall], after: 0m }
            initial: production
            states:
              production:
                window: sunday-maintenace
                steps:
                  - { id: deploy, title: Deploy }
                end: true
                resolves: true

            """
        guard case .failure(let invalid) = RunbookLoader.load(yaml, file: "deploy.yaml", windows: ["sunday-maintenance"]) else {
            Issue.record("expected an error")
            return
        }
        #expect(invalid.diagnostics.map(\.headline)
                    == ["deploy.yaml:12:13: error: states.production.window: unknown window `sunday-maintenace`; did you mean `sunday-maintenance`?"])
        // Without the calendar's names (a single file), the name is not checked.
        #expect((try? RunbookLoader.load(yaml, file: "deploy.yaml").get()) != nil)
    }
}
