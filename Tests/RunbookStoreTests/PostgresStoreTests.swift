import Foundation
import RunbookCore
@testable import RunbookPostgres
import RunbookTestSupport
import Synchronization
import Testing

/// What only the PostgreSQL store has to show: its guards in the database, its refusals of a wrong database, and its
/// messages (the conformance suite runs it through everything the SQLite store guarantees).
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    /// A raw connection to the same schema, as a database administrator would have.
    static func raw(_ url: String) throws -> PGConnection {
        try PGConnection(url: url, displayURL: "test")
    }

    static func openedIncident() throws -> (store: PostgresEventStore, url: String, id: String) {
        let url = try TestPostgres.freshURL()
        let store = try PostgresEventStore(url: url)
        let id = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...5),
                                          projection: Fixture.projection()).id
        return (store, url, id)
    }

    @Test(arguments: [
        "UPDATE events SET data = '{}' WHERE sequence = 3",
        "DELETE FROM events WHERE sequence = 5",
        "TRUNCATE events CASCADE",
    ])
    func theDatabaseRefusesToChangeOrDeleteEvents(sql: String) throws {
        let (store, url, id) = try Self.openedIncident()
        let raw = try Self.raw(url)
        #expect(throws: PGError.self) { try raw.execute(sql) }
        #expect(try store.events(of: id, after: 0).count == 5)
        #expect(try store.integrityFacts(wholeStore: true).missingGuards.isEmpty)
    }

    /// An administrator who disables a guard, or swaps its function for one that lets changes through, is seen by
    /// verification, whatever the chain says.
    @Test(arguments: [
        ("ALTER TABLE events DISABLE TRIGGER events_refuse_update", ["events_refuse_update"]),
        ("ALTER TABLE events ENABLE REPLICA TRIGGER events_refuse_update", ["events_refuse_update"]),
        ("DROP TRIGGER events_refuse_delete ON events", ["events_refuse_delete"]),
        ("""
         DROP TRIGGER events_refuse_delete ON events;
         CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events FOR EACH ROW WHEN (false) EXECUTE FUNCTION events_refuse_change();
         """, ["events_refuse_delete"]),
        ("""
         DROP TRIGGER events_refuse_update ON events;
         CREATE TRIGGER events_refuse_update BEFORE UPDATE OF type ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
         """, ["events_refuse_update"]),
        ("""
         DROP TRIGGER events_refuse_update ON events;
         CREATE TRIGGER events_refuse_update BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
         """, ["events_refuse_update"]),
        ("CREATE RULE swallow AS ON UPDATE TO events DO INSTEAD NOTHING", [PostgresSchema.noRulesGuard]),
        ("""
         CREATE OR REPLACE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RETURN NEW; /* RAISE EXCEPTION 'events are append-only'; */ END; $$
         """, PostgresSchema.appendOnlyGuards),
    ])
    func aDisabledOrHollowGuardIsReported(sql: String, missing: [String]) throws {
        let (store, url, _) = try Self.openedIncident()
        try Self.raw(url).execute(sql)
        #expect(try store.integrityFacts(wholeStore: false).missingGuards == missing)
    }

    @Test func editsBehindTheGuardsBackBreakTheChainAndAlteredTextsAreNamed() throws {
        let (store, url, id) = try Self.openedIncident()
        let frozen = try store.storeFrozenText("people: [kim]")
        try Self.raw(url).execute("""
            ALTER TABLE events DISABLE TRIGGER events_refuse_update;
            UPDATE events SET data = '{"text":"all fine"}' WHERE sequence = 3;
            UPDATE frozen_texts SET text = 'people: [mallory]';
            """)
        #expect(EventChain.verify(try store.events(of: id, after: 0)) == .broken(sequence: 3, reason: "event 3 was altered after it was recorded"))
        let facts = try store.integrityFacts(wholeStore: true)
        #expect(facts.alteredTexts == [frozen])
        #expect(facts.missingGuards == ["events_refuse_update"])
    }

    @Test func aCutTailIsNumberedAfterWhatTheRowCounted() throws {
        let (store, url, id) = try Self.openedIncident()
        try Self.raw(url).execute("""
            ALTER TABLE events DISABLE TRIGGER events_refuse_delete;
            DELETE FROM events WHERE sequence > 3;
            ALTER TABLE events ENABLE TRIGGER events_refuse_delete;
            """)
        let records = try store.append([Fixture.note(6)], to: id, expectedSequence: 3, projection: Fixture.projection())
        #expect(records.map(\.sequence) == [6])
        #expect(try store.incident(id)?.lastSequence == 6)
    }

    @Test func readOnlyOpeningsRefuseADatabaseWithoutTheLogAndCreateNothing() throws {
        let url = try TestPostgres.freshURL()
        #expect(throws: StoreError.failure(Message.server(.postgresNoSchema(url: PostgresLocation.display(url))).text())) {
            _ = try PostgresEventStore(url: url, readOnly: true)
        }
        // The schema named by the URL was not created either.
        let base = try PGConnection(url: try TestPostgres.baseURL(), displayURL: "test")
        let schema = String(url.split(separator: "%3D").last ?? "")
        #expect(try base.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]).count == 0)
        _ = try PostgresEventStore(url: url)
        #expect(try base.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]).count == 1)
        #expect(try PostgresEventStore(url: url, readOnly: true).missingMigrations().isEmpty)
    }

    @Test func aDatabaseMigratedByANewerVersionIsRefused() throws {
        let url = try TestPostgres.freshURL()
        _ = try PostgresEventStore(url: url)
        try Self.raw(url).execute("INSERT INTO schema_migrations VALUES ('pg9-from-the-future', 0)")
        #expect(throws: StoreError.damaged(Message.databaseNewer(path: PostgresLocation.display(url), migration: "pg9-from-the-future").text())) {
            _ = try PostgresEventStore(url: url)
        }
    }

    /// A server that stops answering on an open connection (frozen, or its host cut off without the connection closing):
    /// the statement is abandoned after the answer timeout instead of hanging the request, and the next one, a write in
    /// a transaction too, connects again. The server's process is stopped with SIGSTOP; the harness gives it back after
    /// 20 s whatever happens, so a regression fails instead of hanging the suite.
    @Test func aStatementTheServerNeverAnswersIsAbandonedAndTheNextConnectsAgain() throws {
        let url = try TestPostgres.freshURL()
        _ = try PostgresEventStore(url: url)
        // One thread at a time uses it: the body's thread while the test waits for it.
        nonisolated(unsafe) let connection = try PGConnection(url: url, displayURL: "test", answerTimeout: 1)
        let backend = { () throws -> pid_t in pid_t(try connection.query("SELECT pg_backend_pid()").int64(0, 0)) }

        // Frozen before a statement outside a transaction.
        let first = try backend()
        try #require(kill(first, SIGSTOP) == 0, "the test stops the server's process: it runs as root, as make test does")
        let plain = Self.unanswered(backend: first) { () throws(PGError) in _ = try connection.query("SELECT count(*) FROM events") }
        #expect(plain?.sqlState == nil, "a lost server is a connection failure (unavailable), not a refused statement")
        #expect(plain?.message == "no answer from the server in 1 s; the connection was closed")
        // The next statement is a write: it connects again, to a new server process.
        _ = try connection.transaction { try connection.query("CREATE TABLE written_after (n int)") }
        let second = try backend()
        #expect(second != first)

        // Frozen inside a transaction: the transaction fails and is not carried on outside it on a new connection.
        let inTransaction = Self.unanswered(backend: second) { () throws(PGError) in
            do {
                _ = try connection.transaction {
                    try connection.query("INSERT INTO written_after VALUES (1)")
                    kill(second, SIGSTOP)
                    try connection.query("INSERT INTO written_after VALUES (2)")
                }
            } catch let error as PGError {
                throw error
            } catch {
                Issue.record("not a PGError: \(error)")
            }
        }
        #expect(inTransaction?.message == "no answer from the server in 1 s; the connection was closed")
        #expect(try connection.query("SELECT count(*) FROM written_after").text(0, 0) == "0")
        #expect(try backend() != second)
    }

    /// Runs `body` on a thread of its own (it stops the server process `backend`, or the caller did) and returns the
    /// error it ended with; after 20 s the process is given back, so the body returns, and the wait is a failure.
    static func unanswered(backend: pid_t, _ body: @escaping @Sendable () throws(PGError) -> Void) -> PGError? {
        let outcome = Mutex<PGError?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do throws(PGError) {
                try body()
                Issue.record("a stopped server answered")
            } catch {
                outcome.withLock { $0 = error }
            }
            finished.signal()
        }
        let inTime = finished.wait(timeout: .now() + 20) == .success
        kill(backend, SIGCONT)
        if !inTime { finished.wait() }
        #expect(inTime, "the statement waited on a stopped server for 20 s")
        return outcome.withLock { $0 }
    }

    @Test func anUnreachableServerIsOneLineWithoutThePassword() throws {
        let url = "postgresql://ops:s3cret@/runbook?host=/nonexistent-socket-dir&port=5999&connect_timeout=2"
        let error = #expect(throws: StoreError.self) { _ = try PostgresEventStore(url: url) }
        let message: String? = if case .unavailable(let text)? = error { text } else { nil }
        #expect(message?.hasPrefix("cannot connect to PostgreSQL at postgresql://ops@/runbook: ") == true)
        #expect(message?.contains("s3cret") == false)
        #expect(message?.contains("\n") == false)
    }

    @Test(arguments: [
        ("postgres://ops:secret@db.example:5432/runbook?sslmode=require", "postgres://ops@db.example:5432/runbook"),
        ("postgresql://db.example/runbook", "postgresql://db.example/runbook"),
        ("postgresql://ops@/runbook?host=/run/postgresql", "postgresql://ops@/runbook"),
        ("postgres://o%40ps:p@ss@db/x", "postgres://o%40ps@db/x"),
        ("postgresql://pw:Ab?cdSecret@/postgres?host=/tmp/x", "postgresql://pw@/postgres"),
        ("postgresql://pw:Sec/ret2@db/x", "postgresql://pw@db/x"),
    ])
    func urlsAreShownWithoutTheirPassword(url: String, shown: String) {
        #expect(PostgresLocation.display(url) == shown)
    }

    /// libpq's own messages may quote the URL or the password: neither reaches the user.
    @Test(arguments: ["postgresql://pw:Sec%zzret3@/runbook?host=/nonexistent", "postgresql://pw:Secret7@[::1",
                      "postgresql://pw:Secret7@[::1]x/db"])
    func aBrokenURLsMessageNeverShowsItsPassword(url: String) throws {
        let error = #expect(throws: StoreError.self) { _ = try PostgresEventStore(url: url) }
        let message: String = if case .unavailable(let text)? = error { text } else { "" }
        #expect(message.hasPrefix("cannot connect to PostgreSQL at postgresql://pw@"), "\(message)")
        #expect(!message.contains("Sec%zzret3") && !message.contains("Secret7") && !message.contains("Sec%zz"), "\(message)")
    }

    @Test(arguments: [("runbook", "runbook"), ("Upper, public", "upper"), (#""Mixed Case""#, "Mixed Case"),
                      (#""$user", public"#, nil), (#""a,b""#, nil), (#""we""ird""#, nil), ("", nil)] as [(String, String?)])
    func theSchemaToCreateIsReadAsPostgreSQLReadsTheSearchPath(path: String, schema: String?) {
        #expect(PostgresEventStore.firstSchema(path) == schema)
    }

    /// A schema name too long for `runbook.` + name as a channel still writes, and its changes are still heard.
    @Test func aLongSchemaNameStillAnnouncesItsChanges() throws {
        let base = try TestPostgres.baseURL()
        let url = base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + "s" + String(repeating: "x", count: 58)
        let reader = try PostgresEventStore(url: url)
        let before = try reader.dataVersion()
        let writer = try PostgresEventStore(url: url)
        _ = try writer.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)], projection: Fixture.projection())
        var after = before
        for _ in 0..<50 where after == before {
            after = try reader.dataVersion()
            usleep(20_000)
        }
        #expect(after != before, "the write was announced on the schema's channel")
    }

    @Test func aValueWithNULIsRefusedNotCut() throws {
        let store = try PostgresEventStore(url: try TestPostgres.freshURL())
        #expect(throws: StoreError.self) { try store.storeFrozenText("a\u{0}b") }
    }

    @Test func twoServersStartingAtOnceMigrateOnce() async throws {
        let url = try TestPostgres.freshURL()
        let openers = (0..<8).map { _ in Task.detached { _ = try PostgresEventStore(url: url) } }
        for opener in openers { try await opener.value }
        #expect(try PostgresEventStore(url: url).missingMigrations().isEmpty)
        #expect(try Self.raw(url).query("SELECT count(*) FROM schema_migrations").int64(0, 0) == Int64(PostgresSchema.migrations.count))
    }
}
