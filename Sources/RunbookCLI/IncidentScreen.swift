import RunbookCore
import RunbookRuntime

/// The detail view of one incident: header, stage k of n with its countdown, steps with their states.
/// Shared by `runbook status INCIDENT` and guided mode. Every user text goes through `TTY.inline` (one-line
/// places: titles, names, table cells) or `TTY.block` (notes and events, continuation lines indented).
enum IncidentScreen {
    /// `outputTail` lines of a finished or failed command step's last output show under it (guided mode).
    static func render(_ snapshot: IncidentSnapshot, now: Instant, tty: TTY, width: Int?, selected: String? = nil,
                       recent: Int = 3, findings: Bool = false, integrity: IntegrityVerdict? = nil, outputTail: Int = 0) -> [String] {
        let state = snapshot.state
        let runbook = snapshot.runbook
        var lines: [String] = []
        let language = GuidedText.language
        let word = Message.incidentStatus(state.status.rawValue).text(in: language)
        let statusText: String = switch state.status {
        case .open: tty.paint(word, .yellow, .bold)
        case .resolved, .closed: tty.paint(word, .green)
        }
        let drill = state.drill ? tty.paint(GuidedText.drillMark, .cyan, .bold) : ""
        // A routine check has no severity: its header says `checklist` instead.
        let kind = runbook.kind == .checklist ? Message.schedule(.label(.checklist)).text(in: language) : state.severity
        lines.append(tty.paint(state.id, .bold) + drill + "  \(kind)  " + statusText + "  " + TTY.inline(state.title))
        var facts = [GuidedText.runbookFact(state.runbookID),
                     GuidedText.openedFact(at: LocalTime.full(state.openedAt), by: TTY.inline(state.openedBy))]
        if let ack = state.acknowledged {
            facts.append(GuidedText.acknowledgedFact(by: TTY.inline(ack.by), at: LocalTime.time(ack.at)))
        } else if !state.isClosed, runbook.kind == .incident {
            facts.append(tty.paint(GuidedText.notAcknowledged, .yellow))
        }
        if let resolved = state.resolved { facts.append(GuidedText.resolvedFact(at: LocalTime.time(resolved.at))) }
        if let origin = state.calledBy {
            if snapshot.linked.contains(where: { $0.role == .parent && !$0.recorded }) {
                facts.append(tty.paint(Message.calledByUnlinked(incident: origin.incident, step: origin.step).text(in: language), .yellow))
            } else {
                facts.append(Message.calledBy(incident: origin.incident, step: origin.step).text(in: language))
            }
        }
        lines.append(facts.joined(separator: " · "))
        // The RTO on its own line, so it is never the part a narrow terminal cuts.
        if let clock = state.rtoClock(in: runbook, now: now) {
            let rto = GuidedText.rto(clock)
            lines.append(clock.overdue ? tty.paint(rto, .red, .bold) : rto)
        }
        if let broken = integrity?.finding(in: GuidedText.language) {
            lines.append(tty.paint(TTY.inline(GuidedText.logBroken(broken, incident: state.id)), .red, .bold))
        }
        if let banner = pagedBanner(state, runbook: runbook) { lines.append(tty.paint(TTY.inline(banner), .red, .bold)) }
        // Pages a maintenance window holds: "tier 2 held by sunday-maintenance until …" (SPEC §3.2).
        for episode in state.episodes where state.isActive(episode) {
            if let hold = episode.pendingHold, let text = heldText(hold, in: snapshot.events) {
                lines.append(tty.paint(TTY.inline(text), .yellow))
            }
        }
        lines.append("")
        if let stage = runbook.state(state.stateID) {
            let position = state.stagePosition(in: runbook).map { GuidedText.stagePosition($0.index, of: $0.count) } ?? ""
            var header = tty.paint(position + TTY.inline(stage.title), .bold)
            if state.isClosed {
                header += GuidedText.closedAt(state.closed.map { LocalTime.time($0.at) } ?? "")
            } else if let due = state.stageDeadline(in: runbook), let deadline = stage.deadline {
                let countdown = EventDescription.countdown(from: now, to: due, language: language)
                let overdue = due <= now
                header += GuidedText.deadline(deadline) + (overdue ? tty.paint(countdown, .red, .bold) : countdown)
            }
            lines.append(header)
            if !state.isClosed, let gate = WindowGate.closed(stage, state: state, at: now) {
                lines.append(tty.paint("  " + TTY.inline(Message.waitsForWindow(gate).text(in: language)), .yellow))
            }
            if let note = stage.note { lines += tty.blockLines(note, indent: 2, .dim).map { "  " + $0 } }
            var rows: [[String]] = []
            for (index, step) in stage.steps.enumerated() {
                let progress = state.steps[step.id] ?? StepProgress()
                let pointer = step.id == selected ? ">" : " "
                rows.append(["\(pointer)\(index + 1). \(marker(progress.status))", step.id, TTY.inline(step.title),
                             TTY.inline(callDetail(step, progress, linked: snapshot.linked)
                                ?? detail(step, progress, stage: stage, state: state, now: now))])
            }
            // Under its own row: the selected step's note and command, and a command's last output.
            for (step, line) in zip(stage.steps, Table.render(rows)) {
                lines.append(paintStepLine(line.trimmingTrailingSpaces, tty: tty))
                if step.id == selected {
                    if let note = step.note { lines += tty.blockLines("ℹ " + note, indent: 2, .dim).map { "    " + $0 } }
                    if case .command(let command) = step.kind { lines += tty.blockLines("$ " + command.run, indent: 2, .dim).map { "    " + $0 } }
                }
                if outputTail > 0, let outcome = lastOutcome(of: step.id, in: snapshot),
                   [.done, .failed, .attemptFailed, .skipped].contains(state.steps[step.id]?.status) {
                    let tail = CommandOutputTail.lines(of: outcome, count: outputTail)
                    lines += tail.map { tty.paint("      │ " + $0, .dim) }
                }
            }
        }
        let found = findings ? Findings.of(snapshot.events, runbook: snapshot.runbook) : []
        if !found.isEmpty {
            lines.append("")
            lines.append(tty.paint(GuidedText.findingsHeading, .bold))
            for finding in found {
                let prefix = "#\(finding.sequence) \(LocalTime.time(finding.at)) "
                let text = TTY.block(finding.text(in: language), indent: 4 + TextWidth.of(prefix))
                lines += (tty.paint("  ! ", .red) + prefix + text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
        let tail = snapshot.events.suffix(recent)
        if !tail.isEmpty {
            lines.append("")
            for event in tail {
                let prefix = "\(LocalTime.time(event.at)) \(TTY.inline(event.actor)): "
                let text = TTY.block(EventDescription.describe(event.event, runbook: runbook, language: language), indent: TextWidth.of(prefix))
                lines += (tty.paint(prefix, .dim) + text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
        guard let width else { return lines }
        return lines.map { TTY.fit($0, width: width) }
    }

    /// The outcome of the step's latest run, if it ran.
    static func lastOutcome(of stepID: String, in snapshot: IncidentSnapshot) -> CommandOutcome? {
        for event in snapshot.events.reversed() {
            if case .commandFinished(_, let step, let outcome) = event.event, step == stepID { return outcome }
        }
        return nil
    }

    /// The latest page of an escalation still running, if any: who was paged, when, why.
    static func pagedBanner(_ state: IncidentState, runbook: Runbook) -> String? {
        let running = state.episodes.filter { state.isActive($0) }
        guard let (episode, page) = running.compactMap({ episode in episode.pages.last.map { (episode, $0) } })
            .max(by: { $0.1.recorded.sequence < $1.1.recorded.sequence }) else { return nil }
        let names = page.roles.map { runbook.role($0)?.title ?? $0 }.joined(separator: ", ")
        return GuidedText.pagedBanner(tier: page.tier, roles: names, at: LocalTime.time(page.recorded.at),
                                      cause: episode.cause.text(in: GuidedText.language))
    }

    /// "tier 2 held by sunday-maintenance until Sun 2026-11-29 06:00 KST", from the event that held the page.
    static func heldText(_ hold: HeldPage, in events: [RecordedEvent]) -> String? {
        for event in events.reversed() where event.sequence == hold.recorded.sequence {
            return EventDescription.describe(event.event, runbook: nil, language: GuidedText.language)
        }
        return nil
    }

    /// "tier 2 10:42" for the list of incidents.
    static func lastPage(_ state: IncidentState) -> String {
        guard let page = state.episodes.flatMap(\.pages).max(by: { $0.recorded.sequence < $1.recorded.sequence }) else { return "-" }
        return GuidedText.lastPage(tier: page.tier, at: LocalTime.time(page.recorded.at))
    }

    static func marker(_ status: StepProgress.Status) -> String {
        switch status {
        case .pending: "[ ]"
        case .running: "[~]"
        case .done: "[x]"
        case .skipped: "[-]"
        case .failed: "[!]"
        case .attemptFailed: "[?]"
        }
    }

    static func paintStepLine(_ line: String, tty: TTY) -> String {
        if line.contains("[x]") || line.contains("[-]") { return tty.paint(line, .dim) }
        if line.contains("[!]") || line.contains("[?]") { return tty.paint(line, .red) }
        if line.contains("[~]") { return tty.paint(line, .yellow) }
        return line
    }

    /// A call step with a child: "calls db-recovery: INC-…-0002 (open, stage restore)", then how the step was settled.
    static func callDetail(_ step: Step, _ progress: StepProgress, linked: [LinkedIncident]) -> String? {
        guard let call = step.call, let child = progress.child else { return nil }
        let result = linked.first { $0.role == .child && $0.incident == child }?.result
        let calls = Message.callStepDetail(runbook: call.runbook, child: child, result: result).text(in: GuidedText.language)
        guard progress.status != .running else { return calls }
        return calls + " · " + GuidedText.settled(progress.status, value: nil, by: progress.finished?.by,
                                                 at: progress.finished.map { LocalTime.time($0.at) }, note: progress.note)
    }

    /// What a step needs or what happened to it.
    static func detail(_ step: Step, _ progress: StepProgress, stage: RunbookState, state: IncidentState, now: Instant) -> String {
        let language = GuidedText.language
        switch progress.status {
        case .attemptFailed:
            // Why, from the run's facts in the reader's language (the stored note is the English verdict).
            let why = progress.outcome.map { step.verdict(of: $0).summary(in: GuidedText.language) } ?? progress.note
            return GuidedText.attemptFailed(attempts: progress.attempts, note: why)
        case .done, .skipped, .failed:
            // A command's last run says what its `expect:` found ("42% (expected below 80%)"), unless a note says more.
            let found = progress.outcome?.expectation.map { Message.commandExpectation($0).text(in: GuidedText.language) }
            return GuidedText.settled(progress.status, value: progress.value, by: progress.finished?.by,
                                      at: progress.finished.map { LocalTime.time($0.at) }, note: progress.note ?? found)
        case .running:
            if case .wait(let duration) = step.kind, let started = progress.started {
                return GuidedText.waiting(EventDescription.countdown(from: now, to: started.at + duration, language: GuidedText.language))
            }
            return GuidedText.runningSince(progress.started.map { LocalTime.time($0.at) } ?? "?")
        case .pending:
            let waiting = stage.prerequisites(of: step.id).filter { state.steps[$0.step]?.isSettled != true }.map(\.step)
            let gate = waiting.isEmpty ? "" : GuidedText.waitsFor(waiting)
            let warning = step.destructive ? GuidedText.destructive : ""
            switch step.kind {
            case .manual: return gate
            case .command: return gate + warning + GuidedText.commandToRun
            case .input(let input): return gate + (input.choices.map { GuidedText.choose($0) } ?? GuidedText.input(prompt: input.prompt))
            case .approval(let approval):
                let given = progress.approvals.map(\.by)
                return gate + GuidedText.approval(by: approval.role)
                    + (given.isEmpty ? "" : " (\(given.count)/\(approval.min): \(given.joined(separator: ", ")))")
            case .wait(let duration): return gate + GuidedText.wait(duration)
            case .call(let call): return gate + Message.callStepDetail(runbook: call.runbook, child: nil, result: nil).text(in: language)
            }
        }
    }
}

/// The last lines a command wrote, for a glance under its step: stdout's, then stderr's (where a failure
/// says why), empty lines left out, control characters escaped.
enum CommandOutputTail {
    static func lines(of outcome: CommandOutcome, count: Int) -> [String] {
        var lines: [String] = []
        for output in [outcome.stdout, outcome.stderr] where output.totalBytes > 0 {
            let text = output.tail.isEmpty ? output.head : output.tail
            lines += text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { TTY.inline(String($0).trimmingWhitespace) }
                .filter { !$0.isEmpty }
        }
        return Array(lines.suffix(count))
    }
}
