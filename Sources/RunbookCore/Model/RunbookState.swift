/// A timed stage of a runbook.
public struct RunbookState: Sendable, Equatable {
    public var id: String
    public var title: String
    public var note: String?
    /// The time budget for the stage, counted from entering it.
    public var deadline: RunbookDuration?
    /// Entering this state sets the incident's RTO target (a scenario branch with its own objective).
    public var rto: RunbookDuration?
    public var steps: [Step]
    public var next: String?
    /// Where to go when a step fails; nil means stay in the state.
    public var onFail: Transition?
    /// What happens when the deadline passes.
    public var onTimeout: Transition
    /// Completing this state resolves the incident (service restored; the RTO clock stops).
    public var resolves: Bool
    /// Completing this state closes the incident.
    public var end: Bool
    /// `contains: true`: leaving this stage contains the problem (the post-mortem's time to contain), declared
    /// rather than guessed from the state's id.
    public var contains: Bool
    /// `order: sequential`: each step needs the one before it.
    public var sequential: Bool
    /// `window: NAME`: the stage's steps run only while that maintenance window is open (SPEC §3.2).
    public var window: String?

    public init(
        id: String, title: String, note: String? = nil, deadline: RunbookDuration? = nil,
        rto: RunbookDuration? = nil, steps: [Step], next: String? = nil, onFail: Transition? = nil,
        onTimeout: Transition = .escalate, resolves: Bool = false, end: Bool = false, sequential: Bool = false,
        contains: Bool = false, window: String? = nil
    ) {
        self.window = window
        self.id = id
        self.title = title
        self.note = note
        self.deadline = deadline
        self.rto = rto
        self.steps = steps
        self.next = next
        self.onFail = onFail
        self.onTimeout = onTimeout
        self.resolves = resolves
        self.end = end
        self.sequential = sequential
        self.contains = contains
    }

    /// What must be settled before `stepID` can be run, done or given input (SPEC §3.1), in step order:
    /// its `needs`, the step before it in a sequential state, and every approval step listed before it.
    public func prerequisites(of stepID: String) -> [Prerequisite] {
        guard let position = steps.firstIndex(where: { $0.id == stepID }) else { return [] }
        var result: [Prerequisite] = []
        func add(_ id: String, _ reason: Prerequisite.Reason) {
            if !result.contains(where: { $0.step == id }) { result.append(Prerequisite(step: id, reason: reason)) }
        }
        for earlier in steps[..<position] where earlier.approval != nil {
            add(earlier.id, .approvalGate)
        }
        if sequential, position > 0 {
            add(steps[position - 1].id, .sequential)
        }
        for needed in steps[position].needs {
            add(needed, .needs)
        }
        return result
    }

    /// The step with this id.
    public func step(_ id: String) -> Step? {
        steps.first { $0.id == id }
    }

    /// Every state this one can move to, with the reason, in a stable order.
    public var successors: [(state: String, label: String)] {
        var result: [(state: String, label: String)] = []
        if let next { result.append((next, "next")) }
        if case .state(let target) = onFail { result.append((target, "on_fail")) }
        if case .state(let target) = onTimeout { result.append((target, "on_timeout")) }
        for step in steps {
            if case .input(let input) = step.kind {
                for (choice, target) in input.goto { result.append((target, choice)) }
            }
        }
        return result
    }
}

/// Where a failed step or a missed deadline leads.
public enum Transition: Sendable, Equatable, CustomStringConvertible {
    /// Stay in the state and escalate to the next tier.
    case escalate
    /// Move to the named state.
    case state(String)

    public var description: String {
        switch self {
        case .escalate: "escalate"
        case .state(let id): id
        }
    }
}

/// A step that must be settled before another can be acted on.
public struct Prerequisite: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        /// Listed in the step's `needs:`.
        case needs
        /// The step before it in a state with `order: sequential`.
        case sequential
        /// An approval step listed before it in its state.
        case approvalGate = "approval"
    }

    public var step: String
    public var reason: Reason

    public init(step: String, reason: Reason) {
        self.step = step
        self.reason = reason
    }
}
