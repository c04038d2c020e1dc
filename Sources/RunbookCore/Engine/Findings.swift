/// Something in an incident's log a reviewer must see: shown by `status` and kept in the post-mortem's model.
/// The report issue renders them; `Findings.of` is the one place that decides what they are.
public struct Finding: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The roster and contacts in force were read from a directory other than the team's configured one
        /// (at the start, or by a reload).
        case otherRunbooksDirectory(directory: String, configured: String, reload: Bool)
        /// An approval by a person whose roster entry binds no logins: accepted, but only the name vouches for it.
        case approvalIdentityNotBound(by: String, step: String, login: String?)
        /// An approval as a person bound to other logins than the one that recorded it.
        case approvalFromOtherLogin(by: String, step: String, login: String?)
        /// Someone broke the glass: an approval completed without its role.
        case approvalOverridden(by: String, step: String, role: String, reason: String)
        /// In a resolving stage, a step whose run or check had failed was skipped or marked done by hand:
        /// service was declared restored without that check passing.
        case failedCheckPassedOver(by: String, step: String, state: String, skipped: Bool, failure: String?, note: String?)
        /// A mark was taken back (`step … undo`): the record was corrected.
        case correction(by: String, step: String, note: String)
        /// A resolved or closed incident was opened again.
        case reopened(by: String, reason: String)
        /// An approval was skipped by a holder of its role: the gate opened without the approval being given.
        case approvalSkipped(by: String, step: String, role: String, note: String?)
    }

    public var kind: Kind
    /// The event it was found at.
    public var sequence: Int64
    public var at: Instant

    public init(kind: Kind, sequence: Int64, at: Instant) {
        self.kind = kind
        self.sequence = sequence
        self.at = at
    }

    /// The finding in one English sentence (status JSON's `message`; the report is English).
    public var message: String { text(in: .english) }

    /// The finding in one sentence in `language` (status, guided mode).
    public func text(in language: Language = .current) -> String {
        Message.finding(kind).text(in: language)
    }
}

/// The findings of an incident, computed in one place from its events (and the roster facts recorded in them).
public enum Findings {
    /// Every finding in the log, in order of the events. With the incident's runbook, a failed check passed
    /// over in a resolving stage is found too (the runbook says which stages resolve).
    public static func of(_ events: [RecordedEvent], runbook: Runbook? = nil) -> [Finding] {
        var findings: [Finding] = []
        var roster: RosterFreeze?
        // The last failure of each step in the current visit of a stage.
        var failures: [String: String?] = [:]
        for event in events {
            switch event.event {
            case .stateEntered:
                failures = [:]
            case .stepFailed(_, let step, let note), .attemptFailed(_, let step, let note):
                failures[step] = .some(note)
            case .stepSkipped(let state, let step, let note) where runbook?.state(state)?.step(step)?.approval != nil:
                // Walking around an approval, even by a holder of its role, is for the review to see.
                findings.append(Finding(kind: .approvalSkipped(by: event.actor, step: step,
                                                               role: runbook?.state(state)?.step(step)?.approval?.role ?? "?", note: note),
                                        sequence: event.sequence, at: event.at))
            case .stepSkipped(let state, let step, let note), .stepDone(let state, let step, let note):
                guard let failure = failures.removeValue(forKey: step), runbook?.state(state)?.resolves == true else { break }
                var skipped = false
                if case .stepSkipped = event.event { skipped = true }
                findings.append(Finding(kind: .failedCheckPassedOver(by: event.actor, step: step, state: state, skipped: skipped,
                                                                     failure: failure, note: note),
                                        sequence: event.sequence, at: event.at))
            case .rosterFrozen(let freeze):
                if freeze.fromOtherDirectory {
                    findings.append(Finding(kind: .otherRunbooksDirectory(directory: freeze.directory, configured: freeze.configuredDirectory,
                                                                          reload: freeze.reload),
                                            sequence: event.sequence, at: event.at))
                }
                roster = freeze
            case .approvalGiven(_, let step, _):
                switch Identity.standing(of: event.actor, login: event.login, in: roster) {
                case .bound:
                    break
                case .unbound:
                    findings.append(Finding(kind: .approvalIdentityNotBound(by: event.actor, step: step, login: event.login),
                                            sequence: event.sequence, at: event.at))
                case .otherLogin:
                    findings.append(Finding(kind: .approvalFromOtherLogin(by: event.actor, step: step, login: event.login),
                                            sequence: event.sequence, at: event.at))
                }
            case .approvalOverridden(_, let step, let role, let reason):
                findings.append(Finding(kind: .approvalOverridden(by: event.actor, step: step, role: role, reason: reason),
                                        sequence: event.sequence, at: event.at))
            case .stepUndone(_, let step, let note):
                findings.append(Finding(kind: .correction(by: event.actor, step: step, note: note), sequence: event.sequence, at: event.at))
            case .reopened(let reason):
                findings.append(Finding(kind: .reopened(by: event.actor, reason: reason), sequence: event.sequence, at: event.at))
            default:
                break
            }
        }
        return findings
    }
}
