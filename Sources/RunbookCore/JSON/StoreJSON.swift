/// The stored log as JSON, exactly as the store holds it: what the team server sends a command line that works
/// through it (SPEC §10), so that the command line folds, verifies and shows the incident with the same code as on
/// the server's host. Every field is carried as stored (times in milliseconds, hashes as hex), nothing recomputed.
public enum StoreJSON {
    public static func record(_ record: EventRecord) -> JSONValue {
        .object([
            ("sequence", .int(record.sequence)), ("recorded_at_ms", .int(record.recordedAt.milliseconds)),
            ("actor", .string(record.actor)), ("type", .string(record.type)), ("data", .string(record.data)),
            ("previous_hash", .string(record.previousHash)), ("hash", .string(record.hash)),
        ])
    }

    public static func record(_ value: JSONValue, incidentID: String) -> EventRecord? {
        guard let sequence = value["sequence"]?.int, let recordedAt = value["recorded_at_ms"]?.int,
              let actor = value["actor"]?.string, let type = value["type"]?.string, let data = value["data"]?.string,
              let previousHash = value["previous_hash"]?.string, let hash = value["hash"]?.string else { return nil }
        return EventRecord(incidentID: incidentID, sequence: sequence, recordedAt: Instant(milliseconds: recordedAt), actor: actor,
                           type: type, data: data, previousHash: previousHash, hash: hash)
    }

    public static func runbook(_ snapshot: RunbookSnapshot) -> JSONValue {
        .object([("runbook_id", .string(snapshot.runbookID)), ("text", .string(snapshot.text)), ("sha256", .string(snapshot.sha256))])
    }

    public static func runbook(_ value: JSONValue) -> RunbookSnapshot? {
        guard let id = value["runbook_id"]?.string, let text = value["text"]?.string, let sha256 = value["sha256"]?.string else { return nil }
        return RunbookSnapshot(runbookID: id, text: text, sha256: sha256)
    }

    public static func summary(_ row: IncidentSummary) -> JSONValue {
        let projection = row.projection, facts = projection.facts
        return .object([
            ("id", .string(row.id)), ("runbook_id", .string(row.runbookID)), ("opened_at_ms", .int(row.openedAt.milliseconds)),
            ("updated_at_ms", .int(row.updatedAt.milliseconds)), ("last_sequence", .int(row.lastSequence)),
            ("title", .string(projection.title)), ("severity", .string(projection.severity)), ("status", .string(projection.status)),
            ("stage", .string(projection.stage)), ("next_due_at_ms", .optional(projection.nextDueAt?.milliseconds)),
            ("drill", .bool(projection.drill)),
            ("acknowledged_at_ms", .optional(facts.acknowledgedAt?.milliseconds)), ("resolved_at_ms", .optional(facts.resolvedAt?.milliseconds)),
            ("closed_at_ms", .optional(facts.closedAt?.milliseconds)), ("rto_ms", .optional(facts.rtoMilliseconds)),
            ("break_glass", .int(Int64(facts.breakGlass))), ("counts", .optional(facts.countsJSON)),
        ])
    }

    public static func summary(_ value: JSONValue) -> IncidentSummary? {
        guard let id = value["id"]?.string, let runbookID = value["runbook_id"]?.string, let opened = value["opened_at_ms"]?.int,
              let updated = value["updated_at_ms"]?.int, let last = value["last_sequence"]?.int, let title = value["title"]?.string,
              let severity = value["severity"]?.string, let status = value["status"]?.string, let stage = value["stage"]?.string,
              let drill = value["drill"]?.bool else { return nil }
        func instant(_ key: String) -> Instant? { value[key]?.int.map(Instant.init(milliseconds:)) }
        let facts = facts(of: value)
        return IncidentSummary(id: id, runbookID: runbookID, openedAt: Instant(milliseconds: opened), updatedAt: Instant(milliseconds: updated),
                               lastSequence: last,
                               projection: IncidentProjection(title: title, severity: severity, status: status, stage: stage,
                                                              nextDueAt: instant("next_due_at_ms"), drill: drill, facts: facts))
    }

    /// One row of the monthly review (`reviewRows`), as stored.
    public static func reviewRow(_ row: IncidentReviewRow) -> JSONValue {
        .object([
            ("id", .string(row.id)), ("runbook_id", .string(row.runbookID)), ("opened_at_ms", .int(row.openedAt.milliseconds)),
            ("drill", .bool(row.drill)), ("status", .string(row.status)),
            ("acknowledged_at_ms", .optional(row.facts.acknowledgedAt?.milliseconds)), ("resolved_at_ms", .optional(row.facts.resolvedAt?.milliseconds)),
            ("closed_at_ms", .optional(row.facts.closedAt?.milliseconds)), ("rto_ms", .optional(row.facts.rtoMilliseconds)),
            ("break_glass", .int(Int64(row.facts.breakGlass))), ("counts", .optional(row.facts.countsJSON)),
        ])
    }

    public static func reviewRow(_ value: JSONValue) -> IncidentReviewRow? {
        guard let id = value["id"]?.string, let runbookID = value["runbook_id"]?.string, let opened = value["opened_at_ms"]?.int,
              let drill = value["drill"]?.bool, let status = value["status"]?.string else { return nil }
        return IncidentReviewRow(id: id, runbookID: runbookID, openedAt: Instant(milliseconds: opened), drill: drill, status: status,
                                 facts: facts(of: value))
    }

    /// The review's facts carried beside a row (`summary`, `reviewRow`).
    static func facts(of value: JSONValue) -> IncidentFacts {
        func instant(_ key: String) -> Instant? { value[key]?.int.map(Instant.init(milliseconds:)) }
        let counts = value["counts"]?.string.flatMap { IncidentFacts.counts(json: $0) }
        return IncidentFacts(acknowledgedAt: instant("acknowledged_at_ms"), resolvedAt: instant("resolved_at_ms"),
                             closedAt: instant("closed_at_ms"), rtoMilliseconds: value["rto_ms"]?.int,
                             missedByStage: counts?.missedByStage ?? [:], pagesByTier: counts?.pagesByTier ?? [:],
                             breakGlass: Int(value["break_glass"]?.int ?? 0))
    }

    /// The store's facts that verifying one incident reads (`integrityFacts(wholeStore: false)`): altered texts, missing
    /// guards, and that incident's scheduled-run row.
    public static func facts(_ facts: StoreIntegrityFacts, incidentID: String) -> JSONValue {
        let slot = facts.scheduledRuns[incidentID]
        return .object([("altered_texts", .array(facts.alteredTexts.map { .string($0) })),
                        ("missing_guards", .array(facts.missingGuards.map { .string($0) })),
                        ("scheduled_at_ms", .optional(slot?.at.milliseconds)), ("scheduled_late", .bool(slot?.late ?? false))])
    }

    public static func facts(_ value: JSONValue, incidentID: String) -> StoreIntegrityFacts? {
        guard let altered = value["altered_texts"]?.array?.compactMap(\.string),
              let missing = value["missing_guards"]?.array?.compactMap(\.string) else { return nil }
        var facts = StoreIntegrityFacts(incidentIDs: [], alteredTexts: altered, missingGuards: missing)
        if let at = value["scheduled_at_ms"]?.int {
            facts.scheduledRuns[incidentID] = ScheduledSlot(at: Instant(milliseconds: at), late: value["scheduled_late"]?.bool ?? false)
        }
        return facts
    }
}
