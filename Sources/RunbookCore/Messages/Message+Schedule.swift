extension Message {
    /// The words of routine checks and schedules (SPEC §3.2): refusals of a checklist, the watcher's lines about
    /// scheduled runs, `runbook schedule` and the grouping of `runbook list`.
    ///
    /// To add one: a case here, its texts in `text(in:)` and a sample in `samples` (the catalog test renders each).
    public enum ScheduleText: Sendable, Equatable {
        case label(ScheduleLabel)
        case checklistNotResolved(incident: String)
        case checklistHasNoSeverity(incident: String)
        case checklistStartedWithSeverity(runbook: String)
        /// A second start of a slot, refused by the store.
        case slotTaken(runbook: String, slot: String, incident: String?)
        /// The watcher started a scheduled run; `skipped` older missed slots were not replayed.
        case runStarted(incident: String, runbook: String, slot: String, late: Bool, skipped: Int)
        /// A runbook file with a schedule that does not load; its runs wait until it is fixed.
        case runbookSkipped(String)
        /// `watch --status`: "Next scheduled run: daily-check at 2026-11-27 09:00 (Asia/Seoul)."
        case nextScheduled(runbook: String, at: String, zone: String)
        /// `runbook schedule` when no long-lived watcher runs.
        case needsWatcher
        case noSchedules(directory: String)
        /// "in 3h 10m".
        case inDuration(String)
        /// "INC-… at 2026-11-27 09:00, late, closed".
        case lastRun(incident: String, slot: String, late: Bool, status: String)
        /// The review leaves routine check runs out of its figures.
        case checklistRunsExcluded(Int)

        public func text(in l: Language) -> String {
            switch self {
            case .label(let label):
                return label.text(in: l)
            case .checklistNotResolved(let incident):
                return l.choose(english: "\(incident) is a checklist run: it is not resolved; it closes when its last check is done "
                                    + "(mark the remaining steps done or skipped)",
                                korean: "\(incident)은(는) 점검 실행입니다: 해결 처리하지 않습니다. 마지막 점검이 끝나면 닫힙니다 "
                                    + "(남은 작업을 완료하거나 건너뛰십시오)")
            case .checklistHasNoSeverity(let incident):
                return l.choose(english: "\(incident) is a checklist run: a routine check has no severity; if it found a problem, start an incident runbook",
                                korean: "\(incident)은(는) 점검 실행입니다: 정기 점검에는 심각도가 없습니다. 문제를 찾았다면 장애 런북을 시작하십시오")
            case .checklistStartedWithSeverity(let runbook):
                return l.choose(english: "\(runbook) is a checklist: a routine check has no severity; start it without --severity",
                                korean: "\(runbook)은(는) 점검 런북입니다: 정기 점검에는 심각도가 없습니다. --severity 없이 시작하십시오")
            case .slotTaken(let runbook, let slot, let incident):
                return l.choose(english: "the scheduled run of \(runbook) at \(slot) was already started" + (incident.map { " (\($0))" } ?? ""),
                                korean: "\(runbook)의 \(slot) 예약 실행은 이미 시작되었습니다" + (incident.map { " (\($0))" } ?? ""))
            case .runStarted(let incident, let runbook, let slot, let late, let skipped):
                let englishSkipped = skipped == 0 ? "" : "; \(skipped) older missed run\(skipped == 1 ? " was" : "s were") skipped, not replayed"
                let koreanSkipped = skipped == 0 ? "" : ". 놓친 이전 실행 \(skipped)건은 건너뛰었습니다 (다시 실행하지 않음)"
                return l.choose(english: "started \(incident): scheduled run of \(runbook) for \(slot)\(late ? ", late" : "")\(englishSkipped)",
                                korean: "\(incident) 시작: \(runbook)의 \(slot) 예약 실행\(late ? " (늦게 시작)" : "")\(koreanSkipped)")
            case .runbookSkipped(let problem):
                return l.choose(english: "scheduled runs of an invalid runbook wait until it is fixed: \(problem)",
                                korean: "잘못된 런북의 예약 실행은 고쳐질 때까지 기다립니다: \(problem)")
            case .nextScheduled(let runbook, let at, let zone):
                return l.choose(english: "Next scheduled run: \(runbook) at \(at) (\(zone)).", korean: "다음 예약 실행: \(runbook), \(at) (\(zone)).")
            case .needsWatcher:
                return l.choose(english: "No `runbook watch` runs as a service on this database: scheduled runs start only while `runbook watch` runs "
                                    + "(run it as a service, e.g. `runbook watch` under systemd; see README).",
                                korean: "이 데이터베이스에서 서비스로 실행 중인 `runbook watch`가 없습니다: 예약 실행은 `runbook watch`가 실행 중일 때만 "
                                    + "시작됩니다 (서비스로 실행하십시오. 예: systemd에서 `runbook watch`, README 참고).")
            case .noSchedules(let directory):
                return l.choose(english: "No runbook in \(directory) has a schedule; add `schedule: \"daily at 09:00\"` to one.",
                                korean: "\(directory)의 어떤 런북에도 일정이 없습니다. 런북에 `schedule: \"daily at 09:00\"`을 추가하십시오.")
            case .inDuration(let duration):
                return l.choose(english: "in \(duration)", korean: "\(duration) 후")
            case .checklistRunsExcluded(let count):
                return l.choose(english: "\(count) routine check run\(count == 1 ? "" : "s") (kind: checklist) in this period, not counted as incidents.",
                                korean: "이 기간의 정기 점검 실행 \(count)건(kind: checklist)은 장애로 세지 않았습니다.")
            case .lastRun(let incident, let slot, let late, let status):
                return l.choose(english: "\(incident) at \(slot)\(late ? ", late" : ""), \(status)",
                                korean: "\(incident), \(slot)\(late ? ", 늦게 시작" : ""), \(Message.incidentStatus(status).text(in: l))")
            }
        }

        /// One sample of every case, for the catalog test.
        static var samples: [ScheduleText] {
            ScheduleLabel.allCases.map { .label($0) }
                + [.checklistNotResolved(incident: "INC-1"), .checklistHasNoSeverity(incident: "INC-1"),
                   .checklistStartedWithSeverity(runbook: "daily-check"),
                   .slotTaken(runbook: "daily-check", slot: "2026-11-27 09:00", incident: "INC-1"),
                   .slotTaken(runbook: "daily-check", slot: "2026-11-27 09:00", incident: nil),
                   .runStarted(incident: "INC-1", runbook: "daily-check", slot: "2026-11-27 09:00", late: false, skipped: 0),
                   .runStarted(incident: "INC-1", runbook: "daily-check", slot: "2026-11-27 09:00", late: true, skipped: 3),
                   .runbookSkipped("runbooks/daily-check.yaml:3:11: error: schedule: unknown schedule"),
                   .nextScheduled(runbook: "daily-check", at: "2026-11-27 09:00", zone: "Asia/Seoul"),
                   .needsWatcher, .noSchedules(directory: "runbooks"), .inDuration("3h 10m"),
                   .lastRun(incident: "INC-1", slot: "2026-11-27 09:00", late: true, status: "closed"),
                   .checklistRunsExcluded(1), .checklistRunsExcluded(12)]
        }
    }

    /// Headings and words of the schedule views.
    public enum ScheduleLabel: Sendable, Equatable, CaseIterable {
        case incidentRunbooks, routineChecks, schedule, timeZone, nextRun, lastRun, noRunsYet, checklist, runbook, runRecord

        public func text(in l: Language) -> String {
            switch self {
            case .incidentRunbooks: l.choose(english: "Incident runbooks", korean: "장애 런북")
            case .routineChecks: l.choose(english: "Routine checks", korean: "정기 점검")
            case .schedule: l.choose(english: "SCHEDULE", korean: "일정")
            case .timeZone: l.choose(english: "TIME ZONE", korean: "시간대")
            case .nextRun: l.choose(english: "NEXT RUN", korean: "다음 실행")
            case .lastRun: l.choose(english: "LAST RUN", korean: "마지막 실행")
            case .noRunsYet: l.choose(english: "no runs yet", korean: "아직 실행 없음")
            case .checklist: l.choose(english: "checklist", korean: "점검")
            case .runbook: l.choose(english: "RUNBOOK", korean: "런북")
            case .runRecord: l.choose(english: "Checklist run record", korean: "점검 실행 기록")
            }
        }
    }
}
