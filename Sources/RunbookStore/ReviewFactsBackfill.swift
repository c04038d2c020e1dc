import RunbookCore

/// Fills the review's facts (`IncidentFacts`) of incidents recorded before the store kept them, by replaying each
/// incident's events once: part of the `v3-review-facts` migration, in its transaction.
///
/// An event that does not decode is left out of the fold, as every view does (verification names it); a frozen
/// runbook that no longer loads leaves the RTO unknown. Runbooks are parsed once per text.
enum ReviewFactsBackfill {
    static func run(_ connection: Connection) throws {
        let incidents = try connection.prepare("""
            SELECT incidents.id, incidents.runbook_sha256, runbooks.text FROM incidents
            LEFT JOIN runbooks ON runbooks.sha256 = incidents.runbook_sha256 ORDER BY incidents.id
            """).rows { row in (id: row.text(0), sha256: row.text(1), text: row.optionalText(2)) }
        // Parsed once per text; nil when the text is missing or no longer loads.
        var runbooks: [String: Runbook] = [:]
        var unloadable: Set<String> = []
        let read = try connection.prepare("""
            SELECT sequence, recorded_at, actor, type, data, prev_hash, hash FROM events WHERE incident_id = ? ORDER BY sequence
            """)
        for incident in incidents {
            let records = try read.rows(incident.id) { row in
                EventRecord(incidentID: incident.id, sequence: row.int64(0), recordedAt: Instant(milliseconds: row.int64(1)),
                            actor: row.text(2), type: row.text(3), data: row.text(4), previousHash: row.text(5), hash: row.text(6))
            }
            let events = records.compactMap { record in try? IncidentEvent.decode(record) }
            guard let state = IncidentState.replay(events) else { continue }
            if runbooks[incident.sha256] == nil, !unloadable.contains(incident.sha256) {
                if let text = incident.text, case .success(let decoded) = RunbookLoader.load(text, file: "\(incident.id).yaml") {
                    runbooks[incident.sha256] = decoded.runbook
                } else {
                    unloadable.insert(incident.sha256)
                }
            }
            let facts = state.facts(in: runbooks[incident.sha256])
            try SQLiteEventStore.writeFacts(facts, of: incident.id, on: connection)
        }
    }
}
