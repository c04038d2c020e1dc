import FoundationEssentials
import RunbookCore
import RunbookRuntime
import RunbookStore
import RunbookTestSupport
import Testing

/// `IncidentService.receiveAlert` (SPEC §10): the lookup of the incident that holds an alert, in the runtime.
@Suite struct AlertServiceTests {
    static let runbook = """
        runbook: one-step
        title: One step
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: fix
        states:
          fix:
            deadline: 1h
            steps:
              - { id: fix, title: Fix it }
            resolves: true
            end: true

        """

    static func service(_ directory: TemporaryDirectory) throws -> IncidentService {
        let folder = directory.path("runbooks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try runbook.write(toFile: "\(folder)/one-step.yaml", atomically: true, encoding: .utf8)
        try "roster:\n  kim: [oncall]\n".write(toFile: "\(folder)/roster.yaml", atomically: true, encoding: .utf8)
        try "contacts:\n  oncall: { title: On-call, channels: [ { file: pages.log } ] }\n"
            .write(toFile: "\(folder)/contacts.yaml", atomically: true, encoding: .utf8)
        let store = try SQLiteEventStore(path: directory.path("incidents.db"))
        return IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: ManualClock(),
                               team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "root")
    }

    static let route = AlertRoute(matchers: [AlertMatcher(label: "alertname", values: ["Broken"])], runbook: "one-step", severity: "SEV3")

    static func alert(_ fingerprint: String, _ status: ReceivedAlert.Status = .firing) -> ReceivedAlert {
        ReceivedAlert(source: "generic", fingerprint: fingerprint, status: status, title: "broken", labels: [AlertLabel(name: "alertname", value: "Broken")])
    }

    @Test func theOpeningHoldsTheAlertAndTheSourceActsUnderItsLogin() throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory)
        guard case .opened(let id, "one-step", "SEV3") = try service.receiveAlert(Self.alert("a"), route: Self.route) else {
            Issue.record("not opened")
            return
        }
        let snapshot = try service.snapshot(id)
        #expect(snapshot.events.prefix(2).map(\.event) == [
            .opened(runbookID: "one-step", runbookSHA256: snapshot.state.runbookSHA256, title: "broken", severity: "SEV3", drill: false),
            .alertReceived(Self.alert("a")),
        ])
        #expect(snapshot.events.allSatisfy { $0.actor == "generic" || $0.actor == Scheduler.systemActor })
        #expect(snapshot.events.first?.login == "alert:generic")
        #expect(Identity.alertSource(of: snapshot.events.first?.login) == "generic")
        #expect(Identity.tokenID(of: snapshot.events.first?.login) == nil)
        #expect(try service.openIncident(holding: Self.alert("a").fingerprintKey, runbook: nil) == id)
        #expect(try service.openIncident(holding: Self.alert("a").fingerprintKey, runbook: "other") == nil)
        #expect(try service.openIncident(holding: Self.alert("b").fingerprintKey, runbook: nil) == nil)
    }

    @Test func onceItsIncidentIsClosedTheSameAlertOpensANewOne() throws {
        let directory = try TemporaryDirectory()
        let service = try Self.service(directory)
        let first = try #require(try service.receiveAlert(Self.alert("a"), route: Self.route).incident)
        try service.perform(.mark(step: "fix", .done, note: nil), on: first, actor: "kim")
        #expect(try service.snapshot(first).state.isClosed)
        // Resolved after closing: nothing holds it any more.
        #expect(try service.receiveAlert(Self.alert("a", .resolved), route: Self.route) == .noOpenIncident)
        guard case .opened(let second, _, _) = try service.receiveAlert(Self.alert("a"), route: Self.route) else {
            Issue.record("not opened")
            return
        }
        #expect(second != first)
        #expect(try service.receiveAlert(Self.alert("a"), route: nil) == .recorded(incident: second),
                "a recorded alert needs no route: the incident holds it")
        // No route and nothing holding it: nothing recorded.
        #expect(try service.receiveAlert(Self.alert("c"), route: nil) == .noRoute)
        #expect(try service.store.incidents(statuses: nil).count == 2)
    }
}
