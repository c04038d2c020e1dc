public import RunbookCore
import RunbookStore

/// What the team server's `/metrics` says of a database (SPEC §10), read from the store and never from a process's
/// memory: the pages are delivered by the watcher, a child process, or by any command on the database.
///
/// A reading costs one pass over the incident rows (their projection: status, severity, stage, the review's facts,
/// the next due time) plus the events appended since the previous reading: the reader remembers, per incident, the
/// last sequence it counted, so the log is read whole only once, at the first reading. The current stage's deadline
/// comes from the incident's fold (`IncidentState.stageDeadline`), replayed only when the incident has changed.
public final class DatabaseMetrics {
    /// Open incidents are counted by severity, drills apart.
    public struct SeverityKey: Hashable, Sendable {
        public var severity: String
        public var drill: Bool
    }

    /// Pages are counted by the kind of channel (`file`, `command`, `webhook`, `stdout`), drills apart.
    public struct ChannelKey: Hashable, Sendable {
        public var channel: String
        public var drill: Bool
    }

    /// One reading. The gauges are the state now; the counts and durations are what happened since the previous
    /// reading (everything in the log, at the first), for the caller to add to its counters and histograms.
    public struct Reading: Sendable, Equatable {
        /// Incidents whose status is `open`, by severity.
        public var open: [SeverityKey: Int] = [:]
        /// Open incidents (not drills) whose current stage's deadline has passed.
        public var overdueStages = 0
        /// Delivery attempts recorded since the previous reading, by channel kind.
        public var sent: [ChannelKey: Int] = [:]
        public var failed: [ChannelKey: Int] = [:]
        /// Seconds from opening to the first acknowledgement, of the incidents (not drills) acknowledged since the
        /// previous reading; each incident is counted once.
        public var acknowledgedAfter: [Double] = []
        /// Seconds from opening to the resolution, of the incidents (not drills) resolved since the previous reading;
        /// each incident is counted once (a reopened incident's second resolution is not counted again).
        public var resolvedAfter: [Double] = []
        /// Seconds since the earliest due time over the database (what a watcher has still to handle); 0 when nothing
        /// is overdue.
        public var watcherLag: Double = 0
        /// Whether a watcher holds the database's watch lock.
        public var watcherRunning = false
    }

    /// The event types of a delivery attempt.
    static let deliveryTypes = ["notification.sent", "notification.failed"]

    private let service: IncidentService
    private let store: any MetricsReadable
    private let databasePath: String
    private let watcherRunning: () -> Bool
    /// The last sequence counted of each incident.
    private var counted: [String: Int64] = [:]
    private var acknowledged: Set<String> = []
    private var resolved: Set<String> = []
    /// The current stage's deadline of each open incident, as of the sequence it was computed at.
    private var deadlines: [String: (sequence: Int64, deadline: Instant?)] = [:]

    /// A reader over `store` (its own connection: a reading never waits for a request's work), with `service` over
    /// the same store for the incidents' folds.
    public init(service: IncidentService, store: any MetricsReadable, databasePath: String, watcherRunning: @escaping () -> Bool) {
        self.service = service
        self.store = store
        self.databasePath = databasePath
        self.watcherRunning = watcherRunning
    }

    /// Reads the database now.
    public func read() throws(UserError) -> Reading {
        let now = service.clock.now()
        var reading = Reading()
        let incidents: [IncidentSummary]
        let nextDue: Instant?
        do {
            incidents = try store.incidents(statuses: nil)
            nextDue = try store.nextDueAt()
        } catch {
            throw IncidentService.userError(error, database: databasePath)
        }
        var stillOpen: Set<String> = []
        for incident in incidents {
            let projection = incident.projection
            if projection.status == "open" {
                reading.open[SeverityKey(severity: projection.severity, drill: projection.drill), default: 0] += 1
                if !projection.drill {
                    stillOpen.insert(incident.id)
                    if let deadline = stageDeadline(incident), deadline <= now { reading.overdueStages += 1 }
                }
            }
            try countDeliveries(incident, into: &reading)
            guard !projection.drill else { continue }
            if let at = projection.facts.acknowledgedAt, acknowledged.insert(incident.id).inserted {
                reading.acknowledgedAfter.append(Self.seconds(from: incident.openedAt, to: at))
            }
            if let at = projection.facts.resolvedAt, resolved.insert(incident.id).inserted {
                reading.resolvedAfter.append(Self.seconds(from: incident.openedAt, to: at))
            }
        }
        deadlines = deadlines.filter { stillOpen.contains($0.key) }
        if let nextDue, nextDue < now { reading.watcherLag = Self.seconds(from: nextDue, to: now) }
        reading.watcherRunning = watcherRunning()
        return reading
    }

    /// Counts the delivery attempts appended to `incident` since the last reading.
    private func countDeliveries(_ incident: IncidentSummary, into reading: inout Reading) throws(UserError) {
        let after = counted[incident.id] ?? 0
        guard incident.lastSequence > after else { return }
        let records: [EventRecord]
        do {
            records = try store.events(of: incident.id, after: after, through: incident.lastSequence, types: Self.deliveryTypes)
        } catch {
            throw IncidentService.userError(error, database: databasePath)
        }
        for record in records {
            // An event that does not read (edited behind runbook's back) is verification's business, not a page.
            guard let decoded = try? IncidentEvent.decode(record), case .notification(let delivery) = decoded.event else { continue }
            let key = ChannelKey(channel: delivery.channelKind, drill: incident.projection.drill)
            if delivery.succeeded {
                reading.sent[key, default: 0] += 1
            } else {
                reading.failed[key, default: 0] += 1
            }
        }
        counted[incident.id] = incident.lastSequence
    }

    /// The current stage's deadline of an open incident, replayed when it changed since the last reading. An incident
    /// that does not replay (a damaged log: `runbook verify` names it) has none here, rather than failing the scrape.
    private func stageDeadline(_ incident: IncidentSummary) -> Instant? {
        if let known = deadlines[incident.id], known.sequence == incident.lastSequence { return known.deadline }
        let snapshot = try? service.snapshot(incident.id)
        let deadline = snapshot.flatMap { $0.state.stageDeadline(in: $0.runbook) }
        deadlines[incident.id] = (incident.lastSequence, deadline)
        return deadline
    }

    private static func seconds(from start: Instant, to end: Instant) -> Double {
        Double(max(0, end.milliseconds(since: start))) / 1000
    }
}

extension Delivery {
    /// The kind of channel the page went through: the first word of the channel's description (`file`, `command`,
    /// `webhook`, `stdout`; `NotificationChannel.description`), never its address.
    public var channelKind: String {
        String(channel.prefix { $0 != " " })
    }
}
