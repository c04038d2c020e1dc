#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Sleeps until a deadline, a change to the database files, or SIGINT/SIGTERM; no polling.
///
/// Changes are seen through inotify on the database's folder (another process's commit writes the WAL) and on the
/// runbooks folder (a schedule added or edited while the watcher sleeps towards a later slot), signals through a pipe
/// written by dispatch signal sources, so an idle watcher uses no CPU.
final class WakeSource {
    enum Wake: Equatable {
        case timeout, changed, stop
    }

    private let inotify: Int32
    private let signals: Int32
    private let signalWriter: Int32
    private let databaseName: String
    /// The inotify watches of the database's folder and of the runbooks folder (-1 when none; the same when one folder).
    private var databaseWatch: Int32 = -1
    private var runbooksWatch: Int32 = -1
    private var sources: [any DispatchSourceSignal] = []

    /// The PostgreSQL database's link, whose descriptor wakes on its announced changes (instead of the file's folder).
    private let link: (any DatabaseWatchLink)?

    init(databasePath: String, runbooksDirectory: String? = nil, link: (any DatabaseWatchLink)? = nil) throws(UserError) {
        self.link = link
        let directory = databasePath.contains("/") ? String(databasePath[..<(databasePath.lastIndex(of: "/") ?? databasePath.endIndex)]) : "."
        databaseName = databasePath.split(separator: "/").last.map(String.init) ?? databasePath
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw UserError(.failed, "cannot watch \(directory) for changes: \(FileIO.lastError())") }
        if link == nil {
            databaseWatch = inotify_add_watch(inotify, directory.isEmpty ? "/" : directory, UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE))
            guard databaseWatch >= 0 else {
                close(inotify)
                throw UserError(.failed, "cannot watch \(directory) for changes: \(FileIO.lastError())")
            }
        }
        // A folder that cannot be watched only means an edited schedule is read at the next wake, as before. IN_MASK_ADD:
        // when it is the database's folder too, its watch keeps the database's events.
        if let runbooksDirectory {
            runbooksWatch = inotify_add_watch(inotify, runbooksDirectory, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE) | UInt32(IN_MASK_ADD))
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            close(inotify)
            throw UserError(.failed, "cannot set up signal handling: \(FileIO.lastError())")
        }
        signals = ends[0]
        signalWriter = ends[1]
        let writer = signalWriter
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                var byte: UInt8 = 1
                _ = write(writer, &byte, 1)
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
        close(inotify)
        close(signals)
        close(signalWriter)
    }

    /// Waits up to `milliseconds` (nil: until something happens).
    func wait(milliseconds: Int64?) -> Wake {
        var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: link?.descriptor ?? -1, events: Int16(POLLIN), revents: 0)]
        let timeout: Int32 = milliseconds.map { Int32(clamping: max(0, $0)) } ?? -1
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        guard ready > 0 else { return .timeout }
        if descriptors[1].revents != 0 { return .stop }
        // Both are read, so neither stays readable and turns the next wait into a spin.
        let announced = descriptors[2].revents != 0 && (link?.drainChanges() ?? false)
        let edited = descriptors[0].revents != 0 && drainChanges()
        return announced || edited ? .changed : .timeout
    }

    /// Reads the pending inotify events; true when one concerns the database or its WAL.
    private func drainChanges() -> Bool {
        var relevant = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (length, name, watch) = buffer.withUnsafeBytes { raw -> (Int, String, Int32) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[start..<min(start + Int(event.len), count)].prefix { $0 != 0 }
                    return (Int(event.len), String(decoding: bytes, as: UTF8.self), event.wd)
                }
                if (watch == databaseWatch && name.hasPrefix(databaseName)) || (watch == runbooksWatch && name.hasSuffix(".yaml")) { relevant = true }
                offset += MemoryLayout<inotify_event>.size + length
            }
        }
        return relevant
    }
}

/// An exclusive lock beside the database: one `watch` delivers at a time; another stands by.
final class WatchLock {
    private let descriptor: Int32
    let path: String

    init(databasePath: String, suffix: String = ".watch-lock") throws(UserError) {
        path = databasePath + suffix
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw UserError(.failed, "cannot open \(path): \(FileIO.lastError())") }
        // Shared like the database (RUNBOOK_GROUP): another responder's watcher must be able to open it.
        if let sharing = try? FileSharing.fromEnvironment() { _ = try? sharing.secure(path) }
    }

    deinit {
        close(descriptor)
    }

    /// Takes the lock if free.
    func tryLock() -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    func unlock() {
        flock(descriptor, LOCK_UN)
    }

    /// Whether some process holds the lock now (a watcher is running).
    static func isHeld(databasePath: String) -> Bool {
        // Read-only: a lock file another login made (0660 for the group) can still be tested.
        let descriptor = open(databasePath + ".watch-lock", O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }
}

/// The right to deliver an incident's pages now, held briefly by whoever delivers: a command when no watcher
/// runs, and a watcher around each delivery. Two deliverers never page the same thing twice: each re-reads
/// what is owed once it holds the claim.
///
/// Two locks beside the database: `.watch-lock`, held by a running watcher for its whole life (so a command's
/// short delivery is never taken for a watcher), and `.deliver-lock`, held only while delivering.
public final class DeliveryClaim {
    private let lock: WatchLock

    /// Takes the delivery lock, waiting (up to `wait` milliseconds) for another deliverer to finish; nil when
    /// a watcher runs on the database (`forWatcher` false: it delivers the pages itself) or the wait ran out.
    ///
    /// The wait suspends rather than blocks: in the team server, the delivery it waits for may belong to another
    /// request of the same process, which must be able to go on meanwhile (two descriptors of one process
    /// exclude each other under `flock`, so the claim still serializes them).
    public static func acquire(databasePath: String, forWatcher: Bool = false, wait: Int = 60_000) async -> DeliveryClaim? {
        if !forWatcher, WatchLock.isHeld(databasePath: databasePath) { return nil }
        guard let lock = try? WatchLock(databasePath: databasePath, suffix: ".deliver-lock") else { return nil }
        var waited = 0
        while !lock.tryLock() {
            // A watcher that started meanwhile delivers; a command's delivery ends within its channels' timeouts.
            if (!forWatcher && WatchLock.isHeld(databasePath: databasePath)) || waited >= wait { return nil }
            try? await Task.sleep(for: .milliseconds(50))
            waited += 50
        }
        return DeliveryClaim(lock: lock)
    }

    private init(lock: WatchLock) {
        self.lock = lock
    }

    public func release() {
        lock.unlock()
    }
}
