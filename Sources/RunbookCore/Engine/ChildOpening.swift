/// What the child incident of a call step inherits from its parent (SPEC §3.2): the parent's current severity, its
/// drill flag and clock (`drill: true` forces a drill under a live parent), and the step's `env:` resolved against
/// the parent's recorded inputs. The roster and contacts are the parent's frozen ones (the runtime records them).
public struct ChildOpening: Sendable, Equatable {
    /// The parent's severity; nil when the called runbook is a routine check, which has none.
    public var severity: String?
    public var drill: Bool
    /// A drill parent's child runs on the same simulated clock; a drill forced under a live parent runs on real time.
    public var drillClock: DrillClock?
    public var calledBy: CallOrigin

    public init(severity: String?, drill: Bool, drillClock: DrillClock?, calledBy: CallOrigin) {
        self.severity = severity
        self.drill = drill
        self.drillClock = drillClock
        self.calledBy = calledBy
    }

    /// The opening of `call`'s child for the parent's step `step`, with the parent in `parent` at its time `now`
    /// (a drill's own time) and the real clock at `realNow`; refused when `env:` names an input not recorded yet.
    /// `childKind` is the called runbook's kind: a routine check (the evening check calling the handover) takes no
    /// severity.
    public static func of(_ call: CallSpec, step: String, parent: IncidentState, now: Instant, realNow: Instant,
                          childKind: RunbookKind = .incident) throws(Refusal) -> ChildOpening {
        // The parent's inputs by variable name, as its own commands see them.
        var variables: [String: String] = [:]
        for (step, value) in parent.variables { variables[Step.variableName(for: step)] = value }
        let defined = Set(variables.keys)
        if let missing = call.environment.first(where: { if case .variable(let name) = $0.value { !defined.contains(name) } else { false } }),
           case .variable(let name) = missing.value {
            throw Refusal(stated: .callVariableMissing(step: step, name: missing.name, variable: name))
        }
        let resolved = CommandEnvironment.resolve(call.environment, variables: variables)
        let environment = call.environment.map { EnvironmentVariable(name: $0.name, value: resolved[$0.name] ?? "") }
        let drill = parent.drill || call.drill
        var clock: DrillClock?
        if let parentClock = parent.drillClock {
            clock = DrillClock(start: now, realStart: realNow, speed: parentClock.speed, live: parentClock.live)
        } else if drill {
            clock = DrillClock(start: now, realStart: realNow, speed: 1, live: false)
        }
        return ChildOpening(severity: childKind == .checklist ? nil : parent.severity, drill: drill, drillClock: clock,
                            calledBy: CallOrigin(incident: parent.id, step: step, environment: environment))
    }
}
