internal import CSQLite
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// One SQLite connection: it opens the database, runs SQL and caches prepared statements.
///
/// The connection owns its `sqlite3` handle and closes it when released. It is opened with
/// `SQLITE_OPEN_NOMUTEX`: use it from one thread at a time, as the one object that owns it does.
package final class Connection {
    let handle: OpaquePointer
    /// The path the connection was opened with, or `:memory:`.
    package let path: String
    private var statementCache: [String: Statement] = [:]

    /// How long a writer waits for another connection's lock before failing with `SQLITE_BUSY`.
    package static let busyTimeoutMilliseconds: Int32 = 5_000
    private static let statementCacheLimit = 64

    /// Opens (creating if needed) the database at `path`, or a private in-memory one for `:memory:`.
    ///
    /// A new file is created with mode 0600. `inspect` runs before the connection changes anything in the
    /// file, so it can refuse a file that is not the caller's; afterwards a file database is switched to
    /// WAL, and every connection gets `synchronous=NORMAL`, `foreign_keys=ON` and a 5 s busy timeout.
    package convenience init(path: String, inspect: (Connection) throws -> Void = { _ in }) throws {
        try self.init(path: path, immutable: false, inspect: inspect)
    }

    /// Opens an existing file database read-only as immutable (no locks, no -shm file), for reading when the
    /// disk is full. Only safe while nobody writes: the caller checks that no WAL holds unmerged changes.
    package static func immutable(path: String, inspect: (Connection) throws -> Void = { _ in }) throws -> Connection {
        try Connection(path: path, immutable: true, inspect: inspect)
    }

    private init(path: String, immutable: Bool, inspect: (Connection) throws -> Void) throws {
        let isFile = path != ":memory:" && !path.isEmpty
        if isFile, !immutable {
            try Connection.createFileIfMissing(path)
        }
        var opened: OpaquePointer?
        let code = immutable
            ? sqlite3_open_v2("file:\(Self.uriEscaped(path))?immutable=1", &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
            : sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let opened else {
            let error = opened.map { SQLiteError(database: $0, resultCode: code, sql: nil) }
                ?? SQLiteError(database: nil, resultCode: code, sql: nil)
            sqlite3_close_v2(opened)
            throw error
        }
        handle = opened
        self.path = path

        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        // Until `inspect` accepts the file, closing must not checkpoint a WAL into it.
        try setCheckpointOnClose(false)
        try inspect(self)
        if immutable { return }
        try setCheckpointOnClose(true)
        if isFile {
            try execute("PRAGMA journal_mode = WAL")
        }
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// `path` for a `file:` URI: `%`, `?` and `#` escaped.
    static func uriEscaped(_ path: String) -> String {
        var result = ""
        for character in path {
            switch character {
            case "%": result += "%25"
            case "?": result += "%3f"
            case "#": result += "%23"
            default: result.append(character)
            }
        }
        return result
    }

    /// Creates `path` with mode 0600 unless it exists; SQLite gives its -wal and -shm files the same mode.
    private static func createFileIfMissing(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return
        }
        let error = errno
        guard error != EEXIST else { return }
        throw SQLiteError.cannotOpen(String(cString: strerror(error)))
    }

    private func setCheckpointOnClose(_ enabled: Bool) throws {
        let code = runbook_sqlite_db_config_int(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, enabled ? 0 : 1, nil)
        guard code == SQLITE_OK else {
            throw SQLiteError(database: handle, resultCode: code, sql: nil)
        }
    }

    // MARK: Running SQL

    /// Runs one or more `;`-separated statements, discarding any rows (migrations, pragmas).
    ///
    /// An error names the statement that failed, not the whole script.
    package func execute(_ sql: String) throws {
        var failure: SQLiteError?
        sql.withCString { script in
            var cursor: UnsafePointer<CChar> = script
            while cursor.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v2(handle, cursor, -1, &statement, &tail)
                let end = tail ?? cursor
                let text = String(decoding: UnsafeRawBufferPointer(start: cursor, count: end - cursor), as: UTF8.self)
                guard code == SQLITE_OK else {
                    sqlite3_finalize(statement)
                    failure = SQLiteError(database: handle, resultCode: code, sql: text)
                    return
                }
                if let statement {
                    var step = sqlite3_step(statement)
                    while step == SQLITE_ROW {
                        step = sqlite3_step(statement)
                    }
                    sqlite3_finalize(statement)
                    guard step == SQLITE_DONE else {
                        failure = SQLiteError(database: handle, resultCode: step, sql: text)
                        return
                    }
                }
                guard end > cursor else { return }
                cursor = end
            }
        }
        if let failure {
            throw failure
        }
    }

    /// A prepared statement for `sql`, from the connection's cache when it was prepared before.
    ///
    /// The statement comes back reset. Do not prepare the same SQL again while still reading its rows.
    package func prepare(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let statement = try Statement(database: handle, sql: sql, persistent: true)
        if statementCache.count >= Self.statementCacheLimit {
            statementCache.removeAll()
        }
        statementCache[sql] = statement
        return statement
    }

    /// A new prepared statement for `sql`, outside the cache (for SQL run once).
    package func makeStatement(_ sql: String) throws -> Statement {
        try Statement(database: handle, sql: sql, persistent: false)
    }

    // MARK: State

    /// The rowid of the last row this connection inserted.
    package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    package var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open.
    package var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// `PRAGMA data_version`: changes whenever another connection (or process) commits to the database.
    package func dataVersion() throws -> Int64 {
        try prepare("PRAGMA data_version").first { $0.int64(0) } ?? 0
    }
}
