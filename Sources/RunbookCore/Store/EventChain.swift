import Crypto

/// The SHA-256 hash chain that makes an incident's log tamper-evident.
public enum EventChain {
    /// The previous hash of an incident's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of a record: SHA-256 over its previous hash and every field, each length-prefixed.
    public static func hash(of record: EventRecord) -> String {
        var hasher = SHA256()
        for field in [record.previousHash, record.incidentID, String(record.sequence), String(record.recordedAt.milliseconds),
                      record.actor, record.type, record.data] {
            var header = "\(field.utf8.count):"
            header.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            var text = field
            text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return hex(hasher.finalize())
    }

    /// SHA-256 of `text` as lowercase hex (runbook snapshots, command output digests).
    public static func sha256(_ text: String) -> String {
        sha256(bytes: Array(text.utf8))
    }

    public static func sha256(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Checks an incident's records: contiguous from 1, each linked to the one before, each hash intact.
    public static func verify(_ records: [EventRecord]) -> ChainVerification {
        var previous = genesis
        for (index, record) in records.enumerated() {
            let expected = Int64(index + 1)
            if record.sequence != expected {
                return .broken(sequence: expected, reason: record.sequence > expected
                               ? "event \(expected) is missing (the next stored event is \(record.sequence))"
                               : "event \(record.sequence) is out of order")
            }
            if record.previousHash != previous {
                return .broken(sequence: record.sequence, reason: "event \(record.sequence) does not link to the event before it")
            }
            if hash(of: record) != record.hash {
                return .broken(sequence: record.sequence, reason: "event \(record.sequence) was altered after it was recorded")
            }
            previous = record.hash
        }
        return .intact(count: records.count)
    }
}

/// The result of checking a hash chain.
public enum ChainVerification: Sendable, Equatable {
    case intact(count: Int)
    /// The first bad event and what is wrong with it.
    case broken(sequence: Int64, reason: String)
}
