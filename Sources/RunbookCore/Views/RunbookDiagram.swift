/// Diagrams of a runbook's state machine for documentation: Mermaid and Graphviz dot.
public enum RunbookDiagram {
    /// A Mermaid `stateDiagram-v2`; a note beside a state lists its gates (`StepGates.summary`).
    public static func mermaid(_ runbook: Runbook) -> String {
        func node(_ id: String) -> String {
            String(id.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        }
        func label(_ text: String) -> String {
            text.replacingAll("\"", with: "#quot;")
        }
        var lines = ["stateDiagram-v2"]
        lines.append("    [*] --> \(node(runbook.initial))")
        for state in runbook.states {
            var text = state.title
            if let deadline = state.deadline { text += " · \(deadline)" }
            if state.resolves { text += " · resolves" }
            lines.append("    state \"\(label(text))\" as \(node(state.id))")
        }
        for state in runbook.states {
            for (target, reason) in state.successors {
                let suffix = reason == "next" ? "" : ": \(label(reason))"
                lines.append("    \(node(state.id)) --> \(node(target))\(suffix)")
            }
            if state.end { lines.append("    \(node(state.id)) --> [*]") }
        }
        for state in runbook.states {
            let gates = StepGates.summary(of: state)
            guard !gates.isEmpty else { continue }
            lines.append("    note right of \(node(state.id))")
            lines += gates.map { "        \(label($0))" }
            lines.append("    end note")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Graphviz `digraph`; a state's label lists its gates under its title (`StepGates.summary`).
    public static func dot(_ runbook: Runbook) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
        }
        var lines = ["digraph \(quoted(runbook.id)) {", "    rankdir=LR;", "    node [shape=box, style=rounded];",
                     "    \"__start\" [shape=point];", "    \"__start\" -> \(quoted(runbook.initial));"]
        for state in runbook.states {
            var label = state.title
            if let deadline = state.deadline { label += "\n\(deadline)" }
            for gate in StepGates.summary(of: state) { label += "\n\(gate)" }
            var attributes = "label=\(quoted(label))"
            if state.end { attributes += ", peripheries=2" }
            if state.resolves { attributes += ", penwidth=2" }
            lines.append("    \(quoted(state.id)) [\(attributes)];")
        }
        for state in runbook.states {
            for (target, reason) in state.successors {
                let attributes = reason == "next" ? "" : " [label=\(quoted(reason))\(reason == "on_fail" || reason == "on_timeout" ? ", style=dashed" : "")]"
                lines.append("    \(quoted(state.id)) -> \(quoted(target))\(attributes);")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard let first = target.utf8.first, utf8.contains(first), contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
