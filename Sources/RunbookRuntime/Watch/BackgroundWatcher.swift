#if canImport(Glibc)
import Glibc
#endif

/// Paging that does not depend on someone remembering to start `watch` (SPEC §5): `start` and `guide`
/// launch a watcher in the background when none holds the database's watch lock. It is detached (its own
/// session, stdin from /dev/null, output to `watch.log` beside the database, mode 0600), runs on the real
/// clock (never `RUNBOOK_NOW`), and exits by itself once no incident is open and nothing is due.
public enum BackgroundWatcher {
    /// What launching found or did.
    public enum Launch: Sendable, Equatable {
        /// `RUNBOOK_WATCHER=off` (test harnesses, or a team that runs `watch` as a service).
        case disabled
        /// A watcher already holds the lock: it does the paging.
        case alreadyRunning
        /// A background watcher was started.
        case started(pid: Int32, log: String)
        /// It could not be started; the command goes on, and says so.
        case failed(String)
    }

    /// The log file of the background watcher of `databasePath`.
    public static func logPath(databasePath: String) -> String {
        FileIO.sibling("watch.log", of: databasePath)
    }

    /// Starts a background watcher for `databasePath` unless one runs or the environment turns it off.
    public static func ensure(databasePath: String, runbooksPath: String) -> Launch {
        if environmentValue("RUNBOOK_WATCHER") == "off" { return .disabled }
        if Watcher.isRunning(databasePath: databasePath) { return .alreadyRunning }
        guard let executable = selfExecutable() else { return .failed("cannot find the runbook executable (/proc/self/exe)") }
        let database = FileIO.absolutePath(databasePath)
        let log = logPath(databasePath: databasePath)
        let reports = log.dropLast("watch.log".count) + "reports"
        let arguments = [executable, "watch", "--background", "--db", database, "--runbooks", FileIO.absolutePath(runbooksPath),
                         "--reports", String(reports)]
        // The watcher keeps real time: a fixed RUNBOOK_NOW of the command that launched it must not follow it.
        var environment: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if !text.hasPrefix("RUNBOOK_NOW=") { environment.append(text) }
            index += 1
        }
        let logDescriptor = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard logDescriptor >= 0 else { return .failed("cannot open \(log): \(FileIO.lastError())") }
        defer { close(logDescriptor) }
        if let sharing = try? FileSharing.fromEnvironment() { _ = try? sharing.secure(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, logDescriptor, 2)
        // Nothing else of the launching command follows the watcher: a pipe held open by a detached process would
        // keep whoever reads the command's output (a script, CI) waiting until the watcher exits.
        closeOnExecAboveStandardStreams()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own session: no terminal, no signal from the shell that started the command.
        posix_spawnattr_setflags(&attributes, Int16(0x80))  // POSIX_SPAWN_SETSID
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else { return .failed("cannot start the background watcher: \(String(cString: strerror(status)))") }
        return .started(pid: pid, log: log)
    }

    /// Marks every descriptor above 2 close-on-exec (the log is dup2'd onto 1 and 2 before the exec).
    static func closeOnExecAboveStandardStreams() {
        guard let names = FileIO.list("/proc/self/fd") else { return }
        for name in names {
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    static func selfExecutable() -> String? {
        let path = FileIO.ownExecutable()
        return path.isEmpty ? nil : path
    }
}
