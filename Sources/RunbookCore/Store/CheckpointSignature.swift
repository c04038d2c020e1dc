import Crypto

/// An Ed25519 key that signs checkpoints (SPEC §4): kept in a file outside the database, so whoever can
/// rewrite the database cannot sign a rewritten log.
public struct CheckpointSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// The key from 64 hex digits (its 32 raw bytes); nil when the text is not such a key.
    public init?(hex: String) {
        guard let bytes = Hex.bytes(String(hex.trimmingWhitespace)), bytes.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes) else { return nil }
        self.key = key
    }

    /// The public key (64 hex digits) that verifies this key's signatures, for `RUNBOOK_VERIFY_KEY`.
    public var publicKeyHex: String { EventChain.hex(key.publicKey.rawRepresentation) }

    /// The checkpoint of `hash` (event `sequence`'s full hash), signed.
    public func sign(_ checkpoint: Checkpoint, fullHash: String) -> Checkpoint {
        var signed = checkpoint
        if let signature = try? key.signature(for: CheckpointSignature.message(checkpoint, fullHash: fullHash)) {
            signed.signature = EventChain.hex(signature)
        }
        return signed
    }
}

/// Checks checkpoint signatures against a public key.
public struct CheckpointVerifyingKey: Sendable {
    let key: Curve25519.Signing.PublicKey

    /// The public key from 64 hex digits.
    public init?(hex: String) {
        guard let bytes = Hex.bytes(String(hex.trimmingWhitespace)), bytes.count == 32,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return nil }
        self.key = key
    }

    public init(_ signing: CheckpointSigningKey) {
        key = signing.key.publicKey
    }

    /// Whether `checkpoint`'s signature was made by this key's holder for the event whose full hash is `fullHash`.
    public func isValid(_ checkpoint: Checkpoint, fullHash: String) -> Bool {
        guard let signature = checkpoint.signature.flatMap(Hex.bytes) else { return false }
        return key.isValidSignature(signature, for: CheckpointSignature.message(checkpoint, fullHash: fullHash))
    }
}

enum CheckpointSignature {
    /// What is signed: a fixed prefix, the incident, the sequence and the event's full hash.
    static func message(_ checkpoint: Checkpoint, fullHash: String) -> [UInt8] {
        Array("runbook checkpoint v1\n\(checkpoint.incidentID)\n\(checkpoint.sequence)\n\(fullHash)".utf8)
    }
}

enum Hex {
    /// The bytes of an even number of hex digits; nil for anything else.
    static func bytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
