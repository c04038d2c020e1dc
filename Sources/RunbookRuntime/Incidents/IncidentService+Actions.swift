public import RunbookCore

/// What one action on an incident did, for a front end to show: the CLI, guided mode, and the team server.
public struct ActionOutcome: Sendable {
    /// What became of the pages the incident owes after the action.
    public enum Pages: Sendable, Equatable {
        /// Nothing was owed.
        case noneOwed
        /// This process delivered them (each attempt is in `deliveries`).
        case delivered
        /// A watcher runs on the database and delivers them within a second.
        case leftToWatcher
        /// Another command was still delivering after a minute: they stay owed, for the next action or a watcher.
        case deferred
    }

    /// The events the action recorded (with what time had made due before it).
    public var events: [RecordedEvent]
    /// The delivery attempts recorded by this process.
    public var deliveries: [RecordedEvent]
    public var pages: Pages
}

extension IncidentService {
    /// Performs one action on an incident and delivers the pages it leaves owed, unless a watcher does: the
    /// one function every front end calls for an action, so none decides anything of its own. A refusal is
    /// thrown as a `UserError` carrying the engine's typed `Refusal`, for the front end to render.
    nonisolated(nonsending) public func act(_ command: IncidentCommand, on incidentID: String, actor: String, occurredAt: Instant? = nil,
                    expectedSequence: Int64? = nil, notifier: Notifier = Notifier()) async throws(UserError) -> ActionOutcome {
        let events = try perform(command, on: incidentID, actor: actor, occurredAt: occurredAt, expectedSequence: expectedSequence)
        let (deliveries, pages) = try await deliverOwed(incidentID, notifier: notifier)
        return ActionOutcome(events: events, deliveries: deliveries, pages: pages)
    }

    /// Delivers the pages an incident owes now, unless a watcher holds the database's watch lock (it delivers
    /// them itself within a second, and two deliverers would page twice).
    nonisolated(nonsending) public func deliverOwed(_ incidentID: String, notifier: Notifier = Notifier()) async throws(UserError)
        -> (deliveries: [RecordedEvent], pages: ActionOutcome.Pages) {
        // Through a server, the server delivers what its actions leave owed, and its watcher the rest.
        guard remote == nil else { return ([], .noneOwed) }
        // A first look at the incident's row, which says when anything next falls due (a page's delivery included):
        // most actions owe nothing, and then the log is not read again. A drill's row is in real time; it is read whole.
        if let row = try? store.incident(incidentID), !row.projection.drill,
           row.projection.nextDueAt.map({ $0 > clock.now() }) ?? true {
            return ([], .noneOwed)
        }
        let current = try snapshot(incidentID)
        let contacts = current.team.contacts
        let owed = Scheduler.pendingDeliveries(state: current.state, channels: { role in
            self.channels(for: role, contacts: contacts, state: current.state).map(\.description)
        }, now: now(for: current.state))
        guard !owed.isEmpty else { return ([], .noneOwed) }
        if pagesOnlyThroughWatcher { return ([], .leftToWatcher) }
        guard let claim = await DeliveryClaim.acquire(databasePath: databasePath) else {
            return ([], Watcher.isRunning(databasePath: databasePath) ? .leftToWatcher : .deferred)
        }
        defer { claim.release() }
        return (try await deliverPending(incidentID, notifier: notifier), .delivered)
    }
}
