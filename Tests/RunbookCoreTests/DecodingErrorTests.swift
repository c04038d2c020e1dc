import RunbookCore
import Testing

/// A small valid runbook; each case below breaks one thing in it.
let validRunbook = """
    runbook: t
    title: "테스트 (Test)"
    rto: 15m
    roles:
      oncall: { title: On-call }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: a
    states:
      a:
        deadline: 5m
        steps:
          - { id: s1, title: S1 }
        next: b
      b:
        deadline: 10m
        steps:
          - { id: s2, title: S2 }
        resolves: true
        end: true

    """

struct DecodingCase: CustomTestStringConvertible, Sendable {
    var name: String
    var replace: String
    var with: String
    var expected: [String]
    var testDescription: String { name }
}

let decodingCases: [DecodingCase] = [
    DecodingCase(name: "syntax error", replace: "  a:\n    deadline: 5m", with: "  a:\n    deadline: 5m\n   bad: [",
                 expected: ["t.yaml:13:4: error: did not find expected key (while parsing a block mapping started at line 11, column 3)"]),
    DecodingCase(name: "duplicate key", replace: "    deadline: 10m", with: "    deadline: 10m\n    deadline: 20m",
                 expected: ["t.yaml:18:5: error: duplicate key `deadline` (first at line 17)"]),
    DecodingCase(name: "unknown key with suggestion", replace: "    deadline: 5m", with: "    dedline: 5m",
                 expected: ["t.yaml:12:5: error: states.a.dedline: unknown key `dedline`; did you mean `deadline`?"]),
    DecodingCase(name: "unknown key without a near one", replace: "rto: 15m", with: "rto: 15m\ncolour: red",
                 expected: ["t.yaml:4:1: error: colour: unknown key `colour`; expected one of: runbook, kind, title, source, summary, severity, rto, rpo, schedule, timezone, roles, escalation, initial, states"]),
    DecodingCase(name: "wrong type", replace: "    resolves: true", with: "    resolves: maybe",
                 expected: ["t.yaml:20:15: error: states.b.resolves: expected true or false, found a string \"maybe\""]),
    DecodingCase(name: "list where a mapping is expected", replace: "  oncall: { title: On-call }", with: "  oncall: [On-call]",
                 expected: ["t.yaml:5:11: error: roles.oncall: expected a mapping, found a list"]),
    DecodingCase(name: "bad duration", replace: "    deadline: 10m", with: "    deadline: soon",
                 expected: ["t.yaml:17:15: error: states.b.deadline: expected a duration like \"5m\", \"1h30m\" or \"24h\", found \"soon\""]),
    DecodingCase(name: "missing required key", replace: "      - { id: s2, title: S2 }", with: "      - { id: s2 }",
                 expected: ["t.yaml:19:9: error: states.b.steps[0]: missing required key `title`"]),
    DecodingCase(name: "two kinds in one step", replace: "      - { id: s2, title: S2 }", with: "      - { id: s2, title: S2, run: ls, wait: 5m }",
                 expected: ["t.yaml:19:45: error: states.b.steps[0].wait: a step has one kind, found both `run` and `wait`; split it into two steps"]),
    DecodingCase(name: "unknown state", replace: "    next: b", with: "    next: bb",
                 expected: ["t.yaml:15:11: error: states.a.next: unknown state `bb`; did you mean `b`?"]),
    DecodingCase(name: "unknown role", replace: "{ notify: [oncall], after: 0m }", with: "{ notify: [oncal], after: 0m }",
                 expected: ["t.yaml:8:18: error: escalation.tiers[0].notify[0]: unknown role `oncal`; did you mean `oncall`?"]),
    DecodingCase(name: "unknown approval role", replace: "      - { id: s1, title: S1 }", with: "      - { id: s1, title: S1, approve: { role: cto } }",
                 expected: ["t.yaml:14:47: error: states.a.steps[0].approve.role: unknown role `cto`"]),
    DecodingCase(name: "unreachable state", replace: "    resolves: true\n    end: true\n",
                 with: "    resolves: true\n    end: true\n  c:\n    next: b\n",
                 expected: ["t.yaml:22:3: error: states.c: state `c` is unreachable from the initial state `a`"]),
    DecodingCase(name: "dead end", replace: "    next: b", with: "    next: b\n    on_fail: c\n  c:\n    title: Stuck",
                 expected: ["t.yaml:17:3: error: states.c: state `c` has no path to an end state; give it `next:` or mark it `end: true`"]),
    DecodingCase(name: "goto to a missing state", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, input: { choices: [x, y] }, goto: { x: nowhere } }",
                 expected: ["t.yaml:14:69: error: states.a.steps[0].goto.x: unknown state `nowhere`"]),
    DecodingCase(name: "RTO exceeded", replace: "rto: 15m", with: "rto: 10m",
                 expected: ["t.yaml:3:6: error: rto: the stage deadlines along a → b add up to 15m, more than the RTO of 10m"]),
    DecodingCase(name: "unknown needs", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s0, title: S0 }\n      - { id: s1, title: S1, needs: [s9] }",
                 expected: ["t.yaml:15:38: error: states.a.steps[1].needs[0]: unknown step `s9` in state `a`; did you mean `s0`?"]),
    DecodingCase(name: "needs with a suggestion", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s0, title: S0 }\n      - { id: s1, title: S1, needs: s00 }",
                 expected: ["t.yaml:15:37: error: states.a.steps[1].needs: unknown step `s00` in state `a`; did you mean `s0`?"]),
    DecodingCase(name: "needs across states", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, needs: [s2] }",
                 expected: ["t.yaml:14:38: error: states.a.steps[0].needs[0]: step `s2` belongs to state `b`; `needs` names steps of the same state (`a`)"]),
    DecodingCase(name: "needs in a cycle", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s0, title: S0, needs: [s1] }\n      - { id: s1, title: S1, needs: [s0] }",
                 expected: ["t.yaml:14:38: error: states.a.steps[0].needs[0]: steps wait for each other in a cycle: `s0` → `s1` → `s0`; no step of it could ever be done"]),
    DecodingCase(name: "needs against the sequential order", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s0, title: S0, needs: [s1] }\n      - { id: s1, title: S1 }\n    order: sequential",
                 expected: ["t.yaml:14:38: error: states.a.steps[0].needs[0]: steps wait for each other in a cycle: `s0` → `s1` → `s0`; no step of it could ever be done"]),
    DecodingCase(name: "needs against an approval gate", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s0, title: S0, approve: oncall, needs: s1 }\n      - { id: s1, title: S1 }",
                 expected: ["t.yaml:14:54: error: states.a.steps[0].needs: steps wait for each other in a cycle: `s0` → `s1` → `s0`; no step of it could ever be done"]),
    DecodingCase(name: "a step that needs itself", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, needs: s1 }",
                 expected: ["t.yaml:14:37: error: states.a.steps[0].needs: steps wait for each other in a cycle: `s1` → `s1`; no step of it could ever be done"]),
    DecodingCase(name: "unknown order", replace: "    next: b", with: "    next: b\n    order: strict",
                 expected: ["t.yaml:16:12: error: states.a.order: expected `sequential` or `any`, found \"strict\""]),
    DecodingCase(name: "destructive on a manual step", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, destructive: true }",
                 expected: ["t.yaml:14:43: error: states.a.steps[0].destructive: `destructive` applies to command steps; add `run:` or remove it"]),
    DecodingCase(name: "an escape in the title", replace: "title: \"테스트 (Test)\"", with: "title: \"\\e]0;x\\a\\e[2J테스트\"",
                 expected: ["t.yaml:2:8: error: title: a title may not contain control characters; found \\e (U+001B)"]),
    DecodingCase(name: "a line break in a step title", replace: "      - { id: s2, title: S2 }", with: "      - { id: s2, title: \"S2\\n#13 forged\" }",
                 expected: ["t.yaml:19:26: error: states.b.steps[0].title: a step title may not contain control characters; found \\n (U+000A)"]),
    DecodingCase(name: "a bidi override in a choice", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, input: { choices: [yes, \"\\u202Eon\"] } }",
                 expected: ["t.yaml:14:54: error: states.a.steps[0].input.choices[1]: a choice may not contain control characters; found \\u{202E} (U+202E)"]),
    DecodingCase(name: "a bell in a role title", replace: "  oncall: { title: On-call }", with: "  oncall: { title: \"On-call\\a\" }",
                 expected: ["t.yaml:5:20: error: roles.oncall.title: a role title may not contain control characters; found \\x07 (U+0007)"]),
    DecodingCase(name: "a tab in a step note", replace: "      - { id: s2, title: S2 }", with: "      - { id: s2, title: S2, note: \"a\\tb\" }",
                 expected: ["t.yaml:19:36: error: states.b.steps[0].note: a note may not contain control characters; found \\t (U+0009)"]),
    DecodingCase(name: "a C1 control in the source", replace: "rto: 15m", with: "rto: 15m\nsource: \"manual \\x9B2J\"",
                 expected: ["t.yaml:4:9: error: source: the source may not contain control characters; found \\u{009B} (U+009B)"]),
    DecodingCase(name: "a tier for an unknown severity", replace: "{ notify: [oncall], after: 0m }",
                 with: "{ notify: [oncall], after: 0m, severities: [SEV1, SEV5] }",
                 expected: ["t.yaml:8:57: error: escalation.tiers[0].severities[1]: expected one of SEV1, SEV2, SEV3, SEV4, found \"SEV5\""]),
    DecodingCase(name: "a bad acknowledgement timeout", replace: "escalation:\n", with: "escalation:\n  ack_timeout: later\n",
                 expected: ["t.yaml:7:16: error: escalation.ack_timeout: expected a duration like \"5m\", \"1h30m\" or \"24h\", found \"later\""]),
    DecodingCase(name: "report with an unknown section", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, input: { prompt: who }, report: impakt }",
                 expected: ["t.yaml:14:62: error: states.a.steps[0].report: unknown post-mortem section \"impakt\"; expected one of "
                            + "impact, root-cause, trigger, resolution, detection; did you mean `impact`?"]),
    DecodingCase(name: "report on a step that is not an input", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, report: impact }",
                 expected: ["t.yaml:14:38: error: states.a.steps[0].report: `report` applies to input steps; add `input:` or remove it"]),
    DecodingCase(name: "contains that is not a boolean", replace: "    deadline: 5m", with: "    deadline: 5m\n    contains: yes please",
                 expected: ["t.yaml:13:15: error: states.a.contains: expected true or false, found a string \"yes please\""]),
    DecodingCase(name: "contains after resolution", replace: "    resolves: true\n    end: true\n",
                 with: "    resolves: true\n    next: c\n  c:\n    contains: true\n    end: true\n",
                 expected: ["t.yaml:23:15: error: states.c.contains: state `c` is marked `contains: true` but is reached only after a resolving "
                            + "state; the stage that contains the problem comes before service is restored"]),
    DecodingCase(name: "sets on a step that is not an input", replace: "      - { id: s1, title: S1 }", with: "      - { id: s1, title: S1, sets: severity }",
                 expected: ["t.yaml:14:36: error: states.a.steps[0].sets: `sets` applies to input steps; add `input:` or remove it"]),
    DecodingCase(name: "sets severity with choices that are not severities", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, input: { choices: [SEV1, high] }, sets: severity }",
                 expected: ["t.yaml:14:70: error: states.a.steps[0].sets: `sets: severity` needs choices among SEV1, SEV2, SEV3, SEV4; not a severity: high"]),
    DecodingCase(name: "id differs from the file name", replace: "runbook: t", with: "runbook: other",
                 expected: ["t.yaml:1:10: error: runbook: the id `other` must match the file name (t.yaml); rename one of them"]),
]

@Suite struct DecodingErrorTests {
    @Test func theBaseRunbookIsValid() throws {
        let decoded = try RunbookLoader.load(validRunbook, file: "t.yaml", expectedID: "t").get()
        #expect(decoded.runbook.states.map(\.id) == ["a", "b"])
        #expect(decoded.runbook.rto == .minutes(15))
    }

    @Test(arguments: decodingCases)
    func reportsExactMessage(_ testCase: DecodingCase) throws {
        #expect(validRunbook.contains(testCase.replace), "the case must change the runbook")
        let text = validRunbook.replacingAll(testCase.replace, with: testCase.with)
        let result = RunbookLoader.load(text, file: "t.yaml", expectedID: "t")
        guard case .failure(let invalid) = result else {
            Issue.record("expected errors, got a valid runbook")
            return
        }
        #expect(invalid.diagnostics.map(\.headline) == testCase.expected)
    }

    @Test func rendersTheSourceLineAndACaret() throws {
        let text = validRunbook.replacingAll("    deadline: 10m", with: "    deadline: soon")
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "t.yaml"), let diagnostic = invalid.diagnostics.first else {
            Issue.record("expected an error")
            return
        }
        #expect(diagnostic.rendered(source: text) == """
            t.yaml:17:15: error: states.b.deadline: expected a duration like "5m", "1h30m" or "24h", found "soon"
                deadline: soon
                          ^
            """)
    }

    @Test func caretLinesUpUnderKoreanText() {
        let source = "title: 탐지 단계\nx: 1\n"
        let diagnostic = Diagnostic(file: "k.yaml", mark: SourceMark(line: 1, column: 11), path: "title", message: "m")
        // 7 ASCII columns, then 탐지 and a space (5 columns): the caret stands under 단.
        #expect(diagnostic.rendered(source: source) == "k.yaml:1:11: error: title: m\ntitle: 탐지 단계\n            ^")
    }

    @Test func collectsEveryErrorOfAFile() {
        let text = validRunbook
            .replacingAll("    deadline: 5m", with: "    deadline: 5 minutes")
            .replacingAll("    deadline: 10m", with: "    dedline: 10m")
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "t.yaml") else {
            Issue.record("expected errors")
            return
        }
        #expect(invalid.diagnostics.count == 2)
    }

    @Test func aNoteMaySpanLines() throws {
        let text = validRunbook.replacingAll("      - { id: s2, title: S2 }", with: "      - { id: s2, title: S2, note: \"first\\nsecond\\r\\nthird\" }")
        let decoded = try RunbookLoader.load(text, file: "t.yaml", expectedID: "t").get()
        #expect(decoded.runbook.state("b")?.step("s2")?.note == "first\nsecond\r\nthird")
    }

    @Test func emptyFile() {
        guard case .failure(let invalid) = RunbookLoader.load("", file: "e.yaml") else {
            Issue.record("expected an error")
            return
        }
        #expect(invalid.diagnostics.map(\.headline) == ["e.yaml:1:1: error: the file is empty; a runbook starts with `runbook: ID`"])
    }
}
