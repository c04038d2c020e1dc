extension Message {
    /// The words of the team server's web page (SPEC §10): sign-in, the incident list, the incident page and its
    /// actions. Sentences the engine says (refusals, events) come from their own cases; these are the page's own.
    ///
    /// To add one: a case here, its texts in `text(in:)` and a sample in `samples` (the catalog test renders each).
    public enum WebText: Sendable, Equatable {
        case signInTitle
        case signInPrompt
        case tokenLabel
        case signIn
        case signOut
        case signedInAs(person: String)
        /// A form whose CSRF token is missing or not the session's.
        case csrfRefused
        case refusedTitle
        case sessionEnded
        case openIncidents
        case noOpenIncidents
        case columnIncident
        case columnTitle
        case columnSeverity
        case columnStage
        case columnDeadline
        case columnLastPage
        case columnAcknowledged
        case notAcknowledged
        case lastPage(tier: Int, at: String)
        case noPage
        case startIncident
        case runbookLabel
        case titleLabel
        case severityLabel
        case drillLabel
        case start
        case incidents
        case stats
        case postmortem
        case language
        case stage(index: Int, count: Int, title: String)
        case closedStage(title: String)
        case deadline(String)
        case steps
        case timeline
        case status(StepStatus)
        case settledBy(by: String, at: String)
        case waitsFor(String)
        case destructive
        case approvalBy(role: String, given: [String], needed: Int)
        case willRun(command: String)
        case runsOnServer
        case noteLabel
        case reasonLabel
        case valueLabel
        case done
        case skip
        case fail
        case run
        case confirmRun
        /// The field where a destructive step's id is typed to confirm it.
        case typeStepID(step: String)
        case submitInput
        case approve
        case breakGlass
        case breakGlassHint
        case addNote
        case acknowledge
        case escalate
        case resolve
        case incidentActions
        case recorded(count: Int)
        case ranStep(step: String, summary: String)
        case confirmMissing
        case notFoundTitle
        case notFound(path: String)
        case liveUpdates
        case earlierEvents(count: Int)

        /// A step's status as the page names it.
        public enum StepStatus: String, Sendable, Equatable, CaseIterable {
            case pending, running, done, skipped, failed, attemptFailed
        }

        public func text(in l: Language) -> String {
            switch self {
            case .signInTitle: return l.choose(english: "Sign in to runbook", korean: "runbook 로그인")
            case .signInPrompt:
                return l.choose(english: "Paste your token (made on the server's host with `runbook token create NAME`).",
                                korean: "토큰을 붙여 넣으십시오(서버 호스트에서 `runbook token create 이름`으로 만든 것).")
            case .tokenLabel: return l.choose(english: "Token", korean: "토큰")
            case .signIn: return l.choose(english: "Sign in", korean: "로그인")
            case .signOut: return l.choose(english: "Sign out", korean: "로그아웃")
            case .signedInAs(let person): return l.choose(english: "Signed in as \(person)", korean: "\(person) 님으로 로그인됨")
            case .csrfRefused:
                return l.choose(english: "this form did not come from your open page (its CSRF token is missing or wrong); reload the page and try again",
                                korean: "이 양식은 열려 있는 페이지에서 온 것이 아닙니다(CSRF 토큰이 없거나 틀림). 페이지를 다시 불러와 다시 시도하십시오")
            case .refusedTitle: return l.choose(english: "Refused", korean: "거부됨")
            case .sessionEnded:
                return l.choose(english: "Your session ended (signed out, or its token was revoked); sign in again.",
                                korean: "세션이 끝났습니다(로그아웃했거나 토큰이 폐기됨). 다시 로그인하십시오.")
            case .openIncidents: return l.choose(english: "Open incidents", korean: "진행 중인 장애")
            case .noOpenIncidents: return l.choose(english: "No open incidents.", korean: "진행 중인 장애가 없습니다.")
            case .columnIncident: return l.choose(english: "Incident", korean: "장애")
            case .columnTitle: return l.choose(english: "Title", korean: "제목")
            case .columnSeverity: return l.choose(english: "Severity", korean: "심각도")
            case .columnStage: return l.choose(english: "Stage", korean: "단계")
            case .columnDeadline: return l.choose(english: "Stage deadline", korean: "단계 기한")
            case .columnLastPage: return l.choose(english: "Last page", korean: "마지막 호출")
            case .columnAcknowledged: return l.choose(english: "Acknowledged", korean: "확인")
            case .notAcknowledged: return l.choose(english: "not acknowledged", korean: "미확인")
            case .lastPage(let tier, let at): return l.choose(english: "tier \(tier) at \(at)", korean: "\(tier)차 \(at)")
            case .noPage: return l.choose(english: "none", korean: "없음")
            case .startIncident: return l.choose(english: "Start an incident", korean: "장애 시작")
            case .runbookLabel: return l.choose(english: "Runbook", korean: "런북")
            case .titleLabel: return l.choose(english: "Title (optional)", korean: "제목(선택)")
            case .severityLabel: return l.choose(english: "Severity (optional)", korean: "심각도(선택)")
            case .drillLabel: return l.choose(english: "Drill", korean: "훈련")
            case .start: return l.choose(english: "Start", korean: "시작")
            case .incidents: return l.choose(english: "Incidents", korean: "장애 목록")
            case .stats: return l.choose(english: "Monthly review", korean: "월간 검토")
            case .postmortem: return l.choose(english: "Post-mortem", korean: "사후 보고서")
            case .language: return l.choose(english: "한국어", korean: "English")
            case .stage(let index, let count, let title):
                return l.choose(english: "Stage \(index) of \(count): \(title)", korean: "단계 \(index)/\(count): \(title)")
            case .closedStage(let title): return l.choose(english: "Closed in stage: \(title)", korean: "종료된 단계: \(title)")
            case .deadline(let countdown): return l.choose(english: "deadline: \(countdown)", korean: "기한: \(countdown)")
            case .steps: return l.choose(english: "Steps", korean: "작업")
            case .timeline: return l.choose(english: "Timeline", korean: "타임라인")
            case .status(let status):
                switch status {
                case .pending: return l.choose(english: "to do", korean: "대기")
                case .running: return l.choose(english: "running", korean: "진행 중")
                case .done: return l.choose(english: "done", korean: "완료")
                case .skipped: return l.choose(english: "skipped", korean: "건너뜀")
                case .failed: return l.choose(english: "failed", korean: "실패")
                case .attemptFailed: return l.choose(english: "attempt failed", korean: "시도 실패")
                }
            case .settledBy(let by, let at): return l.choose(english: "by \(by) at \(at)", korean: "\(at) \(by) 님")
            case .waitsFor(let list): return l.choose(english: "waits for: \(list)", korean: "선행 조건: \(list)")
            case .destructive: return l.choose(english: "⚠ destructive", korean: "⚠ 파괴적 작업")
            case .approvalBy(let role, let given, let needed):
                let so = given.isEmpty ? "" : " (\(given.count)/\(needed): \(given.joined(separator: ", ")))"
                return l.choose(english: "approval by \(role)\(so)", korean: "\(role) 승인 필요\(so)")
            case .willRun(let command): return l.choose(english: "runs: \(command)", korean: "실행: \(command)")
            case .runsOnServer:
                return l.choose(english: "Command steps run on the server's host, as the server's user.",
                                korean: "명령 작업은 서버 호스트에서 서버의 사용자로 실행됩니다.")
            case .noteLabel: return l.choose(english: "Note", korean: "메모")
            case .reasonLabel: return l.choose(english: "Reason", korean: "사유")
            case .valueLabel: return l.choose(english: "Value", korean: "값")
            case .done: return l.choose(english: "Done", korean: "완료")
            case .skip: return l.choose(english: "Skip", korean: "건너뛰기")
            case .fail: return l.choose(english: "Fail", korean: "실패")
            case .run: return l.choose(english: "Run", korean: "실행")
            case .confirmRun: return l.choose(english: "I mean to run this command", korean: "이 명령을 실행합니다")
            case .typeStepID(let step):
                return l.choose(english: "Type the step id (\(step)) to confirm", korean: "확인하려면 작업 id(\(step))를 입력하십시오")
            case .submitInput: return l.choose(english: "Record", korean: "기록")
            case .approve: return l.choose(english: "Approve", korean: "승인")
            case .breakGlass: return l.choose(english: "Break glass", korean: "긴급 승인(break-glass)")
            case .breakGlassHint:
                return l.choose(english: "Acts without the approver; the reason goes into the post-mortem.",
                                korean: "승인자 없이 진행합니다. 사유는 사후 보고서에 남습니다.")
            case .addNote: return l.choose(english: "Add note", korean: "메모 추가")
            case .acknowledge: return l.choose(english: "Acknowledge", korean: "확인(ack)")
            case .escalate: return l.choose(english: "Escalate", korean: "에스컬레이션")
            case .resolve: return l.choose(english: "Resolve", korean: "해결")
            case .incidentActions: return l.choose(english: "Incident", korean: "장애 조치")
            case .recorded(let count):
                return l.choose(english: "Recorded (\(count) event\(count == 1 ? "" : "s")).", korean: "기록했습니다(이벤트 \(count)개).")
            case .ranStep(let step, let summary): return l.choose(english: "Ran `\(step)`: \(summary).", korean: "`\(step)` 실행: \(summary).")
            case .confirmMissing:
                return l.choose(english: "confirm the command first: tick the box beside Run", korean: "먼저 명령을 확인하십시오: 실행 옆의 확인란을 선택")
            case .notFoundTitle: return l.choose(english: "Not found", korean: "찾을 수 없음")
            case .notFound(let path): return l.choose(english: "nothing at \(path)", korean: "\(path)에는 아무것도 없습니다")
            case .liveUpdates: return l.choose(english: "live", korean: "실시간")
            case .earlierEvents(let count):
                return l.choose(english: "\(count) earlier events are in the post-mortem.", korean: "이전 이벤트 \(count)개는 사후 보고서에 있습니다.")
            }
        }

        static var samples: [WebText] {
            [.signInTitle, .signInPrompt, .tokenLabel, .signIn, .signOut, .signedInAs(person: "kim"), .csrfRefused, .refusedTitle,
             .sessionEnded, .openIncidents, .noOpenIncidents, .columnIncident, .columnTitle, .columnSeverity, .columnStage,
             .columnDeadline, .columnLastPage, .columnAcknowledged, .notAcknowledged, .lastPage(tier: 2, at: "10:42:00"), .noPage,
             .startIncident, .runbookLabel, .titleLabel, .severityLabel, .drillLabel, .start, .incidents, .stats, .postmortem,
             .language, .stage(index: 2, count: 4, title: "격리 (Isolate)"), .closedStage(title: "Restore"), .deadline("4:59 left"),
             .steps, .timeline, .settledBy(by: "kim", at: "10:42:00"), .waitsFor("approve-reset (approval)"), .destructive,
             .approvalBy(role: "manager", given: [], needed: 1), .approvalBy(role: "manager", given: ["lee"], needed: 2),
             .willRun(command: "systemctl restart db"), .runsOnServer, .noteLabel, .reasonLabel, .valueLabel, .done, .skip, .fail,
             .run, .confirmRun, .typeStepID(step: "reset"), .submitInput, .approve, .breakGlass, .breakGlassHint, .addNote,
             .acknowledge, .escalate, .resolve, .incidentActions, .recorded(count: 1), .recorded(count: 3),
             .ranStep(step: "reset", summary: "exit 0 in 2s"), .confirmMissing, .notFoundTitle, .notFound(path: "/nope"),
             .liveUpdates, .earlierEvents(count: 12)]
                + StepStatus.allCases.map { .status($0) }
        }
    }
}
