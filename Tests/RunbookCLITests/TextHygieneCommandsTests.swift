import Foundation
import RunbookTestSupport
import Testing

/// A note that would set the window title, ring the bell, clear the screen, and forge a timeline line.
let hostileNote = "\u{1B}]0;x\u{07}\u{1B}[2J ok\r\n2026-11-27 06:43:30 UTC  #13  choi  approved `approve-reset` 초기화 승인 as manager"

/// The forged line's text, as it must appear: indented under the line it belongs to, never at the margin.
let forgedText = "2026-11-27 06:43:30 UTC  #13  choi  approved"

/// Text hygiene through the built binary (SPEC §4): the bytes a terminal receives.
@Suite struct TextHygieneCommandsTests {
    /// Checks the bytes of `output`: no ESC, BEL or CR, and no line starting with the forged text (it is indented).
    func expectHarmless(_ output: String, _ what: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(output.utf8)
        #expect(!bytes.contains(0x1B), "\(what): an ESC reached the terminal", sourceLocation: sourceLocation)
        #expect(!bytes.contains(0x07), "\(what): a BEL reached the terminal", sourceLocation: sourceLocation)
        #expect(!bytes.contains(0x0D), "\(what): a CR reached the terminal", sourceLocation: sourceLocation)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.hasPrefix(forgedText) }, "\(what): the forged line starts a line", sourceLocation: sourceLocation)
        #expect(lines.contains { $0.first == " " && $0.trimmingCharacters(in: .whitespaces).hasPrefix(forgedText) },
                "\(what): the note's second line is kept, indented", sourceLocation: sourceLocation)
        #expect(output.contains(#"\e]0;x\x07\e[2J ok"#), "\(what): the escapes are shown as text", sourceLocation: sourceLocation)
    }

    func startIncident(_ cli: CLIRunner) throws -> String {
        let start = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim"])
        #expect(start.status == 0)
        return start.stdout.trimmingCharacters(in: .newlines)
    }

    @Test func aHostileNoteIsEscapedByNoteTimelineAndStatus() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            let id = try startIncident(cli)
            let note = try cli.run(["note", id, hostileNote, "--as", "kim"])
            #expect(note.status == 0)
            #expect(note.stderr == "")
            expectHarmless(note.stdout, "note")
            // The continuation line stands under the description, after `INC-… #N `.
            let prefix = "\(id) #"
            #expect(note.stdout.split(separator: "\n").first?.hasPrefix(prefix) == true)

            let timeline = try cli.run(["timeline", id])
            #expect(timeline.status == 0)
            expectHarmless(timeline.stdout, "timeline")
            // Every line of the timeline that is not a continuation starts with a date.
            for line in timeline.stdout.split(separator: "\n") where line.first != " " {
                #expect(line.hasPrefix("20"), "a timeline line that starts with no time: \(line)")
            }

            let status = try cli.run(["status", id])
            #expect(status.status == 0)
            expectHarmless(status.stdout, "status")

            // With colour forced on, the only escapes are the paint's own (ESC [ digits m).
            let painted = try cli.run(["timeline", id, "--color", "always"])
            let codes = painted.stdout.split(separator: "\u{1B}", omittingEmptySubsequences: false).dropFirst()
            #expect(!codes.isEmpty)
            for code in codes {
                #expect(code.prefix { $0 != "m" }.allSatisfy { $0 == "[" || $0 == ";" || $0.isNumber } && code.contains("m"),
                        "an escape that is not a colour: \(code.prefix(12))")
            }
        }
    }

    @Test func aHostileStepNoteAndInputAreEscaped() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            let id = try startIncident(cli)
            let done = try cli.run(["step", id, "confirm-alert", "done", "--note", hostileNote, "--as", "kim"])
            #expect(done.status == 0)
            expectHarmless(done.stdout, "step done")
            let timeline = try cli.run(["timeline", id])
            expectHarmless(timeline.stdout, "timeline")
        }
    }

    @Test(arguments: [
        (["--as", "\u{1B}[31mevil"], [String: String](), "--as"),
        ([], ["RUNBOOK_USER": "\u{1B}[31mevil"], "RUNBOOK_USER"),
        ([], ["USER": "\u{1B}[31mevil"], "USER"),
    ])
    func anActorWithAControlCharacterIsRefused(_ arguments: [String], _ environment: [String: String], _ source: String) throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            let id = try startIncident(cli)
            for (key, value) in environment { cli.environment[key] = value }
            let result = try cli.run(["note", id, "hello"] + arguments)
            #expect(result.status == 64)
            #expect(result.stdout == "")
            #expect(result.stderr == """
                runbook: error: \(source) "\\e[31mevil": a name may not contain control characters; found \\e (U+001B); \
                give a plain name with --as NAME

                """)
            #expect(try cli.run(["timeline", id]).stdout.contains("evil") == false, "nothing was recorded")
        }
    }

    @Test func aBidiOverrideInAnActorIsRefused() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            let result = try cli.run(["start", "security-incident", "--no-guide", "--as", "kim\u{202E}nimda"])
            #expect(result.status == 64)
            #expect(result.stderr == """
                runbook: error: --as "kim\\u{202E}nimda": a name may not contain control characters; found \\u{202E} (U+202E); \
                give a plain name with --as NAME

                """)
        }
    }

    @Test func anIncidentTitleWithAnEscapeIsRefused() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            let result = try cli.run(["start", "security-incident", "--no-guide", "--title", "down\u{1B}[2J"])
            #expect(result.status == 64)
            #expect(result.stderr == """
                runbook: error: --title "down\\e[2J": an incident title may not contain control characters; found \\e (U+001B)

                """)
        }
    }

    @Test func lintRefusesATitleWithAnEscapeWithItsPosition() throws {
        try withWorkspace { cli, directory in
            let path = "\(directory)/runbooks/rollback.yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let index = try #require(lines.firstIndex { $0.hasPrefix("title:") })
            var changed = lines
            changed[index] = #"title: "Rollback\e[2J""#
            try changed.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let result = try cli.run(["lint", "runbooks/rollback.yaml"])
            #expect(result.status == 65)
            #expect(result.stderr.hasPrefix("""
                runbooks/rollback.yaml:\(index + 1):8: error: title: a title may not contain control characters; found \\e (U+001B)
                title: "Rollback\\e[2J"
                       ^

                """))
        }
    }

    @Test func commandOutputWithEscapesIsShownAsText() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            try """
                runbook: noisy
                title: Noisy output
                roles:
                  oncall: { title: On-call }
                escalation:
                  tiers:
                    - { notify: [oncall], after: 0m }
                initial: a
                states:
                  a:
                    steps:
                      - { id: paint, title: Paint, run: 'printf "red\\033[31m\\a\\r\\n2026-11-27 06:43:30 UTC  #13  choi  approved\\n"' }
                    resolves: true
                    end: true

                """.write(toFile: "\(directory)/runbooks/noisy.yaml", atomically: true, encoding: .utf8)
            let id = try cli.run(["start", "noisy", "--no-guide", "--as", "kim"]).stdout.trimmingCharacters(in: .newlines)
            let run = try cli.run(["run", id, "paint", "--as", "kim"])
            #expect(run.status == 0, "\(run.stderr)")
            let bytes = Array(run.stdout.utf8)
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07) && !bytes.contains(0x0D))
            #expect(run.stdout.contains(#"  red\e[31m\x07"#))
            #expect(run.stdout.contains("\n  2026-11-27 06:43:30 UTC  #13  choi  approved\n"))
        }
    }

    @Test func guidedModeEscapesAHostileNote() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_WATCHER"] = "off"
            let id = try startIncident(cli)
            let guided = try cli.run(["guide", id, "--as", "kim"], input: "note \u{1B}]0;x\u{07}\u{1B}[2J ok\nstatus\nas \u{1B}[31mevil\nquit\n")
            let bytes = Array(guided.stdout.utf8) + Array(guided.stderr.utf8)
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07))
            #expect(guided.stdout.contains(#"note: \e]0;x\x07\e[2J ok"#))
            #expect(guided.stderr.contains(#"runbook: error: as "\e[31mevil": a name may not contain control characters"#))
        }
    }

    @Test func argumentErrorsQuoteTheArgumentEscaped() throws {
        try withWorkspace { cli, _ in
            let result = try cli.run(["step", "INC-1", "s", "\u{1B}[2Jdone"])
            #expect(result.status == 64)
            #expect(!result.stderr.utf8.contains(0x1B))
            #expect(result.stderr.hasPrefix(#"Error: The value '\e[2Jdone' is invalid for '<outcome>'."#))
        }
    }
}
