/// A reader of TZif files (RFC 8536), the compiled tz database in `/usr/share/zoneinfo`.
enum TZif {
    struct Parsed {
        var transitions: [Int64]
        var offsets: [Int32]
        var initialOffset: Int32
        var footer: PosixRule?
    }

    static func parse(_ bytes: [UInt8]) -> Parsed? {
        var reader = ByteReader(bytes: bytes)
        guard let v1 = reader.header() else { return nil }
        // Version 1 files carry 32-bit times only; later ones repeat the data with 64-bit times and add a footer.
        guard v1.version >= 2 else { return reader.data(v1, timeSize: 4) }
        guard reader.skip(v1.dataSize(timeSize: 4)), let v2 = reader.header(), var parsed = reader.data(v2, timeSize: 8) else { return nil }
        if let footer = reader.footer() { parsed.footer = PosixRule(footer) }
        return parsed
    }

    struct Header {
        var version: Int
        var isutcnt: Int, isstdcnt: Int, leapcnt: Int, timecnt: Int, typecnt: Int, charcnt: Int

        func dataSize(timeSize: Int) -> Int {
            timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        }
    }

    struct ByteReader {
        let bytes: [UInt8]
        var position = 0

        mutating func skip(_ count: Int) -> Bool {
            guard count >= 0, position + count <= bytes.count else { return false }
            position += count
            return true
        }

        mutating func integer(_ size: Int) -> Int64? {
            guard position + size <= bytes.count else { return nil }
            var value: UInt64 = 0
            for byte in bytes[position..<position + size] { value = value << 8 | UInt64(byte) }
            position += size
            // Sign-extend from the field's width.
            let shift = UInt64(64 - size * 8)
            return Int64(bitPattern: value << shift) >> Int64(shift)
        }

        mutating func header() -> Header? {
            guard position + 44 <= bytes.count, Array(bytes[position..<position + 4]) == Array("TZif".utf8) else { return nil }
            let versionByte = bytes[position + 4]
            let version = versionByte == 0 ? 1 : Int(versionByte) - 48
            guard (1...9).contains(version) else { return nil }
            position += 20
            var counts: [Int] = []
            for _ in 0..<6 {
                guard let value = integer(4), value >= 0, value < 1_000_000 else { return nil }
                counts.append(Int(value))
            }
            let header = Header(version: version, isutcnt: counts[0], isstdcnt: counts[1], leapcnt: counts[2], timecnt: counts[3],
                                typecnt: counts[4], charcnt: counts[5])
            guard header.typecnt >= 1 else { return nil }
            return header
        }

        mutating func data(_ header: Header, timeSize: Int) -> Parsed? {
            guard position + header.dataSize(timeSize: timeSize) <= bytes.count else { return nil }
            var times: [Int64] = []
            for _ in 0..<header.timecnt {
                guard let time = integer(timeSize) else { return nil }
                times.append(time)
            }
            var indices: [Int] = []
            for _ in 0..<header.timecnt {
                guard let index = integer(1), index >= 0, Int(index) < header.typecnt else { return nil }
                indices.append(Int(index))
            }
            var typeOffsets: [Int32] = []
            for _ in 0..<header.typecnt {
                guard let offset = integer(4), skip(2) else { return nil }
                typeOffsets.append(Int32(clamping: offset))
            }
            guard skip(header.charcnt + header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt) else { return nil }
            guard zip(times, times.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
            return Parsed(transitions: times, offsets: indices.map { typeOffsets[$0] }, initialOffset: typeOffsets[0], footer: nil)
        }

        mutating func footer() -> String? {
            guard position < bytes.count, bytes[position] == 10 else { return nil }
            let rest = bytes[(position + 1)...]
            guard let end = rest.firstIndex(of: 10) else { return nil }
            return String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
        }
    }
}

/// A POSIX TZ rule (`KST-9`, `CET-1CEST,M3.5.0,M10.5.0/3`): the offsets after a zone file's last
/// transition. Only the `Mm.w.d` form of daylight-saving dates is read; a rule in another form is not used.
struct PosixRule: Equatable, Sendable {
    var standard: Int
    var daylight: (offset: Int, start: DateRule, end: DateRule)?

    struct DateRule: Equatable, Sendable {
        var month: Int, week: Int, weekday: Int, seconds: Int
    }

    static func == (lhs: PosixRule, rhs: PosixRule) -> Bool {
        lhs.standard == rhs.standard && lhs.daylight?.offset == rhs.daylight?.offset && lhs.daylight?.start == rhs.daylight?.start
            && lhs.daylight?.end == rhs.daylight?.end
    }

    init?(_ text: String) {
        var chars = Substring(text)
        guard Self.name(&chars), let standard = Self.offset(&chars) else { return nil }
        self.standard = -standard
        if chars.isEmpty {
            daylight = nil
            return
        }
        guard Self.name(&chars) else { return nil }
        var daylightOffset = self.standard + 3600
        if let first = chars.first, first != "," {
            guard let value = Self.offset(&chars) else { return nil }
            daylightOffset = -value
        }
        guard chars.first == "," else { return nil }
        chars = chars.dropFirst()
        guard let start = Self.dateRule(&chars), chars.first == "," else { return nil }
        chars = chars.dropFirst()
        guard let end = Self.dateRule(&chars), chars.isEmpty else { return nil }
        daylight = (daylightOffset, start, end)
    }

    func offset(atUTCSeconds seconds: Int64) -> Int {
        guard let daylight else { return standard }
        let year = CivilTime(utcMilliseconds: (seconds + Int64(standard)) * 1000).year
        let start = Self.instant(of: daylight.start, year: year) - Int64(standard)
        let end = Self.instant(of: daylight.end, year: year) - Int64(daylight.offset)
        let inDaylight = start < end ? (seconds >= start && seconds < end) : !(seconds >= end && seconds < start)
        return inDaylight ? daylight.offset : standard
    }

    /// Local seconds since the epoch of the rule's moment in `year`.
    static func instant(of rule: DateRule, year: Int) -> Int64 {
        let first = LocalDate(year: year, month: rule.month, day: 1)
        let firstWeekday = (first.daysSinceEpoch + 4).floorDivided(by: 7).remainder  // 0 = Sunday
        var day = 1 + (rule.weekday - firstWeekday + 7) % 7 + 7 * (rule.week - 1)
        while day > first.daysInMonth { day -= 7 }
        return Int64(LocalDate(year: year, month: rule.month, day: day).daysSinceEpoch) * 86_400 + Int64(rule.seconds)
    }

    private static func name(_ chars: inout Substring) -> Bool {
        if chars.first == "<" {
            guard let close = chars.firstIndex(of: ">") else { return false }
            chars = chars[chars.index(after: close)...]
            return true
        }
        let letters = chars.prefix { $0.isLetter }
        guard letters.count >= 3 else { return false }
        chars = chars.dropFirst(letters.count)
        return true
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, as written (POSIX counts west of Greenwich as positive).
    private static func offset(_ chars: inout Substring) -> Int? {
        var sign = 1
        if chars.first == "+" || chars.first == "-" {
            sign = chars.first == "-" ? -1 : 1
            chars = chars.dropFirst()
        }
        var parts: [Int] = []
        while parts.count < 3 {
            let digits = chars.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3, let value = Int(digits) else { return nil }
            parts.append(value)
            chars = chars.dropFirst(digits.count)
            guard chars.first == ":" else { break }
            chars = chars.dropFirst()
        }
        let seconds = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
        return sign * seconds
    }

    private static func dateRule(_ chars: inout Substring) -> DateRule? {
        guard chars.first == "M" else { return nil }
        chars = chars.dropFirst()
        var numbers: [Int] = []
        for index in 0..<3 {
            let digits = chars.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int(digits) else { return nil }
            numbers.append(value)
            chars = chars.dropFirst(digits.count)
            if index < 2 {
                guard chars.first == "." else { return nil }
                chars = chars.dropFirst()
            }
        }
        guard (1...12).contains(numbers[0]), (1...5).contains(numbers[1]), (0...6).contains(numbers[2]) else { return nil }
        var seconds = 7200
        if chars.first == "/" {
            chars = chars.dropFirst()
            guard let value = offset(&chars) else { return nil }
            seconds = value
        }
        return DateRule(month: numbers[0], week: numbers[1], weekday: numbers[2], seconds: seconds)
    }
}
