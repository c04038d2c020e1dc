public import RunbookCore

extension IncidentService {
    /// Delivers the pages owed now (first attempts and retries whose backoff has passed) and records each
    /// attempt's result. A failing channel never blocks the others.
    @discardableResult
    nonisolated(nonsending) public func deliverPending(_ incidentID: String, notifier: Notifier) async throws(UserError) -> [RecordedEvent] {
        let current = try snapshot(incidentID)
        let now = now(for: current.state)
        let state = current.state
        let contacts = current.team.contacts
        let pending = Scheduler.pendingDeliveries(state: state, channels: { self.channels(for: $0, contacts: contacts, state: state).map(\.description) },
                                                  now: now)
        var recorded: [RecordedEvent] = []
        // Every page carries the log's checkpoint, and says so when verification finds the log altered.
        let integrity = pending.isEmpty ? nil : try? self.integrity(of: current)
        for delivery in pending {
            guard let channel = channels(for: delivery.role, contacts: contacts, state: state).first(where: { $0.description == delivery.channel }),
                  var message = message(for: delivery, in: current) else { continue }
            message.checkpoint = integrity?.checkpoint?.text
            message.sentAt = now
            message.integrityWarning = integrity?.finding(in: .current)
            let result = await notifier.deliver(message, via: channel)
            let event = IncidentEvent.notification(Delivery(
                episode: delivery.episode, index: delivery.index, role: delivery.role, channel: delivery.channel,
                attempt: delivery.attempt, succeeded: result.succeeded, detail: result.detail, error: result.error,
                onDuty: message.onDuty?.person, shift: message.onDuty?.shift))
            recorded += try record([event], on: incidentID)
        }
        return recorded
    }

    /// What a page says to a role.
    func message(for delivery: Scheduler.PendingDelivery, in snapshot: IncidentSnapshot) -> NotificationMessage? {
        let state = snapshot.state
        guard let episode = state.episodes.first(where: { $0.number == delivery.episode }),
              let page = episode.pages.first(where: { $0.index == delivery.index }) else { return nil }
        var reason = episode.cause.text()
        if let manual = page.reason { reason += "; \(manual)" } else if page.manual { reason += "; " + Message.escalatedByPerson(page.recorded.by).text() }
        let stage = snapshot.runbook.state(state.stateID)?.title ?? state.stateID
        // A routine check has no severity: its page says it is a checklist run.
        let severity = snapshot.runbook.kind == .checklist ? Message.schedule(.label(.checklist)).text(in: .english) : state.severity
        var message = NotificationMessage(incidentID: state.id, runbookID: state.runbookID, title: state.title, severity: severity,
                                          stage: stage, role: delivery.role, tier: page.tier, round: page.round, reason: reason,
                                          drill: state.drill, acknowledgeCommand: "runbook ack \(state.id)")
        // A role with a rotation is paged as the person on duty when the page fell due (SPEC §3.2).
        message.onDuty = snapshot.team.roster.onDuty(delivery.role, at: page.dueAt)
        return message
    }

    /// Appends events produced by the engine itself (delivery results, reports), retrying on a concurrent append.
    @discardableResult
    public func record(_ events: [IncidentEvent], on incidentID: String) throws(UserError) -> [RecordedEvent] {
        try appendAsSystem(incidentID) { current, now in (events, max(now, current.state.lastRecordedAt)) }
    }
}
