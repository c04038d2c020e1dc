/// How views write a step's gates (SPEC §3.1): what it waits for and whether it is destructive.
///
/// `runbook show` and both diagrams call these, so the three formats cannot disagree about a gate.
public enum StepGates {
    /// The mark of a destructive command step.
    public static let destructiveMark = "⚠ destructive"

    /// "waits for: approve-reset (approval), backup-file (needs)", or nil when nothing gates the step.
    ///
    /// With `includingSequential: false` the step before it in a sequential state is left out, for views
    /// that say "in order" once for the whole state.
    public static func waitsFor(_ stepID: String, in state: RunbookState, includingSequential: Bool = true) -> String? {
        let prerequisites = state.prerequisites(of: stepID).filter { includingSequential || $0.reason != .sequential }
        guard !prerequisites.isEmpty else { return nil }
        return "waits for: " + prerequisites.map { "\($0.step) (\($0.reason.rawValue))" }.joined(separator: ", ")
    }

    /// "calls db-recovery" ("calls db-recovery (drill)" for a forced drill).
    public static func callMark(_ call: CallSpec) -> String {
        "calls \(call.runbook)" + (call.drill ? " (drill)" : "")
    }

    /// "in order: a → b → c" for a state with `order: sequential`, else nil.
    public static func order(of state: RunbookState) -> String? {
        guard state.sequential, state.steps.count > 1 else { return nil }
        return "in order: " + state.steps.map(\.id).joined(separator: " → ")
    }

    /// One line per gate of the state, for diagrams: its order, then each step that is destructive, calls another
    /// runbook or waits for an approval or a `needs`, e.g. "reset — ⚠ destructive, waits for: approve-reset (approval)",
    /// "restore — calls db-recovery".
    public static func summary(of state: RunbookState) -> [String] {
        var lines: [String] = []
        if let order = order(of: state) { lines.append(order) }
        for step in state.steps {
            var parts: [String] = []
            if step.destructive { parts.append(destructiveMark) }
            if let call = step.call { parts.append(callMark(call)) }
            if let waits = waitsFor(step.id, in: state, includingSequential: false) { parts.append(waits) }
            if !parts.isEmpty { lines.append("\(step.id) — " + parts.joined(separator: ", ")) }
        }
        return lines
    }
}
