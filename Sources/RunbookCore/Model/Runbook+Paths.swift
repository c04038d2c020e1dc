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

    /// The 1-based position of a state in the file's order, and the number of states.
    public func position(of stateID: String) -> (index: Int, count: Int)? {
        states.firstIndex { $0.id == stateID }.map { ($0 + 1, states.count) }
    }
}
