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


    /// Where an incident goes from `stateID` when nothing unusual happens: its `next`, else the first `goto`
    /// of its first branching input, else nowhere (an end state, or one left only by failing or timing out).
    public func defaultSuccessor(of stateID: String) -> String? {
        guard let stage = state(stateID), !stage.end else { return nil }
        if let next = stage.next { return next }
        for step in stage.steps {
            if case .input(let input) = step.kind, let first = input.goto.first { return first.state }
        }
        return nil
    }
}
