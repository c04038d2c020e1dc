internal import CSQLite

/// A prepared SQLite statement, finalized when the last reference goes away.
///
/// Bind parameters by 1-based index, step, read the current row, reset. The helpers `run`, `rows` and
/// `first` do all of that in one call and always leave the statement reset, so it holds no read
/// transaction open between calls.
package final class Statement {
    let handle: OpaquePointer
    private let database: OpaquePointer
    /// The statement's SQL as written.
    package let sql: String

    /// Compiles `sql`, which must hold exactly one statement.
    init(database: OpaquePointer, sql: String, persistent: Bool) throws {
        var prepared: OpaquePointer?
        var holdsMore = false
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(database, text, -1, flags, &prepared, &tail)
            holdsMore = code == SQLITE_OK && tail.map { Statement.holdsStatement($0, database: database) } ?? false
            return code
        }
        guard code == SQLITE_OK else {
            throw SQLiteError(database: database, resultCode: code, sql: sql)
        }
        guard let prepared else {
            throw SQLiteError.misuse("no SQL statement to prepare", sql: sql)
        }
        guard !holdsMore else {
            // SQLite would silently ignore everything after the first statement.
            sqlite3_finalize(prepared)
            throw SQLiteError.misuse("expected exactly one SQL statement", sql: sql)
        }
        self.handle = prepared
        self.database = database
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Whether `text` holds SQL beyond whitespace and comments.
    private static func holdsStatement(_ text: UnsafePointer<CChar>, database: OpaquePointer) -> Bool {
        var cursor = text
        while cursor.pointee == 0x20 || cursor.pointee == 0x0A || cursor.pointee == 0x09 || cursor.pointee == 0x0D {
            cursor += 1
        }
        guard cursor.pointee != 0 else { return false }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(database, cursor, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        return code != SQLITE_OK || statement != nil
    }

    // MARK: Binding

    /// Binds an integer to parameter `index` (1-based).
    package func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds a real number to parameter `index` (1-based).
    package func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds UTF-8 text to parameter `index` (1-based); SQLite copies it.
    package func bind(_ value: String, at index: Int32) throws {
        var text = value
        let code = text.withUTF8 { buffer in
            // A nil pointer would bind NULL: an empty string needs a real (empty) buffer.
            guard let base = buffer.baseAddress else {
                return sqlite3_bind_text(handle, index, "", 0, runbook_sqlite_transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                sqlite3_bind_text64(handle, index, pointer, sqlite3_uint64(buffer.count), runbook_sqlite_transient,
                                    UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    /// Binds a blob to parameter `index` (1-based); SQLite copies it.
    package func bind(blob value: [UInt8], at index: Int32) throws {
        let code = value.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else {
                return sqlite3_bind_zeroblob(handle, index, 0)
            }
            return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(buffer.count), runbook_sqlite_transient)
        }
        try check(code)
    }

    /// Binds NULL to parameter `index` (1-based).
    package func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds `values` to parameters 1, 2, 3, … in order.
    package func bind<each Value: SQLBindable>(_ values: repeat each Value) throws {
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            try value.bind(to: self, at: index)
        }
    }

    /// The number of parameters the statement takes.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    // MARK: Stepping

    /// Advances to the next row: true when there is one, false when the statement is done.
    package func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(database: database, resultCode: code, sql: sql)
        }
    }

    /// The current row; valid until the next `step` or `reset`.
    package var row: Row { Row(handle: handle) }

    /// Rewinds the statement and clears its bindings.
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Running

    /// Binds `values`, runs the statement to completion and resets it.
    package func run<each Value: SQLBindable>(_ values: repeat each Value) throws {
        defer { reset() }
        try bind(repeat each values)
        while try step() {}
    }

    /// Binds `values` and returns every row converted by `transform`, then resets the statement.
    package func rows<T, each Value: SQLBindable>(_ values: repeat each Value,
                                                  as transform: (Row) throws -> T) throws -> [T] {
        defer { reset() }
        try bind(repeat each values)
        var result: [T] = []
        while try step() {
            result.append(try transform(Row(handle: handle)))
        }
        return result
    }

    /// Binds `values` and returns the first row converted by `transform`, or nil; then resets the statement.
    ///
    /// The statement still runs to completion, so a write with `RETURNING` is fully applied.
    package func first<T, each Value: SQLBindable>(_ values: repeat each Value,
                                                   as transform: (Row) throws -> T) throws -> T? {
        defer { reset() }
        try bind(repeat each values)
        guard try step() else { return nil }
        let result = try transform(Row(handle: handle))
        while try step() {}
        return result
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw SQLiteError(database: database, resultCode: code, sql: sql)
        }
    }
}

/// The current row of a statement, read by 0-based column index.
///
/// Valid only until its statement steps again or resets: read what you need inside the closure that
/// receives it.
package struct Row {
    fileprivate let handle: OpaquePointer

    /// The number of columns.
    package var count: Int { Int(sqlite3_column_count(handle)) }

    /// Whether column `index` is NULL.
    package func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// Column `index` as an integer (0 for NULL).
    package func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` as an integer, or nil for NULL.
    package func optionalInt64(_ index: Int32) -> Int64? {
        isNull(index) ? nil : sqlite3_column_int64(handle, index)
    }

    /// Column `index` as a real number (0 for NULL).
    package func double(_ index: Int32) -> Double {
        sqlite3_column_double(handle, index)
    }

    /// Column `index` as UTF-8 text ("" for NULL).
    package func text(_ index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Column `index` as text, or nil for NULL.
    package func optionalText(_ index: Int32) -> String? {
        isNull(index) ? nil : text(index)
    }

    /// Column `index` as bytes (empty for NULL).
    package func blob(_ index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Column `index` with its stored type.
    package func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: .integer(int64(index))
        case SQLITE_FLOAT: .real(double(index))
        case SQLITE_TEXT: .text(text(index))
        case SQLITE_BLOB: .blob(blob(index))
        default: .null
        }
    }
}
