extension Runbook {
    /// The largest sum of stage deadlines over the simple paths from the initial state to an end state.
    public var totalDeadline: RunbookDuration {
        var best = RunbookDuration.zero
        var budget = 100_000
        func visit(_ id: String, _ seen: Set<String>, _ total: RunbookDuration) {
            budget -= 1
            guard budget > 0, let state = state(id), !seen.contains(id) else { return }
            let total = total + (state.deadline ?? .zero)
            if state.end { best = max(best, total) }
            for (next, _) in state.successors { visit(next, seen.union([id]), total) }
        }
        visit(initial, [], .zero)
        return best
    }


    /// Where an incident goes from `stateID` when nothing unusual happens: its `next`, else the branch of its
    /// first branching input (the recorded value in `chosen` by step id, or the input's first `goto`), else
    /// nowhere (an end state, or one that only leaves by failing or timing out).
    public func defaultSuccessor(of stateID: String, chosen: [String: String] = [:]) -> String? {
        guard let stage = state(stateID), !stage.end else { return nil }
        if let next = stage.next { return next }
        for step in stage.steps {
            guard case .input(let input) = step.kind, let first = input.goto.first else { continue }
            if let value = chosen[step.id], let target = input.goto.first(where: { $0.choice == value })?.state { return target }
            return first.state
        }
        return nil
    }
}
