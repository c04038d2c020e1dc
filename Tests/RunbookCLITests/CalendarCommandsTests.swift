import Foundation
import RunbookTestSupport
import Testing

@Suite struct CalendarCommandsTests {
    @Test func oncallSaysWhoIsOnDutyAtATime() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["TZ"] = "Asia/Seoul"
            // The shipped rotation: office hours kim, nights and weekends lee, park, kim week by week from 2026-11-30.
            let office = try cli.run(["oncall", "--at", "2026-11-30 10:00"])
            #expect(office.status == 0, "\(office.stderr)")
            #expect(office.stdout == "oncall: kim (office-hours shift) until Mon 2026-11-30 18:00 KST; next: lee\n")
            let friday = try cli.run(["oncall", "--at", "2026-12-04T20:00:00+09:00"])
            #expect(friday.stdout == "oncall: lee (night shift) until Sat 2026-12-05 09:00 KST; next: lee\n")
            let weekend = try cli.run(["oncall", "--at", "2026-12-12 12:00"])
            #expect(weekend.stdout == "oncall: park (weekend shift) until Mon 2026-12-14 09:00 KST; next: kim\n")
            let json = try cli.run(["oncall", "--at", "2026-12-07 18:00", "--json"])
            #expect(json.stdout.contains("\"person\" : \"park\"") || json.stdout.contains("\"person\": \"park\""), "\(json.stdout)")
            let bad = try cli.run(["oncall", "--at", "tomorrow"])
            #expect(bad.status == 64)
            #expect(bad.stderr.contains("--at tomorrow is not a time"), "\(bad.stderr)")
        }
    }

    @Test func oncallWithNobodyOnDutyAndAnOverride() throws {
        try withWorkspace { base, directory in
            try """
                roster:
                  kim: [oncall]
                  lee: [oncall]
                rotations:
                  oncall:
                    timezone: UTC
                    shifts:
                      - { name: office-hours, days: weekdays, from: "09:00", to: "18:00", people: [kim] }
                    overrides:
                      - { person: lee, from: "2026-12-24 09:00", to: "2026-12-26 00:00", reason: "holiday cover" }

                """.write(toFile: "\(directory)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
            let saturday = try base.run(["oncall", "--at", "2026-11-28T12:00:00Z"])
            #expect(saturday.stdout == "oncall: nobody on duty; a page goes to every oncall holder: kim, lee\n")
            let holiday = try base.run(["oncall", "--at", "2026-12-24T12:00:00Z"])
            #expect(holiday.stdout == """
                oncall: lee (override) until Sat 2026-12-26 00:00 UTC; next: nobody
                  override: lee from Thu 2026-12-24 09:00 UTC to Sat 2026-12-26 00:00 UTC (holiday cover)

                """)
            let lint = try base.run(["lint"])
            #expect(lint.status == 0, "a warning does not fail lint: \(lint.stderr)")
            #expect(lint.stderr.contains("""
                runbooks/roster.yaml:5:3: warning: rotations.oncall: rotation oncall leaves Mon 18:00-Tue 09:00, Tue 18:00-Wed 09:00, \
                Wed 18:00-Thu 09:00, Thu 18:00-Fri 09:00 and 1 more uncovered; pages then go to every oncall holder
                """), "\(lint.stderr)")
        }
    }

    @Test func lintReportsCalendarErrorsAndUnknownWindows() throws {
        try withWorkspace { base, directory in
            try """
                timezone: Asia/Seoul
                windows:
                  sunday-maintenance:
                    every: sunday
                    from: "02:00"
                    too: "06:00"
                    runbooks: [security-incident]

                """.write(toFile: "\(directory)/runbooks/calendar.yaml", atomically: true, encoding: .utf8)
            let lint = try base.run(["lint"])
            #expect(lint.status == 65)
            #expect(lint.stderr.contains("""
                runbooks/calendar.yaml:6:5: error: windows.sunday-maintenance.too: unknown key `too`; did you mean `to`?
                    too: "06:00"
                    ^
                """), "\(lint.stderr)")
            #expect(!lint.stderr.contains("unknown window"), "the shipped update-deploy names the broken window: no cascade\n\(lint.stderr)")
            #expect(lint.stderr.contains("1 error in 1 file"), "\(lint.stderr)")

            // The same broken calendar never keeps an incident from starting: it starts without windows and says so.
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let start = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status == 0, "\(start.stderr)")
            let id = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let timeline = try cli.run(["timeline", id])
            #expect(timeline.stdout.contains("calendar.yaml could not be read, so this incident started without maintenance windows"),
                    "\(timeline.stdout)")
            #expect(timeline.stdout.contains("unknown key `too`"), "\(timeline.stdout)")
        }
    }

    /// An input whose choices are the stage's only way out (the daily check's round) cannot be skipped: the run would
    /// wait in a finished stage for ever. Choosing moves it on.
    @Test func theInputThatLeadsOutOfAStageCannotBeSkipped() throws {
        try withWorkspace { base, directory in
            try """
                runbook: pick
                title: Pick a round
                severity: SEV3
                roles: { oncall: { title: On-call } }
                escalation: { tiers: [ { notify: [oncall], after: 0m } ] }
                initial: security
                states:
                  security:
                    deadline: 10m
                    steps:
                      - id: round
                        title: Round
                        input: { choices: [morning, afternoon], goto: { morning: morning, afternoon: afternoon } }
                  morning: { deadline: 10m, steps: [ { id: a, title: A } ], resolves: true, end: true }
                  afternoon: { deadline: 10m, steps: [ { id: b, title: B } ], resolves: true, end: true }

                """.write(toFile: "\(directory)/runbooks/pick.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-27T00:05:00Z"
            let id = try cli.run(["start", "pick", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let skip = try cli.run(["step", id, "round", "skip", "--note", "no time", "--as", "kim"])
            #expect(skip.status == 64)
            #expect(try cli.run(["input", id, "round", "morning", "--as", "kim"]).status == 0)
            #expect(skip.stderr.contains("step `round` decides where stage `security` goes next, and the stage has no other way out; "
                                         + "choose one of morning, afternoon instead of skipping it"), "\(skip.stderr)")
        }
    }

    /// A one-off window over the opening of an incident: its pages are held, recorded as held, and paged once at
    /// the window's end, by the watcher, however often it is restarted.
    @Test func aHeldPageIsReleasedOnceAtTheWindowsEnd() throws {
        try withWorkspace { base, directory in
            try """
                timezone: UTC
                windows:
                  night-freeze:
                    title: "야간 동결 (night freeze)"
                    from: "2026-11-26 00:30"
                    to: "2026-11-26 02:00"
                    runbooks: [security-incident]

                """.write(toFile: "\(directory)/runbooks/calendar.yaml", atomically: true, encoding: .utf8)
            let database = "\(directory)/incidents.db"
            var opening = base
            opening.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let start = try opening.run(["start", "security-incident", "--no-guide", "--as", "kim"])
            #expect(start.status == 0, "\(start.stderr)")
            #expect(try count(database, "SELECT count(*) FROM events WHERE type = 'escalation.held'") == 1)
            #expect(try count(database, "SELECT count(*) FROM events WHERE type = 'escalated'") == 0, "nobody paged in the window")
            let status = try opening.run(["status", "1"])
            #expect(status.stdout.contains("tier 1 held by night-freeze until Thu 2026-11-26 02:00 UTC"), "\(status.stdout)")

            var watch = base
            watch.environment["RUNBOOK_NOW"] = "2026-11-26T02:00:00Z"
            let first = try watch.run(["watch", "--once"])
            #expect(first.status == 0, "\(first.stderr)")
            let pagesAfterFirst = try sqlite(database, "SELECT json_extract(data, '$.episode') || '/' || json_extract(data, '$.index') || ' ' || json_extract(data, '$.due_at') FROM events WHERE type = 'escalated' ORDER BY sequence")
            let sentAfterFirst = try count(database, "SELECT count(*) FROM events WHERE type = 'notification.sent'")
            #expect(pagesAfterFirst.contains("1/0 \(1_795_658_400_000)"), "tier 1 paged at 02:00: \(pagesAfterFirst)")
            #expect(sentAfterFirst >= 1)
            // A restarted watcher at the same moment finds nothing more to page or deliver.
            let second = try watch.run(["watch", "--once"])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try sqlite(database, "SELECT json_extract(data, '$.episode') || '/' || json_extract(data, '$.index') || ' ' || json_extract(data, '$.due_at') FROM events WHERE type = 'escalated' ORDER BY sequence") == pagesAfterFirst)
            #expect(try count(database, "SELECT count(*) FROM events WHERE type = 'notification.sent'") == sentAfterFirst)
            #expect(try count(database, """
                SELECT count(*) FROM (SELECT json_extract(data, '$.episode') e, json_extract(data, '$.index') i, count(*) c
                FROM events WHERE type = 'escalated' GROUP BY 1, 2 HAVING c > 1)
                """) == 0, "each page once")
            // The page names the person on duty when it fell due: Thursday 11:00 KST, office hours.
            let pages = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            #expect(pages.contains("tier 1 → oncall (kim, office-hours shift): incident opened, not yet acknowledged"), "\(pages)")
            #expect(try count(database, "SELECT count(*) FROM events WHERE type = 'notification.sent' AND json_extract(data, '$.on_duty') = 'kim'") >= 1)
        }
    }

    /// `window:` on a state, end to end: the calendar frozen at the start, the refusal with the opening, skip with a note.
    @Test func aStageWithAWindowWaitsForIt() throws {
        try withWorkspace { base, directory in
            try """
                runbook: update-deploy
                title: "업데이트 배포 (Update deploy)"
                roles:
                  oncall: { title: On-call }
                escalation:
                  repeat: 0
                  tiers:
                    - { notify: [oncall], after: 0m }
                initial: prepare
                states:
                  prepare:
                    steps:
                      - { id: check, title: Check }
                    next: production
                  production:
                    window: sunday-maintenance
                    steps:
                      - { id: deploy, title: Deploy, run: "true" }
                      - { id: verify, title: Verify }
                    resolves: true
                    end: true

                """.write(toFile: "\(directory)/runbooks/update-deploy.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["TZ"] = "Asia/Seoul"
            #expect(try cli.run(["lint"]).status == 0)
            // Friday 2026-11-20 10:00 KST.
            cli.environment["RUNBOOK_NOW"] = "2026-11-20T01:00:00Z"
            #expect(try cli.run(["start", "update-deploy", "--no-guide", "--as", "kim"]).status == 0)
            #expect(try cli.run(["step", "INC-20261120-0001", "check", "done", "--as", "kim"]).status == 0)
            let refused = try cli.run(["run", "INC-20261120-0001", "deploy", "--as", "kim"])
            #expect(refused.status == 1)
            #expect(refused.stderr == "runbook: error: stage `production` runs only in the window sunday-maintenance (정기 점검), which opens "
                    + "Sun 2026-11-22 02:00 KST; step `deploy` cannot run until then (it may be skipped or failed with a note)\n", "\(refused.stderr)")
            let status = try cli.run(["status", "INC-20261120-0001"])
            #expect(status.stdout.contains("waits for the window sunday-maintenance (정기 점검), which opens Sun 2026-11-22 02:00 KST"), "\(status.stdout)")
            let skipped = try cli.run(["step", "INC-20261120-0001", "verify", "skip", "--note", "checked on staging", "--as", "kim"])
            #expect(skipped.status == 0, "\(skipped.stderr)")
            // In the window (Sunday 02:30 KST) the command runs.
            cli.environment["RUNBOOK_NOW"] = "2026-11-21T17:30:00Z"
            let ran = try cli.run(["run", "INC-20261120-0001", "deploy", "--as", "kim"])
            #expect(ran.status == 0, "\(ran.stderr)")
        }
    }
}
