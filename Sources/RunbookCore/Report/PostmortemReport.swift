/// The post-mortem of an incident: a projection of its events alone, in the Google SRE shape.
public struct PostmortemReport: Sendable {
    public struct StageRow: Sendable, Equatable {
        public var state: String
        public var title: String
        public var target: RunbookDuration?
        public var enteredAt: Instant
        /// When the stage was left; nil while it runs.
        public var leftAt: Instant?
        public var actualMilliseconds: Int64
        /// Positive when over the target, by how much; nil without a target.
        public var overMilliseconds: Int64?
        public var met: Bool? { overMilliseconds.map { $0 <= 0 } }

        /// Met or missed once the stage is over (or already over its target while it runs).
        public var verdict: Verdict {
            guard let over = overMilliseconds else { return leftAt == nil ? .running : .noTarget }
            if over > 0 { return .missed(byMilliseconds: over) }
            return leftAt == nil ? .running : .met
        }
    }

    public struct NoteItem: Sendable, Equatable {
        /// Where a section's entry came from: a tagged note, the resolve note, or an input step with `report:`.
        public enum Source: Sendable, Equatable {
            case note, resolveNote, input(step: String)

            public var name: String {
                switch self {
                case .note: "note"
                case .resolveNote: "resolve_note"
                case .input: "input"
                }
            }
        }

        public var text: String
        public var by: String
        public var at: Instant
        public var owner: String?
        public var source: Source

        public init(text: String, by: String, at: Instant, owner: String? = nil, source: Source = .note) {
            self.text = text
            self.by = by
            self.at = at
            self.owner = owner
            self.source = source
        }
    }

    public struct CommandRow: Sendable, Equatable {
        public var step: String
        public var command: String
        public var by: String
        public var at: Instant
        public var outcome: CommandOutcome
        /// The run judged against the step's own `expect_exit` and timeout (the one verdict, `CommandVerdict`).
        public var verdict: CommandVerdict
    }

    public struct PageRow: Sendable, Equatable {
        public var at: Instant
        public var tier: Int
        public var round: Int
        public var roles: [String]
        public var why: String
        public var manual: Bool
        public var by: String
        public var deliveries: [DeliveryRow]

        /// One line a channel: "oncall via file notifications.log: delivered 10:42:01" or "… not delivered …".
        public func deliveryLines(_ formatTime: (Instant) -> String) -> [String] {
            deliveries.map { row in
                guard let channel = row.channel else { return "\(row.role): no delivery recorded" }
                if let delivered = row.deliveredAt {
                    return "\(row.role) via \(channel): delivered \(formatTime(delivered))" + (row.attempts > 1 ? " (attempt \(row.attempts))" : "")
                }
                return "\(row.role) via \(channel): not delivered after \(row.attempts) attempt\(row.attempts == 1 ? "" : "s")"
                    + (row.error.map { ": \($0)" } ?? "")
            }
        }
    }

    /// The delivery of a page to a role through one channel (no channel: nothing was recorded).
    public struct DeliveryRow: Sendable, Equatable {
        public var role: String
        public var channel: String?
        public var deliveredAt: Instant?
        public var attempts: Int
        public var error: String?
    }

    public var id: String
    public var title: String
    public var runbookID: String
    public var runbookTitle: String
    public var runbookSHA256: String
    public var severity: String
    public var severityChanges: [(from: String, to: String, at: Instant, by: String)]
    public var final: Bool
    public var drill: Bool
    /// A run of a routine check (`kind: checklist`): the report is its run record, not a post-mortem.
    public var checklist: Bool
    public var openedAt: Instant
    public var openedBy: String
    public var participants: [String]
    public var status: IncidentState.Status
    /// The language of the report's headings, labels and sentences (the runbook's titles stay as written).
    public var language: Language
    /// When the problem began (`start --impact-started-at`); nil when not given.
    public var impactStartedAt: Instant?
    /// When the problem was noticed (`start --detected-at`), else the opening.
    public var detectedAt: Instant
    /// The first acknowledgement after the opening.
    public var acknowledgedAt: Instant?
    /// When the first stage marked `contains: true` was left; nil without one (never guessed from a state id).
    public var containedAt: Instant?
    public var resolvedAt: Instant?
    public var closedAt: Instant?
    public var rto: RunbookDuration?
    public var stages: [StageRow]
    public var pages: [PageRow]
    public var commands: [CommandRow]
    public var inputs: [(step: String, value: String, by: String, at: Instant)]
    public var approvals: [(step: String, role: String, by: String, at: Instant, refused: String?)]
    public var notes: [NoteItem]
    /// Sections filled from tagged notes: summary, impact, root-cause, trigger, resolution, detection,
    /// action, went-well, went-wrong, lucky.
    public var tagged: [String: [NoteItem]]
    public var timeline: [(at: Instant, recordedAt: Instant?, sequence: Int64, actor: String, text: String)]
    /// The one verification of the log (`runbook verify`'s), with the checkpoint this report carries.
    public var integrity: IntegrityVerdict
    /// What a reviewer must see: a start from another runbooks directory, approvals whose identity is not bound.
    public var findings: [Finding]
    /// The incidents linked by call steps, as this log tells them (a child still open is shown open; the runtime
    /// fills in where it stands now).
    public var linked: [LinkedIncident]
    public var generatedAt: Instant

    static let tags = ["summary", "impact", "root-cause", "trigger", "resolution", "detection", "action", "went-well", "went-wrong", "lucky"]

    /// Builds the report from the incident's runbook and events, checked with `integrity`, as of `now`, with its
    /// headings and sentences in `language` (the front end passes `Language.current`).
    public init(runbook: Runbook, events: [RecordedEvent], integrity: IntegrityVerdict, now: Instant, language: Language = .current) {
        self.language = language
        let state = IncidentState.replay(events)
        id = state?.id ?? events.first?.record.incidentID ?? ""
        title = state?.title ?? runbook.title
        runbookID = runbook.id
        runbookTitle = runbook.title
        runbookSHA256 = state?.runbookSHA256 ?? ""
        severity = state?.severity ?? runbook.severity
        drill = state?.drill ?? false
        checklist = runbook.kind == .checklist
        openedAt = state?.openedAt ?? now
        openedBy = state?.openedBy ?? ""
        participants = (state?.participants ?? []).filter { $0 != Scheduler.systemActor }
        status = state?.status ?? .open
        impactStartedAt = state?.impact?.startedAt
        detectedAt = state?.impact?.detectedAt ?? state?.openedAt ?? now
        resolvedAt = state?.resolved?.at
        closedAt = state?.closed?.at
        generatedAt = now
        self.integrity = integrity
        findings = Findings.of(events, runbook: runbook, review: true)
        linked = state.map(LinkedIncident.recorded(in:)) ?? []
        // Final only when the incident is closed; at the follow-up deadline it is still a draft (SPEC §8).
        final = state?.closed != nil
        // The RTO in force: the runbook's, or the last one set by a stage the incident went through.
        self.rto = state.map { $0.rtoInForce(in: runbook) } ?? runbook.rto
        stages = (state?.visits ?? []).map { visit in
            let stage = runbook.state(visit.state)
            let end = visit.left?.at ?? (state?.closed?.at ?? now)
            let actual = end.milliseconds(since: visit.entered.at)
            return StageRow(state: visit.state, title: stage?.title ?? visit.state, target: stage?.deadline, enteredAt: visit.entered.at,
                            leftAt: visit.left?.at, actualMilliseconds: actual,
                            overMilliseconds: stage?.deadline.map { actual - Int64($0.seconds) * 1000 })
        }
        // Contained when the first stage the runbook marks `contains: true` was left.
        containedAt = (state?.visits ?? []).first { runbook.state($0.state)?.contains == true }?.left?.at

        var severityChanges: [(String, String, Instant, String)] = []
        var pages: [PageRow] = []
        var commands: [CommandRow] = []
        var started: [String: (String, String, Instant)] = [:]
        var inputs: [(String, String, String, Instant)] = []
        var approvals: [(String, String, String, Instant, String?)] = []
        var notes: [NoteItem] = []
        var tagged: [String: [NoteItem]] = [:]
        var timeline: [(Instant, Instant?, Int64, String, String)] = []
        var causes: [Int: String] = [:]
        // Pages a maintenance window held, by episode and index: the page says so when it goes out.
        var holds: [String: String] = [:]
        var acknowledgedAt: Instant?
        var counts = (steps: 0, failedSteps: [String]())
        for event in events {
            timeline.append((event.at, event.occurredAt == nil ? nil : event.record.recordedAt, event.sequence, event.actor,
                             EventDescription.describe(event.event, runbook: runbook, language: language)))
            switch event.event {
            case .acknowledged:
                if acknowledgedAt == nil { acknowledgedAt = event.at }
            case .stepDone, .stepSkipped:
                counts.steps += 1
            case .stepFailed(_, let step, _):
                counts.steps += 1
                counts.failedSteps.append(step)
            case .resolved(let note):
                if let note, !note.trimmingWhitespace.isEmpty {
                    tagged[ReportSection.resolution.rawValue, default: []].append(NoteItem(text: note, by: event.actor, at: event.at, source: .resolveNote))
                }
            case .severityChanged(let from, let to):
                severityChanges.append((from, to, event.at, event.actor))
            case .escalationStarted(let episode, let cause, _, _, _):
                causes[episode] = cause.english
            case .escalationHeld(let episode, let index, _, _, _, _, _):
                holds["\(episode)/\(index)"] = EventDescription.describe(event.event, runbook: runbook, language: language)
            case .escalated(let episode, let index, let tier, let round, let roles, _, let manual, let reason):
                var deliveries: [DeliveryRow] = []
                for role in roles {
                    let keys = state?.deliveries.filter { $0.key.hasPrefix("\(episode)/\(index)/\(role)/") } ?? [:]
                    for (key, progress) in keys.sorted(by: { $0.key < $1.key }) {
                        deliveries.append(DeliveryRow(role: role, channel: String(key.split(separator: "/", maxSplits: 3).last ?? ""),
                                                      deliveredAt: progress.delivered?.at, attempts: progress.attempts, error: progress.lastError))
                    }
                    if keys.isEmpty { deliveries.append(DeliveryRow(role: role, channel: nil, deliveredAt: nil, attempts: 0, error: nil)) }
                }
                // A manual page's reason is already in the cause of the escalation it started.
                let cause = causes[episode] ?? ""
                let why = [cause, reason.flatMap { cause.contains($0) ? nil : $0 }, holds["\(episode)/\(index)"]].compactMap { $0 }
                    .filter { !$0.isEmpty }
                pages.append(PageRow(at: event.at, tier: tier, round: round, roles: roles,
                                     why: why.joined(separator: "; "),
                                     manual: manual, by: event.actor, deliveries: deliveries))
            case .commandStarted(_, let step, let command, _, _):
                started[step] = (command, event.actor, event.at)
            case .commandFinished(let state, let step, let outcome):
                let (command, by, at) = started[step] ?? ("", event.actor, event.at)
                commands.append(CommandRow(step: step, command: command, by: by, at: at, outcome: outcome,
                                           verdict: runbook.state(state)?.step(step)?.verdict(of: outcome) ?? runbook.verdict(of: outcome, step: step)))
            case .inputRecorded(let state, let step, let value):
                inputs.append((step, value, event.actor, event.at))
                if case .input(let spec)? = runbook.state(state)?.step(step)?.kind, let section = spec.report {
                    tagged[section.rawValue, default: []].append(NoteItem(text: value, by: event.actor, at: event.at, source: .input(step: step)))
                }
            case .approvalGiven(_, let step, let role):
                approvals.append((step, role, event.actor, event.at, nil))
            case .approvalRefused(_, let step, let role, let reason):
                approvals.append((step, role, event.actor, event.at, reason))
            case .noteAdded(let text):
                let (tag, body) = Self.tag(of: text)
                let item = NoteItem(text: body, by: event.actor, at: event.at, owner: tag == "action" ? Self.owner(in: body) : nil)
                if let tag { tagged[tag, default: []].append(item) } else { notes.append(item) }
            default:
                break
            }
        }
        self.severityChanges = severityChanges
        self.pages = pages
        self.commands = commands
        self.inputs = inputs
        self.approvals = approvals
        self.notes = notes
        self.tagged = tagged
        self.timeline = timeline
        self.acknowledgedAt = acknowledgedAt
        stepsSettled = counts.steps
        failedSteps = counts.failedSteps
    }

    /// Steps done, skipped or failed (for the summary).
    public var stepsSettled: Int
    /// Steps marked failed, in order.
    public var failedSteps: [String]

    /// `action: rotate keys` → ("action", "rotate keys"); untagged notes give nil.
    static func tag(of text: String) -> (String?, String) {
        guard let colon = text.firstIndex(of: ":") else { return (nil, text) }
        let tag = text[..<colon].lowercased().trimmingWhitespace
        guard tags.contains(String(tag)) else { return (nil, text) }
        return (String(tag), String(String(text[text.index(after: colon)...]).trimmingWhitespace))
    }

    /// The owner named as `(owner: NAME)` or `@NAME`.
    static func owner(in text: String) -> String? {
        if let range = text.firstRange(of: "owner:") {
            let rest = text[range.upperBound...].trimmingPrefix(" ")
            let name = rest.prefix { !$0.isWhitespace && $0 != ")" && $0 != "," }
            return name.isEmpty ? nil : String(name)
        }
        if let at = text.firstIndex(of: "@") {
            let name = text[text.index(after: at)...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            return name.isEmpty ? nil : String(name)
        }
        return nil
    }

    /// Milliseconds from opening to `instant`.
    public func since(_ instant: Instant?) -> Int64? {
        instant.map { $0.milliseconds(since: openedAt) }
    }

    /// A report text in the report's language.
    public func text(_ text: Message.ReportText) -> String { text.text(in: language) }

    /// A heading or label in the report's language.
    public func label(_ label: Message.ReportLabel) -> String { label.text(in: language) }

    /// The kind row: a drill, a routine check's run, or a real incident.
    public var kindLabel: String {
        drill ? label(.drill) : checklist ? label(.routineCheck) : label(.realIncident)
    }

    /// The severity row: the severity, or for a routine check "checklist" (it has none), as `status` shows it.
    public var severityLabel: String {
        checklist ? Message.schedule(.label(.checklist)).text(in: language) : severity
    }

    /// The report's heading word: "Post-mortem", or for a routine check "Checklist run record".
    public var heading: String {
        checklist ? Message.ScheduleLabel.runRecord.text(in: language) : label(.postmortem)
    }

    /// The summary in sentences built from the events (SPEC §8): severity and what was opened, when the problem
    /// began and was noticed, what was done, what failed, when service came back and the RTO with its caveats.
    public func summarySentences(_ formatTime: (Instant) -> String) -> [String] {
        var sentences: [String] = []
        let raisedFrom = severityChanges.first.map(\.from)
        if checklist {
            sentences.append(text(.summaryCheckRun(drill: drill, title: title, at: formatTime(openedAt), by: openedBy, runbook: runbookID)))
        } else {
            sentences.append(text(.summaryOpened(severity: severity, raisedFrom: raisedFrom, drill: drill, title: title, at: formatTime(openedAt),
                                                 by: openedBy, runbook: runbookID)))
        }
        let how = tagged[ReportSection.detection.rawValue]?.first?.text
        if impactStartedAt != nil || detectedAt != openedAt || how != nil {
            sentences.append(text(.summaryDetected(started: impactStartedAt.map(formatTime), detected: formatTime(detectedAt),
                                                   after: timeToDetect.map(EventDescription.formatMilliseconds), how: how)))
        }
        var seen: Set<String> = []
        let stageTitles = stages.filter { seen.insert($0.state).inserted }.map(\.title)
        sentences.append(text(.summaryDone(stages: stageTitles, steps: stepsSettled, commands: commands.count, pages: pages.count)))
        var failed: [String] = []
        var failedCommands: Set<String> = []
        for command in commands where !command.verdict.succeeded && failedCommands.insert(command.step).inserted {
            failed.append(text(.failedCommand(step: command.step, summary: command.verdict.summary(in: language))))
        }
        for step in failedSteps where !failedCommands.contains(step) { failed.append(text(.failedStep(step: step))) }
        for row in stages {
            if case .missed(let over) = row.verdict { failed.append(text(.missedDeadline(stage: row.title, over: EventDescription.formatMilliseconds(over)))) }
        }
        // A long incident lists the first ten; the findings and tables hold the rest.
        if failed.count > 10 { failed = Array(failed.prefix(10)) + ["…"] }
        sentences.append(text(.summaryFailed(failed)))
        if checklist {
            // A routine check has no severity and is never restored: it closes when its checks are done.
            sentences.append(text(.summaryCheckClosed(at: closedAt.map(formatTime))))
            return sentences
        }
        sentences.append(text(.summaryRestored(at: resolvedAt.map(formatTime), after: since(resolvedAt).map(EventDescription.formatMilliseconds))))
        if let rto = rtoSentence { sentences.append(rto + ".") }
        return sentences
    }

    /// Milliseconds from the start of the impact to its detection; nil when the impact start is not known.
    public var timeToDetect: Int64? {
        impactStartedAt.map { detectedAt.milliseconds(since: $0) }
    }

    /// The findings that qualify "RTO met": a failed check passed over, an approval overridden or skipped, a
    /// reopening, and a command that could not run when its step was not run successfully later nor already
    /// named as a failed check passed over.
    public var rtoCaveats: [Finding] {
        var passedOver: Set<String> = []
        for finding in findings {
            if case .failedCheckPassedOver(_, let step, _, _, _, _) = finding.kind { passedOver.insert(step) }
        }
        var lastRunSucceeded: [String: Bool] = [:]
        for command in commands { lastRunSucceeded[command.step] = command.verdict.succeeded }
        return findings.filter { finding in
            switch finding.kind {
            case .failedCheckPassedOver, .approvalOverridden, .approvalSkipped, .reopened: true
            case .commandCouldNotRun(_, let step, _): !passedOver.contains(step) && lastRunSucceeded[step] != true
            default: false
            }
        }
    }

    /// "RTO 2h met (1h10m), but the check `check-service` failed and was skipped": never "met" without its caveats.
    public var rtoSentence: String? {
        guard let rto else { return nil }
        var missedBy: String?
        if case .missed(let over)? = rtoVerdict { missedBy = EventDescription.formatMilliseconds(over) }
        return text(.rto(target: rto.description, actual: since(resolvedAt).map(EventDescription.formatMilliseconds), missedBy: missedBy,
                         caveats: rtoCaveats.map { text(.caveat($0.kind)) }))
    }

    /// The sections of SPEC §8 in order, with what fills them.
    public var sections: [(section: ReportSection, items: [NoteItem])] {
        ReportSection.allCases.map { ($0, tagged[$0.rawValue] ?? []) }
    }

    /// The heading of a section.
    public func heading(_ section: ReportSection) -> String {
        switch section {
        case .impact: label(.impact)
        case .rootCause: label(.rootCause)
        case .trigger: label(.trigger)
        case .resolution: label(.resolution)
        case .detection: label(.detection)
        }
    }

    /// The times of the timeline, the date written once a day: "2026-11-26 10:00:00 KST", then "10:05:00 KST"
    /// until the day changes. `formatTime` writes a date first ("YYYY-MM-DD HH:MM…" or ISO-8601's "…T…").
    public func timelineTimes(_ formatTime: (Instant) -> String) -> [String] {
        var lastDay: Substring.UTF8View = ""[...].utf8
        let recorded = label(.recorded)
        return timeline.map { entry in
            let full = formatTime(entry.at)
            var time = full
            // The date is the first ten bytes ("2026-11-26"), then a space or "T".
            let utf8 = full.utf8
            if utf8.count > 11, let split = utf8.index(utf8.startIndex, offsetBy: 10, limitedBy: utf8.endIndex),
               utf8[split] == 0x20 || utf8[split] == 0x54 {
                let day = utf8[..<split]
                if day.elementsEqual(lastDay) { time = String(Substring(utf8[utf8.index(after: split)...])) }
                lastDay = day
            }
            return time + (entry.recordedAt.map { " (\(recorded) \(formatTime($0)))" } ?? "")
        }
    }

    /// A stage against its target: met, missed by how much, still running, or no target.
    public enum Verdict: Sendable, Equatable {
        case met, missed(byMilliseconds: Int64), running, noTarget

        public var text: String {
            switch self {
            case .met: "met"
            case .missed(let over): "missed by \(EventDescription.formatMilliseconds(over))"
            case .running: "running"
            case .noTarget: "—"
            }
        }
    }

    /// The RTO in force against the time to resolve; nil without an RTO.
    public var rtoVerdict: Verdict? {
        guard let rto else { return nil }
        guard let actual = since(resolvedAt) else { return .running }
        let over = actual - Int64(rto.seconds) * 1000
        return over <= 0 ? .met : .missed(byMilliseconds: over)
    }
}
