/// Checks a decoded runbook's meaning: references, reachability, ends, and deadlines against the RTO.
public enum RunbookLint {
    /// Every semantic problem of the runbook, in source order.
    ///
    /// The graph and RTO checks run only when everything else is sound, so one typo is one error, not a
    /// cascade of unreachable states.
    public static func check(_ decoded: DecodedRunbook, file: String, structurallySound: Bool = true, windows: Set<String>? = nil) -> [Diagnostic] {
        var checker = Checker(decoded: decoded, file: file)
        checker.windows = windows
        checker.run(structurallySound: structurallySound)
        return checker.diagnostics.sorted { $0.mark < $1.mark }
    }
}

extension RunbookLint {
    /// The checks of a runbook's `call:` steps across the runbooks of its folder: a call names a runbook of the folder
    /// (`directory/NAME.yaml`), and calls do not form a cycle (a calls b calls a), reported at each call of this
    /// runbook that starts one. `folder` maps every runbook id of the folder to the runbooks it calls (`callees`;
    /// none for a file that does not decode).
    public static func checkCalls(_ decoded: DecodedRunbook, file: String, folder: [String: [String]], directory: String) -> [Diagnostic] {
        let runbook = decoded.runbook
        var graph = folder
        graph[runbook.id] = callees(runbook)
        var diagnostics: [Diagnostic] = []
        for state in runbook.states {
            for (index, step) in state.steps.enumerated() {
                guard let call = step.call, call.runbook != runbook.id else { continue }
                let callPath = "states.\(state.id).steps[\(index)].call"
                let at = decoded.marks["\(callPath).runbook"] != nil ? "\(callPath).runbook" : callPath
                let mark = decoded.marks[at] ?? SourceMark(line: 1, column: 1)
                guard folder[call.runbook] != nil || call.runbook == runbook.id else {
                    let known = folder.keys.filter { $0 != runbook.id }.sorted()
                    diagnostics.append(Diagnostic(file: file, mark: mark, path: at,
                                                  message: "step `\(step.id)` calls runbook `\(call.runbook)`, but there is no \(directory)/\(call.runbook).yaml"
                                                    + Suggestion.didYouMean(call.runbook, in: known)))
                    continue
                }
                if let cycle = chain(from: call.runbook, to: runbook.id, in: graph) {
                    let chain = ([runbook.id] + cycle).map { "`\($0)`" }.joined(separator: " → ")
                    diagnostics.append(Diagnostic(file: file, mark: mark, path: at,
                                                  message: "calls form a cycle: \(chain); each incident would start another forever"))
                }
            }
        }
        return diagnostics.sorted { $0.mark < $1.mark }
    }

    /// The runbooks a runbook's call steps name, in order, without repeats.
    public static func callees(_ runbook: Runbook) -> [String] {
        var seen: [String] = []
        for step in runbook.states.flatMap(\.steps) {
            if let call = step.call, !seen.contains(call.runbook) { seen.append(call.runbook) }
        }
        return seen
    }

    /// The shortest chain of calls from `start` to `target` (both included), nil when there is none.
    static func chain(from start: String, to target: String, in graph: [String: [String]]) -> [String]? {
        var previous: [String: String] = [:]
        var queue = [start]
        var seen: Set<String> = [start]
        var head = 0
        while head < queue.count {
            let id = queue[head]
            head += 1
            if id == target {
                var chain = [id]
                while let before = previous[chain[0]] { chain.insert(before, at: 0) }
                return chain
            }
            for next in graph[id] ?? [] where seen.insert(next).inserted {
                previous[next] = id
                queue.append(next)
            }
        }
        return nil
    }
}

/// Decodes and lints runbook text: the one way runbooks are loaded.
public enum RunbookLoader {
    /// `zoneExists` says whether a `timezone:` names a zone of this host (the runtime reads the tz database);
    /// without it only the name's form is checked. `windows`, when known (linting a folder), are the calendar's
    /// window names a state's `window:` may name.
    public static func load(_ text: String, file: String, expectedID: String? = nil,
                            zoneExists: ((String) -> Bool)? = nil, windows: Set<String>? = nil) -> Result<DecodedRunbook, InvalidRunbook> {
        let root: YAMLNode
        switch Result(catching: { () throws(YAMLError) in try YAMLParser.parse(text) }) {
        case .failure(let error):
            return .failure(InvalidRunbook([Diagnostic(file: file, mark: error.mark, path: "", message: error.message)]))
        case .success(nil):
            return RunbookDecoder.decode(text, file: file, expectedID: expectedID)
        case .success(let node?):
            root = node
        }
        let (decoded, structural) = RunbookDecoder.decodePartially(root, file: file, expectedID: expectedID)
        var semantic = decoded.map { RunbookLint.check($0, file: file, structurallySound: structural.isEmpty, windows: windows) } ?? []
        if let decoded, let zone = decoded.runbook.timezone, let zoneExists, !zoneExists(zone) {
            semantic.append(Diagnostic(file: file, mark: decoded.marks["timezone"] ?? SourceMark(line: 1, column: 1), path: "timezone",
                                       message: RunbookDecoder.unknownTimeZone))
        }
        let all = (structural + semantic).sorted { $0.mark < $1.mark }
        guard let decoded, all.isEmpty else { return .failure(InvalidRunbook(all)) }
        return .success(decoded)
    }
}

private struct Checker {
    let decoded: DecodedRunbook
    let file: String
    var diagnostics: [Diagnostic] = []
    /// The calendar's window names, when known.
    var windows: Set<String>?
    var runbook: Runbook { decoded.runbook }
    /// The `RUNBOOK_VAR_*` variables the runbook's input steps set, computed once (every `env:` is checked against them).
    let inputVariables: Set<String>

    init(decoded: DecodedRunbook, file: String) {
        self.decoded = decoded
        self.file = file
        inputVariables = decoded.runbook.inputVariables
    }

    mutating func error(_ path: String, _ message: String) {
        let mark = decoded.marks[path] ?? SourceMark(line: 1, column: 1)
        diagnostics.append(Diagnostic(file: file, mark: mark, path: path, message: message))
    }

    /// The first of `paths` that has a mark (a value may be written in one of two places).
    func existing(_ paths: String...) -> String {
        paths.first { decoded.marks[$0] != nil } ?? paths[0]
    }

    mutating func run(structurallySound: Bool) {
        checkReferences()
        guard structurallySound, diagnostics.isEmpty else { return }
        checkGraph()
        guard diagnostics.isEmpty else { return }
        checkRTO()
    }

    mutating func checkState(_ id: String, at path: String) {
        guard runbook.state(id) == nil else { return }
        error(path, "unknown state `\(id)`" + Suggestion.didYouMean(id, in: runbook.states.map(\.id)))
    }

    mutating func checkRole(_ id: String, at path: String) {
        guard runbook.role(id) == nil else { return }
        error(path, "unknown role `\(id)`" + Suggestion.didYouMean(id, in: runbook.roles.map(\.id)))
    }

    mutating func checkReferences() {
        checkState(runbook.initial, at: "initial")
        for (index, tier) in runbook.escalation.tiers.enumerated() {
            for (j, role) in tier.notify.enumerated() {
                checkRole(role, at: existing("escalation.tiers[\(index)].notify[\(j)]", "escalation.tiers[\(index)].notify"))
            }
        }
        for state in runbook.states {
            let path = "states.\(state.id)"
            if let window = state.window, let windows, !windows.contains(window) {
                let hint = Suggestion.nearest(to: window, in: Array(windows)).map { "; did you mean `\($0)`?" }
                    ?? (windows.isEmpty ? "; calendar.yaml defines no windows" : "; the calendar has: \(windows.sorted().joined(separator: ", "))")
                error("\(path).window", "unknown window `\(window)`\(hint)")
            }
            if let next = state.next { checkState(next, at: "\(path).next") }
            if case .state(let target) = state.onFail { checkState(target, at: "\(path).on_fail") }
            if case .state(let target) = state.onTimeout { checkState(target, at: "\(path).on_timeout") }
            if state.end, let next = state.next {
                error("\(path).next", "an end state closes the incident; remove `next: \(next)` or `end: true`")
            }
            checkNeeds(of: state, at: path)
            if runbook.kind == .checklist, state.resolves {
                error(existing("\(path).resolves", path),
                      "a checklist is not resolved; remove `resolves: true` (its run closes when an `end: true` state completes)")
            }
            for (index, step) in state.steps.enumerated() {
                let stepPath = "\(path).steps[\(index)]"
                switch step.kind {
                case .input(let input):
                    for (choice, target) in input.goto {
                        checkState(target, at: existing("\(stepPath).goto.\(choice)", "\(stepPath).input.goto.\(choice)"))
                    }
                case .approval(let approval):
                    checkRole(approval.role, at: existing("\(stepPath).approve.role", "\(stepPath).approve"))
                case .command(let command):
                    checkEnvironment(command.environment, at: "\(stepPath).env")
                case .call(let call):
                    checkCall(call, of: step, at: stepPath)
                default:
                    break
                }
            }
        }
    }

    /// Every `$RUNBOOK_VAR_X` in `env:` names a variable an input step of this runbook sets.
    mutating func checkEnvironment(_ entries: [EnvironmentEntry], at path: String) {
        guard !entries.isEmpty else { return }
        let defined = inputVariables
        for (entry, variable) in CommandEnvironment.unknownReferences(in: entries, defined: defined) {
            let known = defined.sorted()
            let nearest = Suggestion.nearest(to: variable, in: known).map { "; did you mean `$\($0)`?" }
                ?? (known.isEmpty ? "; this runbook has no input steps" : "; the inputs are " + known.map { "`$\($0)`" }.joined(separator: ", "))
            error("\(path).\(entry)", "`$\(variable)` names no input step of this runbook (an input step `x` sets `$RUNBOOK_VAR_X`)" + nearest)
        }
    }

    /// A call names another runbook, and its `env:` refers only to inputs of this runbook.
    mutating func checkCall(_ call: CallSpec, of step: Step, at stepPath: String) {
        if call.runbook == runbook.id {
            error(existing("\(stepPath).call.runbook", "\(stepPath).call"),
                  "step `\(step.id)` calls its own runbook `\(call.runbook)`; each incident would start another forever")
        }
        checkEnvironment(call.environment, at: "\(stepPath).call.env")
    }

    /// `needs` names steps of the same state, and no step waits for itself through `needs`, the sequential
    /// order or an approval gate.
    mutating func checkNeeds(of state: RunbookState, at path: String) {
        let ids = state.steps.map(\.id)
        var sound = true
        for (index, step) in state.steps.enumerated() {
            for (j, needed) in step.needs.enumerated() where !ids.contains(needed) {
                sound = false
                let at = existing("\(path).steps[\(index)].needs[\(j)]", "\(path).steps[\(index)].needs")
                if let owner = runbook.states.first(where: { $0.step(needed) != nil }) {
                    error(at, "step `\(needed)` belongs to state `\(owner.id)`; `needs` names steps of the same state (`\(state.id)`)")
                } else {
                    error(at, "unknown step `\(needed)` in state `\(state.id)`" + Suggestion.didYouMean(needed, in: ids))
                }
            }
        }
        guard sound else { return }
        // Depth-first search over "waits for" edges; a back edge is a cycle, reported once at the `needs` that
        // closes it. Iterative: a sequential state of thousands of steps is a path that deep.
        var done: Set<String> = []
        for root in ids where !done.contains(root) {
            var frames: [(id: String, prerequisites: [String], next: Int)] = [(root, state.prerequisites(of: root).map(\.step), 0)]
            var onPath = [root]
            while let top = frames.last {
                guard top.next < top.prerequisites.count else {
                    frames.removeLast()
                    onPath.removeLast()
                    done.insert(top.id)
                    continue
                }
                let prerequisite = top.prerequisites[top.next]
                frames[frames.count - 1].next += 1
                if let start = onPath.firstIndex(of: prerequisite) {
                    reportCycle(Array(onPath[start...]) + [prerequisite], in: state, at: path)
                    return
                }
                guard !done.contains(prerequisite) else { continue }
                onPath.append(prerequisite)
                frames.append((prerequisite, state.prerequisites(of: prerequisite).map(\.step), 0))
            }
        }
    }

    /// Reports a cycle of steps; only `needs` can point forward, so the cycle holds one: report it there.
    mutating func reportCycle(_ members: [String], in state: RunbookState, at path: String) {
        let cycle = members.map { "`\($0)`" }.joined(separator: " → ")
        var at = "\(path).steps"
        for (from, to) in zip(members, members.dropFirst()) {
            guard let index = state.steps.firstIndex(where: { $0.id == from }),
                  let j = state.steps[index].needs.firstIndex(of: to) else { continue }
            at = existing("\(path).steps[\(index)].needs[\(j)]", "\(path).steps[\(index)].needs")
            break
        }
        error(at, "steps wait for each other in a cycle: \(cycle); no step of it could ever be done")
    }

    mutating func checkGraph() {
        if !runbook.states.contains(where: \.end) {
            error("states", "no state has `end: true`; mark the state that closes the incident")
        }
        if runbook.kind == .incident, !runbook.states.contains(where: \.resolves) {
            error("states", "no state has `resolves: true`; mark the state whose completion restores service")
        }
        var reachable: Set<String> = [runbook.initial]
        var queue = [runbook.initial]
        while let id = queue.popLast() {
            for (next, _) in runbook.state(id)?.successors ?? [] where !reachable.contains(next) {
                reachable.insert(next)
                queue.append(next)
            }
        }
        var predecessors: [String: [String]] = [:]
        for state in runbook.states {
            for (next, _) in state.successors { predecessors[next, default: []].append(state.id) }
        }
        var reachesEnd = Set(runbook.states.filter(\.end).map(\.id))
        var pending = Array(reachesEnd)
        while let id = pending.popLast() {
            for previous in predecessors[id] ?? [] where !reachesEnd.contains(previous) {
                reachesEnd.insert(previous)
                pending.append(previous)
            }
        }
        // A containment stage comes before service is restored: reached without passing a resolving state.
        var beforeResolution: Set<String> = [runbook.initial]
        var frontier = [runbook.initial]
        while let id = frontier.popLast() {
            guard let state = runbook.state(id), !state.resolves else { continue }
            for (next, _) in state.successors where !beforeResolution.contains(next) {
                beforeResolution.insert(next)
                frontier.append(next)
            }
        }
        for state in runbook.states where state.contains && reachable.contains(state.id) && !beforeResolution.contains(state.id) {
            error(existing("states.\(state.id).contains", "states.\(state.id)"), "state `\(state.id)` is marked `contains: true` but is reached only after a resolving state; "
                  + "the stage that contains the problem comes before service is restored")
        }
        for state in runbook.states {
            if !reachable.contains(state.id) {
                error("states.\(state.id)", "state `\(state.id)` is unreachable from the initial state `\(runbook.initial)`")
            } else if !reachesEnd.contains(state.id) {
                error("states.\(state.id)", "state `\(state.id)` has no path to an end state; give it `next:` or mark it `end: true`")
            }
        }
    }

    /// Along every path from the initial state to a resolving state, the stage deadlines must fit the
    /// RTO in force there: the runbook's, or the last one set by a state on the path.
    mutating func checkRTO() {
        var worst: [String: (total: RunbookDuration, path: [String], rto: RunbookDuration)] = [:]
        var budget = 100_000
        // Depth-first over paths, iterative (a chain of thousands of states is a path that deep); each frame
        // holds a state on the current path, the deadline total and RTO in force there, and its next successor.
        var frames: [(id: String, total: RunbookDuration, rto: (RunbookDuration, String)?, successors: [String], next: Int)] = []
        var onPath: Set<String> = []
        func enter(_ id: String, total: RunbookDuration, rto: (RunbookDuration, String)?) {
            budget -= 1
            guard budget > 0, let state = runbook.state(id), !onPath.contains(id) else { return }
            let total = total + (state.deadline ?? .zero)
            let rto = state.rto.map { ($0, "states.\(id).rto") } ?? rto
            if state.resolves {
                if let (limit, source) = rto, total > limit, total > (worst[source]?.total ?? .zero) {
                    worst[source] = (total, frames.map(\.id) + [id], limit)
                }
                return
            }
            onPath.insert(id)
            frames.append((id, total, rto, state.successors.map(\.state), 0))
        }
        enter(runbook.initial, total: .zero, rto: runbook.rto.map { ($0, "rto") })
        while let top = frames.last {
            guard top.next < top.successors.count else {
                frames.removeLast()
                onPath.remove(top.id)
                continue
            }
            frames[frames.count - 1].next += 1
            enter(top.successors[top.next], total: top.total, rto: top.rto)
        }
        for (source, violation) in worst.sorted(by: { $0.key < $1.key }) {
            error(source, "the stage deadlines along \(violation.path.joined(separator: " → ")) add up to "
                  + "\(violation.total), more than the RTO of \(violation.rto)")
        }
    }
}
