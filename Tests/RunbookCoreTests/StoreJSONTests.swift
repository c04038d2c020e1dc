import RunbookCore
import Testing

/// The stored log as a team server sends it (`StoreJSON`): every field comes back exactly as stored, so a command line
/// working through the server folds and verifies the same log as the server's host.
@Suite struct StoreJSONTests {
    @Test func recordsRowsRunbooksAndFactsComeBackExactly() throws {
        let pending = PendingEvent(type: "note.added", data: #"{"text":"로그인 실패 \u001b[2J"}"#, actor: "kim",
                                   recordedAt: Instant(milliseconds: 1_795_000_000_123))
        let record = EventRecord(chaining: pending, incidentID: "INC-20261127-0001", sequence: 7, previousHash: String(repeating: "a", count: 64))
        let parsedRecord = try JSONValue(parsing: StoreJSON.record(record).text)
        #expect(StoreJSON.record(parsedRecord, incidentID: "INC-20261127-0001") == record)
        #expect(EventChain.hash(of: record) == record.hash)

        let facts = IncidentFacts(acknowledgedAt: Instant(milliseconds: 5), resolvedAt: nil, closedAt: Instant(milliseconds: 9),
                                  rtoMilliseconds: 7_200_000, missedByStage: ["detect": 2], pagesByTier: [1: 3, 2: 1], breakGlass: 1)
        let row = IncidentSummary(id: "INC-20261127-0001", runbookID: "security-incident", openedAt: Instant(milliseconds: 1),
                                  updatedAt: Instant(milliseconds: 2), lastSequence: 7,
                                  projection: IncidentProjection(title: "보안 사고", severity: "SEV1", status: "open", stage: "contain",
                                                                 nextDueAt: Instant(milliseconds: 3), drill: true, facts: facts))
        #expect(StoreJSON.summary(try JSONValue(parsing: StoreJSON.summary(row).text)) == row)
        var quiet = row
        quiet.projection.nextDueAt = nil
        quiet.projection.facts = IncidentFacts()
        #expect(StoreJSON.summary(try JSONValue(parsing: StoreJSON.summary(quiet).text)) == quiet)

        let runbook = RunbookSnapshot(runbookID: "security-incident", text: "runbook: security-incident\n")
        #expect(StoreJSON.runbook(try JSONValue(parsing: StoreJSON.runbook(runbook).text)) == runbook)

        let store = StoreIntegrityFacts(incidentIDs: [], alteredTexts: ["abc"], missingGuards: ["events_no_update"],
                                        scheduledRuns: ["INC-20261127-0001": ScheduledSlot(at: Instant(milliseconds: 60_000), late: true)])
        let read = StoreJSON.facts(try JSONValue(parsing: StoreJSON.facts(store, incidentID: "INC-20261127-0001").text), incidentID: "INC-20261127-0001")
        #expect(read == store)
    }

    @Test func anAnswerMissingAFieldIsNotRead() throws {
        let record = EventRecord(incidentID: "I", sequence: 1, recordedAt: Instant(milliseconds: 0), actor: "a", type: "t", data: "{}",
                                 previousHash: "p", hash: "h")
        guard case .object(let members) = StoreJSON.record(record) else { Issue.record("not an object"); return }
        for index in members.indices {
            var partial = members
            partial.remove(at: index)
            #expect(StoreJSON.record(.object(partial), incidentID: "I") == nil, "without \(members[index].0)")
        }
        #expect(StoreJSON.summary(.object([("id", .string("x"))])) == nil)
        #expect(StoreJSON.runbook(.array([])) == nil)
    }
}
