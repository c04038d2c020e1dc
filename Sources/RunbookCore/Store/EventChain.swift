import Crypto

/// The SHA-256 hash chain that makes an incident's log tamper-evident.
public enum EventChain {
    /// The previous hash of an incident's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of a record: SHA-256 over its previous hash and every field, each length-prefixed.
    public static func hash(of record: EventRecord) -> String {
        // One buffer, one digest: each field's byte count in decimal, a colon, then its bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + record.data.utf8.count + record.actor.utf8.count)
        func append(_ field: String) {
            appendDecimal(Int64(field.utf8.count), to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: field.utf8)
        }
        func append(number: Int64) {
            var digits: [UInt8] = []
            appendDecimal(number, to: &digits)
            appendDecimal(Int64(digits.count), to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: digits)
        }
        append(record.previousHash)
        append(record.incidentID)
        append(number: record.sequence)
        append(number: record.recordedAt.milliseconds)
        append(record.actor)
        append(record.type)
        append(record.data)
        return hex(SHA256.hash(data: bytes))
    }

    /// Appends the decimal digits of `value`, as `String(value)` spells them.
    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// SHA-256 of `text` as lowercase hex (runbook snapshots, command output digests).
    public static func sha256(_ text: String) -> String {
        sha256(bytes: Array(text.utf8))
    }

    public static func sha256(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    public static func hex(_ digest: some Sequence<UInt8>) -> String {
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
                               ? .missing(expected: expected, next: record.sequence) : .outOfOrder(record.sequence))
            }
            if record.previousHash != previous {
                return .broken(sequence: record.sequence, reason: .unlinked(record.sequence))
            }
            if hash(of: record) != record.hash {
                return .broken(sequence: record.sequence, reason: .altered(record.sequence))
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
    case broken(sequence: Int64, reason: IntegrityReason)
}
