import RunbookCore
import RunbookStore
import Testing

/// Two writers on one database, as two terminals (or two servers on PostgreSQL) working one incident: every event
/// lands, in one chain.
@Suite("Concurrent appends")
struct ConcurrentAppendTests {
    @Test(arguments: SharedDatabase.kinds)
    func twoStoresAppendingToOneIncidentLoseNothing(kind: StoreKind) async throws {
        let database = try SharedDatabase(kind)
        let location = database.location
        let id = try database.open()
            .createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(0)],
                            projection: Fixture.projection())
            .id

        // Each writer owns its store on its own thread, like a separate process.
        let writers = ["kim", "lee"].map { actor in
            Task.detached {
                try Self.appendWithRetries(kind, location, incidentID: id, actor: actor, count: 500)
            }
        }
        for writer in writers {
            _ = try await writer.value
        }

        let store = try database.open()
        let records = try store.events(of: id, after: 0)
        #expect(records.count == 1001)
        #expect(records.map(\.sequence) == Array(1...1001))
        #expect(EventChain.verify(records) == .intact(count: 1001))
        #expect(records.filter { $0.actor == "kim" }.count == 501)
        #expect(records.filter { $0.actor == "lee" }.count == 500)
        #expect(try store.incident(id)?.lastSequence == 1001)
    }

    /// Appends `count` events one at a time: read the last sequence, decide, append; on a conflict read again.
    ///
    /// Returns the number of conflicts met.
    private static func appendWithRetries(_ kind: StoreKind, _ location: String, incidentID: String, actor: String,
                                          count: Int) throws -> Int {
        let store = try SharedDatabase.open(kind, location)
        var conflicts = 0
        var appended = 0
        while appended < count {
            guard let seen = try store.incident(incidentID)?.lastSequence else {
                throw StoreError.unknownIncident(incidentID)
            }
            do {
                _ = try store.append([Fixture.note(appended + 1, actor: actor)], to: incidentID, expectedSequence: seen,
                                     projection: Fixture.projection())
                appended += 1
            } catch StoreError.conflict(_, let expected, let actual) {
                #expect(expected == seen)
                #expect(actual > seen)
                conflicts += 1
            }
        }
        return conflicts
    }
}
