/// One-line descriptions of events for timelines, guided mode and reports.
public enum EventDescription {
    /// What the event says, in a short English sentence (titles stay as the runbook writes them).
    public static func describe(_ event: IncidentEvent, runbook: Runbook?) -> String {
        func stepTitle(_ state: String, _ step: String) -> String {
            guard let title = runbook?.state(state)?.step(step)?.title else { return "`\(step)`" }
            return "`\(step)` \(title)"
        }
        func stateTitle(_ state: String) -> String {
            guard let title = runbook?.state(state)?.title, title != state else { return "`\(state)`" }
            return "`\(state)` \(title)"
        }
        func withNote(_ text: String, _ note: String?) -> String {
            note.map { "\(text): \($0)" } ?? text
        }
        switch event {
        case .opened(let runbookID, _, let title, let severity, let drill):
            return "\(drill ? "drill " : "")incident opened from runbook \(runbookID) (\(severity)): \(title)"
        case .stateEntered(let state, let reason, let from):
            let why: String = switch reason {
            case .initial: ""
            case .next: ""
            case .onFail: " after a failure in `\(from ?? "?")`"
            case .onTimeout: " after the deadline of `\(from ?? "?")` passed"
            case .goto: " by choice in `\(from ?? "?")`"
            }
            return "entered stage \(stateTitle(state))\(why)"
        case .stateCompleted(let state):
            return "completed stage \(stateTitle(state))"
        case .stepStarted(let state, let step):
            return "started step \(stepTitle(state, step))"
        case .stepDone(let state, let step, let note):
            return withNote("step \(stepTitle(state, step)) done", note)
        case .stepSkipped(let state, let step, let note):
            return withNote("step \(stepTitle(state, step)) skipped", note)
        case .stepFailed(let state, let step, let note):
            return withNote("step \(stepTitle(state, step)) failed", note)
        case .attemptFailed(let state, let step, let note):
            return withNote("step \(stepTitle(state, step)) attempt failed, waiting for a decision (run again, done by hand, skip or fail)", note)
        case .commandStarted(_, let step, let command, _, _):
            return "ran `\(step)`: $ \(command)"
        case .commandFinished(_, let step, let outcome):
            return "command `\(step)` finished: \(outcome.shortResult) in \(formatMilliseconds(outcome.durationMilliseconds)), "
                + "\(outcome.stdout.totalBytes + outcome.stderr.totalBytes) bytes of output"
        case .inputRecorded(let state, let step, let value):
            return "input \(stepTitle(state, step)) = \(value)"
        case .approvalGiven(let state, let step, let role):
            return "approved \(stepTitle(state, step)) as \(role)"
        case .approvalRefused(let state, let step, _, let reason):
            return "approval of \(stepTitle(state, step)) refused: \(reason)"
        case .approvalOverridden(let state, let step, let role, let reason):
            return "BREAK-GLASS: approval \(stepTitle(state, step)) overridden without \(role): \(reason)"
        case .noteAdded(let text):
            return "note: \(text)"
        case .acknowledged:
            return "acknowledged"
        case .severityChanged(let from, let to):
            return "severity changed from \(from) to \(to)"
        case .resolved(let note):
            return withNote("incident resolved (service restored)", note)
        case .closed:
            return "incident closed"
        case .deadlineMissed(let miss):
            switch miss.kind {
            case .stage: return "missed the \(miss.deadline) deadline of stage \(stateTitle(miss.state))"
            case .step: return "missed the \(miss.deadline) timeout of step \(stepTitle(miss.state, miss.step ?? "?"))"
            }
        case .escalationStarted(let episode, let cause, _, _, _):
            return "escalation \(episode) started: \(cause)"
        case .escalated(let episode, _, let tier, let round, let roles, _, let manual, let reason):
            let names = roles.map { id in runbook?.role(id).map { "\(id) (\($0.title))" } ?? id }.joined(separator: ", ")
            if tier == 0 { return "paged \(names) at once" + (reason.map { ": \($0)" } ?? "") }
            let how = manual ? "escalated by hand" : "escalation \(episode)"
            return "\(how): paged tier \(tier)\(round > 1 ? " (round \(round))" : ""): \(names)" + (reason.map { ": \($0)" } ?? "")
        case .notification(let delivery):
            if delivery.succeeded {
                return "notified \(delivery.role) via \(delivery.channel)" + (delivery.detail.map { " (\($0))" } ?? "")
            }
            return "could not notify \(delivery.role) via \(delivery.channel) (attempt \(delivery.attempt)): \(delivery.error ?? "failed")"
        case .reportWritten(let files, _, let final, _, _):
            return "\(final ? "final" : "draft") post-mortem written: \(files.joined(separator: ", "))"
        case .rosterFrozen(let freeze):
            let what = freeze.reload ? "roster and contacts reloaded" : "roster and contacts frozen"
            let bound = freeze.logins.keys.sorted()
            return "\(what) from \(freeze.directory) (roster \(freeze.rosterSHA256.prefix(12)), contacts \(freeze.contactsSHA256.prefix(12)))"
                + (bound.isEmpty ? "; no one bound to a login" : "; bound to logins: \(bound.joined(separator: ", "))")
        }
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

    /// A signed span for countdowns: `4:59 left`, `2:03 overdue`, `1:02:03 left`.
    public static func countdown(from now: Instant, to due: Instant) -> String {
        let remaining = due.milliseconds(since: now)
        // Due at t means missed at t: zero is overdue, and time left rounds up.
        let seconds = Int(remaining > 0 ? (remaining + 999) / 1000 : -remaining / 1000)
        let clock = seconds >= 3600
            ? "\(seconds / 3600):\(pad(seconds % 3600 / 60, 2)):\(pad(seconds % 60, 2))"
            : "\(seconds / 60):\(pad(seconds % 60, 2))"
        return remaining > 0 ? "\(clock) left" : "\(clock) overdue"
    }
}
