public import RunbookCore

/// The keys that sign and check checkpoints, from the environment (SPEC §4):
/// `RUNBOOK_SIGNING_KEY`, a file holding an Ed25519 key as 64 hex digits, kept outside the database;
/// `RUNBOOK_VERIFY_KEY`, the public key (64 hex digits, or a file holding them) for a machine that only checks.
public struct CheckpointKeys: Sendable {
    public var signing: CheckpointSigningKey?
    public var verifying: CheckpointVerifyingKey?

    public init(signing: CheckpointSigningKey? = nil, verifying: CheckpointVerifyingKey? = nil) {
        self.signing = signing
        self.verifying = verifying ?? signing.map(CheckpointVerifyingKey.init)
    }

    static let howToMakeOne = "make one with `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\\\n' > signing.key; chmod 600 signing.key`"

    /// The keys the environment names; a named key that cannot be read is an error, not silence.
    public static func fromEnvironment() throws(UserError) -> CheckpointKeys {
        var signing: CheckpointSigningKey?
        if let path = environmentValue("RUNBOOK_SIGNING_KEY") {
            // A regular file, never a pipe: the background watcher that start launches reads the same variable, and a
            // `<(pass show …)` would be gone by then, leaving it unable to sign and every later page unsent.
            let text = try FileIO.read(path)
            guard let key = CheckpointSigningKey(hex: text) else {
                throw UserError(.usage, "RUNBOOK_SIGNING_KEY=\(path) does not hold an Ed25519 key as 64 hex digits; \(howToMakeOne)")
            }
            signing = key
        }
        var verifying: CheckpointVerifyingKey?
        if let value = environmentValue("RUNBOOK_VERIFY_KEY") {
            let text = FileIO.exists(value) ? try FileIO.read(value) : value
            guard let key = CheckpointVerifyingKey(hex: text) else {
                throw UserError(.usage, "RUNBOOK_VERIFY_KEY is not a public key of 64 hex digits (print it with `runbook verify --public-key`)")
            }
            verifying = key
        }
        return CheckpointKeys(signing: signing, verifying: verifying)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The value of an environment variable, nil when unset or empty.
public func environmentValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
