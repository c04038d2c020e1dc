import RunbookCore
import RunbookStore
import Testing

/// A scheduled slot is opened once (SPEC §3.2): the `scheduled_runs` row is written in the opening's transaction,
/// and a second opening of the slot, from any connection, is refused without writing anything.
@Suite("Scheduled runs")
struct ScheduledRunStoreTests {
    static let slot = Fixture.minutes(0)

    static func projection(late: Bool = false, slot: Instant = slot) -> IncidentProjection {
        var projection = Fixture.projection()
        projection.scheduled = ScheduledSlot(at: slot, late: late)
        return projection
    }

    @Test(arguments: SharedDatabase.kinds)
    func aSecondOpeningOfTheSameSlotIsRefusedAndWritesNothing(kind: StoreKind) throws {
        let database = try SharedDatabase(kind)
        let first = try database.open()
        let second = try database.open()
        let id = try first.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(0)], projection: Self.projection()).id
        #expect(throws: StoreError.slotTaken(runbookID: "db-recovery", slot: Self.slot, incidentID: id)) {
            _ = try second.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)], projection: Self.projection(late: true))
        }
        #expect(try second.incidents(statuses: nil).map(\.id) == [id])
        #expect(try second.latestScheduledRuns(runbookID: nil) == [ScheduledRunRow(runbookID: "db-recovery", slot: Self.slot, incidentID: id, late: false)])
        // The refused opening took no id: the next incident is number 2.
        let next = try second.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(2)],
                                             projection: Self.projection(late: true, slot: Fixture.minutes(60))).id
        #expect(next == "INC-0002")
        #expect(try first.latestScheduledRuns(runbookID: "db-recovery").map(\.incidentID) == [next])
        #expect(try first.latestScheduledRuns(runbookID: "other") == [])
    }

    /// Eight writers, each its own connection on its own thread as separate watchers would be, race to open one slot.
    @Test(arguments: SharedDatabase.kinds)
    func racingOpeningsOfOneSlotGiveOneIncident(kind: StoreKind) async throws {
        let database = try SharedDatabase(kind)
        let location = database.location
        let writers = (0..<8).map { number in
            Task.detached { () throws -> Bool in
                let store = try SharedDatabase.open(kind, location)
                do {
                    _ = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(number)],
                                                 projection: Self.projection())
                    return true
                } catch StoreError.slotTaken {
                    return false
                }
            }
        }
        var opened = 0
        for writer in writers where try await writer.value { opened += 1 }
        #expect(opened == 1)
        let store = try database.open()
        #expect(try store.incidents(statuses: nil).count == 1)
        #expect(try store.latestScheduledRuns(runbookID: nil).count == 1)
    }

    /// An imported incident that claims a slot another incident of the database took is refused with the whole import,
    /// in either store (PostgreSQL's insert-or-nothing would otherwise drop the slot row silently).
    @Test(arguments: SharedDatabase.kinds)
    func anImportedRunForATakenSlotIsRefusedAndAddsNothing(kind: StoreKind) throws {
        let database = try SharedDatabase(kind)
        let store = try #require(try database.open() as? any ImportingStore)
        let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(0)], projection: Self.projection())
        let row = try #require(try store.incident(id))
        let other = "INC-0009"
        let records = EventRecord.chain([Fixture.note(1)], incidentID: other, after: 0, previousHash: EventChain.genesis)
        var summary = row
        summary.id = other
        summary.lastSequence = 1
        let imported = ImportedIncident(row: summary, runbook: Fixture.runbook, records: records, texts: [],
                                        scheduled: ScheduledSlot(at: Self.slot, late: false))
        #expect(throws: StoreError.self) { try store.importIncidents([imported]) }
        #expect(try store.incident(other) == nil)
        #expect(try store.latestScheduledRuns(runbookID: nil).map(\.incidentID) == [id])
    }
}
