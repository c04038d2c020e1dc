internal import CSQLite
#if canImport(Glibc)
internal import Glibc
#endif

/// An error reported by SQLite, with the statement that caused it.
///
/// Like GRDB's `DatabaseError`, it carries the primary and extended result codes, SQLite's message and
/// the SQL. Bound values never appear in it: notes and inputs can be sensitive.
package struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code, like 19 (`SQLITE_CONSTRAINT`).
    package var code: Int32
    /// The extended result code, like 1811 (`SQLITE_CONSTRAINT_TRIGGER`); equal to `code` when there is none.
    package var extendedCode: Int32
    /// SQLite's explanation (`sqlite3_errmsg`), like `events are append-only`.
    package var message: String
    /// The SQL that failed, if a statement was involved.
    package var sql: String?
    /// The operating system's error behind an I/O error (`sqlite3_system_errno`), like `ENOSPC`; 0 when none.
    package var systemErrno: Int32 = 0

    package init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil, systemErrno: Int32 = 0) {
        self.code = code & 0xFF
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
        self.systemErrno = systemErrno
    }

    /// The error SQLite just reported on `database` with `resultCode` (extended, as connections enable them).
    init(database: OpaquePointer?, resultCode: Int32, sql: String?) {
        var message: String?
        // The connection's message describes `resultCode` only when its last error is the same one.
        if let database, sqlite3_extended_errcode(database) & 0xFF == resultCode & 0xFF, let text = sqlite3_errmsg(database) {
            message = String(cString: text)
        } else if let text = sqlite3_errstr(resultCode) {
            message = String(cString: text)
        }
        self.init(code: resultCode, extendedCode: resultCode, message: message ?? "unknown error", sql: sql,
                  systemErrno: database.map { sqlite3_system_errno($0) } ?? 0)
    }

    /// `sqlite error 19/1811: events are append-only (while running `DELETE FROM events`)`.
    package var description: String {
        var text = "sqlite error \(code)"
        if extendedCode != code {
            text += "/\(extendedCode)"
        }
        text += ": \(message)"
        if let sql {
            text += " (while running `\(Self.oneLine(sql))`)"
        }
        return text
    }

    /// `sql` on one line, whitespace runs collapsed, cut after 300 characters.
    static func oneLine(_ sql: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in sql {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(character)
            if result.count >= 300 {
                return result + "…"
            }
        }
        return result
    }
}

extension SQLiteError {
    /// The library was used wrongly, like asking for a row of a statement that returned none.
    package static func misuse(_ message: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(code: SQLITE_MISUSE, message: message, sql: sql)
    }

    /// The database file could not be created or opened, for `reason` (like `No such file or directory`).
    package static func cannotOpen(_ reason: String) -> SQLiteError {
        SQLiteError(code: SQLITE_CANTOPEN, message: reason)
    }

    /// The file is not a SQLite database.
    package static func notADatabase(sql: String? = nil) -> SQLiteError {
        SQLiteError(code: SQLITE_NOTADB, message: "file is not a database", sql: sql)
    }

    /// Another connection holds the lock (`SQLITE_BUSY` or `SQLITE_LOCKED`).
    package var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    /// A constraint or a trigger refused the change.
    package var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }
    /// The file is not a SQLite database (`SQLITE_NOTADB`).
    package var isNotADatabase: Bool { code == SQLITE_NOTADB }
    /// The database file is corrupt (`SQLITE_CORRUPT`).
    package var isCorrupt: Bool { code == SQLITE_CORRUPT }
    /// The database file cannot be created or opened (`SQLITE_CANTOPEN`).
    package var isCannotOpen: Bool { code == SQLITE_CANTOPEN }
    /// The database cannot be written: read-only file or directory, or no permission.
    package var isNotWritable: Bool { code == SQLITE_READONLY || code == SQLITE_PERM }
    /// The disk is full: SQLite says so, or an I/O error comes from the system's "no space left" (a full disk
    /// often surfaces as a failed write or a -shm file that cannot grow).
    package var isDiskFull: Bool {
        code == SQLITE_FULL || (code == SQLITE_IOERR && (systemErrno == ENOSPC || systemErrno == EDQUOT))
    }
}
