import RunbookCore
import Testing
import Foundation

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func shippedRunbook(_ id: String) throws -> (text: String, runbook: Runbook) {
    let path = "\(repositoryRoot)/runbooks/\(id).yaml"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let decoded = try RunbookLoader.load(text, file: "runbooks/\(id).yaml", expectedID: id).get()
    return (text, decoded.runbook)
}

@Suite struct ShippedRunbookTests {
    @Test(arguments: ["security-incident", "disaster-recovery", "rollback", "db-recovery"])
    func loadsAndLintsClean(_ id: String) throws {
        let runbook = try shippedRunbook(id).runbook
        #expect(runbook.id == id)
        #expect(runbook.states.contains { $0.end })
        #expect(runbook.roles.map(\.id).contains("oncall"))
    }

    @Test func securityIncidentFollowsManualSection6_3() throws {
        let runbook = try shippedRunbook("security-incident").runbook
        #expect(runbook.states.map(\.id) == ["detect", "isolate", "analyze", "recover", "follow-up"])
        #expect(runbook.states.map(\.deadline) == [.minutes(5), .minutes(15), .minutes(30), .hours(1), .hours(24)])
        #expect(runbook.states.map(\.title) == ["탐지 (Detect)", "격리 (Isolate)", "분석 (Analyze)", "복구 (Recover)", "사후 조치 (Follow-up)"])
        #expect(runbook.state("recover")?.resolves == true)
        #expect(runbook.state("follow-up")?.end == true)
        // Manual §7.2: on-call operator, then operations manager, then CTO.
        #expect(runbook.escalation.tiers.map(\.notify) == [["oncall"], ["manager"], ["cto"]])
    }

    @Test func disasterRecoveryBranchesOnTheScenario() throws {
        let runbook = try shippedRunbook("disaster-recovery").runbook
        let assess = try #require(runbook.state("assess"))
        #expect(assess.deadline == .minutes(10))
        guard case .input(let input) = assess.steps.last?.kind else {
            Issue.record("the scenario is chosen by an input step")
            return
        }
        #expect(input.choices == ["vercel", "supabase", "ddos", "data-loss"])
        // Manual §9.1: each scenario's RTO.
        #expect(runbook.state("vercel-failover")?.rto == .minutes(30))
        #expect(runbook.state("supabase-contain")?.rto == .hours(2))
        #expect(runbook.state("ddos-waf")?.rto == .minutes(15))
        #expect(runbook.rto == .hours(4))
        // Manual §9.2 phases on the full track.
        #expect(["contain", "recover", "resume", "follow-up"].map { runbook.state($0)?.deadline }
                == [.minutes(30), .hours(2), .minutes(30), .hours(24)])
    }

    @Test func dbRecoveryFollowsManualSection4_3() throws {
        let runbook = try shippedRunbook("db-recovery").runbook
        #expect(runbook.rto == .hours(2))
        #expect(runbook.rpo == .minutes(15))
        let commands = runbook.states.flatMap(\.steps).compactMap { step -> String? in
            if case .command(let command) = step.kind { return command.run }
            return nil
        }
        #expect(commands.contains("supabase db dump -f current_state.sql"))
        #expect(commands.contains("supabase db reset"))
        #expect(commands.contains("psql -c 'SELECT COUNT(*) FROM inspection_applications;'"))
    }

    @Test func mermaidSnapshot() throws {
        let runbook = try shippedRunbook("security-incident").runbook
        let snapshotPath = "\(repositoryRoot)/Tests/RunbookCoreTests/Snapshots/security-incident.mmd"
        let actual = RunbookDiagram.mermaid(runbook)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try actual.write(toFile: snapshotPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: snapshotPath, encoding: .utf8)
        #expect(actual == expected, "re-record on purpose with RECORD_SNAPSHOTS=1")
    }
}
