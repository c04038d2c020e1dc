import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runbooks in the runbooks folder.",
            discussion: "Shows each runbook's id, title, number of stages, the longest sum of stage deadlines to the end, and its RTO.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let library = RunbookLibrary(directory: global.runbooksPath)
            var loaded: [LoadedRunbook] = []
            var problems: [UserError] = []
            for file in try library.files() {
                do {
                    loaded.append(try RunbookLibrary.load(file: file))
                } catch {
                    problems.append(error)
                }
            }
            if json {
                out(JSONValue.array(loaded.map { item in
                    let runbook = item.runbook
                    return .object([
                        ("id", .string(runbook.id)), ("title", .string(runbook.title)), ("file", .string(item.file)),
                        ("source", .optional(runbook.source)), ("severity", .string(runbook.severity)),
                        ("stages", .int(Int64(runbook.states.count))),
                        ("total_deadline_seconds", .int(Int64(runbook.totalDeadline.seconds))),
                        ("rto_seconds", .optional(runbook.rto.map { Int64($0.seconds) })),
                    ])
                }).prettyText)
            } else {
                let tty = global.tty
                var rows = [[Message.Heading.id, .title, .stages, .deadlines, .rto].map { Message.heading($0).text() }]
                for item in loaded {
                    let runbook = item.runbook
                    rows.append([runbook.id, TTY.inline(runbook.title), String(runbook.states.count), runbook.totalDeadline.description,
                                 runbook.rto?.description ?? "-"])
                }
                if loaded.isEmpty && problems.isEmpty {
                    out(Message.noRunbooks(directory: global.runbooksPath).text())
                } else {
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
