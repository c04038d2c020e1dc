#if canImport(Glibc)
import Glibc
#endif

/// The small process that leads a command step's process group, so the command dies even if `runbook` is
/// killed with SIGKILL: `runbook __supervise-command DEADLINE_MS GRACE_MS SHELL COMMAND`, started by `CommandRunner`.
///
/// Its standard input is the read end of a pipe (the lifeline) whose write end only the supervising `runbook`
/// holds. It starts `SHELL -c COMMAND` in the group it leads (standard input `/dev/null`, standard output and
/// error its own) once `runbook` writes one byte, after recording the start; end of file before that byte means the
/// start was refused or `runbook` died, and nothing runs. Then it waits for the first of:
/// - the shell exits: the supervisor ends the same way (the exit code, or the same signal), so `runbook` reads the
///   shell's status as its own. What the shell left in the background keeps running: a step may start a service.
/// - end of file on the lifeline: `runbook` is gone (kill -9, a crash, a lost machine session). SIGTERM to the
///   group, then SIGKILL to the group (itself included) once the shell has exited or the grace has passed.
/// - its deadline (the step's timeout plus a margin, by which a working `runbook` has already acted; so this
///   matters when `runbook` is stopped or hung): the same. `runbook` counts a run killed past its timeout as
///   timed out, whichever of the two killed it.
///
/// It ignores SIGINT, SIGTERM and SIGHUP sent to the group (the shell gets them with default handling), so it
/// outlives the command it watches. Linux's `PR_SET_PDEATHSIG` is not used: it fires when the parent *thread*
/// exits, and Swift's threads come and go.
public enum CommandSupervisor {
    /// The hidden first argument that makes the `runbook` binary a supervisor.
    public static let mode = "__supervise-command"

    /// The arguments after the executable.
    static func arguments(deadline: Duration, grace: Duration, shell: String, command: String) -> [String] {
        [mode, String(CommandRunner.milliseconds(deadline)), String(CommandRunner.milliseconds(grace)), shell, command]
    }

    /// The `runbook` executable to run as the supervisor: this process's own when it is `runbook`, else the
    /// `runbook` beside it (test bundles are built there); nil when there is none.
    static func executable() -> String? {
        let path = FileIO.ownExecutable()
        guard !path.isEmpty else { return nil }
        if FileIO.baseName(path) == "runbook" { return path }
        guard let slash = path.lastIndex(of: "/") else { return nil }
        let sibling = String(path[..<slash]) + "/runbook"
        return access(sibling, X_OK) == 0 ? sibling : nil
    }

    /// Runs the supervisor with `arguments` (the mode first) and never returns.
    public static func main(_ arguments: [String]) -> Never {
        guard arguments.count == 5, arguments[0] == mode, let deadline = Int64(arguments[1]), let grace = Int64(arguments[2]) else {
            fail("runbook: \(mode) is internal to runbook run; it takes DEADLINE_MS GRACE_MS SHELL COMMAND", code: 64)
        }
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_IGN) }
        ChildExits.install()
        var byte: UInt8 = 0
        var count: Int
        repeat { count = read(STDIN_FILENO, &byte, 1) } while count < 0 && errno == EINTR
        // No go-ahead: the start was not recorded, so nothing runs.
        guard count == 1 else { _exit(0) }
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .milliseconds(deadline))
        let child = spawn(shell: arguments[3], command: arguments[4])
        var lifeline = true
        while true {
            if let status = reap(child) { mirror(status) }
            let left = clock.now.duration(to: end)
            if left <= .zero { endGroup(child, grace: grace) }
            lifeline = wait(milliseconds: CommandRunner.milliseconds(left), lifeline: lifeline)
            if !lifeline { endGroup(child, grace: grace) }
        }
    }

    /// Sends SIGTERM to the group, waits up to `grace` for the shell to exit, then sends SIGKILL to the whole
    /// group, this supervisor included, so nothing in it outlives the step.
    private static func endGroup(_ child: pid_t, grace: Int64) -> Never {
        let group = getpgrp()
        kill(-group, SIGTERM)
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .milliseconds(grace))
        while reap(child) == nil {
            let left = clock.now.duration(to: end)
            if left <= .zero { break }
            _ = wait(milliseconds: CommandRunner.milliseconds(left), lifeline: false)
        }
        kill(-group, SIGKILL)
        _exit(137)
    }

    /// Waits up to `milliseconds` for a child to exit or, while `lifeline` is open, for it to close; returns
    /// whether the lifeline is still open.
    private static func wait(milliseconds: Int64, lifeline: Bool) -> Bool {
        var descriptors = [pollfd(fd: lifeline ? STDIN_FILENO : -1, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: ChildExits.pipe.read, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(clamping: max(1, milliseconds)))
        guard ready > 0 else { return lifeline }
        if descriptors[1].revents != 0 { ChildExits.drain() }
        guard lifeline, descriptors[0].revents != 0 else { return lifeline }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count > 0 || (count < 0 && (errno == EINTR || errno == EAGAIN)) { return true }
        return false
    }

    /// The shell's wait status once it has exited (reaping it), else nil.
    private static func reap(_ child: pid_t) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(child, &status, WNOHANG)
            if result == child { return status }
            if result < 0 && errno == EINTR { continue }
            // 0: still running. An error cannot happen for our own child; treat it as still running.
            return nil
        }
    }

    /// Ends this process as the shell ended: the same exit code, or death by the same signal.
    private static func mirror(_ status: Int32) -> Never {
        let signalNumber = status & 0x7f
        guard signalNumber != 0 else { _exit((status >> 8) & 0xff) }
        // A core dump of the supervisor would only add noise to one of the shell.
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &limit)
        signal(signalNumber, SIG_DFL)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, signalNumber)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        kill(getpid(), signalNumber)
        _exit(128 + signalNumber)
    }

    /// Starts `shell -c command` in this process group, with standard input from /dev/null and the signals
    /// this supervisor ignores back to their defaults; on failure, says why on standard error and exits 127.
    private static func spawn(shell: String, command: String) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, number) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let words = [shell, "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, shell, &actions, &attributes, argv, environ)
        guard result == 0 else {
            fail("runbook: cannot start \(shell): \(String(cString: strerror(result)))", code: 127)
        }
        return child
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        let line = message + "\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
        _exit(code)
    }
}

/// SIGCHLD as a readable pipe, so the supervisor can wait for its shell and its lifeline in one `poll`.
private enum ChildExits {
    /// Made before the handler is installed; non-blocking, closed on exec.
    static let pipe: (read: Int32, write: Int32) = SignalPipe.make()

    static func install() {
        _ = pipe
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            var byte: UInt8 = 1
            _ = write(ChildExits.pipe.write, &byte, 1)
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART | SA_NOCLDSTOP
        sigaction(SIGCHLD, &action, nil)
    }

    static func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(pipe.read, $0.baseAddress, $0.count) }) > 0 {}
    }
}
