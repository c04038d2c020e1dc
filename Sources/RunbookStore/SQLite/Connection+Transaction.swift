extension Connection {
    /// Runs `body` in a transaction, committing when it returns and rolling back when it throws.
    ///
    /// Writers pass `immediate: true` (the default): `BEGIN IMMEDIATE` takes the write lock up front, so
    /// what `body` reads stays true until the commit, and lock waits happen at `BEGIN` where the busy
    /// timeout applies, never as a deadlock between two readers that both want to write.
    package func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try prepare(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED").run()
        let result: T
        do {
            result = try body()
            try prepare("COMMIT").run()
        } catch {
            rollbackIfOpen()
            throw error
        }
        return result
    }

    /// Rolls back the open transaction, if SQLite has not already done so after an error.
    private func rollbackIfOpen() {
        guard isInTransaction else { return }
        try? prepare("ROLLBACK").run()
    }
}
