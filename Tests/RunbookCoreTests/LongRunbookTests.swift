import RunbookCore
import Testing

/// Lint walks long chains without recursion: thousands of sequential steps or chained states are paths
/// that deep, and must not exhaust a thread's stack.
@Suite struct LongRunbookTests {
    static func runbook(states: Int, steps: Int, rto: String) -> String {
        var text = """
            runbook: long
            title: Long
            rto: \(rto)
            roles:
              oncall: { title: On-call }
            escalation:
              tiers:
                - { notify: [oncall], after: 0m }
            initial: s0
            states:

            """
        for index in 0..<states {
            text += "  s\(index):\n    title: Stage \(index)\n    deadline: 1m\n    order: sequential\n    steps:\n"
            for step in 0..<(index == 0 ? steps : 1) {
                text += "      - { id: k\(step), title: Step \(step) }\n"
            }
            text += "    next: s\(index + 1)\n"
        }
        text += "  s\(states):\n    title: End\n    steps: []\n    resolves: true\n    end: true\n"
        return text
    }

    @Test func thousandsOfSequentialStepsAndChainedStatesLoad() throws {
        let text = Self.runbook(states: 3_000, steps: 3_000, rto: "100h")
        let decoded = try RunbookLoader.load(text, file: "long.yaml").get()
        #expect(decoded.runbook.states.count == 3_001)
        #expect(decoded.runbook.states[0].steps.count == 3_000)
    }

    @Test func aLongChainOverItsRTOIsReportedWithItsPath() {
        let text = Self.runbook(states: 3_000, steps: 1, rto: "1h")
        guard case .failure(let invalid) = RunbookLoader.load(text, file: "long.yaml") else {
            Issue.record("a 3 000-minute path passed a 1h RTO")
            return
        }
        #expect(invalid.diagnostics.count == 1)
        #expect(invalid.diagnostics.first?.headline.hasPrefix("long.yaml:3:6: error: rto: the stage deadlines along s0 → s1 → s2 → ") == true)
        #expect(invalid.diagnostics.first?.headline.hasSuffix(" → s3000 add up to 50h, more than the RTO of 1h") == true)
    }
}
