extension Message {
    /// The words of the post-mortem (SPEC §8): headings, labels and the sentences built from the events, in the
    /// report's language whatever language the runbook's titles are in.
    ///
    /// To add one: a case here, its texts in `text(in:)` and a sample in `samples` (the catalog test renders each).
    public enum ReportText: Sendable, Equatable {
        case label(ReportLabel)
        /// The instruction of a section still empty: what it holds and the command that fills it.
        case sectionEmpty(ReportSection, incident: String)
        /// A lessons-learned placeholder: the tag that fills it (`went-well`, `went-wrong`, `lucky`).
        case lessonEmpty(tag: String, incident: String)
        case summaryOpened(severity: String, raisedFrom: String?, drill: Bool, title: String, at: String, by: String, runbook: String)
        /// A routine check's run record (`kind: checklist`): no severity, no incident.
        case summaryCheckRun(drill: Bool, title: String, at: String, by: String, runbook: String)
        /// How a routine check's run ended: closed at `at`, or still open (nil); a check is never "restored".
        case summaryCheckClosed(at: String?)
        /// When the problem began and was noticed (`started` nil when unknown), `after` the time to detect, `how` a detection note.
        case summaryDetected(started: String?, detected: String, after: String?, how: String?)
        case summaryDone(stages: [String], steps: Int, commands: Int, pages: Int)
        case summaryFailed([String])
        case failedCommand(step: String, summary: String)
        case failedStep(step: String)
        case missedDeadline(stage: String, over: String)
        /// Service restored at `at`, `after` the opening; nil: not restored yet.
        case summaryRestored(at: String?, after: String?)
        /// "RTO 2h: met (1h10m), but check `check-service` failed and was skipped"; `actual` nil while unresolved.
        case rto(target: String, actual: String?, missedBy: String?, caveats: [String])
        /// A finding that qualifies "RTO met", as a clause.
        case caveat(Finding.Kind)
        case verdict(PostmortemReport.Verdict)
        case paged(at: String, tier: Int, round: Int, by: String?, roles: String, why: String)
        case commandRan(step: String, by: String, at: String)
        case commandResult(summary: String, duration: String, bytes: Int64)
        case input(step: String, value: String, by: String, at: String)
        case approved(step: String, by: String, role: String, at: String)
        case approvalRefused(step: String, by: String, at: String, reason: String)
        case logVerified(events: Int)
        case mayNotTell
        case checkpoint(String, incident: String)
        case generated(at: String)
        case statusValue(final: Bool, incident: String)

        /// The text in `language`.
        public func text(in l: Language) -> String {
            switch self {
            case .label(let label):
                return label.text(in: l)
            case .sectionEmpty(let section, let incident):
                let what = switch section {
                case .impact: l.choose(english: "who and what was affected, for how long", korean: "누가, 무엇이, 얼마나 오래 영향을 받았는지")
                case .rootCause: l.choose(english: "why it happened", korean: "왜 일어났는지")
                case .trigger: l.choose(english: "what set it off", korean: "무엇이 계기가 되었는지")
                case .resolution: l.choose(english: "what restored service", korean: "무엇으로 서비스를 복구했는지")
                case .detection: l.choose(english: "how it was noticed", korean: "어떻게 알아챘는지")
                }
                let command = "`runbook note \(incident) \"\(section.rawValue): …\"`"
                let resolve = section == .resolution ? " (`runbook resolve \(incident) --note …`)" : ""
                return l.choose(english: "To fill in: \(what). Fill it with \(command)\(resolve), or an input step with `report: \(section.rawValue)`.",
                                korean: "작성 필요: \(what). \(command)\(resolve) 또는 `report: \(section.rawValue)` 입력 작업으로 채우십시오.")
            case .lessonEmpty(let tag, let incident):
                return l.choose(english: "To fill in: `runbook note \(incident) \"\(tag): …\"`.",
                                korean: "작성 필요: `runbook note \(incident) \"\(tag): …\"`.")
            case .summaryOpened(let severity, let raisedFrom, let drill, let title, let at, let by, let runbook):
                let from = raisedFrom.map { l.choose(english: ", changed from \($0)", korean: ", \($0)에서 변경") } ?? ""
                return l.choose(english: "\(drill ? "A drill of a" : "A") \(severity) incident\(from), \"\(title)\", was opened at \(at) by \(by) from runbook \(runbook).",
                                korean: "\(severity)\(from) \(drill ? "훈련 " : "")장애 \"\(title)\"이(가) \(at)에 \(by) 님이 런북 \(runbook)으로 등록했습니다.")
            case .summaryCheckRun(let drill, let title, let at, let by, let runbook):
                return l.choose(english: "\(drill ? "A drill run" : "A run") of the routine check \"\(title)\" was started at \(at) by \(by) from runbook \(runbook).",
                                korean: "\(drill ? "훈련 " : "")정기 점검 \"\(title)\"이(가) \(at)에 \(by) 님이 런북 \(runbook)으로 시작했습니다.")
            case .summaryCheckClosed(let at):
                return at.map { l.choose(english: "The run closed at \($0).", korean: "점검은 \($0)에 끝났습니다.") }
                    ?? l.choose(english: "The run is still open.", korean: "점검이 아직 끝나지 않았습니다.")
            case .summaryDetected(let started, let detected, let after, let how):
                var english = started.map { "The problem began at \($0) and was noticed at \(detected)" } ?? "The problem was noticed at \(detected)"
                var korean = started.map { "문제는 \($0)에 시작되어 \(detected)에 발견되었습니다" } ?? "문제는 \(detected)에 발견되었습니다"
                if let after {
                    english += " (\(after) to detect)"
                    korean += " (탐지까지 \(after))"
                }
                if let how {
                    english += ": \(how)"
                    korean += ": \(how)"
                }
                return l.choose(english: english + ".", korean: korean + ".")
            case .summaryDone(let stages, let steps, let commands, let pages):
                return l.choose(english: "Responders went through \(stages.count) stage\(stages.count == 1 ? "" : "s") (\(stages.joined(separator: " → "))), "
                                    + "settled \(steps) step\(steps == 1 ? "" : "s"), ran \(commands) command\(commands == 1 ? "" : "s") "
                                    + "and paged \(pages) time\(pages == 1 ? "" : "s").",
                                korean: "대응자는 \(stages.count)개 단계(\(stages.joined(separator: " → ")))를 거쳐 작업 \(steps)개를 처리하고, "
                                    + "명령 \(commands)개를 실행했으며, \(pages)번 호출했습니다.")
            case .summaryFailed(let items):
                return items.isEmpty
                    ? l.choose(english: "Nothing failed.", korean: "실패한 것은 없습니다.")
                    : l.choose(english: "What failed: \(items.joined(separator: "; ")).", korean: "실패한 것: \(items.joined(separator: "; ")).")
            case .failedCommand(let step, let summary):
                return l.choose(english: "command `\(step)` (\(summary))", korean: "`\(step)` 명령 (\(summary))")
            case .failedStep(let step):
                return l.choose(english: "step `\(step)` failed", korean: "`\(step)` 작업 실패")
            case .missedDeadline(let stage, let over):
                return l.choose(english: "stage \(stage) over its deadline by \(over)", korean: "\(stage) 단계가 기한을 \(over) 넘김")
            case .summaryRestored(let at, let after):
                guard let at, let after else { return l.choose(english: "Service is not restored yet.", korean: "서비스는 아직 복구되지 않았습니다.") }
                return l.choose(english: "Service was restored at \(at), \(after) after the opening.",
                                korean: "서비스는 \(at)에 복구되었습니다 (등록 후 \(after)).")
            case .rto(let target, let actual, let missedBy, let caveats):
                let but = caveats.isEmpty ? "" : l.choose(english: ", but ", korean: ". 단, ") + caveats.joined(separator: l.choose(english: "; and ", korean: "; 그리고 "))
                guard let actual else {
                    return l.choose(english: "RTO \(target): not resolved yet", korean: "RTO \(target): 아직 해결되지 않음") + but
                }
                if let missedBy {
                    return l.choose(english: "RTO \(target) missed by \(missedBy) (\(actual))", korean: "RTO \(target)을(를) \(missedBy) 초과 (\(actual))") + but
                }
                return l.choose(english: "RTO \(target) met (\(actual))", korean: "RTO \(target) 충족 (\(actual))") + but
            case .caveat(let kind):
                switch kind {
                case .failedCheckPassedOver(_, let step, _, let skipped, _, _):
                    return l.choose(english: "the check `\(step)` failed and was \(skipped ? "skipped" : "marked done by hand")",
                                    korean: "`\(step)` 점검이 실패했고 \(skipped ? "건너뛰었습니다" : "직접 완료 처리했습니다")")
                case .approvalOverridden(let by, let step, _, _):
                    return l.choose(english: "approval `\(step)` was overridden by \(by) (break-glass)",
                                    korean: "`\(step)` 승인을 \(by) 님이 긴급 우회했습니다")
                case .approvalSkipped(let by, let step, _, _):
                    return l.choose(english: "approval `\(step)` was skipped by \(by)", korean: "`\(step)` 승인을 \(by) 님이 건너뛰었습니다")
                case .commandCouldNotRun(_, let step, let verdict):
                    return l.choose(english: "command `\(step)`: \(verdict.summary(in: l))", korean: "`\(step)` 명령: \(verdict.summary(in: l))")
                case .reopened(let by, _):
                    return l.choose(english: "the incident was reopened by \(by)", korean: "\(by) 님이 장애를 다시 열었습니다")
                default:
                    return Message.findingText(kind, in: l)
                }
            case .verdict(let verdict):
                switch verdict {
                case .met: return l.choose(english: "met", korean: "충족")
                case .missed(let over):
                    let by = EventDescription.formatMilliseconds(over)
                    return l.choose(english: "missed by \(by)", korean: "\(by) 초과")
                case .running: return l.choose(english: "running", korean: "진행 중")
                case .noTarget: return "—"
                }
            case .paged(let at, let tier, let round, let by, let roles, let why):
                let again = round > 1 ? l.choose(english: " (round \(round))", korean: " (\(round)회차)") : ""
                let who = by.map { l.choose(english: " by \($0)", korean: " (\($0) 님이 호출)") } ?? ""
                return l.choose(english: "\(at): tier \(tier)\(again) paged\(who): \(roles)", korean: "\(at): \(tier)차\(again) 호출\(who): \(roles)")
                    + (why.isEmpty ? "" : "; \(why)")
            case .commandRan(let step, let by, let at):
                return l.choose(english: "`\(step)` by \(by) at \(at)", korean: "`\(step)`: \(by) 님, \(at)")
            case .commandResult(let summary, let duration, let bytes):
                let output = bytes == 0 ? l.choose(english: "no output", korean: "출력 없음")
                    : l.choose(english: "output \(bytes) bytes", korean: "출력 \(bytes)바이트")
                return l.choose(english: "\(summary) in \(duration); \(output)", korean: "\(summary), \(duration); \(output)")
            case .input(let step, let value, let by, let at):
                return l.choose(english: "input `\(step)` = \(value) (\(by), \(at))", korean: "입력 `\(step)` = \(value) (\(by), \(at))")
            case .approved(let step, let by, let role, let at):
                return l.choose(english: "`\(step)` approved by \(by) as \(role) (\(at))", korean: "`\(step)`: \(by) 님이 \(role) 역할로 승인 (\(at))")
            case .approvalRefused(let step, let by, let at, let reason):
                return l.choose(english: "approval of `\(step)` refused for \(by) (\(at)): \(reason)",
                                korean: "\(by) 님의 `\(step)` 승인이 거부됨 (\(at)): \(reason)")
            case .logVerified(let events):
                return l.choose(english: "Log verified: \(events) events, none edited, deleted or reordered.",
                                korean: "로그 검증됨: 이벤트 \(events)개, 수정, 삭제, 순서 변경 없음.")
            case .mayNotTell:
                return l.choose(english: "This report may not tell what happened.", korean: "이 보고서는 실제로 일어난 일을 말하지 않을 수 있습니다.")
            case .checkpoint(let checkpoint, let incident):
                return l.choose(english: "Checkpoint `\(checkpoint)`: keep it; `runbook verify \(incident) --checkpoint \(checkpoint)` proves the log still holds it.",
                                korean: "체크포인트 `\(checkpoint)`: 보관하십시오. `runbook verify \(incident) --checkpoint \(checkpoint)`로 로그가 여전히 이를 담고 있는지 증명합니다.")
            case .generated(let at):
                return l.choose(english: "Generated \(at) by runbook from the event log.", korean: "\(at)에 runbook이 이벤트 로그로 작성함.")
            case .statusValue(let final, let incident):
                return (final ? ReportLabel.final : ReportLabel.draft).text(in: l) + l.choose(english: " (incident \(incident))", korean: " (장애 \(incident))")
            }
        }

        /// One sample of every case, for the catalog test.
        static var samples: [ReportText] {
            ReportLabel.allCases.map { .label($0) }
                + ReportSection.allCases.map { .sectionEmpty($0, incident: "INC-1") }
                + [.lessonEmpty(tag: "went-well", incident: "INC-1"),
                   .summaryOpened(severity: "SEV1", raisedFrom: "SEV2", drill: false, title: "로그인 실패", at: "10:00", by: "kim", runbook: "security-incident"),
                   .summaryOpened(severity: "SEV2", raisedFrom: nil, drill: true, title: "t", at: "10:00", by: "kim", runbook: "r"),
                   .summaryCheckRun(drill: false, title: "일일 점검 — 2026-11-27 09:00", at: "09:00", by: "schedule", runbook: "daily-check"),
                   .summaryCheckRun(drill: true, title: "t", at: "09:00", by: "kim", runbook: "r"),
                   .summaryCheckClosed(at: "09:40"), .summaryCheckClosed(at: nil),
                   .summaryDetected(started: "09:40", detected: "09:55", after: "15m", how: "Sentry alert"),
                   .summaryDetected(started: nil, detected: "09:55", after: nil, how: nil),
                   .summaryDone(stages: ["Detect", "Isolate"], steps: 5, commands: 1, pages: 2),
                   .summaryFailed([]), .summaryFailed(["command `x` (exit code 1)"]),
                   .failedCommand(step: "x", summary: "exit code 1"), .failedStep(step: "x"), .missedDeadline(stage: "Detect", over: "2m"),
                   .summaryRestored(at: "11:10", after: "1h10m"), .summaryRestored(at: nil, after: nil),
                   .rto(target: "2h", actual: "1h10m", missedBy: nil, caveats: []),
                   .rto(target: "2h", actual: "1h10m", missedBy: nil, caveats: ["the check `check` failed and was skipped"]),
                   .rto(target: "2h", actual: "2h10m", missedBy: "10m", caveats: []),
                   .rto(target: "2h", actual: nil, missedBy: nil, caveats: []),
                   .caveat(.failedCheckPassedOver(by: "kim", step: "check", state: "recover", skipped: true, failure: nil, note: nil)),
                   .caveat(.approvalOverridden(by: "kim", step: "approve", role: "manager", reason: "away")),
                   .caveat(.approvalSkipped(by: "kim", step: "approve", role: "manager", note: nil)),
                   .caveat(.commandCouldNotRun(by: "kim", step: "x", verdict: .notFound(program: "vercel"))),
                   .caveat(.reopened(by: "kim", reason: "back")),
                   .caveat(.correction(by: "kim", step: "x", note: "wrong step")),
                   .verdict(.met), .verdict(.missed(byMilliseconds: 120_000)), .verdict(.running),
                   .paged(at: "10:00", tier: 2, round: 2, by: "kim", roles: "manager", why: "no acknowledgement"),
                   .commandRan(step: "x", by: "kim", at: "10:00"), .commandResult(summary: "exit code 1", duration: "35ms", bytes: 0),
                   .commandResult(summary: "succeeded", duration: "35ms", bytes: 10),
                   .input(step: "x", value: "v", by: "kim", at: "10:00"), .approved(step: "x", by: "choi", role: "manager", at: "10:00"),
                   .approvalRefused(step: "x", by: "kim", at: "10:00", reason: "not a manager"),
                   .logVerified(events: 3), .mayNotTell, .checkpoint("INC-1#3:abc", incident: "INC-1"), .generated(at: "10:00"),
                   .statusValue(final: true, incident: "closed"), .statusValue(final: false, incident: "open")]
        }
    }

    /// The headings and labels of the post-mortem.
    public enum ReportLabel: Sendable, Equatable, CaseIterable {
        case postmortem, incident, status, date, severity, runbook, runbookSHA256, participants, kind, realIncident, routineCheck, drill, drillBadge
        case final, draft, findings, summary, impact, rootCause, trigger, resolution, detection
        case keyTimes, interval, time, impactStarted, detected, opened, acknowledged, contained, impactEnded
        case timeToDetect, timeToAcknowledge, timeToContain, timeToResolve, rtoTargetActual, notResolved
        case stages, stage, entered, target, actual, result, escalations, nobodyPaged, commandsRun, inputsAndApprovals
        case actionItems, noActions, lessonsLearned, wentWell, wentWrong, lucky, notes, none, timeline, timelineOfStages, who, what
        case integrity, stillToFill, incidentStatus, running, recorded, owner

        /// The label in `language`.
        public func text(in l: Language) -> String {
            switch self {
            case .postmortem: l.choose(english: "Post-mortem", korean: "사후 보고서")
            case .incident: l.choose(english: "Incident", korean: "장애")
            case .status: l.choose(english: "Status", korean: "상태")
            case .date: l.choose(english: "Date", korean: "날짜")
            case .severity: l.choose(english: "Severity", korean: "심각도")
            case .runbook: l.choose(english: "Runbook", korean: "런북")
            case .runbookSHA256: l.choose(english: "Runbook SHA-256", korean: "런북 SHA-256")
            case .participants: l.choose(english: "Participants", korean: "참여자")
            case .kind: l.choose(english: "Kind", korean: "종류")
            case .realIncident: l.choose(english: "real incident", korean: "실제 장애")
            case .routineCheck: l.choose(english: "routine check", korean: "정기 점검")
            case .drill: l.choose(english: "drill (practice)", korean: "훈련 (연습)")
            case .drillBadge: l.choose(english: "DRILL", korean: "훈련")
            case .final: l.choose(english: "final", korean: "최종")
            case .draft: l.choose(english: "draft", korean: "초안")
            case .findings: l.choose(english: "Findings", korean: "발견 사항")
            case .summary: l.choose(english: "Summary", korean: "요약")
            case .impact: l.choose(english: "Impact", korean: "영향")
            case .rootCause: l.choose(english: "Root cause", korean: "근본 원인")
            case .trigger: l.choose(english: "Trigger", korean: "발생 계기")
            case .resolution: l.choose(english: "Resolution", korean: "해결")
            case .detection: l.choose(english: "Detection", korean: "탐지")
            case .keyTimes: l.choose(english: "Key times", korean: "주요 시간")
            case .interval: l.choose(english: "Interval", korean: "구간")
            case .time: l.choose(english: "Time", korean: "시간")
            case .impactStarted: l.choose(english: "Impact started", korean: "영향 시작")
            case .detected: l.choose(english: "Detected", korean: "발견")
            case .opened: l.choose(english: "Opened", korean: "등록")
            case .acknowledged: l.choose(english: "Acknowledged", korean: "확인")
            case .contained: l.choose(english: "Contained", korean: "격리 완료")
            case .impactEnded: l.choose(english: "Impact ended (service restored)", korean: "영향 종료 (서비스 복구)")
            case .timeToDetect: l.choose(english: "Time to detect", korean: "탐지까지 걸린 시간")
            case .timeToAcknowledge: l.choose(english: "Time to acknowledge", korean: "확인까지 걸린 시간")
            case .timeToContain: l.choose(english: "Time to contain", korean: "격리까지 걸린 시간")
            case .timeToResolve: l.choose(english: "Time to resolve", korean: "해결까지 걸린 시간")
            case .rtoTargetActual: l.choose(english: "RTO target / actual", korean: "RTO 목표 / 실제")
            case .notResolved: l.choose(english: "not resolved", korean: "미해결")
            case .stages: l.choose(english: "Stages", korean: "단계")
            case .stage: l.choose(english: "Stage", korean: "단계")
            case .entered: l.choose(english: "Entered", korean: "시작")
            case .target: l.choose(english: "Target", korean: "목표")
            case .actual: l.choose(english: "Actual", korean: "실제")
            case .result: l.choose(english: "Result", korean: "결과")
            case .escalations: l.choose(english: "Escalations", korean: "에스컬레이션")
            case .nobodyPaged: l.choose(english: "No one was paged.", korean: "호출된 사람이 없습니다.")
            case .commandsRun: l.choose(english: "Commands run", korean: "실행한 명령")
            case .inputsAndApprovals: l.choose(english: "Inputs and approvals", korean: "입력과 승인")
            case .actionItems: l.choose(english: "Action items", korean: "후속 조치")
            case .noActions: l.choose(english: "None recorded (note `action: … (owner: NAME)`).", korean: "기록된 것이 없습니다 (메모 `action: … (owner: NAME)`).")
            case .lessonsLearned: l.choose(english: "Lessons learned", korean: "교훈")
            case .wentWell: l.choose(english: "What went well", korean: "잘된 점")
            case .wentWrong: l.choose(english: "What went wrong", korean: "잘못된 점")
            case .lucky: l.choose(english: "Where we got lucky", korean: "운이 좋았던 점")
            case .notes: l.choose(english: "Notes", korean: "메모")
            case .none: l.choose(english: "None.", korean: "없음.")
            case .timeline: l.choose(english: "Timeline", korean: "타임라인")
            case .timelineOfStages: l.choose(english: "Timeline of stages", korean: "단계별 타임라인")
            case .who: l.choose(english: "Who", korean: "누가")
            case .what: l.choose(english: "What", korean: "내용")
            case .integrity: l.choose(english: "Integrity", korean: "무결성")
            case .stillToFill: l.choose(english: "Still to fill in", korean: "아직 채울 내용")
            case .incidentStatus: l.choose(english: "Incident status", korean: "장애 상태")
            case .running: l.choose(english: "(running)", korean: "(진행 중)")
            case .recorded: l.choose(english: "recorded", korean: "기록")
            case .owner: l.choose(english: "owner", korean: "담당")
            }
        }
    }
}
