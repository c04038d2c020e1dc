import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the open incidents, or one incident in detail.",
            discussion: "Without an id: each open incident with its stage and the time left or overdue. With an id: the stage, its steps and the latest events.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "An incident id (default: all open incidents).", completion: Completions.incidents)
        var incident: String?

        @Flag(help: "Include closed incidents.")
        var all = false

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.readOnlyService()
            guard let incident else {
                try list(service, now: service.clock.now())
                return
            }
            // Like every command, bring the log up to date first (missed deadlines, pages), so it is right
            // even when no watcher runs.
            // A view computes what has fallen due and shows it, but never appends (SPEC §5); the next action or
            // the watcher records it.
            let snapshot = try service.snapshotAsOfNow(try service.resolveIncidentID(incident))
            let integrity = try service.integrity(of: snapshot)
            // A drill is shown on its own clock.
            let now = service.now(for: snapshot.state)
            if json {
                out(IncidentJSON.state(snapshot, now: now, integrity: integrity).prettyText)
                return
            }
            let width = TTY.stdoutIsTerminal ? TTY.columns : nil
            for line in IncidentScreen.render(snapshot, now: now, tty: global.tty, width: width, selected: nil, recent: 5,
                                              findings: true, integrity: integrity) {
                out(line)
            }
        }

        func list(_ service: IncidentService, now: Instant) throws {
            let summaries: [IncidentSummary]
            do {
                summaries = try service.store.incidents(statuses: all ? nil : ["open", "resolved"])
            } catch {
                throw IncidentService.userError(error, database: global.databasePath)
            }
            if json {
                out(JSONValue.array(summaries.map { IncidentJSON.summary($0, now: now) }).prettyText)
                return
            }
            guard !summaries.isEmpty else {
                out((all ? Message.noIncidents(database: global.databasePath) : .noOpenIncidents).text())
                return
            }
            let tty = global.tty
            var rows = [[Message.Heading.id, .runbook, .severity, .status, .stage, .deadline, .paged, .title].map { Message.heading($0).text() }]
            var overdue: Set<Int> = []
            let facts = try? service.store.integrityFacts(wholeStore: false)
            for summary in summaries {
                let p = summary.projection
                var deadline = "-", paged = "-", broken = "", severity = p.severity
                // Open incidents are few: replaying each (with what fell due folded in, never recorded) gives the
                // stage's own deadline and the last tier paged, and verifying it flags a broken log in the list too.
                if p.status != "closed", let snapshot = try? service.snapshotAsOfNow(summary.id) {
                    // A drill is shown on its own clock.
                    let now = service.now(for: snapshot.state)
                    let due = snapshot.state.stageDeadline(in: snapshot.runbook)
                    deadline = due.map { EventDescription.countdown(from: now, to: $0) } ?? "-"
                    if let due, due <= now { overdue.insert(rows.count) }
                    paged = IncidentScreen.lastPage(snapshot.state)
                    // A routine check has no severity.
                    if snapshot.runbook.kind == .checklist { severity = Message.schedule(.label(.checklist)).text() }
                    if let facts, let verdict = try? service.integrity(of: snapshot, facts: facts), !verdict.intact {
                        broken = (verdict.brokenSince.map { Message.logBrokenSince($0) } ?? .logAltered).text()
                    }
                }
                rows.append([summary.id + (p.drill ? Message.drillMark.text() : "") + broken, summary.runbookID, severity,
                             Message.incidentStatus(p.status).text(), p.stage, deadline, paged,
                             TTY.inline(p.title)])
            }
            let width = TTY.stdoutIsTerminal ? TTY.columns : Int.max
            for (index, line) in Table.render(rows).enumerated() {
                let fitted = width == Int.max ? line : TTY.fit(line, width: width)
                out(index == 0 ? tty.paint(fitted, .bold) : (overdue.contains(index) ? tty.paint(fitted, .red) : fitted))
            }
        }
    }
}
