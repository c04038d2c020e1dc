import RunbookCore
import Testing

/// A small valid routine check with a schedule; each case below breaks one thing in it.
let validChecklist = """
    runbook: daily-check
    kind: checklist
    title: "일일 점검 (Daily check)"
    schedule: ["daily at 09:00", "daily at 14:00"]
    timezone: Asia/Seoul
    roles:
      oncall: { title: On-call }
      manager: { title: Manager }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
        - { notify: [manager], after: 10m }
    initial: checks
    states:
      checks:
        deadline: 30m
        steps:
          - { id: disk, title: "디스크 확인 (Disk)" }
          - { id: backups, title: "백업 확인 (Backups)" }
        end: true

    """

/// `kind:`, `schedule:` and `timezone:` lint errors, with their exact messages and positions.
@Suite struct ChecklistLintTests {
    @Test func theValidChecklistLoads() throws {
        let runbook = try RunbookLoader.load(validChecklist, file: "daily-check.yaml", expectedID: "daily-check").get().runbook
        #expect(runbook.kind == .checklist)
        #expect(runbook.timezone == "Asia/Seoul")
        #expect(runbook.schedule?.phrases == ["daily at 09:00", "daily at 14:00"])
        // A single phrase is a string; `schedule:` on an incident runbook is allowed.
        let single = validRunbook.replacingAll("rto: 15m", with: "rto: 15m\nschedule: \"weekdays at 09:30, 18:00\"")
        let incident = try RunbookLoader.load(single, file: "t.yaml").get().runbook
        #expect(incident.kind == .incident)
        #expect(incident.schedule?.rules == [.weekly(Weekday.workdays, [ClockTime(hour: 9, minute: 30), ClockTime(hour: 18, minute: 0)])])
    }

    @Test(arguments: [
        DecodingCase(name: "severity on a checklist", replace: "kind: checklist", with: "kind: checklist\nseverity: SEV2",
                     expected: ["c.yaml:3:11: error: severity: a checklist has no severity; remove `severity:` (a routine check is not an incident)"]),
        DecodingCase(name: "rto on a checklist", replace: "kind: checklist", with: "kind: checklist\nrto: 1h",
                     expected: ["c.yaml:3:6: error: rto: a checklist has no RTO; remove `rto:` (give its stages a `deadline:` instead)"]),
        DecodingCase(name: "resolves on a checklist", replace: "    end: true", with: "    resolves: true\n    end: true",
                     expected: ["c.yaml:20:15: error: states.checks.resolves: a checklist is not resolved; remove `resolves: true` "
                                + "(its run closes when an `end: true` state completes)"]),
        DecodingCase(name: "no end state", replace: "    end: true", with: "    end: false",
                     expected: ["c.yaml:15:3: error: states: no state has `end: true`; mark the state that closes the incident",
                                "c.yaml:15:3: error: states.checks: state `checks` has no path to an end state; give it `next:` or mark it `end: true`"]),
        DecodingCase(name: "unknown kind", replace: "kind: checklist", with: "kind: routine",
                     expected: ["c.yaml:2:7: error: kind: expected `incident` or `checklist`, found \"routine\""]),
        DecodingCase(name: "invalid phrase in a list", replace: "\"daily at 14:00\"", with: "\"dayly at 14:00\"",
                     expected: ["c.yaml:4:30: error: schedule[1]: unknown schedule \"dayly at 14:00\"; expected one of: " + ScheduleRule.forms]),
        DecodingCase(name: "every N that does not divide the day", replace: "schedule: [\"daily at 09:00\", \"daily at 14:00\"]",
                     with: "schedule: every 5h",
                     expected: ["c.yaml:4:11: error: schedule: every 5h does not divide the day evenly (runs are counted from midnight); "
                                + "use 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h"]),
        DecodingCase(name: "a time that is not one", replace: "\"daily at 09:00\"", with: "\"daily at 9:60\"",
                     expected: ["c.yaml:4:12: error: schedule[0]: \"9:60\" is not a time of day; expected HH:MM from 00:00 to 23:59"]),
        DecodingCase(name: "empty schedule list", replace: "schedule: [\"daily at 09:00\", \"daily at 14:00\"]", with: "schedule: []",
                     expected: ["c.yaml:4:11: error: schedule: expected at least one schedule phrase, such as \"daily at 09:00\""]),
        DecodingCase(name: "a time zone that cannot be a name", replace: "timezone: Asia/Seoul", with: "timezone: ../etc/passwd",
                     expected: ["c.yaml:5:11: error: timezone: unknown time zone; use an IANA name such as Asia/Seoul, or +09:00"]),
    ])
    func reportsExactMessage(_ testCase: DecodingCase) throws {
        #expect(validChecklist.contains(testCase.replace), "the case must change the runbook")
        let text = validChecklist.replacingAll(testCase.replace, with: testCase.with)
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "c.yaml") else {
            Issue.record("expected errors, got a valid runbook")
            return
        }
        #expect(invalid.diagnostics.map(\.headline) == testCase.expected)
    }

    /// A well-formed zone name that the host does not know is found by the runtime's lookup.
    @Test func anUnknownZoneIsReportedWhereItIsWritten() {
        let text = validChecklist.replacingAll("timezone: Asia/Seoul", with: "timezone: Mars/Olympus")
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "c.yaml", zoneExists: { $0 == "Asia/Seoul" }) else {
            Issue.record("Mars/Olympus was accepted")
            return
        }
        #expect(invalid.diagnostics.map(\.headline) == ["c.yaml:5:11: error: timezone: unknown time zone; use an IANA name such as Asia/Seoul, or +09:00"])
        #expect((try? RunbookLoader.load(validChecklist, file: "c.yaml", zoneExists: { $0 == "Asia/Seoul" }).get()) != nil)
    }
}
