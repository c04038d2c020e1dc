/// One-line descriptions of events for timelines, guided mode and reports.
public enum EventDescription {
    /// What the event says, in a short sentence in `language` (titles stay as the runbook writes them).
    public static func describe(_ event: IncidentEvent, runbook: Runbook?, language: Language = .current) -> String {
        withNote(message(event, runbook: runbook).text(in: language), note(of: event))
    }

    /// The catalog message of the event, without a step's note (`describe` appends it).
    static func message(_ event: IncidentEvent, runbook: Runbook?) -> Message {
        func stepTitle(_ state: String, _ step: String) -> String {
            guard let title = runbook?.state(state)?.step(step)?.title else { return "`\(step)`" }
            return "`\(step)` \(title)"
        }
        func stateTitle(_ state: String) -> String {
            guard let title = runbook?.state(state)?.title, title != state else { return "`\(state)`" }
            return "`\(state)` \(title)"
        }
        switch event {
        case .opened(let runbookID, _, let title, let severity, let drill, let clock, _, _, _):
            // A routine check has no severity (its opening records the runbook's default, unused).
            return .eventOpened(drill: drill, speed: clock?.speed, runbook: runbookID, severity: runbook?.kind == .checklist ? nil : severity, title: title)
        case .stateEntered(let state, let reason, let from):
            let after: Message.EntryCause? = switch reason {
            case .initial, .next: nil
            case .onFail: .failure(in: from ?? "?")
            case .onTimeout: .timeout(of: from ?? "?")
            case .goto: .choice(in: from ?? "?")
            case .reopened: .reopened
            }
            return .eventStageEntered(stage: stateTitle(state), after: after)
        case .stateCompleted(let state):
            return .eventStageCompleted(stage: stateTitle(state))
        case .stepStarted(let state, let step):
            return .eventStepStarted(step: stepTitle(state, step))
        case .stepDone(let state, let step, _):
            return .eventStepDone(step: stepTitle(state, step))
        case .stepSkipped(let state, let step, _):
            return .eventStepSkipped(step: stepTitle(state, step))
        case .stepFailed(let state, let step, _):
            return .eventStepFailed(step: stepTitle(state, step))
        case .attemptFailed(let state, let step, _):
            return .eventAttemptFailed(step: stepTitle(state, step))
        case .commandStarted(_, let step, let command, _, _):
            return .eventCommandStarted(step: step, command: command)
        case .commandFinished(_, let step, let outcome):
            let ending: Message.CommandEnding
            if let interruption = outcome.interruption {
                ending = .interrupted(interruption)
            } else if outcome.timedOut {
                ending = .timedOut
            } else if let reason = outcome.couldNotStart {
                ending = .couldNotStart(reason)
            } else if let signal = outcome.signal {
                ending = .signal(signal)
            } else {
                ending = .exit(outcome.exitCode)
            }
            return .eventCommandFinished(step: step, ending: ending, duration: formatMilliseconds(outcome.durationMilliseconds),
                                         bytes: outcome.stdout.totalBytes + outcome.stderr.totalBytes, expectation: outcome.expectation)
        case .inputRecorded(let state, let step, let value):
            return .eventInput(step: stepTitle(state, step), value: value)
        case .approvalGiven(let state, let step, let role):
            return .eventApproved(step: stepTitle(state, step), role: role)
        case .approvalRefused(let state, let step, _, let reason):
            return .eventApprovalRefused(step: stepTitle(state, step), reason: reason)
        case .approvalOverridden(let state, let step, let role, let reason):
            return .eventApprovalOverridden(step: stepTitle(state, step), role: role, reason: reason)
        case .noteAdded(let text):
            return .eventNote(text)
        case .acknowledged:
            return .eventAcknowledged
        case .severityChanged(let from, let to):
            return .eventSeverityChanged(from: from, to: to)
        case .resolved:
            return .eventResolved
        case .closed:
            return .eventClosed
        case .stepUndone(let state, let step, let note):
            return .eventStepUndone(step: stepTitle(state, step), note: note)
        case .reopened(let reason):
            return .eventReopened(reason: reason)
        case .drillClockAdvanced(let milliseconds):
            return .eventDrillClockAdvanced("\(RunbookDuration(seconds: Int(milliseconds / 1000)))")
        case .deadlineMissed(let miss):
            switch miss.kind {
            case .stage: return .eventMissedStageDeadline(deadline: "\(miss.deadline)", stage: stateTitle(miss.state))
            case .step: return .eventMissedStepTimeout(timeout: "\(miss.deadline)", step: stepTitle(miss.state, miss.step ?? "?"))
            }
        case .escalationStarted(let episode, let cause, _, _, _):
            return .eventEscalationStarted(episode: episode, cause: cause)
        case .escalated(let episode, _, let tier, let round, let roles, _, let manual, _):
            let names = roles.map { id in runbook?.role(id).map { "\(id) (\($0.title))" } ?? id }.joined(separator: ", ")
            if tier == 0 { return .eventPagedAtOnce(roles: names) }
            return .eventPaged(episode: episode, manual: manual, tier: tier, round: round, roles: names)
        case .notification(let delivery):
            // A page to a rotation's role names the person on duty.
            let role = delivery.onDuty.map { "\(delivery.role) (\($0)" + (delivery.shift.map { ", \($0)" } ?? "") + ")" } ?? delivery.role
            if delivery.succeeded { return .eventNotified(role: role, channel: delivery.channel) }
            return .eventNotifyFailed(role: role, channel: delivery.channel, attempt: delivery.attempt, error: delivery.error ?? "failed")
        case .reportWritten(let files, _, let final, _, _):
            return .eventReportWritten(final: final, files: files)
        case .rosterFrozen(let freeze):
            return .eventRoster(reload: freeze.reload, directory: freeze.directory, roster: String(freeze.rosterSHA256.prefix(12)),
                                contacts: String(freeze.contactsSHA256.prefix(12)), bound: freeze.logins.keys.sorted())
        case .callStarted(_, let step, let child, let runbook):
            return .eventCallStarted(step: step, child: child, runbook: runbook)
        case .callFinished(_, let step, let child, _, let resolved):
            return .eventCallFinished(step: step, child: child, resolved: resolved)
        case .calendarFrozen(let windows):
            return .eventCalendar(windows: windows.map(\.name))
        case .escalationHeld(_, _, let tier, let window, _, _, let untilText):
            return .eventPageHeld(tier: tier, window: window, until: untilText)
        case .alertReceived(let alert):
            return alert.message
        }
    }

    /// What follows the sentence after a colon (a step's note, a page's reason) or in parentheses (a delivery's detail).
    static func note(of event: IncidentEvent) -> String? {
        switch event {
        case .stepDone(_, _, let note), .stepSkipped(_, _, let note), .stepFailed(_, _, let note), .attemptFailed(_, _, let note),
             .resolved(let note):
            note.map { ": \($0)" }
        case .escalated(_, _, _, _, _, _, _, let reason):
            reason.map { ": \($0)" }
        case .notification(let delivery):
            delivery.succeeded ? delivery.detail.map { " (\($0))" } : nil
        default:
            nil
        }
    }

    static func withNote(_ text: String, _ note: String?) -> String {
        note.map { text + $0 } ?? text
    }

    /// `850ms`, `12.3s`, `4m05s`, `1h02m`.
    public static func formatMilliseconds(_ value: Int64) -> String {
        if value < 1000 { return "\(value)ms" }
        if value < 60_000 {
            let tenths = value / 100
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = value / 1000
        if seconds < 3600 { return "\(seconds / 60)m\(pad(Int(seconds % 60), 2))s" }
        return "\(seconds / 3600)h\(pad(Int(seconds % 3600 / 60), 2))m"
    }

    /// A signed span for countdowns: `4:59 left`, `2:03 overdue`, `1:02:03 left` (in `language`).
    public static func countdown(from now: Instant, to due: Instant, language: Language = .current) -> String {
        let remaining = due.milliseconds(since: now)
        // Due at t means missed at t: zero is overdue, and time left rounds up.
        let seconds = Int(remaining > 0 ? (remaining + 999) / 1000 : -remaining / 1000)
        let clock = seconds >= 3600
            ? "\(seconds / 3600):\(pad(seconds % 3600 / 60, 2)):\(pad(seconds % 60, 2))"
            : "\(seconds / 60):\(pad(seconds % 60, 2))"
        return (remaining > 0 ? Message.countdownLeft(clock) : .countdownOverdue(clock)).text(in: language)
    }
}
