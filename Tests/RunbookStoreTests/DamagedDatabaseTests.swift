import RunbookCore
import RunbookStore
import Testing

/// A file that is not a runbook database is refused with one clear line and left exactly as it was.
@Suite("Damaged and foreign database files")
struct DamagedDatabaseTests {
    /// Files that are not SQLite databases at all.
    static let garbage: [(name: String, bytes: [UInt8])] = [
        ("text", Array("incident notes, not a database\n".utf8)),
        ("binary", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }),
        ("sqlite header then garbage", Array("SQLite format 3\0".utf8) + [UInt8](repeating: 0xA5, count: 4080)),
    ]

    @Test(arguments: garbage.map(\.name))
    func aFileThatIsNotADatabaseIsDamagedAndUntouched(name: String) throws {
        let bytes = try #require(Self.garbage.first { $0.name == name }?.bytes)
        let directory = try TemporaryDirectory()
        try directory.write(bytes, to: "incidents.db")
        let path = directory.path("incidents.db")

        #expect(throws: StoreError.damaged(
            "\(path) is not a runbook database (file is not a database); restore it from a backup or point --db at another file"
        )) {
            try SQLiteEventStore(path: path)
        }

        #expect(try directory.bytes("incidents.db") == bytes)
        #expect(try directory.fileNames() == ["incidents.db"])
    }

    @Test func anotherProgramsSQLiteDatabaseIsDamagedAndUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        try {
            let raw = try RawSQLite(path: path)
            try raw.execute("""
                CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);
                INSERT INTO accounts (name) VALUES ('kim'), ('lee');
                """)
        }()
        let bytes = try directory.bytes("incidents.db")

        #expect(throws: StoreError.damaged(
            "\(path) is not a runbook database (it is a SQLite database of another program); point --db at another file"
        )) {
            try SQLiteEventStore(path: path)
        }

        #expect(try directory.bytes("incidents.db") == bytes)
        #expect(try directory.fileNames() == ["incidents.db"])
    }

    @Test func anotherProgramsWALIsNotCheckpointedIntoItsDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.db")
        try {
            // The other program stopped without checkpointing: its last commits live only in other.db-wal.
            let owner = try RawSQLite(path: path, checkpointOnClose: false)
            try owner.execute("""
                PRAGMA journal_mode = WAL;
                CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
                INSERT INTO settings VALUES ('theme', 'dark');
                """)
        }()
        let database = try directory.bytes("other.db")
        let log = try directory.bytes("other.db-wal")
        #expect(!log.isEmpty)

        #expect(throws: StoreError.damaged(
            "\(path) is not a runbook database (it is a SQLite database of another program); point --db at another file"
        )) {
            try SQLiteEventStore(path: path)
        }

        #expect(try directory.bytes("other.db") == database)
        #expect(try directory.bytes("other.db-wal") == log)
    }

    @Test func aDatabaseFromANewerRunbookIsRefusedAndUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        _ = try SQLiteEventStore(path: path)
        try RawSQLite(path: path).execute("INSERT INTO schema_migrations (id) VALUES ('v9-teams')")
        let bytes = try directory.bytes("incidents.db")

        #expect(throws: StoreError.damaged(
            "\(path) was written by a newer version of runbook (unknown schema migration \"v9-teams\"); "
                + "upgrade runbook or point --db at another file"
        )) {
            try SQLiteEventStore(path: path)
        }

        #expect(try directory.bytes("incidents.db") == bytes)
    }

    @Test func anEmptyFileBecomesARunbookDatabase() throws {
        let directory = try TemporaryDirectory()
        try directory.write([], to: "incidents.db")

        let store = try SQLiteEventStore(path: directory.path("incidents.db"))

        #expect(try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)],
                                         projection: Fixture.projection()).id == "INC-0001")
    }

    @Test func aCorruptPageIsReportedAsDamagedWhenRead() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let id: String = try {
            let store = try SQLiteEventStore(path: path)
            let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(0)],
                                                   projection: Fixture.projection())
            // Enough events for the table to span many pages.
            _ = try store.append(Fixture.notes(1...2000), to: id, expectedSequence: 1, projection: Fixture.projection())
            return id
        }()
        // The store is closed and its WAL checkpointed: overwrite everything after the schema pages.
        var bytes = try directory.bytes("incidents.db")
        let pageSize = 4096
        #expect(bytes.count > 20 * pageSize)
        for index in (8 * pageSize)..<bytes.count {
            bytes[index] = 0xA5
        }
        try directory.write(bytes, to: "incidents.db")

        let store = try SQLiteEventStore(path: path)

        #expect(throws: StoreError.damaged(
            "\(path) is damaged (database disk image is malformed); restore it from a backup or point --db at another file"
        )) {
            try store.events(of: id, after: 0)
        }
    }
}
