public import RunbookCore

extension LoadedRunbook {
    /// The runbook as `runbook list --json` and the server's runbook list show it.
    public var json: JSONValue {
        .object([
            ("id", .string(runbook.id)), ("title", .string(runbook.title)), ("file", .string(file)),
            ("kind", .string(runbook.kind.rawValue)),
            ("source", .optional(runbook.source)), ("severity", runbook.kind == .checklist ? .null : .string(runbook.severity)),
            ("stages", .int(Int64(runbook.states.count))),
            ("total_deadline_seconds", .int(Int64(runbook.totalDeadline.seconds))),
            ("rto_seconds", .optional(runbook.rto.map { Int64($0.seconds) })),
            ("schedule", runbook.schedule.map { schedule in .array(schedule.phrases.map { .string($0) }) } ?? .null),
            ("timezone", .optional(runbook.timezone)),
        ])
    }
}
