public import RunbookCore

/// Scheduled runs (SPEC §3.2): what `watch` starts at each slot, and what `runbook schedule` shows.
extension IncidentService {
    /// The actor recorded on the runs the schedule starts.
    public static let scheduleActor = "schedule"

    /// Starts the scheduled run of `runbook` for `start.slot`, titled "<title> — <local time of the slot>"; nil when
    /// that slot was already started (by another watcher, or before a restart).
    public func startScheduled(_ runbook: Runbook, _ start: ScheduledStart, zone: TimeZoneRules) throws(UserError) -> IncidentSnapshot? {
        let title = "\(runbook.title) — \(Schedule.label(start.slot, zone: zone))"
        return try self.start(runbookID: runbook.id, title: title, severity: nil, drill: false, actor: Self.scheduleActor,
                              bringUpToDate: true, scheduled: ScheduledSlot(at: start.slot, late: start.late))
    }

    /// The latest scheduled run of every runbook, by runbook id.
    public func latestScheduledRuns() throws(UserError) -> [String: ScheduledRunRow] {
        do {
            return Dictionary(try store.latestScheduledRuns(runbookID: nil).map { ($0.runbookID, $0) }, uniquingKeysWith: { $1 })
        } catch {
            throw Self.userError(error, database: databasePath)
        }
    }
}
