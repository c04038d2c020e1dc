import RunbookCore
import Testing

/// What every `EventStore` must guarantee, checked once for all implementations.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func createIncidentNumbersItsEventsFromOneAndChainsThemFromGenesis(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store

        let (id, records) = try store.createIncident(idPrefix: "INC-20261126", runbook: Fixture.runbook,
                                                     events: Fixture.notes(1...3), projection: Fixture.projection())

        #expect(id == "INC-20261126-0001")
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(records.map(\.incidentID) == [id, id, id])
        #expect(records.first?.previousHash == EventChain.genesis)
        #expect(records.map(\.data) == Fixture.notes(1...3).map(\.data))
        #expect(EventChain.verify(records) == .intact(count: 3))
        #expect(try store.events(of: id, after: 0) == records)
    }

    @Test(arguments: StoreKind.allCases)
    func appendsContinueTheSequenceWithoutGapsAndReadsComeBackInOrder(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let (id, opened) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook,
                                                    events: Fixture.notes(1...2), projection: Fixture.projection())

        let second = try store.append(Fixture.notes(3...5), to: id, expectedSequence: 2, projection: Fixture.projection())
        let third = try store.append([Fixture.note(6)], to: id, expectedSequence: 5, projection: Fixture.projection())

        #expect(second.map(\.sequence) == [3, 4, 5])
        #expect(third.map(\.sequence) == [6])
        #expect(second.first?.previousHash == opened.last?.hash)
        let all = try store.events(of: id, after: 0)
        #expect(all == opened + second + third)
        #expect(all.map(\.sequence) == Array(1...6))
        #expect(all.map(\.recordedAt) == Fixture.notes(1...6).map(\.recordedAt))
        #expect(EventChain.verify(all) == .intact(count: 6))
    }

    @Test(arguments: StoreKind.allCases)
    func eventsAfterASequenceReturnOnlyTheLaterOnes(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let (id, records) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook,
                                                     events: Fixture.notes(1...5), projection: Fixture.projection())

        #expect(try store.events(of: id, after: 3) == Array(records[3...]))
        #expect(try store.events(of: id, after: 4).map(\.sequence) == [5])
        #expect(try store.events(of: id, after: 5).isEmpty)
        #expect(try store.events(of: id, after: 99).isEmpty)
        #expect(try store.events(of: id, after: -1) == records)
    }

    @Test(arguments: StoreKind.allCases)
    func aStaleAppendFailsWithExpectedAndActualAndWritesNothing(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook,
                                               events: Fixture.notes(1...2), projection: Fixture.projection())
        _ = try store.append(Fixture.notes(3...4), to: id, expectedSequence: 2, projection: Fixture.projection())
        let eventsBefore = try store.events(of: id, after: 0)
        let summaryBefore = try store.incident(id)

        let stale = Fixture.projection(title: "changed", status: "resolved", stage: "restore")
        #expect(throws: StoreError.conflict(incidentID: id, expected: 2, actual: 4)) {
            try store.append(Fixture.notes(5...7), to: id, expectedSequence: 2, projection: stale)
        }
        #expect(throws: StoreError.conflict(incidentID: id, expected: 9, actual: 4)) {
            try store.append([Fixture.note(5)], to: id, expectedSequence: 9, projection: stale)
        }

        #expect(try store.events(of: id, after: 0) == eventsBefore)
        #expect(try store.incident(id) == summaryBefore)
        // The next append based on the real last sequence goes through.
        #expect(try store.append([Fixture.note(5)], to: id, expectedSequence: 4, projection: stale).map(\.sequence) == [5])
    }

    @Test(arguments: StoreKind.allCases)
    func anUnknownIncidentIsReportedAndHasNothing(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store

        #expect(throws: StoreError.unknownIncident("INC-0042")) {
            try store.append([Fixture.note(1)], to: "INC-0042", expectedSequence: 0, projection: Fixture.projection())
        }
        #expect(try store.events(of: "INC-0042", after: 0).isEmpty)
        #expect(try store.runbook(of: "INC-0042") == nil)
        #expect(try store.incident("INC-0042") == nil)
        #expect(try store.incidents(statuses: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func idsAreAllocatedInOrderPerPrefix(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        func open(_ prefix: String) throws -> String {
            try store.createIncident(idPrefix: prefix, runbook: Fixture.runbook, events: [Fixture.note(1)],
                                     projection: Fixture.projection()).id
        }

        let ids = try ["INC-20261126", "INC-20261126", "INC-20261127", "INC-20261126", "DRILL-20261126", "INC-20261127"]
            .map(open)

        #expect(ids == ["INC-20261126-0001", "INC-20261126-0002", "INC-20261127-0001", "INC-20261126-0003",
                        "DRILL-20261126-0001", "INC-20261127-0002"])
        #expect(Set(try store.incidents(statuses: nil).map(\.id)) == Set(ids))
    }

    @Test(arguments: StoreKind.allCases)
    func anIncidentCannotBeOpenedWithoutEvents(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store

        #expect(throws: StoreError.failure("cannot open an incident without events; record at least its opening event")) {
            try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [], projection: Fixture.projection())
        }
        #expect(try store.incidents(statuses: nil).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func theRunbookSnapshotComesBackExactlyWithItsIncidentsRunbookID(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let renamed = RunbookSnapshot(runbookID: "db-recovery-v2", text: Fixture.runbook.text)
        let other = RunbookSnapshot(runbookID: "ransomware", text: "id: ransomware\n")

        let first = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)],
                                             projection: Fixture.projection()).id
        let second = try store.createIncident(idPrefix: "INC", runbook: renamed, events: [Fixture.note(1)],
                                              projection: Fixture.projection()).id
        let third = try store.createIncident(idPrefix: "INC", runbook: other, events: [Fixture.note(1)],
                                             projection: Fixture.projection()).id

        #expect(try store.runbook(of: first) == Fixture.runbook)
        #expect(try store.runbook(of: second) == renamed)
        #expect(try store.runbook(of: third) == other)
        #expect(try store.incident(second)?.runbookID == "db-recovery-v2")
    }

    @Test(arguments: StoreKind.allCases)
    func theProjectionFollowsEachAppend(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let opening = Fixture.projection(nextDueAt: Fixture.minutes(15))
        let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: Fixture.notes(1...2),
                                               projection: opening)

        #expect(try store.incident(id) == IncidentSummary(
            id: id, runbookID: "db-recovery", openedAt: Fixture.note(1).recordedAt, updatedAt: Fixture.note(2).recordedAt,
            lastSequence: 2, projection: opening))

        let contained = IncidentProjection(title: "프라이머리 DB 장애", severity: "sev2", status: "resolved",
                                           stage: "follow-up", nextDueAt: nil, drill: true)
        _ = try store.append(Fixture.notes(3...4), to: id, expectedSequence: 2, projection: contained)

        #expect(try store.incident(id) == IncidentSummary(
            id: id, runbookID: "db-recovery", openedAt: Fixture.note(1).recordedAt, updatedAt: Fixture.note(4).recordedAt,
            lastSequence: 4, projection: contained))
    }

    @Test(arguments: StoreKind.allCases)
    func anAppendWithoutEventsOnlyUpdatesTheProjection(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let (id, records) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook,
                                                     events: Fixture.notes(1...2), projection: Fixture.projection())
        let changed = Fixture.projection(stage: "isolate", nextDueAt: Fixture.minutes(30))

        #expect(try store.append([], to: id, expectedSequence: 2, projection: changed).isEmpty)

        #expect(try store.events(of: id, after: 0) == records)
        let summary = try store.incident(id)
        #expect(summary?.projection == changed)
        #expect(summary?.lastSequence == 2)
        #expect(summary?.updatedAt == Fixture.note(2).recordedAt)
    }

    @Test(arguments: StoreKind.allCases)
    func incidentsAreListedNewestFirstAndFilteredByStatus(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        func open(at number: Int, status: String) throws -> String {
            try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(number)],
                                     projection: Fixture.projection(status: status)).id
        }
        let old = try open(at: 1, status: "resolved")
        let newest = try open(at: 30, status: "open")
        let middle = try open(at: 20, status: "closed")
        let sameTimeLater = try open(at: 20, status: "open")

        #expect(try store.incidents(statuses: nil).map(\.id) == [newest, sameTimeLater, middle, old])
        #expect(try store.incidents(statuses: ["open"]).map(\.id) == [newest, sameTimeLater])
        #expect(try store.incidents(statuses: ["resolved", "closed"]).map(\.id) == [middle, old])
        #expect(try store.incidents(statuses: []).isEmpty)
        #expect(try store.incidents(statuses: ["archived"]).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func dueListsOpenIncidentsAtOrBeforeTheInstantEarliestFirst(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        #expect(try store.nextDueAt() == nil)
        func open(due: Int64?, status: String = "open") throws -> String {
            try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: [Fixture.note(1)],
                                     projection: Fixture.projection(status: status, nextDueAt: due.map(Fixture.minutes))).id
        }
        let at15 = try open(due: 15)
        let at5 = try open(due: 5)
        _ = try open(due: nil)
        // Due-ness is the projection's next due time alone, whatever the status: a resolved incident still has
        // its follow-up deadline, a closed one its report to write.
        let resolvedAt1 = try open(due: 1, status: "resolved")
        let closedAt2 = try open(due: 2, status: "closed")
        let at30 = try open(due: 30)
        let alsoAt15 = try open(due: 15)

        #expect(try store.nextDueAt() == Fixture.minutes(1))
        #expect(try store.due(at: Fixture.minutes(0)).isEmpty)
        #expect(try store.due(at: Fixture.minutes(5)).map(\.id) == [resolvedAt1, closedAt2, at5])
        #expect(try store.due(at: Fixture.minutes(15)).map(\.id) == [resolvedAt1, closedAt2, at5, at15, alsoAt15])
        #expect(try store.due(at: Fixture.minutes(60)).map(\.id) == [resolvedAt1, closedAt2, at5, at15, alsoAt15, at30])

        // Handling one moves its due time later or clears it.
        _ = try store.append([Fixture.note(2)], to: at5, expectedSequence: 1,
                             projection: Fixture.projection(nextDueAt: Fixture.minutes(45)))
        _ = try store.append([Fixture.note(2)], to: at15, expectedSequence: 1,
                             projection: Fixture.projection(status: "resolved", nextDueAt: Fixture.minutes(20)))
        _ = try store.append([Fixture.note(2)], to: resolvedAt1, expectedSequence: 1,
                             projection: Fixture.projection(status: "closed", nextDueAt: nil))
        _ = try store.append([Fixture.note(2)], to: closedAt2, expectedSequence: 1,
                             projection: Fixture.projection(status: "closed", nextDueAt: nil))
        #expect(try store.nextDueAt() == Fixture.minutes(15))
        #expect(try store.due(at: Fixture.minutes(60)).map(\.id) == [alsoAt15, at15, at30, at5])
    }

    @Test(arguments: StoreKind.allCases)
    func textRoundTripsExactlyIncludingEmptyAndKorean(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let events = [
            PendingEvent(type: "note.added", data: #"{"text":"복구 완료 ✅ — \"quoted\"\n"}"#, actor: "김민준",
                         recordedAt: Fixture.start),
            PendingEvent(type: "", data: "", actor: "", recordedAt: Instant(milliseconds: -1)),
            PendingEvent(type: "input.recorded", data: String(repeating: "x", count: 100_000), actor: "kim",
                         recordedAt: Instant(milliseconds: Int64.max)),
        ]
        let (id, records) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook, events: events,
                                                     projection: Fixture.projection(title: ""))

        let read = try store.events(of: id, after: 0)
        #expect(read == records)
        #expect(read.map(\.data) == events.map(\.data))
        #expect(read.map(\.actor) == events.map(\.actor))
        #expect(read.map(\.recordedAt) == events.map(\.recordedAt))
        #expect(EventChain.verify(read) == .intact(count: 3))
        #expect(try store.incident(id)?.projection.title == "")
    }

    @Test(arguments: StoreKind.allCases)
    func everyIncidentsChainVerifiesAcrossManyAppends(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        var ids: [String] = []
        for incident in 0..<3 {
            let (id, _) = try store.createIncident(idPrefix: "INC", runbook: Fixture.runbook,
                                                   events: [Fixture.note(incident)], projection: Fixture.projection())
            ids.append(id)
        }
        // Interleave appends of different sizes across the incidents.
        var last: [String: Int64] = Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) })
        for round in 1...20 {
            for (index, id) in ids.enumerated() {
                let events = (0..<(round + index) % 4).map { Fixture.note(round * 10 + $0) }
                let records = try store.append(events, to: id, expectedSequence: last[id] ?? 0,
                                               projection: Fixture.projection())
                last[id, default: 0] += Int64(records.count)
            }
        }

        for id in ids {
            let records = try store.events(of: id, after: 0)
            #expect(Int64(records.count) == last[id])
            #expect(EventChain.verify(records) == .intact(count: records.count))
            #expect(try store.incident(id)?.lastSequence == last[id])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func frozenTextsComeBackExactlyUnderTheirHashAndStoringTwiceChangesNothing(kind: StoreKind) throws {
        let subject = try kind.makeStore()
        let store = subject.store
        let roster = "roster:\n  choi: { roles: [manager], logins: [choi] }  # 운영 매니저\n"

        let sha = try store.storeFrozenText(roster)
        let again = try store.storeFrozenText(roster)
        let empty = try store.storeFrozenText("")

        #expect(sha == EventChain.sha256(roster))
        #expect(again == sha)
        #expect(empty == EventChain.sha256(""))
        #expect(try store.frozenText(sha256: sha) == roster)
        #expect(try store.frozenText(sha256: empty) == "")
        #expect(try store.frozenText(sha256: EventChain.sha256("never stored")) == nil)
    }
}
