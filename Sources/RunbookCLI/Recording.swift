import RunbookCore
import RunbookRuntime

/// Records one command on an incident and prints what happened.
func record(_ command: IncidentCommand, incident: String, global: GlobalOptions, action: ActionOptions,
            service existing: IncidentService? = nil) throws {
    let workspace = Workspace(global: global)
    let service = try existing ?? workspace.service()
    let incident = try service.resolveIncidentID(incident)
    let now = service.clock.now()
    let events = try service.perform(command, on: incident, actor: try workspace.actor(action),
                                     occurredAt: try workspace.occurredAt(action, now: now))
    try printRecorded(events, incident: incident, service: service)
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
