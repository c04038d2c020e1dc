public import RunbookCore

/// What the team server's `/metrics` and `/readyz` read (SPEC §10): a slice of one incident's events of some types,
/// and whether the schema is complete.
extension SQLiteEventStore: MetricsReadable, ChangeVersioned {
    /// The events of `incidentID` with a sequence in `after + 1 ... through` whose type is one of `types`, in order.
    ///
    /// One range scan of the clustered key: a caller that remembers the last sequence it read of each incident reads
    /// only what was appended since, never the whole log again.
    public func events(of incidentID: String, after sequence: Int64, through last: Int64, types: [String]) throws(StoreError) -> [EventRecord] {
        guard !types.isEmpty, last > sequence else { return [] }
        let placeholders = Array(repeating: "?", count: types.count).joined(separator: ", ")
        let sql = """
            SELECT sequence, recorded_at, actor, type, data, prev_hash, hash FROM events
            WHERE incident_id = ? AND sequence > ? AND sequence <= ? AND type IN (\(placeholders)) ORDER BY sequence
            """
        return try guarded {
            let statement = try connection.prepare(sql)
            try statement.bind(incidentID, at: 1)
            try statement.bind(sequence, at: 2)
            try statement.bind(last, at: 3)
            for (offset, type) in types.enumerated() {
                try statement.bind(type, at: Int32(offset + 4))
            }
            return try statement.rows { row in
                EventRecord(incidentID: incidentID, sequence: row.int64(0), recordedAt: Instant(milliseconds: row.int64(1)),
                            actor: row.text(2), type: row.text(3), data: row.text(4), previousHash: row.text(5), hash: row.text(6))
            }
        }
    }

    /// The migrations this version registers that the database has not recorded as applied (none for a database in
    /// order); reading them is also the check that the database answers.
    public func missingMigrations() throws(StoreError) -> [String] {
        try guarded {
            let applied = Set(try StoreSchema.migrator.appliedIdentifiers(connection) ?? [])
            return StoreSchema.migrator.migrations.map(\.id).filter { !applied.contains($0) }
        }
    }
}
