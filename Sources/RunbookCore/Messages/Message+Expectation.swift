extension Message {
    /// What a step's `expect:` found, in `l`: "93% — expected below 80%", "no number found by ^([0-9.]+) — expected
    /// below 80%", "output did not match \"status\":\s*\"ok\"". When nothing was found in an output that was cut,
    /// it says only the kept head was checked.
    static func expectationText(_ result: ExpectationResult, in l: Language) -> String {
        let expectation = result.expectation
        let unit = expectation.unit ?? ""
        let pattern = expectation.check.pattern
        let cut = result.cut.map { cut in
            l.choose(english: " (only the first \(cut.checkedBytes) of \(cut.totalBytes) bytes were kept and checked)",
                     korean: " (\(cut.totalBytes)바이트 중 보관된 처음 \(cut.checkedBytes)바이트만 검사함)")
        } ?? ""
        let stream = expectation.stream == .stdout ? "" : l.choose(english: " (stdout or stderr)", korean: " (stdout 또는 stderr)")
        switch expectation.check {
        case .match:
            switch result.found {
            case .matched:
                return l.choose(english: "output matched \(pattern)", korean: "출력이 \(pattern)와 일치함")
            case .tooSlow(let milliseconds):
                return tooSlowText(pattern: pattern, milliseconds: milliseconds, in: l)
            case .badPattern(let error):
                return l.choose(english: "the regex \(pattern) does not compile: \(error)", korean: "정규식 \(pattern)을 컴파일할 수 없음: \(error)")
            default:
                return l.choose(english: "output\(stream) did not match \(pattern)", korean: "출력\(stream)이 \(pattern)와 일치하지 않음") + cut
            }
        case .number(_, let comparison):
            let bound = comparison.bound.text + unit
            let expected: String = switch comparison {
            case .below: l.choose(english: "expected below \(bound)", korean: "기대값 \(bound) 미만")
            case .above: l.choose(english: "expected above \(bound)", korean: "기대값 \(bound) 초과")
            case .equals: l.choose(english: "expected \(bound)", korean: "기대값 \(bound)")
            }
            switch result.found {
            case .number(let value):
                return result.passed ? "\(value.text)\(unit) (\(expected))" : "\(value.text)\(unit) — \(expected)"
            case .notANumber(let text):
                return l.choose(english: "found \"\(text)\" by \(pattern), not a number — \(expected)",
                                korean: "\(pattern)로 찾은 \"\(text)\"는 숫자가 아님 — \(expected)")
            case .badPattern(let error):
                return l.choose(english: "the regex \(pattern) does not compile: \(error)", korean: "정규식 \(pattern)을 컴파일할 수 없음: \(error)")
            case .tooSlow(let milliseconds):
                return tooSlowText(pattern: pattern, milliseconds: milliseconds, in: l) + " — \(expected)"
            case .matched, .noMatch:
                return l.choose(english: "no number found by \(pattern)\(stream) — \(expected)",
                                korean: "\(pattern)로 숫자를 찾지 못함\(stream) — \(expected)") + cut
            }
        }
    }

    /// "the regex ^(a+)+$ was stopped after 5s without an answer (…)".
    private static func tooSlowText(pattern: String, milliseconds: Int64, in l: Language) -> String {
        let whole = milliseconds % 1000 == 0
        let budget = whole ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
        let koreanBudget = whole ? "\(milliseconds / 1000)초" : "\(milliseconds)ms"
        return l.choose(english: "the regex \(pattern) was stopped after \(budget) without an answer (it backtracks too much on this "
                            + "output: simplify it, with no repeat inside a repeat such as (a+)+)",
                        korean: "정규식 \(pattern) 검사가 \(koreanBudget) 안에 끝나지 않아 중단됨 (이 출력에서 역추적이 너무 많음: "
                            + "(a+)+처럼 반복 안에 반복이 없도록 단순하게 고치세요)")
    }
}
