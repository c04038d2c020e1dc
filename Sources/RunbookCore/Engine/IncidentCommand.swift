/// What a responder asks of an incident.
public enum IncidentCommand: Sendable, Equatable {
    /// Mark a step done, skipped or failed by hand.
    case mark(step: String, StepMark, note: String?)
    /// Record the value of an input step.
    case input(step: String, value: String)
    /// Approve an approval step.
    case approve(step: String)
    /// Break the glass: complete an approval step without its role's approval, with a reason; its role is paged.
    case overrideApproval(step: String, reason: String)
    /// Start a command step whose process group is led by `pid` (nil when only checking), started at `startTime`
    /// (clock ticks since boot, `/proc/PID/stat` field 22). `previousRun` is what the runtime found of the
    /// process recorded for a run still marked running; `confirmed` tells that the responder named the step to
    /// confirm a destructive command.
    case startCommand(step: String, pid: Int32?, startTime: UInt64? = nil, previousRun: ProcessCheck? = nil, confirmed: Bool = false)
    /// Record a command step's result. `pid`, when given, is the group leader of the run it belongs to: the
    /// result of a run that a later one has replaced (after `--kill-stale`) is not recorded on the later one.
    case finishCommand(step: String, outcome: CommandOutcome, pid: Int32? = nil)
    /// Start a call step whose child incident is `child` (nil when only checking that it may start).
    case startCall(step: String, child: String?)
    /// Reflect how a call step's child incident ended: the step is done when it resolved, failed when it was closed
    /// unresolved. Recorded once per child; nothing when already reflected.
    case settleCall(ChildOutcome)
    case note(String)
    case acknowledge
    /// Page the next tier now.
    case escalate(reason: String?)
    case resolve(note: String?)
    case changeSeverity(String)
    /// Freeze a new version of the roster and contacts into the incident (a shift handover).
    case reloadRoster(RosterFreeze)
    /// Take back a mark made by mistake in the current stage, saying why (a correction: the log keeps both).
    case undo(step: String, note: String)
    /// Open a resolved or closed incident again, saying why.
    case reopen(reason: String)
    /// Move a drill's simulated clock forward.
    case advanceDrillClock(RunbookDuration)
    /// Record a monitoring system's alert that belongs to this incident (the same fingerprint or group, SPEC §10).
    case receiveAlert(ReceivedAlert)

    public enum StepMark: String, Sendable, Equatable, CaseIterable {
        case done, skip, fail
    }
}

/// What the runtime found of the process recorded for a step's earlier run: a fact the engine cannot look up.
///
/// The process is alive only if its pid exists with the recorded start time; a pid now held by a process that
/// started at another time belongs to someone else. A run recorded without a start time (by an older runbook)
/// counts as alive while its pid exists.
public struct ProcessCheck: Sendable, Equatable {
    public var pid: Int32
    public var startTime: UInt64?
    public var alive: Bool

    public init(pid: Int32, startTime: UInt64?, alive: Bool) {
        self.pid = pid
        self.startTime = startTime
        self.alive = alive
    }
}

/// The facts a decision needs besides the incident: the frozen runbook, who acts, and when.
public struct DecisionContext: Sendable {
    public var runbook: Runbook
    public var actor: String
    /// The roles the actor holds in the roster (for approvals).
    public var actorRoles: [String]
    /// The roster's holders of each role, by name, for refusals that say who can act instead.
    public var roleHolders: [String: [String]]
    /// The operating-system login of the process that acts (from its real user id); nil when unknown.
    public var login: String?
    /// The logins the actor's roster entry binds them to; nil when the entry binds none (SPEC §3.1).
    public var actorLogins: [String]?
    /// For an action through the team server (`login` a token's), the operating-system login that created the token.
    public var tokenIssuer: String?
    /// The recording time.
    public var now: Instant
    /// When the action really happened, if entered after the fact.
    public var occurredAt: Instant?
    /// Renders a time for messages (local time in the CLI).
    public var formatTime: @Sendable (Instant) -> String

    public init(runbook: Runbook, actor: String, actorRoles: [String] = [], roleHolders: [String: [String]] = [:],
                login: String? = nil, actorLogins: [String]? = nil, now: Instant, occurredAt: Instant? = nil, formatTime: @escaping @Sendable (Instant) -> String = { $0.iso8601 }) {
        self.runbook = runbook
        self.actor = actor
        self.actorRoles = actorRoles
        self.roleHolders = roleHolders
        self.login = login
        self.actorLogins = actorLogins
        self.now = now
        self.occurredAt = occurredAt
        self.formatTime = formatTime
    }

    /// When the action happened.
    public var at: Instant { occurredAt ?? now }

    /// Whether the actor's identity is proven: their roster entry binds logins and the process runs as one of them,
    /// or the action came through the team server under the actor's own token (which takes the login's place).
    public var identityBound: Bool {
        // A token proves its person, but a person bound to logins only through a token one of those logins (or root)
        // created: else anyone who can run `runbook token create` could approve as them.
        if Identity.tokenID(of: login) != nil {
            guard let actorLogins else { return true }
            return tokenIssuer.map { actorLogins.contains($0) || $0 == "root" } ?? false
        }
        guard let actorLogins, let login else { return false }
        return actorLogins.contains(login)
    }
}
