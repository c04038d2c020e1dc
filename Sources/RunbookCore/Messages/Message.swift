/// The message catalog: every sentence runbook says to a responder, in English and in Korean (SPEC §7).
///
/// A case is a key with its facts; `text(in:)` writes it in one language. Each case gives both texts
/// through `Language.choose(english:korean:)`, so the compiler refuses a key without one of them, and
/// `Message.Key` with `Message.sample(_:)` lets a test render every key in both languages. Ids, commands,
/// flags, file names and code stay literal in both (`runbook ack INC-…`, `--note TEXT`, `order: sequential`).
///
/// Korean follows the team's operations manual: 장애 (incident), 단계 (stage), 작업 (step), 승인
/// (approval), 에스컬레이션, N차 (tier N), 호출 (page), 확인 (acknowledge), 심각도 (severity), 훈련 (drill),
/// 당직 명단 (roster), 메모 (note), 사후 보고서 (post-mortem).
///
/// To add a message: add a case here, its texts in `text(in:)`, a `Key` case of the same name, its line in
/// `key` and a sample in `sample(_:)` (Message+Keys.swift); the compiler points at each place.
public enum Message: Sendable, Equatable {
    // MARK: Refusals with typed facts (Refusal.Reason)
    case refusedBlocked(action: Refusal.StepAction, step: String, waitingFor: [Blocker])
    case refusedDestructive(incident: String, step: String, command: String)
    case refusedNotRoleHolder(actor: String, action: Refusal.StepAction, step: String, role: RoleRef, holders: [String])
    case refusedIdentityNotProven(actor: String, login: String?, logins: [String], action: Refusal.StepAction, step: String)
    case refusedBreakGlassNeedsReason(incident: String, step: String)
    case refusedNotOnRoster(actor: String, step: String)
    case refusedNoteRequired(action: Refusal.StepAction, step: String, because: Refusal.NoteRequirement)
    case refusedCommandStillRunning(incident: String, step: String, pid: Int32, startTime: UInt64?, startedBy: String, startedAt: String)
    case refusedRosterUnchanged(incident: String, directory: String)
    /// A step of a stage with `window:` acted on while its maintenance window is closed (SPEC §3.2).
    case refusedOutsideWindow(action: Refusal.StepAction, step: String, gate: WindowGate)

    // MARK: Refusals decided in the engine
    case unknownSeverity(String, known: [String])
    case emptyNote
    case nothingToAcknowledge(incident: String, by: String, at: String)
    case alreadyResolved(incident: String, by: String, at: String)
    case noEscalationTiers(runbook: String)
    case everyTierPaged(episode: Int, tiers: Int, rounds: Int)
    case notOnIncidentRoster(actor: String, incident: String)
    case rosterFromOtherFolder(incident: String, current: String, proposed: String)
    case alreadySeverity(incident: String, severity: String)
    case stepNeedsApproval(incident: String, step: String)
    case alreadyFailed(step: String, by: String, at: String, note: String?)
    case stepAsksForValue(incident: String, step: String)
    case stepIsCommand(incident: String, step: String)
    case stepWaits(step: String, duration: String)
    /// "step `x` is not an input step (it is a manual step)": the kinds are the YAML's words.
    case wrongStepKind(step: String, expected: String, actual: String)
    case emptyValue(step: String)
    case notAChoice(value: String, step: String, choices: [String], nearest: String?)
    case alreadyApproved(actor: String, step: String, at: String, min: Int)
    case alreadyRunning(step: String, by: String, at: String)
    case alreadyFinished(step: String, status: StepProgress.Status, by: String, at: String)
    case notRunning(step: String)
    case runReplaced(step: String, pid: Int32, laterPid: Int32, by: String, at: String)
    case incidentClosed(incident: String, by: String, at: String)
    case undefinedState(incident: String, state: String)
    case noStepInState(verb: Verb, step: String, state: String, nearest: String?, steps: [String])
    case stateLeft(verb: Verb, state: String, at: String, by: String, failedStep: String?, completed: Bool, current: String)
    case otherState(verb: Verb, owner: String, current: String)
    case stepRunning(verb: Verb, by: String, at: String)
    case alreadyMarked(verb: Verb, status: StepProgress.Status, by: String, at: String, note: String?)
    case undoNeedsNote(incident: String, step: String)
    case undoApproval(step: String)
    case undoWait(step: String)
    case nothingToUndo(step: String)
    case undoRunning(step: String)
    case undoFailedRun(step: String)
    case reopenNeedsReason(incident: String)
    case nothingToReopen(incident: String)
    case notADrill(incident: String)
    case drillClockForwardOnly
    case occurredBeforeOpening(incident: String, at: String, opened: String)
    /// `start --detected-at` later than the opening.
    case detectedAfterOpening(detected: String, opened: String)
    /// `start --impact-started-at` later than the detection (`--detected-at`, or the opening when `defaulted`).
    case impactAfterDetection(started: String, detected: String, defaulted: Bool)

    // MARK: Event descriptions (timeline, status, recorded lines, the watcher's log)
    /// An incident opened; `severity` nil for a routine check's run (it has none).
    case eventOpened(drill: Bool, speed: Int?, runbook: String, severity: String?, title: String)
    case eventStageEntered(stage: String, after: EntryCause?)
    case eventStageCompleted(stage: String)
    case eventStepStarted(step: String)
    case eventStepDone(step: String)
    case eventStepSkipped(step: String)
    case eventStepFailed(step: String)
    case eventAttemptFailed(step: String)
    case eventCommandStarted(step: String, command: String)
    /// "command `x` finished: exit 0 in 2s, 3 bytes of output; 93% — expected below 80%".
    case eventCommandFinished(step: String, ending: CommandEnding, duration: String, bytes: Int64, expectation: ExpectationResult? = nil)
    case eventInput(step: String, value: String)
    case eventApproved(step: String, role: String)
    case eventApprovalRefused(step: String, reason: String)
    case eventApprovalOverridden(step: String, role: String, reason: String)
    case eventNote(String)
    case eventAcknowledged
    case eventSeverityChanged(from: String, to: String)
    case eventResolved
    case eventClosed
    case eventStepUndone(step: String, note: String)
    case eventReopened(reason: String)
    case eventDrillClockAdvanced(String)
    case eventMissedStageDeadline(deadline: String, stage: String)
    case eventMissedStepTimeout(timeout: String, step: String)
    case eventEscalationStarted(episode: Int, cause: EscalationCause)
    case escalationCause(EscalationCause)
    case escalatedByPerson(String)
    case eventPagedAtOnce(roles: String)
    case eventPaged(episode: Int, manual: Bool, tier: Int, round: Int, roles: String)
    case eventNotified(role: String, channel: String)
    case eventNotifyFailed(role: String, channel: String, attempt: Int, error: String)
    case eventReportWritten(final: Bool, files: [String])
    case eventRoster(reload: Bool, directory: String, roster: String, contacts: String, bound: [String])
    /// The maintenance windows frozen into an incident at its opening.
    case eventCalendar(windows: [String])
    /// "tier 2 held by sunday-maintenance until 06:00".
    case eventPageHeld(tier: Int, window: String, until: String)
    /// A stage's steps wait for its maintenance window (guided mode, status).
    case waitsForWindow(WindowGate)
    /// "oncall (lee, night shift)": a page to a rotation's role names the person on duty.
    case pagedOnDuty(role: String, person: String, shift: String?, override: String?)
    /// `runbook oncall`: "oncall: lee (night shift) until Tue 2026-12-01 09:00 KST; next: kim".
    case onDutyLine(role: String, person: String, shift: String?, until: String, next: String?)
    case nobodyOnDuty(role: String, holders: [String])
    case overrideInForce(person: String, from: String, to: String, reason: String?)
    case noRotations(file: String)
    case countdownLeft(String)
    case countdownOverdue(String)
    case recordedOnBehalf(login: String, actor: String)
    case recordedAt(String)

    // MARK: Notifications
    /// "tier 2", "tier 1, round 2", "notice" (tier 0, outside the tiers).
    case notificationTier(tier: Int, round: Int)
    case notificationDrill
    case notificationLabel(NotificationLabel)
    case notificationPaged(role: String, tier: Int, round: Int)

    // MARK: The report's timeline picture (its legend, ticks' lanes and hover titles)
    case timelinePicture(TimelineLabel)

    // MARK: Listings (status, list)
    case heading(Heading)
    case incidentStatus(String)
    case drillMark
    case logBrokenSince(Int64)
    case logAltered
    case noIncidents(database: String)
    case noOpenIncidents
    case noRunbooks(directory: String)

    // MARK: The monthly review (`runbook stats`)
    case statsLabel(StatsLabel)
    /// "Incidents opened since 2026-10-28 10:00 (30d), as of 2026-11-27 10:00."
    case statsWindow(since: String, span: String, asOf: String)
    /// The chart's caption: incidents (and drills) per bucket of `days` days.
    case statsChartCaption(days: Int)
    /// A tier in the pages count; tier 0 is a notice outside the tiers.
    case statsTier(Int)
    /// "3 of 4 (75%)".
    case statsRate(met: Int, of: Int)
    case statsNoIncidents

    // MARK: Findings (status, guided mode, the report)
    case finding(Finding.Kind)

    // MARK: The post-mortem report
    case report(ReportText)

    // MARK: Routine checks and schedules
    case schedule(ScheduleText)

    // MARK: The team server
    case server(ServerText)
    // MARK: The team server's web page
    case web(WebText)
    // MARK: The team directory (init, doctor)
    case team(TeamText)

    // MARK: Lines of commands (watch, drill, output, run, verify, the background watcher)
    /// Another watcher runs: a background one leaves (`standingBy` false), a foreground one waits.
    case watcherOtherRunning(database: String, standingBy: Bool)
    case watcherStopping
    /// A PostgreSQL watcher whose connection dropped, and its advisory lock with it.
    case watcherLostLock(database: String)
    case watcherWatching(database: String, backgroundPid: Int32?)
    case watcherIdleStops
    case watchStatusNone(database: String)
    /// "A background watcher (pid 42) runs on incidents.db since …; it stops by itself …, log: …".
    case watchStatusRunning(background: Bool, pid: Int32?, database: String, since: String?, log: String)
    case watchNextDue(String)
    case backgroundWatcherStarted(pid: Int32, log: String)
    case backgroundWatcherFailed(reason: String)
    /// "runbook: notice: you act as root (from USER), who is not in runbooks/roster.yaml; …".
    case actorNotInRoster(actor: String, source: String, roster: String)
    case watchDeliversPages
    case pagesDeferred
    case drillStarted(incident: String, runbook: String, speed: Int, live: Bool)
    /// `output`'s first line: "INC step `x` attempt 1 of 2, by kim at …: exit code 3, expected 0 in 12ms".
    case outputAttempt(incident: String, step: String, attempt: Int, of: Int, by: String, at: String, summary: String, duration: String)
    case outputHint(String)
    case outputNone
    /// What a step's `expect:` found: "93% — expected below 80%", "output did not match \"status\":\s*\"ok\"".
    case commandExpectation(ExpectationResult)
    /// "--- stdout (23 bytes) ---", "--- stderr (70000 bytes, middle cut) ---".
    case outputStream(name: String, bytes: Int64, truncated: Bool)
    /// `run`'s error when the command failed and the step waits for a decision.
    case runFailedWaits(incident: String, step: String, summary: String, stderr: String?, hint: String?)
    /// "INC: 44 events, hash chain intact, holds #12:… (signature valid); checkpoint INC#44:…"; `held` is `verifyHeld`'s texts.
    case verifyIntact(incident: String, events: Int, held: String, checkpoint: String)
    /// ", holds #12:0123456789abcdef (signature valid)".
    case verifyHeld(String, signatureValid: Bool)
    case verifySignatureNotChecked(incident: String, checkpoint: String)
    case verifyIncidentGone(incident: String)
    case integrityReason(IntegrityReason)
    case integrityProblem(IntegrityProblem)
    case integrityFinding(brokenSince: Int64?, first: IntegrityProblem, more: Int, incident: String)
    case verifyCheckpointIncidentGone
    case verifyFailed(failed: Int, of: Int, storeAltered: Bool)

    // MARK: Call steps (SPEC §3.2)
    /// Running a call step again while its child is open.
    case callStillOpen(child: String, step: String)
    /// The team's calendar.yaml could not be read when an incident started: it started without maintenance windows.
    case calendarUnreadable(problem: String)
    /// An input whose choice is the only way out of its stage cannot be skipped.
    case inputIsTheWayOut(step: String, state: String, choices: [String])
    /// Marking a call step done or skipped by hand without saying why.
    case callNeedsNote(incident: String, step: String, runbook: String, mark: IncidentCommand.StepMark)
    /// A call's `env:` refers to an input the parent has not recorded.
    case callVariableMissing(step: String, name: String, variable: String)
    case eventCallStarted(step: String, child: String, runbook: String)
    case eventCallFinished(step: String, child: String, resolved: Bool)
    /// `run`'s line for a call step: "started INC-…-0002 (db-recovery) for step restore-database".
    case callStarted(child: String, runbook: String, step: String)
    /// A call step in `status`: "calls db-recovery: INC-…-0002 (open, stage restore)"; no child yet: "calls db-recovery".
    case callStepDetail(runbook: String, child: String?, result: CallResult?)
    /// Guided mode's question before a call step starts its child: "Start an incident of runbook db-recovery? [y/N] ".
    case callPrompt(runbook: String)
    /// The child's header fact: "called by INC-…-0001 step restore-database".
    case calledBy(incident: String, step: String)
    /// The child's header fact when its parent never recorded the call (the process died between the two appends,
    /// or a second run won the step): "called by INC-…-0001 step restore-database, which did not record it: …".
    case calledByUnlinked(incident: String, step: String)
    /// The post-mortem's section of linked incidents.
    case linkedIncidents
    case linkedParent(incident: String, step: String)
    case linkedChild(child: String, runbook: String, step: String, result: CallResult)

    // MARK: Errors a responder meets
    case unknownIncident(String, nearest: String?)
    case ambiguousIncident(String, matches: [String])
    case unknownRunbook(String, directory: String, nearest: String?)
    case runbooksFolderUnreadable(String)
    case noDatabase(String)
    case notATime(flag: String, text: String)
    case timeInFuture(flag: String, text: String, now: String)
    case nowNotISO(String)
    case nowAhead(String, now: String)
    case nowBeforeLastEvent(now: String, incident: String, last: String)
    case reportOntoDatabase(output: String, database: String, suggestion: String)
    case reportExists(String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case diskFull(path: String)
    case notUTF8(String)
    case incidentChanged(String)
    case databaseNotRunbook(path: String, detail: String)
    case databaseOfAnotherProgram(String)
    case databaseDamaged(path: String, detail: String)
    case databaseNewer(path: String, migration: String)
    case databaseLocked(path: String, seconds: Int, detail: String)
    case databaseCannotOpen(path: String, detail: String)
    case databaseNotWritable(path: String, detail: String)
    case databaseDiskFull(path: String, detail: String)

    /// What an action refused in a step's context was, as in "cannot mark step `x` done: …".
    public enum Verb: Sendable, Equatable {
        case mark(step: String, IncidentCommand.StepMark)
        case recordInput(step: String)
        case recordValue(step: String)
        case approve(step: String)
        case overrideApproval(step: String)
        case run(step: String)
        case recordResult(step: String)
        case undo(step: String)
    }

    /// Where a child incident of a call step stands.
    public enum CallResult: Sendable, Equatable {
        case open(stage: String?)
        case resolved
        case closedUnresolved

        /// The name in JSON: "open", "resolved" or "closed_unresolved".
        public var name: String {
            switch self {
            case .open: "open"
            case .resolved: "resolved"
            case .closedUnresolved: "closed_unresolved"
            }
        }
    }

    /// Why a stage was entered other than in order.
    public enum EntryCause: Sendable, Equatable {
        case failure(in: String)
        case timeout(of: String)
        case choice(in: String)
        case reopened
    }

    /// How a command ended, for its timeline line.
    public enum CommandEnding: Sendable, Equatable {
        case interrupted(CommandInterruption)
        case timedOut
        case signal(Int32)
        case exit(Int32?)
        /// Nothing ran: "workdir /srv/app does not exist".
        case couldNotStart(String)
    }

    /// The labels of a notification's text.
    public enum NotificationLabel: Sendable, Equatable, CaseIterable {
        case incident, runbook, severity, stage, reason, paged, acknowledge, warning, checkpoint
    }

    /// The words of the report's timeline picture: lane names, legend entries and the hover titles of its marks.
    public enum TimelineLabel: Sendable, Equatable {
        case ariaLabel, noStages, pagesLane, commandsLane, axisBreak
        case legendStage, legendStageMissed, legendDeadline, legendMissedDeadline, legendPage
        case legendCommandSucceeded, legendCommandFailed
        /// The short label beside a page mark: "T1", "1차" ("notice" for tier 0).
        case pageMark(tier: Int)
        case deadlineTitle(target: String, due: String)
        case missedDeadlineTitle(due: String, by: String)
        /// A stage's bar; `to` is nil while the stage runs.
        case stageTitle(title: String, from: String, to: String?, duration: String)
        case pageTitle(tier: Int, round: Int, at: String, roles: String, why: String)
        case commandTitle(step: String, at: String, result: String, duration: String)

        /// One of each, for the catalog's test.
        public static let samples: [TimelineLabel] = [
            .ariaLabel, .noStages, .pagesLane, .commandsLane, .axisBreak, .legendStage, .legendStageMissed, .legendDeadline,
            .legendMissedDeadline, .legendPage, .legendCommandSucceeded, .legendCommandFailed, .pageMark(tier: 1), .pageMark(tier: 0),
            .deadlineTitle(target: "5m", due: "10:05:00"), .missedDeadlineTitle(due: "10:05:00", by: "2m"),
            .stageTitle(title: "Detect", from: "10:00:00", to: "10:07:00", duration: "7m"),
            .stageTitle(title: "Detect", from: "10:00:00", to: nil, duration: "7m"),
            .pageTitle(tier: 1, round: 2, at: "10:12:00", roles: "oncall", why: "deadline missed"),
            .pageTitle(tier: 2, round: 1, at: "10:12:00", roles: "manager", why: ""),
            .commandTitle(step: "backup", at: "10:09:00", result: "exit code 1, expected 0", duration: "35ms"),
        ]
    }

    /// The headings and row labels of the monthly review.
    public enum StatsLabel: Sendable, Equatable, CaseIterable {
        case title, overall, runbook, incidents, drills, open, timeToAcknowledge, timeToResolve, median, p90, rtoMet,
             deadlinesMissed, pages, breakGlass, none, chart, week, count
    }

    /// Column headings of the listings.
    public enum Heading: Sendable, Equatable, CaseIterable {
        case id, runbook, severity, status, stage, deadline, paged, title, stages, deadlines, rto
    }
}

extension Message: CustomStringConvertible {
    /// The text in the process's language.
    public var description: String { text() }
}

extension Message {
    /// The message written in `language`.
    public func text(in language: Language = .current) -> String {
        let l = language
        func list(_ items: [String]) -> String { items.joined(separator: ", ") }
        func colonNote(_ note: String?) -> String { note.map { ": \($0)" } ?? "" }
        switch self {
        // Refusals with typed facts
        case .refusedBlocked(let action, let step, let blockers):
            let waits = blockers.map { $0.clause(in: l) }
            return l.choose(
                english: "step `\(step)` waits for \(waits.joined(separator: "; and for ")); it cannot "
                    + "\(action == .run ? "run" : action == .input ? "take a value" : action == .approve ? "be approved" : "be marked done")"
                    + " until then (it may be skipped or failed with a note)",
                korean: "`\(step)` 작업은 다음을 기다리고 있습니다: \(waits.joined(separator: "; 그리고 ")). 그때까지 "
                    + "\(action == .run ? "실행할" : action == .input ? "값을 기록할" : action == .approve ? "승인할" : "완료 처리할")"
                    + " 수 없습니다 (메모를 남기고 건너뛰거나 실패 처리할 수는 있습니다)")
        case .refusedDestructive(let incident, let step, let command):
            return l.choose(
                english: "step `\(step)` is destructive (\(command)); to run it, confirm by naming it: "
                    + "runbook run \(incident) \(step) --confirm \(step)",
                korean: "`\(step)` 작업은 파괴적인 명령입니다 (\(command)). 실행하려면 작업 이름을 적어 확인하십시오: "
                    + "runbook run \(incident) \(step) --confirm \(step)")
        case .refusedNotRoleHolder(let actor, let action, let step, let role, let holders):
            return l.choose(
                english: "\(actor) does not hold the role \(role.name); only \(Self.holderList(holders, role, in: l)) may "
                    + "\(action.rawValue) approval `\(step)` (anyone on the roster may break the glass with --break-glass --reason TEXT)",
                korean: "\(actor) 님은 \(role.name) 역할이 아닙니다. `\(step)` 승인을 \(action.koreanApprovalVerb) 수 있는 사람은 "
                    + "\(Self.holderList(holders, role, in: l))뿐입니다 (당직 명단에 있는 사람은 누구나 --break-glass --reason TEXT로 "
                    + "긴급 우회할 수 있습니다)")
        case .refusedIdentityNotProven(let actor, let login, let logins, let action, let step):
            return l.choose(
                english: "cannot \(action.phrase(step)) as \(actor): the roster binds \(actor) to the login\(logins.count == 1 ? "" : "s") "
                    + "\(list(logins)), and this runs as \(login ?? "an unknown login"); \(actor) must do it from their own login",
                korean: "\(actor) 님으로 \(action.koreanPhrase(step)) 수 없습니다: 당직 명단은 \(actor) 님을 로그인 \(list(logins))에 "
                    + "연결하는데, 지금은 \(login ?? "알 수 없는 로그인")(으)로 실행 중입니다. \(actor) 님이 본인 로그인으로 해야 합니다")
        case .refusedBreakGlassNeedsReason(let incident, let step):
            return l.choose(
                english: "breaking the glass needs a reason that the approvers will read: "
                    + "runbook approve \(incident) \(step) --break-glass --reason \"manager unreachable for 20m\"",
                korean: "긴급 우회에는 승인자가 읽을 사유가 필요합니다: "
                    + "runbook approve \(incident) \(step) --break-glass --reason \"운영 매니저 20분째 연락 안 됨\"")
        case .refusedNotOnRoster(let actor, let step):
            return l.choose(
                english: "\(actor) is not on the roster (runbooks/roster.yaml); only people on it may override approval `\(step)`",
                korean: "\(actor) 님은 당직 명단(runbooks/roster.yaml)에 없습니다. 명단에 있는 사람만 `\(step)` 승인을 긴급 우회할 수 있습니다")
        case .refusedNoteRequired(let action, let step, let because):
            let english: String, korean: String
            switch because {
            case .afterFailedAttempt(let attempts, let failure):
                english = "its command failed (attempt \(attempts)\(colonNote(failure))); say \(action == .done ? "what was checked instead" : "why")"
                korean = "명령이 실패했습니다 (\(attempts)번째 시도\(colonNote(failure))). \(action == .done ? "대신 무엇을 확인했는지" : "이유를") "
            case .afterFailure(let by, let when, let note):
                english = "it was marked failed by \(by) at \(when)\(colonNote(note)); say \(action == .done ? "what was checked instead" : "why")"
                korean = "\(by) 님이 \(when)에 실패 처리했습니다\(colonNote(note)). \(action == .done ? "대신 무엇을 확인했는지" : "이유를") "
            case .pastAGate:
                english = "it is still waiting for other steps; say why it is \(action == .skip ? "skipped" : "failed") anyway"
                korean = "아직 다른 작업을 기다리고 있습니다. 그래도 \(action == .skip ? "건너뛰는" : "실패 처리하는") 이유를 "
            }
            return l.choose(
                english: "cannot \(action.phrase(step)) without a note: \(english) with --note TEXT",
                korean: "메모 없이 \(action.koreanPhrase(step)) 수 없습니다: \(korean)--note TEXT로 적으십시오")
        case .refusedCommandStillRunning(let incident, let step, let pid, let startTime, let by, let at):
            return l.choose(
                english: "step `\(step)` is still running: its command's process group "
                    + "(\(startTime.map { "pid \(pid), start time \($0) (clock ticks since boot)" } ?? "pid \(pid)")) is alive, "
                    + "started by \(by) at \(at); wait for it to end or time out, or end it with runbook run \(incident) \(step) --kill-stale",
                korean: "`\(step)` 작업이 아직 실행 중입니다: 명령의 프로세스 그룹"
                    + "(\(startTime.map { "pid \(pid), 시작 시각 \($0) (부팅 후 클록 틱)" } ?? "pid \(pid)"))이 살아 있습니다 "
                    + "(\(by) 님이 \(at)에 시작). 끝나거나 제한 시간이 지나기를 기다리거나, "
                    + "runbook run \(incident) \(step) --kill-stale로 종료하십시오")
        case .refusedRosterUnchanged(let incident, let directory):
            return l.choose(
                english: "incident \(incident) already uses this roster and these contacts from \(directory); "
                    + "edit roster.yaml or contacts.yaml first, then reload",
                korean: "장애 \(incident)은(는) 이미 \(directory)의 이 당직 명단과 연락처를 쓰고 있습니다. "
                    + "먼저 roster.yaml 또는 contacts.yaml을 고친 뒤 다시 불러오십시오")

        case .refusedOutsideWindow(let action, let step, let gate):
            let verb = l.choose(
                english: action == .run ? "run" : action == .input ? "take a value" : action == .approve ? "be approved" : "be marked done",
                korean: action == .run ? "실행할" : action == .input ? "값을 기록할" : action == .approve ? "승인할" : "완료 처리할")
            return l.choose(
                english: "stage `\(gate.stage)` runs only in the window \(gate.label), "
                    + (gate.opens.map { "which opens \($0)" } ?? (gate.known ? "which does not open again" : "which is not in this incident's calendar"))
                    + "; step `\(step)` cannot \(verb) until then (it may be skipped or failed with a note)",
                korean: "`\(gate.stage)` 단계는 \(gate.label) 작업 시간에만 진행합니다. "
                    + (gate.opens.map { "다음 시작: \($0)" } ?? (gate.known ? "이 작업 시간은 다시 열리지 않습니다" : "이 장애의 점검 일정에 없는 작업 시간입니다"))
                    + ". 그때까지 `\(step)` 작업은 \(verb) 수 없습니다 (메모를 남기고 건너뛰거나 실패 처리할 수는 있습니다)")

        // Refusals decided in the engine
        case .unknownSeverity(let severity, let known):
            return l.choose(english: "unknown severity `\(severity)`; use one of \(list(known))",
                            korean: "알 수 없는 심각도 `\(severity)`입니다. \(list(known)) 중 하나를 쓰십시오")
        case .emptyNote:
            return l.choose(english: "the note is empty; write what happened", korean: "메모가 비어 있습니다. 무슨 일이 있었는지 적으십시오")
        case .nothingToAcknowledge(let incident, let by, let at):
            return l.choose(
                english: "nothing to acknowledge in incident \(incident): it was acknowledged by \(by) at \(at) and no escalation is paging now",
                korean: "장애 \(incident)에 확인할 호출이 없습니다: \(by) 님이 \(at)에 이미 확인했고 지금 호출 중인 에스컬레이션이 없습니다")
        case .alreadyResolved(let incident, let by, let at):
            return l.choose(english: "incident \(incident) was already resolved by \(by) at \(at)",
                            korean: "장애 \(incident)은(는) \(by) 님이 \(at)에 이미 해결 처리했습니다")
        case .noEscalationTiers(let runbook):
            return l.choose(english: "runbook \(runbook) has no escalation tiers",
                            korean: "런북 \(runbook)에는 에스컬레이션 단계(tiers)가 없습니다")
        case .everyTierPaged(let episode, let tiers, let rounds):
            return l.choose(english: "every tier of escalation \(episode) was already paged (\(tiers) tiers, \(rounds) round\(rounds == 1 ? "" : "s"))",
                            korean: "에스컬레이션 \(episode)의 모든 차수를 이미 호출했습니다 (\(tiers)차까지, \(rounds)회차)")
        case .notOnIncidentRoster(let actor, let incident):
            return l.choose(
                english: "\(actor) is not on incident \(incident)'s roster; only people on it may reload it (a shift handover)",
                korean: "\(actor) 님은 장애 \(incident)의 당직 명단에 없습니다. 명단에 있는 사람만 다시 불러올 수 있습니다 (당직 인수인계)")
        case .rosterFromOtherFolder(let incident, let current, let proposed):
            return l.choose(
                english: "incident \(incident)'s roster comes from \(current), not \(proposed): a roster from another "
                    + "folder cannot take over a running incident; edit the roster there and reload with --runbooks \(current)",
                korean: "장애 \(incident)의 당직 명단은 \(proposed)이(가) 아니라 \(current)에서 왔습니다: 다른 폴더의 명단은 진행 중인 "
                    + "장애를 넘겨받을 수 없습니다. 그곳의 명단을 고친 뒤 --runbooks \(current)로 다시 불러오십시오")
        case .alreadySeverity(let incident, let severity):
            return l.choose(english: "incident \(incident) is already \(severity)", korean: "장애 \(incident)은(는) 이미 \(severity)입니다")
        case .stepNeedsApproval(let incident, let step):
            return l.choose(english: "step `\(step)` needs an approval; give it with `runbook approve \(incident) \(step)`",
                            korean: "`\(step)` 작업은 승인이 필요합니다. `runbook approve \(incident) \(step)`로 승인하십시오")
        case .alreadyFailed(let step, let by, let at, let note):
            return l.choose(english: "cannot fail step `\(step)`: it was already marked failed by \(by) at \(at)\(colonNote(note))",
                            korean: "`\(step)` 작업을 실패 처리할 수 없습니다: \(by) 님이 \(at)에 이미 실패 처리했습니다\(colonNote(note))")
        case .stepAsksForValue(let incident, let step):
            return l.choose(english: "step `\(step)` asks for a value; record it with `runbook input \(incident) \(step) VALUE`",
                            korean: "`\(step)` 작업은 값을 입력받습니다. `runbook input \(incident) \(step) VALUE`로 기록하십시오")
        case .stepIsCommand(let incident, let step):
            return l.choose(english: "step `\(step)` is a command; run it with `runbook run \(incident) \(step)`, or skip it with a note",
                            korean: "`\(step)` 작업은 명령입니다. `runbook run \(incident) \(step)`로 실행하거나, 메모를 남기고 건너뛰십시오")
        case .stepWaits(let step, let duration):
            return l.choose(english: "step `\(step)` waits \(duration) and completes by itself; skip it to move on sooner",
                            korean: "`\(step)` 작업은 \(duration) 기다린 뒤 저절로 완료됩니다. 더 빨리 넘어가려면 건너뛰십시오")
        case .wrongStepKind(let step, let expected, let actual):
            return l.choose(english: "step `\(step)` is not \(expected == "input" || expected == "approval" ? "an" : "a") \(expected) step (it is a \(actual) step)",
                            korean: "`\(step)` 작업은 \(expected) 작업이 아닙니다 (\(actual) 작업입니다)")
        case .emptyValue(let step):
            return l.choose(english: "the value for step `\(step)` is empty", korean: "`\(step)` 작업의 값이 비어 있습니다")
        case .notAChoice(let value, let step, let choices, let nearest):
            return l.choose(english: "`\(value)` is not a choice of step `\(step)`; choose one of \(list(choices))"
                                + (nearest.map { "; did you mean `\($0)`?" } ?? ""),
                            korean: "`\(value)`은(는) `\(step)` 작업의 선택지가 아닙니다. \(list(choices)) 중 하나를 고르십시오"
                                + (nearest.map { ". `\($0)`을(를) 뜻했나요?" } ?? ""))
        case .alreadyApproved(let actor, let step, let at, let min):
            return l.choose(english: "\(actor) already approved step `\(step)` at \(at); it needs \(min) different approvers",
                            korean: "\(actor) 님은 이미 \(at)에 `\(step)` 작업을 승인했습니다. 서로 다른 승인자 \(min)명이 필요합니다")
        case .alreadyRunning(let step, let by, let at):
            return l.choose(english: "step `\(step)` is already running (started by \(by) at \(at))",
                            korean: "`\(step)` 작업은 이미 실행 중입니다 (\(by) 님이 \(at)에 시작)")
        case .alreadyFinished(let step, let status, let by, let at):
            return l.choose(english: "step `\(step)` was already \(status.rawValue) by \(by) at \(at)",
                            korean: "`\(step)` 작업은 \(by) 님이 \(at)에 이미 \(status.korean) 처리했습니다")
        case .notRunning(let step):
            return l.choose(english: "step `\(step)` is not running; its result cannot be recorded",
                            korean: "`\(step)` 작업은 실행 중이 아니므로 결과를 기록할 수 없습니다")
        case .runReplaced(let step, let pid, let later, let by, let at):
            return l.choose(
                english: "the run of step `\(step)` led by pid \(pid) was replaced by a later run (pid \(later), started by \(by) at \(at)); "
                    + "its result is not recorded",
                korean: "pid \(pid)의 `\(step)` 작업 실행은 나중 실행(pid \(later), \(by) 님이 \(at)에 시작)으로 대체되었습니다. "
                    + "그 결과는 기록하지 않습니다")
        case .incidentClosed(let incident, let by, let at):
            return l.choose(english: "incident \(incident) was closed by \(by) at \(at); only notes can be added, or reopen it: "
                                + "runbook reopen \(incident) --reason \"…\"",
                            korean: "장애 \(incident)은(는) \(by) 님이 \(at)에 종료했습니다. 메모만 추가하거나 다시 열 수 있습니다: "
                                + "runbook reopen \(incident) --reason \"…\"")
        case .undoNeedsNote(let incident, let step):
            return l.choose(english: "an undo needs a note saying what was wrong: runbook step \(incident) \(step) undo --note \"…\"",
                            korean: "되돌리려면 무엇이 잘못되었는지 메모가 필요합니다: runbook step \(incident) \(step) undo --note \"…\"")
        case .undoApproval(let step):
            return l.choose(english: "step `\(step)` is an approval: an approval, or walking around one, is never undone; add a note instead",
                            korean: "`\(step)` 작업은 승인입니다. 승인이나 승인을 건너뛴 처리는 되돌릴 수 없습니다. 대신 메모를 남기세요")
        case .undoWait(let step):
            return l.choose(english: "step `\(step)` is a wait that completes by itself; there is no mark to undo",
                            korean: "`\(step)` 작업은 저절로 끝나는 대기입니다. 되돌릴 처리가 없습니다")
        case .nothingToUndo(let step):
            return l.choose(english: "step `\(step)` has no mark to undo (it is pending)",
                            korean: "`\(step)` 작업에는 되돌릴 처리가 없습니다 (대기 중)")
        case .undoRunning(let step):
            return l.choose(english: "step `\(step)` is running; wait for its result, then decide",
                            korean: "`\(step)` 작업이 실행 중입니다. 결과를 기다린 뒤 결정하세요")
        case .undoFailedRun(let step):
            return l.choose(english: "step `\(step)`'s failed run is a fact, not a mark; run it again, mark it done by hand with a note, "
                                + "skip or fail it",
                            korean: "`\(step)` 작업의 실패한 실행은 처리가 아니라 사실입니다. 다시 실행하거나, 메모와 함께 수동 완료, "
                                + "건너뛰기 또는 실패 처리하세요")
        case .reopenNeedsReason(let incident):
            return l.choose(english: "reopening needs a reason: runbook reopen \(incident) --reason \"what came back\"",
                            korean: "다시 열려면 이유가 필요합니다: runbook reopen \(incident) --reason \"다시 발생한 증상\"")
        case .nothingToReopen(let incident):
            return l.choose(english: "incident \(incident) is open; there is nothing to reopen",
                            korean: "장애 \(incident)은(는) 진행 중입니다. 다시 열 것이 없습니다")
        case .notADrill(let incident):
            return l.choose(english: "incident \(incident) is not a drill on a stored clock; only a drill's clock can be moved",
                            korean: "장애 \(incident)은(는) 저장된 시계로 진행하는 훈련이 아닙니다. 훈련의 시계만 옮길 수 있습니다")
        case .occurredBeforeOpening(let incident, let at, let opened):
            return l.choose(english: "--at \(at) is before incident \(incident) was opened (\(opened)); give the time it really happened",
                            korean: "--at \(at)은(는) 장애 \(incident) 등록 시각(\(opened))보다 앞섭니다. 실제로 일어난 시각을 주세요")
        case .detectedAfterOpening(let detected, let opened):
            return l.choose(english: "--detected-at \(detected) is after the incident's opening (\(opened)); a problem is noticed at the latest when "
                                + "its incident is opened: give the time it was noticed, or leave --detected-at out",
                            korean: "--detected-at \(detected)은(는) 장애 등록 시각(\(opened))보다 늦습니다. 문제는 늦어도 장애를 등록할 때 발견됩니다. "
                                + "발견한 시각을 주거나 --detected-at을 빼십시오")
        case .impactAfterDetection(let started, let detected, let defaulted):
            let what = defaulted ? "the opening (\(detected))" : "--detected-at \(detected)"
            let whatKorean = defaulted ? "장애 등록 시각(\(detected))" : "--detected-at \(detected)"
            return l.choose(english: "--impact-started-at \(started) is after \(what); a problem begins before it is noticed",
                            korean: "--impact-started-at \(started)은(는) \(whatKorean)보다 늦습니다. 문제는 발견되기 전에 시작됩니다")
        case .drillClockForwardOnly:
            return l.choose(english: "the drill clock moves forward only; give a positive duration",
                            korean: "훈련 시계는 앞으로만 움직입니다. 양의 시간을 주세요")
        case .undefinedState(let incident, let state):
            return l.choose(english: "incident \(incident) is in state `\(state)`, which its runbook does not define",
                            korean: "장애 \(incident)은(는) 런북에 정의되지 않은 `\(state)` 단계에 있습니다")
        case .noStepInState(let verb, let step, let state, let nearest, let steps):
            return l.choose(
                english: "cannot \(verb.english): no step `\(step)` in state `\(state)`"
                    + (nearest.map { "; did you mean `\($0)`?" } ?? "; its steps are \(list(steps))"),
                korean: "\(verb.korean) 수 없습니다: `\(state)` 단계에 `\(step)` 작업이 없습니다"
                    + (nearest.map { ". `\($0)`을(를) 뜻했나요?" } ?? ". 이 단계의 작업: \(list(steps))"))
        case .stateLeft(let verb, let state, let at, let by, let failed, let completed, let current):
            let englishWhy = failed.map { " (step `\($0)` failed)" } ?? (completed ? " (completed)" : "")
            let koreanWhy = failed.map { " (`\($0)` 작업 실패)" } ?? (completed ? " (완료)" : "")
            return l.choose(
                english: "cannot \(verb.english): state `\(state)` was left at \(at) by \(by)\(englishWhy); the incident is now in `\(current)`",
                korean: "\(verb.korean) 수 없습니다: `\(state)` 단계는 \(by) 님이 \(at)에 떠났습니다\(koreanWhy). 장애는 지금 `\(current)` 단계에 있습니다")
        case .otherState(let verb, let owner, let current):
            return l.choose(english: "cannot \(verb.english): it belongs to state `\(owner)`, and the incident is in `\(current)`",
                            korean: "\(verb.korean) 수 없습니다: 이 작업은 `\(owner)` 단계에 속하는데, 장애는 `\(current)` 단계에 있습니다")
        case .stepRunning(let verb, let by, let at):
            return l.choose(english: "cannot \(verb.english): it is running (started by \(by) at \(at))",
                            korean: "\(verb.korean) 수 없습니다: 실행 중입니다 (\(by) 님이 \(at)에 시작)")
        case .alreadyMarked(let verb, let status, let by, let at, let note):
            return l.choose(english: "cannot \(verb.english): it was already marked \(status.rawValue) by \(by) at \(at)\(colonNote(note))",
                            korean: "\(verb.korean) 수 없습니다: \(by) 님이 \(at)에 이미 \(status.korean) 처리했습니다\(colonNote(note))")

        // Event descriptions
        case .eventOpened(let drill, let speed, let runbook, let severity, let title):
            let english = drill ? (speed.map { "drill at \($0)x speed: " } ?? "drill ") : ""
            let korean = drill ? (speed.map { "훈련 (\($0)배속): " } ?? "훈련 ") : ""
            guard let severity else {
                return l.choose(english: "\(english)checklist run opened from runbook \(runbook): \(title)",
                                korean: "\(korean)점검 시작, 런북 \(runbook): \(title)")
            }
            return l.choose(english: "\(english)incident opened from runbook \(runbook) (\(severity)): \(title)",
                            korean: "\(korean)장애 등록, 런북 \(runbook) (\(severity)): \(title)")
        case .eventStageEntered(let stage, let after):
            let english: String, korean: String
            switch after {
            case nil: (english, korean) = ("", "")
            case .failure(let from): (english, korean) = (" after a failure in `\(from)`", " (`\(from)` 단계의 실패 후)")
            case .timeout(let from): (english, korean) = (" after the deadline of `\(from)` passed", " (`\(from)` 단계의 기한 초과 후)")
            case .choice(let from): (english, korean) = (" by choice in `\(from)`", " (`\(from)` 단계에서 선택)")
            case .reopened: (english, korean) = (" again: the incident was reopened", " (장애를 다시 열어 재진입)")
            }
            return l.choose(english: "entered stage \(stage)\(english)", korean: "단계 진입: \(stage)\(korean)")
        case .eventStageCompleted(let stage):
            return l.choose(english: "completed stage \(stage)", korean: "단계 완료: \(stage)")
        case .eventStepStarted(let step):
            return l.choose(english: "started step \(step)", korean: "작업 시작: \(step)")
        case .eventStepDone(let step):
            return l.choose(english: "step \(step) done", korean: "작업 완료: \(step)")
        case .eventStepSkipped(let step):
            return l.choose(english: "step \(step) skipped", korean: "작업 건너뜀: \(step)")
        case .eventStepFailed(let step):
            return l.choose(english: "step \(step) failed", korean: "작업 실패: \(step)")
        case .eventAttemptFailed(let step):
            return l.choose(english: "step \(step) attempt failed, waiting for a decision (run again, done by hand, skip or fail)",
                            korean: "작업 시도 실패: \(step), 결정을 기다립니다 (다시 실행, 수동 완료, 건너뛰기 또는 실패 처리)")
        case .eventCommandStarted(let step, let command):
            return l.choose(english: "ran `\(step)`: $ \(command)", korean: "`\(step)` 실행: $ \(command)")
        case .eventCommandFinished(let step, let ending, let duration, let bytes, let expectation):
            let english: String, korean: String
            switch ending {
            case .interrupted(let interruption):
                english = interruption.shortDescription
                korean = switch interruption {
                case .signal: "중단됨 (\(interruption.stored))"
                case .killedAsStale: "--kill-stale로 종료됨"
                }
            case .timedOut: (english, korean) = ("timed out", "제한 시간 초과")
            case .couldNotStart(let reason):
                // Nothing ran, so there is no duration or output to speak of.
                return l.choose(english: "command `\(step)` could not start: \(reason)", korean: "`\(step)` 명령을 시작하지 못함: \(reason)")
            case .signal(let signal): (english, korean) = (ExitStatus.killedBySignal(signal), ExitStatus.killedBySignal(signal, in: .korean))
            case .exit(let code):
                let meaning = { (language: Language) in code.flatMap { ExitStatus.meaning(ofExit: $0, in: language) }.map { " (\($0))" } ?? "" }
                (english, korean) = ("exit \(code.map(String.init) ?? "?")" + meaning(.english),
                                     "종료 코드 \(code.map(String.init) ?? "?")" + meaning(.korean))
            }
            return l.choose(english: "command `\(step)` finished: \(english) in \(duration), \(bytes) bytes of output",
                            korean: "`\(step)` 명령 끝남: \(korean), \(duration), 출력 \(bytes)바이트")
                + (expectation.map { "; " + Message.commandExpectation($0).text(in: l) } ?? "")
        case .eventInput(let step, let value):
            return l.choose(english: "input \(step) = \(value)", korean: "입력 \(step) = \(value)")
        case .eventApproved(let step, let role):
            return l.choose(english: "approved \(step) as \(role)", korean: "승인: \(step) (\(role) 역할)")
        case .eventApprovalRefused(let step, let reason):
            return l.choose(english: "approval of \(step) refused: \(reason)", korean: "승인 거부: \(step): \(reason)")
        case .eventApprovalOverridden(let step, let role, let reason):
            return l.choose(english: "BREAK-GLASS: approval \(step) overridden without \(role): \(reason)",
                            korean: "BREAK-GLASS 긴급 우회: \(role) 없이 승인 \(step) 통과: \(reason)")
        case .eventNote(let text):
            return l.choose(english: "note: \(text)", korean: "메모: \(text)")
        case .eventAcknowledged:
            return l.choose(english: "acknowledged", korean: "호출 확인")
        case .eventSeverityChanged(let from, let to):
            return l.choose(english: "severity changed from \(from) to \(to)", korean: "심각도 변경: \(from) → \(to)")
        case .eventResolved:
            return l.choose(english: "incident resolved (service restored)", korean: "장애 해결 (서비스 복구)")
        case .eventClosed:
            return l.choose(english: "incident closed", korean: "장애 종료")
        case .eventStepUndone(let step, let note):
            return l.choose(english: "correction: the mark on step \(step) was undone: \(note)",
                            korean: "정정: \(step) 작업의 처리를 되돌림: \(note)")
        case .eventReopened(let reason):
            return l.choose(english: "incident reopened: \(reason)", korean: "장애 다시 열림: \(reason)")
        case .eventDrillClockAdvanced(let duration):
            return l.choose(english: "drill clock moved forward \(duration)", korean: "훈련 시계 \(duration) 앞으로 이동")
        case .eventMissedStageDeadline(let deadline, let stage):
            return l.choose(english: "missed the \(deadline) deadline of stage \(stage)", korean: "단계 기한 \(deadline) 초과: \(stage)")
        case .eventMissedStepTimeout(let timeout, let step):
            return l.choose(english: "missed the \(timeout) timeout of step \(step)", korean: "작업 제한 시간 \(timeout) 초과: \(step)")
        case .eventEscalationStarted(let episode, let cause):
            return l.choose(english: "escalation \(episode) started: \(cause.text(in: l))", korean: "에스컬레이션 \(episode) 시작: \(cause.text(in: l))")
        case .escalationCause(let cause):
            switch cause {
            case .unacknowledged:
                return l.choose(english: "incident opened, not yet acknowledged", korean: "장애 등록, 아직 확인되지 않음")
            case .stageDeadline(let stage, let title, let deadline, let afterRestore):
                return l.choose(english: "stage `\(stage)` \(title) missed its \(deadline) deadline"
                                    + (afterRestore ? " (service already restored)" : ""),
                                korean: "`\(stage)` \(title) 단계가 기한 \(deadline)을(를) 넘김" + (afterRestore ? " (서비스는 이미 복구됨)" : ""))
            case .stepTimeout(let step, let title, let timeout):
                return l.choose(english: "step `\(step)` \(title) missed its \(timeout) timeout",
                                korean: "`\(step)` \(title) 작업이 제한 시간 \(timeout)을(를) 넘김")
            case .stepFailed(let step, let title):
                return l.choose(english: "step `\(step)` \(title) failed", korean: "`\(step)` \(title) 작업 실패")
            case .manual(let reason):
                return l.choose(english: "escalated by hand" + colonNote(reason), korean: "수동 에스컬레이션" + colonNote(reason))
            case .override(let actor, let step, let title, let reason):
                return l.choose(english: "\(actor) overrode the approval of `\(step)` \(title): \(reason)",
                                korean: "\(actor) 님이 `\(step)` \(title) 승인을 긴급 우회함: \(reason)")
            case .text(let sentence):
                return sentence
            }
        case .escalatedByPerson(let name):
            return l.choose(english: "escalated by \(name)", korean: "\(name) 님이 에스컬레이션함")
        case .eventPagedAtOnce(let roles):
            return l.choose(english: "paged \(roles) at once", korean: "즉시 호출: \(roles)")
        case .eventPaged(let episode, let manual, let tier, let round, let roles):
            return l.choose(
                english: "\(manual ? "escalated by hand" : "escalation \(episode)"): paged tier \(tier)\(round > 1 ? " (round \(round))" : ""): \(roles)",
                korean: "\(manual ? "수동 에스컬레이션" : "에스컬레이션 \(episode)"): \(tier)차 호출\(round > 1 ? " (\(round)회차)" : ""): \(roles)")
        case .eventNotified(let role, let channel):
            return l.choose(english: "notified \(role) via \(channel)", korean: "알림 전송: \(role), \(channel) 경유")
        case .eventNotifyFailed(let role, let channel, let attempt, let error):
            return l.choose(english: "could not notify \(role) via \(channel) (attempt \(attempt)): \(error)",
                            korean: "알림 실패: \(role), \(channel) 경유 (\(attempt)번째 시도): \(error)")
        case .eventReportWritten(let final, let files):
            return l.choose(english: "\(final ? "final" : "draft") post-mortem written: \(list(files))",
                            korean: "\(final ? "최종" : "초안") 사후 보고서 작성: \(list(files))")
        case .eventRoster(let reload, let directory, let roster, let contacts, let bound):
            return l.choose(
                english: "\(reload ? "roster and contacts reloaded" : "roster and contacts frozen") from \(directory) "
                    + "(roster \(roster), contacts \(contacts))"
                    + (bound.isEmpty ? "; no one bound to a login" : "; bound to logins: \(list(bound))"),
                korean: "당직 명단과 연락처 \(reload ? "다시 불러옴" : "고정"): \(directory) (roster \(roster), contacts \(contacts))"
                    + (bound.isEmpty ? "; 로그인에 연결된 사람 없음" : "; 로그인에 연결됨: \(list(bound))"))
        case .eventCalendar(let windows):
            return l.choose(english: "maintenance windows in force: \(list(windows))", korean: "적용되는 점검 시간: \(list(windows))")
        case .eventPageHeld(let tier, let window, let until):
            return l.choose(english: "tier \(tier) held by \(window) until \(until)", korean: "\(tier)차 호출 보류: \(window), \(until)까지")
        case .waitsForWindow(let gate):
            return l.choose(
                english: "waits for the window \(gate.label)" + (gate.opens.map { ", which opens \($0)" } ?? ", which does not open"),
                korean: "\(gate.label) 작업 시간을 기다림" + (gate.opens.map { " (다음 시작: \($0))" } ?? " (열리지 않음)"))
        case .pagedOnDuty(let role, let person, let shift, let override):
            let english = shift.map { "\(person), \($0) shift" } ?? "\(person), override" + (override.map { ": \($0)" } ?? "")
            let korean = shift.map { "\(person), \($0) 근무" } ?? "\(person), 대리 근무" + (override.map { ": \($0)" } ?? "")
            return l.choose(english: "\(role) (\(english))", korean: "\(role) (\(korean))")
        case .onDutyLine(let role, let person, let shift, let until, let next):
            return l.choose(
                english: "\(role): \(person) (\(shift.map { "\($0) shift" } ?? "override")) until \(until); next: \(next ?? "nobody")",
                korean: "\(role): \(person) (\(shift.map { "\($0) 근무" } ?? "대리 근무")) \(until)까지; 다음: \(next ?? "없음")")
        case .nobodyOnDuty(let role, let holders):
            return l.choose(
                english: "\(role): nobody on duty; a page goes to every \(role) holder" + (holders.isEmpty ? "" : ": \(list(holders))"),
                korean: "\(role): 당직자 없음. 호출은 \(role) 역할을 가진 모두에게 갑니다" + (holders.isEmpty ? "" : ": \(list(holders))"))
        case .overrideInForce(let person, let from, let to, let reason):
            return l.choose(english: "override: \(person) from \(from) to \(to)" + (reason.map { " (\($0))" } ?? ""),
                            korean: "대리 근무: \(person), \(from)부터 \(to)까지" + (reason.map { " (\($0))" } ?? ""))
        case .noRotations(let file):
            return l.choose(english: "no rotations in \(file); add `rotations:` to name who is on call (see runbook oncall --help)",
                            korean: "\(file)에 교대 근무(rotations)가 없습니다. 당직자를 정하려면 `rotations:`를 추가하십시오 (runbook oncall --help 참고)")
        case .countdownLeft(let clock):
            return l.choose(english: "\(clock) left", korean: "\(clock) 남음")
        case .countdownOverdue(let clock):
            return l.choose(english: "\(clock) overdue", korean: "\(clock) 초과")
        case .recordedOnBehalf(let login, let actor):
            return l.choose(english: "recorded by \(login) on behalf of \(actor)", korean: "\(actor) 님 대신 로그인 \(login)이(가) 기록")
        case .recordedAt(let time):
            return l.choose(english: "recorded \(time)", korean: "기록 \(time)")

        // Notifications
        case .notificationTier(let tier, let round):
            return l.choose(english: (tier == 0 ? "notice" : "tier \(tier)") + (round > 1 ? ", round \(round)" : ""),
                            korean: (tier == 0 ? "공지" : "\(tier)차") + (round > 1 ? ", \(round)회차" : ""))
        case .notificationDrill:
            return l.choose(english: "This is a drill, not a real incident: respond as you would for real.",
                            korean: "훈련입니다. 실제 장애가 아닙니다: 실제 상황처럼 대응하십시오.")
        case .notificationLabel(let label):
            return switch label {
            case .incident: l.choose(english: "Incident", korean: "장애")
            case .runbook: l.choose(english: "Runbook", korean: "런북")
            case .severity: l.choose(english: "Severity", korean: "심각도")
            case .stage: l.choose(english: "Stage", korean: "단계")
            case .reason: l.choose(english: "Reason", korean: "사유")
            case .paged: l.choose(english: "Paged", korean: "호출 대상")
            case .acknowledge: l.choose(english: "Acknowledge", korean: "확인")
            case .warning: l.choose(english: "WARNING", korean: "경고")
            case .checkpoint: l.choose(english: "Checkpoint", korean: "체크포인트")
            }
        case .notificationPaged(let role, let tier, let round):
            return l.choose(english: "\(role) (tier \(tier), round \(round))", korean: "\(role) (\(tier)차, \(round)회차)")
        case .timelinePicture(let label):
            return switch label {
            case .ariaLabel: l.choose(english: "stages against their deadlines, with pages and commands", korean: "단계별 소요 시간과 기한, 호출과 명령")
            case .noStages: l.choose(english: "No stages.", korean: "단계가 없습니다.")
            case .axisBreak: l.choose(english: "the time axis is compressed from here to the last deadline",
                                      korean: "여기부터 마지막 기한까지 시간 축을 줄여 그림")
            case .pagesLane: l.choose(english: "Pages", korean: "호출")
            case .commandsLane: l.choose(english: "Commands", korean: "명령")
            case .legendStage: l.choose(english: "stage", korean: "단계")
            case .legendStageMissed: l.choose(english: "stage over its deadline", korean: "기한을 넘긴 단계")
            case .legendDeadline: l.choose(english: "deadline", korean: "기한")
            case .legendMissedDeadline: l.choose(english: "missed deadline", korean: "놓친 기한")
            case .legendPage: l.choose(english: "page by tier (T1, T2, …)", korean: "차수별 호출 (1차, 2차, …)")
            case .legendCommandSucceeded: l.choose(english: "command as expected", korean: "명령 성공")
            case .legendCommandFailed: l.choose(english: "command failed", korean: "명령 실패")
            case .pageMark(let tier): tier == 0 ? l.choose(english: "notice", korean: "공지") : l.choose(english: "T\(tier)", korean: "\(tier)차")
            case .deadlineTitle(let target, let due): l.choose(english: "deadline \(target), due \(due)", korean: "기한 \(target), \(due)까지")
            case .missedDeadlineTitle(let due, let by): l.choose(english: "deadline \(due) missed by \(by)", korean: "기한 \(due)보다 \(by) 늦음")
            case .stageTitle(let title, let from, let to, let duration):
                if let to {
                    l.choose(english: "\(title): \(from) to \(to), \(duration)", korean: "\(title): \(from)부터 \(to)까지, \(duration)")
                } else {
                    l.choose(english: "\(title): since \(from), \(duration) so far, running", korean: "\(title): \(from)부터 진행 중, 지금까지 \(duration)")
                }
            case .pageTitle(let tier, let round, let at, let roles, let why):
                Message.notificationTier(tier: tier, round: round).text(in: l)
                    + l.choose(english: " paged at \(at): \(roles)", korean: " 호출 \(at): \(roles)") + (why.isEmpty ? "" : " — \(why)")
            case .commandTitle(let step, let at, let result, let duration):
                l.choose(english: "`\(step)` at \(at): \(result) in \(duration)", korean: "`\(step)` \(at) 실행: \(result), \(duration) 걸림")
            }

        // Listings
        case .heading(let heading):
            return switch heading {
            case .id: "ID"
            case .runbook: l.choose(english: "RUNBOOK", korean: "런북")
            case .severity: l.choose(english: "SEV", korean: "심각도")
            case .status: l.choose(english: "STATUS", korean: "상태")
            case .stage: l.choose(english: "STAGE", korean: "단계")
            case .deadline: l.choose(english: "DEADLINE", korean: "기한")
            case .paged: l.choose(english: "PAGED", korean: "호출")
            case .title: l.choose(english: "TITLE", korean: "제목")
            case .stages: l.choose(english: "STAGES", korean: "단계 수")
            case .deadlines: l.choose(english: "DEADLINES", korean: "기한 합계")
            case .rto: "RTO"
            }
        case .incidentStatus(let status):
            return switch status {
            case "open": l.choose(english: status, korean: "진행 중")
            case "resolved": l.choose(english: status, korean: "해결됨")
            case "closed": l.choose(english: status, korean: "종료됨")
            default: status
            }
        case .drillMark:
            return l.choose(english: " (drill)", korean: " (훈련)")
        case .logBrokenSince(let sequence):
            return l.choose(english: " (log broken since #\(sequence))", korean: " (#\(sequence)부터 로그 손상)")
        case .logAltered:
            return l.choose(english: " (log altered)", korean: " (로그 변조됨)")
        case .noIncidents(let database):
            return l.choose(english: "No incidents in \(database).", korean: "\(database)에 장애가 없습니다.")
        case .noOpenIncidents:
            return l.choose(english: "No open incidents. Start one with `runbook start RUNBOOK` (see `runbook list`).",
                            korean: "진행 중인 장애가 없습니다. `runbook start RUNBOOK`로 시작하십시오 (`runbook list` 참고).")
        case .statsLabel(let label):
            return switch label {
            case .title: l.choose(english: "Incident review", korean: "장애 검토")
            case .overall: l.choose(english: "Overall", korean: "전체")
            case .runbook: l.choose(english: "Runbook", korean: "런북")
            case .incidents: l.choose(english: "Incidents", korean: "장애")
            case .drills: l.choose(english: "Drills", korean: "훈련")
            case .open: l.choose(english: "Not yet resolved", korean: "미해결")
            case .timeToAcknowledge: l.choose(english: "Time to acknowledge", korean: "확인까지 걸린 시간")
            case .timeToResolve: l.choose(english: "Time to resolve", korean: "해결까지 걸린 시간")
            case .median: l.choose(english: "median", korean: "중앙값")
            case .p90: "p90"
            case .rtoMet: l.choose(english: "RTO met", korean: "RTO 충족")
            case .deadlinesMissed: l.choose(english: "Deadlines missed", korean: "놓친 기한")
            case .pages: l.choose(english: "Pages", korean: "호출")
            case .breakGlass: l.choose(english: "Break-glass approvals", korean: "긴급 우회 승인")
            case .none: l.choose(english: "none", korean: "없음")
            case .chart: l.choose(english: "Incidents over time", korean: "기간별 장애")
            case .week: l.choose(english: "from", korean: "시작")
            case .count: l.choose(english: "incidents", korean: "건")
            }
        case .statsWindow(let since, let span, let asOf):
            return l.choose(english: "Incidents opened since \(since) (\(span)), as of \(asOf). Drills are counted apart and left out of "
                                + "every other figure; times are the median and p90 (nearest rank).",
                            korean: "\(since)부터 (\(span)) \(asOf)까지 시작된 장애입니다. 훈련은 따로 세고 다른 수치에서는 뺍니다. "
                                + "시간은 중앙값과 p90(최근접 순위)입니다.")
        case .statsChartCaption(let days):
            return l.choose(english: "Incidents (dark) and drills (light) opened per \(days == 7 ? "week" : "\(days) days")",
                            korean: "\(days == 7 ? "주" : "\(days)일")별 장애(진한 색)와 훈련(옅은 색)")
        case .statsTier(let tier):
            return tier == 0 ? l.choose(english: "notice", korean: "알림") : l.choose(english: "tier \(tier)", korean: "\(tier)차")
        case .statsRate(let met, let total):
            let percent = total == 0 ? 0 : (met * 100 + total / 2) / total
            return l.choose(english: "\(met) of \(total) (\(percent)%)", korean: "\(total)건 중 \(met)건 (\(percent)%)")
        case .statsNoIncidents:
            return l.choose(english: "No incidents in this period.", korean: "이 기간에 장애가 없습니다.")
        case .noRunbooks(let directory):
            return l.choose(english: "No runbooks in \(directory). Add one YAML file per runbook (see README.md).",
                            korean: "\(directory)에 런북이 없습니다. 런북마다 YAML 파일 하나를 추가하십시오 (README.md 참고).")

        // Findings
        case .finding(let kind):
            return Self.findingText(kind, in: l)
        case .report(let text):
            return text.text(in: l)
        case .schedule(let text):
            return text.text(in: l)
        case .server(let text):
            return text.text(in: l)
        case .web(let text):
            return text.text(in: l)
        case .team(let text):
            return text.text(in: l)

        // Lines of commands
        case .watcherOtherRunning(let database, let standingBy):
            return standingBy
                ? l.choose(english: "another `runbook watch` is running on \(database); standing by until it stops",
                           korean: "\(database)에서 다른 `runbook watch`가 실행 중입니다. 그것이 멈출 때까지 대기합니다")
                : l.choose(english: "another `runbook watch` is running on \(database): it does the paging",
                           korean: "\(database)에서 다른 `runbook watch`가 실행 중입니다: 호출은 그쪽이 합니다")
        case .watcherStopping:
            return l.choose(english: "stopping", korean: "멈춥니다")
        case .watcherLostLock(let database):
            return l.choose(english: "lost the connection to \(database), and the watch lock with it; stopping so that a watcher that holds the lock pages (the server starts this one again as a standby)",
                            korean: "\(database)와의 연결이 끊겨 감시 잠금도 잃었습니다. 잠금을 가진 감시자가 호출하도록 멈춥니다(서버가 이 감시자를 대기 상태로 다시 시작합니다)")
        case .watcherWatching(let database, let pid):
            return l.choose(english: "watching \(database)" + (pid.map { " in the background (pid \($0))" } ?? ""),
                            korean: "\(database) 감시 중" + (pid.map { " (백그라운드, pid \($0))" } ?? ""))
        case .watcherIdleStops:
            return l.choose(english: "no incident is open and nothing is due: the background watcher stops",
                            korean: "진행 중인 장애도 예정된 일도 없습니다: 백그라운드 감시자를 멈춥니다")
        case .watchStatusNone(let database):
            return l.choose(english: "No watcher runs on \(database). `runbook start` and `guide` launch one in the background (unless RUNBOOK_WATCHER=off); "
                                + "a team with schedules runs `runbook watch` as a service (see README).",
                            korean: "\(database)에서 실행 중인 감시자가 없습니다. `runbook start`와 `guide`가 백그라운드로 하나를 띄웁니다 "
                                + "(RUNBOOK_WATCHER=off가 아니면). 일정이 있는 팀은 `runbook watch`를 서비스로 실행합니다 (README 참고).")
        case .watchStatusRunning(let background, let pid, let database, let since, let log):
            let who = pid.map { " (pid \($0))" } ?? ""
            return l.choose(english: "A \(background ? "background" : "foreground") watcher\(who) runs on \(database)\(since.map { " since \($0)" } ?? "")"
                                + (background ? "; it stops by itself when no incident is open and nothing is due, log: \(log)" : "."),
                            korean: "\(background ? "백그라운드" : "포그라운드") 감시자\(who)가 \(database)에서 "
                                + "\(since.map { "\($0)부터 " } ?? "")실행 중입니다"
                                + (background ? ". 진행 중인 장애도 예정된 일도 없으면 스스로 멈춥니다, 로그: \(log)" : "."))
        case .watchNextDue(let time):
            return l.choose(english: "Next due: \(time).", korean: "다음 예정: \(time).")
        case .backgroundWatcherStarted(let pid, let log):
            return l.choose(english: "runbook: started a background watcher (pid \(pid), log \(log)): it pages on time and stops when nothing is open; "
                                + "`runbook watch --status` shows it",
                            korean: "runbook: 백그라운드 감시자를 시작했습니다 (pid \(pid), 로그 \(log)): 제때 호출하고, 진행 중인 장애가 없으면 멈춥니다. "
                                + "`runbook watch --status`로 볼 수 있습니다")
        case .actorNotInRoster(let actor, let source, let roster):
            return l.choose(english: "runbook: notice: you act as \(actor) (from \(source)), who is not in \(roster): pages name the people on it, "
                                + "and only they may approve; set RUNBOOK_USER=NAME (or pass --as NAME) to act as one of them",
                            korean: "runbook: notice: \(source)에 따라 \(actor)(으)로 행동하지만 \(actor)는 \(roster)에 없습니다: 호출은 명단의 "
                                + "사람에게 가고 승인도 그들만 할 수 있습니다. 명단의 사람으로 행동하려면 RUNBOOK_USER=NAME을 설정하거나 --as NAME을 주십시오")
        case .backgroundWatcherFailed(let reason):
            return l.choose(english: "runbook: warning: no watcher runs and none could be started (\(reason)); pages wait until someone runs `runbook watch`",
                            korean: "runbook: warning: 실행 중인 감시자가 없고 시작할 수도 없었습니다 (\(reason)). "
                                + "누군가 `runbook watch`를 실행할 때까지 호출이 미뤄집니다")
        case .watchDeliversPages:
            return l.choose(english: "`runbook watch` is running: it delivers the pages.", korean: "`runbook watch`가 실행 중입니다: 호출은 그쪽이 보냅니다.")
        case .pagesDeferred:
            return l.choose(english: "another runbook is still sending pages; the pages owed now go with the next action or `runbook watch`",
                            korean: "다른 runbook이 아직 호출을 보내는 중입니다. 지금 보낼 호출은 다음 동작이나 `runbook watch`가 보냅니다")
        case .drillStarted(let incident, let runbook, let speed, let live):
            return l.choose(english: "Drill \(incident) of \(runbook) at \(speed)x speed; pages go to \(live ? "the real contacts" : "drill-notifications.log").",
                            korean: "\(runbook) 훈련 \(incident), \(speed)배속. 호출은 \(live ? "실제 연락처로" : "drill-notifications.log로") 갑니다.")
        case .outputAttempt(let incident, let step, let attempt, let count, let by, let at, let summary, let duration):
            return l.choose(english: "\(incident) step `\(step)` attempt \(attempt) of \(count), by \(by) at \(at): \(summary) in \(duration)",
                            korean: "\(incident) `\(step)` 작업 \(count)번 중 \(attempt)번째 시도, \(at) \(by) 님: \(summary), \(duration)")
        case .outputHint(let hint):
            return l.choose(english: "hint: \(hint)", korean: "힌트: \(hint)")
        case .commandExpectation(let result):
            return Self.expectationText(result, in: l)
        case .outputNone:
            return l.choose(english: "(no output)", korean: "(출력 없음)")
        case .outputStream(let name, let bytes, let truncated):
            return l.choose(english: "--- \(name) (\(bytes) bytes\(truncated ? ", middle cut" : "")) ---",
                            korean: "--- \(name) (\(bytes)바이트\(truncated ? ", 가운데 생략" : "")) ---")
        case .runFailedWaits(let incident, let step, let summary, let stderr, let hint):
            return l.choose(english: "step `\(step)` \(summary)\(stderr.map { " (stderr: \($0))" } ?? ""); it waits for your decision: run it again, "
                                + "`runbook step \(incident) \(step) done --note \"what was checked instead\"`, skip it with --note, or fail it"
                                + (hint.map { " (\($0))" } ?? ""),
                            korean: "`\(step)` 작업: \(summary)\(stderr.map { " (stderr: \($0))" } ?? ""). 결정을 기다립니다: 다시 실행하거나, "
                                + "`runbook step \(incident) \(step) done --note \"대신 확인한 내용\"`, --note와 함께 건너뛰기, 또는 실패 처리"
                                + (hint.map { " (\($0))" } ?? ""))
        case .verifyIntact(let incident, let events, let held, let checkpoint):
            return l.choose(english: "\(incident): \(events) events, hash chain intact\(held); checkpoint \(checkpoint)",
                            korean: "\(incident): 이벤트 \(events)개, 해시 체인 온전함\(held); 체크포인트 \(checkpoint)")
        case .verifyHeld(let checkpoint, let signatureValid):
            return l.choose(english: ", holds \(checkpoint)" + (signatureValid ? " (signature valid)" : ""),
                            korean: ", \(checkpoint) 포함" + (signatureValid ? " (서명 유효)" : ""))
        case .verifySignatureNotChecked(let incident, let checkpoint):
            return l.choose(english: "\(incident): the signature of \(checkpoint)… was not checked: set RUNBOOK_SIGNING_KEY or RUNBOOK_VERIFY_KEY",
                            korean: "\(incident): \(checkpoint)…의 서명을 확인하지 못했습니다: RUNBOOK_SIGNING_KEY 또는 RUNBOOK_VERIFY_KEY를 설정하십시오")
        case .integrityReason(let reason):
            switch reason {
            case .missing(let expected, let next):
                return l.choose(english: "event \(expected) is missing (the next stored event is \(next))",
                                korean: "\(expected)번 이벤트가 없습니다 (다음에 저장된 이벤트는 \(next)번)")
            case .outOfOrder(let sequence):
                return l.choose(english: "event \(sequence) is out of order", korean: "\(sequence)번 이벤트의 순서가 어긋났습니다")
            case .unlinked(let sequence):
                return l.choose(english: "event \(sequence) does not link to the event before it",
                                korean: "\(sequence)번 이벤트가 앞 이벤트와 이어지지 않습니다")
            case .altered(let sequence):
                return l.choose(english: "event \(sequence) was altered after it was recorded", korean: "\(sequence)번 이벤트가 기록된 뒤 변경되었습니다")
            case .unreadable(let detail):
                return l.choose(english: "it cannot be read (\(detail))", korean: "읽을 수 없습니다 (\(detail))")
            case .notReplayable:
                return l.choose(english: "the log cannot be replayed (no readable opening event, or its runbook no longer loads)",
                                korean: "로그를 다시 재생할 수 없습니다 (읽을 수 있는 등록 이벤트가 없거나 런북을 더 이상 읽을 수 없음)")
            case .checkpointGone(let last, let sequence):
                return l.choose(english: "the log ends at event \(last); event \(sequence) is gone",
                                korean: "로그가 \(last)번 이벤트에서 끝납니다. \(sequence)번 이벤트가 사라졌습니다")
            case .rehashed(let sequence, let hash):
                return l.choose(english: "event \(sequence) now hashes to \(hash): the log was rewritten after the checkpoint was taken",
                                korean: "\(sequence)번 이벤트의 해시가 이제 \(hash)입니다: 체크포인트 이후 로그가 다시 쓰였습니다")
            case .badSignature:
                return l.choose(english: "its signature does not match the signing key: it was not signed by this team's key",
                                korean: "서명이 서명 키와 맞지 않습니다: 이 팀의 키로 서명되지 않았습니다")
            case .incidentGone(let incident):
                return Message.verifyIncidentGone(incident: incident).text(in: l)
            case .text(let sentence):
                return sentence
            }
        case .integrityProblem(let problem):
            switch problem {
            case .chain(let sequence, let reason):
                return l.choose(english: problem.englishSentence, korean: "\(sequence)번 이벤트에서 해시 체인이 끊김: \(reason.text(in: l))")
            case .missingTail(let listed, let stored):
                return l.choose(english: problem.englishSentence,
                                korean: "\(stored + 1)~\(listed)번 이벤트가 없습니다: 장애는 이벤트 \(listed)개를 세지만 로그는 \(stored)번에서 끝납니다")
            case .projection(let field, let row, let events):
                return l.choose(english: problem.englishSentence,
                                korean: "장애 행의 \(field)은(는) \(row.isEmpty ? "(없음)" : row)이지만 이벤트로는 \(events.isEmpty ? "(없음)" : events)입니다")
            case .runbookSwapped(let opened, let row):
                return l.choose(english: problem.englishSentence,
                                korean: "장애가 런북 텍스트 \(row.prefix(16))로 진행하지만 등록 시에는 \(opened.prefix(16))였습니다")
            case .textAltered(let sha):
                return l.choose(english: problem.englishSentence, korean: "저장된 텍스트 \(sha.prefix(16))이(가) 변경되어 키와 해시가 맞지 않습니다")
            case .runbookMissing(let id):
                return l.choose(english: problem.englishSentence, korean: "장애 \(id)의 런북 텍스트가 데이터베이스에서 사라졌습니다: 삭제되었습니다")
            case .eventsWithoutIncident(let id):
                return l.choose(english: problem.englishSentence, korean: "장애 \(id)은(는) 이벤트는 있지만 장애 행이 없습니다: 모든 화면에서 지워졌습니다")
            case .numberWithoutIncident(let id):
                return l.choose(english: problem.englishSentence, korean: "장애 \(id)은(는) 번호가 발급되었지만 데이터베이스에 없습니다: 삭제되었습니다")
            case .counterBehind(let prefix, let counter, let highest):
                return l.choose(english: problem.englishSentence,
                                korean: "\(prefix)의 ID 카운터는 \(counter)이지만 번호 \(highest)의 장애가 있습니다: 카운터가 수정되어 그곳에서 새로 여는 장애를 기록할 수 없습니다")
            case .guardMissing(let name):
                return l.choose(english: problem.englishSentence, korean: "추가 전용 보호 장치 \(name)이(가) 없습니다: 이벤트를 흔적 없이 고치거나 지울 수 있습니다")
            case .checkpoint(let checkpoint, let reason):
                return l.choose(english: problem.englishSentence, korean: "체크포인트 \(checkpoint.text)이(가) 맞지 않습니다: \(reason.text(in: l))")
            }
        case .integrityFinding(let brokenSince, let first, let more, let incident):
            let since = l.choose(english: brokenSince.map { "log broken since #\($0)" } ?? "log altered",
                                 korean: brokenSince.map { "#\($0)부터 로그 손상" } ?? "로그 변조됨")
            let others = more > 0 ? l.choose(english: " (and \(more) more; run `runbook verify \(incident)`)",
                                             korean: " (외 \(more)건; `runbook verify \(incident)`를 실행하십시오)") : ""
            return "\(since): \(first.sentence(in: l))\(others)"
        case .verifyIncidentGone(let incident):
            return l.choose(english: "incident \(incident) is not in the database any more: it was deleted",
                            korean: "장애 \(incident)이(가) 더 이상 데이터베이스에 없습니다: 삭제되었습니다")
        case .verifyCheckpointIncidentGone:
            return l.choose(english: "the log was altered outside runbook: an incident a checkpoint proves is gone",
                            korean: "runbook 밖에서 로그가 변경되었습니다: 체크포인트가 증명하는 장애가 사라졌습니다")
        case .verifyFailed(let failed, let count, let storeAltered):
            var what: [String] = []
            if failed > 0 {
                what.append(l.choose(english: "\(failed) of \(count) incident\(count == 1 ? "" : "s") failed verification",
                                     korean: "장애 \(count)건 중 \(failed)건이 검증에 실패했습니다"))
            }
            if storeAltered { what.append(l.choose(english: "the database itself was altered", korean: "데이터베이스 자체가 변경되었습니다")) }
            return what.joined(separator: l.choose(english: " and ", korean: ", 그리고 "))
                + l.choose(english: "; the log was altered outside runbook (actions still work; every view shows where the log breaks)",
                           korean: ". runbook 밖에서 로그가 변경되었습니다 (작업은 계속할 수 있고, 모든 화면이 로그가 끊긴 곳을 보여 줍니다)")

        // Errors a responder meets
        case .unknownIncident(let id, let nearest):
            return l.choose(english: "no incident \(id) in this database; \(nearest.map { "did you mean \($0)? " } ?? "")"
                                + "run `runbook status` to list the open incidents",
                            korean: "이 데이터베이스에 장애 \(id)이(가) 없습니다. \(nearest.map { "\($0)을(를) 뜻했나요? " } ?? "")"
                                + "진행 중인 장애는 `runbook status`로 볼 수 있습니다")
        case .ambiguousIncident(let text, let matches):
            let shown = list(Array(matches.prefix(3))) + (matches.count > 3 ? ", …" : "")
            return l.choose(english: "`\(text)` could be \(matches.count) incidents (\(shown)); give more of the id",
                            korean: "`\(text)`에 해당하는 장애가 \(matches.count)건입니다 (\(shown)). id를 더 길게 적으십시오")
        case .calendarUnreadable(let problem):
            return l.choose(english: "calendar.yaml could not be read, so this incident started without maintenance windows (no page is held, "
                                + "no `window:` stage opens): \(problem); fix it and run `runbook lint`",
                            korean: "calendar.yaml을 읽을 수 없어 이 장애는 정기 점검 시간 없이 시작되었습니다 (호출이 보류되지 않고, `window:` 단계가 열리지 않음): "
                                + "\(problem). 고친 뒤 `runbook lint`를 실행하십시오")
        case .inputIsTheWayOut(let step, let state, let choices):
            return l.choose(english: "step `\(step)` decides where stage `\(state)` goes next, and the stage has no other way out; choose one of "
                                + "\(choices.joined(separator: ", ")) instead of skipping it",
                            korean: "`\(step)` 작업이 `\(state)` 단계의 다음 단계를 정하며 다른 출구가 없습니다. 건너뛰지 말고 "
                                + "\(choices.joined(separator: ", ")) 중 하나를 고르십시오")
        case .callStillOpen(let child, let step):
            return l.choose(english: "\(child) is still open for step \(step); see it with `runbook status \(child)`, or skip the step with a note",
                            korean: "\(child)이(가) \(step) 작업을 위해 아직 진행 중입니다. `runbook status \(child)`로 확인하거나, 메모를 남기고 작업을 건너뛰십시오")
        case .callNeedsNote(let incident, let step, let runbook, let mark):
            return l.choose(english: "step `\(step)` calls runbook \(runbook) and is done when that incident resolves; start it with "
                                + "`runbook run \(incident) \(step)`, or say with --note how it was handled to mark it \(mark.pastTense)",
                            korean: "`\(step)` 작업은 런북 \(runbook)을(를) 호출하며 그 장애가 해결되면 완료됩니다. `runbook run \(incident) \(step)`로 "
                                + "시작하거나, \(mark.pastTense) 처리하려면 --note로 어떻게 처리했는지 적으십시오")
        case .callVariableMissing(let step, let name, let variable):
            return l.choose(english: "step `\(step)` passes \(name)=$\(variable), but no input recorded \(variable) yet; record that input first",
                            korean: "`\(step)` 작업은 \(name)=$\(variable)을(를) 넘기지만 \(variable) 입력이 아직 기록되지 않았습니다. 그 입력을 먼저 기록하십시오")
        case .eventCallStarted(let step, let child, let runbook):
            return l.choose(english: "step `\(step)` started \(child) (\(runbook))", korean: "`\(step)` 작업이 \(child) (\(runbook))을(를) 시작함")
        case .eventCallFinished(let step, let child, let resolved):
            return resolved
                ? l.choose(english: "\(child) of step `\(step)` resolved", korean: "`\(step)` 작업의 \(child) 해결됨")
                : l.choose(english: "\(child) of step `\(step)` was closed without being resolved",
                           korean: "`\(step)` 작업의 \(child)이(가) 해결되지 않은 채 종료됨")
        case .callStarted(let child, let runbook, let step):
            return l.choose(english: "started \(child) (\(runbook)) for step \(step)", korean: "\(step) 작업을 위해 \(child) (\(runbook)) 시작함")
        case .callStepDetail(let runbook, let child, let result):
            let calls = l.choose(english: "calls \(runbook)", korean: "\(runbook) 호출")
            guard let child else { return calls }
            return calls + ": \(child)" + (result.map { " (\(Self.callResult($0, in: l)))" } ?? "")
        case .callPrompt(let runbook):
            return l.choose(english: "Start an incident of runbook \(runbook)? [y/N] ", korean: "런북 \(runbook)의 장애를 시작할까요? [y/N] ")
        case .calledBy(let incident, let step):
            return l.choose(english: "called by \(incident) step \(step)", korean: "\(incident)의 \(step) 작업이 호출함")
        case .calledByUnlinked(let incident, let step):
            return l.choose(english: "called by \(incident) step \(step), which did not record it: \(incident) does not wait for this incident",
                            korean: "\(incident)의 \(step) 작업이 호출했으나 그 장애에 기록되지 않음: \(incident)는 이 장애를 기다리지 않음")
        case .linkedIncidents:
            return l.choose(english: "Linked incidents", korean: "연결된 장애")
        case .linkedParent(let incident, let step):
            return l.choose(english: "Called by \(incident), step `\(step)`", korean: "\(incident)의 `\(step)` 작업이 호출함")
        case .linkedChild(let child, let runbook, let step, let result):
            return l.choose(english: "Step `\(step)` called \(child) (\(runbook)): \(Self.callResult(result, in: l))",
                            korean: "`\(step)` 작업이 \(child) (\(runbook))을(를) 호출함: \(Self.callResult(result, in: l))")
        case .unknownRunbook(let id, let directory, let nearest):
            return l.choose(english: "no runbook `\(id)` in \(directory); \(nearest.map { "did you mean `\($0)`? " } ?? "")run `runbook list` to see them",
                            korean: "\(directory)에 런북 `\(id)`이(가) 없습니다. \(nearest.map { "`\($0)`을(를) 뜻했나요? " } ?? "")"
                                + "`runbook list`로 목록을 볼 수 있습니다")
        case .runbooksFolderUnreadable(let directory):
            return l.choose(english: "cannot read the runbooks folder \(directory); pass --runbooks DIR or set RUNBOOK_PATH",
                            korean: "런북 폴더 \(directory)을(를) 읽을 수 없습니다. --runbooks DIR을 주거나 RUNBOOK_PATH를 설정하십시오")
        case .noDatabase(let path):
            return l.choose(english: "no database at \(path); check --db or RUNBOOK_DB (only `runbook start`, `drill` and `watch` create one)",
                            korean: "\(path)에 데이터베이스가 없습니다. --db 또는 RUNBOOK_DB를 확인하십시오 "
                                + "(`runbook start`, `drill`, `watch`만 새로 만듭니다)")
        case .notATime(let flag, let text):
            return l.choose(english: "\(flag) \(text) is not a time; use 10:42, \"2026-11-26 10:42\" or 2026-11-26T10:42:00+09:00",
                            korean: "\(flag) \(text)은(는) 시각이 아닙니다. 10:42, \"2026-11-26 10:42\" 또는 2026-11-26T10:42:00+09:00 형식을 쓰십시오")
        case .timeInFuture(let flag, let text, let now):
            return l.choose(english: "\(flag) \(text) is in the future (now is \(now)); \(flag) records when something already happened",
                            korean: "\(flag) \(text)은(는) 미래 시각입니다 (지금 \(now)). \(flag)는 이미 일어난 일의 시각을 기록합니다")
        case .nowNotISO(let text):
            return l.choose(english: "RUNBOOK_NOW=\(text) is not an ISO-8601 time like 2026-11-26T10:42:00Z",
                            korean: "RUNBOOK_NOW=\(text)은(는) 2026-11-26T10:42:00Z 같은 ISO-8601 시각이 아닙니다")
        case .nowAhead(let text, let now):
            return l.choose(english: "RUNBOOK_NOW=\(text) is ahead of the real clock (now is \(now)); "
                                + "it may only fix a time in the past, up to a minute ahead (a drill runs on its own clock)",
                            korean: "RUNBOOK_NOW=\(text)은(는) 실제 시계보다 앞섭니다 (지금 \(now)). "
                                + "과거 시각이나 최대 1분 뒤까지만 지정할 수 있습니다 (훈련은 자체 시계로 진행됩니다)")
        case .nowBeforeLastEvent(let now, let incident, let last):
            return l.choose(english: "the time now (\(now)) is earlier than incident \(incident)'s last event (\(last)); unset RUNBOOK_NOW or set it later",
                            korean: "지금 시각(\(now))이 장애 \(incident)의 마지막 이벤트(\(last))보다 이릅니다. "
                                + "RUNBOOK_NOW를 해제하거나 더 늦은 시각으로 설정하십시오")
        case .reportOntoDatabase(let output, let database, let suggestion):
            return l.choose(english: "-o \(output) is the incident database (\(database)); writing the report there would "
                                + "destroy the log: choose another file, e.g. -o \(suggestion)",
                            korean: "-o \(output)은(는) 장애 데이터베이스(\(database))입니다. 거기에 보고서를 쓰면 로그가 "
                                + "파괴됩니다: 다른 파일을 고르십시오 (예: -o \(suggestion))")
        case .reportExists(let output):
            return l.choose(english: "\(output) exists; add --force to replace it, or choose another file",
                            korean: "\(output)이(가) 이미 있습니다. 덮어쓰려면 --force를 붙이거나 다른 파일을 고르십시오")
        case .cannotRead(let path, let reason):
            return l.choose(english: "cannot read \(path): \(reason)", korean: "\(path)을(를) 읽을 수 없습니다: \(reason)")
        case .cannotWrite(let path, let reason):
            return l.choose(english: "cannot write \(path): \(reason)", korean: "\(path)에 쓸 수 없습니다: \(reason)")
        case .diskFull(let path):
            return l.choose(english: "cannot write \(path): the disk is full; free some space and try again",
                            korean: "\(path)에 쓸 수 없습니다: 디스크가 가득 찼습니다. 공간을 비운 뒤 다시 시도하십시오")
        case .notUTF8(let path):
            return l.choose(english: "\(path) is not UTF-8 text; save it as UTF-8", korean: "\(path)은(는) UTF-8 텍스트가 아닙니다. UTF-8로 저장하십시오")
        case .incidentChanged(let id):
            return l.choose(english: "incident \(id) changed while recording; try again", korean: "기록하는 동안 장애 \(id)이(가) 바뀌었습니다. 다시 시도하십시오")
        case .databaseNotRunbook(let path, let detail):
            return l.choose(english: "\(path) is not a runbook database (\(detail)); restore it from a backup or point --db at another file",
                            korean: "\(path)은(는) runbook 데이터베이스가 아닙니다 (\(detail)). 백업에서 복구하거나 --db로 다른 파일을 지정하십시오")
        case .databaseOfAnotherProgram(let path):
            return l.choose(english: "\(path) is not a runbook database (it is a SQLite database of another program); point --db at another file",
                            korean: "\(path)은(는) runbook 데이터베이스가 아닙니다 (다른 프로그램의 SQLite 데이터베이스입니다). --db로 다른 파일을 지정하십시오")
        case .databaseDamaged(let path, let detail):
            return l.choose(english: "\(path) is damaged (\(detail)); restore it from a backup or point --db at another file",
                            korean: "\(path)이(가) 손상되었습니다 (\(detail)). 백업에서 복구하거나 --db로 다른 파일을 지정하십시오")
        case .databaseNewer(let path, let migration):
            return l.choose(english: "\(path) was written by a newer version of runbook (unknown schema migration \"\(migration)\"); "
                                + "upgrade runbook or point --db at another file",
                            korean: "\(path)은(는) 더 새로운 버전의 runbook이 썼습니다 (알 수 없는 스키마 마이그레이션 \"\(migration)\"). "
                                + "runbook을 업그레이드하거나 --db로 다른 파일을 지정하십시오")
        case .databaseLocked(let path, let seconds, let detail):
            return l.choose(english: "\(path) stayed locked by another runbook process for \(seconds) s (\(detail)); try again",
                            korean: "다른 runbook 프로세스가 \(path)을(를) \(seconds)초 동안 잠그고 있었습니다 (\(detail)). 다시 시도하십시오")
        case .databaseCannotOpen(let path, let detail):
            return l.choose(english: "cannot open \(path) (\(detail)); check that its directory exists and that you may write there",
                            korean: "\(path)을(를) 열 수 없습니다 (\(detail)). 폴더가 있는지, 그곳에 쓸 권한이 있는지 확인하십시오")
        case .databaseNotWritable(let path, let detail):
            return l.choose(english: "cannot write \(path) (\(detail)); check the permissions of the file and its directory",
                            korean: "\(path)에 쓸 수 없습니다 (\(detail)). 파일과 폴더의 권한을 확인하십시오")
        case .databaseDiskFull(let path, let detail):
            return l.choose(english: "cannot write \(path): the disk is full (\(detail)); free some space and try again",
                            korean: "\(path)에 쓸 수 없습니다: 디스크가 가득 찼습니다 (\(detail)). 공간을 비운 뒤 다시 시도하십시오")
        }
    }

    /// A finding in one sentence.
    static func findingText(_ kind: Finding.Kind, in l: Language) -> String {
        switch kind {
        case .otherRunbooksDirectory(let directory, let configured, let reload):
            return l.choose(english: "\(reload ? "roster reloaded" : "incident started") from \(directory), "
                                + "not the team's configured runbooks directory \(configured)",
                            korean: "\(directory)에서 \(reload ? "당직 명단을 다시 불러옴" : "장애를 시작함"), "
                                + "팀에 설정된 런북 폴더 \(configured)이(가) 아님")
        case .approvalIdentityNotBound(let by, let step, let login):
            return l.choose(english: "approved by \(by), identity not bound (step `\(step)`" + (login.map { ", login \($0)" } ?? "") + ")",
                            korean: "\(by) 님이 승인함, 신원이 로그인에 연결되지 않음 (`\(step)` 작업"
                                + (login.map { ", 로그인 \($0)" } ?? "") + ")")
        case .approvalFromOtherLogin(let by, let step, let login):
            return l.choose(english: "approved by \(by) from login \(login ?? "unknown"), not one of \(by)'s logins (step `\(step)`)",
                            korean: "\(by) 님이 로그인 \(login ?? "알 수 없음")에서 승인함, \(by) 님의 로그인이 아님 (`\(step)` 작업)")
        case .approvalOverridden(let by, let step, let role, let reason):
            return l.choose(english: "\(by) broke the glass: approval `\(step)` overridden without \(role): \(reason)",
                            korean: "\(by) 님이 긴급 우회함: \(role) 역할 없이 `\(step)` 승인을 처리: \(reason)")
        case .failedCheckPassedOver(let by, let step, let state, let skipped, let failure, let note):
            return l.choose(english: "failed check `\(step)` in resolving stage `\(state)` \(skipped ? "skipped" : "marked done by hand") by \(by)"
                                + (failure.map { " after it failed (\($0))" } ?? " after it failed") + (note.map { ": \($0)" } ?? ""),
                            korean: "해결 단계 `\(state)`에서 실패한 점검 `\(step)`을(를) "
                                + (failure.map { "실패(\($0)) 뒤에 " } ?? "실패 뒤에 ")
                                + "\(by) 님이 \(skipped ? "건너뜀" : "직접 완료 처리함")" + (note.map { ": \($0)" } ?? ""))
        case .correction(let by, let step, let note):
            return l.choose(english: "\(by) undid the mark on step `\(step)`: \(note)",
                            korean: "\(by) 님이 `\(step)` 작업의 처리를 되돌림: \(note)")
        case .reopened(let by, let reason):
            return l.choose(english: "reopened by \(by): \(reason)", korean: "\(by) 님이 다시 엶: \(reason)")
        case .approvalSkipped(let by, let step, let role, let note):
            return l.choose(english: "approval `\(step)` skipped by \(by) (as \(role)): the gate opened without it" + (note.map { ": \($0)" } ?? ""),
                            korean: "\(by) 님이 (\(role) 역할로) `\(step)` 승인을 건너뜀: 승인 없이 다음 작업이 열림" + (note.map { ": \($0)" } ?? ""))
        case .deadlineMissed(let state, let step, let deadline):
            if let step {
                return l.choose(english: "step `\(step)` ran past its \(deadline) timeout (stage `\(state)`)",
                                korean: "`\(step)` 작업이 제한 시간 \(deadline)을 넘김 (`\(state)` 단계)")
            }
            return l.choose(english: "stage `\(state)` missed its \(deadline) deadline", korean: "`\(state)` 단계가 기한 \(deadline)을 넘김")
        case .pageUnacknowledged(let tier, let round, let roles, let nextTierPaged):
            let again = round > 1 ? l.choose(english: " (round \(round))", korean: " (\(round)회차)") : ""
            return l.choose(english: "tier \(tier)\(again) page to \(roles.joined(separator: ", ")) was not acknowledged"
                                + (nextTierPaged ? "; the next tier was paged" : ""),
                            korean: "\(roles.joined(separator: ", "))에게 간 \(tier)차\(again) 호출을 아무도 확인하지 않음"
                                + (nextTierPaged ? ". 다음 단계로 호출함" : ""))
        case .commandCouldNotRun(let by, let step, let verdict):
            return l.choose(english: "command `\(step)` run by \(by) \(verdict.summary(in: l))",
                            korean: "\(by) 님이 실행한 `\(step)` 명령: \(verdict.summary(in: l))")
        }
    }

    /// "운영 매니저 (manager): choi, kim", or who holds it when nobody does.
    static func holderList(_ holders: [String], _ role: RoleRef, in language: Language) -> String {
        holders.isEmpty
            ? language.choose(english: "holders of \(role.name) (nobody in the roster holds it)",
                              korean: "\(role.name) 역할을 가진 사람 (당직 명단에 아무도 없음)")
            : "\(role.name): \(holders.joined(separator: ", "))"
    }
}

extension Message.Verb {
    /// "mark step `x` done", as in "cannot mark step `x` done: …".
    var english: String {
        switch self {
        case .mark(let step, let mark): "mark step `\(step)` \(mark.pastTense)"
        case .recordInput(let step): "record input for step `\(step)`"
        case .recordValue(let step): "record a value for step `\(step)`"
        case .approve(let step): "approve step `\(step)`"
        case .overrideApproval(let step): "override approval `\(step)`"
        case .run(let step): "run step `\(step)`"
        case .recordResult(let step): "record the result of step `\(step)`"
        case .undo(let step): "undo the mark on step `\(step)`"
        }
    }

    /// "`x` 작업을 완료 처리할", as in "… 수 없습니다".
    var korean: String {
        switch self {
        case .mark(let step, .done): "`\(step)` 작업을 완료 처리할"
        case .mark(let step, .skip): "`\(step)` 작업을 건너뛸"
        case .mark(let step, .fail): "`\(step)` 작업을 실패 처리할"
        case .recordInput(let step), .recordValue(let step): "`\(step)` 작업의 값을 기록할"
        case .approve(let step): "`\(step)` 작업을 승인할"
        case .overrideApproval(let step): "`\(step)` 승인을 긴급 우회할"
        case .run(let step): "`\(step)` 작업을 실행할"
        case .recordResult(let step): "`\(step)` 작업의 결과를 기록할"
        case .undo(let step): "`\(step)` 작업의 처리를 되돌릴"
        }
    }
}

extension Refusal.StepAction {
    /// "`x` 작업을 완료 처리할", as in "… 수 없습니다" (the Korean of `phrase`).
    func koreanPhrase(_ step: String) -> String {
        switch self {
        case .run: "`\(step)` 작업을 실행할"
        case .done: "`\(step)` 작업을 완료 처리할"
        case .skip: "`\(step)` 작업을 건너뛸"
        case .fail: "`\(step)` 작업을 실패 처리할"
        case .input: "`\(step)` 작업의 값을 기록할"
        case .approve: "`\(step)` 작업을 승인할"
        case .breakGlass: "`\(step)` 승인을 긴급 우회할"
        case .reloadRoster: "\(step)의 당직 명단을 다시 불러올"
        }
    }

    /// What is done to an approval, as in "`x` 승인을 내줄 수 있는 사람".
    var koreanApprovalVerb: String {
        switch self {
        case .approve: "내줄"
        case .skip: "건너뛸"
        case .fail: "실패 처리할"
        default: "처리할"
        }
    }
}

extension StepProgress.Status {
    /// "완료", as in "이미 완료 처리했습니다".
    var korean: String {
        switch self {
        case .pending: "대기"
        case .running: "실행"
        case .done: "완료"
        case .skipped: "건너뜀"
        case .failed: "실패"
        case .attemptFailed: "시도 실패"
        }
    }
}

extension Message {
    /// "open, stage restore", "resolved", "closed without being resolved".
    static func callResult(_ result: CallResult, in l: Language) -> String {
        switch result {
        case .open(let stage):
            l.choose(english: "open", korean: "진행 중") + (stage.map { l.choose(english: ", stage \($0)", korean: ", \($0) 단계") } ?? "")
        case .resolved:
            l.choose(english: "resolved", korean: "해결됨")
        case .closedUnresolved:
            l.choose(english: "closed without being resolved", korean: "해결되지 않은 채 종료됨")
        }
    }
}
