import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "The monthly review: incidents, drills, time to acknowledge and resolve, RTO, misses, pages.",
            discussion: """
                Per runbook and overall, for the incidents opened in the window: incidents and drills (drills are \
                counted apart and left out of every other figure), time to acknowledge (opening to first ack) and to \
                resolve as median and p90 (nearest rank), RTO met rate, deadlines missed per stage, pages per tier and \
                break-glass approvals. Read-only: reads one row per incident, never the events. Markdown by default.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case md, html, json
        }

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The window: incidents opened within this long before now (30d, 12h, 1d12h).", valueName: "duration"))
        var since = "30d"

        @Option(help: ArgumentHelp("Only this runbook's incidents.", valueName: "id"), completion: Completions.runbooks)
        var runbook: String?

        @Option(help: "md, html or json.")
        var format: Format = .md

        func validate() throws {
            guard RunbookDuration(parsing: since) != nil else {
                throw ValidationError("--since expects a duration like 30d, 12h or 1d12h, found \"\(since)\"")
            }
        }

        func run() async throws {
            let workspace = Workspace(global: global)
            let path = global.databasePath
            // Read-only: a mistyped --db is an error, never a new empty database (SPEC §7).
            if path != ":memory:", !FileIO.exists(path) {
                throw UserError(.usage, .noDatabase(path))
            }
            let store = try IncidentService.openStore(path: path, readOnly: true)
            let now = try workspace.clock().now()
            let window = RunbookDuration(parsing: since) ?? RunbookDuration(seconds: 30 * 86_400)
            let start = Instant(milliseconds: now.milliseconds - Int64(window.seconds) * 1000)
            let rows: [IncidentReviewRow]
            do {
                rows = try store.reviewRows(openedSince: start, runbookID: runbook)
            } catch {
                throw IncidentService.userError(error, database: path)
            }
            // A mistyped --runbook is an error, not an empty review: the id must be a runbook of the folder, or one that
            // incidents of the window ran.
            if let runbook, rows.isEmpty, let known = try? workspace.library.ids(), !known.contains(runbook) {
                throw UserError(.usage, .unknownRunbook(runbook, directory: global.runbooksPath, nearest: Suggestion.nearest(to: runbook, in: known)))
            }
            // Runs of routine checks are not incidents: left out of the figures, counted apart.
            let checklists = Set(ScheduledRuns.checklistIDs(workspace.library))
            let report = StatsReport(rows: rows, asOf: now, since: start, span: since, runbookFilter: runbook, checklists: checklists)
            switch format {
            case .md: print(StatsMarkdown.render(report) { LocalTime.full($0) }, terminator: "")
            case .html: print(StatsHTML.render(report) { LocalTime.full($0) }, terminator: "")
            case .json: print(StatsJSON.render(report).prettyText)
            }
        }
    }
}
