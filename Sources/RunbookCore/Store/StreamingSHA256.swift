import Crypto

/// An incremental SHA-256 hasher, for data that arrives in chunks and is never held whole.
///
/// Wraps `Crypto.SHA256` so that targets depending only on RunbookCore can hash streams (command output)
/// without importing swift-crypto. It is not `Sendable`: keep it inside the task that feeds it and hand on
/// the hex digest instead.
public struct StreamingSHA256 {
    private var hasher = SHA256()

    public init() {}

    /// Adds `bytes` to the hashed data.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The SHA-256 of everything added so far, as lowercase hex; the hasher may keep being updated.
    public func finalizeHex() -> String {
        EventChain.hex(hasher.finalize())
    }
}
