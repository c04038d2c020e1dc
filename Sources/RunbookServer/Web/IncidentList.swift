import RunbookCore
import RunbookRuntime

/// The front page: the incidents not yet closed with their stage, a live countdown to the stage's deadline (red once
/// overdue), severity and last page; and a form to start one.
enum IncidentList {
    static func document(_ incidents: [WebIncident], runbooks: [(id: String, title: String)], now: Instant, language l: Language,
                         person: String, csrf: String, flash: Flash?) -> String {
        let t = { (text: Message.WebText) in WebPage.h(Message.web(text).text(in: l)) }
        let h = WebPage.h
        var body = ""
        if let flash {
            body += "<p class=\"flash\(flash.refused ? " refused" : "")\" role=\"status\" id=\"flash\">\(h(flash.text))</p>\n"
        }
        body += "<div id=\"list\">\(list(incidents, language: l))</div>\n"
        body += "<h2>\(t(.startIncident))</h2>\n<form method=\"post\" action=\"/incidents\" class=\"start\">\(WebPage.csrfField(csrf))"
            + "<label>\(t(.runbookLabel)) <select name=\"runbook\">"
            + runbooks.map { "<option value=\"\(h($0.id))\">\(h($0.id)) — \(h($0.title))</option>" }.joined()
            + "</select></label> <label>\(t(.titleLabel)) <input type=\"text\" name=\"title\" size=\"30\"></label> "
            + "<label>\(t(.severityLabel)) <input type=\"text\" name=\"severity\" size=\"6\"></label> "
            + "<label><input type=\"checkbox\" name=\"drill\" value=\"yes\"> \(t(.drillLabel))</label> "
            + "<button type=\"submit\">\(t(.start))</button></form>\n"
        return WebPage.document(title: Message.web(.openIncidents).text(in: l), language: l, person: person, csrf: csrf, path: "/",
                                data: [("now", "\(now.milliseconds)"), ("list", "1")], body: body)
    }

    /// The table of open incidents (the part the list's stream refreshes).
    static func list(_ incidents: [WebIncident], language l: Language) -> String {
        let t = { (text: Message.WebText) in WebPage.h(Message.web(text).text(in: l)) }
        let h = WebPage.h
        var out = "<h1>\(t(.openIncidents))</h1>\n"
        guard !incidents.isEmpty else { return out + "<p class=\"muted\">\(t(.noOpenIncidents))</p>\n" }
        out += "<table><thead><tr><th>\(t(.columnIncident))</th><th>\(t(.columnTitle))</th><th>\(t(.columnSeverity))</th>"
            + "<th>\(t(.columnStage))</th><th>\(t(.columnDeadline))</th><th>\(t(.columnLastPage))</th><th>\(t(.columnAcknowledged))</th></tr></thead><tbody>\n"
        for incident in incidents {
            let state = incident.snapshot.state
            let runbook = incident.snapshot.runbook
            let stage = runbook.state(state.stateID)?.title ?? state.stateID
            var deadline = "-"
            if let due = state.stageDeadline(in: runbook) {
                // A drill's deadline is on its own clock: shown as the wall-clock instant it falls due now.
                let wall = Instant(milliseconds: due.milliseconds - incident.now.milliseconds + incident.realNow.milliseconds)
                deadline = "<span class=\"countdown\(due <= incident.now ? " overdue" : "")\" data-due=\"\(wall.milliseconds)\">"
                    + "\(h(EventDescription.countdown(from: incident.now, to: due, language: l)))</span>"
            }
            let drill = state.drill ? h(Message.drillMark.text(in: l)) : ""
            let ack = state.acknowledged.map { h("\($0.by) \(LocalTime.time($0.at))") } ?? "<span class=\"overdue\">\(t(.notAcknowledged))</span>"
            out += "<tr data-incident=\"\(h(state.id))\"><td><a href=\"/incidents/\(PercentEncoding.encode(state.id))\">\(h(state.id))</a>\(drill)</td>"
                + "<td>\(h(state.title))</td><td>\(h(state.severity))</td><td>\(h(stage))</td><td>\(deadline)</td>"
                + "<td>\(h(lastPage(state, language: l)))</td><td>\(ack)</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// "tier 2 at 10:42:00" for the incident's latest page, "none" before any.
    static func lastPage(_ state: IncidentState, language l: Language) -> String {
        guard let page = state.episodes.flatMap(\.pages).max(by: { $0.recorded.sequence < $1.recorded.sequence }) else {
            return Message.web(.noPage).text(in: l)
        }
        return Message.web(.lastPage(tier: page.tier, at: LocalTime.time(page.recorded.at))).text(in: l)
    }
}
