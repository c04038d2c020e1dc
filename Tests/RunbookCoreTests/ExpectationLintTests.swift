import RunbookCore
import Testing

/// The step `s1` of `validRunbook` as a command step with these extra lines (at line 17 onwards).
func commandStepLines(_ lines: String...) -> String {
    (["      - id: s1", "        title: S1", "        run: \"echo 93\""] + lines.map { "        " + $0 }).joined(separator: "\n")
}

let expectLintCases: [DecodingCase] = [
    DecodingCase(name: "a regex that does not compile", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { match: "(ok" }"#),
                 expected: [#"t.yaml:17:26: error: states.a.steps[0].expect.match: the regex "(ok" does not compile: expected ')'"#]),
    DecodingCase(name: "a number regex without a group", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { number: "[0-9]+", below: 80 }"#),
                 expected: [#"t.yaml:17:27: error: states.a.steps[0].expect.number: the regex "[0-9]+" has 0 capture groups; `number` needs "#
                            + #"exactly one, around the number, as in "^([0-9.]+)" (use (?:…) for other groups)"#]),
    DecodingCase(name: "a number regex with two groups", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { number: "(a|b) ([0-9]+)", above: 1 }"#),
                 expected: [#"t.yaml:17:27: error: states.a.steps[0].expect.number: the regex "(a|b) ([0-9]+)" has 2 capture groups; `number` "#
                            + #"needs exactly one, around the number, as in "^([0-9.]+)" (use (?:…) for other groups)"#]),
    DecodingCase(name: "a number without a comparison", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { number: "^([0-9]+)", unit: "%" }"#),
                 expected: ["t.yaml:17:17: error: states.a.steps[0].expect: `number` needs one of `below:`, `above:` or `equals:` to compare "
                            + "the number with"]),
    DecodingCase(name: "a number with two comparisons", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { number: "^([0-9]+)", below: 80, above: 10 }"#),
                 expected: ["t.yaml:17:58: error: states.a.steps[0].expect.above: give one of `below`, `above` and `equals`, found both "
                            + "`below` and `above`"]),
    DecodingCase(name: "match and number together", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { match: "ok", number: "^([0-9]+)", below: 80 }"#),
                 expected: ["t.yaml:17:40: error: states.a.steps[0].expect.number: `match` and `number` cannot be used together; keep one "
                            + "(write two steps to check both)"]),
    DecodingCase(name: "a comparison that is not a number", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { number: "^([0-9]+)", below: high }"#),
                 expected: [#"t.yaml:17:47: error: states.a.steps[0].expect.below: expected a number like 80 or 99.5, found a string "high""#]),
    DecodingCase(name: "equals with an exponent", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { number: "^([0-9]+)", equals: 1e3 }"#),
                 expected: [#"t.yaml:17:48: error: states.a.steps[0].expect.equals: expected a number like 80 or 99.5, found a string "1e3""#]),
    DecodingCase(name: "an expectation with neither match nor number", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines("expect: { below: 80 }"),
                 expected: ["t.yaml:17:17: error: states.a.steps[0].expect: `expect` needs `match:` (a regex the output must match) or `number:` "
                            + "(a regex with one capture group around the number, and `below:`, `above:` or `equals:`)"]),
    DecodingCase(name: "a comparison with match", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { match: "ok", below: 80 }"#),
                 expected: ["t.yaml:17:39: error: states.a.steps[0].expect.below: `below` applies to `number:`; `match:` only checks that the "
                            + "regex matches"]),
    DecodingCase(name: "an unknown key in expect", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { mach: "ok" }"#),
                 expected: ["t.yaml:17:17: error: states.a.steps[0].expect: `expect` needs `match:` (a regex the output must match) or `number:` "
                            + "(a regex with one capture group around the number, and `below:`, `above:` or `equals:`)",
                            "t.yaml:17:19: error: states.a.steps[0].expect.mach: unknown key `mach`; did you mean `match`?"]),
    DecodingCase(name: "an unknown stream", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"expect: { match: "ok", in: stderr }"#),
                 expected: [#"t.yaml:17:36: error: states.a.steps[0].expect.in: expected `stdout` or `output` (stdout, then stderr), found "stderr""#]),
    DecodingCase(name: "expect on a manual step", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, expect: { match: ok } }",
                 expected: ["t.yaml:14:38: error: states.a.steps[0].expect: `expect` applies to command steps; add `run:` or remove it"]),
    DecodingCase(name: "env on an input step", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, input: { prompt: x }, env: { A: b } }",
                 expected: ["t.yaml:14:57: error: states.a.steps[0].env: `env` applies to command steps; add `run:` or remove it"]),
    DecodingCase(name: "workdir on a manual step", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s1, title: S1, workdir: nextjs }",
                 expected: ["t.yaml:14:39: error: states.a.steps[0].workdir: `workdir` applies to command steps; add `run:` or remove it"]),
    DecodingCase(name: "an empty workdir", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"workdir: "  ""#),
                 expected: ["t.yaml:17:18: error: states.a.steps[0].workdir: the directory is empty; name one, or remove `workdir`"]),
    DecodingCase(name: "a bad env name", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"env: { DB-URL: "x" }"#),
                 expected: ["t.yaml:17:16: error: states.a.steps[0].env.DB-URL: `DB-URL` is not a valid environment variable name; use ASCII "
                            + "letters, digits and `_`, not starting with a digit"]),
    DecodingCase(name: "an env name starting with a digit", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"env: { 1PASSWORD: "x" }"#),
                 expected: ["t.yaml:17:16: error: states.a.steps[0].env.1PASSWORD: `1PASSWORD` is not a valid environment variable name; use "
                            + "ASCII letters, digits and `_`, not starting with a digit"]),
    DecodingCase(name: "an env name runbook reserves", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"env: { RUNBOOK_INCIDENT: "x" }"#),
                 expected: ["t.yaml:17:16: error: states.a.steps[0].env.RUNBOOK_INCIDENT: `RUNBOOK_INCIDENT` starts with RUNBOOK_, which runbook "
                            + "reserves for the variables it sets itself; choose another name"]),
    DecodingCase(name: "an env value with a NUL", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"env: { TOKEN: "a\0b" }"#),
                 expected: [#"t.yaml:17:23: error: states.a.steps[0].env.TOKEN: a value may not contain a NUL character (\0, U+0000): "#
                            + "no environment variable can hold one, so the command could never start; remove it"]),
    DecodingCase(name: "env that is not a mapping", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines("env: [A, B]"),
                 expected: ["t.yaml:17:14: error: states.a.steps[0].env: expected a mapping of variable names to values, found a list"]),
    DecodingCase(name: "a reference spliced into literal text", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: s0, title: S0, input: { prompt: host } }\n"
                    + commandStepLines(#"env: { URL: "https://$RUNBOOK_VAR_S0/api" }"#),
                 expected: [#"t.yaml:18:21: error: states.a.steps[1].env.URL: "https://$RUNBOOK_VAR_S0/api" would be passed as literal "#
                            + "text: a value is either exactly `$RUNBOOK_VAR_NAME` (an input's value) or literal text; pass the variable on its "
                            + "own and build the text in `run:`"]),
    DecodingCase(name: "a reference to an unknown input, with a suggestion", replace: "      - { id: s1, title: S1 }",
                 with: "      - { id: database-url, title: DB, input: { prompt: url } }\n"
                    + commandStepLines(#"env: { DATABASE_URL: "$RUNBOOK_VAR_DATABSE_URL" }"#),
                 expected: ["t.yaml:18:30: error: states.a.steps[1].env.DATABASE_URL: `$RUNBOOK_VAR_DATABSE_URL` names no input step of this "
                            + "runbook (an input step `x` sets `$RUNBOOK_VAR_X`); did you mean `$RUNBOOK_VAR_DATABASE_URL`?"]),
    DecodingCase(name: "a reference in a runbook without inputs", replace: "      - { id: s1, title: S1 }",
                 with: commandStepLines(#"env: { TOKEN: "${RUNBOOK_VAR_TOKEN}" }"#),
                 expected: ["t.yaml:17:23: error: states.a.steps[0].env.TOKEN: `$RUNBOOK_VAR_TOKEN` names no input step of this runbook (an "
                            + "input step `x` sets `$RUNBOOK_VAR_X`); this runbook has no input steps"]),
]

@Suite struct ExpectationLintTests {
    @Test(arguments: expectLintCases)
    func reportsExactMessage(_ testCase: DecodingCase) throws {
        #expect(validRunbook.contains(testCase.replace), "the case must change the runbook")
        let text = validRunbook.replacingAll(testCase.replace, with: testCase.with)
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "t.yaml", expectedID: "t") else {
            Issue.record("expected errors, got a valid runbook")
            return
        }
        #expect(invalid.diagnostics.map(\.headline) == testCase.expected)
    }

    @Test func aValidCommandStepWithAllThree() throws {
        let text = validRunbook.replacingAll("      - { id: s1, title: S1 }", with: "      - { id: db, title: DB, input: { prompt: url } }\n"
            + commandStepLines(#"env: { DATABASE_URL: "$RUNBOOK_VAR_DB", MODE: "1" }"#, "workdir: /srv/app",
                               #"expect: { number: "(?:lag|delay) ([0-9.]+)", equals: "0", in: output }"#))
        let runbook = try RunbookLoader.load(text, file: "t.yaml", expectedID: "t").get().runbook
        let command = try #require(runbook.anyStep("s1")?.commandSpec)
        #expect(command.expect == CommandExpectation(check: .number(pattern: "(?:lag|delay) ([0-9.]+)", .equals(DecimalNumber(0))), stream: .output))
        #expect(command.workdir == "/srv/app")
        #expect(command.environment.map(\.value) == [.variable("RUNBOOK_VAR_DB"), .literal("1")])
    }
}
