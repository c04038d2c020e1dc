public import RunbookCore
public import Synchronization

/// How the watchers of a PostgreSQL database find each other and learn of its changes (SPEC §10): a session advisory
/// lock and `LISTEN` on one connection of their own. Made by the `runbook-server` binary, which links the PostgreSQL
/// client (`IncidentService.postgresWatchLink`); a SQLite database uses files beside it instead (`WatchLock`, inotify).
///
/// The lock lives as long as the link's connection: a watcher that dies, however, frees it, and a standby watcher on
/// another host takes it over.
public protocol DatabaseWatchLink: AnyObject {
    /// Takes the database's watch lock if no other session holds it.
    func tryLock() -> Bool
    /// Whether this link still holds the lock: false once its connection was lost, for the lock went with it.
    var holdsLock: Bool { get }
    /// Whether the link's connection is still up (a link that lost it never takes the lock again).
    var isConnected: Bool { get }
    /// Whether any session holds the watch lock now (a watcher runs somewhere).
    func lockIsHeld() -> Bool
    /// A descriptor that becomes readable when the database announces a change (or the connection drops).
    var descriptor: Int32 { get }
    /// Reads what arrived on `descriptor`; true when a change was announced.
    func drainChanges() -> Bool
}

extension IncidentService {
    /// Opens the watch link of the PostgreSQL database at a URL; nil in the `runbook` binary.
    public static let postgresWatchLink = Mutex<(@Sendable (_ url: String) throws(StoreError) -> any DatabaseWatchLink)?>(nil)

    /// The watch link of the PostgreSQL database at `url`.
    static func openWatchLink(_ url: String) throws(UserError) -> any DatabaseWatchLink {
        guard let open = postgresWatchLink.withLock({ $0 }) else {
            throw UserError(.usage, "a PostgreSQL database needs runbook-server, the server binary installed beside runbook; build it with `make server`")
        }
        do {
            return try open(url)
        } catch {
            throw userError(error, database: nil)
        }
    }

    /// Whether the store leaves every page to the watcher (`EventStore.pagesOnlyThroughWatcher`).
    public var pagesOnlyThroughWatcher: Bool { store.pagesOnlyThroughWatcher }
}
