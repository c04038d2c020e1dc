#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Prometheus
import RunbookCore
import RunbookRuntime
import RunbookStore

/// `/metrics` (Prometheus text format, swift-prometheus) and `/readyz` (SPEC §10), read from the database by a probe
/// with its own connection, so a scrape never waits behind a request's work nor holds one up.
///
/// `/metrics` needs a token like every request but `/healthz` and the alert webhooks (Prometheus sends one with
/// `authorization: credentials_file`); `/readyz` answers without one, for load balancers and orchestrators, and says
/// no more than whether the database answers, its schema is complete and a watcher runs.
enum Probes {
    static func routes(_ router: Router<ServerContext>, settings: ServeSettings, desks: Desks) {
        let probe = ServerProbe(settings: settings, clock: desks.clock)
        router.get("readyz") { _, _ in try await probe.readiness() }
        router.group("metrics").add(middleware: TokenAuthentication(desks: desks)).get { _, _ in try await probe.metrics() }
    }
}

/// The database as the probes see it: a `DatabaseMetrics` reader (opened at the first probe) and the Prometheus
/// registry its readings are added to.
actor ServerProbe {
    private let settings: ServeSettings
    private let clock: any WallClock
    private var opened: (reader: DatabaseMetrics, store: any MetricsReadable, watcherRunning: () -> Bool)?
    /// The identity of the database file when the server started: a file moved or replaced under the server is no
    /// longer the one its connections read.
    private let file: FileIdentity?
    private let registry = PrometheusCollectorRegistry()
    private var openGauges: [DatabaseMetrics.SeverityKey: Gauge] = [:]
    private var sentCounters: [DatabaseMetrics.ChannelKey: Counter] = [:]
    private var failedCounters: [DatabaseMetrics.ChannelKey: Counter] = [:]
    private let overdue: Gauge
    private let lag: Gauge
    private let watcher: Gauge
    private let toAcknowledge: ValueHistogram
    private let toResolve: ValueHistogram

    /// Buckets in seconds: acknowledging takes minutes, resolving minutes to days.
    static let acknowledgeBuckets: [Double] = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400]
    static let resolveBuckets: [Double] = [300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200]

    init(settings: ServeSettings, clock: any WallClock) {
        self.settings = settings
        self.clock = clock
        file = FileIdentity(path: settings.databasePath)
        overdue = registry.makeGauge(descriptor: .init(
            metricName: "runbook_overdue_stages", unitName: "",
            helpText: "Open incidents (not drills) whose current stage's deadline has passed."))
        lag = registry.makeGauge(descriptor: .init(
            metricName: "runbook_watcher_lag", unitName: "seconds",
            helpText: "Seconds since the earliest due time not yet handled (0 when nothing is overdue)."))
        watcher = registry.makeGauge(descriptor: .init(
            metricName: "runbook_watcher_running", unitName: "",
            helpText: "1 when a watcher holds the database's watch lock, else 0."))
        toAcknowledge = registry.makeValueHistogram(descriptor: .init(
            metricName: "runbook_time_to_acknowledge", unitName: "seconds",
            helpText: "Seconds from opening to the first acknowledgement, per incident (not drills)."), buckets: Self.acknowledgeBuckets)
        toResolve = registry.makeValueHistogram(descriptor: .init(
            metricName: "runbook_time_to_resolve", unitName: "seconds",
            helpText: "Seconds from opening to the resolution, per incident (not drills)."), buckets: Self.resolveBuckets)
    }

    // MARK: - /readyz

    /// Ready when the database answers and has every migration of this version: 200 with what runs, else 503 with a
    /// problem body.
    func readiness() throws(Problem) -> Response {
        let (_, store, watcherRunning) = try open()
        let missing: [String]
        do {
            missing = try store.missingMigrations()
        } catch {
            throw Self.notReady(.server(.databaseUnreadable(IncidentService.userError(error, database: settings.databaseName).message)))
        }
        guard missing.isEmpty else { throw Self.notReady(.server(.migrationsMissing(missing))) }
        // A file's watcher says whether it runs in the background; PostgreSQL's lock says only that one runs somewhere.
        let current = settings.onPostgres ? nil : WatchStatus.current(databasePath: settings.databasePath)
        return API.json(.object([
            ("status", .string("ready")),
            ("database", .object([("readable", .bool(true)), ("migrations", .string("complete"))])),
            ("watcher", .object([("running", .bool(settings.onPostgres ? watcherRunning() : current != nil)), ("supervised", .bool(settings.watcher)),
                                 ("background", .bool(current?.background ?? false))])),
        ]))
    }

    // MARK: - /metrics

    /// The registry in Prometheus text format, after adding what the database says now.
    func metrics() throws(Problem) -> Response {
        let reader = try open().reader
        let reading: DatabaseMetrics.Reading
        do {
            reading = try reader.read()
        } catch {
            throw Self.notReady(.server(.databaseUnreadable(error.message)))
        }
        record(reading)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    private func record(_ reading: DatabaseMetrics.Reading) {
        for gauge in openGauges.values { gauge.set(to: 0) }
        for (key, count) in reading.open {
            let gauge = openGauges[key] ?? registry.makeGauge(
                descriptor: .init(metricName: "runbook_open_incidents", unitName: "",
                                  helpText: "Incidents whose status is open, by severity (drills apart)."),
                labels: [("severity", key.severity), ("drill", key.drill ? "true" : "false")])
            openGauges[key] = gauge
            gauge.set(to: Double(count))
        }
        overdue.set(to: Double(reading.overdueStages))
        for (key, count) in reading.sent {
            let counter = sentCounters[key] ?? registry.makeCounter(
                descriptor: .init(metricName: "runbook_pages_sent", unitName: "total",
                                  helpText: "Pages delivered, by kind of channel (drills apart), as recorded in the database."),
                labels: [("channel", key.channel), ("drill", key.drill ? "true" : "false")])
            sentCounters[key] = counter
            counter.increment(by: Int64(count))
        }
        for (key, count) in reading.failed {
            let counter = failedCounters[key] ?? registry.makeCounter(
                descriptor: .init(metricName: "runbook_pages_failed", unitName: "total",
                                  helpText: "Page deliveries that failed, by kind of channel (drills apart), as recorded in the database."),
                labels: [("channel", key.channel), ("drill", key.drill ? "true" : "false")])
            failedCounters[key] = counter
            counter.increment(by: Int64(count))
        }
        for seconds in reading.acknowledgedAfter { toAcknowledge.record(seconds) }
        for seconds in reading.resolvedAfter { toResolve.record(seconds) }
        lag.set(to: reading.watcherLag)
        watcher.set(to: reading.watcherRunning ? 1 : 0)
    }

    // MARK: - The connection

    /// The reader and its store, opened at the first probe (and kept: the reader remembers what it has counted);
    /// refused when the database file is no longer the one the server started on.
    private func open() throws(Problem) -> (reader: DatabaseMetrics, store: any MetricsReadable, watcherRunning: () -> Bool) {
        if !settings.onPostgres {
            guard let file, FileIdentity(path: settings.databasePath) == file else {
                throw Self.notReady(.server(.databaseGone))
            }
        }
        if let opened { return opened }
        do throws(UserError) {
            guard let store = try IncidentService.openDatabase(settings.databasePath) as? any MetricsReadable else {
                throw UserError(.failed, "\(settings.databaseName) cannot be read for metrics")
            }
            let team = try TeamFiles.load(directory: settings.runbooksPath, configuredDirectory: settings.configuredRunbooks)
            let service = IncidentService(store: store, library: RunbookLibrary(directory: settings.runbooksPath), clock: clock, team: team)
            let watcherRunning = try Watcher.runningCheck(database: settings.databasePath)
            let reader = DatabaseMetrics(service: service, store: store, databasePath: settings.databaseName, watcherRunning: watcherRunning)
            opened = (reader, store, watcherRunning)
            return (reader, store, watcherRunning)
        } catch {
            throw Self.notReady(.server(.databaseUnreadable(error.message)))
        }
    }

    private static func notReady(_ message: Message) -> Problem {
        Problem(.serviceUnavailable, code: "not-ready", detail: message.text())
    }
}

/// A file's device and inode: the same path may come to name another file.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
