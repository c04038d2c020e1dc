/// A point in time: milliseconds since 1970-01-01T00:00:00Z. The core never reads a clock; it sees instants.
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public static func + (lhs: Instant, rhs: RunbookDuration) -> Instant {
        Instant(milliseconds: lhs.milliseconds + Int64(rhs.seconds) * 1000)
    }

    /// Milliseconds from `other` to `self`.
    public func milliseconds(since other: Instant) -> Int64 { milliseconds - other.milliseconds }

    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }

    /// UTC ISO-8601 with milliseconds: `2026-11-26T16:33:35.123Z`.
    public var description: String { iso8601 }

    public var iso8601: String {
        let parts = CivilTime(utcMilliseconds: milliseconds)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        parts.appendDigits(to: &bytes, separator: UInt8(ascii: "T"))
        bytes.append(UInt8(ascii: "."))
        appendPadded(parts.millisecond, 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an ISO-8601 / RFC 3339 date and time: `2026-11-26T16:33:35Z`, `2026-11-26 16:33:35.123456789+09:00`.
    ///
    /// The date is `YYYY-MM-DD`; `T`, `t` or a space separates it from `HH:MM[:SS]`; a fraction (`.` or `,`)
    /// may have any number of digits (kept to the millisecond, truncated); the zone is `Z`, `±HH:MM`,
    /// `±HHMM` or `±HH`. Impossible dates and times (February 31, 24:00, 10:61, month 13) are refused:
    /// nil, never a trap and never a silently shifted instant.
    public init?(iso8601 text: String) {
        var chars = text.utf8[...]
        func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let c = chars.first, c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
                chars = chars.dropFirst()
            }
            return value
        }
        func take(_ expected: UInt8) -> Bool {
            guard chars.first == expected else { return false }
            chars = chars.dropFirst()
            return true
        }
        guard let year = digits(4), take(45), let month = digits(2), take(45), let day = digits(2),
              take(84) || take(116) || take(32),
              let hour = digits(2), take(58), let minute = digits(2) else { return nil }
        var second = 0
        if take(58) {
            guard let value = digits(2) else { return nil }
            second = value
        }
        guard (1...12).contains(month), (1...CivilTime.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var millis = 0
        if take(46) || take(44) {
            var count = 0
            while let c = chars.first, c >= 48, c <= 57 {
                if count < 3 { millis = millis * 10 + Int(c - 48) }
                count += 1
                chars = chars.dropFirst()
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { millis *= 10 }
        }
        var offsetSeconds = 0
        if take(90) || take(122) {
            // UTC.
        } else if let sign = chars.first, sign == 43 || sign == 45 {
            chars = chars.dropFirst()
            guard let h = digits(2), h < 24 else { return nil }
            var m = 0
            if !chars.isEmpty {
                _ = take(58)
                guard let value = digits(2), value < 60 else { return nil }
                m = value
            }
            offsetSeconds = (h * 3600 + m * 60) * (sign == 43 ? 1 : -1)
        } else {
            return nil
        }
        guard chars.isEmpty else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        milliseconds = seconds * 1000 + Int64(millis)
    }
}

/// Calendar fields of an instant shifted by an offset (Howard Hinnant's civil-date algorithms).
public struct CivilTime: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

    public init(utcMilliseconds: Int64, offsetSeconds: Int = 0) {
        // An absurd stored time near the ends of Int64 prints without its offset rather than trapping.
        let shifted = utcMilliseconds.addingReportingOverflow(Int64(offsetSeconds) * 1000)
        let total = shifted.overflow ? utcMilliseconds : shifted.partialValue
        let (secondsTotal, millis) = total.floorDivided(by: 1000)
        let (days, secondOfDay) = secondsTotal.floorDivided(by: 86_400)
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        hour = Int(secondOfDay) / 3600
        minute = Int(secondOfDay) % 3600 / 60
        second = Int(secondOfDay) % 60
        millisecond = Int(millis)
    }

    /// The number of days in `month` (1–12) of the Gregorian `year`.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `2026-11-26 16:33:35` (or with `T`).
    public func formatted(separator: String = " ") -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(19)
        appendDigits(to: &bytes, separator: separator.utf8.first ?? UInt8(ascii: " "))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DD?HH:MM:SS` as ASCII bytes.
    func appendDigits(to bytes: inout [UInt8], separator: UInt8) {
        appendPadded(year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(day, 2, to: &bytes)
        bytes.append(separator)
        appendPadded(hour, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(minute, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(second, 2, to: &bytes)
    }

    /// `20261126`, as used in incident ids.
    public var compactDate: String { "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))" }
}

/// Appends `value` in decimal, zero-padded to `width` digits.
func appendPadded(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
    var digits: [UInt8] = []
    var rest = value.magnitude
    repeat {
        digits.append(UInt8(truncatingIfNeeded: rest % 10) + 48)
        rest /= 10
    } while rest > 0
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    for _ in digits.count..<max(width, digits.count) { bytes.append(48) }
    bytes.append(contentsOf: digits.reversed())
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

extension BinaryInteger {
    /// Quotient and remainder rounded toward negative infinity.
    func floorDivided(by divisor: Self) -> (quotient: Self, remainder: Self) {
        let q = self / divisor, r = self % divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}
