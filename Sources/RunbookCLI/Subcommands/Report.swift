import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write the post-mortem of an incident from its event log.",
            discussion: """
                In the Google SRE shape: summary, impact, root cause, stage table (target against actual), key \
                times and RTO, escalations, commands, inputs and approvals, action items (notes `action: …`), \
                lessons learned (notes `went-well:`, `went-wrong:`, `lucky:`), the timeline and the integrity \
                check. A draft until the follow-up stage ends. Markdown by default.
                """)

        enum Format: String, ArgumentChoice {
            case md, html, json
        }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
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
            var snapshot = try service.snapshot(incident)
            snapshot.linked = service.linkedIncidents(of: snapshot.state)
            let report = PostmortemReport(snapshot: snapshot, integrity: try service.integrity(of: snapshot), now: service.now(for: snapshot.state),
                                          language: Language.current)
            let text: String = switch format {
            case .md: PostmortemMarkdown.render(report) { LocalTime.full($0) }
            case .html: PostmortemHTML.render(report) { LocalTime.full($0) }
            case .json: PostmortemJSON.render(report).prettyText + "\n"
            }
            if let output {
                let database = global.databasePath
                for protected in [database, "\(database)-wal", "\(database)-shm", "\(database).watch-lock"]
                where FileIO.sameFile(output, protected) || FileIO.absolutePath(output) == FileIO.absolutePath(protected) {
                    throw UserError(.usage, .reportOntoDatabase(output: output, database: protected, suggestion: "\(incident).\(format.rawValue)"))
                }
                if FileIO.exists(output), !force {
                    throw UserError(.usage, .reportExists(output))
                }
                try FileIO.write(text, to: output, sharing: try FileSharing.fromEnvironment())
                out("wrote \(output)")
            } else {
                print(text, terminator: "")
            }
        }
    }
}
