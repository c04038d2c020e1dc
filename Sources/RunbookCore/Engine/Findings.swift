/// Something in an incident's log a reviewer must see: shown by `status` and kept in the post-mortem's model.
/// The post-mortem lists them first; `Findings.of` is the one place that decides what they are.
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
        /// A stage's deadline or a step's timeout passed (`step` nil for a stage).
        case deadlineMissed(state: String, step: String?, deadline: RunbookDuration)
        /// A page nobody acknowledged: the next tier was paged, or the log ends, with no acknowledgement after it.
        case pageUnacknowledged(tier: Int, round: Int, roles: [String], nextTierPaged: Bool)
        /// A command that could not run: not found (exit 127), not executable (126), or interrupted.
        case commandCouldNotRun(by: String, step: String, verdict: CommandVerdict)
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

    /// The finding in one English sentence (the `message` of status JSON and the report's JSON).
    public var message: String { text(in: .english) }

    /// The finding in one sentence in `language` (status, guided mode).
    public func text(in language: Language = .current) -> String {
        Message.finding(kind).text(in: language)
    }
}

extension Finding {
    /// The finding as data: its kind, event, English message and facts (status JSON and the report's JSON).
    public var json: JSONValue {
        let finding = self
        let kind: String
        var facts: [(String, JSONValue)] = []
        switch finding.kind {
        case .otherRunbooksDirectory(let directory, let configured, let reload):
            kind = "other_runbooks_directory"
            facts = [("runbooks", .string(directory)), ("configured_runbooks", .string(configured)), ("reload", .bool(reload))]
        case .approvalIdentityNotBound(let by, let step, let login):
            kind = "approval_identity_not_bound"
            facts = [("by", .string(by)), ("step", .string(step)), ("login", .optional(login))]
        case .approvalFromOtherLogin(let by, let step, let login):
            kind = "approval_from_other_login"
            facts = [("by", .string(by)), ("step", .string(step)), ("login", .optional(login))]
        case .approvalOverridden(let by, let step, let role, let reason):
            kind = "approval_overridden"
            facts = [("by", .string(by)), ("step", .string(step)), ("role", .string(role)), ("reason", .string(reason))]
        case .failedCheckPassedOver(let by, let step, let state, let skipped, let failure, let note):
            kind = "failed_check_passed_over"
            facts = [("by", .string(by)), ("step", .string(step)), ("state", .string(state)), ("skipped", .bool(skipped)),
                     ("failure", .optional(failure)), ("note", .optional(note))]
        case .correction(let by, let step, let note):
            kind = "correction"
            facts = [("by", .string(by)), ("step", .string(step)), ("note", .string(note))]
        case .reopened(let by, let reason):
            kind = "reopened"
            facts = [("by", .string(by)), ("reason", .string(reason))]
        case .approvalSkipped(let by, let step, let role, let note):
            kind = "approval_skipped"
            facts = [("by", .string(by)), ("step", .string(step)), ("role", .string(role)), ("note", .optional(note))]
        case .deadlineMissed(let state, let step, let deadline):
            kind = "deadline_missed"
            facts = [("state", .string(state)), ("step", .optional(step)), ("deadline_s", .int(Int64(deadline.seconds)))]
        case .pageUnacknowledged(let tier, let round, let roles, let nextTierPaged):
            kind = "page_unacknowledged"
            facts = [("tier", .int(Int64(tier))), ("round", .int(Int64(round))), ("roles", .array(roles.map { .string($0) })),
                     ("next_tier_paged", .bool(nextTierPaged))]
        case .commandCouldNotRun(let by, let step, let verdict):
            kind = "command_could_not_run"
            facts = [("by", .string(by)), ("step", .string(step)), ("result", .string(verdict.summary))]
        }
        return .object([("kind", .string(kind)), ("sequence", .int(finding.sequence)), ("at", .string(finding.at.iso8601)),
                        ("message", .string(finding.message))] + facts)
    }
}

/// The findings of an incident, computed in one place from its events (and the roster facts recorded in them).
public enum Findings {
    /// Every finding in the log, in order of the events. With the incident's runbook, a failed check passed
    /// over in a resolving stage is found too (the runbook says which stages resolve).
    ///
    /// `review` adds what only the post-mortem lists (missed deadlines, unacknowledged pages, commands that could
    /// not run): `status` shows those as they happen in its own lines, where a page still waiting is not yet a finding.
    public static func of(_ events: [RecordedEvent], runbook: Runbook? = nil, review: Bool = false) -> [Finding] {
        var findings: [Finding] = []
        // Pages since the last acknowledgement, by escalation episode: a later page of the same episode, or the
        // end of the log, leaves them unacknowledged.
        var unacknowledged: [Int: Finding] = [:]
        func leave(_ episode: Int, nextTierPaged: Bool) {
            guard var finding = unacknowledged.removeValue(forKey: episode) else { return }
            if case .pageUnacknowledged(let tier, let round, let roles, _) = finding.kind {
                finding.kind = .pageUnacknowledged(tier: tier, round: round, roles: roles, nextTierPaged: nextTierPaged)
            }
            findings.append(finding)
        }
        var roster: RosterFreeze?
        // The last failure of each step in the current visit of a stage.
        var failures: [String: String?] = [:]
        for event in events {
            switch event.event {
            case .stateEntered:
                failures = [:]
            case .stepFailed(_, let step, let note), .attemptFailed(_, let step, let note):
                failures[step] = .some(note)
            case .commandStarted(_, let step, _, _, _):
                // A new attempt: if it succeeds, the step is done by its run, not passed over.
                failures.removeValue(forKey: step)
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
            case .deadlineMissed(let miss) where review:
                findings.append(Finding(kind: .deadlineMissed(state: miss.state, step: miss.step, deadline: miss.deadline),
                                        sequence: event.sequence, at: event.at))
            case .escalated(let episode, _, let tier, let round, let roles, _, _, _) where review && tier > 0:
                leave(episode, nextTierPaged: true)
                unacknowledged[episode] = Finding(kind: .pageUnacknowledged(tier: tier, round: round, roles: roles, nextTierPaged: false),
                                                  sequence: event.sequence, at: event.at)
            case .acknowledged where review:
                unacknowledged = [:]
            case .commandFinished(let state, let step, let outcome) where review:
                // The step's own verdict (its `expect_exit`), as every view says it.
                let verdict = runbook?.state(state)?.step(step)?.verdict(of: outcome)
                    ?? outcome.verdict(expecting: 0, timeout: CommandSpec.defaultTimeout)
                switch verdict {
                case .notFound, .notExecutable, .interrupted, .couldNotStart:
                    findings.append(Finding(kind: .commandCouldNotRun(by: event.actor, step: step, verdict: verdict),
                                            sequence: event.sequence, at: event.at))
                default:
                    break
                }
            default:
                break
            }
        }
        guard review else { return findings }
        for episode in unacknowledged.keys.sorted() { leave(episode, nextTierPaged: false) }
        // Unacknowledged pages are known only later: put every finding back at its event (stable on ties).
        return findings.enumerated().sorted { ($0.element.sequence, $0.offset) < ($1.element.sequence, $1.offset) }.map(\.element)
    }
}
