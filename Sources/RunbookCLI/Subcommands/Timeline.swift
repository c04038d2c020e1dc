import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every event of an incident: when, who, what.",
            discussion: """
                Times are local (TZ). An action entered after the fact shows when it happened and when it was recorded.
                An action taken as a person whose roster entry binds logins, from another login, reads
                "(recorded by LOGIN on behalf of NAME)"; --json gives every event's login.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The incident id.")
        var incident: String

        @Flag(help: "Print JSON (the stored records, with their hashes).")
        var json = false

        func run() async throws {
            let service = try Workspace(global: global).service()
            let snapshot = try service.snapshot(incident)
            if json {
                let onBehalf = Identity.recordedOnBehalf(snapshot.events)
                out(JSONValue.array(zip(snapshot.events, onBehalf).map { event, proxy in
                    let data = (try? JSONValue(parsing: event.record.data)) ?? .null
                    return .object([
                        ("sequence", .int(event.sequence)), ("recorded_at", .string(event.record.recordedAt.iso8601)),
                        ("occurred_at", .optional(event.occurredAt?.iso8601)), ("actor", .string(event.actor)),
                        ("login", .optional(event.login)), ("on_behalf", .bool(proxy != nil)),
                        ("type", .string(event.record.type)), ("data", data), ("hash", .string(event.record.hash)),
                    ])
                }).prettyText)
                return
            }
            let tty = global.tty
            for (event, proxy) in zip(snapshot.events, Identity.recordedOnBehalf(snapshot.events)) {
                var when = LocalTime.full(event.at)
                if event.occurredAt != nil { when += " (recorded \(LocalTime.full(event.record.recordedAt)))" }
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

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain of one incident or all, and name the first bad event.",
            discussion: "Exit status 0 when every chain is intact, 1 when any event was edited, deleted or reordered.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "An incident id (default: every incident).")
        var incident: String?

        func run() async throws {
            let service = try Workspace(global: global).service()
            let ids: [String]
            do {
                ids = try incident.map { [$0] } ?? service.store.incidents(statuses: nil).map(\.id)
                if let incident, try service.store.runbook(of: incident) == nil {
                    throw service.unknownIncident(incident)
                }
            } catch let error as StoreError {
                throw IncidentService.userError(error, database: global.databasePath)
            }
            var broken = 0
            for id in ids {
                let records: [EventRecord]
                do {
                    records = try service.store.events(of: id, after: 0)
                } catch {
                    throw IncidentService.userError(error, database: global.databasePath)
                }
                // The chain cannot see events cut from its end; the incident list remembers how many there were.
                let listed = (try? service.store.incident(id))??.lastSequence ?? Int64(records.count)
                switch EventChain.verify(records) {
                case .intact(let count) where Int64(count) < listed:
                    broken += 1
                    err("\(id): hash chain broken at event \(count + 1): events \(count + 1) to \(listed) are missing (the log ends at event \(count))")
                case .intact(let count):
                    out("\(id): \(count) events, hash chain intact")
                case .broken(let sequence, let reason):
                    broken += 1
                    err("\(id): hash chain broken at event \(sequence): \(reason)")
                }
            }
            if ids.isEmpty { out("No incidents in \(global.databasePath).") }
            if broken > 0 {
                throw UserError(.failed, "\(broken) of \(ids.count) incident\(ids.count == 1 ? "" : "s") failed verification; the log was altered outside runbook")
            }
        }
    }
}
