/// One fact in an incident's log (SPEC §4). Stored as a type name and a JSON object.
public enum IncidentEvent: Sendable, Equatable {
    case opened(runbookID: String, runbookSHA256: String, title: String, severity: String, drill: Bool)
    case stateEntered(state: String, reason: EntryReason, from: String?)
    case stateCompleted(state: String)
    case stepStarted(state: String, step: String)
    case stepDone(state: String, step: String, note: String?)
    case stepSkipped(state: String, step: String, note: String?)
    case stepFailed(state: String, step: String, note: String?)
    case commandStarted(state: String, step: String, command: String, pid: Int32?)
    case commandFinished(state: String, step: String, outcome: CommandOutcome)
    case inputRecorded(state: String, step: String, value: String)
    case approvalGiven(state: String, step: String, role: String)
    case approvalRefused(state: String, step: String, role: String, reason: String)
    case noteAdded(text: String)
    case acknowledged
    case severityChanged(from: String, to: String)
    case resolved(note: String?)
    case closed

    /// Why a state was entered.
    public enum EntryReason: String, Sendable, Equatable {
        case initial, next, onFail = "on_fail", onTimeout = "on_timeout", goto
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
        case .commandStarted: "command.started"
        case .commandFinished: "command.finished"
        case .inputRecorded: "input.recorded"
        case .approvalGiven: "approval.given"
        case .approvalRefused: "approval.refused"
        case .noteAdded: "note.added"
        case .acknowledged: "incident.acknowledged"
        case .severityChanged: "severity.changed"
        case .resolved: "incident.resolved"
        case .closed: "incident.closed"
        }
    }

    /// The payload as JSON members, in a fixed order.
    var members: [(String, JSONValue)] {
        switch self {
        case .opened(let runbookID, let sha, let title, let severity, let drill):
            return [("runbook", .string(runbookID)), ("runbook_sha256", .string(sha)), ("title", .string(title)),
                    ("severity", .string(severity)), ("drill", .bool(drill))]
        case .stateEntered(let state, let reason, let from):
            return [("state", .string(state)), ("reason", .string(reason.rawValue)), ("from", .optional(from))]
        case .stateCompleted(let state):
            return [("state", .string(state))]
        case .stepStarted(let state, let step):
            return [("state", .string(state)), ("step", .string(step))]
        case .stepDone(let state, let step, let note), .stepSkipped(let state, let step, let note),
             .stepFailed(let state, let step, let note):
            return [("state", .string(state)), ("step", .string(step)), ("note", .optional(note))]
        case .commandStarted(let state, let step, let command, let pid):
            return [("state", .string(state)), ("step", .string(step)), ("command", .string(command)),
                    ("pid", .optional(pid.map(Int64.init)))]
        case .commandFinished(let state, let step, let outcome):
            return [("state", .string(state)), ("step", .string(step))] + outcome.members
        case .inputRecorded(let state, let step, let value):
            return [("state", .string(state)), ("step", .string(step)), ("value", .string(value))]
        case .approvalGiven(let state, let step, let role):
            return [("state", .string(state)), ("step", .string(step)), ("role", .string(role))]
        case .approvalRefused(let state, let step, let role, let reason):
            return [("state", .string(state)), ("step", .string(step)), ("role", .string(role)), ("reason", .string(reason))]
        case .noteAdded(let text):
            return [("text", .string(text))]
        case .acknowledged, .closed:
            return []
        case .severityChanged(let from, let to):
            return [("from", .string(from)), ("to", .string(to))]
        case .resolved(let note):
            return [("note", .optional(note))]
        }
    }
}

/// An event as it was stored: the record (sequence, recording time, actor, hash) and its decoded meaning.
public struct RecordedEvent: Sendable, Equatable {
    public var record: EventRecord
    public var event: IncidentEvent
    /// When it really happened, if entered after the fact with `--at`.
    public var occurredAt: Instant?

    public init(record: EventRecord, event: IncidentEvent, occurredAt: Instant?) {
        self.record = record
        self.event = event
        self.occurredAt = occurredAt
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
    /// The event as a pending record: type, JSON data (with `at` when entered after the fact), actor, time.
    public func pending(actor: String, recordedAt: Instant, occurredAt: Instant? = nil) -> PendingEvent {
        var members = self.members.filter { $0.1 != .null }
        if let occurredAt { members.append(("at", .int(occurredAt.milliseconds))) }
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
        let event: IncidentEvent
        switch record.type {
        case "incident.opened":
            event = .opened(runbookID: try string("runbook"), runbookSHA256: try string("runbook_sha256"),
                            title: try string("title"), severity: try string("severity"), drill: data["drill"]?.bool ?? false)
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
        case "command.started":
            event = .commandStarted(state: try string("state"), step: try string("step"), command: try string("command"),
                                    pid: data["pid"]?.int.map { Int32(clamping: $0) })
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
        default:
            throw fail("unknown event type; this database was written by a newer runbook")
        }
        return RecordedEvent(record: record, event: event, occurredAt: occurredAt)
    }
}

extension CommandOutcome {
    var members: [(String, JSONValue)] {
        [("exit_code", .optional(exitCode.map(Int64.init))), ("signal", .optional(signal.map(Int64.init))),
         ("timed_out", .bool(timedOut)), ("duration_ms", .int(durationMilliseconds)),
         ("stdout", stdout.json), ("stderr", stderr.json)]
    }

    init?(members data: JSONValue) {
        guard let duration = data["duration_ms"]?.int, let stdout = data["stdout"].flatMap(CapturedOutput.init(json:)),
              let stderr = data["stderr"].flatMap(CapturedOutput.init(json:)) else { return nil }
        self.init(exitCode: data["exit_code"]?.int.map { Int32(clamping: $0) }, signal: data["signal"]?.int.map { Int32(clamping: $0) },
                  timedOut: data["timed_out"]?.bool ?? false, durationMilliseconds: duration, stdout: stdout, stderr: stderr)
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
