import RunbookCore
import RunbookRuntime

/// The incident page: its header, its stage with each step's status, gates and actions (those of guided mode), the
/// incident's own actions, and the timeline. The live part (everything but the incident's action forms) is also
/// served alone, for the script to swap in when an event arrives.
enum IncidentPage {
    /// The most recent events the page lists; the post-mortem has them all.
    static let timelineLength = 300

    static func document(_ incident: WebIncident, language l: Language, person: String, csrf: String, flash: Flash?) -> String {
        let state = incident.snapshot.state
        let t = { (text: Message.WebText) in WebPage.h(Message.web(text).text(in: l)) }
        let path = "/incidents/" + PercentEncoding.encode(state.id)
        var body = ""
        if let flash {
            body += "<p class=\"flash\(flash.refused ? " refused" : "")\" role=\"status\" id=\"flash\">\(WebPage.h(flash.text))</p>\n"
        }
        body += "<div id=\"live\">\(live(incident, language: l, csrf: csrf))</div>\n"
        if !state.isClosed {
            let form = { (action: String, inner: String) in
                "<form method=\"post\" action=\"\(path)/\(action)\">\(WebPage.csrfField(csrf))\(inner)</form>"
            }
            body += "<h2>\(t(.incidentActions))</h2><div class=\"actions\">"
            body += form("notes", "<input type=\"text\" name=\"text\" size=\"40\" aria-label=\"\(t(.noteLabel))\" placeholder=\"\(t(.noteLabel))\"> "
                         + "<button type=\"submit\">\(t(.addNote))</button>")
            body += form("ack", "<button type=\"submit\">\(t(.acknowledge))</button>")
            body += form("escalate", "<input type=\"text\" name=\"reason\" aria-label=\"\(t(.reasonLabel))\" placeholder=\"\(t(.reasonLabel))\"> "
                         + "<button type=\"submit\">\(t(.escalate))</button>")
            body += form("resolve", "<input type=\"text\" name=\"note\" aria-label=\"\(t(.noteLabel))\" placeholder=\"\(t(.noteLabel))\"> "
                         + "<button type=\"submit\">\(t(.resolve))</button>")
            body += "</div>\n"
        }
        body += "<p><a href=\"\(path)/report\">\(t(.postmortem))</a> · <a href=\"/stats\">\(t(.stats))</a></p>"
        return WebPage.document(title: "\(state.id) \(state.title)", language: l, person: person, csrf: csrf, path: path,
                                data: [("now", "\(incident.now.milliseconds)"), ("incident", WebPage.h(state.id)),
                                       ("seq", "\(incident.snapshot.lastStoredSequence)")],
                                body: body)
    }

    /// The part of the page that changes with each event.
    static func live(_ incident: WebIncident, language l: Language, csrf: String) -> String {
        let snapshot = incident.snapshot
        let state = snapshot.state
        let runbook = snapshot.runbook
        let t = { (text: Message.WebText) in WebPage.h(Message.web(text).text(in: l)) }
        let h = WebPage.h
        var out = ""
        let drill = state.drill ? h(Message.drillMark.text(in: l)) : ""
        out += "<h1><span class=\"id\">\(h(state.id))</span>\(drill) <span class=\"severity\">\(h(state.severity))</span> "
            + "<span class=\"incident-status\">\(h(Message.incidentStatus(state.status.rawValue).text(in: l)))</span> "
            + "<span class=\"title\">\(h(state.title))</span></h1>\n"
        var facts = ["\(t(.runbookLabel)): \(h(state.runbookID))", "\(h(LocalTime.full(state.openedAt))) · \(h(state.openedBy))"]
        if let ack = state.acknowledged {
            facts.append("\(t(.columnAcknowledged)): \(h(ack.by)) \(h(LocalTime.time(ack.at)))")
        } else if !state.isClosed {
            facts.append("<span class=\"overdue\">\(t(.notAcknowledged))</span>")
        }
        facts.append("\(t(.columnLastPage)): \(h(IncidentList.lastPage(state, language: l)))")
        out += "<p class=\"facts\">\(facts.joined(separator: " · ")) <span class=\"live\" id=\"live-state\" hidden>● \(t(.liveUpdates))</span></p>\n"
        if let broken = incident.integrity?.finding(in: l) {
            out += "<p class=\"flash refused\">\(h(broken))</p>\n"
        }
        if let stage = runbook.state(state.stateID) {
            let position = state.stagePosition(in: runbook) ?? (index: 1, count: 1)
            out += "<h2 id=\"stage\">"
            out += state.isClosed ? t(.closedStage(title: stage.title)) : t(.stage(index: position.index, count: position.count, title: stage.title))
            if !state.isClosed, let due = state.stageDeadline(in: runbook) {
                let countdown = EventDescription.countdown(from: incident.now, to: due, language: l)
                out += " <span class=\"deadline\">— \(t(.deadline(""))) <span class=\"countdown\(due <= incident.now ? " overdue" : "")\" "
                    + "data-due=\"\(due.milliseconds)\">\(h(countdown))</span></span>"
            }
            out += "</h2>\n"
            if !state.isClosed, let gate = WindowGate.closed(stage, state: state, at: incident.now) {
                out += "<p class=\"gate\">\(h(Message.waitsForWindow(gate).text(in: l)))</p>\n"
            }
            if let note = stage.note { out += "<p class=\"muted\">\(h(note))</p>\n" }
            out += "<section id=\"steps\">\n"
            for step in stage.steps {
                out += stepBlock(step, stage: stage, incident: incident, language: l, csrf: csrf)
            }
            out += "</section>\n"
            if stage.steps.contains(where: { if case .command = $0.kind { true } else { false } }) {
                out += "<p class=\"muted\">\(t(.runsOnServer))</p>\n"
            }
        }
        out += "<h2>\(t(.timeline))</h2>\n"
        let events = snapshot.events.suffix(timelineLength)
        if snapshot.events.count > events.count {
            out += "<p class=\"muted\">\(t(.earlierEvents(count: snapshot.events.count - events.count)))</p>\n"
        }
        out += "<ol class=\"timeline\" id=\"timeline\">\n"
        for event in events {
            let text = EventDescription.describe(event.event, runbook: runbook, language: l)
            out += "<li data-seq=\"\(event.sequence)\"><span class=\"seq\">#\(event.sequence) \(h(LocalTime.time(event.at)))</span> "
                + "\(h(event.actor)): \(h(text))</li>\n"
        }
        out += "</ol>\n"
        return out
    }

    /// One step: its status and what it needs or what happened, and the actions that apply to it.
    static func stepBlock(_ step: Step, stage: RunbookState, incident: WebIncident, language l: Language, csrf: String) -> String {
        let state = incident.snapshot.state
        let runbook = incident.snapshot.runbook
        let progress = state.steps[step.id] ?? StepProgress()
        let h = WebPage.h
        let t = { (text: Message.WebText) in h(Message.web(text).text(in: l)) }
        let status = webStatus(progress.status)
        var out = "<div class=\"step\(progress.isSettled ? " settled" : "")\" id=\"step-\(h(step.id))\" data-status=\"\(status.rawValue)\">\n"
        out += "<div><span class=\"status status-\(status.rawValue)\">\(t(.status(status)))</span> <code>\(h(step.id))</code> "
            + "\(h(step.title))\(step.destructive ? " <span class=\"destructive\">\(t(.destructive))</span>" : "")</div>\n"
        var details: [String] = []
        switch progress.status {
        case .done, .skipped, .failed:
            if let finished = progress.finished { details.append(t(.settledBy(by: finished.by, at: LocalTime.time(finished.at)))) }
            if let value = progress.value { details.append("\(t(.valueLabel)): \(h(value))") }
            if let note = progress.note { details.append("\(t(.noteLabel)): \(h(note))") }
        case .attemptFailed:
            if let outcome = progress.outcome { details.append(h(step.verdict(of: outcome).summary(in: l))) }
            if let note = progress.note { details.append("\(t(.noteLabel)): \(h(note))") }
        case .running:
            if let started = progress.started { details.append(t(.settledBy(by: started.by, at: LocalTime.time(started.at)))) }
            if case .wait(let duration) = step.kind, let started = progress.started {
                let due = started.at + duration
                details.append("<span class=\"countdown\" data-due=\"\(due.milliseconds)\">"
                               + "\(h(EventDescription.countdown(from: incident.now, to: due, language: l)))</span>")
            }
        case .pending:
            let waiting = stage.prerequisites(of: step.id).filter { state.steps[$0.step]?.isSettled != true }
            if !waiting.isEmpty {
                let list = waiting.map { "\($0.step) (\($0.reason.rawValue))" }.joined(separator: ", ")
                details.append("<span class=\"gate\">\(t(.waitsFor(list)))</span>")
            }
        }
        switch step.kind {
        case .command(let command): details.append("<code>\(t(.willRun(command: command.run)))</code>")
        case .approval(let approval) where !progress.isSettled:
            let role = runbook.role(approval.role)?.title ?? approval.role
            details.append(t(.approvalBy(role: role, given: progress.approvals.map(\.by), needed: approval.min)))
        case .input(let input) where progress.status == .pending:
            if let prompt = input.prompt { details.append(h(prompt)) }
        case .call(let call):
            let result = progress.child.flatMap { child in incident.snapshot.linked.first { $0.role == .child && $0.incident == child }?.result }
            details.append(h(Message.callStepDetail(runbook: call.runbook, child: progress.child, result: result).text(in: l)))
        case .manual, .input, .wait, .approval: break
        }
        if let note = step.note, !progress.isSettled { details.append("<span class=\"muted\">ℹ \(h(note))</span>") }
        if !details.isEmpty { out += "<div class=\"detail\">\(details.joined(separator: " · "))</div>\n" }
        if let outcome = progress.outcome {
            let text = [outcome.stdout, outcome.stderr].filter { $0.totalBytes > 0 }
                .map { $0.tail.isEmpty ? $0.head : "…" + $0.tail }.joined(separator: "\n")
            if !text.isEmpty { out += "<pre class=\"output\">\(h(String(text.suffix(2000))))</pre>\n" }
        }
        if !state.isClosed, !progress.isSettled, progress.status != .failed {
            out += forms(step, progress: progress, incident: state.id, language: l, csrf: csrf)
        }
        return out + "</div>\n"
    }

    /// The actions of an unsettled step, as guided mode offers them.
    static func forms(_ step: Step, progress: StepProgress, incident: String, language l: Language, csrf: String) -> String {
        let h = WebPage.h
        let t = { (text: Message.WebText) in h(Message.web(text).text(in: l)) }
        let base = "/incidents/\(PercentEncoding.encode(incident))/steps/\(PercentEncoding.encode(step.id))"
        let csrfField = WebPage.csrfField(csrf)
        var out = ""
        switch step.kind {
        case .command, .call:
            let confirm = step.destructive
                ? "<input type=\"text\" name=\"confirm\" autocomplete=\"off\" aria-label=\"\(t(.typeStepID(step: step.id)))\" "
                    + "placeholder=\"\(t(.typeStepID(step: step.id)))\" size=\"28\">"
                : "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> \(t(.confirmRun))</label>"
            out += "<form method=\"post\" action=\"\(base)/run\" class=\"run\">\(csrfField)\(confirm) "
                + "<button type=\"submit\" name=\"do\" value=\"run\">\(t(.run))</button></form>\n"
        case .input(let input):
            if let choices = input.choices {
                out += "<form method=\"post\" action=\"\(base)/input\" class=\"input\">\(csrfField)"
                    + choices.map { "<button type=\"submit\" name=\"value\" value=\"\(h($0))\">\(h($0))</button>" }.joined() + "</form>\n"
            } else {
                out += "<form method=\"post\" action=\"\(base)/input\" class=\"input\">\(csrfField)"
                    + "<input type=\"text\" name=\"value\" aria-label=\"\(t(.valueLabel))\" placeholder=\"\(h(input.prompt ?? Message.web(.valueLabel).text(in: l)))\"> "
                    + "<button type=\"submit\">\(t(.submitInput))</button></form>\n"
            }
        case .approval:
            out += "<form method=\"post\" action=\"\(base)/approve\" class=\"approve inline\">\(csrfField)"
                + "<button type=\"submit\">\(t(.approve))</button></form>\n"
            out += "<form method=\"post\" action=\"\(base)/break-glass\" class=\"break-glass\">\(csrfField)"
                + "<input type=\"text\" name=\"reason\" size=\"36\" aria-label=\"\(t(.reasonLabel))\" placeholder=\"\(t(.reasonLabel))\"> "
                + "<button type=\"submit\">\(t(.breakGlass))</button> <span class=\"muted\">\(t(.breakGlassHint))</span></form>\n"
        case .manual, .wait:
            break
        }
        out += "<form method=\"post\" action=\"\(base)/done\" class=\"mark\">\(csrfField)"
            + "<input type=\"text\" name=\"note\" size=\"36\" aria-label=\"\(t(.noteLabel))\" placeholder=\"\(t(.noteLabel))\"> "
            + "<button type=\"submit\">\(t(.done))</button>"
            + "<button type=\"submit\" formaction=\"\(base)/skip\">\(t(.skip))</button>"
            + "<button type=\"submit\" formaction=\"\(base)/fail\">\(t(.fail))</button></form>\n"
        return out
    }

    static func webStatus(_ status: StepProgress.Status) -> Message.WebText.StepStatus {
        switch status {
        case .pending: .pending
        case .running: .running
        case .done: .done
        case .skipped: .skipped
        case .failed: .failed
        case .attemptFailed: .attemptFailed
        }
    }
}
