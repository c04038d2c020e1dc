import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Show every event of an incident: when, who, what.",
            discussion: """
                Times are local (TZ). An action entered after the fact shows when it happened and when it was recorded. \
                An action taken as a person whose roster entry binds logins, from another login, reads \
                "(recorded by LOGIN on behalf of NAME)"; --json gives every event's login.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The incident: its id, today's number (4) or the end of its id.", completion: Completions.incidents)
        var incident: String

        @Flag(help: "Print JSON (the stored records, with their hashes).")
        var json = false

        func run() async throws {
            let service = try Workspace(global: global).readOnlyService()
            let snapshot = try service.snapshot(try service.resolveIncidentID(incident))
            if json {
                out(IncidentJSON.timeline(snapshot).prettyText)
                return
            }
            let tty = global.tty
            for (event, proxy) in zip(snapshot.events, Identity.recordedOnBehalf(snapshot.events)) {
                var when = LocalTime.full(event.at)
                if event.occurredAt != nil { when += " (\(Message.recordedAt(LocalTime.full(event.record.recordedAt))))" }
                // Every line starts with its time: user text is escaped and its continuation lines indented
                // under the description, so a note cannot forge a line of the timeline.
                let prefix = "\(when)  #\(event.sequence)  \(TTY.inline(event.actor))  "
                var text = EventDescription.describe(event.event, runbook: snapshot.runbook)
                if let proxy { text += " (\(Identity.onBehalfText(login: proxy, actor: event.actor)))" }
                let line = prefix + TTY.block(text, indent: TextWidth.of(prefix))
                switch event.event {
                case .stepFailed, .approvalRefused: out(tty.paint(line, .red))
                case .stateEntered: out(tty.paint(line, .bold))
                default: out(line)
                }
            }
        }
    }
}
