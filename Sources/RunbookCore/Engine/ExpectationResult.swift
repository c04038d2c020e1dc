/// What checking a run's output against the step's `expect:` found: recorded in `command.finished`, so replay,
/// the views and the report show the value without the runbook at hand.
public struct ExpectationResult: Sendable, Equatable {
    /// The expectation checked, as the runbook wrote it.
    public var expectation: CommandExpectation
    public var found: Found
    /// Set when an output checked was longer than what was kept: only its head was checked.
    public var cut: OutputCut?

    public init(expectation: CommandExpectation, found: Found, cut: OutputCut? = nil) {
        self.expectation = expectation
        self.found = found
        self.cut = cut
    }

    public enum Found: Sendable, Equatable {
        /// `match`: the regex matched.
        case matched
        /// The regex matched nowhere (for `number`: no number found).
        case noMatch
        /// `number`: the first match's group, read as a number.
        case number(DecimalNumber)
        /// `number`: the first match's group is not a decimal number.
        case notANumber(String)
        /// The regex does not compile (lint refuses such a runbook; kept so a check never crashes).
        case badPattern(String)
        /// The check was given up after this many milliseconds (a regex that backtracks without end, such as
        /// `^(a+)+$`, must not hang a run in an outage); the runtime bounds the check, the core cannot.
        case tooSlow(milliseconds: Int64)
    }

    /// The bytes checked and the bytes written, of the streams whose output was cut.
    public struct OutputCut: Sendable, Equatable {
        public var checkedBytes: Int64
        public var totalBytes: Int64

        public init(checkedBytes: Int64, totalBytes: Int64) {
            self.checkedBytes = checkedBytes
            self.totalBytes = totalBytes
        }
    }

    /// Whether the output shows what was expected.
    public var passed: Bool {
        switch found {
        case .matched: true
        case .number(let value):
            if case .number(_, let comparison) = expectation.check { comparison.holds(for: value) } else { false }
        case .noMatch, .notANumber, .badPattern, .tooSlow: false
        }
    }
}

extension CommandExpectation {
    /// Checks the captured output of a run: stdout (or, `in: output`, stdout then stderr), each whole when it
    /// was kept whole and by its head when it was cut. The first match decides.
    public func evaluate(stdout: CapturedOutput, stderr: CapturedOutput) -> ExpectationResult {
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try RegexPattern.compile(check.pattern)
        } catch {
            return ExpectationResult(expectation: self, found: .badPattern("\(error)"))
        }
        var cut: ExpectationResult.OutputCut?
        for output in stream == .stdout ? [stdout] : [stdout, stderr] {
            let text: String
            if output.truncated {
                text = output.head
                let checked = Int64(output.head.utf8.count)
                cut = ExpectationResult.OutputCut(checkedBytes: (cut?.checkedBytes ?? 0) + checked,
                                                  totalBytes: (cut?.totalBytes ?? 0) + output.totalBytes)
            } else {
                text = output.head + output.tail
            }
            guard let match = try? regex.firstMatch(in: text) else { continue }
            switch check {
            case .match:
                return ExpectationResult(expectation: self, found: .matched, cut: cut)
            case .number:
                let group = match.output.count > 1 ? match.output[1].substring.map(String.init) : nil
                guard let group, let number = DecimalNumber(parsing: group) else {
                    return ExpectationResult(expectation: self, found: .notANumber(group ?? ""), cut: cut)
                }
                return ExpectationResult(expectation: self, found: .number(number), cut: cut)
            }
        }
        return ExpectationResult(expectation: self, found: .noMatch, cut: cut)
    }
}

// MARK: - Stored form

extension ExpectationResult {
    /// The `expect` member of a `command.finished` event.
    var json: JSONValue {
        var members: [(String, JSONValue)] = []
        switch expectation.check {
        case .match(let pattern):
            members = [("check", .string("match")), ("pattern", .string(pattern))]
        case .number(let pattern, let comparison):
            members = [("check", .string("number")), ("pattern", .string(pattern)), ("comparison", .string(comparison.key)),
                       ("bound", .string(comparison.bound.text))]
        }
        members += [("unit", .optional(expectation.unit)), ("in", .string(expectation.stream.rawValue))]
        let found: String
        var value: String?
        switch self.found {
        case .matched: found = "match"
        case .noMatch: found = "no_match"
        case .number(let number): (found, value) = ("number", number.text)
        case .notANumber(let text): (found, value) = ("not_a_number", text)
        case .badPattern(let error): (found, value) = ("bad_pattern", error)
        case .tooSlow(let milliseconds): (found, value) = ("too_slow", "\(milliseconds)")
        }
        members += [("found", .string(found)), ("value", .optional(value)), ("passed", .bool(passed))]
        if let cut {
            members += [("checked_bytes", .int(cut.checkedBytes)), ("total_bytes", .int(cut.totalBytes))]
        }
        return .object(members)
    }

    /// Reads what `json` wrote; nil for anything else.
    init?(json: JSONValue) {
        guard let pattern = json["pattern"]?.string, let stream = json["in"]?.string.flatMap(CommandExpectation.Stream.init(rawValue:))
        else { return nil }
        let check: CommandExpectation.Check
        switch json["check"]?.string {
        case "match": check = .match(pattern: pattern)
        case "number":
            guard let key = json["comparison"]?.string, let bound = json["bound"]?.string,
                  let comparison = CommandExpectation.Comparison(key: key, text: bound) else { return nil }
            check = .number(pattern: pattern, comparison)
        default: return nil
        }
        let value = json["value"]?.string
        let found: Found
        switch json["found"]?.string {
        case "match": found = .matched
        case "no_match": found = .noMatch
        case "number":
            guard let number = value.flatMap(DecimalNumber.init(parsing:)) else { return nil }
            found = .number(number)
        case "not_a_number": found = .notANumber(value ?? "")
        case "bad_pattern": found = .badPattern(value ?? "")
        case "too_slow":
            guard let milliseconds = value.flatMap({ Int64($0) }) else { return nil }
            found = .tooSlow(milliseconds: milliseconds)
        default: return nil
        }
        var cut: OutputCut?
        if let checked = json["checked_bytes"]?.int, let total = json["total_bytes"]?.int {
            cut = OutputCut(checkedBytes: checked, totalBytes: total)
        }
        self.init(expectation: CommandExpectation(check: check, unit: json["unit"]?.string, stream: stream), found: found, cut: cut)
    }
}
