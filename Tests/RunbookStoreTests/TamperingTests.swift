import RunbookCore
import RunbookStore
import Testing

/// Edits made behind the triggers' back are caught by the hash chain of the records read back.
@Suite("Tampering detection")
struct TamperingTests {
    struct Tampering: Sendable, CustomTestStringConvertible {
        var testDescription: String
        /// SQL run on a raw connection after the triggers are dropped; `?ID` stands for the incident id.
        var sql: String
        var expected: ChainVerification
    }

    static let cases = [
        Tampering(testDescription: "edit one event's data",
                  sql: #"UPDATE events SET data = '{"text":"all fine"}' WHERE incident_id = ?ID AND sequence = 3"#,
                  expected: .broken(sequence: 3, reason: "event 3 was altered after it was recorded")),
        Tampering(testDescription: "back-date one event",
                  sql: "UPDATE events SET recorded_at = recorded_at - 60000 WHERE incident_id = ?ID AND sequence = 4",
                  expected: .broken(sequence: 4, reason: "event 4 was altered after it was recorded")),
        Tampering(testDescription: "delete one event",
                  sql: "DELETE FROM events WHERE incident_id = ?ID AND sequence = 3",
                  expected: .broken(sequence: 3, reason: "event 3 is missing (the next stored event is 4)")),
        Tampering(testDescription: "swap two events' sequences",
                  sql: """
                      UPDATE events SET sequence = 1000 WHERE incident_id = ?ID AND sequence = 2;
                      UPDATE events SET sequence = 2 WHERE incident_id = ?ID AND sequence = 4;
                      UPDATE events SET sequence = 4 WHERE incident_id = ?ID AND sequence = 1000;
                      """,
                  expected: .broken(sequence: 2, reason: "event 2 does not link to the event before it")),
    ]

    @Test(arguments: cases)
    func tamperingIsDetectedAtTheFirstBadEvent(tampering: Tampering) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let store = try SQLiteEventStore(path: path)
        let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...5),
                                               projection: Fixture.projection())
        #expect(EventChain.verify(try store.events(of: id, after: 0)) == .intact(count: 5))

        let raw = try RawSQLite(path: path)
        try raw.execute("""
            DROP TRIGGER events_refuse_update;
            DROP TRIGGER events_refuse_delete;
            \(tampering.sql.replacing("?ID", with: "'\(id)'"))
            """)

        #expect(EventChain.verify(try store.events(of: id, after: 0)) == tampering.expected)
    }

    /// A cut tail leaves a chain that verifies on its own; the incident's projection still counts the lost events.
    @Test func aDeletedTailIsVisibleOnlyAgainstTheProjection() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let store = try SQLiteEventStore(path: path)
        let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...5),
                                               projection: Fixture.projection())

        try RawSQLite(path: path).execute("""
            DROP TRIGGER events_refuse_delete;
            DELETE FROM events WHERE incident_id = '\(id)' AND sequence > 3;
            """)

        let records = try store.events(of: id, after: 0)
        #expect(EventChain.verify(records) == .intact(count: 3))
        #expect(try store.incident(id)?.lastSequence == 5)
    }
}
