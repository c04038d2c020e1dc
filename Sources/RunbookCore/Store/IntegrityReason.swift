/// Why a hash chain breaks at an event, or why a checkpoint does not hold: facts, said in the reader's language.
///
/// Equal when they say the same in English (a test may state the English sentence; `text` keeps a sentence that
/// has no facts, such as a decoder's message).
public enum IntegrityReason: Sendable, Equatable, ExpressibleByStringLiteral {
    /// An event is missing: `next` is the next stored one.
    case missing(expected: Int64, next: Int64)
    case outOfOrder(Int64)
    /// The event does not link to the one before it.
    case unlinked(Int64)
    /// The event's hash no longer matches its content.
    case altered(Int64)
    /// The event cannot be decoded (the decoder's sentence).
    case unreadable(String)
    /// No readable opening event, or its runbook no longer loads.
    case notReplayable
    /// The log ends at `last`, before the checkpoint's event.
    case checkpointGone(last: Int64, sequence: Int64)
    /// The checkpoint's event now hashes to something else.
    case rehashed(sequence: Int64, hash: String)
    case badSignature
    /// The incident the checkpoint names is gone from the database.
    case incidentGone(String)
    case text(String)

    public init(stringLiteral value: String) {
        self = .text(value)
    }

    public func text(in language: Language = .current) -> String {
        Message.integrityReason(self).text(in: language)
    }

    public var english: String { text(in: .english) }

    public static func == (lhs: IntegrityReason, rhs: IntegrityReason) -> Bool {
        lhs.english == rhs.english
    }
}
