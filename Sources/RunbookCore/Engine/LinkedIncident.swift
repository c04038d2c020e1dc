/// An incident linked to another by a call step (SPEC §3.2): the parent that called it, or a child it called, with
/// where the child stands. Views, the post-mortem and the JSON all show links as this one type.
public struct LinkedIncident: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable {
        case parent, child
    }

    public var role: Role
    public var incident: String
    public var step: String
    /// The child's runbook (nil for a parent).
    public var runbook: String?
    /// Where the child stands (nil for a parent).
    public var result: Message.CallResult?
    /// For a parent: whether its log records the call of this incident (false for a child it never waited for).
    public var recorded: Bool

    public init(role: Role, incident: String, step: String, runbook: String?, result: Message.CallResult?, recorded: Bool = true) {
        self.role = role
        self.incident = incident
        self.step = step
        self.runbook = runbook
        self.result = result
        self.recorded = recorded
    }

    /// The links as `state`'s own log records them: its parent, and each child with its recorded end (open, with no
    /// stage known, until the child's end is recorded here). The runtime refines a child's standing from its row.
    public static func recorded(in state: IncidentState) -> [LinkedIncident] {
        (state.calledBy.map { [LinkedIncident(role: .parent, incident: $0.incident, step: $0.step, runbook: nil, result: nil)] } ?? [])
            + state.calls.map { link in
                LinkedIncident(role: .child, incident: link.child, step: link.step, runbook: link.runbook,
                               result: link.finished.map { $0.resolved ? .resolved : .closedUnresolved } ?? .open(stage: nil))
            }
    }

    /// "Called by INC-1, step `restore-database`" or "Step `restore-database` called INC-2 (db-recovery): resolved".
    public func text(in language: Language) -> String {
        let message: Message = role == .parent
            ? .linkedParent(incident: incident, step: step)
            : .linkedChild(child: incident, runbook: runbook ?? "?", step: step, result: result ?? .open(stage: nil))
        return message.text(in: language)
    }
}
