// Fuzzes the event decoder: a stored record with a fuzzed type and data. The first byte picks a known
// type (so every branch is reached), or, past the list, the first line is the type itself.
import FuzzSupport
import RunbookCore

let knownTypes = [
    "incident.opened", "state.entered", "state.completed", "step.started", "step.done", "step.skipped",
    "step.failed", "step.attempt_failed", "command.started", "command.finished", "input.recorded",
    "approval.given", "approval.refused", "approval.overridden", "note.added", "incident.acknowledged",
    "severity.changed", "incident.resolved", "incident.closed", "deadline.missed", "escalation.started",
    "escalated", "notification.sent", "report.written", "roster.frozen", "alert.received",
]

runFuzzer { data, size in
    let input = fuzzInput(data, size)
    guard let first = input.first else { return 0 }
    let type: String
    let payload: String
    if Int(first) < knownTypes.count {
        type = knownTypes[Int(first)]
        payload = String(decoding: input.dropFirst(), as: UTF8.self)
    } else {
        let rest = input.dropFirst()
        let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
        type = String(decoding: rest[..<newline], as: UTF8.self)
        payload = String(decoding: rest[newline...].dropFirst(), as: UTF8.self)
    }
    let record = EventRecord(incidentID: "INC-20261126-001", sequence: 2, recordedAt: Instant(milliseconds: 1_795_000_000_000),
                             actor: "kim", type: type, data: payload, previousHash: "", hash: "")
    do throws(EventDecodingError) {
        let recorded = try IncidentEvent.decode(record)
        _ = recorded.event.pending(actor: record.actor, login: recorded.login, recordedAt: record.recordedAt,
                                   occurredAt: recorded.occurredAt)
        if let at = recorded.occurredAt {
            // A stored time prints whatever its value (timeline, report), in UTC and in a zone.
            _ = at.iso8601
            _ = CivilTime(utcMilliseconds: at.milliseconds, offsetSeconds: -9 * 3600).formatted()
        }
    } catch {
        guard !error.message.isEmpty else { fuzzFailure("an empty decoding error") }
    }
    return 0
}
