public import RunbookCore

extension PostgresEventStore: TokenStore {
    public func insertToken(_ token: AccessToken) throws(StoreError) {
        try guarded {
            try connection.query(PostgresSQL.insertToken, [token.id, token.person, token.sha256, token.createdAt.milliseconds, token.createdBy] as [any PGBindable])
        }
    }

    public func tokens() throws(StoreError) -> [AccessToken] {
        try guarded { try Self.tokens(connection.query(PostgresSQL.allTokens)) }
    }

    public func token(sha256: String) throws(StoreError) -> AccessToken? {
        try guarded { try Self.tokens(connection.query(PostgresSQL.tokenByHash, [sha256])).first }
    }

    public func revokeToken(id: String, at: Instant, by: String) throws(StoreError) -> Bool {
        try guarded { try connection.query(PostgresSQL.revokeToken, [at.milliseconds, by, id] as [any PGBindable]).changed > 0 }
    }

    private static func tokens(_ result: PGResult) -> [AccessToken] {
        result.rows { row in
            AccessToken(id: result.text(row, 0), person: result.text(row, 1), sha256: result.text(row, 2),
                        createdAt: Instant(milliseconds: result.int64(row, 3)), createdBy: result.text(row, 4),
                        revokedAt: result.optionalInt64(row, 5).map(Instant.init(milliseconds:)), revokedBy: result.optionalText(row, 6))
        }
    }
}

extension PostgresEventStore: ImportingStore {
    /// Adds incidents exactly as another store held them (`runbook import`), in one transaction, as the SQLite store does.
    public func importIncidents(_ incidents: [ImportedIncident]) throws(StoreError) {
        try guarded {
            try connection.transaction {
                for incident in incidents {
                    let row = incident.row, projection = row.projection
                    if try connection.query(PostgresSQL.incidentExists, [row.id]).count > 0 {
                        throw StoreError.failure("incident \(row.id) is already in this database; nothing was imported")
                    }
                    try connection.query(PostgresSQL.insertRunbook, [incident.runbook.sha256, incident.runbook.runbookID, incident.runbook.text])
                    for text in incident.texts {
                        try connection.query(PostgresSQL.insertFrozenText, [EventChain.sha256(text), text])
                    }
                    try connection.query(PostgresSQL.insertIncident, [
                        row.id, row.runbookID, incident.runbook.sha256, projection.title, projection.severity, projection.status,
                        projection.stage, projection.drill, row.openedAt.milliseconds, row.updatedAt.milliseconds, row.lastSequence,
                        projection.nextDueAt?.milliseconds, projection.facts.acknowledgedAt?.milliseconds,
                        projection.facts.resolvedAt?.milliseconds, projection.facts.closedAt?.milliseconds,
                        projection.facts.rtoMilliseconds, Int64(projection.facts.breakGlass), projection.facts.countsJSON,
                    ] as [any PGBindable])
                    for record in incident.records {
                        try insertRecord(record)
                    }
                    if let slot = incident.scheduled,
                       try connection.query(PostgresSQL.insertScheduledRun, [row.runbookID, slot.at.milliseconds, row.id, slot.late] as [any PGBindable]).count == 0 {
                        throw StoreError.failure("incident \(row.id) is a scheduled run of \(row.runbookID) for a slot another incident of this database already took; nothing was imported")
                    }
                    if let (prefix, number) = IncidentID.parse(row.id) {
                        try connection.query(PostgresSQL.advanceCounter, [prefix, number] as [any PGBindable])
                    }
                }
            }
        }
    }
}

extension PostgresEventStore: MetricsReadable, ChangeVersioned {
    /// A count of the change announcements heard since the first call, on a listening connection of its own (opened
    /// then). A listener that lost its connection is replaced at the next call, and the count moves, so the caller
    /// looks again rather than miss what was announced meanwhile.
    public func dataVersion() throws(StoreError) -> Int64 {
        do {
            if listener == nil {
                listener = try PostgresSchema.listener(url: url, displayURL: displayURL)
                heard += 1
            }
            if let listener, !(try listener.notifications(waitingUpTo: 0)).isEmpty { heard += 1 }
        } catch {
            listener = nil
            heard += 1
        }
        return heard
    }

    /// The events of `incidentID` with a sequence in `after + 1 ... through` whose type is one of `types` (`/metrics`).
    public func events(of incidentID: String, after sequence: Int64, through last: Int64, types: [String]) throws(StoreError) -> [EventRecord] {
        guard !types.isEmpty, last > sequence else { return [] }
        return try guarded {
            let result = try connection.query(PostgresSQL.eventsOfTypes, [incidentID, sequence, last, PostgresArray.text(types)] as [any PGBindable])
            return result.rows(Self.record(result, of: incidentID))
        }
    }

    /// The migrations this version knows that the database has not recorded; reading them checks the database answers.
    public func missingMigrations() throws(StoreError) -> [String] {
        try guarded {
            let applied = Set(try connection.query("SELECT id FROM schema_migrations").rowsText(0))
            return PostgresSchema.migrations.map(\.id).filter { !applied.contains($0) }
        }
    }
}
