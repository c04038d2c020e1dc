public import RunbookCore
#if canImport(Glibc)
import Glibc
#endif

/// `runbook watch`: sleeps until the next due time, records what falls due, delivers pages and writes
/// post-mortems. Safe to kill at any moment: everything it does is derived from the stored events.
public final class Watcher {
    let service: IncidentService
    let notifier: Notifier
    let databasePath: String
    let reports: ReportWriter
    let log: (String) -> Void

    public init(service: IncidentService, notifier: Notifier, databasePath: String, reports: ReportWriter,
                log: @escaping (String) -> Void) {
        self.service = service
        self.notifier = notifier
        self.databasePath = databasePath
        self.reports = reports
        self.log = log
    }

    /// The process supervising this watcher (`runbook serve`), when it is supervised: the watcher stops within a second
    /// of that process's end, even a SIGKILL, rather than holding the watch lock against the server started next.
    public var supervisor: Int32?

    /// Whether the supervising process is gone (this watcher was handed to another parent).
    func supervisorGone() -> Bool {
        guard let supervisor else { return false }
        return getppid() != supervisor
    }

    /// Whether a watcher holds the database's watch lock now.
    public static func isRunning(databasePath: String) -> Bool {
        WatchLock.isHeld(databasePath: databasePath)
    }

    /// How to ask whether a watcher holds the watch lock of the database at `location` (a file, or a PostgreSQL URL,
    /// whose check keeps a connection of its own).
    public static func runningCheck(database location: String) throws(UserError) -> () -> Bool {
        guard PostgresLocation.isPostgres(location) else { return { WatchLock.isHeld(databasePath: location) } }
        let link = try IncidentService.openWatchLink(location)
        return { link.lockIsHeld() }
    }

    /// The database as the log names it (a PostgreSQL URL without its password).
    var databaseName: String { PostgresLocation.display(databasePath) }

    /// Runs until SIGINT or SIGTERM (or, with `once`, until nothing is due now). A `background` watcher
    /// (launched by `start` or `guide`) leaves at once when another watcher runs, and stops by itself once no
    /// incident is open and nothing is due.
    ///
    /// On PostgreSQL the lock is a session advisory lock and the wake is `LISTEN` (`DatabaseWatchLink`): the watchers of
    /// several servers stand by for each other, across hosts. A watcher whose connection dropped has lost the lock with
    /// it and stops with an error, so that its server starts it again as a standby.
    public func run(once: Bool, background: Bool = false) async throws(UserError) {
        let link = PostgresLocation.isPostgres(databasePath) ? try IncidentService.openWatchLink(databasePath) : nil
        let fileLock = link == nil ? try WatchLock(databasePath: databasePath) : nil
        let tryLock = { () -> Bool in link?.tryLock() ?? fileLock?.tryLock() ?? false }
        let wake = try WakeSource(databasePath: link == nil ? databasePath : "", runbooksDirectory: service.library.directory, link: link)
        if background, !tryLock() {
            log(Message.watcherOtherRunning(database: databaseName, standingBy: false).text())
            return
        }
        if !background, !tryLock() {
            log(Message.watcherOtherRunning(database: databaseName, standingBy: true).text())
            // Checked twice a second: a standby costs next to nothing and still stops on SIGTERM.
            while !tryLock() {
                if wake.wait(milliseconds: 500) == .stop || supervisorGone() {
                    log(Message.watcherStopping.text())
                    return
                }
                // A standby whose connection dropped could never take the lock: it stops, and its server starts it again.
                if let link, !link.isConnected { throw UserError(.failed, Message.watcherLostLock(database: databaseName).text()) }
            }
        }
        log(Message.watcherWatching(database: databaseName, backgroundPid: background ? getpid() : nil).text())
        if link == nil { WatchStatus.write(databasePath: databasePath, background: background, since: service.clock.now()) }
        defer { if link == nil { WatchStatus.clear(databasePath: databasePath) } }
        var schedules = ScheduledRuns(service: service, log: log)
        while true {
            if let link, !link.holdsLock {
                throw UserError(.failed, Message.watcherLostLock(database: databaseName).text())
            }
            // Scheduled runs first, so their pages go out in the same pass.
            let nextSlot = schedules.pass(now: service.clock.now())
            let pass = try await processDue()
            if once { return }
            if background, try isIdle() {
                log(Message.watcherIdleStops.text())
                return
            }
            let now = service.clock.now()
            var next: Instant?
            do {
                next = try service.store.nextDueAt()
            } catch {
                throw IncidentService.userError(error, database: databaseName)
            }
            // Incidents that were due but could not be handled (e.g. a clock behind their log) wait for a
            // change or a minute instead of spinning; anything else due by now is handled at once.
            let stuck = pass.due > 0 && !pass.progressed && next.map { $0 <= pass.at } == true
            // The earlier of the next deadline and the next scheduled slot.
            if let nextSlot, next.map({ nextSlot < $0 }) ?? true { next = nextSlot }
            var wait: Int64? = stuck ? min(60_000, nextSlot.map { $0.milliseconds(since: now) } ?? 60_000) : next.map { $0.milliseconds(since: now) }
            if supervisor != nil { wait = min(wait ?? 1000, 1000) }
            if supervisorGone() {
                log(Message.watcherStopping.text())
                return
            }
            switch wake.wait(milliseconds: wait) {
            case .stop:
                log(Message.watcherStopping.text())
                return
            case .timeout, .changed:
                continue
            }
        }
    }

    /// Whether nothing is left for a watcher: no open incident (drills run on their own clock) and nothing due.
    func isIdle() throws(UserError) -> Bool {
        do throws(StoreError) {
            let open = try service.store.incidents(statuses: ["open", "resolved"]).filter { !$0.projection.drill }
            let next = try service.store.nextDueAt()
            return open.isEmpty && next == nil
        } catch {
            throw IncidentService.userError(error, database: databaseName)
        }
    }

    /// Handles every incident with something due now: how many were due, whether anything was recorded,
    /// and the time of the pass.
    func processDue() async throws(UserError) -> (due: Int, progressed: Bool, at: Instant) {
        let now = service.clock.now()
        let due: [IncidentSummary]
        do {
            due = try service.store.due(at: now)
        } catch {
            throw IncidentService.userError(error, database: databaseName)
        }
        var progressed = false
        for summary in due {
            do {
                progressed = try await process(summary.id, now: now) || progressed
            } catch {
                log("\(summary.id): \(error.message)")
            }
        }
        return (due.count, progressed, now)
    }

    /// Brings one incident up to date, delivers its pages and writes its report when due.
    func process(_ incidentID: String, now: Instant) async throws(UserError) -> Bool {
        var recorded = try service.bringUpToDate(incidentID)
        // A command may be delivering this incident's pages right now (it began before this watcher ran): wait for
        // it, then deliver what is still owed.
        if service.pagesOnlyThroughWatcher {
            recorded += try await service.deliverPending(incidentID, notifier: notifier)
        } else if let claim = await DeliveryClaim.acquire(databasePath: databasePath, forWatcher: true) {
            defer { claim.release() }
            recorded += try await service.deliverPending(incidentID, notifier: notifier)
        }
        var snapshot = try service.snapshot(incidentID)
        // A child that ended settles its parent's call step; if the process that ended it died before the parent's
        // append, the parent catches up here (it settles each child once, by its own log).
        if let parent = snapshot.state.calledBy?.incident, ChildOutcome(of: snapshot.state, kind: snapshot.runbook.kind) != nil {
            _ = try? service.bringUpToDate(parent)
        }
        snapshot.linked = service.linkedIncidents(of: snapshot.state)
        if let due = Scheduler.reportDue(state: snapshot.state, runbook: snapshot.runbook), due <= now {
            // Final only once the incident is closed; a draft is rewritten when later events arrive.
            let integrity = try service.integrity(of: snapshot)
            let written = try reports.write(snapshot, integrity: integrity, now: now)
            recorded += try service.record([.reportWritten(files: written.map(\.path), sha256: written.map(\.sha256),
                                                           final: snapshot.state.isClosed, covers: snapshot.state.lastSequence,
                                                           checkpoint: integrity.checkpoint?.text)],
                                           on: incidentID)
        }
        for event in recorded {
            log("\(incidentID) #\(event.sequence) " + EventDescription.describe(event.event, runbook: snapshot.runbook))
        }
        return !recorded.isEmpty
    }
}

/// Writes post-mortem files for an incident.
public struct ReportWriter: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Writes `DIRECTORY/INCIDENT.md` and `.html` and returns the files with their SHA-256.
    public func write(_ snapshot: IncidentSnapshot, integrity: IntegrityVerdict, now: Instant) throws(UserError) -> [(path: String, sha256: String)] {
        let sharing = try FileSharing.fromEnvironment()
        if !FileIO.isDirectory(directory) { try FileIO.makeDirectory(directory, mode: sharing.directoryMode) }
        let report = PostmortemReport(snapshot: snapshot, integrity: integrity, now: now, language: Language.current)
        var written: [(path: String, sha256: String)] = []
        for (suffix, text) in [("md", PostmortemMarkdown.render(report) { LocalTime.full($0) }),
                               ("html", PostmortemHTML.render(report) { LocalTime.full($0) })] {
            let path = "\(directory)/\(snapshot.state.id).\(suffix)"
            try FileIO.write(text, to: path, sharing: sharing)
            written.append((path, EventChain.sha256(text)))
        }
        return written
    }
}

/// Which watcher runs on a database, for `runbook watch --status`: a small file beside the watch lock.
public enum WatchStatus {
    static func path(_ databasePath: String) -> String { databasePath + ".watch-status" }

    static func write(databasePath: String, background: Bool, since: Instant) {
        let text = "\(getpid()) \(background ? "background" : "foreground") \(since.milliseconds)\n"
        try? FileIO.write(text, to: path(databasePath), sharing: (try? FileSharing.fromEnvironment()) ?? .privateFiles)
    }

    static func clear(databasePath: String) {
        unlink(path(databasePath))
    }

    /// The watcher holding the lock: its pid, whether it runs in the background, since when; nil when none runs.
    public static func current(databasePath: String) -> (pid: Int32, background: Bool, since: Instant)? {
        guard Watcher.isRunning(databasePath: databasePath) else { return nil }
        guard let text = try? FileIO.read(path(databasePath)) else { return (0, false, Instant(milliseconds: 0)) }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        guard fields.count == 3, let pid = Int32(fields[0]), let since = Int64(fields[2]) else { return (0, false, Instant(milliseconds: 0)) }
        return (pid, fields[1] == "background", Instant(milliseconds: since))
    }
}
