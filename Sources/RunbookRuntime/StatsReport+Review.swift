public import RunbookCore

extension StatsReport {
    /// The review of `runbook stats`: the incidents opened in the last `span` (a duration like 30d), of `runbook`
    /// only when given. Runs of routine checks are left out of the figures and counted apart.
    public static func review(store: any EventStore, library: RunbookLibrary, now: Instant, span: String, runbook: String?,
                              databasePath: String) throws(UserError) -> StatsReport {
        let loaded = ((try? library.files()) ?? []).compactMap { try? RunbookLibrary.load(file: $0) }
        return try review(store: store, runbooks: (try? library.ids()).map { ids in (ids, loaded) }, folder: library.directory, now: now,
                          span: span, runbook: runbook, databasePath: databasePath)
    }

    /// The review over `runbooks`, the ids of a folder and the runbooks of it that load (a team server's, read through
    /// its API; nil when the folder cannot be read).
    public static func review(store: any EventStore, runbooks: (ids: [String], loaded: [LoadedRunbook])?, folder: String, now: Instant,
                              span: String, runbook: String?, databasePath: String) throws(UserError) -> StatsReport {
        guard let window = RunbookDuration(parsing: span) else {
            throw UserError(.usage, "--since expects a duration like 30d, 12h or 1d12h, found \"\(span)\"")
        }
        let start = Instant(milliseconds: now.milliseconds - Int64(window.seconds) * 1000)
        let rows: [IncidentReviewRow]
        do {
            rows = try store.reviewRows(openedSince: start, runbookID: runbook)
        } catch {
            throw IncidentService.userError(error, database: databasePath)
        }
        // A mistyped runbook is an error, not an empty review: the id must be a runbook of the folder, or one that
        // incidents of the window ran.
        if let runbook, rows.isEmpty, let known = runbooks?.ids, !known.contains(runbook) {
            throw UserError(.usage, .unknownRunbook(runbook, directory: folder, nearest: Suggestion.nearest(to: runbook, in: known)))
        }
        let checklists = Set((runbooks?.loaded ?? []).filter { $0.runbook.kind == .checklist }.map(\.runbook.id))
        return StatsReport(rows: rows, asOf: now, since: start, span: span, runbookFilter: runbook, checklists: checklists)
    }
}
