#if canImport(Glibc)
import Glibc
#endif
public import RunbookCore
import RunbookStore

extension IncidentService {
    /// Runs a call step (SPEC §3.2): checks it may start as a command step would (gates, order, a child still open),
    /// resolves its `env:` against the parent's recorded inputs, opens the child incident of the called runbook from
    /// the parent's runbooks folder (with the parent's severity, drill flag and clock, and frozen roster), then records
    /// `call.started` on the parent. Returns the child and the parent's events.
    public func startCall(_ stepID: String, on incidentID: String, actor: String) throws(UserError)
        -> (child: IncidentSnapshot, events: [RecordedEvent]) {
        if let remote { return try startCallRemotely(stepID, on: incidentID, through: remote) }
        // Check, open the child and record it on the parent as one step across processes: two people starting the
        // step at once would otherwise each open a child (the loser's left open, paging, linked to nobody).
        var lock: WatchLock?
        if let path = (store as? SQLiteEventStore)?.path {
            lock = try WatchLock(databasePath: path, suffix: ".call-lock")
            var waited = 0
            while lock?.tryLock() == false {
                // Another process is opening a child; it takes as long as an opening (milliseconds), never minutes.
                guard waited < 30_000 else { throw UserError(.failed, "another process is starting a call step of this database; try again") }
                usleep(20_000)
                waited += 20
            }
        }
        defer { lock?.unlock() }
        try check(.startCall(step: stepID, child: nil), on: incidentID, actor: actor)
        let parent = try snapshot(incidentID)
        let now = now(for: parent.state)
        let state = dueFoldedIn(parent, now: now).state
        guard let step = parent.runbook.state(state.stateID)?.step(stepID), let call = step.call else {
            throw UserError(.failed, "step `\(stepID)` is no longer current in incident \(incidentID)")
        }
        // The called runbook comes from the folder the parent's runbooks came from, as the parent's would.
        let directory = state.roster?.directory ?? library.directory
        let loaded = try RunbookLibrary(directory: directory).load(call.runbook)
        let opening: ChildOpening
        do {
            opening = try ChildOpening.of(call, step: stepID, parent: state, now: now, realNow: realClock.now(), childKind: loaded.runbook.kind)
        } catch {
            throw UserError(error)
        }
        // The parent's frozen roster and contacts are the child's: the same people act and are paged.
        var freeze: RosterFreeze
        if let frozen = state.roster {
            freeze = frozen
            freeze.reload = false
        } else {
            freeze = try storeFrozenTexts(of: team, reload: false)
        }
        guard let child = try open(loaded, title: nil, severity: opening.severity, drill: opening.drill, drillClock: opening.drillClock,
                                   actor: actor, now: now, team: parent.team, freeze: freeze, impact: nil, calledBy: opening.calledBy,
                                   bringUpToDate: true) else {
            throw UserError(.failed, "the incident was not opened")
        }
        let events: [RecordedEvent]
        do {
            events = try perform(.startCall(step: stepID, child: child.state.id), on: incidentID, actor: actor)
        } catch {
            // Someone started the step (or moved the parent on) in between: the child says it is not linked.
            _ = try? perform(.note("not linked to \(incidentID): its step \(stepID) refused this incident: \(error.message)"),
                             on: child.state.id, actor: actor)
            throw error
        }
        return (child, events)
    }

    /// The call step `stepID` of the incident's runbook, if that step is one (in any state: the engine says where).
    public func callSpec(of stepID: String, on incidentID: String) throws(UserError) -> CallSpec? {
        let runbook = try runbook(of: incidentID)
        return runbook.states.lazy.compactMap { $0.step(stepID)?.call }.first
    }

    /// How the children of the incident's unsettled calls ended, read from their logs; none while they are open.
    func endedChildren(of state: IncidentState) -> [ChildOutcome] {
        state.unsettledCalls.compactMap { link in
            // The child's row tells cheaply whether it is still open; only an ended child's log is read.
            guard let row = try? store.incident(link.child), row.projection.status != IncidentState.Status.open.rawValue,
                  let child = try? snapshot(link.child) else { return nil }
            return ChildOutcome(of: child.state, kind: child.runbook.kind)
        }
    }

    /// The incidents linked to `state` by calls, as they stand now: its parent, and each child with its status and stage.
    public func linkedIncidents(of state: IncidentState) -> [LinkedIncident] {
        var linked = LinkedIncident.recorded(in: state)
        for index in linked.indices {
            let link = linked[index]
            switch link.role {
            case .parent:
                // A child its parent never recorded (a crash between the child's opening and the parent's `call.started`,
                // or a second run that won the step): the parent does not wait for it, and its views must not pretend otherwise.
                linked[index].recorded = (try? snapshot(link.incident))?.state.calls.contains { $0.child == state.id } ?? true
            case .child:
                // Where the child stands by its log, never by its incident row: a row edited outside runbook (status set to
                // resolved) must not make the parent's views say the child resolved while its events say it is open.
                guard let child = try? snapshot(link.incident) else { continue }
                switch child.state.status {
                case .open:
                    linked[index].result = .open(stage: child.state.stateID)
                case .resolved:
                    linked[index].result = .resolved
                case .closed:
                    // Resolved first or not, as recorded here, else as the child's log tells (a routine check: closed with
                    // no check failed).
                    if link.result == .open(stage: nil) {
                        linked[index].result = ChildOutcome(of: child.state, kind: child.runbook.kind)?.resolved == true ? .resolved : .closedUnresolved
                    }
                }
            }
        }
        return linked
    }
}
