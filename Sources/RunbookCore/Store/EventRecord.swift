/// An event about to be appended: what happened, who did it, and when it was recorded.
public struct PendingEvent: Sendable, Equatable {
    /// The event type, like `step.done` (see `IncidentEvent`).
    public var type: String
    /// The event's payload as a JSON object.
    public var data: String
    public var actor: String
    /// The recording time (the clock's now, or `RUNBOOK_NOW`).
    public var recordedAt: Instant

    public init(type: String, data: String, actor: String, recordedAt: Instant) {
        self.type = type
        self.data = data
        self.actor = actor
        self.recordedAt = recordedAt
    }
}

/// A stored event: a pending event with its place in the incident's log and its chained hash.
public struct EventRecord: Sendable, Equatable {
    public var incidentID: String
    /// 1, 2, 3, … without gaps within an incident.
    public var sequence: Int64
    public var recordedAt: Instant
    public var actor: String
    public var type: String
    public var data: String
    /// The hash of the previous event of the incident, or `EventChain.genesis` for the first.
    public var previousHash: String
    public var hash: String

    public init(incidentID: String, sequence: Int64, recordedAt: Instant, actor: String, type: String, data: String,
                previousHash: String, hash: String) {
        self.incidentID = incidentID
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.actor = actor
        self.type = type
        self.data = data
        self.previousHash = previousHash
        self.hash = hash
    }

    /// Chains `event` after the record with `previousHash`, as the incident's event number `sequence`.
    public init(chaining event: PendingEvent, incidentID: String, sequence: Int64, previousHash: String) {
        self.init(incidentID: incidentID, sequence: sequence, recordedAt: event.recordedAt, actor: event.actor,
                  type: event.type, data: event.data, previousHash: previousHash, hash: "")
        hash = EventChain.hash(of: self)
    }

    /// `events` as the records a store appends after `sequence` and `previousHash`: numbered on from there, each linked
    /// to the one before it.
    public static func chain(_ events: [PendingEvent], incidentID: String, after sequence: Int64,
                             previousHash: String) -> [EventRecord] {
        var previous = previousHash
        return events.enumerated().map { offset, event in
            let record = EventRecord(chaining: event, incidentID: incidentID, sequence: sequence + Int64(offset) + 1,
                                     previousHash: previous)
            previous = record.hash
            return record
        }
    }
}
