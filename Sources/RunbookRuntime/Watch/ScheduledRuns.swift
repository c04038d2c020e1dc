public import RunbookCore

/// The scheduled runbooks of a runbooks folder, read afresh at every pass of the watcher (an edited schedule holds
/// from the next wake).
public struct ScheduledRunbook: Sendable {
    public var runbook: Runbook
    public var schedule: Schedule
    public var zone: TimeZoneRules
}

/// What the watcher does for schedules: starts each runbook's latest due slot once, and says when the next slot comes.
public struct ScheduledRuns {
    let service: IncidentService
    let log: (String) -> Void
    /// Problems already logged (a broken runbook file is reported once, not at every wake).
    private var reported: Set<String> = []

    public init(service: IncidentService, log: @escaping (String) -> Void) {
        self.service = service
        self.log = log
    }

    /// The runbooks of `library` that have a schedule, with the zone each is read in; invalid files are left out.
    public static func load(_ library: RunbookLibrary) -> (runbooks: [ScheduledRunbook], problems: [String]) {
        guard let files = try? library.files() else { return ([], []) }
        var runbooks: [ScheduledRunbook] = []
        var problems: [String] = []
        for file in files {
            do {
                let loaded = try RunbookLibrary.load(file: file)
                guard let schedule = loaded.runbook.schedule else { continue }
                runbooks.append(ScheduledRunbook(runbook: loaded.runbook, schedule: schedule, zone: TimeZones.zone(of: loaded.runbook)))
            } catch {
                // Only files that mention a schedule matter here; the rest is `lint`'s business.
                if let text = try? FileIO.read(file), text.contains("schedule:") { problems.append(error.message) }
            }
        }
        return (runbooks, problems)
    }

    /// Starts every scheduled run due at `now` that was not started yet, and returns the next slot of any runbook.
    public mutating func pass(now: Instant) -> Instant? {
        let (runbooks, problems) = Self.load(service.library)
        for problem in problems where reported.insert(problem).inserted {
            log(Message.schedule(.runbookSkipped(problem)).text())
        }
        let latest: [String: ScheduledRunRow]
        do {
            latest = try service.latestScheduledRuns()
        } catch {
            log(error.message)
            return nil
        }
        var next: Instant?
        for item in runbooks {
            if let start = item.schedule.due(now: now, zone: item.zone, lastRecorded: latest[item.runbook.id]?.slot) {
                do {
                    if let started = try service.startScheduled(item.runbook, start, zone: item.zone) {
                        log(Message.schedule(.runStarted(incident: started.state.id, runbook: item.runbook.id,
                                                         slot: Schedule.label(start.slot, zone: item.zone), late: start.late,
                                                         skipped: start.skipped)).text())
                    }
                } catch {
                    log("\(item.runbook.id): \(error.message)")
                }
            }
            if let slot = item.schedule.nextRun(after: now, zone: item.zone), next.map({ slot < $0 }) ?? true { next = slot }
        }
        return next
    }
}
