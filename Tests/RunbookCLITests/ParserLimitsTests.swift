import Foundation
import RunbookTestSupport
import Testing

/// Time that cannot trap or lock an incident, and input too deep to load, through the built binary.
@Suite struct ParserLimitsTests {
    @Test func runbookNowWithNanosecondsWorks() throws {
        try withWorkspace { base, _ in
            var cli = base
            // As `date --iso-8601=ns` prints it.
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T10:00:00,123456789+09:00"
            let start = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status == 0)
            #expect(start.stdout == "INC-20261126-0001\n")
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:01:00.1234Z"
            let note = try cli.run(["note", "INC-20261126-0001", "four fraction digits", "--as", "kim"])
            #expect(note.status == 0)
            #expect(note.stderr == "")
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:02:00.123456789Z"
            let at = try cli.run(["note", "INC-20261126-0001", "after the fact", "--as", "kim", "--at", "2026-11-26T01:01:30.5678Z"])
            #expect(at.status == 0)
            let timeline = try cli.run(["timeline", "INC-20261126-0001", "--json"])
            #expect(timeline.status == 0)
            #expect(timeline.stdout.contains("\"recorded_at\": \"2026-11-26T01:01:00.123Z\""))
            #expect(timeline.stdout.contains("\"occurred_at\": \"2026-11-26T01:01:30.567Z\""))
        }
    }

    @Test(arguments: ["2026-02-31T10:00:00Z", "2026-11-26T24:61:00Z", "2026-13-01T00:00:00Z"])
    func impossibleTimesAreRefused(_ time: String) throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = time
            let result = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(result.status == 64)
            #expect(result.stderr == "runbook: error: RUNBOOK_NOW=\(time) is not an ISO-8601 time like 2026-11-26T10:42:00Z\n")
        }
    }

    @Test func runbookNowAheadOfTheRealClockIsRefused() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            #expect(try cli.run(["start", "security-incident", "--as", "kim"]).status == 0)
            // Far beyond any real clock this test will meet: a typo must not lock an incident until then.
            let before = try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events")
            let future = "2999-11-26T01:00:00.1234Z"
            cli.environment["RUNBOOK_NOW"] = future
            for arguments in [["start", "security-incident"], ["note", "INC-20261126-0001", "typo"]] {
                let result = try cli.run(arguments + ["--as", "kim"])
                #expect(result.status == 64)
                #expect(result.stdout == "")
                #expect(result.stderr.hasPrefix("runbook: error: RUNBOOK_NOW=\(future) is ahead of the real clock (now is "))
                #expect(result.stderr.hasSuffix("); it may only fix a time in the past, up to a minute ahead (a drill runs on its own clock)\n"))
                #expect(result.stderr.split(separator: "\n").count == 1)
            }
            #expect(try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events") == before)
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:05:00Z"
            #expect(try cli.run(["note", "INC-20261126-0001", "still open to everyone", "--as", "kim"]).status == 0)
        }
    }

    @Test func aDrillMayStartAtAnyTime() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2999-11-26T01:00:00Z"
            let result = try cli.run(["drill", "security-incident", "--speed", "1", "--as", "kim"], input: "quit\n")
            #expect(result.status == 0)
            #expect(!result.stderr.contains("ahead of the real clock"))
        }
    }

    @Test func aRunbookNested100000LevelsDeepIsRefusedWithItsPosition() throws {
        try withWorkspace { cli, directory in
            let depth = 100_000
            let text = "runbook: deep\nstates: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            try text.write(toFile: "\(directory)/runbooks/deep.yaml", atomically: true, encoding: .utf8)
            let expected = "runbooks/deep.yaml:2:1008: error: collections nested more than 1000 levels deep; this file needs far fewer (is it generated, or damaged?)"
            let lint = try cli.run(["lint"])
            #expect(lint.status == 65)
            #expect(lint.stderr.split(separator: "\n").first.map(String.init) == expected)
            #expect(lint.stderr.contains("16 runbooks checked: 1 error in 1 file"))
            let list = try cli.run(["list"])
            #expect(list.stderr.contains(expected))
            let start = try cli.run(["start", "deep", "--as", "kim"])
            #expect(start.status == 65)
            #expect(start.stderr.contains(expected))
        }
    }
}
