import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the scheduler: page escalation tiers, deliver notifications, write post-mortems.",
            discussion: """
                Sleeps until the next due time (no polling), wakes when another process records something,
                records missed deadlines and escalations, delivers pages through the channels of
                runbooks/contacts.yaml (retrying failures with backoff), and writes reports/INCIDENT.md when
                an incident's follow-up is over. Prints one line per action. Stops cleanly on Ctrl-C or
                SIGTERM; safe to kill at any moment: on restart each escalation is recorded once and
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
                let database = global.databasePath
                guard let current = WatchStatus.current(databasePath: database) else {
                    out("No watcher runs on \(database). `runbook start` and `guide` launch one in the background (unless RUNBOOK_WATCHER=off); "
                        + "a team with schedules runs `runbook watch` as a service (see README).")
                    return
                }
                let who = current.pid > 0 ? " (pid \(current.pid))" : ""
                let since = current.pid > 0 ? " since \(LocalTime.full(current.since))" : ""
                out("A \(current.background ? "background" : "foreground") watcher\(who) runs on \(database)\(since)"
                    + (current.background ? "; it stops by itself when no incident is open and nothing is due, log: "
                       + BackgroundWatcher.logPath(databasePath: database) : "."))
                if let next = try? workspace.readOnlyService().store.nextDueAt() {
                    out("Next due: \(LocalTime.full(next)).")
                }
                return
            }
            let service = try workspace.service(create: true)
            let watcher = Watcher(service: service, notifier: Notifier(), databasePath: global.databasePath,
                                  reports: ReportWriter(directory: reports)) { line in
                let prefix = "\(LocalTime.full(service.clock.now()))  "
                out(prefix + TTY.block(line, indent: TextWidth.of(prefix)))
                flushOutput()
            }
            try await watcher.run(once: once, background: background)
        }
    }

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Page the next escalation tier now.",
            discussion: "Jumps the incident's running escalation to its next tier, or starts one above the highest tier paged so far. Recorded with your name and reason.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var action: ActionOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Option(help: "Why (goes into the page and the report).")
        var reason: String?

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.service()
            let incident = try service.resolveIncidentID(self.incident)
            try record(.escalate(reason: reason), incident: incident, global: global, action: action, service: service)
            try await workspace.deliverUnlessWatched(incident, service: service)
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the post-mortem of an incident from its event log.",
            discussion: """
                In the Google SRE shape: summary, impact, root cause, stage table (target against actual), key
                times and RTO, escalations, commands, inputs and approvals, action items (notes `action: …`),
                lessons learned (notes `went-well:`, `went-wrong:`, `lucky:`), the timeline and the integrity
                check. A draft until the follow-up stage ends. Markdown by default.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case md, html, json
        }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Option(help: "md, html or json.")
        var format: Format = .md

        @Option(name: .shortAndLong, help: ArgumentHelp(
            "Write to this file instead of standard output (atomically, mode 0600; never the database).", valueName: "file"))
        var output: String?

        @Flag(help: "Replace the output file if it exists.")
        var force = false

        func run() async throws {
            let service = try Workspace(global: global).readOnlyService()
            let incident = try service.resolveIncidentID(self.incident)
            let snapshot = try service.snapshot(incident)
            let report = PostmortemReport(snapshot: snapshot, integrity: try service.integrity(of: snapshot), now: service.clock.now())
            let text: String = switch format {
            case .md: PostmortemMarkdown.render(report) { LocalTime.full($0) }
            case .html: PostmortemHTML.render(report) { LocalTime.full($0) }
            case .json: PostmortemJSON.render(report).prettyText + "\n"
            }
            if let output {
                let database = global.databasePath
                for protected in [database, "\(database)-wal", "\(database)-shm", "\(database).watch-lock"]
                where FileIO.sameFile(output, protected) || FileIO.absolutePath(output) == FileIO.absolutePath(protected) {
                    throw UserError(.usage, "-o \(output) is the incident database (\(protected)); writing the report there would "
                                    + "destroy the log: choose another file, e.g. -o \(incident).\(format.rawValue)")
                }
                if FileIO.exists(output), !force {
                    throw UserError(.usage, "\(output) exists; add --force to replace it, or choose another file")
                }
                try FileIO.write(text, to: output, sharing: try FileSharing.fromEnvironment())
                out("wrote \(output)")
            } else {
                print(text, terminator: "")
            }
        }
    }
}
