public import RunbookCore

/// What became of one alert (SPEC §10): the answer the webhook gives for it.
public enum AlertDisposition: Sendable, Equatable {
    /// A firing alert no open incident holds, matched by a route: it opened an incident of the route's runbook.
    case opened(incident: String, runbook: String, severity: String)
    /// The same alert (its fingerprint, or its notification group on the same runbook) while its incident is open:
    /// recorded there as another `alert.received`.
    case recorded(incident: String)
    /// A resolved alert: a note on its incident, which stays as it is (resolving is the responders' decision).
    case resolvedNote(incident: String)
    /// A firing alert that no route matches: nothing recorded (the server logs it).
    case noRoute
    /// A resolved alert that no open incident holds: nothing to record.
    case noOpenIncident

    /// The incident it concerns, if any.
    public var incident: String? {
        switch self {
        case .opened(let id, _, _), .recorded(let id), .resolvedNote(let id): id
        case .noRoute, .noOpenIncident: nil
        }
    }

    /// A short stable name, for the API.
    public var name: String {
        switch self {
        case .opened: "opened"
        case .recorded: "recorded"
        case .resolvedNote: "resolved-note"
        case .noRoute: "no-route"
        case .noOpenIncident: "no-open-incident"
        }
    }
}

extension IncidentService {
    /// Records one alert from a monitoring system: on the incident that already holds it while that one is not closed,
    /// else, when it fires and `route` (the first route of alerts.yaml that matches it) exists, as a new incident of
    /// the route's runbook. The actor is the source (`alertmanager`), the login `alert:SOURCE`.
    ///
    /// The same fingerprint of the same source is the same alert, on any runbook; the same Alertmanager (or Grafana)
    /// group key is the same alert only on an incident of the runbook the route names (one group may hold alerts
    /// that go to different runbooks). A resolved alert leaves a note and never resolves or closes anything.
    public func receiveAlert(_ alert: ReceivedAlert, route: AlertRoute?) throws(UserError) -> AlertDisposition {
        // The task-local's synchronous `withValue` throws untyped errors: the outcome comes back as a Result.
        let result = Self.$requestIdentity.withValue(RequestIdentity(login: Identity.alertLogin(alert.source))) { () -> Result<AlertDisposition, UserError> in
            do throws(UserError) {
                return .success(try recordAlert(alert, route: route))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private func recordAlert(_ alert: ReceivedAlert, route: AlertRoute?) throws(UserError) -> AlertDisposition {
        let source = alert.source
        if let held = try openIncident(holding: alert.fingerprintKey, runbook: nil) {
            if alert.status == .resolved {
                let note = Message.server(.alert(.resolvedNote(source: source, title: TextHygiene.escape(alert.title),
                                                               fingerprint: TextHygiene.escape(alert.fingerprint)))).text(in: .english)
                try perform(.note(note), on: held, actor: source)
                return .resolvedNote(incident: held)
            }
            if try record(alert, on: held) { return .recorded(incident: held) }
        }
        guard alert.status == .firing else { return .noOpenIncident }
        guard let route else { return .noRoute }
        if let group = alert.groupKeyKey, let held = try openIncident(holding: group, runbook: route.runbook),
           try record(alert, on: held) {
            return .recorded(incident: held)
        }
        guard let started = try start(runbookID: route.runbook, title: alert.incidentTitle(preferred: route.title), severity: route.severity,
                                      drill: false, actor: source, bringUpToDate: true, alert: alert) else {
            throw UserError(.failed, "the incident was not opened")
        }
        return .opened(incident: started.state.id, runbook: route.runbook, severity: started.state.severity)
    }

    /// Records `alert` on `incidentID`; false when the incident was closed in the meantime (the alert then goes on
    /// as a new one).
    private func record(_ alert: ReceivedAlert, on incidentID: String) throws(UserError) -> Bool {
        do {
            try perform(.receiveAlert(alert), on: incidentID, actor: alert.source)
            return true
        } catch {
            if error.refusal != nil { return false }
            throw error
        }
    }

    /// The newest incident that is not closed (and not a drill) whose log holds an alert with `key`
    /// (`ReceivedAlert.fingerprintKey` or `groupKeyKey`), on `runbook` when given.
    ///
    /// Open incidents are few: each one's `alert.received` records are read and only those decoded.
    public func openIncident(holding key: String, runbook: String?) throws(UserError) -> String? {
        do {
            for row in try store.incidents(statuses: ["open", "resolved"]) where !row.projection.drill {
                if let runbook, row.runbookID != runbook { continue }
                for record in try store.events(of: row.id, after: 0) where record.type == "alert.received" {
                    guard case .alertReceived(let held)? = try? IncidentEvent.decode(record).event else { continue }
                    if held.fingerprintKey == key || held.groupKeyKey == key { return row.id }
                }
            }
        } catch {
            throw Self.userError(error, database: nil)
        }
        return nil
    }
}
