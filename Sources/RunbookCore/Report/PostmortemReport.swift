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
        public var text: String
        public var by: String
        public var at: Instant
        public var owner: String?
    }

    public struct CommandRow: Sendable, Equatable {
        public var step: String
        public var command: String
        public var by: String
        public var at: Instant
        public var outcome: CommandOutcome
        /// The run judged by its step's own `expect_exit` and timeout (`Runbook.verdict(of:step:)`).
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
    public var openedAt: Instant
    public var openedBy: String
    public var participants: [String]
    public var status: IncidentState.Status
    public var acknowledgedAt: Instant?
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
    public var generatedAt: Instant

    static let tags = ["summary", "impact", "root-cause", "trigger", "resolution", "detection", "action", "went-well", "went-wrong", "lucky"]

    /// Builds the report from the incident's runbook and events, checked with `integrity`, as of `now`.
    public init(runbook: Runbook, events: [RecordedEvent], integrity: IntegrityVerdict, now: Instant) {
        let state = IncidentState.replay(events)
        id = state?.id ?? events.first?.record.incidentID ?? ""
        title = state?.title ?? runbook.title
        runbookID = runbook.id
        runbookTitle = runbook.title
        runbookSHA256 = state?.runbookSHA256 ?? ""
        severity = state?.severity ?? runbook.severity
        drill = state?.drill ?? false
        openedAt = state?.openedAt ?? now
        openedBy = state?.openedBy ?? ""
        participants = (state?.participants ?? []).filter { $0 != Scheduler.systemActor }
        status = state?.status ?? .open
        acknowledgedAt = state?.acknowledged?.at
        resolvedAt = state?.resolved?.at
        closedAt = state?.closed?.at
        generatedAt = now
        self.integrity = integrity
        findings = Findings.of(events, runbook: runbook)
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
        let containment = (state?.visits ?? []).first { $0.state.contains("isolate") || $0.state.contains("contain") }
        containedAt = containment?.left?.at

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
        for event in events {
            timeline.append((event.at, event.occurredAt == nil ? nil : event.record.recordedAt, event.sequence, event.actor,
                             // English until the report issue translates headings too: one language per report.
                             EventDescription.describe(event.event, runbook: runbook, language: .english)))
            switch event.event {
            case .severityChanged(let from, let to):
                severityChanges.append((from, to, event.at, event.actor))
            case .escalationStarted(let episode, let cause, _, _, _):
                causes[episode] = cause.english
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
                let why = [cause, reason.flatMap { cause.contains($0) ? nil : $0 }].compactMap { $0 }.filter { !$0.isEmpty }
                pages.append(PageRow(at: event.at, tier: tier, round: round, roles: roles,
                                     why: why.joined(separator: "; "),
                                     manual: manual, by: event.actor, deliveries: deliveries))
            case .commandStarted(_, let step, let command, _, _):
                started[step] = (command, event.actor, event.at)
            case .commandFinished(_, let step, let outcome):
                let (command, by, at) = started[step] ?? ("", event.actor, event.at)
                commands.append(CommandRow(step: step, command: command, by: by, at: at, outcome: outcome,
                                           verdict: runbook.verdict(of: outcome, step: step)))
            case .inputRecorded(_, let step, let value):
                inputs.append((step, value, event.actor, event.at))
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
    }

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

    /// The summary written from the log when no note tagged `summary:` gives one.
    public func generatedSummary(_ formatTime: (Instant) -> String) -> String {
        var text = "\(severity) incident opened at \(formatTime(openedAt)) from runbook \(runbookID)"
        if let resolved = since(resolvedAt) { text += "; service restored after \(EventDescription.formatMilliseconds(resolved))" }
        if let closed = since(closedAt) { text += "; closed after \(EventDescription.formatMilliseconds(closed))" }
        return text + "."
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
