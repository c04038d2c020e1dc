import Foundation
import RunbookCore
import RunbookStore
import Testing

/// The review's facts kept on the incident row: written with every append, read back by `reviewRows`, and filled
/// for incidents recorded before the store kept them.
@Suite("Review facts")
struct ReviewFactsTests {
    static let facts = IncidentFacts(acknowledgedAt: Fixture.minutes(4), resolvedAt: Fixture.minutes(50), closedAt: nil,
                                     rtoMilliseconds: 7_200_000, missedByStage: ["triage": 2, "restore": 1],
                                     pagesByTier: [1: 3, 2: 1], breakGlass: 1)

    @Test(arguments: StoreKind.allCases)
    func factsComeBackWithTheRowAndFilterByWindowAndRunbook(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let (first, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...2),
                                                  projection: Fixture.projection())
        var projection = Fixture.projection(status: "resolved")
        projection.facts = Self.facts
        _ = try store.append([Fixture.note(3)], to: first, expectedSequence: 2, projection: projection)
        let other = RunbookSnapshot(runbookID: "rollback", text: "runbook: rollback\n")
        let later = (100...101).map { Fixture.note($0) }
        let (second, _) = try store.createIncident(idPrefix: "INC", runbook: other, events: later,
                                                   projection: Fixture.projection(drill: true))

        let all = try store.reviewRows(openedSince: nil, runbookID: nil)
        #expect(all == [
            IncidentReviewRow(id: first, runbookID: "db-recovery", openedAt: Fixture.note(1).recordedAt, drill: false,
                              status: "resolved", facts: Self.facts),
            IncidentReviewRow(id: second, runbookID: "rollback", openedAt: Fixture.note(100).recordedAt, drill: true,
                              status: "open", facts: IncidentFacts()),
        ])
        #expect(try store.reviewRows(openedSince: Fixture.note(2).recordedAt, runbookID: nil).map(\.id) == [second])
        #expect(try store.reviewRows(openedSince: nil, runbookID: "db-recovery").map(\.id) == [first])
        #expect(try store.reviewRows(openedSince: nil, runbookID: "nothing").isEmpty)
        #expect(try store.incident(first)?.projection.facts == Self.facts)
    }

    /// A database of the schema before the facts (v1, v2) gets them on first open, by replaying its incidents once.
    @Test func anOlderDatabaseGetsItsFactsFromItsEvents() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("incidents.db")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOfFile: root.appendingPathComponent("runbooks/db-recovery.yaml").path, encoding: .utf8)
        let runbook = RunbookSnapshot(runbookID: "db-recovery", text: text)
        let t0 = Fixture.start
        func at(_ minutes: Int64) -> Instant { Instant(milliseconds: t0.milliseconds + minutes * 60_000) }
        let events: [(IncidentEvent, Int64)] = [
            (.opened(runbookID: "db-recovery", runbookSHA256: runbook.sha256, title: "DB down", severity: "SEV1", drill: false), 0),
            (.stateEntered(state: "triage", reason: .initial, from: nil), 0),
            (.escalationStarted(episode: 1, cause: .unacknowledged, scope: .unacknowledged, baseAt: t0), 0),
            (.escalated(episode: 1, index: 0, tier: 1, round: 1, roles: ["oncall"], dueAt: t0, manual: false, reason: nil), 0),
            (.acknowledged, 7),
            (.deadlineMissed(DeadlineMiss(kind: .stage, state: "triage", step: nil, deadline: .minutes(15), dueAt: at(15))), 15),
            (.approvalOverridden(state: "triage", step: "approve", role: "manager", reason: "unreachable"), 20),
            (.resolved(note: "back"), 95),
        ]
        do {
            let store = try SQLiteEventStore(path: path)
            let pending = events.map { $0.0.pending(actor: "kim", recordedAt: at($0.1)) }
            _ = try store.createIncident(idPrefix: "INC-20261126", runbook: runbook, events: pending,
                                         projection: Fixture.projection(status: "resolved"))
        }
        // Back to the schema before v3, as an older runbook left it: no facts columns, no record of v3.
        let raw = try RawSQLite(path: path)
        try raw.execute("""
            DROP INDEX incidents_opened_at;
            ALTER TABLE incidents DROP COLUMN acked_at; ALTER TABLE incidents DROP COLUMN resolved_at;
            ALTER TABLE incidents DROP COLUMN closed_at; ALTER TABLE incidents DROP COLUMN rto_ms;
            ALTER TABLE incidents DROP COLUMN break_glass; ALTER TABLE incidents DROP COLUMN counts;
            DROP TABLE scheduled_runs; DROP TABLE tokens;
            DELETE FROM schema_migrations WHERE id IN ('v3-review-facts', 'v4-scheduled-runs', 'v5-server-tokens');
            """)
        #expect(try raw.text("SELECT group_concat(id) FROM schema_migrations") == "v1-event-log,v2-frozen-texts")

        let reopened = try SQLiteEventStore(path: path, readOnly: true)
        let rows = try reopened.reviewRows(openedSince: nil, runbookID: nil)
        #expect(rows.count == 1)
        #expect(rows.first?.facts == IncidentFacts(acknowledgedAt: at(7), resolvedAt: at(95), closedAt: nil, rtoMilliseconds: 7_200_000,
                                                   missedByStage: ["triage": 1], pagesByTier: [1: 1], breakGlass: 1))
        #expect(try raw.text("SELECT group_concat(id) FROM schema_migrations") == "v1-event-log,v2-frozen-texts,v3-review-facts,v4-scheduled-runs,v5-server-tokens")
    }
}
