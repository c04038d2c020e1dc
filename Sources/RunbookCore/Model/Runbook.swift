/// A runbook: a state machine of timed stages with steps and escalation tiers (SPEC §3).
public struct Runbook: Sendable, Equatable {
    public var id: String
    public var title: String
    public var source: String?
    public var summary: String?
    public var severity: String
    /// Recovery time objective: the longest acceptable time from opening to resolution.
    public var rto: RunbookDuration?
    /// Recovery point objective, shown in views and reports.
    public var rpo: RunbookDuration?
    public var roles: [Role]
    public var escalation: EscalationPolicy
    /// An incident runbook (the default) or a routine checklist (SPEC §3.2).
    public var kind: RunbookKind
    /// When the runbook runs by itself, if ever (`schedule:`).
    public var schedule: Schedule?
    /// The time zone its schedule is read in (`timezone:`); nil: `TZ`, else the system's zone.
    public var timezone: String?
    public var initial: String
    public var states: [RunbookState] {
        didSet { stateIndex = Self.index(states) }
    }
    /// Position of each state in `states`, by id.
    private var stateIndex: [String: Int]

    public init(
        id: String, title: String, source: String? = nil, summary: String? = nil, severity: String = "SEV2",
        rto: RunbookDuration? = nil, rpo: RunbookDuration? = nil, roles: [Role],
        escalation: EscalationPolicy, initial: String, states: [RunbookState],
        kind: RunbookKind = .incident, schedule: Schedule? = nil, timezone: String? = nil
    ) {
        self.kind = kind
        self.schedule = schedule
        self.timezone = timezone
        self.id = id
        self.title = title
        self.source = source
        self.summary = summary
        self.severity = severity
        self.rto = rto
        self.rpo = rpo
        self.roles = roles
        self.escalation = escalation
        self.initial = initial
        self.states = states
        self.stateIndex = Self.index(states)
    }

    private static func index(_ states: [RunbookState]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, state) in states.enumerated() where index[state.id] == nil { index[state.id] = position }
        return index
    }

    /// The state with this id.
    public func state(_ id: String) -> RunbookState? {
        stateIndex[id].map { states[$0] }
    }

    /// The role with this id.
    public func role(_ id: String) -> Role? {
        roles.first { $0.id == id }
    }

    /// The severities a runbook or an incident may carry.
    public static let severities = ["SEV1", "SEV2", "SEV3", "SEV4"]
}

/// What a runbook is for: an incident (paged, resolved) or a routine checklist (no severity, no resolution, no
/// page at opening; a missed deadline pages tier 1 once).
public enum RunbookKind: String, Sendable, Equatable, CaseIterable {
    case incident, checklist
}

/// A role that can be paged or asked for approval.
public struct Role: Sendable, Equatable {
    public var id: String
    public var title: String

    public init(id: String, title: String) {
        self.id = id
        self.title = title
    }
}

/// Who is paged, in which order, after a deadline is missed or an incident opens unacknowledged.
public struct EscalationPolicy: Sendable, Equatable {
    /// How many more rounds of all tiers follow the first round.
    public var repeatCount: Int
    public var tiers: [EscalationTier]
    /// How long an acknowledgement holds an escalation whose cause is still there before it resumes at the
    /// next tier (SPEC §5, as PagerDuty re-triggers a stale acknowledgement).
    public var ackTimeout: RunbookDuration

    /// The acknowledgement timeout of a runbook that names none.
    public static let defaultAckTimeout = RunbookDuration.minutes(30)

    public init(repeatCount: Int = 0, tiers: [EscalationTier], ackTimeout: RunbookDuration = EscalationPolicy.defaultAckTimeout) {
        self.repeatCount = repeatCount
        self.tiers = tiers
        self.ackTimeout = ackTimeout
    }
}

/// One tier: these roles are notified `after` the escalation started.
public struct EscalationTier: Sendable, Equatable {
    public var notify: [String]
    public var after: RunbookDuration
    /// The severities this tier pages for (nil: all), so a SEV3 does not wake the CTO.
    public var severities: [String]?

    public init(notify: [String], after: RunbookDuration, severities: [String]? = nil) {
        self.notify = notify
        self.after = after
        self.severities = severities
    }

    /// Whether this tier pages for an incident of `severity`.
    public func pages(severity: String) -> Bool {
        severities.map { $0.contains(severity) } ?? true
    }
}
