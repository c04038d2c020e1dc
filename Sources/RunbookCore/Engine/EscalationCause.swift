/// Why an escalation began, as facts, so that every view and every page says it in the reader's language.
///
/// Stored as its English sentence (`cause`, readable in the raw log) beside its kind and facts; an event recorded
/// before causes had facts keeps its sentence (`text`). Two causes are equal when they say the same in English.
public enum EscalationCause: Sendable, Equatable, ExpressibleByStringLiteral {
    case unacknowledged
    /// A stage's deadline passed; `afterRestore`: service was already restored (a late follow-up, a notice).
    case stageDeadline(stage: String, title: String, deadline: RunbookDuration, afterRestore: Bool)
    case stepTimeout(step: String, title: String, timeout: RunbookDuration)
    case stepFailed(step: String, title: String)
    case manual(reason: String?)
    case override(actor: String, step: String, title: String, reason: String)
    /// The sentence of an event recorded before causes had facts.
    case text(String)

    public init(stringLiteral value: String) {
        self = .text(value)
    }

    /// The cause in `language`.
    public func text(in language: Language = .current) -> String {
        Message.escalationCause(self).text(in: language)
    }

    /// The English sentence, as stored.
    public var english: String { text(in: .english) }

    public static func == (lhs: EscalationCause, rhs: EscalationCause) -> Bool {
        lhs.english == rhs.english
    }

    var members: [(String, JSONValue)] {
        var facts: [(String, JSONValue)] = [("cause", .string(english))]
        switch self {
        case .unacknowledged:
            facts.append(("cause_kind", .string("unacknowledged")))
        case .stageDeadline(let stage, let title, let deadline, let afterRestore):
            facts += [("cause_kind", .string("stage_deadline")), ("cause_stage", .string(stage)), ("cause_title", .string(title)),
                      ("cause_deadline_s", .int(Int64(deadline.seconds))), ("cause_after_restore", .bool(afterRestore))]
        case .stepTimeout(let step, let title, let timeout):
            facts += [("cause_kind", .string("step_timeout")), ("cause_step", .string(step)), ("cause_title", .string(title)),
                      ("cause_deadline_s", .int(Int64(timeout.seconds)))]
        case .stepFailed(let step, let title):
            facts += [("cause_kind", .string("step_failed")), ("cause_step", .string(step)), ("cause_title", .string(title))]
        case .manual(let reason):
            facts += [("cause_kind", .string("manual")), ("cause_reason", .optional(reason))]
        case .override(let actor, let step, let title, let reason):
            facts += [("cause_kind", .string("override")), ("cause_actor", .string(actor)), ("cause_step", .string(step)),
                      ("cause_title", .string(title)), ("cause_reason", .string(reason))]
        case .text:
            break
        }
        return facts
    }

    /// The cause of a stored event: its facts when it has them (and they are whole), else its sentence.
    init(stored data: JSONValue, sentence: String) {
        let string = { (key: String) in data[key]?.string }
        let duration = data["cause_deadline_s"]?.int.map { RunbookDuration(seconds: Int(clamping: $0)) }
        switch string("cause_kind") {
        case "unacknowledged":
            self = .unacknowledged
        case "stage_deadline":
            guard let stage = string("cause_stage"), let title = string("cause_title"), let duration else { self = .text(sentence); return }
            self = .stageDeadline(stage: stage, title: title, deadline: duration, afterRestore: data["cause_after_restore"]?.bool ?? false)
        case "step_timeout":
            guard let step = string("cause_step"), let title = string("cause_title"), let duration else { self = .text(sentence); return }
            self = .stepTimeout(step: step, title: title, timeout: duration)
        case "step_failed":
            guard let step = string("cause_step"), let title = string("cause_title") else { self = .text(sentence); return }
            self = .stepFailed(step: step, title: title)
        case "manual":
            self = .manual(reason: string("cause_reason"))
        case "override":
            guard let actor = string("cause_actor"), let step = string("cause_step"), let title = string("cause_title"),
                  let reason = string("cause_reason") else { self = .text(sentence); return }
            self = .override(actor: actor, step: step, title: title, reason: reason)
        default:
            self = .text(sentence)
        }
    }
}
