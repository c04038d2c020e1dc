import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show a runbook: its stages, steps and their gates, deadlines and escalation tiers.",
            discussion: """
                --format mermaid prints a state diagram for Markdown (GitHub, GitLab, Notion render it); \
                --format dot prints a Graphviz graph: runbook show ID --format dot | dot -Tsvg > ID.svg
                """)

        enum Format: String, ArgumentChoice {
            case text, mermaid, dot
        }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The runbook id (its file name without .yaml).", completion: Completions.runbooks)
        var runbook: String

        @Option(help: "text, mermaid or dot.")
        var format: Format = .text

        func run() async throws {
            let workspace = Workspace(global: global)
            let loaded: LoadedRunbook
            if try workspace.serverAddress() != nil {
                // Through a team server: the server's runbook, as it would be started there.
                let (all, _) = try workspace.runbooks()
                guard let found = all.first(where: { $0.runbook.id == runbook }) else {
                    throw UserError(.usage, .unknownRunbook(runbook, directory: "the server's runbooks",
                                                            nearest: Suggestion.nearest(to: runbook, in: all.map(\.runbook.id))))
                }
                loaded = found
            } else {
                loaded = try workspace.library.load(runbook)
            }
            switch format {
            case .mermaid: print(RunbookDiagram.mermaid(loaded.runbook), terminator: "")
            case .dot: print(RunbookDiagram.dot(loaded.runbook), terminator: "")
            case .text: out(RunbookText.render(loaded.runbook, tty: global.tty))
            }
        }
    }
}

/// The text view of a runbook for `runbook show`; its texts go through `TTY.inline` and `TTY.block`.
enum RunbookText {
    static func render(_ runbook: Runbook, tty: TTY) -> String {
        var lines: [String] = []
        lines.append(tty.paint(runbook.id, .bold) + "  " + TTY.inline(runbook.title))
        var facts = [runbook.kind == .checklist ? "checklist" : "severity \(runbook.severity)"]
        if let schedule = runbook.schedule {
            facts.append("schedule: " + TTY.inline(schedule.phrases.joined(separator: "; ")) + (runbook.timezone.map { " (\(TTY.inline($0)))" } ?? ""))
        }
        if let rto = runbook.rto { facts.append("RTO \(rto)") }
        if let rpo = runbook.rpo { facts.append("RPO \(rpo)") }
        facts.append("\(runbook.states.count) stages, \(runbook.totalDeadline) of deadlines to the end")
        lines.append(facts.joined(separator: " · "))
        if let source = runbook.source { lines.append("source: \(TTY.inline(source))") }
        if let summary = runbook.summary { lines.append(TTY.block(summary, indent: 2)) }
        lines.append("")
        lines.append(tty.paint("Roles", .bold))
        lines += Table.render(runbook.roles.map { ["  " + $0.id, TTY.inline($0.title)] })
        lines.append("")
        lines.append(tty.paint("Escalation", .bold))
        for (index, tier) in runbook.escalation.tiers.enumerated() {
            let names = tier.notify.map { id in runbook.role(id).map { "\(id) (\(TTY.inline($0.title)))" } ?? id }
            lines.append("  tier \(index + 1) after \(tier.after): \(names.joined(separator: ", "))")
        }
        if runbook.escalation.repeatCount > 0 {
            lines.append("  then from tier 1 again, \(runbook.escalation.repeatCount) more time\(runbook.escalation.repeatCount == 1 ? "" : "s")")
        }
        lines.append("")
        lines.append(tty.paint("Stages", .bold))
        for (index, state) in runbook.states.enumerated() {
            var marks: [String] = []
            if let deadline = state.deadline { marks.append("deadline \(deadline)") }
            if let rto = state.rto { marks.append("RTO \(rto)") }
            if state.sequential { marks.append("in order") }
            if let window = state.window { marks.append("window \(window)") }
            if state.id == runbook.initial { marks.append("initial") }
            if state.contains { marks.append("contains") }
            if state.resolves { marks.append("resolves") }
            if state.end { marks.append("end") }
            lines.append("  \(index + 1). " + tty.paint(state.id, .bold) + "  \(TTY.inline(state.title))" + (marks.isEmpty ? "" : "  [\(marks.joined(separator: ", "))]"))
            if let note = state.note { lines.append("     " + TTY.block(note, indent: 5)) }
            var rows: [[String]] = []
            for step in state.steps {
                rows.append(["     - " + step.id, TTY.inline(step.title), describe(step, tty: tty)])
            }
            // What a step waits for goes on a line of its own under its title.
            let indent = String(repeating: " ", count: (rows.map { TextWidth.of($0[0]) }.max() ?? 0) + 2)
            for (step, line) in zip(state.steps, Table.render(rows)) {
                lines.append(line.trimmingTrailingSpaces)
                if let waits = StepGates.waitsFor(step.id, in: state) {
                    lines.append(indent + tty.paint(waits, .yellow))
                }
                if let command = step.commandSpec {
                    lines += commandDetails(command).map { indent + TTY.inline($0) }
                }
            }
            var exits: [String] = []
            if let next = state.next { exits.append("next → \(next)") }
            if let onFail = state.onFail { exits.append("on fail → \(onFail)") }
            if state.onTimeout != .escalate { exits.append("on timeout → \(state.onTimeout)") }
            for step in state.steps {
                if case .input(let input) = step.kind {
                    exits += input.goto.map { "\(step.id) = \(TTY.inline($0.choice)) → \($0.state)" }
                }
            }
            if !exits.isEmpty { lines.append("     " + tty.paint(exits.joined(separator: " · "), .dim)) }
        }
        return lines.joined(separator: "\n")
    }

    /// "expect: number ^([0-9.]+) below 80%", "env: A=1, B=$RUNBOOK_VAR_X", "workdir: nextjs": a command step's
    /// `expect`, `env` and `workdir`, one line each.
    static func commandDetails(_ command: CommandSpec) -> [String] {
        var lines: [String] = []
        if let expect = command.expect {
            var text = switch expect.check {
            case .match(let pattern): "expect: output matches \(pattern)"
            case .number(let pattern, let comparison):
                "expect: number by \(pattern) \(comparison.key == "equals" ? "equal to" : comparison.key) \(comparison.bound.text)\(expect.unit ?? "")"
            }
            if expect.stream == .output { text += " (in stdout or stderr)" }
            lines.append(text)
        }
        if !command.environment.isEmpty {
            lines.append("env: " + command.environment.map { "\($0.name)=\($0.value.written)" }.joined(separator: ", "))
        }
        if let workdir = command.workdir { lines.append("workdir: \(workdir)") }
        return lines
    }

    static func describe(_ step: Step, tty: TTY) -> String {
        var text: String
        switch step.kind {
        case .manual: text = ""
        case .command(let command):
            text = "$ \(TTY.inline(command.run))  (timeout \(step.commandTimeout)" + (command.expectExit == 0 ? ")" : ", expects exit \(command.expectExit))")
        case .input(let input):
            text = TTY.inline(input.choices.map { "choose: " + $0.joined(separator: " | ") } ?? "input: \(input.prompt ?? "text")")
        case .approval(let approval):
            text = "approval by \(approval.min) \(approval.role)"
        case .wait(let duration):
            text = "wait \(duration)"
        case .call(let call):
            text = "calls runbook \(call.runbook)" + (call.drill ? " as a drill" : "")
            if !call.environment.isEmpty {
                text += TTY.inline(" with " + call.environment.map { "\($0.name)=\($0.value.written)" }.joined(separator: " "))
            }
        }
        if case .command = step.kind {} else if let timeout = step.timeout {
            text += text.isEmpty ? "timeout \(timeout)" : " (timeout \(timeout))"
        }
        if step.destructive { text += "  " + tty.paint(StepGates.destructiveMark, .red, .bold) }
        return text
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
