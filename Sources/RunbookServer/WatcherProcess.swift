#if canImport(Glibc)
import Glibc
#endif
import Logging
import RunbookRuntime
import ServiceLifecycle

/// The database's watcher, run by the server as a supervised child process: `runbook watch` itself, so pages,
/// scheduled runs and reports follow exactly the rules of the tested watcher, and a page delivery that hangs (a
/// command channel) can never stall a request. Started with the server, restarted if it dies, and stopped last
/// on SIGTERM (after the requests in progress have finished). When another `runbook watch` already holds the
/// database, this one stands by and takes over when that one stops.
struct WatcherProcess: Service {
    let arguments: [String]
    let database: String?
    let logger: Logger

    init(settings: ServeSettings, logger: Logger) {
        let executable = FileIO.ownExecutable()
        // A PostgreSQL URL goes to the watcher in its environment (RUNBOOK_DB), not on a command line any user can list.
        database = settings.onPostgres ? settings.databasePath : nil
        arguments = [executable, "watch"] + (settings.onPostgres ? [] : ["--db", FileIO.absolutePath(settings.databasePath)]) + [
                     "--runbooks", FileIO.absolutePath(settings.runbooksPath), "--reports", FileIO.absolutePath(settings.reportsDirectory)]
        self.logger = logger
    }

    func run() async throws {
        var delay = 1
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            guard let pid = spawn() else {
                logger.error("cannot start the watcher: \(FileIO.lastError()); retrying in \(delay)s")
                try? await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, 30)
                continue
            }
            let started = ContinuousClock.now
            // Cancelled (the server failed to start, or the group gave up) or shut down: the child is told to stop.
            let status = await withTaskCancellationOrGracefulShutdownHandler {
                await waitForExit(pid)
            } onCancelOrGracefulShutdown: {
                kill(pid, SIGTERM)
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            // A watcher that ran a while is started again at once: the wait grows only while it keeps failing at start.
            if ContinuousClock.now - started > .seconds(60) { delay = 1 }
            logger.warning("the watcher (pid \(pid)) stopped with status \(status); starting it again in \(delay)s")
            try? await Task.sleep(for: .seconds(delay))
            delay = min(delay * 2, 30)
        }
    }

    /// Starts `runbook watch` with this process's standard streams (its lines go where the server's go).
    private func spawn() -> pid_t? {
        var environment: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            // The watcher keeps real time, is never itself turned off by the variable that turns off the
            // background watchers of local commands, and watches this server's database even on a host whose shell
            // points the command line at a server (RUNBOOK_SERVER would make it refuse to run).
            let dropped = ["RUNBOOK_NOW=", "RUNBOOK_WATCHER=", "RUNBOOK_SERVER=", "RUNBOOK_TOKEN=", "RUNBOOK_WATCH_SUPERVISOR=", "RUNBOOK_DB="]
            if !dropped.contains(where: { text.hasPrefix($0) }) { environment.append(text) }
            index += 1
        }
        environment.append("RUNBOOK_WATCH_SUPERVISOR=\(getpid())")
        if let database { environment.append("RUNBOOK_DB=\(database)") }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        // In a process group of its own: Ctrl-C in a terminal signals the foreground group, and the watcher must
        // outlive the requests in progress; the server stops it itself, last.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid: pid_t = 0
        guard let executable = arguments.first, posix_spawn(&pid, executable, nil, &attributes, argv, envp) == 0 else { return nil }
        return pid
    }

    /// Waits for the child to exit, without holding a thread: checked ten times a second. A child that ignores
    /// SIGTERM for ten seconds after shutdown began is killed. Once the task is cancelled, `Task.sleep` returns at
    /// once: the wait then goes on by the clock (nanosleep), never spinning, and ends with the child.
    private func waitForExit(_ pid: pid_t) async -> Int32 {
        var status: Int32 = 0
        var waitedAfterShutdown = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno != EINTR) { return status }
            if Task.isCancelled {
                usleep(100_000)
            } else {
                try? await Task.sleep(for: .milliseconds(100))
            }
            if Task.isShuttingDownGracefully || Task.isCancelled {
                waitedAfterShutdown += 1
                if waitedAfterShutdown == 100 { kill(pid, SIGKILL) }
            }
        }
    }
}
