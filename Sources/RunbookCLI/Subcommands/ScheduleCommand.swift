import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct ScheduleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract: "List the scheduled runbooks: their schedule, time zone, next run and last run.",
            discussion: """
                Reads the runbooks folder and the database (never creates it: no database means no runs yet). \
                Scheduled runs start only while `runbook watch` runs; run it as a service (see README). \
                Missed runs are not replayed: a watcher that starts late starts only the latest missed one, recorded as late.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async throws {
            let workspace = Workspace(global: global)
            _ = try workspace.databaseLocation(postgres: false)
            let now = try workspace.clock().now()
            _ = try workspace.library.files()  // an unreadable folder is an error, not an empty schedule
            let (runbooks, problems) = ScheduledRuns.load(workspace.library)
            var lastRuns: [String: ScheduledRunRow] = [:]
            var statuses: [String: String] = [:]
            if global.databasePath == ":memory:" || FileIO.exists(global.databasePath) {
                let service = try workspace.service(readOnly: true, localOnly: "runbook schedule")
                lastRuns = try service.latestScheduledRuns()
                for run in lastRuns.values {
                    statuses[run.incidentID] = (try? service.store.incident(run.incidentID))??.projection.status
                }
            }
            let watcher = WatchStatus.current(databasePath: global.databasePath)
            let serviceRuns = watcher.map { !$0.background } ?? false
            if json {
                out(JSONValue.object([
                    ("watcher", .optional(watcher.map { $0.background ? "background" : "foreground" })),
                    ("runbooks", .array(runbooks.map { item in
                        let next = item.schedule.nextRun(after: now, zone: item.zone)
                        let last = lastRuns[item.runbook.id]
                        return .object([
                            ("runbook", .string(item.runbook.id)), ("kind", .string(item.runbook.kind.rawValue)),
                            ("schedule", .array(item.schedule.phrases.map { .string($0) })), ("timezone", .string(item.zone.name)),
                            ("next_run", .optional(next?.iso8601)), ("next_run_local", .optional(next.map { Schedule.label($0, zone: item.zone) })),
                            ("next_run_in_seconds", .optional(next.map { $0.milliseconds(since: now) / 1000 })),
                            ("last_run", last.map { run in
                                .object([("incident", .string(run.incidentID)), ("slot", .string(run.slot.iso8601)),
                                         ("slot_local", .string(Schedule.label(run.slot, zone: item.zone))), ("late", .bool(run.late)),
                                         ("status", .optional(statuses[run.incidentID]))])
                            } ?? .null),
                        ])
                    })),
                ]).prettyText)
            } else if runbooks.isEmpty {
                out(Message.schedule(.noSchedules(directory: global.runbooksPath)).text())
            } else {
                let label = { (label: Message.ScheduleLabel) in Message.schedule(.label(label)).text() }
                var rows = [[label(.runbook), label(.schedule), label(.timeZone), label(.nextRun), label(.lastRun)]]
                for item in runbooks {
                    let next = item.schedule.nextRun(after: now, zone: item.zone).map { slot in
                        Schedule.label(slot, zone: item.zone) + " ("
                            + Message.schedule(.inDuration(Schedule.countdown(milliseconds: slot.milliseconds(since: now)))).text() + ")"
                    } ?? "-"
                    let last = lastRuns[item.runbook.id].map { run in
                        Message.schedule(.lastRun(incident: run.incidentID, slot: Schedule.label(run.slot, zone: item.zone), late: run.late,
                                                  status: statuses[run.incidentID] ?? "?")).text()
                    } ?? label(.noRunsYet)
                    rows.append([item.runbook.id, TTY.inline(item.schedule.phrases.joined(separator: "; ")), item.zone.name, next, last])
                }
                let tty = global.tty
                for (index, line) in Table.render(rows).enumerated() {
                    out(index == 0 ? tty.paint(line, .bold) : line)
                }
            }
            if !serviceRuns, !json {
                out("")
                out(Message.schedule(.needsWatcher).text())
            }
            for problem in problems {
                err("runbook: error: \(TTY.inline(problem))")
            }
            if !problems.isEmpty { throw ExitCode(UserError.Kind.data.rawValue) }
        }
    }
}
