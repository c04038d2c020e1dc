public import RunbookCore

/// JSON views of incidents: `status --json` and the team server's views are these.
public enum IncidentJSON {
    public static func summary(_ summary: IncidentSummary, now: Instant) -> JSONValue {
        let p = summary.projection
        return .object([
            ("id", .string(summary.id)), ("runbook", .string(summary.runbookID)), ("title", .string(p.title)),
            ("severity", .string(p.severity)), ("status", .string(p.status)), ("stage", .string(p.stage)),
            ("drill", .bool(p.drill)), ("opened_at", .string(summary.openedAt.iso8601)),
            ("updated_at", .string(summary.updatedAt.iso8601)), ("events", .int(summary.lastSequence)),
            ("next_due_at", .optional(p.nextDueAt?.iso8601)),
        ])
    }

    public static func state(_ snapshot: IncidentSnapshot, now: Instant, integrity: IntegrityVerdict? = nil) -> JSONValue {
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

    public static func rosterJSON(_ freeze: RosterFreeze) -> JSONValue {
        .object([
            ("runbooks", .string(freeze.directory)), ("configured_runbooks", .string(freeze.configuredDirectory)),
            ("roster_sha256", .string(freeze.rosterSHA256)), ("contacts_sha256", .string(freeze.contactsSHA256)),
            ("logins", .object(freeze.logins.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) })),
        ])
    }

    /// The verdict of `runbook verify` on the incident's log.
    public static func integrityJSON(_ verdict: IntegrityVerdict) -> JSONValue {
        .object([
            ("verified", .bool(verdict.intact)), ("events", .int(Int64(verdict.events))),
            ("checkpoint", .optional(verdict.checkpoint?.text)), ("broken_since", .optional(verdict.brokenSince)),
            ("finding", .optional(verdict.finding)), ("problems", .array(verdict.problems.map { .string($0.sentence) })),
        ])
    }

    /// Every event of the incident: when, who (with the login or token it was recorded under), what, and its hash.
    public static func timeline(_ snapshot: IncidentSnapshot, after sequence: Int64 = 0) -> JSONValue {
        let onBehalf = Identity.recordedOnBehalf(snapshot.events)
        return .array(zip(snapshot.events, onBehalf).filter { $0.0.sequence > sequence }.map { event, proxy in
            event.json(onBehalf: proxy != nil, runbook: snapshot.runbook)
        })
    }
}

extension RecordedEvent {
    /// One event as the timeline shows it in JSON, with its description in the process's language.
    public func json(onBehalf: Bool, runbook: Runbook) -> JSONValue {
        let data = (try? JSONValue(parsing: record.data)) ?? .null
        return .object([
            ("sequence", .int(sequence)), ("recorded_at", .string(record.recordedAt.iso8601)),
            ("occurred_at", .optional(occurredAt?.iso8601)), ("actor", .string(actor)),
            ("login", .optional(login)), ("on_behalf", .bool(onBehalf)),
            ("type", .string(record.type)), ("data", data), ("hash", .string(record.hash)),
            ("description", .string(EventDescription.describe(event, runbook: runbook))),
        ])
    }
}
