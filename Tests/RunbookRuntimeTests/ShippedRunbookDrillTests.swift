import Foundation
import RunbookCore
import RunbookRuntime
import RunbookStore
import RunbookTestSupport
import Testing

/// Every shipped runbook driven end to end once, as a scripted drill through the service the CLI and guided
/// mode use: each step acted on in order (commands marked done by hand, never run), inputs answered, approvals
/// given by a holder of the role from the shipped roster, waits passed on the drill's clock, calls followed into
/// their child incidents. A runbook that cannot be finished this way (a gate nobody can open, a state with no
/// way on, a call that never settles) fails here before a responder meets it.
@Suite(.serialized) struct ShippedRunbookDrillTests {
    /// The answer to each input step that branches, per runbook: the track the drill takes. Other inputs get
    /// their first choice, or "drill" as free text.
    static let answers: [String: [String: String]] = [
        "disaster-recovery": ["scenario": "data-loss"],
        "db-recovery": ["expected-count": "yes"],
        "db-connection-errors": ["any-long-running": "yes"],
        "performance-degradation": ["index-needed": "yes"],
        "service-unreachable": ["cause": "deployment"],
        "update-deploy": ["update-class": "security"],
        "daily-check": ["round": "morning"],
        "weekly-check": ["weekday": "tuesday"],
        "monthly-check": ["staging-url": "postgres://staging.invalid/postgres"],
        "rollback": ["migration-failure": "yes"],
    ]

    /// Who approves for each role: people of the shipped roster.yaml.
    static let approvers = ["oncall": "lee", "dba": "lee", "manager": "choi", "cto": "cto", "security": "park"]

    static var runbookIDs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(NotificationFixtures.repositoryRoot)/runbooks")) ?? [])
            .filter { $0.hasSuffix(".yaml") && !["contacts.yaml", "roster.yaml", "calendar.yaml", "alerts.yaml"].contains($0) }
            .map { String($0.dropLast(5)) }.sorted()
    }

    @Test(arguments: runbookIDs)
    func drivenEndToEndAsADrill(_ runbookID: String) async throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("runbooks")
        try FileManager.default.copyItem(atPath: "\(NotificationFixtures.repositoryRoot)/runbooks", toPath: folder)
        let store = try SQLiteEventStore(path: directory.path("incidents.db"))
        let clock = ManualClock()
        // The drill's pages go beside its database, not into the repository's drill-notifications.log.
        let service = IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: clock,
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "root",
                                      drillChannel: .file(path: directory.path("drill-notifications.log")))
        let id = try service.start(runbookID: runbookID, title: nil, severity: nil, drill: true, actor: "kim", drillSpeed: 60).state.id
        var driven: [String] = []
        try await drive(id, service: service, driven: &driven)

        let state = try service.snapshot(id).state
        #expect(state.status == .closed, "\(runbookID) ended in \(state.stateID), \(state.status)")
        #expect(state.drill)
        let runbook = try service.runbook(of: id)
        if runbook.kind == .checklist {
            #expect(state.resolved == nil, "a checklist run closes without resolving")
        } else {
            #expect(state.resolved != nil, "\(runbookID) closed without resolving")
        }
        // Every incident opened along the way (the children of calls) ended too.
        for child in driven.dropFirst() {
            #expect(try service.snapshot(child).state.status == .closed, "\(child) was left open")
        }
        // The post-mortem renders from the log alone.
        let snapshot = try service.snapshot(id)
        let report = PostmortemReport(snapshot: snapshot, integrity: try service.integrity(of: snapshot), now: service.now(for: snapshot.state),
                                      language: .english)
        #expect(PostmortemMarkdown.render(report).contains(id))
    }

    /// Acts on the incident until it closes; returns through `driven` every incident it opened or followed.
    func drive(_ id: String, service: IncidentService, driven: inout [String], depth: Int = 0) async throws {
        driven.append(id)
        try #require(depth < 3, "calls nested deeper than 3")
        for _ in 0..<300 {
            let snapshot = try service.snapshot(id)
            let state = snapshot.state
            if state.status == .closed { return }
            let runbook = snapshot.runbook
            let stage = try #require(runbook.state(state.stateID), "\(id) is in an unknown state \(state.stateID)")
            let finished: Set<StepProgress.Status> = [.done, .skipped]
            guard let step = stage.steps.first(where: { !finished.contains(state.steps[$0.id]?.status ?? .pending) }) else {
                Issue.record("\(id): every step of \(stage.id) is finished but the incident stays there")
                return
            }
            let progress = state.steps[step.id]
            do {
                switch step.kind {
                case .manual:
                    _ = try await service.act(.mark(step: step.id, .done, note: nil), on: id, actor: "kim")
                case .command(let command):
                    // As guided mode does in a drill: the command is not run, the step is skipped saying so.
                    _ = try await service.act(.mark(step: step.id, .skip, note: "drill: `\(command.run.prefix(40))` not run"), on: id, actor: "kim")
                case .input(let input):
                    let value = Self.answers[runbook.id]?[step.id] ?? input.choices?.first ?? "drill"
                    _ = try await service.act(.input(step: step.id, value: value), on: id, actor: "kim")
                case .approval(let approval):
                    let approver = try #require(Self.approvers[approval.role], "no approver for \(approval.role)")
                    _ = try await service.act(.approve(step: step.id), on: id, actor: approver)
                case .wait(let duration):
                    _ = try await service.act(.advanceDrillClock(duration), on: id, actor: "kim")
                    _ = try service.bringUpToDate(id)
                case .call:
                    if let child = progress?.child {
                        // The child is open: finish it, which settles this step.
                        try await drive(child, service: service, driven: &driven, depth: depth + 1)
                        _ = try service.bringUpToDate(id)
                    } else {
                        let started = try service.startCall(step.id, on: id, actor: "kim")
                        #expect(started.child.state.drill, "the child of a drill is a drill")
                        try await drive(started.child.state.id, service: service, driven: &driven, depth: depth + 1)
                        _ = try service.bringUpToDate(id)
                    }
                }
            } catch {
                Issue.record("\(id) (\(runbook.id)) stage \(stage.id) step \(step.id): \(error)")
                return
            }
        }
        Issue.record("\(id) did not close within 300 actions")
    }
}
