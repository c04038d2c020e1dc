import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "watch",
            abstract: "Run the scheduler: page escalation tiers, deliver notifications, write post-mortems.",
            discussion: """
                Sleeps until the next due time (no polling), wakes when another process records something, \
                records missed deadlines and escalations, delivers pages through the channels of \
                runbooks/contacts.yaml (retrying failures with backoff), and writes reports/INCIDENT.md when \
                an incident's follow-up is over, and starts each scheduled runbook's run at its time (once per slot; \
                missed runs are not replayed: only the latest, recorded as late). Prints one line per action. Stops cleanly on Ctrl-C or \
                SIGTERM; safe to kill at any moment: on restart each escalation is recorded once and \
                delivered at least once. A second watch on the same database stands by until the first stops.

                As a systemd service: see README.md.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Handle what is due now, then exit (for cron, scripts and tests).")
        var once = false

        @Option(help: ArgumentHelp("Where post-mortems are written.", valueName: "dir"))
        var reports = "reports"

        @Flag(help: "Say which watcher runs on the database, since when, and exit.")
        var status = false

        @Flag(help: ArgumentHelp("Run as the background watcher that start and guide launch: leave when another watcher runs, stop when nothing is open or due.",
                                 visibility: .hidden))
        var background = false

        func run() async throws {
            let workspace = Workspace(global: global)
            if status {
                // On PostgreSQL the watchers stand by for each other across hosts; /readyz of a server says whether one runs.
                let database = try workspace.databaseLocation(postgres: false, command: "watch --status")
                // The next scheduled run, whoever starts it.
                let now = try workspace.clock().now()
                let nextScheduled = ScheduledRuns.load(workspace.library).runbooks
                    .compactMap { item in item.schedule.nextRun(after: now, zone: item.zone).map { (item, $0) } }
                    .min { $0.1 < $1.1 }
                    .map { item, slot in
                        Message.schedule(.nextScheduled(runbook: item.runbook.id, at: Schedule.label(slot, zone: item.zone), zone: item.zone.name)).text()
                    }
                guard let current = WatchStatus.current(databasePath: database) else {
                    out(Message.watchStatusNone(database: database).text())
                    if let nextScheduled { out(nextScheduled) }
                    return
                }
                out(Message.watchStatusRunning(background: current.background, pid: current.pid > 0 ? current.pid : nil,
                                               database: database, since: current.pid > 0 ? LocalTime.full(current.since) : nil,
                                               log: BackgroundWatcher.logPath(databasePath: database)).text())
                if let next = try? workspace.localService(readOnly: true).store.nextDueAt() {
                    out(Message.watchNextDue(LocalTime.full(next)).text())
                }
                if let nextScheduled { out(nextScheduled) }
                return
            }
            let service = try workspace.service(create: true, localOnly: "runbook watch", postgres: true)
            let location = global.databasePath
            // The commands it runs (pages, scheduled steps) do not inherit a PostgreSQL URL, which may hold a password.
            if PostgresLocation.isPostgres(location) { unsetenv("RUNBOOK_DB") }
            let watcher = Watcher(service: service, notifier: Notifier(), databasePath: location,
                                  reports: ReportWriter(directory: reports)) { line in
                let prefix = "\(LocalTime.full(service.clock.now()))  "
                out(prefix + TTY.block(line, indent: TextWidth.of(prefix)))
                flushOutput()
            }
            // Run by `runbook serve`: it stops when the server is gone, however it ended.
            watcher.supervisor = environment("RUNBOOK_WATCH_SUPERVISOR").flatMap { Int32($0) }
            try await watcher.run(once: once, background: background)
        }
    }
}
