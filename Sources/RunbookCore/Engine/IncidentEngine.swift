/// The pure rules of an incident: commands decided against the state and the frozen runbook into events.
///
/// No clock, no I/O: time comes in the context, and the caller appends the events it returns.
public enum IncidentEngine {
    /// The events that open an incident and enter its initial state; `roster` (the roster and contacts in
    /// force, frozen into the incident) is recorded right after the opening.
    public static func open(runbook: Runbook, snapshotSHA256: String, title: String?, severity: String?, drill: Bool,
                            drillClock: DrillClock? = nil, roster: RosterFreeze? = nil, impact: ImpactTimes? = nil,
                            calledBy: CallOrigin? = nil, scheduled: ScheduledSlot? = nil,
                            calendar: [MaintenanceWindow] = [], alert: ReceivedAlert? = nil, context: DecisionContext) throws(Refusal) -> [IncidentEvent] {
        if runbook.kind == .checklist, severity != nil {
            throw Refusal(stated: .schedule(.checklistStartedWithSeverity(runbook: runbook.id)), kind: .usage)
        }
        let severity = severity ?? runbook.severity
        // The problem begins, then it is noticed, then the incident is opened (detection defaults to the opening).
        if let detected = impact?.detectedAt, detected > context.at {
            throw Refusal(stated: .detectedAfterOpening(detected: context.formatTime(detected), opened: context.formatTime(context.at)), kind: .usage)
        }
        if let started = impact?.startedAt {
            let detected = impact?.detectedAt ?? context.at
            if started > detected {
                throw Refusal(stated: .impactAfterDetection(started: context.formatTime(started), detected: context.formatTime(detected),
                                                            defaulted: impact?.detectedAt == nil), kind: .usage)
            }
        }
        guard Runbook.severities.contains(severity) else {
            throw Refusal(stated: .unknownSeverity(severity, known: Runbook.severities), kind: .usage)
        }
        if let title, let refusal = TextHygiene.refusal(title, as: "an incident title") {
            throw Refusal("--title \"\(TextHygiene.escape(title))\": \(refusal)", kind: .usage)
        }
        try checkActor(context.actor)
        var events: [IncidentEvent] = [
            .opened(runbookID: runbook.id, runbookSHA256: snapshotSHA256, title: title ?? runbook.title,
                    severity: severity, drill: drill, drillClock: drill ? drillClock : nil, impact: impact?.nonEmpty, calledBy: calledBy,
                    scheduled: scheduled),
        ]
        // The alert that opened it, in the same append (SPEC §10).
        if let alert { events.append(.alertReceived(alert)) }
        if let roster { events.append(.rosterFrozen(roster)) }
        if !calendar.isEmpty { events.append(.calendarFrozen(windows: calendar)) }
        // A routine check pages nobody at opening: only a missed deadline pages its tier 1, once.
        if !runbook.escalation.tiers.isEmpty, runbook.kind == .incident {
            events.append(.escalationStarted(episode: 1, cause: .unacknowledged, scope: .unacknowledged,
                                             baseAt: context.at))
        }
        events += enter(runbook.initial, reason: .initial, from: nil, runbook: runbook)
        return settle(events, state: nil, context: context)
    }

    /// Refuses an actor name with a control character (`TextHygiene.isControl`): names are printed in
    /// every view, report and page.
    static func checkActor(_ actor: String) throws(Refusal) {
        if let refusal = TextHygiene.refusal(actor, as: "a name") {
            throw Refusal("the actor \"\(TextHygiene.escape(actor))\": \(refusal); act under a plain name", kind: .usage)
        }
        // " choi" and "choi" would be two people who look the same in every view.
        if actor.trimmingWhitespace.count != actor.count {
            throw Refusal("the actor \"\(TextHygiene.escape(actor))\" starts or ends with a space; act under the plain name", kind: .usage)
        }
    }

    /// Decides `command` against `state`: the events to append, or a refusal that explains why not.
    public static func decide(_ command: IncidentCommand, state: IncidentState, context: DecisionContext) throws(Refusal) -> [IncidentEvent] {
        let runbook = context.runbook
        try checkActor(context.actor)
        // An action entered after the fact happened while the incident was open, not before it existed.
        if let at = context.occurredAt, at < state.openedAt {
            throw Refusal(stated: .occurredBeforeOpening(incident: state.id, at: context.formatTime(at), opened: context.formatTime(state.openedAt)),
                          kind: .usage)
        }
        switch command {
        case .note(let text):
            guard !text.trimmingWhitespace.isEmpty else { throw Refusal(stated: .emptyNote, kind: .usage) }
            return [.noteAdded(text: text)]
        case .acknowledge:
            try requireNotClosed(state, context)
            // Acknowledges every escalation running now, whatever its cause; refused only when nothing pages.
            let paging = state.episodes.contains { $0.scope != .notice && state.isActive($0) && !$0.isHeld }
            if let ack = state.acknowledged, !paging {
                throw Refusal(stated: .nothingToAcknowledge(incident: state.id, by: ack.by, at: context.formatTime(ack.at)))
            }
            return [.acknowledged]
        case .resolve(let note):
            try requireNotClosed(state, context)
            if runbook.kind == .checklist {
                throw Refusal(stated: .schedule(.checklistNotResolved(incident: state.id)), kind: .usage)
            }
            if let resolved = state.resolved {
                throw Refusal(stated: .alreadyResolved(incident: state.id, by: resolved.by, at: context.formatTime(resolved.at)))
            }
            return [.resolved(note: note)]
        case .escalate(let reason):
            try requireNotClosed(state, context)
            let policy = runbook.escalation
            guard !policy.tiers.isEmpty else { throw Refusal(stated: .noEscalationTiers(runbook: runbook.id), kind: .usage) }
            // The running escalation that reached the highest tier is the one to push further.
            let running = state.episodes.filter { state.isActive($0) && $0.scope != .notice }
            if let episode = running.max(by: { ($0.pages.last?.index ?? -1, $0.number) < ($1.pages.last?.index ?? -1, $1.number) }) {
                guard let page = Scheduler.nextPage(episode, policy: policy, severity: state.severity, manualAt: context.at, reason: reason) else {
                    throw Refusal(stated: .everyTierPaged(episode: episode.number, tiers: policy.tiers.count, rounds: policy.repeatCount + 1))
                }
                return [page.event]
            }
            let number = (state.episodes.map(\.number).max() ?? 0) + 1
            // A new escalation by hand starts above the highest tier paged so far.
            let tier = min(state.highestTierPaged, policy.tiers.count - 1)
            let started = Episode(number: number, cause: .manual(reason: nil), scope: .stage, baseAt: context.at, visitIndex: state.visits.count - 1,
                                  started: Actioned(by: context.actor, at: context.at, sequence: 0),
                                  pages: tier == 0 ? [] : [Page(index: tier - 1, tier: tier, round: 1, roles: [], dueAt: context.at, manual: true,
                                                                reason: nil, recorded: Actioned(by: context.actor, at: context.at, sequence: 0))])
            guard let page = Scheduler.nextPage(started, policy: policy, severity: state.severity, manualAt: context.at, reason: reason) else {
                return []
            }
            return [.escalationStarted(episode: number, cause: .manual(reason: reason), scope: .stage,
                                       baseAt: context.at), page.event]
        case .reloadRoster(let freeze):
            try requireNotClosed(state, context)
            // A reload decides who may approve from now on: only someone on the roster in force may record one,
            // from their own login when bound, and only from the folder the incident's roster came from.
            guard !context.actorRoles.isEmpty else {
                throw Refusal(stated: .notOnIncidentRoster(actor: context.actor, incident: state.id))
            }
            try requireProvenIdentity(action: .reloadRoster, step: state.id, context: context)
            if let current = state.roster, current.directory != freeze.directory {
                throw Refusal(stated: .rosterFromOtherFolder(incident: state.id, current: current.directory, proposed: freeze.directory))
            }
            if let current = state.roster, current.rosterSHA256 == freeze.rosterSHA256, current.contactsSHA256 == freeze.contactsSHA256,
               current.directory == freeze.directory {
                throw Refusal(.rosterUnchanged(incident: state.id, directory: freeze.directory))
            }
            return [.rosterFrozen(freeze)]
        case .undo(let stepID, let note):
            return try undo(stepID, note: note, state: state, context: context)
        case .reopen(let reason):
            let why = String(reason.trimmingWhitespace)
            guard !why.isEmpty else {
                throw Refusal(stated: .reopenNeedsReason(incident: state.id), kind: .usage)
            }
            guard state.status != .open else { throw Refusal(stated: .nothingToReopen(incident: state.id)) }
            var events: [IncidentEvent] = [.reopened(reason: why)]
            // The problem came back: the incident goes back to the stage that restores and verifies service (the latest
            // resolving stage it went through, when it left it), so that it is resolved anew there; a closed incident
            // without one enters its last stage again.
            if let restoring = state.visits.last(where: { runbook.state($0.state)?.resolves == true }),
               restoring.left != nil || state.isClosed {
                events += enter(restoring.state, reason: .reopened, from: state.stateID, runbook: runbook)
            } else if state.isClosed {
                events += enter(state.stateID, reason: .reopened, from: nil, runbook: runbook)
            }
            return events
        case .receiveAlert(let alert):
            // A closed incident takes no more alerts: the same alert again opens a new one.
            try requireNotClosed(state, context)
            return [.alertReceived(alert)]
        case .advanceDrillClock(let duration):
            try requireNotClosed(state, context)
            guard state.drillClock != nil else {
                throw Refusal(stated: .notADrill(incident: state.id), kind: .usage)
            }
            guard duration.seconds > 0 else { throw Refusal(stated: .drillClockForwardOnly, kind: .usage) }
            return [.drillClockAdvanced(milliseconds: Int64(duration.seconds) * 1000)]
        case .changeSeverity(let severity):
            try requireNotClosed(state, context)
            if runbook.kind == .checklist {
                throw Refusal(stated: .schedule(.checklistHasNoSeverity(incident: state.id)), kind: .usage)
            }
            guard Runbook.severities.contains(severity) else {
                throw Refusal(stated: .unknownSeverity(severity, known: Runbook.severities), kind: .usage)
            }
            guard severity != state.severity else { throw Refusal(stated: .alreadySeverity(incident: state.id, severity: severity)) }
            return [.severityChanged(from: state.severity, to: severity)]
        case .mark(let stepID, let mark, let note):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .mark(step: stepID, mark))
            let action: Refusal.StepAction = switch mark {
            case .done: .done
            case .skip: .skip
            case .fail: .fail
            }
            let hasNote = !(note?.trimmingWhitespace.isEmpty ?? true)
            if let gate = WindowGate.closed(current, state: state, at: context.at) {
                // Outside the stage's window a step may be skipped or failed, with a note, never done.
                if mark == .done { throw Refusal(.outsideWindow(action: .done, step: stepID, gate: gate)) }
                if !hasNote { throw Refusal(.noteRequired(action: action, step: stepID, because: .pastAGate), kind: .usage) }
            }
            // An input whose choices are the stage's only way out cannot be skipped: the stage would wait for ever.
            if mark == .skip, case .input(let input) = step.kind, !input.goto.isEmpty, current.next == nil {
                throw Refusal(stated: .inputIsTheWayOut(step: stepID, state: current.id, choices: input.choices ?? input.goto.map(\.choice)),
                              kind: .usage)
            }
            // A call step is done when its child resolves: by hand (or skipped) only saying how it was handled.
            if let call = step.call, mark != .fail, !hasNote {
                throw Refusal(stated: .callNeedsNote(incident: state.id, step: stepID, runbook: call.runbook, mark: mark), kind: .usage)
            }
            if let approval = step.approval {
                guard mark != .done else {
                    throw Refusal(stated: .stepNeedsApproval(incident: state.id, step: stepID), kind: .usage)
                }
                // Skipping or failing an approval walks around it: only its approvers may.
                try requireApprover(approval, action: action, step: stepID, stage: current, context: context)
            }
            switch progress.status {
            case .attemptFailed, .failed:
                if mark == .fail, progress.status == .failed, let finished = progress.finished {
                    throw Refusal(stated: .alreadyFailed(step: stepID, by: finished.by, at: context.formatTime(finished.at), note: progress.note))
                }
                if mark != .fail, !hasNote {
                    let because: Refusal.NoteRequirement = progress.status == .attemptFailed
                        ? .afterFailedAttempt(attempts: progress.attempts, failure: progress.note)
                        : .afterFailure(by: progress.finished?.by ?? "?", when: progress.finished.map { context.formatTime($0.at) } ?? "?",
                                        note: progress.note)
                    throw Refusal(.noteRequired(action: action, step: stepID, because: because), kind: .usage)
                }
                if mark == .done, case .input = step.kind {
                    throw Refusal(stated: .stepAsksForValue(incident: state.id, step: stepID), kind: .usage)
                }
            default:
                // A call step whose child is still open may be marked (with its note): the child is left alone.
                if step.call == nil || progress.status != .running {
                    try requireOpenForChange(progress, step: step, verb: .mark(step: stepID, mark), context: context)
                }
                let blockers = blockers(of: step, in: current, state: state, context: context)
                if mark == .done {
                    switch step.kind {
                    case .manual: break
                    case .command:
                        throw Refusal(stated: .stepIsCommand(incident: state.id, step: stepID), kind: .usage)
                    case .input:
                        throw Refusal(stated: .stepAsksForValue(incident: state.id, step: stepID), kind: .usage)
                    case .approval, .call:
                        break
                    case .wait(let duration):
                        throw Refusal(stated: .stepWaits(step: stepID, duration: "\(duration)"), kind: .usage)
                    }
                    if !blockers.isEmpty { throw Refusal(.blocked(action: .done, step: stepID, waitingFor: blockers)) }
                } else if !blockers.isEmpty, !hasNote {
                    throw Refusal(.noteRequired(action: action, step: stepID, because: .pastAGate), kind: .usage)
                }
            }
            let event: IncidentEvent = switch mark {
            case .done: .stepDone(state: current.id, step: stepID, note: note)
            case .skip: .stepSkipped(state: current.id, step: stepID, note: note)
            case .fail: .stepFailed(state: current.id, step: stepID, note: note)
            }
            return settle([event], state: state, context: context)
        case .input(let stepID, let value):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .recordInput(step: stepID))
            guard case .input(let input) = step.kind else {
                throw Refusal(stated: .wrongStepKind(step: stepID, expected: "input", actual: step.kind.name), kind: .usage)
            }
            try requireOpenForChange(progress, step: step, verb: .recordValue(step: stepID), context: context)
            try requireUnblocked(step, action: .input, in: current, state: state, context: context)
            try requireWindow(current, action: .input, step: stepID, state: state, context: context)
            let trimmed = String(value.trimmingWhitespace)
            guard !trimmed.isEmpty else { throw Refusal(stated: .emptyValue(step: stepID), kind: .usage) }
            if let choices = input.choices, !choices.contains(trimmed) {
                throw Refusal(stated: .notAChoice(value: trimmed, step: stepID, choices: choices, nearest: Suggestion.nearest(to: trimmed, in: choices)),
                              kind: .usage)
            }
            var events: [IncidentEvent] = [.inputRecorded(state: current.id, step: stepID, value: trimmed),
                                            .stepDone(state: current.id, step: stepID, note: nil)]
            // Declared meaning, not a magic id: `sets: severity` on the input step.
            if input.sets == .severity, Runbook.severities.contains(trimmed), trimmed != state.severity {
                events.append(.severityChanged(from: state.severity, to: trimmed))
            }
            if let target = input.target(for: trimmed) {
                events.append(contentsOf: enter(target, reason: .goto, from: current.id, runbook: runbook))
            }
            return settle(events, state: state, context: context)
        case .approve(let stepID):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .approve(step: stepID))
            guard let approval = step.approval else {
                throw Refusal(stated: .wrongStepKind(step: stepID, expected: "approval", actual: step.kind.name), kind: .usage)
            }
            try requireOpenForChange(progress, step: step, verb: .approve(step: stepID), context: context)
            try requireUnblocked(step, action: .approve, in: current, state: state, context: context)
            try requireWindow(current, action: .approve, step: stepID, state: state, context: context)
            try requireApprover(approval, action: .approve, step: stepID, stage: current, context: context)
            if let earlier = progress.approvals.first(where: { $0.by == context.actor }) {
                throw Refusal(stated: .alreadyApproved(actor: context.actor, step: stepID, at: context.formatTime(earlier.at), min: approval.min))
            }
            var events: [IncidentEvent] = [.approvalGiven(state: current.id, step: stepID, role: approval.role)]
            if progress.approvals.count + 1 >= approval.min {
                events.append(.stepDone(state: current.id, step: stepID, note: nil))
            }
            return settle(events, state: state, context: context)
        case .overrideApproval(let stepID, let reason):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .overrideApproval(step: stepID))
            guard let approval = step.approval else {
                throw Refusal(stated: .wrongStepKind(step: stepID, expected: "approval", actual: step.kind.name), kind: .usage)
            }
            try requireOpenForChange(progress, step: step, verb: .overrideApproval(step: stepID), context: context)
            let why = String(reason.trimmingWhitespace)
            guard !why.isEmpty else { throw Refusal(.breakGlassNeedsReason(incident: state.id, step: stepID), kind: .usage) }
            guard !context.actorRoles.isEmpty else { throw Refusal(.notOnRoster(actor: context.actor, step: stepID)) }
            try requireProvenIdentity(action: .breakGlass, step: stepID, context: context)
            try requireUnblocked(step, action: .approve, in: current, state: state, context: context)
            let number = (state.episodes.map(\.number).max() ?? 0) + 1
            // The approvers hear of it at once, through the normal paging path, whatever the escalation tiers.
            let events: [IncidentEvent] = [
                .approvalOverridden(state: current.id, step: stepID, role: approval.role, reason: why),
                .stepDone(state: current.id, step: stepID, note: "approval overridden by \(context.actor): \(why)"),
                .escalationStarted(episode: number, cause: .override(actor: context.actor, step: stepID, title: step.title, reason: why),
                                   scope: .notice, baseAt: context.at),
                .escalated(episode: number, index: 0, tier: 0, round: 1, roles: [approval.role], dueAt: context.at, manual: false, reason: nil),
            ]
            return settle(events, state: state, context: context)
        case .startCommand(let stepID, let pid, let startTime, let previousRun, let confirmed):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .run(step: stepID))
            guard case .command(let command) = step.kind else {
                throw Refusal(stated: .wrongStepKind(step: stepID, expected: "command", actual: step.kind.name), kind: .usage)
            }
            if progress.status == .running, let started = progress.started {
                // Only the run that was looked at may be replaced, and only once its process is gone.
                guard let previousRun, let recorded = progress.pid, previousRun.pid == recorded,
                      previousRun.startTime == progress.pidStartTime else {
                    throw Refusal(stated: .alreadyRunning(step: stepID, by: started.by, at: context.formatTime(started.at)))
                }
                if previousRun.alive {
                    throw Refusal(.commandStillRunning(incident: state.id, step: stepID, pid: recorded, startTime: progress.pidStartTime,
                                                       startedBy: started.by, startedAt: context.formatTime(started.at)))
                }
            }
            if progress.isSettled, let finished = progress.finished {
                throw Refusal(stated: .alreadyFinished(step: stepID, status: progress.status, by: finished.by, at: context.formatTime(finished.at)))
            }
            try requireUnblocked(step, action: .run, in: current, state: state, context: context)
            try requireWindow(current, action: .run, step: stepID, state: state, context: context)
            if step.destructive, !confirmed {
                throw Refusal(.destructiveNotConfirmed(incident: state.id, step: stepID, command: command.run), kind: .usage)
            }
            return [.commandStarted(state: current.id, step: stepID, command: command.run, pid: pid, startTime: startTime)]
        case .startCall(let stepID, let child):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .run(step: stepID))
            guard let call = step.call else {
                throw Refusal(stated: .wrongStepKind(step: stepID, expected: "call", actual: step.kind.name), kind: .usage)
            }
            if progress.status == .running, let open = progress.child {
                throw Refusal(stated: .callStillOpen(child: open, step: stepID))
            }
            if progress.isSettled, let finished = progress.finished {
                throw Refusal(stated: .alreadyFinished(step: stepID, status: progress.status, by: finished.by, at: context.formatTime(finished.at)))
            }
            try requireUnblocked(step, action: .run, in: current, state: state, context: context)
            guard let child else { return [] }
            return [.callStarted(state: current.id, step: stepID, child: child, runbook: call.runbook)]
        case .settleCall(let outcome):
            return settleCall(outcome, state: state, context: context)
        case .finishCommand(let stepID, let outcome, let pid):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .recordResult(step: stepID))
            guard case .command = step.kind, progress.status == .running else {
                throw Refusal(stated: .notRunning(step: stepID))
            }
            if let pid, let recorded = progress.pid, recorded != pid, let started = progress.started {
                throw Refusal(stated: .runReplaced(step: stepID, pid: pid, laterPid: recorded, by: started.by, at: context.formatTime(started.at)))
            }
            // The run as recorded, with what `expect:` found in its output: replay and the report read the value.
            let outcome = step.recorded(outcome)
            let verdict = step.verdict(of: outcome)
            // A failed run is an attempt: the step waits for a decision and the incident stays in the stage.
            let finished: IncidentEvent = verdict.succeeded
                ? .stepDone(state: current.id, step: stepID, note: nil)
                : .attemptFailed(state: current.id, step: stepID, note: verdict.summary)
            return settle([.commandFinished(state: current.id, step: stepID, outcome: outcome), finished], state: state, context: context)
        }
    }

    /// Reflects how a call step's child ended, exactly once per child: `call.finished` naming the child's event, then
    /// the step done (resolved) or failed (closed unresolved, so `on_fail` applies) when the step still waits for that
    /// child in the visit that started it. A step marked by hand meanwhile, or a stage left, keeps its mark: only
    /// `call.finished` is recorded. Nothing on a closed incident, for a child it never called, or one already reflected.
    public static func settleCall(_ outcome: ChildOutcome, state: IncidentState, context: DecisionContext) -> [IncidentEvent] {
        guard !state.isClosed, let link = state.calls.last(where: { $0.child == outcome.child }), link.finished == nil else { return [] }
        let finished = IncidentEvent.callFinished(state: link.state, step: link.step, child: outcome.child, childSequence: outcome.sequence,
                                                  resolved: outcome.resolved)
        guard state.stateID == link.state, link.visitIndex == state.visits.count - 1, let progress = state.steps[link.step],
              progress.status == .running, progress.child == outcome.child else { return [finished] }
        let mark: IncidentEvent = outcome.resolved
            ? .stepDone(state: link.state, step: link.step, note: "\(outcome.child) resolved")
            : .stepFailed(state: link.state, step: link.step, note: "\(outcome.child) was closed without being resolved")
        return settle([finished, mark], state: state, context: context)
    }

    /// Takes back a mark on a step of the current stage (SPEC §7): never an approval, never a stage already
    /// left, never a resolution or a closing (those have `reopen`); a note says what was wrong.
    static func undo(_ stepID: String, note: String, state: IncidentState, context: DecisionContext) throws(Refusal) -> [IncidentEvent] {
        let (current, step, progress) = try locate(stepID, state: state, context: context, verb: .undo(step: stepID))
        guard !note.trimmingWhitespace.isEmpty else {
            throw Refusal(stated: .undoNeedsNote(incident: state.id, step: stepID), kind: .usage)
        }
        if step.approval != nil {
            throw Refusal(stated: .undoApproval(step: stepID))
        }
        if case .wait = step.kind {
            throw Refusal(stated: .undoWait(step: stepID))
        }
        switch progress.status {
        case .pending:
            throw Refusal(stated: .nothingToUndo(step: stepID), kind: .usage)
        case .running:
            throw Refusal(stated: .undoRunning(step: stepID))
        case .attemptFailed:
            throw Refusal(stated: .undoFailedRun(step: stepID))
        case .done, .skipped, .failed:
            break
        }
        return [.stepUndone(state: current.id, step: stepID, note: note)]
    }

    // MARK: - Gates

    /// What `step` still waits for in the current visit: unsettled prerequisites, with an approval's facts.
    public static func blockers(of step: Step, in stage: RunbookState, state: IncidentState, context: DecisionContext) -> [Blocker] {
        stage.prerequisites(of: step.id).compactMap { prerequisite in
            guard state.steps[prerequisite.step]?.isSettled != true else { return nil }
            var facts: ApprovalFacts?
            if let approval = stage.step(prerequisite.step)?.approval {
                facts = ApprovalFacts(role: roleRef(approval.role, context.runbook), holders: context.roleHolders[approval.role] ?? [],
                                      given: state.steps[prerequisite.step]?.approvals.count ?? 0, min: approval.min)
            }
            return Blocker(step: prerequisite.step, reason: prerequisite.reason, approval: facts)
        }
    }

    static func requireUnblocked(_ step: Step, action: Refusal.StepAction, in stage: RunbookState, state: IncidentState,
                                 context: DecisionContext) throws(Refusal) {
        let waiting = blockers(of: step, in: stage, state: state, context: context)
        if !waiting.isEmpty { throw Refusal(.blocked(action: action, step: step.id, waitingFor: waiting)) }
    }

    /// A stage with `window:` runs its steps only while that maintenance window is open (SPEC §3.2).
    static func requireWindow(_ stage: RunbookState, action: Refusal.StepAction, step: String, state: IncidentState,
                              context: DecisionContext) throws(Refusal) {
        if let gate = WindowGate.closed(stage, state: state, at: context.at) {
            throw Refusal(.outsideWindow(action: action, step: step, gate: gate))
        }
    }

    /// Only holders of the approval's role, from their own login when the roster binds one, act on an approval.
    /// A refused approval is kept in the log.
    static func requireApprover(_ approval: ApprovalSpec, action: Refusal.StepAction, step: String, stage: RunbookState,
                                context: DecisionContext) throws(Refusal) {
        let refused = { (reason: String) -> [IncidentEvent] in
            action == .approve ? [.approvalRefused(state: stage.id, step: step, role: approval.role, reason: reason)] : []
        }
        guard context.actorRoles.contains(approval.role) else {
            throw Refusal(.notRoleHolder(actor: context.actor, action: action, step: step, role: roleRef(approval.role, context.runbook),
                                         holders: context.roleHolders[approval.role] ?? []),
                          record: refused("\(context.actor) does not hold the role `\(approval.role)` in the roster"))
        }
        do {
            try requireProvenIdentity(action: action, step: step, context: context)
        } catch {
            throw Refusal(error.reason, kind: error.kind,
                          record: refused("\(context.actor) is bound to other logins than \(context.login ?? "this one")"))
        }
    }

    /// A person whose roster entry binds logins acts on approvals only from one of them.
    static func requireProvenIdentity(action: Refusal.StepAction, step: String, context: DecisionContext) throws(Refusal) {
        if let logins = context.actorLogins, !context.identityBound {
            throw Refusal(.identityNotProven(actor: context.actor, login: context.login, logins: logins, action: action, step: step))
        }
    }

    // MARK: - Transitions

    /// Events that enter `stateID`: the entry, and the start of its wait steps.
    public static func enter(_ stateID: String, reason: IncidentEvent.EntryReason, from: String?, runbook: Runbook) -> [IncidentEvent] {
        var events: [IncidentEvent] = [.stateEntered(state: stateID, reason: reason, from: from)]
        for step in runbook.state(stateID)?.steps ?? [] {
            if case .wait = step.kind { events.append(.stepStarted(state: stateID, step: step.id)) }
        }
        return events
    }

    /// Follows the transitions that `events` trigger: completion, `next`, `on_fail`, resolution and closing.
    public static func settle(_ events: [IncidentEvent], state: IncidentState?, context: DecisionContext) -> [IncidentEvent] {
        var all = events
        var guardCount = 0
        while guardCount < 1_000 {
            guardCount += 1
            guard let current = project(all, onto: state, context: context), !current.isClosed,
                  let stage = context.runbook.state(current.stateID) else { break }
            // A step failed just now, in this state: follow on_fail.
            if let last = all.last, case .stepFailed(let failedState, let step, _) = last, failedState == stage.id {
                switch stage.onFail {
                case .state(let target):
                    all += enter(target, reason: .onFail, from: stage.id, runbook: context.runbook)
                    continue
                case .escalate where context.runbook.kind == .checklist:
                    // A routine check pages its tier 1 once, never higher; nobody about what they just did.
                    let held = Set(context.actorRoles)
                    guard let first = context.runbook.escalation.tiers.first, !Set(first.notify).isSubset(of: held) else { break }
                    let number = (current.episodes.map(\.number).max() ?? 0) + 1
                    let title = stage.step(step)?.title ?? step
                    // Held, like any page, while a maintenance window covering the runbook is open.
                    all += Scheduler.notice(episode: number, cause: .stepFailed(step: step, title: title), roles: first.notify, due: context.at,
                                            state: current)
                case .escalate:
                    // Nobody is paged about what they just did: the escalation starts above the tiers whose roles
                    // the person who failed the step holds (all of them: nobody else to page).
                    let held = Set(context.actorRoles)
                    guard let first = context.runbook.escalation.tiers.firstIndex(where: { !Set($0.notify).isSubset(of: held) }) else { break }
                    let number = (current.episodes.map(\.number).max() ?? 0) + 1
                    let title = stage.step(step)?.title ?? step
                    all.append(.escalationStarted(episode: number, cause: .stepFailed(step: step, title: title), scope: .stage, baseAt: context.at,
                                                  firstIndex: first))
                case nil:
                    break
                }
                break
            }
            guard stage.steps.allSatisfy({ current.steps[$0.id]?.isSettled == true }) else { break }
            all.append(.stateCompleted(state: stage.id))
            if stage.resolves, current.resolved == nil { all.append(.resolved(note: nil)) }
            if stage.end {
                all.append(.closed)
                break
            }
            guard let next = stage.next else { break }
            all += enter(next, reason: .next, from: stage.id, runbook: context.runbook)
        }
        return all
    }

    /// The state after `events`, applied with the context's actor and time (nil for an incident being opened
    /// whose events do not start with `opened`).
    public static func project(_ events: [IncidentEvent], onto state: IncidentState?, context: DecisionContext) -> IncidentState? {
        var projected = state
        var sequence = state?.lastSequence ?? 0
        for event in events {
            sequence += 1
            let record = EventRecord(incidentID: state?.id ?? "", sequence: sequence, recordedAt: context.now, actor: context.actor,
                                     type: event.type, data: "", previousHash: "", hash: "")
            let recorded = RecordedEvent(record: record, event: event, occurredAt: context.occurredAt, login: context.login)
            if projected == nil {
                projected = IncidentState(opening: recorded)
            } else {
                projected?.apply(recorded)
            }
        }
        return projected
    }

    // MARK: - Checks that explain themselves

    static func requireNotClosed(_ state: IncidentState, _ context: DecisionContext) throws(Refusal) {
        if let closed = state.closed {
            throw Refusal(stated: .incidentClosed(incident: state.id, by: closed.by, at: context.formatTime(closed.at)))
        }
    }

    /// The current state and the step, or a refusal saying where the step is and why it cannot be acted on.
    static func locate(_ stepID: String, state: IncidentState, context: DecisionContext, verb: Message.Verb) throws(Refusal)
        -> (RunbookState, Step, StepProgress) {
        try requireNotClosed(state, context)
        let runbook = context.runbook
        guard let current = runbook.state(state.stateID) else {
            throw Refusal(stated: .undefinedState(incident: state.id, state: state.stateID))
        }
        if let step = current.step(stepID) {
            return (current, step, state.steps[stepID] ?? StepProgress())
        }
        let owners = runbook.states.filter { $0.step(stepID) != nil }.map(\.id)
        guard !owners.isEmpty else {
            let known = current.steps.map(\.id)
            throw Refusal(stated: .noStepInState(verb: verb, step: stepID, state: current.id, nearest: Suggestion.nearest(to: stepID, in: known),
                                                 steps: known), kind: .usage)
        }
        if let visit = state.visits.last(where: { owners.contains($0.state) }), let left = visit.left {
            throw Refusal(stated: .stateLeft(verb: verb, state: visit.state, at: context.formatTime(left.at), by: left.by,
                                             failedStep: visit.failedSteps.last, completed: visit.completed != nil, current: current.id))
        }
        throw Refusal(stated: .otherState(verb: verb, owner: owners[0], current: current.id))
    }

    /// Refuses to change a step that is already settled, running or failed.
    static func requireOpenForChange(_ progress: StepProgress, step: Step, verb: Message.Verb, context: DecisionContext) throws(Refusal) {
        switch progress.status {
        case .pending:
            return
        case .running:
            if case .wait = step.kind { return }
            if let started = progress.started {
                throw Refusal(stated: .stepRunning(verb: verb, by: started.by, at: context.formatTime(started.at)))
            }
        case .done, .skipped, .failed, .attemptFailed:
            if let finished = progress.finished {
                throw Refusal(stated: .alreadyMarked(verb: verb, status: progress.status, by: finished.by, at: context.formatTime(finished.at),
                                                     note: progress.note))
            }
        }
    }

    static func roleRef(_ id: String, _ runbook: Runbook) -> RoleRef {
        RoleRef(id: id, title: runbook.role(id)?.title ?? id)
    }
}

extension IncidentCommand.StepMark {
    public var pastTense: String {
        switch self {
        case .done: "done"
        case .skip: "skipped"
        case .fail: "failed"
        }
    }
}
