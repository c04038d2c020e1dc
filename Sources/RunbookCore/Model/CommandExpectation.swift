/// What a command step's output must show beyond its exit code (`expect:`, SPEC §3.2).
///
/// `{ match: REGEX }` passes when the regex matches somewhere in the checked text; `{ number: REGEX, below: 80 }`
/// parses the first match's one capture group as a decimal number and compares it. Regexes are Swift `Regex`
/// syntax, with `^` and `$` matching at line ends (command output is lines).
public struct CommandExpectation: Sendable, Equatable {
    public var check: Check
    /// Text shown after numbers ("%", " ms").
    public var unit: String?
    /// Which output is checked.
    public var stream: Stream

    public init(check: Check, unit: String? = nil, stream: Stream = .stdout) {
        self.check = check
        self.unit = unit
        self.stream = stream
    }

    public enum Check: Sendable, Equatable {
        /// The regex must match somewhere in the output.
        case match(pattern: String)
        /// The regex's one capture group, in its first match, is a number that must compare as given.
        case number(pattern: String, Comparison)

        public var pattern: String {
            switch self {
            case .match(let pattern), .number(let pattern, _): pattern
            }
        }
    }

    /// How a number found must compare.
    public enum Comparison: Sendable, Equatable {
        case below(DecimalNumber)
        case above(DecimalNumber)
        case equals(DecimalNumber)

        /// The YAML key: `below`, `above` or `equals`.
        public var key: String {
            switch self {
            case .below: "below"
            case .above: "above"
            case .equals: "equals"
            }
        }

        public var bound: DecimalNumber {
            switch self {
            case .below(let number), .above(let number), .equals(let number): number
            }
        }

        /// Whether `value` compares as required.
        public func holds(for value: DecimalNumber) -> Bool {
            switch self {
            case .below(let bound): value.exactlyCompared(to: bound) < 0
            case .above(let bound): value.exactlyCompared(to: bound) > 0
            case .equals(let bound): value.exactlyCompared(to: bound) == 0
            }
        }

        /// Reads `key: text`; nil for another key or text that is not a decimal number.
        public init?(key: String, text: String) {
            guard let number = DecimalNumber(parsing: text) else { return nil }
            switch key {
            case "below": self = .below(number)
            case "above": self = .above(number)
            case "equals": self = .equals(number)
            default: return nil
            }
        }
    }

    /// `in: stdout` (the default) or `in: output` (stdout, then stderr).
    public enum Stream: String, Sendable, Equatable, CaseIterable {
        case stdout, output
    }
}

/// A decimal number as written ("80", "99.50", "-3"), kept with its text so it shows as written.
public struct DecimalNumber: Sendable, Equatable {
    public var text: String
    public var value: Double

    /// A whole number.
    public init(_ integer: Int) {
        text = "\(integer)"
        value = Double(integer)
    }

    /// Reads an optional sign, digits and an optional fraction (`12`, `-0.5`, `.5`, `3.`); nil for anything
    /// else (no exponent, no `inf`, no `nan`, no thousands separators). Spaces around it are ignored.
    public init?(parsing raw: some StringProtocol) {
        let text = String(String(raw).trimmingWhitespace)
        var digits = 0
        var dots = 0
        for (offset, character) in text.enumerated() {
            switch character {
            case "+" where offset == 0, "-" where offset == 0: continue
            case "0"..."9": digits += 1
            case ".": dots += 1
            default: return nil
            }
        }
        guard digits > 0, dots <= 1, let value = Double(text) else { return nil }
        self.text = text
        self.value = value
    }

    /// -1, 0 or 1 as this number is below, equal to or above `other`, digit by digit from the text, so that
    /// 9007199254740993 is not equal to 9007199254740992 (as Doubles they are) and 0.1000000000000000001 is above 0.1.
    public func exactlyCompared(to other: DecimalNumber) -> Int {
        let (a, b) = (Self.digits(of: text), Self.digits(of: other.text))
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        var magnitude = 0
        if a.whole.count != b.whole.count {
            magnitude = a.whole.count < b.whole.count ? -1 : 1
        } else if a.whole != b.whole {
            magnitude = a.whole.lexicographicallyPrecedes(b.whole) ? -1 : 1
        } else {
            let width = max(a.fraction.count, b.fraction.count)
            let left = a.fraction + Array(repeating: UInt8(ascii: "0"), count: width - a.fraction.count)
            let right = b.fraction + Array(repeating: UInt8(ascii: "0"), count: width - b.fraction.count)
            if left != right { magnitude = left.lexicographicallyPrecedes(right) ? -1 : 1 }
        }
        return a.negative ? -magnitude : magnitude
    }

    /// The sign, the whole digits without leading zeros and the fraction digits without trailing zeros (zero is
    /// never negative).
    private static func digits(of text: String) -> (negative: Bool, whole: [UInt8], fraction: [UInt8]) {
        var bytes = Array(text.utf8)
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array((parts.first ?? []).drop(while: { $0 == UInt8(ascii: "0") }))
        var fraction = parts.count > 1 ? Array(parts[1]) : []
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        if whole.isEmpty && fraction.isEmpty { negative = false }
        return (negative, whole, fraction)
    }
}

/// Checks on the regexes a runbook writes, done when it is read so that a run never meets a broken one.
public enum RegexPattern {
    /// The regex as it is used to check output: `^` and `$` match at line ends.
    public static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        try Regex(pattern).anchorsMatchLineEndings()
    }

    /// Why `pattern` does not compile, or nil when it does.
    public static func compileError(_ pattern: String) -> String? {
        do {
            _ = try compile(pattern)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The number of capturing groups in a pattern that compiles: `(…)` and named `(?<name>…)`,
    /// `(?P<name>…)`, `(?'name'…)`; not `(?:…)`, lookarounds, escaped parentheses or those inside `[…]`.
    public static func captureGroupCount(_ pattern: String) -> Int {
        let characters = Array(pattern)
        var count = 0
        var index = 0
        var classDepth = 0
        var quoted = false
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\\", index + 1 < characters.count, characters[index + 1] == "E" {
                    quoted = false
                    index += 1
                }
                index += 1
                continue
            }
            switch character {
            case "\\":
                if index + 1 < characters.count, characters[index + 1] == "Q" { quoted = true }
                index += 1
            case "[":
                classDepth += 1
                // A `]` first in a class (after an optional `^`) is a literal.
                if index + 1 < characters.count, characters[index + 1] == "^" { index += 1 }
                if index + 1 < characters.count, characters[index + 1] == "]" { index += 1 }
            case "]" where classDepth > 0:
                classDepth -= 1
            case "(" where classDepth == 0:
                let rest = characters[(index + 1)...]
                if rest.first != "?" {
                    count += 1
                } else {
                    let after = Array(rest.dropFirst().prefix(2))
                    let named = (after.first == "<" && after.count > 1 && after[1] != "=" && after[1] != "!")
                        || after.first == "'" || (after.first == "P" && after.count > 1 && after[1] == "<")
                    if named { count += 1 }
                }
            default:
                break
            }
            index += 1
        }
        return count
    }
}
