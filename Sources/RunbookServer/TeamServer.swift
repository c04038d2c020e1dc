import Hummingbird
#if canImport(Glibc)
import Glibc
#endif
import Logging
import RunbookCore
public import RunbookRuntime
import ServiceLifecycle
import Synchronization

/// `runbook serve` (SPEC §10): the JSON API, the watcher and, later, the web page and alert intake, over one
/// database, as services of one service group so that SIGTERM stops them in order.
public enum TeamServer {
    /// Runs the server until SIGTERM or SIGINT: it then stops accepting, finishes the requests in progress, and
    /// stops the watcher last.
    public static func serve(_ settings: ServeSettings) async throws {
        var logger = Logger(label: "runbook")
        logger.logLevel = .notice
        let desks = try Desks(settings: settings, clock: SystemClock())
        let listening = Atomic<Bool>(false)
        let app = application(settings: settings, desks: desks, logger: logger) { address in
            listening.store(true, ordering: .relaxed)
            print(Message.server(.listening(address: address, database: settings.databaseName)).text())
            fflush(nil)
        }
        // A service group stops its services in reverse order: the app first (it stops accepting and finishes the
        // requests in progress), the watcher last.
        var services: [any Service] = [app]
        if settings.watcher { services.insert(WatcherProcess(settings: settings, logger: logger), at: 0) }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch where !listening.load(ordering: .relaxed) {
            // The port is taken or the address is not this host's: one line saying so, not the socket layer's words.
            throw UserError(.failed, .server(.cannotListen(address: "\(settings.host):\(settings.port)", reason: "\(error)")))
        }
    }

    /// The application over `desks`: what the tests run too, on a real port.
    /// `environment` holds the alert sources' secrets (the process's environment but in tests).
    static func application(settings: ServeSettings, desks: Desks, logger: Logger,
                            onRunning: @escaping @Sendable (String) -> Void = { _ in },
                            environment: @escaping AlertRoutes.Environment = AlertRoutes.processEnvironment) -> some ApplicationProtocol {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ProblemMiddleware())
        router.get("healthz") { _, _ in "ok\n" }
        Probes.routes(router, settings: settings, desks: desks)
        API.routes(router, desks: desks)
        AlertRoutes.routes(router, desks: desks, environment: environment)
        WebFront.routes(router, desks: desks, settings: settings)
        return Application(router: router,
                           configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "runbook"),
                           onServerRunning: { channel in
                               let address = channel.localAddress.map { address in
                                   let host = address.ipAddress ?? settings.host
                                   return (host.contains(":") ? "[\(host)]" : host) + ":\(address.port ?? settings.port)"
                               } ?? "\(settings.host):\(settings.port)"
                               onRunning(address)
                           },
                           logger: logger)
    }
}
