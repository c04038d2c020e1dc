public import RunbookCore

extension SQLiteEventStore: ImportingStore {
    /// Adds incidents exactly as another store held them (`runbook import`), in one transaction: each one's row, runbook
    /// text, records with their own hashes, the roster and contacts texts frozen into it and its scheduled-run slot.
    /// Nothing is added when any id is already present (`StoreError.failure` names it). The id counter of each prefix is
    /// moved past the imported numbers, so incidents opened later never take an imported id.
    public func importIncidents(_ incidents: [ImportedIncident]) throws(StoreError) {
        try guarded {
            try connection.transaction {
                for incident in incidents {
                    let row = incident.row, projection = row.projection
                    if try connection.prepare(SQL.incidentExists).first(row.id, as: { $0.int64(0) }) != nil {
                        throw StoreError.failure("incident \(row.id) is already in this database; nothing was imported")
                    }
                    try connection.prepare(SQL.insertRunbook).run(incident.runbook.sha256, incident.runbook.runbookID, incident.runbook.text)
                    for text in incident.texts {
                        try connection.prepare(SQL.insertFrozenText).run(EventChain.sha256(text), text)
                    }
                    try connection.prepare(SQL.insertIncident).run(
                        row.id, row.runbookID, incident.runbook.sha256, projection.title, projection.severity, projection.status,
                        projection.stage, projection.drill, row.openedAt.milliseconds, row.updatedAt.milliseconds, row.lastSequence,
                        projection.nextDueAt?.milliseconds, projection.facts.acknowledgedAt?.milliseconds,
                        projection.facts.resolvedAt?.milliseconds, projection.facts.closedAt?.milliseconds,
                        projection.facts.rtoMilliseconds, projection.facts.breakGlass, projection.facts.countsJSON)
                    let statement = try connection.prepare(SQL.insertEvent)
                    for record in incident.records {
                        try statement.run(row.id, record.sequence, record.recordedAt.milliseconds, record.actor, record.type, record.data,
                                          record.previousHash, record.hash)
                    }
                    if let slot = incident.scheduled {
                        try connection.prepare(SQL.insertScheduledRun).run(row.runbookID, slot.at.milliseconds, row.id, slot.late)
                    }
                    if let (prefix, number) = IncidentID.parse(row.id) {
                        try connection.prepare(SQL.advanceCounter).run(prefix, number)
                    }
                }
            }
        }
    }
}

extension SQL {
    /// Moves a prefix's id counter to at least `number`, so ids given out later never take an imported one.
    static let advanceCounter = """
        INSERT INTO incident_counters (prefix, last_number) VALUES (?1, ?2)
        ON CONFLICT (prefix) DO UPDATE SET last_number = max(last_number, ?2)
        """
}
