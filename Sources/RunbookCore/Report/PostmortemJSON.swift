/// The post-mortem as data (`schema_version` 1).
public enum PostmortemJSON {
    public static let schemaVersion: Int64 = 1

    public static func render(_ report: PostmortemReport) -> JSONValue {
        func time(_ instant: Instant?) -> JSONValue { .optional(instant?.iso8601) }
        func ms(_ value: Int64?) -> JSONValue { .optional(value) }
        func notes(_ items: [PostmortemReport.NoteItem]) -> JSONValue {
            .array(items.map { item in
                var source: [(String, JSONValue)] = [("source", .string(item.source.name))]
                if case .input(let step) = item.source { source.append(("step", .string(step))) }
                return .object([("text", .string(item.text)), ("by", .string(item.by)), ("at", .string(item.at.iso8601)),
                                ("owner", .optional(item.owner))] + source)
            })
        }
        // Present only for an incident linked by a call step, so the JSON of others keeps its shape.
        let linked: [(String, JSONValue)] = report.linked.isEmpty ? [] : [("linked_incidents", .array(report.linked.map { link in
            .object([("relation", .string(link.role.rawValue)), ("incident", .string(link.incident)), ("step", .string(link.step)),
                     ("runbook", .optional(link.runbook)), ("status", .optional(link.result?.name)),
                     ("stage", .optional(link.result.flatMap { if case .open(let stage) = $0 { stage } else { nil } })),
                     ("text", .string(link.text(in: report.language)))])
        }))]
        let verdict = report.integrity
        let integrity: JSONValue = .object([
            ("verified", .bool(verdict.intact)), ("events", .int(Int64(verdict.events))),
            ("checkpoint", .optional(verdict.checkpoint?.text)), ("broken_since", .optional(verdict.brokenSince)),
            ("problems", .array(verdict.problems.map { .string($0.sentence) })),
        ])
        return .object([
            ("schema_version", .int(schemaVersion)),
            ("incident", .string(report.id)), ("title", .string(report.title)), ("status", .string(report.final ? "final" : "draft")),
            ("incident_status", .string(report.status.rawValue)), ("drill", .bool(report.drill)),
            ("runbook", .object([("id", .string(report.runbookID)), ("title", .string(report.runbookTitle)), ("sha256", .string(report.runbookSHA256))])),
            // A routine check has no severity (null, as in status --json).
            ("severity", report.checklist ? .null : .string(report.severity)),
            ("severity_changes", .array(report.severityChanges.map {
                .object([("from", .string($0.from)), ("to", .string($0.to)), ("at", .string($0.at.iso8601)), ("by", .string($0.by))])
            })),
            ("opened_at", .string(report.openedAt.iso8601)), ("opened_by", .string(report.openedBy)),
            ("participants", .array(report.participants.map { .string($0) })),
            // Findings as status JSON has them: kind, facts and the English message.
            ("findings", .array(report.findings.map(\.json))),
        ] + linked + [
            ("language", .string(report.language == .korean ? "ko" : "en")),
            ("summary", .array(report.summarySentences { $0.iso8601 }.map { .string($0) })),
            ("impact_started_at", time(report.impactStartedAt)), ("detected_at", .string(report.detectedAt.iso8601)),
            ("acknowledged_at", time(report.acknowledgedAt)), ("contained_at", time(report.containedAt)),
            ("resolved_at", time(report.resolvedAt)), ("closed_at", time(report.closedAt)),
            ("intervals_ms", .object([("detect", ms(report.timeToDetect)),
                                      ("acknowledge", ms(report.since(report.acknowledgedAt))), ("contain", ms(report.since(report.containedAt))),
                                      ("resolve", ms(report.since(report.resolvedAt)))])),
            ("rto_seconds", .optional(report.rto.map { Int64($0.seconds) })),
            ("rto", .optional(report.rtoSentence)),
            ("rto_caveats", .array(report.rtoCaveats.map(\.json))),
            ("stages", .array(report.stages.map { row in
                .object([("state", .string(row.state)), ("title", .string(row.title)), ("target_seconds", .optional(row.target.map { Int64($0.seconds) })),
                         ("entered_at", .string(row.enteredAt.iso8601)), ("left_at", time(row.leftAt)), ("actual_ms", .int(row.actualMilliseconds)),
                         ("over_ms", ms(row.overMilliseconds)), ("met", row.met.map { .bool($0) } ?? .null)])
            })),
            ("escalations", .array(report.pages.map { page in
                .object([("at", .string(page.at.iso8601)), ("tier", .int(Int64(page.tier))), ("round", .int(Int64(page.round))),
                         ("roles", .array(page.roles.map { .string($0) })), ("why", .string(page.why)), ("manual", .bool(page.manual)),
                         ("by", .string(page.by)), ("deliveries", .array(page.deliveries.map { row in
                             .object([("role", .string(row.role)), ("channel", .optional(row.channel)),
                                      ("delivered_at", .optional(row.deliveredAt?.iso8601)), ("attempts", .int(Int64(row.attempts))),
                                      ("error", .optional(row.error))])
                         }))])
            })),
            ("commands", .array(report.commands.map { command in
                let outcome = command.outcome
                // Present only for a run runbook cut short, so reports of other runs keep their shape.
                let interrupted = outcome.interruption.map { [("interrupted", JSONValue.string($0.stored))] } ?? []
                    + (outcome.couldNotStart.map { [("could_not_start", JSONValue.string($0))] } ?? [])
                    // What `expect:` found, as recorded: the value, the comparison and whether it passed.
                    + (outcome.expectation.map { [("expect", $0.json)] } ?? [])
                return .object([("step", .string(command.step)), ("command", .string(command.command)), ("by", .string(command.by)),
                                ("at", .string(command.at.iso8601)), ("exit_code", .optional(outcome.exitCode.map(Int64.init))),
                                ("signal", .optional(outcome.signal.map(Int64.init))), ("timed_out", .bool(outcome.timedOut)),
                                ("duration_ms", .int(outcome.durationMilliseconds)), ("result", .string(command.verdict.summary)),
                                ("stdout", outcome.stdout.json), ("stderr", outcome.stderr.json)] + interrupted)
            })),
            ("inputs", .array(report.inputs.map {
                .object([("step", .string($0.step)), ("value", .string($0.value)), ("by", .string($0.by)), ("at", .string($0.at.iso8601))])
            })),
            ("approvals", .array(report.approvals.map {
                .object([("step", .string($0.step)), ("role", .string($0.role)), ("by", .string($0.by)), ("at", .string($0.at.iso8601)),
                         ("refused", .optional($0.refused))])
            })),
            ("sections", .object(PostmortemReport.tags.map { ($0, notes(report.tagged[$0] ?? [])) })),
            ("notes", notes(report.notes)),
            ("timeline", .array(report.timeline.map {
                .object([("at", .string($0.at.iso8601)), ("recorded_at", time($0.recordedAt)), ("sequence", .int($0.sequence)),
                         ("actor", .string($0.actor)), ("text", .string($0.text))])
            })),
            ("integrity", integrity),
            ("generated_at", .string(report.generatedAt.iso8601)),
        ])
    }
}
