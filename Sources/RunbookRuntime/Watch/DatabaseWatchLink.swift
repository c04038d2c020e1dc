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

/// The PostgreSQL client: installed by the `runbook-server` binary, which links libpq, before it parses its arguments;
/// absent in `runbook`, whose commands start that binary for a `postgres://` database (SPEC §10).
public struct PostgresClient: Sendable {
    public var openStore: @Sendable (_ url: String, _ readOnly: Bool) throws(StoreError) -> any EventStore
    public var openWatchLink: @Sendable (_ url: String) throws(StoreError) -> any DatabaseWatchLink

    public init(openStore: @escaping @Sendable (_ url: String, _ readOnly: Bool) throws(StoreError) -> any EventStore,
                openWatchLink: @escaping @Sendable (_ url: String) throws(StoreError) -> any DatabaseWatchLink) {
        self.openStore = openStore
        self.openWatchLink = openWatchLink
    }

    /// The client of this binary, nil in `runbook`.
    public static let current = Mutex<PostgresClient?>(nil)

    /// The client of this binary, or the error that says which binary has one.
    static func installed() throws(UserError) -> PostgresClient {
        guard let client = current.withLock({ $0 }) else {
            throw UserError(.usage, "a PostgreSQL database needs runbook-server, the server binary installed beside runbook; build it with `make server`")
        }
        return client
    }
}

extension IncidentService {
    /// The watch link of the PostgreSQL database at `url`.
    static func openWatchLink(_ url: String) throws(UserError) -> any DatabaseWatchLink {
        let client = try PostgresClient.installed()
        do {
            return try client.openWatchLink(url)
        } catch {
            throw userError(error, database: nil)
        }
    }

    /// Whether the store leaves every page to the watcher (`EventStore.pagesOnlyThroughWatcher`).
    public var pagesOnlyThroughWatcher: Bool { store.pagesOnlyThroughWatcher }
}
