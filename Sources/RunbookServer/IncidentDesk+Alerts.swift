#if canImport(Glibc)
import Glibc
#endif
import RunbookCore
import RunbookRuntime

/// One alert of a delivery and what became of it.
struct AlertOutcome: Sendable {
    var alert: ReceivedAlert
    var route: AlertRoute?
    var disposition: AlertDisposition
    /// What became of the pages of the incident it concerns.
    var pages: ActionOutcome.Pages

    var json: JSONValue {
        .object([("fingerprint", .string(alert.fingerprint)), ("status", .string(alert.status.rawValue)), ("title", .string(alert.title)),
                 ("outcome", .string(disposition.name)), ("incident", .optional(disposition.incident)),
                 ("route", .optional(route.map { Int64($0.index) })), ("runbook", .optional(route?.runbook)),
                 ("severity", .optional(disposition.severity)), ("pages", .string(pages.name))])
    }
}

extension AlertDisposition {
    /// The severity of the incident it opened.
    var severity: String? {
        if case .opened(_, _, let severity) = self { return severity }
        return nil
    }
}

extension IncidentDesk {
    /// The rules of the runbooks folder's alerts.yaml as it is now (it is read for every delivery, so an edit needs no
    /// restart), or the problem that refuses every alert until the file is there and right: `503`, which an
    /// Alertmanager retries.
    func alertRules() throws(Problem) -> AlertRules {
        // Read again only when alerts.yaml or a runbook file changed (size and modification time): a delivery, signed or
        // not, must not cost a parse of every runbook.
        let key = Self.filesKey(settings.runbooksPath)
        if let cached = alertRulesCache, cached.key == key { return try cached.result.get() }
        let result = Result { () throws(Problem) -> AlertRules in try readAlertRules() }
        alertRulesCache = (key, result)
        return try result.get()
    }

    /// The size and modification time of every file of the runbooks folder, as one string.
    static func filesKey(_ directory: String) -> String {
        let names = (FileIO.list(directory) ?? []).sorted()
        return names.map { name in
            var info = stat()
            guard stat("\(directory)/\(name)", &info) == 0 else { return name }
            return "\(name):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }.joined(separator: "|")
    }

    private func readAlertRules() throws(Problem) -> AlertRules {
        let library = RunbookLibrary(directory: settings.runbooksPath)
        let read: (AlertRules, [Diagnostic], text: String)?
        do {
            read = try AlertsFile.read(directory: settings.runbooksPath, library: library)
        } catch {
            throw Problem(.serviceUnavailable, code: "alerts-unreadable", detail: error.message)
        }
        guard let (rules, diagnostics, _) = read else {
            throw Problem(.serviceUnavailable, code: "no-alert-rules",
                          detail: Message.server(.alert(.noRules(file: AlertsFile.path(in: settings.runbooksPath)))).text())
        }
        let errors = diagnostics.filter { !$0.isWarning }
        if let first = errors.first {
            throw Problem(.serviceUnavailable, code: "alert-rules-invalid",
                          detail: Message.server(.alert(.rulesInvalid(first: first.headline, more: errors.count - 1))).text())
        }
        return rules
    }

    /// Routes and records each alert of one delivery in turn, with the roster and contacts of the runbooks folder as
    /// they are now, and delivers the pages each incident then owes (unless a watcher does).
    func receive(_ alerts: [ReceivedAlert], rules: AlertRules) async throws(Problem) -> [AlertOutcome] {
        do {
            service = try Self.makeService(settings, clock: clock)
            var outcomes: [AlertOutcome] = []
            for alert in alerts {
                let route = rules.route(for: alert)
                let disposition = try service.receiveAlert(alert, route: route)
                var pages = ActionOutcome.Pages.noneOwed
                if let id = disposition.incident {
                    pages = try await service.deliverOwed(id).pages
                }
                outcomes.append(AlertOutcome(alert: alert, route: route, disposition: disposition, pages: pages))
            }
            return outcomes
        } catch {
            throw Problem.caught(error)
        }
    }
}
