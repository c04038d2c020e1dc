import RunbookCore

extension SQLiteEventStore {
    /// Refuses, before anything is written, a file that is not a runbook database.
    ///
    /// Reading the schema is the first read of the file: garbage fails here with `SQLITE_NOTADB`. A SQLite
    /// database with tables but no `schema_migrations` belongs to another program; one with migrations this
    /// version does not know was written by a newer runbook.
    static func inspect(_ connection: Connection, displayPath: String) throws {
        let names: [String]
        do {
            names = try connection.makeStatement("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
                .rows { $0.text(0) }
        } catch let error as SQLiteError where error.isNotADatabase || error.isCorrupt {
            throw storeError(error, displayPath: displayPath)
        }
        guard !names.isEmpty else { return }
        guard names.contains("schema_migrations") else {
            throw StoreError.damaged(
                "\(displayPath) is not a runbook database (it is a SQLite database of another program); "
                    + "point --db at another file")
        }
        let known = Set(StoreSchema.migrator.migrations.map(\.id))
        let applied = try StoreSchema.migrator.appliedIdentifiers(connection) ?? []
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError.damaged(
                "\(displayPath) was written by a newer version of runbook (unknown schema migration \"\(unknown)\"); "
                    + "upgrade runbook or point --db at another file")
        }
    }

    /// The `StoreError` a user reads for `error`: one line saying what is wrong and what to do.
    static func storeError(_ error: any Error, displayPath: String) -> StoreError {
        if let error = error as? StoreError {
            return error
        }
        guard let error = error as? SQLiteError else {
            return .failure("\(displayPath): \(error)")
        }
        if error.isNotADatabase {
            return .damaged("\(displayPath) is not a runbook database (\(error.message)); "
                            + "restore it from a backup or point --db at another file")
        }
        if error.isCorrupt {
            return .damaged("\(displayPath) is damaged (\(error.message)); "
                            + "restore it from a backup or point --db at another file")
        }
        if error.isBusy {
            return .failure("\(displayPath) stayed locked by another runbook process for "
                            + "\(Connection.busyTimeoutMilliseconds / 1000) s (\(error)); try again")
        }
        if error.isCannotOpen {
            return .failure("cannot open \(displayPath) (\(error)); check that its directory exists and that you may write there")
        }
        if error.isNotWritable {
            return .failure("cannot write \(displayPath) (\(error)); check the permissions of the file and its directory")
        }
        if error.isDiskFull {
            return .failure("cannot write \(displayPath): the disk is full (\(error)); free some space and try again")
        }
        return .failure("\(displayPath): \(error)")
    }
}
