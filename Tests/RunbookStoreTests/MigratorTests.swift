import RunbookStore
import Synchronization
import Testing

/// Migrations run once each, in order, each in its own transaction, recorded in `schema_migrations`.
@Suite("Migrator")
struct MigratorTests {
    @Test func migrationsRunOnceInRegistrationOrder() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("app.db")
        let runs = Mutex<[String]>([])
        var migrator = Migrator()
        migrator.registerMigration("v1-accounts") { connection in
            runs.withLock { $0.append("v1-accounts") }
            try connection.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)")
        }
        migrator.registerMigration("v2-emails", sql: "ALTER TABLE accounts ADD COLUMN email TEXT")

        let connection = try Connection(path: path)
        #expect(try migrator.appliedIdentifiers(connection) == nil)
        try migrator.migrate(connection)
        try migrator.migrate(connection)
        try migrator.migrate(try Connection(path: path))

        #expect(runs.withLock { $0 } == ["v1-accounts"])
        #expect(try migrator.appliedIdentifiers(connection) == ["v1-accounts", "v2-emails"])
        try connection.prepare("INSERT INTO accounts (name, email) VALUES (?, ?)").run("kim", "kim@example.com")
    }

    @Test func aLaterMigrationAppliesOnlyItself() throws {
        let connection = try Connection(path: ":memory:")
        var migrator = Migrator()
        migrator.registerMigration("v1", sql: "CREATE TABLE a (x)")
        try migrator.migrate(connection)

        migrator.registerMigration("v2", sql: "CREATE TABLE b (y)")
        try migrator.migrate(connection)

        #expect(try migrator.appliedIdentifiers(connection) == ["v1", "v2"])
        #expect(try connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows { $0.text(0) }
                == ["a", "b", "schema_migrations"])
    }

    @Test func aFailingMigrationLeavesNoTraceAndStopsTheOnesAfterIt() throws {
        let connection = try Connection(path: ":memory:")
        var migrator = Migrator()
        migrator.registerMigration("v1", sql: "CREATE TABLE a (x)")
        migrator.registerMigration("v2", sql: "CREATE TABLE b (y); INSERT INTO nowhere VALUES (1)")
        migrator.registerMigration("v3", sql: "CREATE TABLE c (z)")

        #expect(throws: SQLiteError.self) { try migrator.migrate(connection) }

        #expect(try migrator.appliedIdentifiers(connection) == ["v1"])
        #expect(try connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows { $0.text(0) }
                == ["a", "schema_migrations"])
    }
}
