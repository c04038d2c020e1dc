public import RunbookCore

/// The incident log of a team server, read over its API (`/api/v1/log/…`) exactly as stored: the command line folds,
/// verifies and shows a served incident with the same code as a local one, and checks the hash chain itself.
///
/// It records nothing: every action goes to the server, which decides it with the caller's token (`IncidentService`
/// sends them, see `IncidentService+Remote`). Each read asks only for the events after those already fetched.
public final class RemoteEventStore: EventStore {
    public let transport: any ServerTransport
    /// The server's address, for messages.
    public let server: String
    private var logs: [String: Log] = [:]
    private var texts: [String: String] = [:]
    private var facts = StoreIntegrityFacts(incidentIDs: [])

    /// One incident's log as fetched so far.
    private struct Log {
        var row: IncidentSummary
        var runbook: RunbookSnapshot
        var records: [EventRecord]
    }

    public init(transport: any ServerTransport, server: String) {
        self.transport = transport
        self.server = server
    }

    /// Sends a request and reads its JSON answer, failures as the command line's errors.
    public func json(_ method: String, _ path: String, body: JSONValue? = nil, whileWaiting: () -> Void = {}) throws(UserError) -> JSONValue {
        try ServerAnswer.json(transport.send(method, path, body: body?.text, whileWaiting: whileWaiting), server: server)
    }

    /// Fetches what the server recorded on `incidentID` since the last fetch; nil for an incident it does not know.
    @discardableResult
    public func refresh(_ incidentID: String) throws(StoreError) -> Bool {
        guard !incidentID.isEmpty else { return false }
        let after = logs[incidentID]?.records.last?.sequence ?? 0
        let answer: (status: Int, body: String)
        do {
            answer = try transport.send("GET", "/api/v1/log/incidents/\(PercentEncoding.encode(incidentID))?after=\(after)", body: nil)
        } catch {
            throw StoreError.failure(error.message)
        }
        if answer.status == 404 { return false }
        let value: JSONValue
        do {
            value = try ServerAnswer.json(answer, server: server)
        } catch {
            throw StoreError.failure(error.message)
        }
        guard let row = value["row"].flatMap(StoreJSON.summary), let runbook = value["runbook"].flatMap(StoreJSON.runbook),
              let records = value["records"]?.array, let facts = value["facts"].flatMap({ StoreJSON.facts($0, incidentID: incidentID) }) else {
            throw StoreError.failure(Message.server(.badAnswer(server: server, detail: "an incident log without its row, runbook or records")).text())
        }
        var fetched: [EventRecord] = []
        for record in records {
            guard let decoded = StoreJSON.record(record, incidentID: incidentID) else {
                throw StoreError.failure(Message.server(.badAnswer(server: server, detail: "an unreadable event record")).text())
            }
            fetched.append(decoded)
        }
        for (key, text) in value["texts"]?.members ?? [] {
            if let text = text.string { texts[key] = text }
        }
        self.facts.alteredTexts = facts.alteredTexts
        self.facts.missingGuards = facts.missingGuards
        self.facts.scheduledRuns[incidentID] = facts.scheduledRuns[incidentID]
        var log = logs[incidentID] ?? Log(row: row, runbook: runbook, records: [])
        log.row = row
        log.records += fetched.filter { $0.sequence > (log.records.last?.sequence ?? 0) }
        logs[incidentID] = log
        return true
    }

    /// The server's runbooks (`/api/v1/log/runbooks`): each file's name and exact text, for `list` and `show`.
    public func runbookTexts() throws(UserError) -> [(file: String, text: String)] {
        let value = try json("GET", "/api/v1/log/runbooks")
        guard let items = value.array else {
            throw UserError(.failed, Message.server(.badAnswer(server: server, detail: "a runbook list that is not a list")))
        }
        return items.compactMap { item in
            guard let file = item["file"]?.string, let text = item["text"]?.string else { return nil }
            return (file, text)
        }
    }

    // MARK: - Reading

    public func events(of incidentID: String, after sequence: Int64) throws(StoreError) -> [EventRecord] {
        guard try refresh(incidentID), let log = logs[incidentID] else { return [] }
        return log.records.filter { $0.sequence > sequence }
    }

    public func runbook(of incidentID: String) throws(StoreError) -> RunbookSnapshot? {
        if let log = logs[incidentID] { return log.runbook }
        guard try refresh(incidentID) else { return nil }
        return logs[incidentID]?.runbook
    }

    public func frozenText(sha256: String) throws(StoreError) -> String? {
        texts[sha256]
    }

    public func integrityFacts(wholeStore: Bool) throws(StoreError) -> StoreIntegrityFacts {
        guard !wholeStore else { throw StoreError.failure(Message.server(.notThroughServer("runbook verify --all")).text()) }
        return facts
    }

    public func incidents(statuses: Set<String>?) throws(StoreError) -> [IncidentSummary] {
        let all = statuses.map { !$0.isSubset(of: ["open", "resolved"]) } ?? true
        let value: JSONValue
        do {
            value = try json("GET", "/api/v1/log/incidents?all=\(all)")
        } catch {
            throw StoreError.failure(error.message)
        }
        guard let rows = value.array else {
            throw StoreError.failure(Message.server(.badAnswer(server: server, detail: "an incident list that is not a list")).text())
        }
        return rows.compactMap(StoreJSON.summary).filter { statuses?.contains($0.projection.status) ?? true }
    }

    public func incident(_ incidentID: String) throws(StoreError) -> IncidentSummary? {
        guard !incidentID.isEmpty, try refresh(incidentID) else { return nil }
        return logs[incidentID]?.row
    }

    // MARK: - Not through a server

    public func createIncident(idPrefix: String, runbook: RunbookSnapshot, events: [PendingEvent],
                               projection: IncidentProjection) throws(StoreError) -> (id: String, records: [EventRecord]) {
        throw Self.recordsNothing
    }

    public func append(_ events: [PendingEvent], to incidentID: String, expectedSequence: Int64,
                       projection: IncidentProjection) throws(StoreError) -> [EventRecord] {
        throw Self.recordsNothing
    }

    public func storeFrozenText(_ text: String) throws(StoreError) -> String {
        throw Self.recordsNothing
    }

    public func due(at instant: Instant) throws(StoreError) -> [IncidentSummary] {
        throw StoreError.failure(Message.server(.notThroughServer("runbook watch")).text())
    }

    public func nextDueAt() throws(StoreError) -> Instant? {
        throw StoreError.failure(Message.server(.notThroughServer("runbook watch")).text())
    }

    public func reviewRows(openedSince: Instant?, runbookID: String?) throws(StoreError) -> [IncidentReviewRow] {
        var path = "/api/v1/log/review?since_ms=\(openedSince?.milliseconds ?? 0)"
        if let runbookID { path += "&runbook=\(PercentEncoding.encode(runbookID))" }
        let value: JSONValue
        do {
            value = try json("GET", path)
        } catch {
            throw StoreError.failure(error.message)
        }
        guard let rows = value.array else {
            throw StoreError.failure(Message.server(.badAnswer(server: server, detail: "review rows that are not a list")).text())
        }
        return rows.compactMap(StoreJSON.reviewRow)
    }

    public func latestScheduledRuns(runbookID: String?) throws(StoreError) -> [ScheduledRunRow] {
        throw StoreError.failure(Message.server(.notThroughServer("runbook schedule")).text())
    }

    /// What a write the service did not send to the server would meet: nothing is recorded behind the server's back.
    static var recordsNothing: StoreError {
        .failure("this action is not available through a team server; run it on the server's host")
    }
}
