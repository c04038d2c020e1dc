/// What the store keeps beside the event chains that verification checks too (SPEC §4 "Integrity").
public struct StoreIntegrityFacts: Sendable, Equatable {
    /// Incident ids that have an incident row.
    public var incidentIDs: Set<String>
    /// Incident ids that have events but no incident row (a deleted row hides its events from every view).
    public var eventsWithoutIncident: [String]
    /// The last number the id counter gave out, by prefix (`INC-20261126` → 3).
    public var counters: [String: Int64]
    /// Keys of stored texts (runbooks, frozen rosters and contacts) whose text no longer hashes to them.
    public var alteredTexts: [String]
    /// The append-only guards (triggers) that are missing or no longer refuse.
    public var missingGuards: [String]
    /// The scheduled-run rows (`scheduled_runs`), by incident: each must agree with its incident's opening event.
    public var scheduledRuns: [String: ScheduledSlot]

    public init(incidentIDs: Set<String>, eventsWithoutIncident: [String] = [], counters: [String: Int64] = [:],
                alteredTexts: [String] = [], missingGuards: [String] = [], scheduledRuns: [String: ScheduledSlot] = [:]) {
        self.scheduledRuns = scheduledRuns
        self.incidentIDs = incidentIDs
        self.eventsWithoutIncident = eventsWithoutIncident
        self.counters = counters
        self.alteredTexts = alteredTexts
        self.missingGuards = missingGuards
    }

    /// Facts of a store with nothing wrong beside its chains.
    public static func sound(_ ids: Set<String>) -> StoreIntegrityFacts { StoreIntegrityFacts(incidentIDs: ids) }
}

/// One thing verification found wrong.
public enum IntegrityProblem: Sendable, Equatable {
    /// The hash chain breaks at an event (edited, deleted, reordered).
    case chain(sequence: Int64, reason: IntegrityReason)
    /// The incident row counts more events than the log holds: the tail was cut.
    case missingTail(listed: Int64, stored: Int64)
    /// The incident row disagrees with what its events fold to.
    case projection(field: String, row: String, events: String)
    /// The runbook text the incident runs is not the one its opening event names.
    case runbookSwapped(opened: String, row: String)
    /// A stored text no longer hashes to its key (the frozen runbook or roster was edited).
    case textAltered(sha256: String)
    /// The runbook text an incident runs is gone from the database.
    case runbookMissing(String)
    /// An incident has events but no incident row.
    case eventsWithoutIncident(String)
    /// The id counter gave out a number that has no incident (a deleted incident).
    case numberWithoutIncident(String)
    /// The id counter of a prefix is below the highest number its incidents carry (the next opening would collide).
    case counterBehind(prefix: String, counter: Int64, highest: Int64)
    /// The append-only guard on the events table is gone.
    case guardMissing(String)
    /// A checkpoint taken outside the database is not in the log any more.
    case checkpoint(Checkpoint, reason: IntegrityReason)

    /// The first event that can no longer be trusted, when the problem is in the log itself.
    public var sequence: Int64? {
        switch self {
        case .chain(let sequence, _): sequence
        case .missingTail(_, let stored): stored + 1
        case .checkpoint(let checkpoint, _): checkpoint.sequence
        default: nil
        }
    }

    /// The problem in one English sentence (status JSON, the report).
    public var sentence: String { sentence(in: .english) }

    /// The problem in one sentence in `language`.
    public func sentence(in language: Language) -> String {
        Message.integrityProblem(self).text(in: language)
    }

    /// The English sentence, as the catalog's English.
    var englishSentence: String {
        switch self {
        case .chain(let sequence, let reason):
            "hash chain broken at event \(sequence): \(reason.english)"
        case .missingTail(let listed, let stored):
            "events \(stored + 1) to \(listed) are missing: the incident counts \(listed) events, the log ends at event \(stored)"
        case .projection(let field, let row, let events):
            "the incident row says \(field) \(row.isEmpty ? "(none)" : row), its events say \(events.isEmpty ? "(none)" : events)"
        case .runbookSwapped(let opened, let row):
            "the incident runs runbook text \(row.prefix(16)) but was opened with \(opened.prefix(16))"
        case .textAltered(let sha):
            "the stored text \(sha.prefix(16)) was edited: it no longer hashes to its key"
        case .runbookMissing(let id):
            "the runbook text incident \(id) runs is missing from the database: it was removed"
        case .eventsWithoutIncident(let id):
            "incident \(id) has events but no incident row: it was removed from every view"
        case .numberWithoutIncident(let id):
            "incident \(id) was given out by the id counter but is not in the database: it was deleted"
        case .counterBehind(let prefix, let counter, let highest):
            "the id counter of \(prefix) says \(counter) but an incident there has number \(highest): the counter was edited, and the next incident opened there cannot be recorded"
        case .guardMissing(let name):
            "the append-only guard \(name) is missing: events can be edited or deleted without a trace"
        case .checkpoint(let checkpoint, let reason):
            "checkpoint \(checkpoint.text) does not hold: \(reason.english)"
        }
    }
}

/// The verdict on one incident's log: every problem found, the first first.
public struct IntegrityVerdict: Sendable, Equatable {
    public var incidentID: String
    /// Events stored.
    public var events: Int
    public var problems: [IntegrityProblem]
    /// The last stored event's checkpoint (nil for an incident without events).
    public var checkpoint: Checkpoint?

    public init(incidentID: String, events: Int, problems: [IntegrityProblem], checkpoint: Checkpoint?) {
        self.incidentID = incidentID
        self.events = events
        self.problems = problems
        self.checkpoint = checkpoint
    }

    public var intact: Bool { problems.isEmpty }

    /// The first event that can no longer be trusted ("log broken since #N"), if the problems name one.
    public var brokenSince: Int64? { problems.compactMap(\.sequence).min() }

    /// "log broken since #7: hash chain broken at event 7: …", or nil when intact.
    public var finding: String? { finding(in: .english) }

    /// The finding in `language`, for what a responder reads (the screen, a page).
    public func finding(in language: Language) -> String? {
        guard let first = problems.first else { return nil }
        return Message.integrityFinding(brokenSince: brokenSince, first: first, more: problems.count - 1, incident: incidentID)
            .text(in: language)
    }
}

/// The one verification of an incident's log, used by `verify`, the report and every view (STYLE 18).
public enum Integrity {
    /// Checks an incident: its chain, its row against its events, the runbook it runs, and the store-wide guards.
    /// - Parameters:
    ///   - row: the incident's list row, if it has one.
    ///   - folded: what its events fold to (title, severity, status, stage), for comparison with the row.
    ///   - storedRunbookSHA256: the key of the runbook text the incident row points at.
    ///   - texts: the keys of the texts the incident runs on (runbook, frozen rosters and contacts); an altered
    ///     text is a problem of the incidents that use it. Nil: every altered text counts.
    public static func verify(incidentID: String, records: [EventRecord], row: IncidentSummary?, folded: IncidentProjection?,
                              openedRunbookSHA256: String?, storedRunbookSHA256: String?, texts: Set<String>? = nil,
                              store: StoreIntegrityFacts) -> IntegrityVerdict {
        var problems: [IntegrityProblem] = []
        if case .broken(let sequence, let reason) = EventChain.verify(records) {
            problems.append(.chain(sequence: sequence, reason: reason))
        }
        let lastStored = records.last?.sequence ?? 0
        if let row {
            if row.lastSequence > lastStored {
                problems.append(.missingTail(listed: row.lastSequence, stored: lastStored))
            } else if row.lastSequence < lastStored {
                problems.append(.projection(field: "last event", row: "#\(row.lastSequence)", events: "#\(lastStored)"))
            }
            if let folded {
                let pairs = [("status", row.projection.status, folded.status), ("stage", row.projection.stage, folded.stage),
                             ("severity", row.projection.severity, folded.severity), ("title", row.projection.title, folded.title)]
                for (field, listed, actual) in pairs where listed != actual {
                    problems.append(.projection(field: field, row: listed, events: actual))
                }
                // What the watcher schedules by and `stats` counts apart: a row edited to be never due, or a drill, would
                // silence pages or hide the incident from the review.
                let describeDue = { (due: Instant?) in due?.iso8601 ?? "never" }
                if row.projection.nextDueAt != folded.nextDueAt {
                    problems.append(.projection(field: "next due", row: describeDue(row.projection.nextDueAt), events: describeDue(folded.nextDueAt)))
                }
                if row.projection.drill != folded.drill {
                    problems.append(.projection(field: "drill", row: String(row.projection.drill), events: String(folded.drill)))
                }
                if let first = records.first, first.sequence == 1, row.openedAt != first.recordedAt {
                    problems.append(.projection(field: "opened", row: row.openedAt.iso8601, events: first.recordedAt.iso8601))
                }
                // The facts `stats` reads instead of the events: an edit of them is found like an edit of the status.
                if row.projection.facts != folded.facts {
                    problems.append(.projection(field: "review facts", row: row.projection.facts.summary, events: folded.facts.summary))
                }
                // The scheduled-run row that keeps a slot from starting twice says what the opening event says.
                let recorded = store.scheduledRuns[incidentID]
                if recorded != folded.scheduled {
                    let describe = { (slot: ScheduledSlot?) in slot.map { "\($0.at.iso8601)\($0.late ? " late" : "")" } ?? "none" }
                    problems.append(.projection(field: "scheduled run", row: describe(recorded), events: describe(folded.scheduled)))
                }
            }
        } else if !records.isEmpty {
            problems.append(.eventsWithoutIncident(incidentID))
        }
        if let opened = openedRunbookSHA256, let storedSHA = storedRunbookSHA256, opened != storedSHA {
            problems.append(.runbookSwapped(opened: opened, row: storedSHA))
        }
        problems += store.alteredTexts.filter { texts?.contains($0) ?? true }.map { .textAltered(sha256: $0) }
        problems += store.missingGuards.map { .guardMissing($0) }
        let checkpoint = records.last.map { Checkpoint(incidentID: incidentID, sequence: $0.sequence, hash: $0.hash) }
        return IntegrityVerdict(incidentID: incidentID, events: records.count, problems: problems, checkpoint: checkpoint)
    }

    /// The chain alone, for a log read without its store (tests, an exported log).
    public static func chain(incidentID: String, records: [EventRecord]) -> IntegrityVerdict {
        var problems: [IntegrityProblem] = []
        if case .broken(let sequence, let reason) = EventChain.verify(records) { problems.append(.chain(sequence: sequence, reason: reason)) }
        let checkpoint = records.last.map { Checkpoint(incidentID: incidentID, sequence: $0.sequence, hash: $0.hash) }
        return IntegrityVerdict(incidentID: incidentID, events: records.count, problems: problems, checkpoint: checkpoint)
    }

    /// Problems of the store as a whole: rows missing for events, ids given out and missing, guards, texts.
    public static func storeProblems(_ facts: StoreIntegrityFacts) -> [IntegrityProblem] {
        var problems: [IntegrityProblem] = facts.eventsWithoutIncident.sorted().map { .eventsWithoutIncident($0) }
        // The numbers present under each prefix, from the ids themselves (never by counting up to a counter, which an
        // edit may have set to any number).
        var present: [String: Set<Int64>] = [:]
        for id in facts.incidentIDs.union(facts.eventsWithoutIncident) {
            if let (prefix, number) = IncidentID.parse(id), IncidentID.make(prefix: prefix, number: number) == id {
                present[prefix, default: []].insert(number)
            }
        }
        for prefix in Set(present.keys).union(facts.counters.keys).sorted() {
            let last = facts.counters[prefix] ?? 0
            let numbers = present[prefix] ?? []
            if let highest = numbers.max(), highest > last {
                problems.append(.counterBehind(prefix: prefix, counter: last, highest: highest))
            }
            // Numbers given out and missing: named one by one, the first 100 of each prefix.
            var missing = 0
            var number: Int64 = 1
            while number <= last, missing < 100 {
                if !numbers.contains(number) {
                    problems.append(.numberWithoutIncident(IncidentID.make(prefix: prefix, number: number)))
                    missing += 1
                }
                number += 1
            }
        }
        problems += facts.alteredTexts.map { .textAltered(sha256: $0) }
        problems += facts.missingGuards.map { .guardMissing($0) }
        return problems
    }

    /// Whether the log still holds `checkpoint`: nil when it does, else why not. A signed checkpoint is also
    /// checked against `key` (a forged or altered signature is a problem; without a key it cannot be judged).
    public static func check(_ checkpoint: Checkpoint, against records: [EventRecord],
                             key: CheckpointVerifyingKey? = nil) -> IntegrityProblem? {
        guard let record = records.first(where: { $0.sequence == checkpoint.sequence }) else {
            let last = records.last?.sequence ?? 0
            return .checkpoint(checkpoint, reason: .checkpointGone(last: last, sequence: checkpoint.sequence))
        }
        guard record.hash.hasPrefix(checkpoint.hashPrefix) else {
            return .checkpoint(checkpoint, reason: .rehashed(sequence: checkpoint.sequence, hash: String(record.hash.prefix(16))))
        }
        if checkpoint.signature != nil, let key, !key.isValid(checkpoint, fullHash: record.hash) {
            return .checkpoint(checkpoint, reason: .badSignature)
        }
        return nil
    }
}

/// A point of an incident's log taken outside the database (in pages, reports and `verify` output):
/// `INC-20261126-0001#42:` and the first 16 hex digits of event 42's hash; with a signing key, `.` and the
/// Ed25519 signature of the event's full hash.
public struct Checkpoint: Sendable, Equatable, CustomStringConvertible {
    public var incidentID: String
    public var sequence: Int64
    /// At least 16 lowercase hex digits of the event's hash.
    public var hashPrefix: String
    /// The Ed25519 signature (128 hex digits), when a signing key was set.
    public var signature: String?

    public init(incidentID: String, sequence: Int64, hash: String) {
        self.incidentID = incidentID
        self.sequence = sequence
        self.hashPrefix = String(hash.prefix(16))
    }

    public var text: String { "\(incidentID)#\(sequence):\(hashPrefix)" + (signature.map { ".\($0)" } ?? "") }
    public var description: String { text }

    /// Parses `INC-20261126-0001#42:0123456789abcdef` (16 to 64 hex digits), optionally `.SIGNATURE`.
    public init?(parsing text: String) {
        guard let hashMark = text.lastIndex(of: "#"), let colon = text[hashMark...].firstIndex(of: ":") else { return nil }
        let id = String(text[..<hashMark])
        let number = text[text.index(after: hashMark)..<colon]
        var hash = text[text.index(after: colon)...].lowercased()
        var signature: String?
        if let dot = hash.firstIndex(of: ".") {
            let signed = String(hash[hash.index(after: dot)...])
            guard signed.count == 128, signed.allSatisfy({ $0.isHexDigit }) else { return nil }
            signature = signed
            hash = String(hash[..<dot])
        }
        guard !id.isEmpty, let sequence = Int64(number), sequence >= 1, (16...64).contains(hash.count),
              hash.allSatisfy({ $0.isHexDigit }) else { return nil }
        incidentID = id
        self.sequence = sequence
        hashPrefix = hash
        self.signature = signature
    }
}

/// Incident ids: `PREFIX-NNNN`, the number zero-padded to four digits and growing beyond 9999.
public enum IncidentID {
    /// The id of the incident numbered `number` (from 1) under `prefix`: `INC-20261126-0001`.
    public static func make(prefix: String, number: Int64) -> String {
        let digits = String(number)
        return prefix + "-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The prefix and number of an id `make` gave (`INC-20261126-0001` → `INC-20261126`, 1); nil for another shape.
    public static func parse(_ id: String) -> (prefix: String, number: Int64)? {
        guard let dash = id.lastIndex(of: "-"), let number = Int64(id[id.index(after: dash)...]), number > 0 else { return nil }
        let prefix = String(id[..<dash])
        guard !prefix.isEmpty else { return nil }
        return (prefix, number)
    }
}
