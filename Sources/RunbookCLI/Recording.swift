import RunbookCore
import RunbookRuntime

/// Performs one action on an incident through the service and prints what it did: the events recorded, the
/// pages delivered, or that the watcher delivers them.
func record(_ command: IncidentCommand, incident: String, global: GlobalOptions, action: ActionOptions) async throws {
    let workspace = Workspace(global: global)
    let service = try workspace.service()
    let incident = try service.resolveIncidentID(incident)
    let outcome = try await service.act(command, on: incident, actor: try workspace.actor(action),
                                        occurredAt: try workspace.occurredAt(action, now: service.clock.now()))
    try printRecorded(outcome.events + outcome.deliveries, incident: incident, service: service)
    switch outcome.pages {
    case .leftToWatcher: out(Message.watchDeliversPages.text())
    case .deferred: err("runbook: warning: " + Message.pagesDeferred.text())
    case .noneOwed, .delivered: break
    }
}

/// Prints each recorded event as `INCIDENT #SEQUENCE what happened`.
func printRecorded(_ events: [RecordedEvent], incident: String, service: IncidentService) throws(UserError) {
    guard !events.isEmpty else { return }
    let runbook = try service.runbook(of: incident)
    for event in events {
        let prefix = "\(TTY.inline(incident)) #\(event.sequence) "
        out(prefix + TTY.block(EventDescription.describe(event.event, runbook: runbook), indent: TextWidth.of(prefix)))
    }
}
