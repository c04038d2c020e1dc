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

/// JSON views of incidents for `--json`.
enum IncidentJSON {
    static func summary(_ summary: IncidentSummary, now: Instant) -> JSONValue {
        let p = summary.projection
        return .object([
            ("id", .string(summary.id)), ("runbook", .string(summary.runbookID)), ("title", .string(p.title)),
            ("severity", .string(p.severity)), ("status", .string(p.status)), ("stage", .string(p.stage)),
            ("drill", .bool(p.drill)), ("opened_at", .string(summary.openedAt.iso8601)),
            ("updated_at", .string(summary.updatedAt.iso8601)), ("events", .int(summary.lastSequence)),
            ("next_due_at", .optional(p.nextDueAt?.iso8601)),
        ])
    }

    static func state(_ snapshot: IncidentSnapshot, now: Instant, integrity: IntegrityVerdict? = nil) -> JSONValue {
        let state = snapshot.state
        let stage = snapshot.runbook.state(state.stateID)
        let steps: [JSONValue] = (stage?.steps ?? []).map { step in
            let progress = state.steps[step.id] ?? StepProgress()
            return .object([
                ("id", .string(step.id)), ("title", .string(step.title)), ("kind", .string(step.kind.name)),
                ("status", .string(progress.status.rawValue)), ("by", .optional(progress.finished?.by)),
                ("at", .optional(progress.finished?.at.iso8601)), ("note", .optional(progress.note)),
                ("value", .optional(progress.value)),
                ("waits_for", .array((stage?.prerequisites(of: step.id) ?? []).filter { state.steps[$0.step]?.isSettled != true }
                    .map { .string($0.step) })),
                ("destructive", .bool(step.destructive)), ("attempts", .int(Int64(progress.attempts))),
                ("calls", .optional(step.call?.runbook)), ("child", .optional(progress.child)),
                ("override", progress.override.map { .object([("by", .string($0.by.by)), ("at", .string($0.by.at.iso8601)),
                                                              ("reason", .string($0.reason))]) } ?? .null),
            ])
        }
        return .object([
            ("id", .string(state.id)), ("runbook", .string(state.runbookID)), ("runbook_sha256", .string(state.runbookSHA256)),
            ("title", .string(state.title)), ("kind", .string(snapshot.runbook.kind.rawValue)),
            ("severity", snapshot.runbook.kind == .checklist ? .null : .string(state.severity)), ("status", .string(state.status.rawValue)),
            ("scheduled", state.scheduled.map { .object([("at", .string($0.at.iso8601)), ("late", .bool($0.late))]) } ?? .null),
            ("drill", .bool(state.drill)), ("opened_at", .string(state.openedAt.iso8601)), ("opened_by", .string(state.openedBy)),
            ("acknowledged_at", .optional(state.acknowledged?.at.iso8601)), ("resolved_at", .optional(state.resolved?.at.iso8601)),
            ("closed_at", .optional(state.closed?.at.iso8601)), ("stage", .string(state.stateID)),
            ("stage_entered_at", .string(state.enteredAt.iso8601)),
            ("stage_deadline", .optional(state.stageDeadline(in: snapshot.runbook)?.iso8601)),
            ("steps", .array(steps)), ("events", .int(state.lastSequence)),
            ("participants", .array(state.participants.map { .string($0) })),
            ("roster", state.roster.map(rosterJSON) ?? .null),
            ("called_by", state.calledBy.map { origin in
                .object([("incident", .string(origin.incident)), ("step", .string(origin.step)),
                         ("recorded", .bool(!snapshot.linked.contains { $0.role == .parent && !$0.recorded }))])
            } ?? .null),
            ("calls", .array(snapshot.linked.filter { $0.role == .child }.map { link in
                .object([("incident", .string(link.incident)), ("step", .string(link.step)), ("runbook", .optional(link.runbook)),
                         ("status", .optional(link.result?.name)),
                         ("stage", .optional(link.result.flatMap { if case .open(let stage) = $0 { stage } else { nil } }))])
            })),
            ("window", stage.flatMap { WindowGate.closed($0, state: state, at: now) }.map { gate in
                .object([("name", .string(gate.window)), ("open", .bool(false)), ("opens", .optional(gate.opens))])
            } ?? .null),
            ("held", .array(state.episodes.filter { state.isActive($0) }.compactMap(\.pendingHold).map { hold in
                .object([("tier", .int(Int64(hold.tier))), ("window", .string(hold.window)), ("until", .string(hold.until.iso8601))])
            })),
            ("findings", .array(Findings.of(snapshot.events, runbook: snapshot.runbook).map(\.json))),
            ("integrity", integrity.map(integrityJSON) ?? .null),
        ])
    }

    static func rosterJSON(_ freeze: RosterFreeze) -> JSONValue {
        .object([
            ("runbooks", .string(freeze.directory)), ("configured_runbooks", .string(freeze.configuredDirectory)),
            ("roster_sha256", .string(freeze.rosterSHA256)), ("contacts_sha256", .string(freeze.contactsSHA256)),
            ("logins", .object(freeze.logins.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) })),
        ])
    }

    /// The verdict of `runbook verify` on the incident's log.
    static func integrityJSON(_ verdict: IntegrityVerdict) -> JSONValue {
        .object([
            ("verified", .bool(verdict.intact)), ("events", .int(Int64(verdict.events))),
            ("checkpoint", .optional(verdict.checkpoint?.text)), ("broken_since", .optional(verdict.brokenSince)),
            ("finding", .optional(verdict.finding)), ("problems", .array(verdict.problems.map { .string($0.sentence) })),
        ])
    }
}
