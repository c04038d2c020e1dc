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
            throw StoreError.damaged(Message.databaseOfAnotherProgram(displayPath).text())
        }
        let known = Set(StoreSchema.migrator.migrations.map(\.id))
        let applied = try StoreSchema.migrator.appliedIdentifiers(connection) ?? []
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError.damaged(Message.databaseNewer(path: displayPath, migration: unknown).text())
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
            return .damaged(Message.databaseNotRunbook(path: displayPath, detail: error.message).text())
        }
        if error.isCorrupt {
            return .damaged(Message.databaseDamaged(path: displayPath, detail: error.message).text())
        }
        if error.isBusy {
            return .failure(Message.databaseLocked(path: displayPath, seconds: Int(Connection.busyTimeoutMilliseconds / 1000), detail: "\(error)").text())
        }
        if error.isCannotOpen {
            return .failure(Message.databaseCannotOpen(path: displayPath, detail: "\(error)").text())
        }
        if error.isNotWritable {
            return .failure(Message.databaseNotWritable(path: displayPath, detail: "\(error)").text())
        }
        if error.isDiskFull {
            return .failure(Message.databaseDiskFull(path: displayPath, detail: "\(error)").text())
        }
        return .failure("\(displayPath): \(error)")
    }
}
