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

        enum Format: String, ArgumentChoice {
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
            let report: StatsReport
            if let address = try workspace.serverAddress() {
                // Through a team server: its rows and its runbooks, reviewed here by the same code.
                let service = try workspace.service(readOnly: true)
                let (loaded, _) = try workspace.runbooks()
                report = try StatsReport.review(store: service.store, runbooks: (loaded.map(\.runbook.id), loaded), folder: address.base,
                                                now: try workspace.clock().now(), span: since, runbook: runbook, databasePath: address.base)
            } else {
                report = try localReview(workspace)
            }
            switch format {
            case .md: print(StatsMarkdown.render(report) { LocalTime.full($0) }, terminator: "")
            case .html: print(StatsHTML.render(report) { LocalTime.full($0) }, terminator: "")
            case .json: print(StatsJSON.render(report).prettyText)
            }
        }

        func localReview(_ workspace: Workspace) throws(UserError) -> StatsReport {
            let path = try workspace.databaseLocation(postgres: true)
            // Read-only: a mistyped --db is an error, never a new empty database (SPEC §7).
            if path != ":memory:", !PostgresLocation.isPostgres(path), !FileIO.exists(path) {
                throw UserError(.usage, .noDatabase(path))
            }
            let store = try IncidentService.openDatabase(path, readOnly: true)
            return try StatsReport.review(store: store, library: workspace.library, now: try workspace.clock().now(), span: since,
                                          runbook: runbook, databasePath: global.databaseName)
        }
    }
}
