/// Why the engine refused a command: typed facts that front ends render (SPEC §3.1, STYLE 17).
///
/// `message` is the English sentence; the CLI prints it, guided mode wraps it, and other renderings
/// (a translation, an HTTP problem body) switch over `reason` instead of re-deriving the rule.
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

    public var message: String { reason.sentence }
    public var description: String { message }

    /// The facts of a refusal.
    public enum Reason: Sendable, Equatable {
        /// A refusal written as a sentence where it is decided.
        case explained(String)
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
    /// The English sentence.
    public var sentence: String {
        switch self {
        case .explained(let text):
            return text
        case .blocked(let action, let step, let blockers):
            let waits = blockers.map(\.clause).joined(separator: "; and for ")
            let verb = action == .run ? "run" : action == .input ? "take a value" : action == .approve ? "be approved" : "be marked done"
            return "step `\(step)` waits for \(waits); it cannot \(verb) until then (it may be skipped or failed with a note)"
        case .destructiveNotConfirmed(let incident, let step, let command):
            return "step `\(step)` is destructive (\(command)); to run it, confirm by naming it: "
                + "runbook run \(incident) \(step) --confirm \(step)"
        case .notRoleHolder(let actor, let action, let step, let role, let holders):
            return "\(actor) does not hold the role \(role.name); only \(holderList(holders, role)) may \(action.rawValue) approval `\(step)`"
                + " (anyone on the roster may break the glass with --break-glass --reason TEXT)"
        case .identityNotProven(let actor, let login, let logins, let action, let step):
            return "cannot \(action.phrase(step)) as \(actor): the roster binds \(actor) to the login\(logins.count == 1 ? "" : "s") "
                + "\(logins.joined(separator: ", ")), and this runs as \(login ?? "an unknown login"); \(actor) must do it from their own login"
        case .breakGlassNeedsReason(let incident, let step):
            return "breaking the glass needs a reason that the approvers will read: "
                + "runbook approve \(incident) \(step) --break-glass --reason \"manager unreachable for 20m\""
        case .notOnRoster(let actor, let step):
            return "\(actor) is not on the roster (runbooks/roster.yaml); only people on it may override approval `\(step)`"
        case .rosterUnchanged(let incident, let directory):
            return "incident \(incident) already uses this roster and these contacts from \(directory); "
                + "edit roster.yaml or contacts.yaml first, then reload"
        case .commandStillRunning(let incident, let step, let pid, let startTime, let by, let at):
            let process = startTime.map { "pid \(pid), start time \($0) (clock ticks since boot)" } ?? "pid \(pid)"
            return "step `\(step)` is still running: its command's process group (\(process)) is alive, started by \(by) at \(at); "
                + "wait for it to end or time out, or end it with runbook run \(incident) \(step) --kill-stale"
        case .noteRequired(let action, let step, let because):
            let why = switch because {
            case .afterFailedAttempt(let attempts, let failure):
                "its command failed (attempt \(attempts)\(failure.map { ": \($0)" } ?? "")); say \(action == .done ? "what was checked instead" : "why")"
            case .afterFailure(let by, let when, let note):
                "it was marked failed by \(by) at \(when)\(note.map { ": \($0)" } ?? ""); say \(action == .done ? "what was checked instead" : "why")"
            case .pastAGate: "it is still waiting for other steps; say why it is \(action == .skip ? "skipped" : "failed") anyway"
            }
            return "cannot \(action.phrase(step)) without a note: \(why) with --note TEXT"
        }
    }

    func holderList(_ holders: [String], _ role: RoleRef) -> String {
        holders.isEmpty ? "holders of \(role.name) (nobody in the roster holds it)" : "\(role.name): \(holders.joined(separator: ", "))"
    }
}

extension Blocker {
    /// "approval `approve-reset` by 운영 매니저 (manager): choi".
    var clause: String {
        switch reason {
        case .approvalGate:
            guard let approval else { return "approval `\(step)`" }
            let count = approval.min > 1 ? " (\(approval.given) of \(approval.min) given)" : ""
            let who = approval.holders.isEmpty ? "\(approval.role.name), which nobody in the roster holds"
                : "\(approval.role.name): \(approval.holders.joined(separator: ", "))"
            return "approval `\(step)`\(count) by \(who)"
        case .needs:
            return "step `\(step)` (needs)"
        case .sequential:
            return "step `\(step)` before it (order: sequential)"
        }
    }
}
