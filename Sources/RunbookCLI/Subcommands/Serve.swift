import ArgumentParser
public import Synchronization
import RunbookCore
public import RunbookRuntime
#if canImport(Glibc)
import Glibc
#endif

extension RunbookCommand {
    /// The server itself, set by the `runbook-server` binary before it parses its arguments; nil in `runbook`, which
    /// starts that binary instead, so that no networking code is linked into (or slows the start of) the local
    /// commands. (A task-local pushed around the async main crashed the statically linked release build.)
    public static let serveHook = Mutex<(@Sendable (ServeSettings) async throws -> Void)?>(nil)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run the team server: the JSON API, alert intake and the watcher, over one database.",
            discussion: """
                Responders on other machines, the manager and the CTO act on incidents through it; every request \
                carries a bearer token (`runbook token create NAME`), which decides who acts. The rules are the \
                same as on the command line: the server calls the same functions.

                  runbook token create kim
                  runbook serve --listen 127.0.0.1:8080
                  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/incidents

                It listens on 127.0.0.1 unless --listen names another address; put TLS in front with a reverse \
                proxy (README: "For a team"). It runs the database's watcher (pages, scheduled runs, reports) \
                unless another `runbook watch` holds it. SIGTERM or Ctrl-C stops it cleanly: it stops \
                accepting, finishes the requests in progress, then stops the watcher.

                With --db postgres://USER@HOST/DB the log lives in PostgreSQL, and several servers (one per host) \
                share it: no update is lost, and one watcher pages while the others stand by (README: "Several \
                servers on PostgreSQL"). Give the password in PGPASSWORD or ~/.pgpass rather than in the URL.

                The API is described at /api/v1/openapi.json; /healthz and /readyz answer without a token.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Where to listen: HOST:PORT (port 0 picks a free one).", valueName: "host:port"))
        var listen = "127.0.0.1:8080"

        @Option(help: ArgumentHelp("Where the watcher writes post-mortems.", valueName: "dir"))
        var reports = "reports"

        @Flag(help: "Do not run the watcher (another `runbook watch` pages for this database).")
        var noWatcher = false

        func run() async throws {
            // Checked here rather than in validate(): a usage error in one line, as the other commands' (ArgumentParser
            // would add the usage text), and before the exec of the server binary.
            guard let (host, port) = ServeSettings.parseListen(listen) else {
                throw UserError(.usage, Message.server(.badListen(listen)))
            }
            guard let serve = RunbookCommand.serveHook.withLock({ $0 }) else {
                try RunbookCommand.execServerBinary(purpose: "runbook serve")
                return
            }
            // The database is created here if need be, with its modes, as `watch` does.
            _ = try Workspace(global: global).localService(create: true, postgres: true)
            if noWatcher, PostgresLocation.isPostgres(global.databasePath) { err(Message.server(.postgresNoWatcher).text()) }
            let settings = ServeSettings(host: host, port: port, databasePath: global.databasePath,
                                         runbooksPath: global.runbooksPath, configuredRunbooks: environment("RUNBOOK_PATH") ?? "runbooks",
                                         reportsDirectory: reports, watcher: !noWatcher)
            // Command steps run by the server do not inherit a PostgreSQL URL, which may hold a password (its watcher
            // gets the URL from the settings).
            if settings.onPostgres { unsetenv("RUNBOOK_DB") }
            try await serve(settings)
        }

    }

    /// Replaces this process with `runbook-server` from the same directory, with the same arguments: `purpose` (the
    /// server itself, or working through one) needs its networking code.
    static func execServerBinary(purpose: String) throws(UserError) {
        let server = FileIO.sibling("runbook-server", of: FileIO.ownExecutable())
        guard access(server, X_OK) == 0 else {
            throw UserError(.usage, "\(purpose) needs \(server), the server binary installed beside runbook; "
                            + "build it with `make server`")
        }
        let arguments = [server] + CommandLine.arguments.dropFirst()
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execv(server, &pointers)
        throw UserError(.failed, "could not start \(server): \(FileIO.lastError())")
    }
}
