public import RunbookCore

/// An error the user can act on: one line saying what is wrong and what to do, and an exit code.
public struct UserError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit codes of SPEC §7.
    public enum Kind: Int32, Sendable {
        /// The action failed (a command step failed, verify found tampering).
        case failed = 1
        /// Bad usage: a wrong argument, an unknown incident or step, a missing file.
        case usage = 64
        /// Invalid data: a malformed runbook, a damaged database.
        case data = 65
    }

    public var kind: Kind
    public var message: String
    /// The engine's refusal behind this error, for front ends that act on its facts (guided mode asks for
    /// the missing note or confirmation).
    public var refusal: Refusal?
    /// What the error is about, where a front end answers differently (the server: `404`, `412`).
    public var cause: Cause?

    public enum Cause: Sendable, Equatable {
        /// No incident has the id given.
        case unknownIncident
        /// The incident changed since the event the caller named (the server's `If-Match`).
        case changedSince
        /// The database server could not be reached (the server: `503`).
        case databaseUnavailable
    }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// An error said by the message catalog, in the process's language.
    public init(_ kind: Kind, _ message: Message) {
        self.init(kind, message.text())
    }

    /// The error for an engine refusal: usage for a wrong argument, failed for a conflict with the log.
    public init(_ refusal: Refusal) {
        self.init(refusal.kind == .usage ? .usage : .failed, refusal.message)
        self.refusal = refusal
    }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }
}
