/// Why the engine refused a command: typed facts that front ends render (SPEC §3.1, STYLE 17).
///
/// `message` is the sentence in the process's language (`Language.current`), written by the message catalog;
/// the CLI prints it, guided mode wraps it, and other renderings (an HTTP problem body) switch over `reason`
/// instead of re-deriving the rule.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The command names something that does not exist or does not fit (a wrong step, a bad value).
        case usage
        /// The command conflicts with what the incident's log says (already done, left, closed, gated).
        case conflict
    }

    public var kind: Kind
    public var reason: Reason
    /// Events to record even though the command was refused (a refused approval is kept in the log).
    public var record: [IncidentEvent]

    public init(_ reason: Reason, kind: Kind = .conflict, record: [IncidentEvent] = []) {
        self.kind = kind
        self.reason = reason
        self.record = record
    }

    /// A refusal that is already a sentence.
    public init(_ message: String, kind: Kind = .conflict, record: [IncidentEvent] = []) {
        self.init(.explained(message), kind: kind, record: record)
    }

    /// A refusal decided where it is, as a message of the catalog with its facts.
    public init(stated message: Message, kind: Kind = .conflict, record: [IncidentEvent] = []) {
        self.init(.stated(message), kind: kind, record: record)
    }

    public var message: String { reason.sentence(in: .current) }
    public var description: String { message }

    /// The sentence in `language`.
    public func text(in language: Language) -> String { reason.sentence(in: language) }

    /// The facts of a refusal.
    public enum Reason: Sendable, Equatable {
        /// A refusal written as a sentence where it is decided (one language only: prefer `stated`).
        case explained(String)
        /// A refusal decided where it is, as a catalog message that carries its facts.
        case stated(Message)
        /// The step waits for other steps of its state (`needs`, `order: sequential`, an approval before it).
        case blocked(action: StepAction, step: String, waitingFor: [Blocker])
        /// A destructive command needs the responder to confirm it by naming the step.
        case destructiveNotConfirmed(incident: String, step: String, command: String)
        /// Only holders of the approval's role may approve, skip or fail it.
        case notRoleHolder(actor: String, action: StepAction, step: String, role: RoleRef, holders: [String])
        /// The actor's roster entry binds logins and this process runs as another one.
        case identityNotProven(actor: String, login: String?, logins: [String], action: StepAction, step: String)
        /// Breaking the glass needs a reason.
        case breakGlassNeedsReason(incident: String, step: String)
        /// Breaking the glass is for people on the roster.
        case notOnRoster(actor: String, step: String)
        /// The action needs a note saying why or what was checked instead.
        case noteRequired(action: StepAction, step: String, because: NoteRequirement)
        /// A run of the step is still recorded as running and its process group is alive: the same pid with the
        /// same start time (clock ticks since boot; nil when an older runbook recorded the run).
        case commandStillRunning(incident: String, step: String, pid: Int32, startTime: UInt64?, startedBy: String, startedAt: String)
        /// `roster reload` found the same roster and contacts, from the same directory, as the incident already uses.
        case rosterUnchanged(incident: String, directory: String)
        /// The step's stage runs only in a maintenance window, which is closed now.
        case outsideWindow(action: StepAction, step: String, gate: WindowGate)
    }

    /// What a refused action was.
    public enum StepAction: String, Sendable, Equatable {
        case run, done, skip, fail, input, approve, breakGlass, reloadRoster

        /// The verb phrase, as in "cannot mark step `x` done".
        func phrase(_ step: String) -> String {
            switch self {
            case .run: "run step `\(step)`"
            case .done: "mark step `\(step)` done"
            case .skip: "skip step `\(step)`"
            case .fail: "fail step `\(step)`"
            case .input: "record a value for step `\(step)`"
            case .approve: "approve step `\(step)`"
            case .breakGlass: "override approval `\(step)`"
            case .reloadRoster: "reload the roster of \(step)"
            }
        }
    }

    /// Why a note is required.
    public enum NoteRequirement: Sendable, Equatable {
        /// The command's last attempt failed: done by hand says what was checked instead, skip says why.
        case afterFailedAttempt(attempts: Int, failure: String?)
        /// The step was marked failed (by whom, when as shown, with their note): moving past it says why.
        case afterFailure(by: String, when: String, note: String?)
        /// The step is still gated: skipping or failing it past the gate says why.
        case pastAGate
    }
}

/// A role as refusals name it.
public struct RoleRef: Sendable, Equatable {
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }

    /// "운영 매니저 (manager)": the title's own-language part, then the id.
    public var name: String {
        if let open = title.firstRange(of: " (") {
            return "\(title[..<open.lowerBound]) (\(id))"
        }
        return title == id ? "`\(id)`" : "\(title) (\(id))"
    }
}

/// One thing a gated step waits for.
public struct Blocker: Sendable, Equatable {
    public var step: String
    public var reason: Prerequisite.Reason
    /// For an approval: its role, holders, and how many approvals it has and needs.
    public var approval: ApprovalFacts?

    public init(step: String, reason: Prerequisite.Reason, approval: ApprovalFacts? = nil) {
        self.step = step
        self.reason = reason
        self.approval = approval
    }
}

/// The facts of an approval a step waits for.
public struct ApprovalFacts: Sendable, Equatable {
    public var role: RoleRef
    /// The roster's holders of the role, by name.
    public var holders: [String]
    public var given: Int
    public var min: Int

    public init(role: RoleRef, holders: [String], given: Int, min: Int) {
        self.role = role
        self.holders = holders
        self.given = given
        self.min = min
    }
}

extension Refusal.Reason {
    /// The sentence in the process's language.
    public var sentence: String { sentence(in: .current) }

    /// The sentence in `language`, from the message catalog.
    public func sentence(in language: Language) -> String {
        switch self {
        case .explained(let text): text
        case .stated(let message): message.text(in: language)
        default: message.map { $0.text(in: language) } ?? ""
        }
    }

    /// A sentence written where it is decided (`.explained`) equals any reason that says the same in English,
    /// so callers and tests written as sentences still match the catalog's refusals; other reasons compare
    /// their facts (the catalog message carries every one of them).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.explained(let sentence), _): sentence == rhs.sentence(in: .english)
        case (_, .explained(let sentence)): lhs.sentence(in: .english) == sentence
        default: lhs.message == rhs.message
        }
    }

    /// The catalog message for a typed reason (nil for a sentence or a message already).
    var message: Message? {
        switch self {
        case .explained: nil
        case .stated(let message): message
        case .blocked(let action, let step, let blockers): .refusedBlocked(action: action, step: step, waitingFor: blockers)
        case .destructiveNotConfirmed(let incident, let step, let command): .refusedDestructive(incident: incident, step: step, command: command)
        case .notRoleHolder(let actor, let action, let step, let role, let holders):
            .refusedNotRoleHolder(actor: actor, action: action, step: step, role: role, holders: holders)
        case .identityNotProven(let actor, let login, let logins, let action, let step):
            .refusedIdentityNotProven(actor: actor, login: login, logins: logins, action: action, step: step)
        case .breakGlassNeedsReason(let incident, let step): .refusedBreakGlassNeedsReason(incident: incident, step: step)
        case .notOnRoster(let actor, let step): .refusedNotOnRoster(actor: actor, step: step)
        case .noteRequired(let action, let step, let because): .refusedNoteRequired(action: action, step: step, because: because)
        case .commandStillRunning(let incident, let step, let pid, let startTime, let by, let at):
            .refusedCommandStillRunning(incident: incident, step: step, pid: pid, startTime: startTime, startedBy: by, startedAt: at)
        case .rosterUnchanged(let incident, let directory): .refusedRosterUnchanged(incident: incident, directory: directory)
        case .outsideWindow(let action, let step, let gate): .refusedOutsideWindow(action: action, step: step, gate: gate)
        }
    }
}

extension Blocker {
    /// "approval `approve-reset` by 운영 매니저 (manager): choi", in `language`.
    func clause(in language: Language) -> String {
        switch reason {
        case .approvalGate:
            guard let approval else { return language.choose(english: "approval `\(step)`", korean: "`\(step)` 승인") }
            let role = approval.role.name
            let holders = approval.holders.joined(separator: ", ")
            return language.choose(
                english: "approval `\(step)`" + (approval.min > 1 ? " (\(approval.given) of \(approval.min) given)" : "")
                    + " by " + (approval.holders.isEmpty ? "\(role), which nobody in the roster holds" : "\(role): \(holders)"),
                korean: "`\(step)` 승인" + (approval.min > 1 ? " (\(approval.min)건 중 \(approval.given)건 완료)" : "")
                    + " — " + (approval.holders.isEmpty ? "\(role), 당직 명단에 이 역할을 가진 사람 없음" : "\(role): \(holders)"))
        case .needs:
            return language.choose(english: "step `\(step)` (needs)", korean: "`\(step)` 작업 (needs)")
        case .sequential:
            return language.choose(english: "step `\(step)` before it (order: sequential)", korean: "앞선 `\(step)` 작업 (order: sequential)")
        }
    }
}

extension Refusal.Reason {
    /// A short stable name for the kind of refusal, for machines (the server's problem bodies).
    public var code: String {
        switch self {
        case .explained, .stated: "refused"
        case .blocked: "blocked"
        case .destructiveNotConfirmed: "destructive-not-confirmed"
        case .notRoleHolder: "not-role-holder"
        case .identityNotProven: "identity-not-proven"
        case .breakGlassNeedsReason: "break-glass-needs-reason"
        case .notOnRoster: "not-on-roster"
        case .noteRequired: "note-required"
        case .commandStillRunning: "command-still-running"
        case .rosterUnchanged: "roster-unchanged"
        case .outsideWindow: "outside-window"
        }
    }
}
