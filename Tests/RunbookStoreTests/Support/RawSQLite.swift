import CSQLite

/// A connection through the bare C API, behind the store's back: for tampering and for preparing files.
final class RawSQLite {
    private let handle: OpaquePointer

    /// Opens `path`; with `checkpointOnClose: false`, closing leaves the -wal file as a crash would.
    init(path: String, checkpointOnClose: Bool = true) throws {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_close_v2(handle)
            throw RawSQLiteError(message: "cannot open \(path): code \(code)")
        }
        self.handle = handle
        if !checkpointOnClose {
            runbook_sqlite_db_config_int(handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nil)
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs `sql`, one or more statements.
    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw RawSQLiteError(message: String(cString: sqlite3_errmsg(handle)))
        }
    }

    /// The first column of the first row of `sql` as text, or nil when there is no row.
    func text(_ sql: String) throws -> String? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw RawSQLiteError(message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            return sqlite3_column_text(statement, 0).map { String(cString: $0) }
        case SQLITE_DONE:
            return nil
        default:
            throw RawSQLiteError(message: String(cString: sqlite3_errmsg(handle)))
        }
    }
}

struct RawSQLiteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
