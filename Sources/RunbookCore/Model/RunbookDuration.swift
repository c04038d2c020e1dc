/// A whole number of seconds written as `30s`, `5m`, `1h30m`, `24h` or `2d`.
public struct RunbookDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int

    public init(seconds: Int) {
        self.seconds = seconds
    }

    public static func seconds(_ value: Int) -> RunbookDuration { RunbookDuration(seconds: value) }
    public static func minutes(_ value: Int) -> RunbookDuration { RunbookDuration(seconds: value * 60) }
    public static func hours(_ value: Int) -> RunbookDuration { RunbookDuration(seconds: value * 3600) }
    public static let zero = RunbookDuration(seconds: 0)

    /// Parses `1h30m`-style text: one or more number-unit groups, units `d`, `h`, `m`, `s` in that order.
    public init?(parsing text: String) {
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var total = 0
        var number: Int?
        var nextUnit = 0
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (times, overflow1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(digit)
                guard !overflow1, !overflow2, sum < 1_000_000 else { return nil }
                number = sum
                continue
            }
            guard let value = number,
                  let index = units[nextUnit...].firstIndex(where: { $0.0 == character })
            else { return nil }
            total += value * units[index].1
            nextUnit = index + 1
            number = nil
        }
        guard number == nil, nextUnit > 0 else { return nil }
        seconds = total
    }

    public static func < (lhs: RunbookDuration, rhs: RunbookDuration) -> Bool { lhs.seconds < rhs.seconds }

    public static func + (lhs: RunbookDuration, rhs: RunbookDuration) -> RunbookDuration {
        RunbookDuration(seconds: lhs.seconds + rhs.seconds)
    }

    /// The canonical spelling: `1h30m`, `24h`, `45s`, `0m`.
    public var description: String {
        if seconds == 0 { return "0m" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
