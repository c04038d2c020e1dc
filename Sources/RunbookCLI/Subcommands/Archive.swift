import ArgumentParser
import RunbookCore
import RunbookRuntime
import RunbookStore

extension RunbookCommand {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write incidents as JSON lines, exactly as stored (for an archive, or another database).",
            discussion: """
                Each line after the first carries one incident: its list row, the runbook text it ran, every event \
                with its hash chain, and the roster and contacts frozen into it. `runbook import` verifies all of it \
                before adding anything. The manual keeps incident records for three years (§3.3): export each month \
                and keep the files with the backups.

                  runbook export > incidents-2026-11.jsonl
                  runbook export --since 30d | gzip > last-month.jsonl.gz
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only incidents opened within this duration (30d, 12h) or since this time (2026-11-01, ISO-8601).",
                                   valueName: "when"))
        var since: String?

        func run() async throws {
            let workspace = Workspace(global: global)
            let service = try workspace.service(readOnly: true, localOnly: "runbook export", postgres: true)
            let now = service.clock.now()
            var start: Instant?
            if let since {
                if let span = RunbookDuration(parsing: since) {
                    start = Instant(milliseconds: now.milliseconds - Int64(span.seconds) * 1000)
                } else {
                    start = try workspace.pastTime(since, flag: "--since", now: now)
                }
            }
            let counts = try IncidentArchive.export(service, since: start, now: now) { line in out(line) }
            err(Message.server(.exported(incidents: counts.incidents, events: counts.events)).text())
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add the incidents of a `runbook export` to this database, after verifying every one.",
            discussion: """
                Every incident is checked as `runbook verify` would (its hash chain, its row against its events, its \
                stored texts, the checkpoints of its reports with RUNBOOK_PUBLIC_KEY) before anything is added; a broken \
                or edited export, or an incident already in the database, refuses the whole import and changes nothing.

                  runbook import incidents-2026-11.jsonl --db archive.db
                  gunzip -c last-month.jsonl.gz | runbook import
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The export (default: standard input).")
        var file: String?

        func run() async throws {
            let workspace = Workspace(global: global)
            if try workspace.serverAddress() != nil { throw UserError(.usage, Message.server(.notThroughServer("runbook import"))) }
            // Before standard input is read: a PostgreSQL database hands this command to runbook-server, which reads it.
            _ = try workspace.databaseLocation(postgres: true)
            let text: String
            if let file { text = try FileIO.readStream(file) } else { text = readStandardInput() }
            // Verified against a scratch database in memory first: a refused import leaves no database behind.
            var scratch = global
            scratch.database = ":memory:"
            let checker = try Workspace(global: scratch).localService(create: true)
            let counts = try IncidentArchive.importLines(text, verifyingLike: checker) { () throws(UserError) -> any ImportingStore in
                guard let store = try workspace.localService(create: true, postgres: true).store as? any ImportingStore else {
                    throw UserError(.failed, "\(global.databaseName) does not take imports")
                }
                return store
            }
            out(Message.server(.imported(incidents: counts.incidents, events: counts.events, database: global.databaseName)).text())
        }
    }
}

/// Everything on standard input.
private func readStandardInput() -> String {
    var text = ""
    while let line = readLine(strippingNewline: false) { text += line }
    return text
}
