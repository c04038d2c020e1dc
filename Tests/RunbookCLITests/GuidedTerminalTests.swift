import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// A runbook with a Korean title, a command that fails with output, an input with choices and an approval.
let terminalRunbook = """
    runbook: term-test
    title: "터미널 시험 (Terminal test)"
    roles:
      oncall: { title: "운영팀 당직자 (on-call operator)" }
      manager: { title: "운영 매니저 (operations manager)" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    rto: 2h
    initial: triage
    states:
      triage:
        title: "상황 파악 (Triage)"
        deadline: 30m
        steps:
          - { id: check, title: "영향 범위 확인 (Check the impact)" }
          - { id: probe, title: "점검 (Probe)", run: "echo first-line; echo second-line; echo 'boom: disk full' >&2; exit 3" }
          - { id: sev, title: "심각도 (Severity)", input: { choices: [SEV1, SEV2] } }
          - { id: approve-it, title: "승인 (Approve)", approve: { role: manager } }
        next: fix
      fix:
        title: "복구 (Fix)"
        deadline: 1h
        steps:
          - { id: finish, title: "마무리 (Finish)" }
        resolves: true
        end: true

    """

/// The time every process of these tests acts at: fixed and in the past, so no deadline passes while a test waits.
let terminalNow = "2026-11-26T01:00:00Z"

/// Runs `body` with a workspace holding `term-test` and an open incident titled in Korean.
func withTerminalIncident(_ body: (_ cli: CLIRunner, _ directory: String, _ incident: String) throws -> Void) throws {
    try withWorkspace { base, directory in
        try terminalRunbook.write(toFile: "\(directory)/runbooks/term-test.yaml", atomically: true, encoding: .utf8)
        var cli = base
        cli.environment["RUNBOOK_NOW"] = terminalNow
        let started = try cli.run(["start", "term-test", "--title", "디스크 장애 대응", "--no-guide"])
        try #require(started.status == 0, "\(started.stderr)")
        try body(cli, directory, started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension TerminalScreen {
    /// The screen's text with its wrapped lines joined by single spaces, to find a message that was wrapped.
    var unwrapped: String {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

@Suite(.serialized) struct GuidedTerminalTests {
    func guide(_ directory: String, _ incident: String, columns: Int) throws -> PseudoTerminal {
        try PseudoTerminal(["guide", incident], directory: directory, environment: ["RUNBOOK_NOW": terminalNow], columns: columns, rows: 40)
    }

    @Test func aLongPromptIsShownWholeAboveItsLineEditor() throws {
        try withWorkspace { base, directory in
            let runbook = terminalRunbook.replacingOccurrences(
                of: "{ id: check, title: \"영향 범위 확인 (Check the impact)\" }",
                with: "{ id: reset, title: \"초기화 (Reset)\", run: \"echo resetting the linked database from the latest verified backup file\", destructive: true }")
            #expect(runbook != terminalRunbook)
            try runbook.write(toFile: "\(directory)/runbooks/term-test.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = terminalNow
            let incident = try cli.run(["start", "term-test", "--no-guide"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for columns in [100, 60] {
                let term = try guide(directory, incident, columns: columns)
                #expect(term.wait(for: "q quit"), "\(term.screen.text)")
                term.send("r")
                #expect(term.wait(for: "to run it"), "\(term.screen.text)")
                // The command and what to type are all there, wrapped if need be.
                let shown = term.screen.unwrapped
                #expect(shown.contains("Type `reset` to run it"), "\(term.screen.text)")
                #expect(shown.contains("latest verified backup file"), "\(term.screen.text)")
                #expect(term.screen.lines.allSatisfy { TextWidth.of($0) <= columns })
                term.send("\u{1B}")
                #expect(term.wait(for: "q quit"))
                term.send("q")
            }
            let timeline = try cli.run(["timeline", incident, "--json"])
            #expect(!timeline.stdout.contains("command.started"), "cancelled: nothing ran")
        }
    }

    @Test func at100ColumnsTheLineEditorRefusalsHelpAndOutputWork() throws {
        try withTerminalIncident { cli, directory, incident in
            let term = try guide(directory, incident, columns: 100)
            #expect(term.wait(for: "q quit"), "\(term.screen.text)")
            let screen = term.screen
            #expect(screen.text.contains("디스크 장애 대응"))
            #expect(screen.text.contains("Stage 1 of 2: 상황 파악 (Triage)"))
            #expect(screen.text.contains("RTO 2h · elapsed 0:00:00 · 2:00:00 left"))
            // The Korean titles line up: every step's detail starts in the same column.
            let details = [("probe", "command (r to run)"), ("sev", "choose SEV1|SEV2"), ("approve-it", "approval by manager")]
            let columns = details.map { screen.column(of: $0.1, inLineContaining: $0.0) }
            #expect(columns.allSatisfy { $0 != nil && $0 == columns.first }, "\(columns) in\n\(screen.text)")
            #expect(screen.column(of: "점검", inLineContaining: "probe") == screen.column(of: "영향", inLineContaining: "check"))
            #expect(screen.lines.allSatisfy { TextWidth.of($0) <= 100 })

            // A note edited with the arrow keys, in Korean and English.
            term.send("n")
            #expect(term.wait(for: "Note:"))
            term.send("디스크 wrld")
            term.send("\u{1B}[D\u{1B}[D\u{1B}[D")
            term.send("o")
            term.send("\u{1B}[F 확인\u{1B}[H>\u{1B}[3~")
            #expect(term.wait(for: "Note: >스크 world 확인"), "\(term.screen.text)")
            term.send("\r")
            #expect(term.wait(for: "note: >스크 world 확인"), "\(term.screen.text)")

            // Esc cancels a note: nothing is recorded.
            term.send("n")
            #expect(term.wait(for: "Note:"))
            term.send("discard me")
            #expect(term.wait(for: "Note: discard me"))
            term.send("\u{1B}")
            #expect(term.wait(for: "cancelled; nothing recorded"), "\(term.screen.text)")

            // Refusals in full: `a` on a manual step, `a` by someone without the role (wrapped), a wrong choice.
            term.send("a")
            #expect(term.wait(for: "step `check` is not an approval step (it is a manual step)"), "\(term.screen.text)")
            // `i` on a step that takes no input says so, instead of asking for a value and saying none was given.
            term.send("i")
            #expect(term.wait(for: "step `check` is not an input step (it is a manual step)"), "\(term.screen.text)")
            term.send("4a")
            let notHolder = "tester does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi may approve approval "
                + "`approve-it` (anyone on the roster may break the glass with --break-glass --reason TEXT)"
            #expect(term.wait { $0.unwrapped.contains(notHolder) }, "\(term.screen.text)")
            term.send("3i")
            #expect(term.wait(for: "심각도 (Severity) [SEV1/SEV2]:"))
            term.send("sev1\r")
            #expect(term.wait { $0.unwrapped.contains("`sev1` is not a choice of step `sev`; choose one of SEV1, SEV2; did you mean `SEV1`?") },
                    "\(term.screen.text)")

            // `?` shows the full help.
            term.send("?")
            #expect(term.wait(for: "Keys:"))
            #expect(term.wait { $0.text.contains("acknowledge the incident") })

            // `r` confirmed with one key; a failed run shows its last lines under the step.
            term.send("2r")
            #expect(term.wait(for: "Run `echo first-line;"), "\(term.screen.text)")
            term.send("y")
            #expect(term.wait(for: "│ boom: disk full"), "\(term.screen.text)")
            #expect(term.screen.text.contains("│ second-line"))
            #expect(term.screen.unwrapped.contains("Step `probe` exit code 3, expected 0"))
            let probeRow = try #require(term.screen.lines.firstIndex { $0.contains("probe") && $0.contains("[?]") })
            #expect(term.screen.lines[(probeRow + 1)...].prefix(4).contains { $0.contains("│ boom: disk full") }, "under its step")

            term.send("q")
            #expect(term.waitForExit() == 0)
            #expect(term.screen.text.contains("Left guided mode; resume with `runbook guide \(incident)`."))

            let timeline = try cli.run(["timeline", incident, "--json"])
            #expect(timeline.stdout.contains(">스크 world 확인"))
            #expect(!timeline.stdout.contains("\\u001b") && !timeline.stdout.contains("\u{1B}"), "no escape byte reaches the log")
            #expect(!timeline.stdout.contains("discard me"))
        }
    }

    @Test func at60ColumnsTheLegendFitsAndKoreanEditsByGrapheme() throws {
        try withTerminalIncident { cli, directory, incident in
            // As a roster person: the first screen has no notice above the legend (`tester` is on no roster).
            let term = try PseudoTerminal(["guide", incident, "--as", "kim"], directory: directory, environment: ["RUNBOOK_NOW": terminalNow],
                                          columns: 60, rows: 40)
            #expect(term.wait(for: "q quit"), "\(term.screen.text)")
            let lines = term.screen.lines
            #expect(lines.allSatisfy { TextWidth.of($0) <= 60 }, "\(term.screen.text)")
            #expect(term.screen.text.contains("디스크 장애 대응"))
            // The legend: two lines at the bottom, ending in `? help · q quit`.
            let last = try #require(lines.lastIndex { !$0.isEmpty })
            #expect(lines[last].hasSuffix("? help · q quit"))
            #expect(lines[last - 1].hasPrefix("d done · s skip"))
            #expect(lines[last - 2].isEmpty)

            term.send("n")
            #expect(term.wait(for: "Note:"))
            term.send("가나다")
            term.send("\u{7F}")
            term.send("\u{01}\u{1B}[3~x\u{05}!")
            #expect(term.wait(for: "Note: x나!"), "\(term.screen.text)")
            term.send("\r")
            #expect(term.wait(for: "note: x나!"))

            // While a prompt is open, another responder's note appears on the screen; the prompt stays.
            term.send("n")
            #expect(term.wait(for: "Note:"))
            term.send("half")
            #expect(try cli.run(["note", incident, "from a colleague", "--as", "lee"]).status == 0)
            #expect(term.wait(for: "lee: note: from a colleague"), "\(term.screen.text)")
            #expect(term.screen.text.contains("Note: half"))
            term.send("\u{1B}")
            #expect(term.wait(for: "cancelled; nothing recorded"))

            term.send("4a")
            #expect(term.wait { $0.unwrapped.contains("(anyone on the roster may break the glass with --break-glass --reason TEXT)") },
                    "\(term.screen.text)")
            #expect(term.screen.lines.allSatisfy { TextWidth.of($0) <= 60 })
            term.send("?")
            #expect(term.wait(for: "Keys:"))
            term.send("\u{03}")
            #expect(term.waitForExit() == 0)
            let timeline = try cli.run(["timeline", incident, "--json"])
            #expect(timeline.stdout.contains("\"note: x나!\"") || timeline.stdout.contains("x나!"))
        }
    }

    /// `make start` as root: the notice on acting as someone off the roster shows under the first screen (printed before
    /// it, the alternate screen would hide it until the session ends).
    @Test func startingAsRootSaysHowToActAsOneselfUnderTheFirstScreen() throws {
        try withWorkspace { _, directory in
            let term = try PseudoTerminal(["start", "security-incident"], directory: directory,
                                          environment: ["RUNBOOK_NOW": terminalNow, "USER": "root"], columns: 100, rows: 40)
            #expect(term.wait { $0.unwrapped.contains("you act as root (from USER), who is not in \(directory)/runbooks/roster.yaml") }, "\(term.screen.text)")
            #expect(term.screen.text.contains("Stage 1 of 5"))
            term.send("q")
            #expect(term.waitForExit() == 0)
        }
    }

    @Test func closingTheIncidentAsksFirst() throws {
        try withTerminalIncident { cli, directory, incident in
            for arguments in [["step", incident, "check", "done"], ["step", incident, "probe", "skip", "--note", "not needed"],
                              ["input", incident, "sev", "SEV2"], ["approve", incident, "approve-it", "--as", "choi"]] {
                let result = try cli.run(arguments)
                try #require(result.status == 0, "\(arguments): \(result.stderr)")
            }
            let term = try guide(directory, incident, columns: 100)
            #expect(term.wait(for: "Stage 2 of 2: 복구 (Fix)"), "\(term.screen.text)")
            term.send("d")
            #expect(term.wait(for: "This closes incident \(incident)"), "\(term.screen.text)")
            term.send("n")
            #expect(term.wait(for: "Not recorded; the incident stays open."))
            term.send("d")
            #expect(term.wait(for: "This closes incident"))
            term.send("y")
            #expect(term.wait(for: "Incident closed."), "\(term.screen.text)")
            term.send("q")
            #expect(term.waitForExit() == 0)
            #expect(try cli.run(["status", incident]).stdout.contains("closed"))
        }
    }
}

/// Guided mode on a terminal under a Korean locale (SPEC §7): the legend, the screen and the prompts in Korean.
@Suite(.serialized) struct KoreanGuidedTerminalTests {
    @Test func at60ColumnsTheKoreanLegendAndStepDetailsShow() throws {
        try withTerminalIncident { _, directory, incident in
            let term = try PseudoTerminal(["guide", incident], directory: directory,
                                          environment: ["RUNBOOK_NOW": terminalNow, "LANG": "ko_KR.UTF-8"], columns: 60, rows: 40)
            #expect(term.wait(for: "q 종료"), "\(term.screen.text)")
            var screen = term.screen
            #expect(screen.lines.allSatisfy { TextWidth.of($0) <= 60 }, "\(screen.text)")
            // The legend: two lines at the bottom, `? 도움말 · q 종료` whole at the end.
            let last = try #require(screen.lines.lastIndex { !$0.isEmpty })
            #expect(screen.lines[last].hasSuffix("? 도움말 · q 종료"), "\(screen.text)")
            #expect(screen.lines[last - 1].hasPrefix("d 완료 · s 건너뛰기 · f 실패"), "\(screen.text)")
            // The header, the RTO, the page and the stage in Korean; step details start in Korean (cut at 60 columns).
            #expect(screen.text.contains("SEV2  진행 중  디스크 장애 대응"))
            #expect(screen.text.contains("런북 term-test · 2026-11-26 01:00:00 UTC에 tester 님이 등록"))
            #expect(screen.text.contains("RTO 2h · 경과 0:00:00 · 2:00:00 남음"))
            #expect(screen.text.contains("! 01:00:00에 1차 호출 (운영팀 당직자"))
            #expect(screen.text.contains("단계 1/2: 상황 파악 (Triage)  기한 30m · 30:00 남음"), "\(screen.text)")
            let probe = try #require(screen.lines.first { $0.contains("probe") })
            #expect(probe.hasSuffix("점검 (Probe)                       명…"), "\(probe)")

            // A run asked and confirmed in Korean; its failure and the decision in Korean.
            term.send("2r")
            #expect(term.wait(for: "실행할까요 (제한 시간"), "\(term.screen.text)")
            term.send("y")
            #expect(term.wait { $0.unwrapped.contains("`probe` 작업: 종료 코드 3, 기대값 0. 결정하십시오: r 다시") }, "\(term.screen.text)")
            screen = term.screen
            #expect(screen.text.contains("│ boom: disk full"))
            #expect(screen.lines.allSatisfy { TextWidth.of($0) <= 60 }, "\(screen.text)")
            #expect(screen.lines.last { !$0.isEmpty }?.hasSuffix("? 도움말 · q 종료") == true, "\(screen.text)")

            // `?` in Korean, then leave.
            term.send("?")
            // The help is drawn in more than one write: wait for its last line, not only its first.
            #expect(term.wait(for: "키:"), "\(term.screen.text)")
            #expect(term.wait { $0.unwrapped.contains("q  안내 모드 종료") }, "\(term.screen.text)")
            term.send("x")
            term.send("q")
            #expect(term.waitForExit() == 0)
            #expect(term.screen.unwrapped.contains("안내 모드를 마쳤습니다. `runbook guide \(incident)`로"), "\(term.screen.text)")
        }
    }
}
