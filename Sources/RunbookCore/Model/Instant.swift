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

    /// Parses `2026-11-26T16:33:35Z`, with optional `.sss` fraction and a `Z` or `±hh:mm` offset.
    public init?(iso8601 text: String) {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for c in chars[range] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 19, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 32,
              chars[13] == 58, chars[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var millis = 0
        if index < chars.count, chars[index] == 46 {
            index += 1
            var digits = 0
            while index < chars.count, chars[index] >= 48, chars[index] <= 57 {
                if digits < 3 { millis = millis * 10 + Int(chars[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<3 where digits < 3 { millis *= 10 }
        }
        var offsetSeconds = 0
        if index < chars.count {
            if chars[index] == 90, index == chars.count - 1 {
                index += 1
            } else if chars[index] == 43 || chars[index] == 45, chars.count == index + 6, chars[index + 3] == 58,
                      let h = number(index + 1..<index + 3), let m = number(index + 4..<index + 6) {
                offsetSeconds = (h * 3600 + m * 60) * (chars[index] == 43 ? 1 : -1)
                index += 6
            } else {
                return nil
            }
        } else {
            return nil
        }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        milliseconds = seconds * 1000 + Int64(millis)
    }
}

/// Calendar fields of an instant shifted by an offset (Howard Hinnant's civil-date algorithms).
public struct CivilTime: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

    public init(utcMilliseconds: Int64, offsetSeconds: Int = 0) {
        let total = utcMilliseconds + Int64(offsetSeconds) * 1000
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

extension Int64 {
    /// Quotient and remainder rounded toward negative infinity.
    func floorDivided(by divisor: Int64) -> (Int64, Int64) {
        let q = self / divisor, r = self % divisor
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}
