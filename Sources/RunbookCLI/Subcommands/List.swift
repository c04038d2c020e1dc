import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the runbooks in the runbooks folder (through a team server, the server's).",
            discussion: "Shows incident runbooks, then routine checks: each one's id, title, number of stages, the longest sum of stage deadlines to the end, its RTO (incidents) and its schedule.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let (loaded, problems) = try Workspace(global: global).runbooks()
            if json {
                out(JSONValue.array(loaded.map { $0.json }).prettyText)
            } else if loaded.isEmpty && problems.isEmpty {
                out(Message.noRunbooks(directory: global.runbooksPath).text())
            } else {
                // Incident runbooks, then the routine checks; a schedule column where a runbook of the group has one.
                let tty = global.tty
                let groups: [(Message.ScheduleLabel, RunbookKind)] = [(.incidentRunbooks, .incident), (.routineChecks, .checklist)]
                var first = true
                for (label, kind) in groups {
                    let members = loaded.filter { $0.runbook.kind == kind }
                    guard !members.isEmpty || kind == .incident else { continue }
                    let scheduled = members.contains { $0.runbook.schedule != nil }
                    var headings = [Message.Heading.id, .title, .stages, .deadlines].map { Message.heading($0).text() }
                    if kind == .incident { headings.append(Message.heading(.rto).text()) }
                    if scheduled { headings.append(Message.schedule(.label(.schedule)).text()) }
                    var rows = [headings]
                    for item in members {
                        let runbook = item.runbook
                        var row = [runbook.id, TTY.inline(runbook.title), String(runbook.states.count), runbook.totalDeadline.description]
                        if kind == .incident { row.append(runbook.rto?.description ?? "-") }
                        if scheduled {
                            row.append(runbook.schedule.map { TTY.inline($0.phrases.joined(separator: "; ") + (runbook.timezone.map { " (\($0))" } ?? "")) } ?? "-")
                        }
                        rows.append(row)
                    }
                    if !first { out("") }
                    first = false
                    out(tty.paint(Message.schedule(.label(label)).text(), .bold))
                    for (index, line) in Table.render(rows, rightAligned: [2]).enumerated() {
                        out(index == 0 ? tty.paint(line, .bold) : line)
                    }
                }
            }
            for problem in problems {
                err("runbook: error: \(TTY.inline(problem.message))")
            }
            if !problems.isEmpty { throw ExitCode(UserError.Kind.data.rawValue) }
        }
    }
}
