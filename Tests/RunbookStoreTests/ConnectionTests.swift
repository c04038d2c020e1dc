import RunbookStore
import Testing

/// The SQLite wrapper: binding and reading values, statement cache, transactions, data version.
@Suite("Connection and statements")
struct ConnectionTests {
    @Test func valuesOfEveryTypeRoundTrip() throws {
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let insert = try connection.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")

        try insert.run(Int64.min, 2.5, "복구 ✅ \u{0}after nul", [0, 1, 255] as [UInt8], Int64?.none)
        try insert.run(42, -0.0, "", [] as [UInt8], true)
        try insert.run(SQLValue.integer(7), SQLValue.real(1e300), SQLValue.text("x"), SQLValue.blob([9]), SQLValue.null)

        let rows = try connection.prepare("SELECT i, r, s, b, n FROM t ORDER BY rowid").rows { row in
            (0..<Int32(row.count)).map { row.value($0) }
        }
        #expect(rows == [
            [.integer(Int64.min), .real(2.5), .text("복구 ✅ \u{0}after nul"), .blob([0, 1, 255]), .null],
            [.integer(42), .real(-0.0), .text(""), .blob([]), .integer(1)],
            [.integer(7), .real(1e300), .text("x"), .blob([9]), .null],
        ])
        #expect(try connection.prepare("SELECT s IS NULL, b IS NULL FROM t WHERE i = 42").first { [$0.int64(0), $0.int64(1)] }
                == [0, 0], "an empty string binds as text and an empty blob as a blob, not as NULL")
    }

    @Test func typedReadersConvertNullToTheirDefaults() throws {
        let connection = try Connection(path: ":memory:")
        let row = try connection.prepare("SELECT NULL, NULL, NULL, 3").first { row in
            (row.text(0), row.optionalText(1), row.optionalInt64(2), row.optionalInt64(3), row.isNull(0))
        }
        #expect(row?.0 == "")
        #expect(row?.1 == nil)
        #expect(row?.2 == nil)
        #expect(row?.3 == 3)
        #expect(row?.4 == true)
    }

    @Test func preparedStatementsAreCachedBySQLAndComeBackReset() throws {
        let connection = try Connection(path: ":memory:")
        let first = try connection.prepare("SELECT ?")
        try first.bind(Int64(5), at: 1)
        #expect(try first.step())

        let again = try connection.prepare("SELECT ?")

        #expect(again === first)
        #expect(try again.first { $0.isNull(0) } == true, "bindings are cleared")
        #expect(try connection.makeStatement("SELECT ?") !== first)
    }

    @Test func aTransactionCommitsOrRollsBackAsAWhole() throws {
        struct Abort: Error {}
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER)")

        try connection.transaction {
            try connection.prepare("INSERT INTO t VALUES (?)").run(1)
            #expect(connection.isInTransaction)
        }
        #expect(throws: Abort.self) {
            try connection.transaction {
                try connection.prepare("INSERT INTO t VALUES (?)").run(2)
                #expect(connection.changes == 1)
                throw Abort()
            }
        }

        #expect(!connection.isInTransaction)
        #expect(try connection.prepare("SELECT x FROM t").rows { $0.int64(0) } == [1])
        #expect(connection.lastInsertRowID == 2, "the rolled-back insert was the last one")
    }

    @Test func aFailedStatementInsideATransactionRollsItBack() throws {
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER UNIQUE)")

        #expect(throws: SQLiteError.self) {
            try connection.transaction {
                try connection.prepare("INSERT INTO t VALUES (?)").run(1)
                try connection.prepare("INSERT INTO t VALUES (?)").run(1)
            }
        }

        #expect(!connection.isInTransaction)
        #expect(try connection.prepare("SELECT count(*) FROM t").first { $0.int64(0) } == 0)
    }

    @Test func dataVersionMovesOnlyForOtherConnectionsCommits() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("version.db")
        let reader = try Connection(path: path)
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t (x INTEGER)")
        let before = try reader.dataVersion()

        try reader.execute("INSERT INTO t VALUES (1)")
        #expect(try reader.dataVersion() == before)

        try writer.execute("INSERT INTO t VALUES (2)")
        #expect(try reader.dataVersion() != before)
    }
}
