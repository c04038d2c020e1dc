import RunbookCore
import RunbookRuntime

/// What an event stream writes.
enum FeedItem: Sendable, Equatable {
    /// A new event of the incident a stream follows: its sequence and its JSON, as `runbook timeline --json` gives it.
    case event(sequence: Int64, json: JSONValue)
    /// An incident of the list changed (an event appended, or it closed).
    case changed(incident: String, sequence: Int64)
    case heartbeat
}

/// The server's one change feed (SPEC §10): it notices every commit to the database, by this server or by any other
/// process (the CLI on the same host), and hands the new events to the event streams that follow them.
///
/// It watches `PRAGMA data_version` on its own connection (which changes whenever another connection commits) a few
/// times a second while anyone listens, and sleeps with no timer at all while nobody does. Each stream has a cursor,
/// the last sequence it was sent, so a stream gets each event once and in order, and a stream that starts after
/// `Last-Event-ID` first receives what it missed.
actor ChangeFeed {
    private struct Subscriber {
        /// The incident followed; nil for the list's stream.
        let incident: String?
        var cursor: Int64
        let continuation: AsyncStream<FeedItem>.Continuation
    }

    private let desk: IncidentDesk
    private let interval: Duration
    private var subscribers: [Int: Subscriber] = [:]
    private var nextID = 0
    private var version: Int64?
    /// The incidents not yet closed and their last sequences, as the list's streams last heard of them.
    private var openKnown: [String: Int64] = [:]
    private var polling: Task<Void, Never>?
    private var stopped = false

    init(desk: IncidentDesk, interval: Duration = .milliseconds(100)) {
        self.desk = desk
        self.interval = interval
    }

    /// Follows `incident` (nil: every incident not yet closed) from after sequence `after` (nil: from now on); items
    /// go to `continuation`. Returns the subscription's id, or nil when the feed has stopped (the stream is finished).
    func subscribe(incident: String?, after: Int64?, _ continuation: AsyncStream<FeedItem>.Continuation) async -> Int? {
        guard !stopped else {
            continuation.finish()
            return nil
        }
        let id = nextID
        nextID += 1
        if let incident {
            let cursor: Int64
            if let after {
                cursor = after
            } else {
                cursor = await desk.lastSequences(of: [incident])[incident] ?? 0
            }
            subscribers[id] = Subscriber(incident: incident, cursor: cursor, continuation: continuation)
            if after != nil { await deliver(incident) }
        } else {
            if !subscribers.values.contains(where: { $0.incident == nil }) { openKnown = await desk.openSequences() }
            subscribers[id] = Subscriber(incident: nil, cursor: 0, continuation: continuation)
        }
        if polling == nil {
            polling = Task { await self.poll() }
        }
        return id
    }

    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
    }

    /// Ends every stream (the server is shutting down) and refuses new ones.
    func stop() {
        stopped = true
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers = [:]
        polling?.cancel()
    }

    /// How many streams are open, for tests.
    var count: Int { subscribers.count }

    private func poll() async {
        while !stopped, !subscribers.isEmpty, !Task.isCancelled {
            await check()
            try? await Task.sleep(for: interval)
        }
        polling = nil
        // A subscriber that came while the loop was ending starts it again.
        if !stopped, !subscribers.isEmpty { polling = Task { await self.poll() } }
    }

    /// Reads what changed since the last look, if anything committed.
    func check() async {
        let current = await desk.dataVersion()
        guard current == nil || current != version else { return }
        version = current
        let followed = Set(subscribers.values.compactMap(\.incident))
        let lasts = await desk.lastSequences(of: Array(followed))
        for incident in followed {
            let behind = subscribers.values.filter { $0.incident == incident }.map(\.cursor).min() ?? 0
            if let last = lasts[incident], last > behind { await deliver(incident) }
        }
        guard subscribers.values.contains(where: { $0.incident == nil }) else { return }
        let now = await desk.openSequences()
        var changed: [(String, Int64)] = now.filter { openKnown[$0.key] != $0.value }.map { ($0.key, $0.value) }
        changed += openKnown.filter { now[$0.key] == nil }.map { ($0.key, $0.value) }
        openKnown = now
        for (incident, sequence) in changed.sorted(by: { $0.0 < $1.0 }) {
            for subscriber in subscribers.values where subscriber.incident == nil {
                subscriber.continuation.yield(.changed(incident: incident, sequence: sequence))
            }
        }
    }

    /// Sends each follower of `incident` the events after its cursor.
    private func deliver(_ incident: String) async {
        guard let behind = subscribers.values.filter({ $0.incident == incident }).map(\.cursor).min(),
              let timeline = try? await desk.timeline(incident, after: behind), let events = timeline.json.array else { return }
        // The cursors are read again after the wait: another delivery may have sent some of these already.
        for event in events {
            guard let sequence = event["sequence"]?.int else { continue }
            for (id, subscriber) in subscribers where subscriber.incident == incident && subscriber.cursor < sequence {
                subscriber.continuation.yield(.event(sequence: sequence, json: event))
                subscribers[id]?.cursor = sequence
            }
        }
    }
}
