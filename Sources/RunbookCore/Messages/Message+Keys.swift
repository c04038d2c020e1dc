extension Message {
    /// Every key of the catalog, one per case, for the test that renders each in both languages.
    public enum Key: Sendable, CaseIterable {
        case refusedBlocked
        case refusedDestructive
        case refusedNotRoleHolder
        case refusedIdentityNotProven
        case refusedBreakGlassNeedsReason
        case refusedNotOnRoster
        case refusedNoteRequired
        case refusedCommandStillRunning
        case refusedRosterUnchanged
        case refusedOutsideWindow
        case unknownSeverity
        case emptyNote
        case nothingToAcknowledge
        case alreadyResolved
        case noEscalationTiers
        case everyTierPaged
        case notOnIncidentRoster
        case rosterFromOtherFolder
        case alreadySeverity
        case stepNeedsApproval
        case alreadyFailed
        case stepAsksForValue
        case stepIsCommand
        case stepWaits
        case wrongStepKind
        case emptyValue
        case notAChoice
        case alreadyApproved
        case alreadyRunning
        case alreadyFinished
        case notRunning
        case runReplaced
        case incidentClosed
        case undefinedState
        case noStepInState
        case stateLeft
        case otherState
        case stepRunning
        case alreadyMarked
        case eventOpened
        case eventStageEntered
        case eventStageCompleted
        case eventStepStarted
        case eventStepDone
        case eventStepSkipped
        case eventStepFailed
        case eventAttemptFailed
        case eventCommandStarted
        case eventCommandFinished
        case eventInput
        case eventApproved
        case eventApprovalRefused
        case eventApprovalOverridden
        case eventNote
        case eventAcknowledged
        case eventSeverityChanged
        case eventResolved
        case eventClosed
        case undoNeedsNote
        case undoApproval
        case undoWait
        case nothingToUndo
        case undoRunning
        case undoFailedRun
        case reopenNeedsReason
        case nothingToReopen
        case notADrill
        case drillClockForwardOnly
        case occurredBeforeOpening
        case eventStepUndone
        case eventReopened
        case eventDrillClockAdvanced
        case eventMissedStageDeadline
        case eventMissedStepTimeout
        case eventEscalationStarted
        case escalationCause
        case escalatedByPerson
        case eventPagedAtOnce
        case eventPaged
        case eventNotified
        case eventNotifyFailed
        case eventReportWritten
        case eventRoster
        case eventCalendar
        case onDutyLine
        case nobodyOnDuty
        case overrideInForce
        case noRotations
        case eventPageHeld
        case waitsForWindow
        case pagedOnDuty
        case countdownLeft
        case countdownOverdue
        case recordedOnBehalf
        case recordedAt
        case notificationTier
        case notificationDrill
        case notificationLabel
        case notificationPaged
        case timelinePicture
        case heading
        case incidentStatus
        case drillMark
        case logBrokenSince
        case logAltered
        case noIncidents
        case noOpenIncidents
        case noRunbooks
        case statsLabel
        case statsWindow
        case statsChartCaption
        case statsTier
        case statsRate
        case statsNoIncidents
        case finding
        case report
        case schedule
        case server
        case web
        case team
        case detectedAfterOpening
        case impactAfterDetection
        case watcherOtherRunning
        case watcherStopping
        case watcherLostLock
        case watcherWatching
        case watcherIdleStops
        case watchStatusNone
        case watchStatusRunning
        case watchNextDue
        case backgroundWatcherStarted
        case backgroundWatcherFailed
        case actorNotInRoster
        case watchDeliversPages
        case pagesDeferred
        case drillStarted
        case outputAttempt
        case outputHint
        case outputNone
        case commandExpectation
        case outputStream
        case runFailedWaits
        case verifyIntact
        case verifyHeld
        case verifySignatureNotChecked
        case verifyIncidentGone
        case integrityReason
        case integrityProblem
        case integrityFinding
        case verifyCheckpointIncidentGone
        case verifyFailed
        case unknownIncident
        case ambiguousIncident
        case callStillOpen
        case calendarUnreadable
        case inputIsTheWayOut
        case callNeedsNote
        case callVariableMissing
        case eventCallStarted
        case eventCallFinished
        case callStarted
        case callStepDetail
        case callPrompt
        case calledBy
        case calledByUnlinked
        case linkedIncidents
        case linkedParent
        case linkedChild
        case unknownRunbook
        case runbooksFolderUnreadable
        case noDatabase
        case notATime
        case timeInFuture
        case nowNotISO
        case nowAhead
        case nowBeforeLastEvent
        case reportOntoDatabase
        case reportExists
        case cannotRead
        case cannotWrite
        case diskFull
        case notUTF8
        case incidentChanged
        case databaseNotRunbook
        case databaseOfAnotherProgram
        case databaseDamaged
        case databaseNewer
        case databaseLocked
        case databaseCannotOpen
        case databaseNotWritable
        case databaseDiskFull
    }

    /// The key of this message.
    public var key: Key {
        switch self {
        case .refusedBlocked: .refusedBlocked
        case .refusedDestructive: .refusedDestructive
        case .refusedNotRoleHolder: .refusedNotRoleHolder
        case .refusedIdentityNotProven: .refusedIdentityNotProven
        case .refusedBreakGlassNeedsReason: .refusedBreakGlassNeedsReason
        case .refusedNotOnRoster: .refusedNotOnRoster
        case .refusedNoteRequired: .refusedNoteRequired
        case .refusedCommandStillRunning: .refusedCommandStillRunning
        case .refusedRosterUnchanged: .refusedRosterUnchanged
        case .refusedOutsideWindow: .refusedOutsideWindow
        case .eventCalendar: .eventCalendar
        case .onDutyLine: .onDutyLine
        case .nobodyOnDuty: .nobodyOnDuty
        case .overrideInForce: .overrideInForce
        case .noRotations: .noRotations
        case .eventPageHeld: .eventPageHeld
        case .waitsForWindow: .waitsForWindow
        case .pagedOnDuty: .pagedOnDuty
        case .unknownSeverity: .unknownSeverity
        case .emptyNote: .emptyNote
        case .nothingToAcknowledge: .nothingToAcknowledge
        case .alreadyResolved: .alreadyResolved
        case .noEscalationTiers: .noEscalationTiers
        case .everyTierPaged: .everyTierPaged
        case .notOnIncidentRoster: .notOnIncidentRoster
        case .rosterFromOtherFolder: .rosterFromOtherFolder
        case .alreadySeverity: .alreadySeverity
        case .stepNeedsApproval: .stepNeedsApproval
        case .alreadyFailed: .alreadyFailed
        case .stepAsksForValue: .stepAsksForValue
        case .stepIsCommand: .stepIsCommand
        case .stepWaits: .stepWaits
        case .wrongStepKind: .wrongStepKind
        case .emptyValue: .emptyValue
        case .notAChoice: .notAChoice
        case .alreadyApproved: .alreadyApproved
        case .alreadyRunning: .alreadyRunning
        case .alreadyFinished: .alreadyFinished
        case .notRunning: .notRunning
        case .runReplaced: .runReplaced
        case .incidentClosed: .incidentClosed
        case .undefinedState: .undefinedState
        case .noStepInState: .noStepInState
        case .stateLeft: .stateLeft
        case .otherState: .otherState
        case .stepRunning: .stepRunning
        case .alreadyMarked: .alreadyMarked
        case .eventOpened: .eventOpened
        case .eventStageEntered: .eventStageEntered
        case .eventStageCompleted: .eventStageCompleted
        case .eventStepStarted: .eventStepStarted
        case .eventStepDone: .eventStepDone
        case .eventStepSkipped: .eventStepSkipped
        case .eventStepFailed: .eventStepFailed
        case .eventAttemptFailed: .eventAttemptFailed
        case .eventCommandStarted: .eventCommandStarted
        case .eventCommandFinished: .eventCommandFinished
        case .eventInput: .eventInput
        case .eventApproved: .eventApproved
        case .eventApprovalRefused: .eventApprovalRefused
        case .eventApprovalOverridden: .eventApprovalOverridden
        case .eventNote: .eventNote
        case .eventAcknowledged: .eventAcknowledged
        case .eventSeverityChanged: .eventSeverityChanged
        case .eventResolved: .eventResolved
        case .eventClosed: .eventClosed
        case .undoNeedsNote: .undoNeedsNote
        case .undoApproval: .undoApproval
        case .undoWait: .undoWait
        case .nothingToUndo: .nothingToUndo
        case .undoRunning: .undoRunning
        case .undoFailedRun: .undoFailedRun
        case .reopenNeedsReason: .reopenNeedsReason
        case .nothingToReopen: .nothingToReopen
        case .notADrill: .notADrill
        case .drillClockForwardOnly: .drillClockForwardOnly
        case .occurredBeforeOpening: .occurredBeforeOpening
        case .eventStepUndone: .eventStepUndone
        case .eventReopened: .eventReopened
        case .eventDrillClockAdvanced: .eventDrillClockAdvanced
        case .eventMissedStageDeadline: .eventMissedStageDeadline
        case .eventMissedStepTimeout: .eventMissedStepTimeout
        case .eventEscalationStarted: .eventEscalationStarted
        case .escalationCause: .escalationCause
        case .escalatedByPerson: .escalatedByPerson
        case .eventPagedAtOnce: .eventPagedAtOnce
        case .eventPaged: .eventPaged
        case .eventNotified: .eventNotified
        case .eventNotifyFailed: .eventNotifyFailed
        case .eventReportWritten: .eventReportWritten
        case .eventRoster: .eventRoster
        case .countdownLeft: .countdownLeft
        case .countdownOverdue: .countdownOverdue
        case .recordedOnBehalf: .recordedOnBehalf
        case .recordedAt: .recordedAt
        case .notificationTier: .notificationTier
        case .notificationDrill: .notificationDrill
        case .notificationLabel: .notificationLabel
        case .notificationPaged: .notificationPaged
        case .timelinePicture: .timelinePicture
        case .heading: .heading
        case .incidentStatus: .incidentStatus
        case .drillMark: .drillMark
        case .logBrokenSince: .logBrokenSince
        case .logAltered: .logAltered
        case .noIncidents: .noIncidents
        case .noOpenIncidents: .noOpenIncidents
        case .noRunbooks: .noRunbooks
        case .statsLabel: .statsLabel
        case .statsWindow: .statsWindow
        case .statsChartCaption: .statsChartCaption
        case .statsTier: .statsTier
        case .statsRate: .statsRate
        case .statsNoIncidents: .statsNoIncidents
        case .finding: .finding
        case .report: .report
        case .schedule: .schedule
        case .server: .server
        case .web: .web
        case .team: .team
        case .detectedAfterOpening: .detectedAfterOpening
        case .impactAfterDetection: .impactAfterDetection
        case .watcherOtherRunning: .watcherOtherRunning
        case .watcherStopping: .watcherStopping
        case .watcherLostLock: .watcherLostLock
        case .watcherWatching: .watcherWatching
        case .watcherIdleStops: .watcherIdleStops
        case .watchStatusNone: .watchStatusNone
        case .watchStatusRunning: .watchStatusRunning
        case .watchNextDue: .watchNextDue
        case .backgroundWatcherStarted: .backgroundWatcherStarted
        case .backgroundWatcherFailed: .backgroundWatcherFailed
        case .actorNotInRoster: .actorNotInRoster
        case .watchDeliversPages: .watchDeliversPages
        case .pagesDeferred: .pagesDeferred
        case .drillStarted: .drillStarted
        case .outputAttempt: .outputAttempt
        case .outputHint: .outputHint
        case .outputNone: .outputNone
        case .commandExpectation: .commandExpectation
        case .outputStream: .outputStream
        case .runFailedWaits: .runFailedWaits
        case .verifyIntact: .verifyIntact
        case .verifyHeld: .verifyHeld
        case .verifySignatureNotChecked: .verifySignatureNotChecked
        case .verifyIncidentGone: .verifyIncidentGone
        case .integrityReason: .integrityReason
        case .integrityProblem: .integrityProblem
        case .integrityFinding: .integrityFinding
        case .verifyCheckpointIncidentGone: .verifyCheckpointIncidentGone
        case .verifyFailed: .verifyFailed
        case .unknownIncident: .unknownIncident
        case .ambiguousIncident: .ambiguousIncident
        case .callStillOpen: .callStillOpen
        case .calendarUnreadable: .calendarUnreadable
        case .inputIsTheWayOut: .inputIsTheWayOut
        case .callNeedsNote: .callNeedsNote
        case .callVariableMissing: .callVariableMissing
        case .eventCallStarted: .eventCallStarted
        case .eventCallFinished: .eventCallFinished
        case .callStarted: .callStarted
        case .callStepDetail: .callStepDetail
        case .callPrompt: .callPrompt
        case .calledBy: .calledBy
        case .calledByUnlinked: .calledByUnlinked
        case .linkedIncidents: .linkedIncidents
        case .linkedParent: .linkedParent
        case .linkedChild: .linkedChild
        case .unknownRunbook: .unknownRunbook
        case .runbooksFolderUnreadable: .runbooksFolderUnreadable
        case .noDatabase: .noDatabase
        case .notATime: .notATime
        case .timeInFuture: .timeInFuture
        case .nowNotISO: .nowNotISO
        case .nowAhead: .nowAhead
        case .nowBeforeLastEvent: .nowBeforeLastEvent
        case .reportOntoDatabase: .reportOntoDatabase
        case .reportExists: .reportExists
        case .cannotRead: .cannotRead
        case .cannotWrite: .cannotWrite
        case .diskFull: .diskFull
        case .notUTF8: .notUTF8
        case .incidentChanged: .incidentChanged
        case .databaseNotRunbook: .databaseNotRunbook
        case .databaseOfAnotherProgram: .databaseOfAnotherProgram
        case .databaseDamaged: .databaseDamaged
        case .databaseNewer: .databaseNewer
        case .databaseLocked: .databaseLocked
        case .databaseCannotOpen: .databaseCannotOpen
        case .databaseNotWritable: .databaseNotWritable
        case .databaseDiskFull: .databaseDiskFull
        }
    }
}

extension Message {
    /// Sample messages of `key`: one per key, more where a key's text has variants (each heading, each
    /// reason a note is required), so a test can render every text of the catalog in both languages.
    public static func samples(_ key: Key) -> [Message] {
        let role = RoleRef(id: "manager", title: "Ops manager")
        let gate = Blocker(step: "approve-reset", reason: .approvalGate,
                           approval: ApprovalFacts(role: role, holders: ["choi"], given: 1, min: 2))
        switch key {
        case .refusedBlocked:
            return [.refusedBlocked(action: .done, step: "reset", waitingFor: [gate, Blocker(step: "check", reason: .needs),
                                                                             Blocker(step: "first", reason: .sequential)]),
                    .refusedBlocked(action: .run, step: "reset", waitingFor: [Blocker(step: "approve-reset", reason: .approvalGate,
                        approval: ApprovalFacts(role: role, holders: [], given: 0, min: 1))])]
        case .refusedDestructive: return [.refusedDestructive(incident: "INC-1", step: "wipe", command: "rm -rf /srv/cache")]
        case .refusedNotRoleHolder:
            return [.refusedNotRoleHolder(actor: "kim", action: .approve, step: "approve-reset", role: role, holders: ["choi"]),
                    .refusedNotRoleHolder(actor: "kim", action: .skip, step: "approve-reset", role: role, holders: [])]
        case .refusedIdentityNotProven:
            return [.refusedIdentityNotProven(actor: "choi", login: "kim", logins: ["choi"], action: .approve, step: "approve-reset"),
                    .refusedIdentityNotProven(actor: "choi", login: nil, logins: ["choi", "c2"], action: .reloadRoster, step: "INC-1")]
        case .refusedBreakGlassNeedsReason: return [.refusedBreakGlassNeedsReason(incident: "INC-1", step: "approve-reset")]
        case .refusedNotOnRoster: return [.refusedNotOnRoster(actor: "guest", step: "approve-reset")]
        case .refusedNoteRequired:
            return [.refusedNoteRequired(action: .done, step: "restart", because: .afterFailedAttempt(attempts: 2, failure: "exit 3")),
                    .refusedNoteRequired(action: .skip, step: "restart", because: .afterFailure(by: "kim", when: "10:42", note: "broken")),
                    .refusedNoteRequired(action: .fail, step: "restart", because: .pastAGate)]
        case .refusedCommandStillRunning:
            return [.refusedCommandStillRunning(incident: "INC-1", step: "restart", pid: 42, startTime: 1234, startedBy: "kim", startedAt: "10:42"),
                    .refusedCommandStillRunning(incident: "INC-1", step: "restart", pid: 42, startTime: nil, startedBy: "kim", startedAt: "10:42")]
        case .refusedRosterUnchanged: return [.refusedRosterUnchanged(incident: "INC-1", directory: "/srv/runbooks")]
        case .refusedOutsideWindow:
            let gate = WindowGate(stage: "production", window: "sunday-maintenance", label: "sunday-maintenance (정기 점검)",
                                  opens: "Sun 2026-11-29 02:00 KST", known: true)
            return [.refusedOutsideWindow(action: .run, step: "deploy", gate: gate),
                    .refusedOutsideWindow(action: .done, step: "check", gate: WindowGate(stage: "production", window: "gone", label: "gone",
                                                                                         opens: nil, known: false))]
        case .eventCalendar: return [.eventCalendar(windows: ["sunday-maintenance", "year-end-freeze"])]
        case .onDutyLine:
            return [.onDutyLine(role: "oncall", person: "lee", shift: "night", until: "Tue 2026-12-01 09:00 KST", next: "kim"),
                    .onDutyLine(role: "oncall", person: "choi", shift: nil, until: "Sat 2026-12-26 09:00 KST", next: nil)]
        case .nobodyOnDuty: return [.nobodyOnDuty(role: "oncall", holders: ["kim", "lee"]), .nobodyOnDuty(role: "oncall", holders: [])]
        case .overrideInForce:
            return [.overrideInForce(person: "choi", from: "Thu 2026-12-24 18:00 KST", to: "Sat 2026-12-26 09:00 KST", reason: "holiday cover")]
        case .noRotations: return [.noRotations(file: "runbooks/roster.yaml")]
        case .eventPageHeld: return [.eventPageHeld(tier: 2, window: "sunday-maintenance", until: "06:00")]
        case .waitsForWindow:
            return [.waitsForWindow(WindowGate(stage: "production", window: "sunday-maintenance", label: "sunday-maintenance (정기 점검)",
                                               opens: "Sun 2026-11-29 02:00 KST", known: true))]
        case .pagedOnDuty:
            return [.pagedOnDuty(role: "oncall", person: "lee", shift: "night", override: nil),
                    .pagedOnDuty(role: "oncall", person: "choi", shift: nil, override: "holiday cover")]
        case .unknownSeverity: return [.unknownSeverity("sev9", known: ["SEV1", "SEV2"])]
        case .emptyNote: return [.emptyNote]
        case .nothingToAcknowledge: return [.nothingToAcknowledge(incident: "INC-1", by: "kim", at: "10:42")]
        case .alreadyResolved: return [.alreadyResolved(incident: "INC-1", by: "kim", at: "10:42")]
        case .noEscalationTiers: return [.noEscalationTiers(runbook: "db-recovery")]
        case .everyTierPaged: return [.everyTierPaged(episode: 1, tiers: 3, rounds: 2)]
        case .notOnIncidentRoster: return [.notOnIncidentRoster(actor: "guest", incident: "INC-1")]
        case .rosterFromOtherFolder: return [.rosterFromOtherFolder(incident: "INC-1", current: "/a", proposed: "/b")]
        case .alreadySeverity: return [.alreadySeverity(incident: "INC-1", severity: "SEV2")]
        case .stepNeedsApproval: return [.stepNeedsApproval(incident: "INC-1", step: "approve-reset")]
        case .alreadyFailed: return [.alreadyFailed(step: "restart", by: "kim", at: "10:42", note: "broken")]
        case .stepAsksForValue: return [.stepAsksForValue(incident: "INC-1", step: "severity")]
        case .stepIsCommand: return [.stepIsCommand(incident: "INC-1", step: "restart")]
        case .stepWaits: return [.stepWaits(step: "settle", duration: "5m")]
        case .wrongStepKind: return [.wrongStepKind(step: "restart", expected: "input", actual: "command")]
        case .emptyValue: return [.emptyValue(step: "severity")]
        case .notAChoice: return [.notAChoice(value: "sev1", step: "severity", choices: ["SEV1", "SEV2"], nearest: "SEV1"),
                                  .notAChoice(value: "x", step: "severity", choices: ["SEV1", "SEV2"], nearest: nil)]
        case .alreadyApproved: return [.alreadyApproved(actor: "choi", step: "approve-reset", at: "10:42", min: 2)]
        case .alreadyRunning: return [.alreadyRunning(step: "restart", by: "kim", at: "10:42")]
        case .alreadyFinished: return [.alreadyFinished(step: "restart", status: .done, by: "kim", at: "10:42")]
        case .notRunning: return [.notRunning(step: "restart")]
        case .runReplaced: return [.runReplaced(step: "restart", pid: 41, laterPid: 42, by: "kim", at: "10:42")]
        case .incidentClosed: return [.incidentClosed(incident: "INC-1", by: "kim", at: "10:42")]
        case .undefinedState: return [.undefinedState(incident: "INC-1", state: "gone")]
        case .noStepInState:
            return [.noStepInState(verb: .mark(step: "rstart", .done), step: "rstart", state: "restore", nearest: "restart", steps: ["restart"]),
                    .noStepInState(verb: .recordInput(step: "x"), step: "x", state: "restore", nearest: nil, steps: ["restart", "check"])]
        case .stateLeft:
            return [.stateLeft(verb: .mark(step: "block", .skip), state: "isolate", at: "10:42", by: "kim", failedStep: "preserve",
                               completed: false, current: "restore"),
                    .stateLeft(verb: .approve(step: "ok"), state: "isolate", at: "10:42", by: "kim", failedStep: nil, completed: true,
                               current: "restore")]
        case .otherState: return [.otherState(verb: .run(step: "restart"), owner: "restore", current: "detect")]
        case .stepRunning: return [.stepRunning(verb: .recordValue(step: "x"), by: "kim", at: "10:42")]
        case .alreadyMarked:
            return [.alreadyMarked(verb: .mark(step: "block", .fail), status: .skipped, by: "kim", at: "10:42", note: "later"),
                    .alreadyMarked(verb: .overrideApproval(step: "ok"), status: .done, by: "kim", at: "10:42", note: nil),
                    .alreadyMarked(verb: .recordResult(step: "restart"), status: .attemptFailed, by: "kim", at: "10:42", note: nil)]
        case .eventOpened: return [.eventOpened(drill: true, speed: nil, runbook: "db-recovery", severity: "SEV1", title: "DB down"),
                                   .eventOpened(drill: true, speed: 60, runbook: "db-recovery", severity: "SEV1", title: "DB down"),
                                   .eventOpened(drill: false, speed: nil, runbook: "db-recovery", severity: "SEV1", title: "DB down"),
                                   .eventOpened(drill: false, speed: nil, runbook: "daily-check", severity: nil, title: "일일 점검 — 2026-11-27 09:00")]
        case .eventStageEntered:
            return [.eventStageEntered(stage: "`restore`", after: nil), .eventStageEntered(stage: "`restore`", after: .failure(in: "detect")),
                    .eventStageEntered(stage: "`restore`", after: .timeout(of: "detect")), .eventStageEntered(stage: "`restore`", after: .choice(in: "detect")),
                    .eventStageEntered(stage: "`restore`", after: .reopened)]
        case .eventStageCompleted: return [.eventStageCompleted(stage: "`restore`")]
        case .eventStepStarted: return [.eventStepStarted(step: "`settle`")]
        case .eventStepDone: return [.eventStepDone(step: "`check`")]
        case .eventStepSkipped: return [.eventStepSkipped(step: "`check`")]
        case .eventStepFailed: return [.eventStepFailed(step: "`check`")]
        case .eventAttemptFailed: return [.eventAttemptFailed(step: "`restart`")]
        case .eventCommandStarted: return [.eventCommandStarted(step: "restart", command: "systemctl restart db")]
        case .eventCommandFinished:
            return [.eventCommandFinished(step: "restart", ending: .exit(3), duration: "2.0s", bytes: 158),
                    .eventCommandFinished(step: "restart", ending: .timedOut, duration: "2.0s", bytes: 0),
                    .eventCommandFinished(step: "restart", ending: .signal(9), duration: "2.0s", bytes: 0),
                    .eventCommandFinished(step: "restart", ending: .interrupted(.killedAsStale), duration: "2.0s", bytes: 0),
                    .eventCommandFinished(step: "restart", ending: .couldNotStart("workdir /srv/app does not exist"), duration: "0ms", bytes: 0),
                    .eventCommandFinished(step: "connections", ending: .exit(0), duration: "2.0s", bytes: 3,
                                          expectation: ExpectationResult(expectation: CommandExpectation(
                                              check: .number(pattern: "^([0-9.]+)", .below(DecimalNumber(80))), unit: "%"),
                                                                         found: .number(DecimalNumber(93))))]
        case .eventInput: return [.eventInput(step: "`severity`", value: "SEV1")]
        case .eventApproved: return [.eventApproved(step: "`approve-reset`", role: "manager")]
        case .eventApprovalRefused: return [.eventApprovalRefused(step: "`approve-reset`", reason: "kim lacks manager")]
        case .eventApprovalOverridden: return [.eventApprovalOverridden(step: "`approve-reset`", role: "manager", reason: "unreachable")]
        case .eventNote: return [.eventNote("disk replaced")]
        case .eventAcknowledged: return [.eventAcknowledged]
        case .eventSeverityChanged: return [.eventSeverityChanged(from: "SEV2", to: "SEV1")]
        case .eventResolved: return [.eventResolved]
        case .eventClosed: return [.eventClosed]
        case .undoNeedsNote: return [.undoNeedsNote(incident: "INC-1", step: "check")]
        case .undoApproval: return [.undoApproval(step: "approve-reset")]
        case .undoWait: return [.undoWait(step: "settle")]
        case .nothingToUndo: return [.nothingToUndo(step: "check")]
        case .undoRunning: return [.undoRunning(step: "restart")]
        case .undoFailedRun: return [.undoFailedRun(step: "restart")]
        case .reopenNeedsReason: return [.reopenNeedsReason(incident: "INC-1")]
        case .nothingToReopen: return [.nothingToReopen(incident: "INC-1")]
        case .notADrill: return [.notADrill(incident: "INC-1")]
        case .drillClockForwardOnly: return [.drillClockForwardOnly]
        case .occurredBeforeOpening: return [.occurredBeforeOpening(incident: "INC-1", at: "09:00:00", opened: "10:00:00")]
        case .eventStepUndone: return [.eventStepUndone(step: "`check` Check", note: "wrong step")]
        case .eventReopened: return [.eventReopened(reason: "errors came back")]
        case .eventDrillClockAdvanced: return [.eventDrillClockAdvanced("10m")]
        case .eventMissedStageDeadline: return [.eventMissedStageDeadline(deadline: "15m", stage: "`isolate`")]
        case .eventMissedStepTimeout: return [.eventMissedStepTimeout(timeout: "5m", step: "`restart`")]
        case .eventEscalationStarted:
            return [.eventEscalationStarted(episode: 2, cause: .stageDeadline(stage: "isolate", title: "격리", deadline: RunbookDuration(seconds: 900),
                                                                              afterRestore: false))]
        case .escalationCause:
            return [.escalationCause(.unacknowledged),
                    .escalationCause(.stageDeadline(stage: "isolate", title: "격리", deadline: RunbookDuration(seconds: 900), afterRestore: true)),
                    .escalationCause(.stepTimeout(step: "block", title: "차단", timeout: RunbookDuration(seconds: 300))),
                    .escalationCause(.stepFailed(step: "reset", title: "리셋")), .escalationCause(.manual(reason: "no answer")),
                    .escalationCause(.manual(reason: nil)),
                    .escalationCause(.override(actor: "lee", step: "approve-reset", title: "리셋 승인", reason: "manager away"))]
        case .escalatedByPerson: return [.escalatedByPerson("kim")]
        case .eventPagedAtOnce: return [.eventPagedAtOnce(roles: "manager")]
        case .eventPaged: return [.eventPaged(episode: 1, manual: false, tier: 2, round: 2, roles: "manager"),
                                  .eventPaged(episode: 1, manual: true, tier: 1, round: 1, roles: "oncall")]
        case .eventNotified: return [.eventNotified(role: "manager", channel: "file")]
        case .eventNotifyFailed: return [.eventNotifyFailed(role: "manager", channel: "webhook", attempt: 2, error: "HTTP 500")]
        case .eventReportWritten: return [.eventReportWritten(final: true, files: ["INC-1.md"]), .eventReportWritten(final: false, files: ["INC-1.md"])]
        case .eventRoster:
            return [.eventRoster(reload: false, directory: "/srv/runbooks", roster: "0123456789ab", contacts: "0123456789ab", bound: []),
                    .eventRoster(reload: true, directory: "/srv/runbooks", roster: "0123456789ab", contacts: "0123456789ab", bound: ["choi"])]
        case .countdownLeft: return [.countdownLeft("4:59")]
        case .countdownOverdue: return [.countdownOverdue("2:03")]
        case .recordedOnBehalf: return [.recordedOnBehalf(login: "kim", actor: "choi")]
        case .recordedAt: return [.recordedAt("2026-11-26 10:42:00")]
        case .notificationTier: return [.notificationTier(tier: 2, round: 1), .notificationTier(tier: 0, round: 2)]
        case .notificationDrill: return [.notificationDrill]
        case .notificationLabel: return NotificationLabel.allCases.map { .notificationLabel($0) }
        case .notificationPaged: return [.notificationPaged(role: "manager", tier: 2, round: 1)]
        case .timelinePicture: return TimelineLabel.samples.map { .timelinePicture($0) }
        case .heading: return Heading.allCases.map { .heading($0) }
        case .incidentStatus: return ["open", "resolved", "closed"].map { .incidentStatus($0) }
        case .drillMark: return [.drillMark]
        case .logBrokenSince: return [.logBrokenSince(12)]
        case .logAltered: return [.logAltered]
        case .noIncidents: return [.noIncidents(database: "incidents.db")]
        case .noOpenIncidents: return [.noOpenIncidents]
        case .noRunbooks: return [.noRunbooks(directory: "runbooks")]
        case .statsLabel: return StatsLabel.allCases.map { .statsLabel($0) }
        case .statsWindow: return [.statsWindow(since: "2026-10-28 10:00", span: "30d", asOf: "2026-11-27 10:00")]
        case .statsChartCaption: return [.statsChartCaption(days: 7), .statsChartCaption(days: 14)]
        case .statsTier: return [.statsTier(0), .statsTier(2)]
        case .statsRate: return [.statsRate(met: 3, of: 4), .statsRate(met: 0, of: 0)]
        case .statsNoIncidents: return [.statsNoIncidents]
        case .watcherOtherRunning: return [.watcherOtherRunning(database: "incidents.db", standingBy: true),
                                           .watcherOtherRunning(database: "incidents.db", standingBy: false)]
        case .watcherStopping: return [.watcherStopping]
        case .watcherLostLock: return [.watcherLostLock(database: "postgres://ops@db/runbook")]
        case .watcherWatching: return [.watcherWatching(database: "incidents.db", backgroundPid: 42), .watcherWatching(database: "incidents.db", backgroundPid: nil)]
        case .watcherIdleStops: return [.watcherIdleStops]
        case .watchStatusNone: return [.watchStatusNone(database: "incidents.db")]
        case .watchStatusRunning:
            return [.watchStatusRunning(background: true, pid: 42, database: "incidents.db", since: "2026-11-26 10:42:00", log: "watch.log"),
                    .watchStatusRunning(background: false, pid: nil, database: "incidents.db", since: nil, log: "watch.log")]
        case .watchNextDue: return [.watchNextDue("2026-11-26 10:57:00")]
        case .backgroundWatcherStarted: return [.backgroundWatcherStarted(pid: 42, log: "watch.log")]
        case .backgroundWatcherFailed: return [.backgroundWatcherFailed(reason: "fork failed")]
        case .actorNotInRoster: return [.actorNotInRoster(actor: "root", source: "USER", roster: "runbooks/roster.yaml")]
        case .watchDeliversPages: return [.watchDeliversPages]
        case .pagesDeferred: return [.pagesDeferred]
        case .drillStarted: return [.drillStarted(incident: "INC-1", runbook: "db-recovery", speed: 60, live: false),
                                    .drillStarted(incident: "INC-1", runbook: "db-recovery", speed: 60, live: true)]
        case .outputAttempt:
            return [.outputAttempt(incident: "INC-1", step: "restart", attempt: 1, of: 2, by: "kim", at: "2026-11-26 10:42:00",
                                   summary: "exit code 3, expected 0", duration: "12ms")]
        case .outputHint: return [.outputHint("check the file's execute permission")]
        case .outputNone: return [.outputNone]
        case .commandExpectation:
            let connections = CommandExpectation(check: .number(pattern: "^([0-9.]+)", .below(DecimalNumber(80))), unit: "%")
            let health = CommandExpectation(check: .match(pattern: #""status":\s*"ok""#))
            return [.commandExpectation(ExpectationResult(expectation: connections, found: .number(DecimalNumber(93)))),
                    .commandExpectation(ExpectationResult(expectation: connections, found: .number(DecimalNumber(42)))),
                    .commandExpectation(ExpectationResult(expectation: connections, found: .noMatch,
                                                          cut: .init(checkedBytes: 8192, totalBytes: 20000))),
                    .commandExpectation(ExpectationResult(expectation: connections, found: .notANumber("n/a"))),
                    .commandExpectation(ExpectationResult(expectation: health, found: .noMatch)),
                    .commandExpectation(ExpectationResult(expectation: health, found: .matched)),
                    .commandExpectation(ExpectationResult(expectation: health, found: .badPattern("expected ')'"))),
                    .commandExpectation(ExpectationResult(expectation: health, found: .tooSlow(milliseconds: 5000))),
                    .commandExpectation(ExpectationResult(expectation: connections, found: .tooSlow(milliseconds: 250)))]
        case .outputStream: return [.outputStream(name: "stdout", bytes: 23, truncated: false), .outputStream(name: "stderr", bytes: 70_000, truncated: true)]
        case .runFailedWaits:
            return [.runFailedWaits(incident: "INC-1", step: "restart", summary: "exit code 3, expected 0", stderr: "boom", hint: nil),
                    .runFailedWaits(incident: "INC-1", step: "restart", summary: "exit code 3, expected 0", stderr: nil, hint: "install it")]
        case .verifyIntact:
            return [.verifyIntact(incident: "INC-1", events: 44, held: "", checkpoint: "INC-1#44:0123456789abcdef")]
        case .verifyHeld: return [.verifyHeld("#12:0123456789abcdef", signatureValid: true), .verifyHeld("#12:0123456789abcdef", signatureValid: false)]
        case .verifySignatureNotChecked: return [.verifySignatureNotChecked(incident: "INC-1", checkpoint: "INC-1#44:0123456789abcdef")]
        case .verifyIncidentGone: return [.verifyIncidentGone(incident: "INC-1")]
        case .integrityReason:
            return [.missing(expected: 3, next: 5), .outOfOrder(4), .unlinked(4), .altered(4), .unreadable("missing `state`"), .notReplayable,
                    .checkpointGone(last: 3, sequence: 7), .rehashed(sequence: 7, hash: "0123456789abcdef"), .badSignature,
                    .incidentGone("INC-1")].map { .integrityReason($0) }
        case .integrityProblem:
            let checkpoint = Checkpoint(incidentID: "INC-1", sequence: 7, hash: "0123456789abcdef0123")
            return [IntegrityProblem.chain(sequence: 4, reason: .altered(4)), .missingTail(listed: 9, stored: 7),
                    .projection(field: "status", row: "open", events: "closed"), .runbookSwapped(opened: "aaaa", row: "bbbb"),
                    .textAltered(sha256: "cccc"), .runbookMissing("INC-1"), .eventsWithoutIncident("INC-1"), .numberWithoutIncident("INC-1"), .counterBehind(prefix: "INC-20261126", counter: 0, highest: 2),
                    .guardMissing("events_no_update"), .checkpoint(checkpoint, reason: .badSignature)].map { .integrityProblem($0) }
        case .integrityFinding:
            return [.integrityFinding(brokenSince: 4, first: .chain(sequence: 4, reason: .altered(4)), more: 2, incident: "INC-1"),
                    .integrityFinding(brokenSince: nil, first: .guardMissing("events_no_update"), more: 0, incident: "INC-1")]
        case .verifyCheckpointIncidentGone: return [.verifyCheckpointIncidentGone]
        case .verifyFailed: return [.verifyFailed(failed: 1, of: 3, storeAltered: true), .verifyFailed(failed: 0, of: 3, storeAltered: true),
                                    .verifyFailed(failed: 1, of: 1, storeAltered: false)]
        case .finding:
            return [.finding(.otherRunbooksDirectory(directory: "/tmp/rb", configured: "/srv/runbooks", reload: false)),
                    .finding(.otherRunbooksDirectory(directory: "/tmp/rb", configured: "/srv/runbooks", reload: true)),
                    .finding(.approvalIdentityNotBound(by: "choi", step: "approve-reset", login: "kim")),
                    .finding(.approvalSkipped(by: "choi", step: "approve-reset", role: "manager", note: "restore not needed")),
                    .finding(.approvalIdentityNotBound(by: "choi", step: "approve-reset", login: nil)),
                    .finding(.approvalFromOtherLogin(by: "choi", step: "approve-reset", login: "kim")),
                    .finding(.approvalFromOtherLogin(by: "choi", step: "approve-reset", login: nil)),
                    .finding(.approvalOverridden(by: "lee", step: "approve-reset", role: "manager", reason: "manager away")),
                    .finding(.failedCheckPassedOver(by: "kim", step: "verify", state: "restore", skipped: true, failure: "exit 1", note: "checked by hand")),
                    .finding(.failedCheckPassedOver(by: "kim", step: "verify", state: "restore", skipped: false, failure: nil, note: nil)),
                    .finding(.correction(by: "kim", step: "check", note: "wrong step")),
                    .finding(.reopened(by: "kim", reason: "errors came back")),
                    .finding(.deadlineMissed(state: "detect", step: nil, deadline: .minutes(5))),
                    .finding(.deadlineMissed(state: "restore", step: "reset", deadline: .minutes(2))),
                    .finding(.pageUnacknowledged(tier: 1, round: 1, roles: ["oncall"], nextTierPaged: true)),
                    .finding(.pageUnacknowledged(tier: 2, round: 2, roles: ["manager", "cto"], nextTierPaged: false)),
                    .finding(.commandCouldNotRun(by: "kim", step: "export-logs", verdict: .notFound(program: "vercel"))),
                    .finding(.commandCouldNotRun(by: "kim", step: "export-logs", verdict: .interrupted(.killedAsStale)))]
        case .report:
            return Message.ReportText.samples.map { .report($0) }
        case .schedule:
            return Message.ScheduleText.samples.map { .schedule($0) }
        case .server:
            return Message.ServerText.samples.map { .server($0) }
        case .web:
            return Message.WebText.samples.map { .web($0) }
        case .team:
            return Message.TeamText.samples.map { .team($0) }
        case .detectedAfterOpening:
            return [.detectedAfterOpening(detected: "10:05:00", opened: "10:00:00")]
        case .impactAfterDetection:
            return [.impactAfterDetection(started: "10:05:00", detected: "10:00:00", defaulted: true),
                    .impactAfterDetection(started: "10:05:00", detected: "10:00:00", defaulted: false)]
        case .unknownIncident: return [.unknownIncident("INC-9", nearest: "INC-1"), .unknownIncident("INC-9", nearest: nil)]
        case .ambiguousIncident: return [.ambiguousIncident("1", matches: ["INC-1", "INC-11", "INC-21", "INC-31"])]
        case .callStillOpen: return [.callStillOpen(child: "INC-2", step: "restore-database")]
        case .calendarUnreadable: return [.calendarUnreadable(problem: "runbooks/calendar.yaml:9:11: error: windows.sunday-maintenance.from: expected a time like \"02:00\"")]
        case .inputIsTheWayOut: return [.inputIsTheWayOut(step: "round", state: "security", choices: ["morning", "afternoon"])]
        case .callNeedsNote: return [.callNeedsNote(incident: "INC-1", step: "restore-database", runbook: "db-recovery", mark: .done)]
        case .callVariableMissing: return [.callVariableMissing(step: "restore-test", name: "DATABASE_URL", variable: "RUNBOOK_VAR_STAGING_URL")]
        case .eventCallStarted: return [.eventCallStarted(step: "restore-database", child: "INC-2", runbook: "db-recovery")]
        case .eventCallFinished: return [.eventCallFinished(step: "restore-database", child: "INC-2", resolved: true),
                                         .eventCallFinished(step: "restore-database", child: "INC-2", resolved: false)]
        case .callStarted: return [.callStarted(child: "INC-2", runbook: "db-recovery", step: "restore-database")]
        case .callStepDetail: return [.callStepDetail(runbook: "db-recovery", child: nil, result: nil),
                                      .callStepDetail(runbook: "db-recovery", child: "INC-2", result: .open(stage: "restore")),
                                      .callStepDetail(runbook: "db-recovery", child: "INC-2", result: .resolved)]
        case .callPrompt: return [.callPrompt(runbook: "db-recovery")]
        case .calledBy: return [.calledBy(incident: "INC-1", step: "restore-database")]
        case .calledByUnlinked: return [.calledByUnlinked(incident: "INC-1", step: "restore-database")]
        case .linkedIncidents: return [.linkedIncidents]
        case .linkedParent: return [.linkedParent(incident: "INC-1", step: "restore-database")]
        case .linkedChild: return [.linkedChild(child: "INC-2", runbook: "db-recovery", step: "restore-database", result: .closedUnresolved),
                                   .linkedChild(child: "INC-2", runbook: "db-recovery", step: "restore-database", result: .open(stage: nil))]
        case .unknownRunbook: return [.unknownRunbook("db-recvery", directory: "runbooks", nearest: "db-recovery"),
                                      .unknownRunbook("x", directory: "runbooks", nearest: nil)]
        case .runbooksFolderUnreadable: return [.runbooksFolderUnreadable("runbooks")]
        case .noDatabase: return [.noDatabase("incidents.db")]
        case .notATime: return [.notATime(flag: "--at", text: "soon")]
        case .timeInFuture: return [.timeInFuture(flag: "--at", text: "23:59", now: "2026-11-26 10:42")]
        case .nowNotISO: return [.nowNotISO("soon")]
        case .nowAhead: return [.nowAhead("2030-01-01T00:00:00Z", now: "2026-11-26T10:42:00Z")]
        case .nowBeforeLastEvent: return [.nowBeforeLastEvent(now: "2026-11-26T10:42:00Z", incident: "INC-1", last: "2026-11-26T10:43:00Z")]
        case .reportOntoDatabase: return [.reportOntoDatabase(output: "incidents.db", database: "incidents.db", suggestion: "INC-1.md")]
        case .reportExists: return [.reportExists("INC-1.md")]
        case .cannotRead: return [.cannotRead(path: "a.yaml", reason: "permission denied")]
        case .cannotWrite: return [.cannotWrite(path: "a.md", reason: "permission denied")]
        case .diskFull: return [.diskFull(path: "a.md")]
        case .notUTF8: return [.notUTF8("a.yaml")]
        case .incidentChanged: return [.incidentChanged("INC-1")]
        case .databaseNotRunbook: return [.databaseNotRunbook(path: "x.db", detail: "file is not a database")]
        case .databaseOfAnotherProgram: return [.databaseOfAnotherProgram("x.db")]
        case .databaseDamaged: return [.databaseDamaged(path: "x.db", detail: "database disk image is malformed")]
        case .databaseNewer: return [.databaseNewer(path: "x.db", migration: "v9")]
        case .databaseLocked: return [.databaseLocked(path: "x.db", seconds: 5, detail: "database is locked")]
        case .databaseCannotOpen: return [.databaseCannotOpen(path: "x.db", detail: "unable to open")]
        case .databaseNotWritable: return [.databaseNotWritable(path: "x.db", detail: "readonly")]
        case .databaseDiskFull: return [.databaseDiskFull(path: "x.db", detail: "disk full")]
        }
    }
}
