/// Brings a database's schema up to date, one registered migration at a time (GRDB's `DatabaseMigrator`).
///
/// Migrations are registered by id and applied in registration order, each in its own `BEGIN IMMEDIATE`
/// transaction together with its row in `schema_migrations`. Once shipped, a migration is never edited:
/// change the schema by registering a new one.
package struct Migrator: Sendable {
    /// One registered schema change.
    package struct Migration: Sendable {
        package let id: String
        let migrate: @Sendable (Connection) throws -> Void
    }

    /// The registered migrations, in order.
    package private(set) var migrations: [Migration] = []

    package init() {}

    /// Registers a migration that runs `migrate`.
    package mutating func registerMigration(_ id: String, migrate: @escaping @Sendable (Connection) throws -> Void) {
        precondition(!migrations.contains { $0.id == id }, "migration \(id) is registered twice")
        migrations.append(Migration(id: id, migrate: migrate))
    }

    /// Registers a migration that runs the raw SQL script `sql`.
    package mutating func registerMigration(_ id: String, sql: String) {
        registerMigration(id) { connection in try connection.execute(sql) }
    }

    /// The ids of the migrations applied to the database, in the order applied; nil when the database has
    /// no `schema_migrations` table (it is new, or it was not made by a migrator).
    package func appliedIdentifiers(_ connection: Connection) throws -> [String]? {
        let exists = try connection.prepare(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).first { _ in true } ?? false
        guard exists else { return nil }
        return try connection.prepare("SELECT id FROM schema_migrations ORDER BY rowid").rows { $0.text(0) }
    }

    /// Applies every registered migration the database does not have yet.
    ///
    /// Safe when several processes open a new database at once: each migration is checked again under
    /// the write lock, so it runs exactly once.
    package func migrate(_ connection: Connection) throws {
        let applied = Set(try appliedIdentifiers(connection) ?? [])
        for migration in migrations where !applied.contains(migration.id) {
            try connection.transaction(immediate: true) {
                try connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY NOT NULL)")
                let done = try connection.prepare("SELECT 1 FROM schema_migrations WHERE id = ?")
                    .first(migration.id) { _ in true } ?? false
                guard !done else { return }
                try migration.migrate(connection)
                try connection.prepare("INSERT INTO schema_migrations (id) VALUES (?)").run(migration.id)
            }
        }
    }
}
