import RunbookStore
import Testing

/// `SQLiteError` names the code, SQLite's message and the SQL, and never a bound value.
@Suite("SQLite errors")
struct SQLiteErrorTests {
    @Test func aConstraintErrorNamesTheSQLButNotTheBoundValues() throws {
        let connection = try Connection(path: ":memory:")
        try connection.execute("CREATE TABLE notes (text TEXT NOT NULL CHECK (length(text) < 5))")

        let error = #expect(throws: SQLiteError.self) {
            try connection.prepare("INSERT INTO notes (text) VALUES (?)").run("root password is hunter2")
        }

        #expect(error?.code == 19)
        #expect(error?.extendedCode == 275)
        #expect(error?.message == "CHECK constraint failed: length(text) < 5")
        #expect(error?.sql == "INSERT INTO notes (text) VALUES (?)")
        #expect(error?.description
                == "sqlite error 19/275: CHECK constraint failed: length(text) < 5 (while running `INSERT INTO notes (text) VALUES (?)`)")
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func aSyntaxErrorNamesTheStatementOnOneLine() throws {
        let connection = try Connection(path: ":memory:")

        let error = #expect(throws: SQLiteError.self) {
            try connection.prepare("""
                SELEC id,
                      title
                FROM incidents
                """)
        }

        #expect(error?.code == 1)
        #expect(error?.description == #"sqlite error 1: near "SELEC": syntax error (while running `SELEC id, title FROM incidents`)"#)
    }

    @Test func aScriptErrorNamesOnlyTheFailingStatement() throws {
        let connection = try Connection(path: ":memory:")

        let error = #expect(throws: SQLiteError.self) {
            try connection.execute("""
                CREATE TABLE a (x);
                INSERT INTO a VALUES (1);
                INSERT INTO missing VALUES (2);
                CREATE TABLE b (y);
                """)
        }

        #expect(error?.description == "sqlite error 1: no such table: missing (while running `INSERT INTO missing VALUES (2);`)")
        #expect(try connection.prepare("SELECT count(*) FROM a").first { $0.int64(0) } == 1)
        #expect(throws: SQLiteError.self) { try connection.prepare("SELECT * FROM b") }
    }

    @Test func namedFactoriesDescribeTheirCase() {
        #expect(SQLiteError.misuse("expected exactly one SQL statement", sql: "SELECT 1; SELECT 2").description
                == "sqlite error 21: expected exactly one SQL statement (while running `SELECT 1; SELECT 2`)")
        #expect(SQLiteError.cannotOpen("Permission denied").description == "sqlite error 14: Permission denied")
        #expect(SQLiteError.notADatabase().isNotADatabase)
        #expect(SQLiteError(code: 5, message: "database is locked").isBusy)
        #expect(SQLiteError(code: 2067, message: "UNIQUE constraint failed: t.x").isConstraintViolation)
    }

    @Test func preparingTwoStatementsAtOnceIsRefused() throws {
        let connection = try Connection(path: ":memory:")

        #expect(throws: SQLiteError.misuse("expected exactly one SQL statement", sql: "SELECT 1; SELECT 2")) {
            try connection.prepare("SELECT 1; SELECT 2")
        }
        #expect(throws: SQLiteError.misuse("expected exactly one SQL statement", sql: "SELECT 1; -- two\nSELECT 2")) {
            try connection.prepare("SELECT 1; -- two\nSELECT 2")
        }
        #expect(throws: SQLiteError.misuse("no SQL statement to prepare", sql: "  -- nothing\n")) {
            try connection.prepare("  -- nothing\n")
        }
        #expect(try connection.prepare("SELECT 1; -- a trailing comment\n").first { $0.int64(0) } == 1)
    }
}
