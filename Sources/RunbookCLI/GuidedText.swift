import RunbookCore

/// Every user-visible string of guided mode and of the incident screen, in English and in Korean (SPEC §7):
/// each entry gives both texts through `Language.choose(english:korean:)`, so none exists in one language only.
/// Sentences with facts are functions of those facts. Korean follows the catalog's vocabulary (Message.swift):
/// 단계 (stage), 작업 (step), 승인, 에스컬레이션, 호출, 확인, 메모; ids, commands and keys stay literal.
enum GuidedText {
    /// The language of this task's texts: a test's override, else the process's (`Language.current`).
    @TaskLocal static var languageOverride: Language?
    static var language: Language { languageOverride ?? .current }

    private static func t(_ english: @autoclosure () -> String, _ korean: @autoclosure () -> String) -> String {
        language.choose(english: english(), korean: korean())
    }

    // MARK: Keys

    /// One key of the legend: what to press and what it does.
    struct KeyHelp: Equatable {
        var key: String
        var label: String
        /// The longer explanation `?` shows.
        var help: String

        var legend: String { "\(key) \(label)" }
    }

    /// The action keys, in the legend's order (SPEC §7). Korean labels stay short: the legend fits 60 columns.
    static var keys: [KeyHelp] {
        [
            KeyHelp(key: "d", label: t("done", "완료"), help: t("mark the selected step done", "선택한 작업을 완료 처리")),
            KeyHelp(key: "s", label: t("skip", "건너뛰기"), help: t("skip the selected step", "선택한 작업을 건너뜀")),
            KeyHelp(key: "f", label: t("fail", "실패"),
                    help: t("mark the selected step failed (follows the stage's on_fail)", "선택한 작업을 실패 처리 (단계의 on_fail을 따름)")),
            KeyHelp(key: "r", label: t("run", "실행"),
                    help: t("run the selected command step (y to confirm; a destructive one by typing its id)",
                            "선택한 명령 작업을 실행 (y로 확인, 파괴적인 명령은 작업 id를 입력해 확인)")),
            KeyHelp(key: "i", label: t("input", "입력"), help: t("give the selected input step its value", "선택한 입력 작업의 값을 기록")),
            KeyHelp(key: "a", label: t("approve", "승인"),
                    help: t("approve the selected approval step (holders of its role)", "선택한 승인 작업을 승인 (해당 역할을 가진 사람)")),
            KeyHelp(key: "b", label: t("break glass", "긴급 우회"),
                    help: t("override the selected approval without its role, with a reason (paged, a finding)",
                            "역할 없이 사유를 적어 선택한 승인을 긴급 우회 (승인자에게 호출, 사후 보고서의 지적 사항)")),
            KeyHelp(key: "n", label: t("note", "메모"), help: t("add a note to the incident's log", "장애 기록에 메모 추가")),
            KeyHelp(key: "k", label: t("ack", "확인"),
                    help: t("acknowledge the incident (stops the pages of running escalations)", "장애를 확인 (진행 중인 에스컬레이션의 호출을 멈춤)")),
            KeyHelp(key: "e", label: t("escalate", "에스컬레이션"), help: t("page the next tier now", "다음 차수를 지금 호출")),
            KeyHelp(key: "u", label: t("undo", "되돌리기"), help: t("correct the last mark of the selected step", "선택한 작업의 마지막 처리를 바로잡음")),
            KeyHelp(key: "o", label: t("output", "출력"), help: t("show the selected command step's last output", "선택한 명령 작업의 마지막 출력 보기")),
        ]
    }

    /// The legend's selection item.
    static var selectKeys: KeyHelp {
        KeyHelp(key: "↑↓ Tab 1-9", label: t("select", "선택"), help: t("select a step (Shift-Tab goes back)", "작업 선택 (Shift-Tab은 이전 작업)"))
    }
    /// The legend's end, always visible.
    static var helpAndQuit: String { t("? help · q quit", "? 도움말 · q 종료") }
    static let legendSeparator = " · "

    /// The full key help `?` shows.
    static var fullHelp: [String] {
        [t("Keys:", "키:")] + (keys + [selectKeys]).map { "  \($0.key)  \($0.help)" } + [
            t("  ?  this help (any key closes it)", "  ?  이 도움말 (아무 키나 누르면 닫힘)"),
            t("  q  leave guided mode (the incident stays open; resume with runbook guide)",
              "  q  안내 모드 종료 (장애는 진행 중으로 남음, runbook guide로 이어서 진행)"),
            t("In a prompt: ← → Home End (Ctrl-A, Ctrl-E) move, Backspace and Delete erase, Enter saves, Esc or Ctrl-C cancels.",
              "입력 중: ← → Home End (Ctrl-A, Ctrl-E) 이동, Backspace와 Delete 지우기, Enter 저장, Esc 또는 Ctrl-C 취소."),
        ]
    }

    /// The one-line list of actions for scripted mode's errors (the actions are typed as written, in both languages).
    static var scriptedActions: String {
        t("", "동작: ") + "done [note] · skip [note] · fail [note] · run · input VALUE · approve · break-glass [reason] · note TEXT · "
            + "ack · escalate [reason] · output · undo NOTE · select STEP · as NAME · status · ? help · quit"
    }

    /// Under a prompt.
    static var promptKeys: String {
        t("Enter save · Esc cancel · ← → Home End move · Backspace Delete erase", "Enter 저장 · Esc 취소 · ← → Home End 이동 · Backspace Delete 지우기")
    }
    static var confirmKeys: String { t("y yes · any other key no", "y 예 · 다른 키 아니오") }

    // MARK: Prompts

    static var notePrompt: String { t("Note: ", "메모: ") }

    static func inputPrompt(title: String, choices: [String]?) -> String {
        title + (choices.map { " [" + $0.joined(separator: "/") + "]" } ?? "") + ": "
    }

    static func breakGlassExplanation(step: String) -> String {
        t("Breaking the glass completes approval `\(step)` without its role, pages its approvers at once with your reason, "
            + "and is a finding in the post-mortem.",
          "긴급 우회는 역할 없이 `\(step)` 승인을 완료하고, 입력한 사유와 함께 승인자를 즉시 호출하며, "
            + "사후 보고서에 지적 사항으로 남습니다.")
    }

    static var breakGlassPrompt: String { t("Reason (the approvers read it; empty cancels): ", "사유 (승인자가 읽습니다. 비우면 취소): ") }

    static func destructivePrompt(command: String, timeout: RunbookDuration, step: String) -> String {
        t("DESTRUCTIVE: `\(command)` (timeout \(timeout)). Type `\(step)` to run it: ",
          "파괴적인 명령: `\(command)` (제한 시간 \(timeout)). 실행하려면 `\(step)`을(를) 입력하십시오: ")
    }

    static func runPrompt(command: String, timeout: RunbookDuration) -> String {
        t("Run `\(command)` (timeout \(timeout))? [y/N] ", "`\(command)`을(를) 실행할까요 (제한 시간 \(timeout))? [y/N] ")
    }

    static func closingPrompt(incident: String, closes: Bool) -> String {
        closes ? t("This closes incident \(incident): no more steps, pages or deadlines. Close it? [y/N] ",
                   "장애 \(incident)을(를) 종료합니다: 더 이상 작업, 호출, 기한이 없습니다. 종료할까요? [y/N] ")
            : t("This resolves incident \(incident) (service restored; the RTO clock stops). Resolve it? [y/N] ",
                "장애 \(incident)을(를) 해결 처리합니다 (서비스 복구, RTO 시계 멈춤). 해결 처리할까요? [y/N] ")
    }

    // MARK: Messages

    /// The program's error prefix, literal in both languages as on every other command's standard error.
    static let errorPrefix = "runbook: error: "
    static var notRun: String { t("Not run.", "실행하지 않았습니다.") }
    static var notClosed: String { t("Not recorded; the incident stays open.", "기록하지 않았습니다. 장애는 진행 중으로 남습니다.") }

    static func noNoteGiven(step: String) -> String {
        t("no note given; step `\(step)` was not marked", "메모가 없어 `\(step)` 작업을 처리하지 않았습니다")
    }
    static var noValueGiven: String { t("no value given; nothing recorded", "값이 없어 아무것도 기록하지 않았습니다") }
    static var noReasonGiven: String { t("no reason given; the approval was not overridden", "사유가 없어 승인을 긴급 우회하지 않았습니다") }
    static var emptyNote: String { t("the note is empty; nothing recorded", "메모가 비어 있어 아무것도 기록하지 않았습니다") }
    static var promptCancelled: String { t("cancelled; nothing recorded", "취소했습니다. 아무것도 기록하지 않았습니다") }

    static func actingAs(_ name: String) -> String { t("(acting as \(name))", "(\(name) 님으로 진행)") }
    static func drillClockMoved(by duration: RunbookDuration, now: String) -> String {
        t("(drill clock +\(duration): now \(now))", "(훈련 시계 +\(duration): 지금 \(now))")
    }
    static var waitOnlyInDrills: String {
        t("`wait` moves a drill's simulated clock; it works only in `runbook drill`",
          "`wait`는 훈련의 모의 시계를 앞으로 돌립니다. `runbook drill`에서만 쓸 수 있습니다")
    }
    static func badWait(_ text: String) -> String {
        t("wait \(text): expected a duration like 5m or 1h30m", "wait \(text): 5m이나 1h30m 같은 기간을 적으십시오")
    }
    static func notACommandStep(_ step: String) -> String {
        t("step `\(step)` is not a command step; select one with its number", "`\(step)` 작업은 명령 작업이 아닙니다. 번호로 명령 작업을 선택하십시오")
    }
    static func noSuchStep(_ target: String, ids: [String]) -> String {
        t("no step \(target) in this stage; steps are 1-\(ids.count): \(ids.joined(separator: ", "))",
          "이 단계에 작업 \(target)이(가) 없습니다. 작업은 1-\(ids.count)번입니다: \(ids.joined(separator: ", "))")
    }
    static var nothingToActOn: String {
        t("every step of this stage is settled; nothing to act on", "이 단계의 모든 작업이 처리되었습니다. 할 일이 없습니다")
    }
    static func running(_ step: String) -> String { t("Running \(step)…", "\(step) 실행 중…") }
    static func runFailed(step: String, summary: String, hint: String?) -> String {
        t("Step `\(step)` \(summary). Decide: r run again · d done by hand · s skip · f fail (each but fail with a note)",
          "`\(step)` 작업: \(summary). 결정하십시오: r 다시 실행 · d 직접 완료 · s 건너뛰기 · f 실패 (실패 외에는 메모 필요)")
            + (hint.map { ". \($0)" } ?? "")
    }
    static func leftGuidedMode(_ incident: String) -> String {
        t("Left guided mode; resume with `runbook guide \(incident)`.", "안내 모드를 마쳤습니다. `runbook guide \(incident)`로 이어서 진행하십시오.")
    }
    static func incidentClosed(_ incident: String) -> String {
        t("Incident closed. Write the post-mortem with `runbook report \(incident)`.",
          "장애를 종료했습니다. `runbook report \(incident)`로 사후 보고서를 쓰십시오.")
    }
    static func leftOnSignal(_ name: String, incident: String) -> String {
        t("left guided mode: runbook received \(name) while a command ran; the run was recorded as interrupted; "
            + "resume with `runbook guide \(incident)`",
          "안내 모드를 마쳤습니다: 명령 실행 중에 runbook이 \(name)을(를) 받아 실행을 중단된 것으로 기록했습니다. "
            + "`runbook guide \(incident)`로 이어서 진행하십시오")
    }
    static func failures(_ count: Int) -> String {
        t("\(count) action\(count == 1 ? " was" : "s were") refused or failed; see the messages above",
          "동작 \(count)개가 거부되었거나 실패했습니다. 위의 메시지를 보십시오")
    }
    static func unknownAction(_ line: String) -> String {
        t("unknown action `\(line)`; actions: \(scriptedActions)", "알 수 없는 동작 `\(line)`. \(scriptedActions)")
    }
    static func unknownKey(_ key: String) -> String { t("no action on `\(key)`; ? shows the keys", "`\(key)` 키에는 동작이 없습니다. ?로 키를 볼 수 있습니다") }
    static func undoPrompt(step: String) -> String {
        t("Undo the mark on `\(step)`: what was wrong? ", "`\(step)` 작업의 처리 되돌리기: 무엇이 잘못되었습니까? ")
    }
    static var undoNeedsNoteInline: String {
        t("undo needs a note saying what was wrong: undo TEXT", "되돌리려면 무엇이 잘못되었는지 메모가 필요합니다: undo TEXT")
    }
    static var noteNeedsTextInline: String {
        t("write the note on the same line: note TEXT (nothing recorded)", "메모는 같은 줄에 적으십시오: note TEXT (아무것도 기록하지 않았습니다)")
    }
    static func noOutput(_ step: String) -> String {
        t("step `\(step)` has not run yet; r runs it", "`\(step)` 작업은 아직 실행되지 않았습니다. r로 실행합니다")
    }
    static func outputHeader(step: String, attempt: Int, summary: String) -> String {
        t("Output of `\(step)`, attempt \(attempt): \(summary) (all of it: runbook output INC \(step))",
          "`\(step)`의 출력, \(attempt)번째 시도: \(summary) (전체: runbook output INC \(step))")
    }
    static var outputEmpty: String { t("(no output)", "(출력 없음)") }

    // MARK: The screen (guided mode and `runbook status INCIDENT`)

    static func stagePosition(_ index: Int, of count: Int) -> String { t("Stage \(index) of \(count): ", "단계 \(index)/\(count): ") }

    /// "RTO 4h · elapsed 0:25:00 · 3:35:00 left", "RTO 15m · elapsed 0:25:00 · overdue by 0:10:00",
    /// "RTO 4h · restored in 1:12:00 (met)".
    static func rto(_ clock: RTOClock) -> String {
        let elapsed = span(clock.elapsedMilliseconds)
        let missed = span(-clock.remainingMilliseconds)
        if clock.stopped {
            return "RTO \(clock.target) · " + t("restored in \(elapsed) " + (clock.overdue ? "(missed by \(missed))" : "(met)"),
                                                "\(elapsed) 만에 복구 " + (clock.overdue ? "(\(missed) 초과, 미달성)" : "(달성)"))
        }
        let left = span(clock.remainingMilliseconds)
        return "RTO \(clock.target) · " + t("elapsed \(elapsed) · " + (clock.overdue ? "overdue by \(missed)" : "\(left) left"),
                                            "경과 \(elapsed) · " + (clock.overdue ? "\(missed) 초과" : "\(left) 남음"))
    }

    /// `H:MM:SS` for a span of milliseconds (rounded down to the second).
    static func span(_ milliseconds: Int64) -> String {
        let seconds = Int(max(0, milliseconds) / 1000)
        return "\(seconds / 3600):\(pad(seconds % 3600 / 60)):\(pad(seconds % 60))"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The header of the lines of output under a command step.
    static func outputTail(_ result: String) -> String { t("last output (\(result)):", "마지막 출력 (\(result)):") }

    /// The header's mark of a drill.
    static var drillMark: String { t(" DRILL", " 훈련") }
    static func runbookFact(_ runbook: String) -> String { t("runbook \(runbook)", "런북 \(runbook)") }
    static func openedFact(at time: String, by name: String) -> String { t("opened \(time) by \(name)", "\(time)에 \(name) 님이 등록") }
    static func acknowledgedFact(by name: String, at time: String) -> String {
        t("acknowledged by \(name) \(time)", "\(time)에 \(name) 님이 확인")
    }
    static var notAcknowledged: String { t("not acknowledged", "확인되지 않음") }
    static func resolvedFact(at time: String) -> String { t("resolved \(time)", "\(time)에 해결됨") }
    /// After a closed incident's stage title.
    static func closedAt(_ time: String) -> String { t("  (closed \(time))", "  (\(time)에 종료됨)") }
    /// After an open stage's title, before its countdown.
    static func deadline(_ deadline: RunbookDuration) -> String { t("  deadline \(deadline) · ", "  기한 \(deadline) · ") }
    /// "! run `runbook verify INC`" after a broken log's finding.
    static func logBroken(_ finding: String, incident: String) -> String {
        t("! \(finding); run `runbook verify \(incident)`", "! \(finding). `runbook verify \(incident)`로 확인하십시오")
    }
    /// The banner of the latest page of a running escalation.
    static func pagedBanner(tier: Int, roles: String, at time: String, cause: String) -> String {
        tier == 0 ? t("! paged (\(roles)) at \(time): \(cause)", "! \(time)에 호출 (\(roles)): \(cause)")
            : t("! paged tier \(tier) (\(roles)) at \(time): \(cause)", "! \(time)에 \(tier)차 호출 (\(roles)): \(cause)")
    }
    /// "tier 2 10:42" for the list of incidents.
    static func lastPage(tier: Int, at time: String) -> String { t("tier \(tier) \(time)", "\(tier)차 \(time)") }
    static var findingsHeading: String { t("Findings:", "지적 사항:") }

    // MARK: A step's detail on the screen

    /// "attempt 2 failed: exit 3 · decide: …".
    static func attemptFailed(attempts: Int, note: String?) -> String {
        let attempt = attempts > 1 ? t("attempt \(attempts) failed", "\(attempts)번째 시도 실패") : t("failed", "실패")
        return attempt + ": " + (note ?? t("the command failed", "명령이 실패함"))
            + t(" · decide: run again, done by hand, skip or fail (with a note)", " · 결정: 다시 실행, 직접 완료, 건너뛰기 또는 실패 (메모와 함께)")
    }
    /// "done = SEV1 by kim 10:42: note", "skipped by kim 10:42".
    static func settled(_ status: StepProgress.Status, value: String?, by name: String?, at time: String?, note: String?) -> String {
        let word = switch status {
        case .done: t("done", "완료")
        case .skipped: t("skipped", "건너뜀")
        case .failed: t("failed", "실패")
        default: status.rawValue
        }
        var text = word
        if let value { text += " = \(value)" }
        if let name, let time { text += t(" by \(name) \(time)", " (\(name) \(time))") }
        if let note { text += ": \(note)" }
        return text
    }
    static func waiting(_ countdown: String) -> String { t("waiting, \(countdown)", "대기 중, \(countdown)") }
    static func runningSince(_ time: String) -> String { t("running since \(time)", "\(time)부터 실행 중") }
    static func waitsFor(_ steps: [String]) -> String {
        t("waits for \(steps.joined(separator: ", ")) · ", "기다리는 작업: \(steps.joined(separator: ", ")) · ")
    }
    static var destructive: String { t("⚠ destructive · ", "⚠ 파괴적 명령 · ") }
    static var commandToRun: String { t("command (r to run)", "명령 (r로 실행)") }
    static func choose(_ choices: [String]) -> String { t("choose ", "선택: ") + choices.joined(separator: "|") }
    static func input(prompt: String?) -> String { t("input: \(prompt ?? "text")", "입력: \(prompt ?? "텍스트")") }
    static func approval(by role: String) -> String { t("approval by \(role)", "승인: \(role)") }
    static func wait(_ duration: RunbookDuration) -> String { t("wait \(duration)", "대기 \(duration)") }
}
