/// One fact in an incident's log (SPEC §4). Stored as a type name and a JSON object.
public enum IncidentEvent: Sendable, Equatable {
    /// An incident was opened; a drill carries its clock (SPEC §5: every process computes the same drill time).
    /// A child incident started by a `call:` step carries its parent (`calledBy`); a scheduled run carries its slot
    /// (`scheduled`), so the slot is started once.
    indirect case opened(runbookID: String, runbookSHA256: String, title: String, severity: String, drill: Bool, drillClock: DrillClock? = nil,
                impact: ImpactTimes? = nil, calledBy: CallOrigin? = nil, scheduled: ScheduledSlot? = nil)
    case stateEntered(state: String, reason: EntryReason, from: String?)
    case stateCompleted(state: String)
    case stepStarted(state: String, step: String)
    case stepDone(state: String, step: String, note: String?)
    case stepSkipped(state: String, step: String, note: String?)
    case stepFailed(state: String, step: String, note: String?)
    /// A command's run failed: an attempt, not a verdict. The step waits for a decision (run again, done by
    /// hand, skip or fail) and the incident stays in the stage.
    case attemptFailed(state: String, step: String, note: String?)
    /// A command step's run began: `pid` leads its process group, `startTime` (clock ticks since boot,
    /// `/proc/PID/stat` field 22; absent from events of older runbooks) tells that pid from a reused one.
    case commandStarted(state: String, step: String, command: String, pid: Int32?, startTime: UInt64? = nil)
    indirect case commandFinished(state: String, step: String, outcome: CommandOutcome)
    case inputRecorded(state: String, step: String, value: String)
    case approvalGiven(state: String, step: String, role: String)
    case approvalRefused(state: String, step: String, role: String, reason: String)
    /// Someone broke the glass: the approval is complete without its role, for the reason given.
    case approvalOverridden(state: String, step: String, role: String, reason: String)
    case noteAdded(text: String)
    case acknowledged
    case severityChanged(from: String, to: String)
    case resolved(note: String?)
    case closed
    /// A mark made by mistake was taken back: it stays in the log, the state forgets it (SPEC §7 `undo`).
    case stepUndone(state: String, step: String, note: String)
    /// A resolved or closed incident was opened again, for `reason`.
    case reopened(reason: String)
    /// A drill's simulated clock was moved forward (the `wait` action of a scripted drill).
    case drillClockAdvanced(milliseconds: Int64)
    /// A deadline passed: a stage's `deadline` or a step's `timeout`.
    case deadlineMissed(DeadlineMiss)
    /// An escalation began: tiers will be paged in order until its cause is dealt with, from the tier at
    /// `firstIndex` (above the tiers of the person whose own action caused it).
    indirect case escalationStarted(episode: Int, cause: EscalationCause, scope: EscalationScope, baseAt: Instant, firstIndex: Int = 0)
    /// A tier was paged (`index` counts the episode's pages from 0, across repeat rounds).
    indirect case escalated(episode: Int, index: Int, tier: Int, round: Int, roles: [String], dueAt: Instant, manual: Bool, reason: String?)
    /// A page reached a role through one channel, or failed to.
    indirect case notification(Delivery)
    /// The post-mortem report was written: final (the incident is closed) or a draft, covering the log up to
    /// `covers` and carrying that event's checkpoint.
    indirect case reportWritten(files: [String], sha256: [String], final: Bool, covers: Int64? = nil, checkpoint: String? = nil)
    /// The roster and contacts in force from now on: frozen at opening, and again by `runbook roster reload`.
    indirect case rosterFrozen(RosterFreeze)
    /// A `call:` step started the child incident `child` of runbook `runbook`.
    case callStarted(state: String, step: String, child: String, runbook: String)
    /// The child of a `call:` step resolved (or was closed without resolving), as its event `childSequence` recorded;
    /// recorded once per child, followed by the step's mark when the step still waited for it.
    case callFinished(state: String, step: String, child: String, childSequence: Int64, resolved: Bool)
    /// The maintenance windows in force for the incident (SPEC §3.2): those covering its runbook and those its
    /// states name in `window:`, each with its zone's rules, frozen at opening.
    case calendarFrozen(windows: [MaintenanceWindow])
    /// A page fell due while a maintenance window covering the runbook was open: it is held, not paged, and
    /// pages when the window ends (`until`, and as the window's zone reads it, `untilText`).
    indirect case escalationHeld(episode: Int, index: Int, tier: Int, window: String, dueAt: Instant, until: Instant, untilText: String)
    /// A monitoring system's alert reached the team server (SPEC §10): in the opening of the incident it opened, or
    /// on the open incident it belongs to (the same fingerprint, or the same notification group and runbook).
    indirect case alertReceived(ReceivedAlert)

    /// Why a state was entered.
    public enum EntryReason: String, Sendable, Equatable {
        case initial, next, onFail = "on_fail", onTimeout = "on_timeout", goto, reopened
    }

    /// The stored type name.
    public var type: String {
        switch self {
        case .opened: "incident.opened"
        case .stateEntered: "state.entered"
        case .stateCompleted: "state.completed"
        case .stepStarted: "step.started"
        case .stepDone: "step.done"
        case .stepSkipped: "step.skipped"
        case .stepFailed: "step.failed"
        case .attemptFailed: "step.attempt_failed"
        case .commandStarted: "command.started"
        case .commandFinished: "command.finished"
        case .inputRecorded: "input.recorded"
        case .approvalGiven: "approval.given"
        case .approvalRefused: "approval.refused"
        case .approvalOverridden: "approval.overridden"
        case .noteAdded: "note.added"
        case .acknowledged: "incident.acknowledged"
        case .severityChanged: "severity.changed"
        case .resolved: "incident.resolved"
        case .closed: "incident.closed"
        case .stepUndone: "step.undone"
        case .reopened: "incident.reopened"
        case .drillClockAdvanced: "drill.clock_advanced"
        case .deadlineMissed: "deadline.missed"
        case .escalationStarted: "escalation.started"
        case .escalated: "escalated"
        case .notification(let delivery): delivery.succeeded ? "notification.sent" : "notification.failed"
        case .reportWritten: "report.written"
        case .rosterFrozen: "roster.frozen"
        case .callStarted: "call.started"
        case .callFinished: "call.finished"
        case .calendarFrozen: "calendar.frozen"
        case .escalationHeld: "escalation.held"
        case .alertReceived: "alert.received"
        }
    }

    /// The payload as JSON members, in a fixed order.
    var members: [(String, JSONValue)] {
        switch self {
        case .opened(let runbookID, let sha, let title, let severity, let drill, let clock, let impact, let origin, let scheduled):
            // The impact times, the parent and the slot are present only when given, so openings without them keep their stored shape.
            return [("runbook", .string(runbookID)), ("runbook_sha256", .string(sha)), ("title", .string(title)),
                    ("severity", .string(severity)), ("drill", .bool(drill))] + (clock.map { [("drill_clock", $0.json)] } ?? [])
                + (impact?.startedAt.map { [("impact_started_at", .int($0.milliseconds))] } ?? [])
                + (impact?.detectedAt.map { [("detected_at", .int($0.milliseconds))] } ?? [])
                + (origin.map { [("called_by", $0.json)] } ?? [])
                + (scheduled.map { [("scheduled", $0.json)] } ?? [])
        case .stateEntered(let state, let reason, let from):
            return [("state", .string(state)), ("reason", .string(reason.rawValue)), ("from", .optional(from))]
        case .stateCompleted(let state):
            return [("state", .string(state))]
        case .stepStarted(let state, let step):
            return [("state", .string(state)), ("step", .string(step))]
        case .stepDone(let state, let step, let note), .stepSkipped(let state, let step, let note),
             .stepFailed(let state, let step, let note), .attemptFailed(let state, let step, let note):
            return [("state", .string(state)), ("step", .string(step)), ("note", .optional(note))]
        case .commandStarted(let state, let step, let command, let pid, let startTime):
            return [("state", .string(state)), ("step", .string(step)), ("command", .string(command)),
                    ("pid", .optional(pid.map(Int64.init))), ("pid_start_time", .optional(startTime.map { Int64(clamping: $0) }))]
        case .commandFinished(let state, let step, let outcome):
            return [("state", .string(state)), ("step", .string(step))] + outcome.members
        case .inputRecorded(let state, let step, let value):
            return [("state", .string(state)), ("step", .string(step)), ("value", .string(value))]
        case .approvalGiven(let state, let step, let role):
            return [("state", .string(state)), ("step", .string(step)), ("role", .string(role))]
        case .approvalRefused(let state, let step, let role, let reason), .approvalOverridden(let state, let step, let role, let reason):
            return [("state", .string(state)), ("step", .string(step)), ("role", .string(role)), ("reason", .string(reason))]
        case .noteAdded(let text):
            return [("text", .string(text))]
        case .acknowledged, .closed:
            return []
        case .severityChanged(let from, let to):
            return [("from", .string(from)), ("to", .string(to))]
        case .resolved(let note):
            return [("note", .optional(note))]
        case .stepUndone(let state, let step, let note):
            return [("state", .string(state)), ("step", .string(step)), ("note", .string(note))]
        case .reopened(let reason):
            return [("reason", .string(reason))]
        case .drillClockAdvanced(let milliseconds):
            return [("by_ms", .int(milliseconds))]
        case .deadlineMissed(let miss):
            return [("kind", .string(miss.kind.rawValue)), ("state", .string(miss.state)), ("step", .optional(miss.step)),
                    ("deadline_s", .int(Int64(miss.deadline.seconds))), ("due_at", .int(miss.dueAt.milliseconds))]
        case .escalationStarted(let episode, let cause, let scope, let baseAt, let firstIndex):
            return [("episode", .int(Int64(episode)))] + cause.members + [("scope", .string(scope.rawValue)),
                    ("base_at", .int(baseAt.milliseconds)), ("first_index", firstIndex == 0 ? .null : .int(Int64(firstIndex)))]
        case .escalated(let episode, let index, let tier, let round, let roles, let dueAt, let manual, let reason):
            return [("episode", .int(Int64(episode))), ("index", .int(Int64(index))), ("tier", .int(Int64(tier))),
                    ("round", .int(Int64(round))), ("roles", .array(roles.map { .string($0) })), ("due_at", .int(dueAt.milliseconds)),
                    ("manual", .bool(manual)), ("reason", .optional(reason))]
        case .notification(let delivery):
            return [("episode", .int(Int64(delivery.episode))), ("index", .int(Int64(delivery.index))), ("role", .string(delivery.role)),
                    ("channel", .string(delivery.channel)), ("attempt", .int(Int64(delivery.attempt))),
                    ("detail", .optional(delivery.detail)), ("error", .optional(delivery.error)),
                    ("on_duty", .optional(delivery.onDuty)), ("shift", .optional(delivery.shift))]
        case .reportWritten(let files, let sha, let final, let covers, let checkpoint):
            return [("files", .array(files.map { .string($0) })), ("sha256", .array(sha.map { .string($0) })), ("final", .bool(final)),
                    ("covers", .optional(covers)), ("checkpoint", .optional(checkpoint))]
        case .callStarted(let state, let step, let child, let runbook):
            return [("state", .string(state)), ("step", .string(step)), ("child", .string(child)), ("runbook", .string(runbook))]
        case .callFinished(let state, let step, let child, let childSequence, let resolved):
            return [("state", .string(state)), ("step", .string(step)), ("child", .string(child)), ("child_sequence", .int(childSequence)),
                    ("resolved", .bool(resolved))]
        case .rosterFrozen(let freeze):
            return [("roster_sha256", .string(freeze.rosterSHA256)), ("contacts_sha256", .string(freeze.contactsSHA256)),
                    ("runbooks", .string(freeze.directory)), ("configured_runbooks", .string(freeze.configuredDirectory)),
                    ("logins", .object(freeze.logins.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) })),
                    ("reload", .bool(freeze.reload))]
        case .calendarFrozen(let windows):
            return [("windows", .array(windows.map(\.json)))]
        case .escalationHeld(let episode, let index, let tier, let window, let dueAt, let until, let untilText):
            return [("episode", .int(Int64(episode))), ("index", .int(Int64(index))), ("tier", .int(Int64(tier))), ("window", .string(window)),
                    ("due_at", .int(dueAt.milliseconds)), ("until", .int(until.milliseconds)), ("until_local", .string(untilText))]
        case .alertReceived(let alert):
            return alert.members
        }
    }
}

/// Where a child incident came from: the parent incident and its `call:` step, and the environment the step gave
/// (resolved against the parent's inputs when it ran) for every command the child runs.
public struct CallOrigin: Sendable, Equatable {
    public var incident: String
    public var step: String
    public var environment: [EnvironmentVariable]

    public init(incident: String, step: String, environment: [EnvironmentVariable] = []) {
        self.incident = incident
        self.step = step
        self.environment = environment
    }

    var json: JSONValue {
        .object([("incident", .string(incident)), ("step", .string(step)),
                 ("env", .object(environment.map { ($0.name, .string($0.value)) }))])
    }

    init?(json: JSONValue) {
        guard let incident = json["incident"]?.string, let step = json["step"]?.string else { return nil }
        var environment: [EnvironmentVariable] = []
        for (name, value) in json["env"]?.members ?? [] {
            guard let value = value.string else { return nil }
            environment.append(EnvironmentVariable(name: name, value: value))
        }
        self.init(incident: incident, step: step, environment: environment)
    }
}

/// When the problem began and when it was noticed (`start --impact-started-at`, `--detected-at`), stored in the
/// opening event; the opening itself is the detection when `detectedAt` is nil.
public struct ImpactTimes: Sendable, Equatable {
    public var startedAt: Instant?
    public var detectedAt: Instant?

    public init(startedAt: Instant?, detectedAt: Instant?) {
        self.startedAt = startedAt
        self.detectedAt = detectedAt
    }

    /// Nil when neither time is given.
    public var nonEmpty: ImpactTimes? { startedAt == nil && detectedAt == nil ? nil : self }
}

/// The slot a scheduled run was started for (SPEC §3.2), and whether it started more than a minute after it.
public struct ScheduledSlot: Sendable, Equatable {
    public var at: Instant
    public var late: Bool

    public init(at: Instant, late: Bool) {
        self.at = at
        self.late = late
    }

    var json: JSONValue { .object([("at", .int(at.milliseconds)), ("late", .bool(late))]) }

    init?(json: JSONValue) {
        guard let at = json["at"]?.int, let late = json["late"]?.bool else { return nil }
        self.init(at: Instant(milliseconds: at), late: late)
    }
}

/// Which deadline passed, and when it fell due.
public struct DeadlineMiss: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case stage, step
    }

    public var kind: Kind
    public var state: String
    public var step: String?
    public var deadline: RunbookDuration
    public var dueAt: Instant

    public init(kind: Kind, state: String, step: String?, deadline: RunbookDuration, dueAt: Instant) {
        self.kind = kind
        self.state = state
        self.step = step
        self.deadline = deadline
        self.dueAt = dueAt
    }
}

/// What ends an escalation.
public enum EscalationScope: String, Sendable, Equatable {
    /// Acknowledging the incident.
    case unacknowledged
    /// Leaving the stage it started in.
    case stage
    /// One page that tells a role something (an approval overridden); no further tiers follow.
    case notice
}

/// One attempt to deliver a page to a role through a channel.
public struct Delivery: Sendable, Equatable {
    public var episode: Int
    public var index: Int
    public var role: String
    /// The channel's description, which identifies it (`file notifications.log`).
    public var channel: String
    /// 1 for the first attempt.
    public var attempt: Int
    public var succeeded: Bool
    public var detail: String?
    public var error: String?
    /// The person on duty in the role's rotation when the page fell due, and their shift (SPEC §3.2); nil for a
    /// role without a rotation, or when nobody was on duty (the page then goes to every holder).
    public var onDuty: String?
    public var shift: String?

    public init(episode: Int, index: Int, role: String, channel: String, attempt: Int, succeeded: Bool, detail: String?, error: String?,
                onDuty: String? = nil, shift: String? = nil) {
        self.onDuty = onDuty
        self.shift = shift
        self.episode = episode
        self.index = index
        self.role = role
        self.channel = channel
        self.attempt = attempt
        self.succeeded = succeeded
        self.detail = detail
        self.error = error
    }
}

/// The roster and contacts frozen into an incident (SPEC §3.1): their texts are stored by SHA-256 beside
/// the runbook text; the event keeps what the log itself must show (where they came from, whom they bind).
public struct RosterFreeze: Sendable, Equatable {
    /// The SHA-256 of the roster file's text (of the empty text when the directory has none).
    public var rosterSHA256: String
    /// The SHA-256 of the contacts file's text (of the empty text when the directory has none).
    public var contactsSHA256: String
    /// The absolute runbooks directory the files were read from.
    public var directory: String
    /// The team's configured runbooks directory (`RUNBOOK_PATH`, else `./runbooks`), absolute.
    public var configuredDirectory: String
    /// The logins each person's roster entry binds; people whose entry binds none are absent.
    public var logins: [String: [String]]
    /// False for the freeze at opening, true for `runbook roster reload`.
    public var reload: Bool

    public init(rosterSHA256: String, contactsSHA256: String, directory: String, configuredDirectory: String,
                logins: [String: [String]], reload: Bool) {
        self.rosterSHA256 = rosterSHA256
        self.contactsSHA256 = contactsSHA256
        self.directory = directory
        self.configuredDirectory = configuredDirectory
        self.logins = logins
        self.reload = reload
    }

    /// Whether the files came from a directory other than the team's configured one.
    public var fromOtherDirectory: Bool { directory != configuredDirectory }
}

/// An event as it was stored: the record (sequence, recording time, actor, hash) and its decoded meaning.
public struct RecordedEvent: Sendable, Equatable {
    public var record: EventRecord
    public var event: IncidentEvent
    /// When it really happened, if entered after the fact with `--at`.
    public var occurredAt: Instant?
    /// The operating-system login of the process that recorded it (from its real user id), beside the
    /// declared actor; nil for events recorded before logins were kept.
    public var login: String?

    public init(record: EventRecord, event: IncidentEvent, occurredAt: Instant?, login: String? = nil) {
        self.record = record
        self.event = event
        self.occurredAt = occurredAt
        self.login = login
    }

    /// When it happened: the `--at` time, else the recording time.
    public var at: Instant { occurredAt ?? record.recordedAt }
    public var actor: String { record.actor }
    public var sequence: Int64 { record.sequence }
}

/// Why a stored event could not be read.
public struct EventDecodingError: Error, Sendable, Equatable {
    public var sequence: Int64
    public var message: String

    public init(sequence: Int64, message: String) {
        self.sequence = sequence
        self.message = message
    }
}

extension IncidentEvent {
    /// The event as a pending record: type, JSON data (with `at` when entered after the fact and `login`,
    /// the operating-system login of the recording process, so the hash chain covers it), actor, time.
    public func pending(actor: String, login: String? = nil, recordedAt: Instant, occurredAt: Instant? = nil) -> PendingEvent {
        var members = self.members.filter { $0.1 != .null }
        if let occurredAt { members.append(("at", .int(occurredAt.milliseconds))) }
        if let login { members.append(("login", .string(login))) }
        return PendingEvent(type: type, data: JSONValue.object(members).text, actor: actor, recordedAt: recordedAt)
    }

    /// Decodes a stored record.
    public static func decode(_ record: EventRecord) throws(EventDecodingError) -> RecordedEvent {
        func fail(_ message: String) -> EventDecodingError {
            EventDecodingError(sequence: record.sequence, message: "event \(record.sequence) (\(record.type)): \(message)")
        }
        let data: JSONValue
        do {
            data = try JSONValue(parsing: record.data)
        } catch {
            throw fail("its data is not valid JSON (\(error.message) at byte \(error.offset))")
        }
        func string(_ key: String) throws(EventDecodingError) -> String {
            guard let value = data[key]?.string else { throw fail("missing `\(key)`") }
            return value
        }
        func optionalString(_ key: String) -> String? { data[key]?.string }
        let occurredAt = data["at"]?.int.map(Instant.init(milliseconds:))
        let login = optionalString("login")
        let event: IncidentEvent
        switch record.type {
        case "incident.opened":
            var scheduled: ScheduledSlot?
            if let json = data["scheduled"] {
                guard let slot = ScheduledSlot(json: json) else { throw fail("`scheduled` needs `at` (milliseconds) and `late`") }
                scheduled = slot
            }
            event = .opened(runbookID: try string("runbook"), runbookSHA256: try string("runbook_sha256"),
                            title: try string("title"), severity: try string("severity"), drill: data["drill"]?.bool ?? false,
                            drillClock: data["drill_clock"].flatMap(DrillClock.init(json:)),
                            impact: ImpactTimes(startedAt: data["impact_started_at"]?.int.map(Instant.init(milliseconds:)),
                                                detectedAt: data["detected_at"]?.int.map(Instant.init(milliseconds:))).nonEmpty,
                            calledBy: try data["called_by"].map { (json: JSONValue) throws(EventDecodingError) -> CallOrigin in
                                guard let origin = CallOrigin(json: json) else { throw fail("malformed `called_by`") }
                                return origin
                            },
                            scheduled: scheduled)
        case "state.entered":
            guard let reason = EntryReason(rawValue: try string("reason")) else { throw fail("unknown reason") }
            event = .stateEntered(state: try string("state"), reason: reason, from: optionalString("from"))
        case "state.completed":
            event = .stateCompleted(state: try string("state"))
        case "step.started":
            event = .stepStarted(state: try string("state"), step: try string("step"))
        case "step.done":
            event = .stepDone(state: try string("state"), step: try string("step"), note: optionalString("note"))
        case "step.skipped":
            event = .stepSkipped(state: try string("state"), step: try string("step"), note: optionalString("note"))
        case "step.failed":
            event = .stepFailed(state: try string("state"), step: try string("step"), note: optionalString("note"))
        case "step.attempt_failed":
            event = .attemptFailed(state: try string("state"), step: try string("step"), note: optionalString("note"))
        case "command.started":
            event = .commandStarted(state: try string("state"), step: try string("step"), command: try string("command"),
                                    pid: data["pid"]?.int.map { Int32(clamping: $0) },
                                    startTime: data["pid_start_time"]?.int.map { UInt64(clamping: $0) })
        case "command.finished":
            guard let outcome = CommandOutcome(members: data) else { throw fail("malformed command result") }
            event = .commandFinished(state: try string("state"), step: try string("step"), outcome: outcome)
        case "input.recorded":
            event = .inputRecorded(state: try string("state"), step: try string("step"), value: try string("value"))
        case "approval.given":
            event = .approvalGiven(state: try string("state"), step: try string("step"), role: try string("role"))
        case "approval.refused":
            event = .approvalRefused(state: try string("state"), step: try string("step"), role: try string("role"),
                                     reason: try string("reason"))
        case "approval.overridden":
            event = .approvalOverridden(state: try string("state"), step: try string("step"), role: try string("role"),
                                        reason: try string("reason"))
        case "note.added":
            event = .noteAdded(text: try string("text"))
        case "incident.acknowledged":
            event = .acknowledged
        case "severity.changed":
            event = .severityChanged(from: try string("from"), to: try string("to"))
        case "incident.resolved":
            event = .resolved(note: optionalString("note"))
        case "incident.closed":
            event = .closed
        case "step.undone":
            event = .stepUndone(state: try string("state"), step: try string("step"), note: try string("note"))
        case "incident.reopened":
            event = .reopened(reason: try string("reason"))
        case "drill.clock_advanced":
            guard let milliseconds = data["by_ms"]?.int, milliseconds > 0 else { throw fail("malformed clock advance") }
            event = .drillClockAdvanced(milliseconds: milliseconds)
        case "deadline.missed":
            guard let kind = DeadlineMiss.Kind(rawValue: try string("kind")), let seconds = data["deadline_s"]?.int,
                  let due = data["due_at"]?.int else { throw fail("malformed deadline") }
            event = .deadlineMissed(DeadlineMiss(kind: kind, state: try string("state"), step: optionalString("step"),
                                                 deadline: RunbookDuration(seconds: Int(seconds)), dueAt: Instant(milliseconds: due)))
        case "escalation.started":
            guard let episode = data["episode"]?.int, let scope = EscalationScope(rawValue: try string("scope")),
                  let base = data["base_at"]?.int else { throw fail("malformed escalation") }
            event = .escalationStarted(episode: Int(episode), cause: EscalationCause(stored: data, sentence: try string("cause")), scope: scope, baseAt: Instant(milliseconds: base),
                                       firstIndex: Int(clamping: data["first_index"]?.int ?? 0))
        case "escalated":
            guard let episode = data["episode"]?.int, let index = data["index"]?.int, let tier = data["tier"]?.int,
                  let round = data["round"]?.int, let roles = data["roles"]?.array, let due = data["due_at"]?.int else {
                throw fail("malformed escalation")
            }
            event = .escalated(episode: Int(episode), index: Int(index), tier: Int(tier), round: Int(round),
                               roles: roles.compactMap(\.string), dueAt: Instant(milliseconds: due),
                               manual: data["manual"]?.bool ?? false, reason: optionalString("reason"))
        case "notification.sent", "notification.failed":
            guard let episode = data["episode"]?.int, let index = data["index"]?.int, let attempt = data["attempt"]?.int else {
                throw fail("malformed notification")
            }
            event = .notification(Delivery(episode: Int(episode), index: Int(index), role: try string("role"), channel: try string("channel"),
                                           attempt: Int(attempt), succeeded: record.type == "notification.sent",
                                           detail: optionalString("detail"), error: optionalString("error"),
                                           onDuty: optionalString("on_duty"), shift: optionalString("shift")))
        case "report.written":
            event = .reportWritten(files: data["files"]?.array?.compactMap(\.string) ?? [],
                                   sha256: data["sha256"]?.array?.compactMap(\.string) ?? [], final: data["final"]?.bool ?? false,
                                   covers: data["covers"]?.int, checkpoint: optionalString("checkpoint"))
        case "roster.frozen":
            guard let logins = data["logins"]?.members else { throw fail("malformed roster") }
            var bound: [String: [String]] = [:]
            for (person, value) in logins {
                guard let list = value.array else { throw fail("malformed roster") }
                bound[person] = list.compactMap(\.string)
            }
            event = .rosterFrozen(RosterFreeze(rosterSHA256: try string("roster_sha256"), contactsSHA256: try string("contacts_sha256"),
                                               directory: try string("runbooks"), configuredDirectory: try string("configured_runbooks"),
                                               logins: bound, reload: data["reload"]?.bool ?? false))
        case "call.started":
            event = .callStarted(state: try string("state"), step: try string("step"), child: try string("child"), runbook: try string("runbook"))
        case "call.finished":
            guard let sequence = data["child_sequence"]?.int, let resolved = data["resolved"]?.bool else { throw fail("malformed call result") }
            event = .callFinished(state: try string("state"), step: try string("step"), child: try string("child"), childSequence: sequence,
                                  resolved: resolved)
        case "calendar.frozen":
            guard let list = data["windows"]?.array else { throw fail("malformed calendar") }
            var windows: [MaintenanceWindow] = []
            for item in list {
                guard let window = MaintenanceWindow(json: item) else { throw fail("malformed maintenance window") }
                windows.append(window)
            }
            event = .calendarFrozen(windows: windows)
        case "escalation.held":
            guard let episode = data["episode"]?.int, let index = data["index"]?.int, let tier = data["tier"]?.int,
                  let due = data["due_at"]?.int, let until = data["until"]?.int else { throw fail("malformed held page") }
            event = .escalationHeld(episode: Int(episode), index: Int(index), tier: Int(tier), window: try string("window"),
                                    dueAt: Instant(milliseconds: due), until: Instant(milliseconds: until),
                                    untilText: optionalString("until_local") ?? Instant(milliseconds: until).iso8601)
        case "alert.received":
            guard let alert = ReceivedAlert(members: data) else { throw fail("malformed alert") }
            event = .alertReceived(alert)
        default:
            throw fail("unknown event type; this database was written by a newer runbook")
        }
        return RecordedEvent(record: record, event: event, occurredAt: occurredAt, login: login)
    }
}

extension CommandOutcome {
    var members: [(String, JSONValue)] {
        [("exit_code", .optional(exitCode.map(Int64.init))), ("signal", .optional(signal.map(Int64.init))),
         ("timed_out", .bool(timedOut)), ("interrupted", .optional(interruption?.stored)), ("duration_ms", .int(durationMilliseconds)),
         ("stdout", stdout.json), ("stderr", stderr.json)]
            + (couldNotStart.map { [("could_not_start", .string($0))] } ?? [])
            + (expectation.map { [("expect", $0.json)] } ?? [])
    }

    init?(members data: JSONValue) {
        guard let duration = data["duration_ms"]?.int, let stdout = data["stdout"].flatMap(CapturedOutput.init(json:)),
              let stderr = data["stderr"].flatMap(CapturedOutput.init(json:)) else { return nil }
        self.init(exitCode: data["exit_code"]?.int.map { Int32(clamping: $0) }, signal: data["signal"]?.int.map { Int32(clamping: $0) },
                  timedOut: data["timed_out"]?.bool ?? false, interruption: data["interrupted"]?.string.flatMap(CommandInterruption.init(stored:)),
                  durationMilliseconds: duration, stdout: stdout, stderr: stderr, couldNotStart: data["could_not_start"]?.string)
        if let expect = data["expect"] {
            guard let result = ExpectationResult(json: expect) else { return nil }
            expectation = result
        }
    }
}

extension CapturedOutput {
    var json: JSONValue {
        .object([("head", .string(head)), ("tail", .string(tail)), ("bytes", .int(totalBytes)), ("sha256", .string(sha256))])
    }

    init?(json: JSONValue) {
        guard let head = json["head"]?.string, let bytes = json["bytes"]?.int, let sha = json["sha256"]?.string else { return nil }
        self.init(head: head, tail: json["tail"]?.string ?? "", totalBytes: bytes, sha256: sha)
    }
}
