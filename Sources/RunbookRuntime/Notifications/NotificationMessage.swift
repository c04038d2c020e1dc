public import RunbookCore

/// What a notification says: which incident, who is paged at which tier and round, why, and how to acknowledge.
public struct NotificationMessage: Sendable, Equatable {
    public var incidentID: String { didSet { incidentID = Self.oneLine(incidentID) } }
    public var runbookID: String { didSet { runbookID = Self.oneLine(runbookID) } }
    /// The incident's title.
    public var title: String { didSet { title = Self.oneLine(title) } }
    public var severity: String { didSet { severity = Self.oneLine(severity) } }
    /// The title of the incident's current stage.
    public var stage: String { didSet { stage = Self.oneLine(stage) } }
    /// The role paged.
    public var role: String { didSet { role = Self.oneLine(role) } }
    /// The escalation tier, from 1.
    public var tier: Int
    /// The round of the escalation policy's repeats, from 1.
    public var round: Int
    /// Why the role is paged, e.g. "stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m".
    public var reason: String { didSet { reason = Self.oneLine(reason) } }
    public var drill: Bool
    /// The command that stops the paging, e.g. "runbook ack INC-20261126-0001".
    public var acknowledgeCommand: String { didSet { acknowledgeCommand = Self.oneLine(acknowledgeCommand) } }
    /// The incident's checkpoint when the page was sent (`INC-…#42:0123456789abcdef`): a copy of the log's
    /// state outside the machine, for `runbook verify INC --checkpoint`.
    public var checkpoint: String?
    /// When the page was sent (the time a `file` channel's line starts with).
    public var sentAt: Instant?
    /// The person on duty in the role's rotation when the page fell due (SPEC §3.2): the page names them.
    public var onDuty: Rotation.OnDuty?
    /// "log broken since #N: …" when verification finds the log altered.
    public var integrityWarning: String? { didSet { integrityWarning = integrityWarning.map(Self.oneLine) } }

    public init(incidentID: String, runbookID: String, title: String, severity: String, stage: String, role: String,
                tier: Int, round: Int, reason: String, drill: Bool, acknowledgeCommand: String, checkpoint: String? = nil,
                integrityWarning: String? = nil) {
        // A page is one line in a file, a mail, an SMS, a chat: no field carries a raw control character or
        // a line break (text hygiene, SPEC §4), whichever channel sends it; the fields keep to it when set.
        self.incidentID = Self.oneLine(incidentID)
        self.runbookID = Self.oneLine(runbookID)
        self.title = Self.oneLine(title)
        self.severity = Self.oneLine(severity)
        self.stage = Self.oneLine(stage)
        self.role = Self.oneLine(role)
        self.tier = tier
        self.round = round
        self.reason = Self.oneLine(reason)
        self.drill = drill
        self.acknowledgeCommand = Self.oneLine(acknowledgeCommand)
        self.checkpoint = checkpoint
        self.integrityWarning = integrityWarning.map(Self.oneLine)
    }

    /// The one-line subject: `[SEV1] INC-20261126-0001 tier 2: <reason>`.
    ///
    /// Drills start with `[DRILL] `; a round after the first shows as `tier 1, round 2`. Line breaks and
    /// tabs in the fields became spaces when the message was made, other control characters text.
    public var subject: String { subject(in: .current) }

    /// The subject in `language` (`[SEV1] INC-… 2차: <reason>` in Korean); the severity, the id and `[DRILL]` stay literal.
    public func subject(in language: Language) -> String {
        // Tier 0 is a notice outside the tiers (an approval overridden).
        let text = "[\(severity)] \(incidentID) \(Message.notificationTier(tier: tier, round: round).text(in: language)): \(reason)"
        return Self.oneLine((drill ? "[DRILL] " : "") + text)
    }

    /// The full text, for a mail body or a chat message: the subject, then the details, then how to acknowledge.
    ///
    /// It has no trailing line break.
    public var text: String { text(in: .current) }

    /// The full text in `language`: labels and sentences translated, ids and the acknowledge command literal.
    public func text(in language: Language) -> String {
        func label(_ label: Message.NotificationLabel) -> String {
            let text = Message.notificationLabel(label).text(in: language) + ":"
            return text + String(repeating: " ", count: max(1, 11 - TextWidth.of(text)))
        }
        func name(_ label: Message.NotificationLabel) -> String { Message.notificationLabel(label).text(in: language) }
        var lines = [subject(in: language), ""]
        if drill {
            lines += [Message.notificationDrill.text(in: language), ""]
        }
        lines += [
            label(.incident) + "\(incidentID) \(Self.oneLine(title))",
            label(.runbook) + runbookID,
            label(.severity) + severity,
            label(.stage) + Self.oneLine(stage),
            label(.reason) + Self.oneLine(reason),
            label(.paged) + Message.notificationPaged(role: pagedRole(in: language), tier: tier, round: round).text(in: language),
            "",
            "\(name(.acknowledge)): \(acknowledgeCommand)",
        ]
        if let integrityWarning { lines.insert(label(.warning) + Self.oneLine(integrityWarning), at: lines.count - 2) }
        if let checkpoint { lines.append("\(name(.checkpoint)): \(checkpoint)") }
        return lines.joined(separator: "\n")
    }

    /// "oncall (lee, night shift)" for a role with someone on duty, else the role.
    public func pagedRole(in language: Language) -> String {
        guard let onDuty else { return role }
        return Self.oneLine(Message.pagedOnDuty(role: role, person: onDuty.person, shift: onDuty.shift, override: onDuty.override?.reason)
            .text(in: language))
    }

    /// The line a `file` channel appends, one per page and role, without its line break:
    /// `2026-11-26T01:05:00.000Z [SEV1] INC-… tier 2 → manager: <reason> | Acknowledge: <command> | checkpoint …`.
    var logLine: String { logLine(in: .current) }

    /// The log line in `language`; the time, severity, id, role, command and checkpoint stay literal.
    func logLine(in language: Language) -> String {
        let tier = Message.notificationTier(tier: tier, round: round).text(in: language)
        let time = sentAt.map { "\($0.iso8601) " } ?? ""
        let acknowledge = Message.notificationLabel(.acknowledge).text(in: language)
        let warning = Message.notificationLabel(.warning).text(in: language)
        // Lower case mid-line, as in "| checkpoint INC-…#42:…" (Korean has no case).
        let checkpointWord = Message.notificationLabel(.checkpoint).text(in: language).lowercased()
        return Self.oneLine(time + (drill ? "[DRILL] " : "") + "[\(severity)] \(incidentID) \(tier) → \(pagedRole(in: language)): \(reason)"
                            + " | \(acknowledge): \(acknowledgeCommand)"
                            + (integrityWarning.map { " | \(warning): \($0)" } ?? "") + (checkpoint.map { " | \(checkpointWord) \($0)" } ?? ""))
    }

    /// The message with each text field cut to at most `limit` UTF-8 bytes (whole characters, then `…`).
    func bounded(toBytes limit: Int) -> NotificationMessage {
        func cut(_ text: String) -> String {
            guard text.utf8.count > limit else { return text }
            let ellipsis = "…"
            var kept = 0
            var end = text.startIndex
            for index in text.indices {
                let size = text[index].utf8.count
                if kept + size + ellipsis.utf8.count > limit { break }
                kept += size
                end = text.index(after: index)
            }
            return text[..<end] + ellipsis
        }
        var bounded = self
        bounded.incidentID = cut(incidentID)
        bounded.runbookID = cut(runbookID)
        bounded.title = cut(title)
        bounded.severity = cut(severity)
        bounded.stage = cut(stage)
        bounded.role = cut(role)
        bounded.reason = cut(reason)
        bounded.acknowledgeCommand = cut(acknowledgeCommand)
        return bounded
    }

    /// `text` with every line break and tab replaced by a space, and any other control character shown as
    /// text (`\e`, `\x07`, `\u{202E}`: `TextHygiene.escape`).
    static func oneLine(_ text: String) -> String {
        let spaced = text.contains(where: { $0.isNewline || $0 == "\t" }) ? String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }) : text
        return TextHygiene.escape(spaced)
    }
}
