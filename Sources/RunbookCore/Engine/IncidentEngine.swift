/// The pure rules of an incident: commands decided against the state and the frozen runbook into events.
///
/// No clock, no I/O: time comes in the context, and the caller appends the events it returns.
public enum IncidentEngine {
    /// The events that open an incident and enter its initial state; `roster` (the roster and contacts in
    /// force, frozen into the incident) is recorded right after the opening.
    public static func open(runbook: Runbook, snapshotSHA256: String, title: String?, severity: String?, drill: Bool,
                            roster: RosterFreeze? = nil, context: DecisionContext) throws(Refusal) -> [IncidentEvent] {
        let severity = severity ?? runbook.severity
        guard Runbook.severities.contains(severity) else {
            throw Refusal("unknown severity `\(severity)`; use one of \(Runbook.severities.joined(separator: ", "))", kind: .usage)
        }
        var events: [IncidentEvent] = [
            .opened(runbookID: runbook.id, runbookSHA256: snapshotSHA256, title: title ?? runbook.title,
                    severity: severity, drill: drill),
        ]
        if let roster { events.append(.rosterFrozen(roster)) }
        if !runbook.escalation.tiers.isEmpty {
            events.append(.escalationStarted(episode: 1, cause: "incident opened, not yet acknowledged", scope: .unacknowledged,
                                             baseAt: context.at))
        }
        events += enter(runbook.initial, reason: .initial, from: nil, runbook: runbook)
        return settle(events, state: nil, context: context)
    }

    /// Decides `command` against `state`: the events to append, or a refusal that explains why not.
    public static func decide(_ command: IncidentCommand, state: IncidentState, context: DecisionContext) throws(Refusal) -> [IncidentEvent] {
        let runbook = context.runbook
        switch command {
        case .note(let text):
            guard !text.trimmingWhitespace.isEmpty else { throw Refusal("the note is empty; write what happened", kind: .usage) }
            return [.noteAdded(text: text)]
        case .acknowledge:
            try requireNotClosed(state, context)
            if let ack = state.acknowledged {
                throw Refusal("incident \(state.id) was already acknowledged by \(ack.by) at \(context.formatTime(ack.at))")
            }
            return [.acknowledged]
        case .resolve(let note):
            try requireNotClosed(state, context)
            if let resolved = state.resolved {
                throw Refusal("incident \(state.id) was already resolved by \(resolved.by) at \(context.formatTime(resolved.at))")
            }
            return [.resolved(note: note)]
        case .escalate(let reason):
            try requireNotClosed(state, context)
            let policy = runbook.escalation
            guard !policy.tiers.isEmpty else { throw Refusal("runbook \(runbook.id) has no escalation tiers", kind: .usage) }
            // The running escalation that reached the highest tier is the one to push further.
            let running = state.episodes.filter { state.isActive($0) }
            if let episode = running.max(by: { ($0.pages.last?.index ?? -1, $0.number) < ($1.pages.last?.index ?? -1, $1.number) }) {
                guard let page = Scheduler.nextPage(episode, policy: policy, manualAt: context.at, reason: reason) else {
                    throw Refusal("every tier of escalation \(episode.number) was already paged (\(policy.tiers.count) tiers, "
                                  + "\(policy.repeatCount + 1) round\(policy.repeatCount == 0 ? "" : "s"))")
                }
                return [page.event]
            }
            let number = (state.episodes.map(\.number).max() ?? 0) + 1
            // A new escalation by hand starts above the highest tier paged so far.
            let tier = min(state.highestTierPaged, policy.tiers.count - 1)
            let started = Episode(number: number, cause: "", scope: .stage, baseAt: context.at, visitIndex: state.visits.count - 1,
                                  started: Actioned(by: context.actor, at: context.at, sequence: 0),
                                  pages: tier == 0 ? [] : [Page(index: tier - 1, tier: tier, round: 1, roles: [], dueAt: context.at, manual: true,
                                                                reason: nil, recorded: Actioned(by: context.actor, at: context.at, sequence: 0))])
            guard let page = Scheduler.nextPage(started, policy: policy, manualAt: context.at, reason: reason) else { return [] }
            return [.escalationStarted(episode: number, cause: "escalated by hand" + (reason.map { ": \($0)" } ?? ""), scope: .stage,
                                       baseAt: context.at), page.event]
        case .reloadRoster(let freeze):
            try requireNotClosed(state, context)
            if let current = state.roster, current.rosterSHA256 == freeze.rosterSHA256, current.contactsSHA256 == freeze.contactsSHA256,
               current.directory == freeze.directory {
                throw Refusal("incident \(state.id) already uses this roster and these contacts from \(freeze.directory); "
                              + "edit roster.yaml or contacts.yaml first, then reload")
            }
            return [.rosterFrozen(freeze)]
        case .changeSeverity(let severity):
            try requireNotClosed(state, context)
            guard Runbook.severities.contains(severity) else {
                throw Refusal("unknown severity `\(severity)`; use one of \(Runbook.severities.joined(separator: ", "))", kind: .usage)
            }
            guard severity != state.severity else { throw Refusal("incident \(state.id) is already \(severity)") }
            return [.severityChanged(from: state.severity, to: severity)]
        case .mark(let stepID, let mark, let note):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: "mark step `\(stepID)` \(mark.pastTense)")
            try requireOpenForChange(progress, step: step, verb: "mark step `\(stepID)` \(mark.pastTense)", context: context, allowFailed: mark == .skip)
            if mark == .done {
                switch step.kind {
                case .manual: break
                case .command:
                    throw Refusal("step `\(stepID)` is a command; run it with `runbook run \(state.id) \(stepID)`, or skip it with a note", kind: .usage)
                case .input:
                    throw Refusal("step `\(stepID)` asks for a value; record it with `runbook input \(state.id) \(stepID) VALUE`", kind: .usage)
                case .approval:
                    throw Refusal("step `\(stepID)` needs an approval; give it with `runbook approve \(state.id) \(stepID)`", kind: .usage)
                case .wait(let duration):
                    throw Refusal("step `\(stepID)` waits \(duration) and completes by itself; skip it to move on sooner", kind: .usage)
                }
            }
            let event: IncidentEvent = switch mark {
            case .done: .stepDone(state: current.id, step: stepID, note: note)
            case .skip: .stepSkipped(state: current.id, step: stepID, note: note)
            case .fail: .stepFailed(state: current.id, step: stepID, note: note)
            }
            return settle([event], state: state, context: context)
        case .input(let stepID, let value):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: "record input for step `\(stepID)`")
            guard case .input(let input) = step.kind else {
                throw Refusal("step `\(stepID)` is not an input step (it is a \(step.kind.name) step)", kind: .usage)
            }
            try requireOpenForChange(progress, step: step, verb: "record a value for step `\(stepID)`", context: context, allowFailed: false)
            let trimmed = String(value.trimmingWhitespace)
            guard !trimmed.isEmpty else { throw Refusal("the value for step `\(stepID)` is empty", kind: .usage) }
            if let choices = input.choices, !choices.contains(trimmed) {
                throw Refusal("`\(trimmed)` is not a choice of step `\(stepID)`; choose one of \(choices.joined(separator: ", "))"
                              + Suggestion.didYouMean(trimmed, in: choices), kind: .usage)
            }
            var events: [IncidentEvent] = [.inputRecorded(state: current.id, step: stepID, value: trimmed),
                                            .stepDone(state: current.id, step: stepID, note: nil)]
            if stepID == "severity", Runbook.severities.contains(trimmed), trimmed != state.severity {
                events.append(.severityChanged(from: state.severity, to: trimmed))
            }
            if let target = input.target(for: trimmed) {
                events.append(contentsOf: enter(target, reason: .goto, from: current.id, runbook: runbook))
            }
            return settle(events, state: state, context: context)
        case .approve(let stepID):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: "approve step `\(stepID)`")
            guard case .approval(let approval) = step.kind else {
                throw Refusal("step `\(stepID)` is not an approval step (it is a \(step.kind.name) step)", kind: .usage)
            }
            try requireOpenForChange(progress, step: step, verb: "approve step `\(stepID)`", context: context, allowFailed: false)
            guard context.actorRoles.contains(approval.role) else {
                let reason = "\(context.actor) does not hold the role `\(approval.role)` in the roster"
                throw Refusal("\(reason); step `\(stepID)` needs approval by \(roleName(approval.role, runbook)) (the refusal is recorded)",
                              kind: .conflict, record: [.approvalRefused(state: current.id, step: stepID, role: approval.role, reason: reason)])
            }
            if let earlier = progress.approvals.first(where: { $0.by == context.actor }) {
                throw Refusal("\(context.actor) already approved step `\(stepID)` at \(context.formatTime(earlier.at)); "
                              + "it needs \(approval.min) different approvers")
            }
            var events: [IncidentEvent] = [.approvalGiven(state: current.id, step: stepID, role: approval.role)]
            if progress.approvals.count + 1 >= approval.min {
                events.append(.stepDone(state: current.id, step: stepID, note: nil))
            }
            return settle(events, state: state, context: context)
        case .startCommand(let stepID, let pid, let abandoned):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: "run step `\(stepID)`")
            guard case .command(let command) = step.kind else {
                throw Refusal("step `\(stepID)` is not a command step (it is a \(step.kind.name) step)", kind: .usage)
            }
            if progress.status == .running, !abandoned, let started = progress.started {
                throw Refusal("step `\(stepID)` is already running (started by \(started.by) at \(context.formatTime(started.at)))")
            }
            if progress.isSettled, let finished = progress.finished {
                throw Refusal("step `\(stepID)` was already \(progress.status.rawValue) by \(finished.by) at \(context.formatTime(finished.at))")
            }
            return [.commandStarted(state: current.id, step: stepID, command: command.run, pid: pid)]
        case .finishCommand(let stepID, let outcome):
            let (current, step, progress) = try locate(stepID, state: state, context: context, verb: "record the result of step `\(stepID)`")
            guard case .command(let command) = step.kind, progress.status == .running else {
                throw Refusal("step `\(stepID)` is not running; its result cannot be recorded")
            }
            let note: String? = if outcome.timedOut {
                "timed out after \(step.commandTimeout)"
            } else if let signal = outcome.signal {
                "killed by signal \(signal)"
            } else if let code = outcome.exitCode, code != command.expectExit {
                "exit code \(code), expected \(command.expectExit)"
            } else {
                nil
            }
            let finished: IncidentEvent = outcome.succeeded(expecting: command.expectExit)
                ? .stepDone(state: current.id, step: stepID, note: nil)
                : .stepFailed(state: current.id, step: stepID, note: note)
            return settle([.commandFinished(state: current.id, step: stepID, outcome: outcome), finished], state: state, context: context)
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
                case .escalate:
                    let number = (current.episodes.map(\.number).max() ?? 0) + 1
                    let title = stage.step(step)?.title ?? step
                    all.append(.escalationStarted(episode: number, cause: "step `\(step)` \(title) failed", scope: .stage, baseAt: context.at))
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
            throw Refusal("incident \(state.id) was closed by \(closed.by) at \(context.formatTime(closed.at)); only notes can be added")
        }
    }

    /// The current state and the step, or a refusal saying where the step is and why it cannot be acted on.
    static func locate(_ stepID: String, state: IncidentState, context: DecisionContext, verb: String) throws(Refusal)
        -> (RunbookState, Step, StepProgress) {
        try requireNotClosed(state, context)
        let runbook = context.runbook
        guard let current = runbook.state(state.stateID) else {
            throw Refusal("incident \(state.id) is in state `\(state.stateID)`, which its runbook does not define")
        }
        if let step = current.step(stepID) {
            return (current, step, state.steps[stepID] ?? StepProgress())
        }
        let owners = runbook.states.filter { $0.step(stepID) != nil }.map(\.id)
        guard !owners.isEmpty else {
            let known = current.steps.map(\.id)
            throw Refusal("cannot \(verb): no step `\(stepID)` in state `\(current.id)`"
                          + (Suggestion.nearest(to: stepID, in: known).map { "; did you mean `\($0)`?" }
                             ?? "; its steps are \(known.joined(separator: ", "))"), kind: .usage)
        }
        if let visit = state.visits.last(where: { owners.contains($0.state) }), let left = visit.left {
            var why = ""
            if let failed = visit.failedSteps.last { why = " (step `\(failed)` failed)" } else if visit.completed != nil { why = " (completed)" }
            throw Refusal("cannot \(verb): state `\(visit.state)` was left at \(context.formatTime(left.at)) by \(left.by)\(why); "
                          + "the incident is now in `\(current.id)`")
        }
        throw Refusal("cannot \(verb): it belongs to state `\(owners[0])`, and the incident is in `\(current.id)`")
    }

    /// Refuses to change a step that is already settled, running, or (unless `allowFailed`) failed.
    static func requireOpenForChange(_ progress: StepProgress, step: Step, verb: String, context: DecisionContext, allowFailed: Bool) throws(Refusal) {
        switch progress.status {
        case .pending:
            return
        case .running:
            if case .wait = step.kind { return }
            if let started = progress.started {
                throw Refusal("cannot \(verb): it is running (started by \(started.by) at \(context.formatTime(started.at)))")
            }
        case .failed where allowFailed:
            return
        case .done, .skipped, .failed:
            if let finished = progress.finished {
                let note = progress.note.map { ": \($0)" } ?? ""
                throw Refusal("cannot \(verb): it was already marked \(progress.status.rawValue) by \(finished.by) at \(context.formatTime(finished.at))\(note)")
            }
        }
    }

    static func roleName(_ id: String, _ runbook: Runbook) -> String {
        runbook.role(id).map { "`\(id)` (\($0.title))" } ?? "`\(id)`"
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
