import Glibc
import RunbookCore
import RunbookStore
import Testing

/// What the SQLite store adds to the conformance suite: the file, its protections and its schema.
@Suite("SQLite event store")
struct SQLiteEventStoreTests {
    @Test func aDatabaseFromBeforeFrozenRostersGainsTheirTableAndKeepsItsIncidents() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let (id, records) = try SQLiteEventStore(path: path)
            .createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...2), projection: Fixture.projection())
        // As the first release left it: no frozen_texts table, no review facts, no scheduled runs, only the first migration applied.
        try RawSQLite(path: path).execute("""
            DROP TABLE frozen_texts; DROP INDEX incidents_opened_at;
            ALTER TABLE incidents DROP COLUMN acked_at; ALTER TABLE incidents DROP COLUMN resolved_at;
            ALTER TABLE incidents DROP COLUMN closed_at; ALTER TABLE incidents DROP COLUMN rto_ms;
            ALTER TABLE incidents DROP COLUMN break_glass; ALTER TABLE incidents DROP COLUMN counts;
            DROP TABLE scheduled_runs; DROP TABLE tokens;
            DELETE FROM schema_migrations WHERE id IN ('v2-frozen-texts', 'v3-review-facts', 'v4-scheduled-runs', 'v5-server-tokens')
            """)

        let store = try SQLiteEventStore(path: path)

        #expect(try RawSQLite(path: path).text("SELECT group_concat(id, ' ') FROM schema_migrations")
                == "v1-event-log v2-frozen-texts v3-review-facts v4-scheduled-runs v5-server-tokens")
        #expect(try store.events(of: id, after: 0) == records)
        let sha = try store.storeFrozenText("roster:\n  kim: [oncall]\n")
        #expect(try store.frozenText(sha256: sha) == "roster:\n  kim: [oncall]\n")
    }

    @Test func theEventsTableRefusesUpdateAndDelete() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let store = try SQLiteEventStore(path: path)
        let (id, records) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...3),
                                                     projection: Fixture.projection())
        let raw = try RawSQLite(path: path)

        for sql in ["UPDATE events SET data = '{}' WHERE sequence = 2", "UPDATE events SET sequence = sequence + 10",
                    "DELETE FROM events WHERE sequence = 3", "DELETE FROM events"] {
            let error = #expect(throws: RawSQLiteError.self, "\(sql)") { try raw.execute(sql) }
            #expect(error?.message == "events are append-only")
        }

        #expect(try store.events(of: id, after: 0) == records)
    }

    @Test func theRefusalIsAConstraintErrorNamingTheStatement() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let (id, _) = try SQLiteEventStore(path: path)
            .createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)], projection: Fixture.projection())
        let connection = try Connection(path: path)

        let error = #expect(throws: SQLiteError.self) {
            try connection.prepare("DELETE FROM events WHERE incident_id = ?").run(id)
        }
        #expect(error?.code == 19)
        #expect(error?.extendedCode == 1811)
        #expect(error?.description
                == "sqlite error 19/1811: events are append-only (while running `DELETE FROM events WHERE incident_id = ?`)")
    }

    @Test func aNewFileIsCreatedWithMode0600AndInWALMode() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let store = try SQLiteEventStore(path: path)
        _ = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)],
                                     projection: Fixture.projection())

        for name in ["incidents.db", "incidents.db-wal", "incidents.db-shm"] {
            var info = stat()
            #expect(stat(directory.path(name), &info) == 0, "\(name) exists")
            #expect(info.st_mode & 0o777 == 0o600, "mode of \(name)")
        }
        #expect(try RawSQLite(path: path).text("PRAGMA journal_mode") == "wal")
    }

    @Test func anExistingFileKeepsItsMode() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("shared.db")
        try directory.write([], to: "shared.db")
        #expect(chmod(path, 0o640) == 0)

        _ = try SQLiteEventStore(path: path)

        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o640)
    }

    @Test func aReopenedFileKeepsItsIncidentsAndCountsIdsOn() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let (id, records): (String, [EventRecord]) = try {
            let store = try SQLiteEventStore(path: path)
            return try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...2),
                                            projection: Fixture.projection(nextDueAt: Fixture.minutes(15)))
        }()

        let reopened = try SQLiteEventStore(path: path)

        #expect(try reopened.events(of: id, after: 0) == records)
        #expect(try reopened.runbook(of: id) == Fixture.runbook)
        #expect(try reopened.nextDueAt() == Fixture.minutes(15))
        let next = try reopened.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(3)],
                                               projection: Fixture.projection())
        #expect(next.id == "INC-0002")
        #expect(try RawSQLite(path: path).text("SELECT count(*) FROM runbooks") == "1")
    }

    @Test func idNumbersGrowPastFourDigits() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let store = try SQLiteEventStore(path: path)
        func open() throws -> String {
            try store.createIncident(idPrefix: "INC-20261126", runbook: Fixture.runbook, events: [Fixture.note(1)],
                                     projection: Fixture.projection()).id
        }
        #expect(try open() == "INC-20261126-0001")
        try RawSQLite(path: path).execute("UPDATE incident_counters SET last_number = 9998")

        #expect(try [open(), open(), open()] == ["INC-20261126-9999", "INC-20261126-10000", "INC-20261126-10001"])
    }

    @Test func dataVersionChangesWhenAnotherConnectionCommits() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let watcher = try SQLiteEventStore(path: path)
        let writer = try SQLiteEventStore(path: path)
        let initial = try watcher.dataVersion()

        let (id, _) = try writer.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)],
                                                projection: Fixture.projection())
        let afterCreate = try watcher.dataVersion()
        #expect(afterCreate != initial)
        #expect(try watcher.dataVersion() == afterCreate)

        _ = try watcher.append([Fixture.note(2)], to: id, expectedSequence: 1, projection: Fixture.projection())
        #expect(try watcher.dataVersion() == afterCreate, "its own commits do not count")

        _ = try writer.append([Fixture.note(3)], to: id, expectedSequence: 2, projection: Fixture.projection())
        #expect(try watcher.dataVersion() != afterCreate)
    }

    @Test func aMissingDirectoryIsAFailureSayingWhatToCheck() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("missing/incidents.db")

        #expect(throws: StoreError.failure(
            "cannot open \(path) (sqlite error 14: No such file or directory); "
                + "check that its directory exists and that you may write there")) {
            try SQLiteEventStore(path: path)
        }
    }
}
