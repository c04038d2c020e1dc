public import RunbookCore
public import RunbookRuntime

/// The watch lock and change wake of a PostgreSQL database (`DatabaseWatchLink`): one connection of its own holding a
/// session advisory lock and listening on the schema's channel (`PostgresSchema.channelPrefix`).
///
/// The lock's key is derived from the schema's name, so runbook logs in two schemas of one database have a watcher
/// each. PostgreSQL frees a session lock when the session ends, however it ends: a watcher killed with SIGKILL, or on
/// a host that lost its network, leaves the lock to the standby watcher of another server.
public final class PostgresWatchLink: DatabaseWatchLink {
    private let connection: PGConnection
    private var locked = false
    private var broken = false

    static let lockKey = "hashtext(coalesce(current_schema(), '') || '.runbook-watch')"

    public init(url: String) throws(StoreError) {
        let displayURL = PostgresLocation.display(url)
        do {
            connection = try PostgresSchema.listener(url: url, displayURL: displayURL)
        } catch {
            throw StoreError.failure(Message.server(.postgresUnreachable(url: displayURL, detail: PostgresLocation.redact(error.message, url: url))).text())
        }
    }

    public func tryLock() -> Bool {
        guard !broken else { return false }
        if locked { return true }
        do {
            locked = try connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))").bool(0, 0)
        } catch {
            broken = true
        }
        return locked
    }

    public var holdsLock: Bool { locked && !broken }

    public var isConnected: Bool { !broken }

    public func lockIsHeld() -> Bool {
        guard !broken else { return false }
        let held = try? connection.query("""
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (
                SELECT oid FROM pg_database WHERE datname = current_database())
              AND objid = (\(Self.lockKey))::oid AND objsubid = 1)
            """).bool(0, 0)
        return held ?? false
    }

    /// -1 once the connection broke, so that a poll does not spin on its closed socket.
    public var descriptor: Int32 { broken ? -1 : connection.socket }

    public func drainChanges() -> Bool {
        guard !broken else { return false }
        do {
            return !(try connection.notifications(waitingUpTo: 0)).isEmpty
        } catch {
            broken = true
            return true
        }
    }
}
