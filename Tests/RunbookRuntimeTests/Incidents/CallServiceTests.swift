import FoundationEssentials
import RunbookCore
import RunbookRuntime
import RunbookStore
import RunbookTestSupport
import Testing

/// Call steps through the service (SPEC §3.2): the child's opening, its commands' environment, and the parent
/// settled exactly once, also when the process died between the child's append and the parent's.
@Suite struct CallServiceTests {
    static let parent = """
        runbook: parent
        title: "재해 복구 (Disaster recovery)"
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: recover
        states:
          recover:
            steps:
              - { id: staging-url, title: Staging URL, input: { prompt: "staging database URL" } }
              - id: restore-database
                title: "DB 복구 (Restore the database: runbook child)"
                call: { runbook: child, env: { DATABASE_URL: "$RUNBOOK_VAR_STAGING_URL" } }
                needs: [staging-url]
            next: follow-up
            resolves: true
          follow-up:
            steps:
              - { id: review, title: Review }
            end: true

        """

    static let child = """
        runbook: child
        title: "DB 복구 (Database recovery)"
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: restore
        states:
          restore:
            steps:
              - { id: load, title: Load the dump, run: 'printf "%s" "$DATABASE_URL"' }
            resolves: true
            end: true

        """

    struct Fixture {
        let directory: TemporaryDirectory
        let folder: String
        let store: SQLiteEventStore
        let clock: ManualClock
        let service: IncidentService
    }

    static func fixture() throws -> Fixture {
        let directory = try TemporaryDirectory()
        let folder = directory.path("runbooks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try parent.write(toFile: "\(folder)/parent.yaml", atomically: true, encoding: .utf8)
        try child.write(toFile: "\(folder)/child.yaml", atomically: true, encoding: .utf8)
        try "roster:\n  kim: [oncall]\n  lee: [oncall]\n".write(toFile: "\(folder)/roster.yaml", atomically: true, encoding: .utf8)
        try "contacts:\n  oncall: { title: On-call, channels: [ { file: pages.log } ] }\n"
            .write(toFile: "\(folder)/contacts.yaml", atomically: true, encoding: .utf8)
        let store = try SQLiteEventStore(path: directory.path("incidents.db"))
        let clock = ManualClock()
        let service = IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: clock,
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "root",
                                      drillChannel: .file(path: directory.path("drill-notifications.log")))
        return Fixture(directory: directory, folder: folder, store: store, clock: clock, service: service)
    }

    @Test func theChildInheritsFromItsParentAndItsResolutionSettlesTheStep() async throws {
        let f = try Self.fixture()
        let parentID = try f.service.start(runbookID: "parent", title: nil, severity: "SEV1", drill: true, actor: "kim", drillSpeed: 60).state.id
        try f.service.perform(.input(step: "staging-url", value: "postgres://staging"), on: parentID, actor: "kim")
        let started = try f.service.startCall("restore-database", on: parentID, actor: "kim")
        let child = started.child.state
        #expect(started.events.map(\.event) == [.callStarted(state: "recover", step: "restore-database", child: child.id, runbook: "child")])
        // Severity, drill and its speed, the frozen roster, the parent and the resolved environment.
        let parentState = try f.service.snapshot(parentID).state
        #expect(child.severity == "SEV1")
        #expect(child.drill && child.drillClock?.speed == 60)
        #expect(child.roster?.rosterSHA256 == parentState.roster?.rosterSHA256)
        #expect(child.roster?.contactsSHA256 == parentState.roster?.contactsSHA256)
        #expect(child.calledBy == CallOrigin(incident: parentID, step: "restore-database",
                                             environment: [EnvironmentVariable(name: "DATABASE_URL", value: "postgres://staging")]))
        // The same simulated time: the child opened at the parent's drill time.
        #expect(child.openedAt == f.service.now(for: parentState))

        // Running the step again while the child is open is refused.
        do throws(UserError) {
            _ = try f.service.startCall("restore-database", on: parentID, actor: "kim")
            Issue.record("a second child while the first is open")
        } catch {
            #expect(error.message == "\(child.id) is still open for step restore-database; see it with `runbook status \(child.id)`, "
                    + "or skip the step with a note")
        }

        // The child's command sees the environment; its success resolves and closes the child, which settles the parent.
        let run = try await f.service.runCommandStep("load", on: child.id, actor: "lee", runner: CommandRunner())
        #expect(run.outcome.stdout.head == "postgres://staging")
        let settled = try f.service.snapshot(parentID)
        #expect(settled.state.stateID == "follow-up")
        #expect(settled.state.calls.first?.finished?.resolved == true)
        let finishes = settled.events.filter { if case .callFinished = $0.event { true } else { false } }
        #expect(finishes.count == 1)
        let childState = try f.service.snapshot(child.id).state
        #expect(finishes.first?.event == .callFinished(state: "recover", step: "restore-database", child: child.id,
                                                       childSequence: try #require(childState.resolved?.sequence), resolved: true))
        #expect(f.service.linkedIncidents(of: settled.state)
                == [LinkedIncident(role: .child, incident: child.id, step: "restore-database", runbook: "child", result: .resolved)])
    }

    @Test func aForcedDrillUnderALiveParentIsADrill() throws {
        let f = try Self.fixture()
        try Self.parent.replacingOccurrences(of: "call: { runbook: child, env: { DATABASE_URL: \"$RUNBOOK_VAR_STAGING_URL\" } }",
                                             with: "call: { runbook: child, drill: true }")
            .write(toFile: "\(f.folder)/parent.yaml", atomically: true, encoding: .utf8)
        let parentID = try f.service.start(runbookID: "parent", title: nil, severity: nil, drill: false, actor: "kim").state.id
        try f.service.perform(.input(step: "staging-url", value: "x"), on: parentID, actor: "kim")
        let child = try f.service.startCall("restore-database", on: parentID, actor: "kim").child.state
        #expect(child.drill)
        #expect(child.drillClock?.speed == 1)
        #expect(try f.service.snapshot(parentID).state.drill == false)
    }

    /// The process that resolved the child died before it recorded the parent's side: the child's resolution is
    /// appended straight to the store here. Any later action on the parent settles the step, once.
    @Test func anActionOnTheParentCatchesUpOnAChildThatEndedUnseen() throws {
        let f = try Self.fixture()
        let parentID = try f.service.start(runbookID: "parent", title: nil, severity: nil, drill: false, actor: "kim").state.id
        try f.service.perform(.input(step: "staging-url", value: "x"), on: parentID, actor: "kim")
        let childID = try f.service.startCall("restore-database", on: parentID, actor: "kim").child.state.id

        let child = try f.service.snapshot(childID)
        let context = f.service.context(child, actor: "lee", now: f.clock.now(), occurredAt: nil)
        let ending: [IncidentEvent] = [.stepSkipped(state: "restore", step: "load", note: "restored by hand"), .stateCompleted(state: "restore"),
                                       .resolved(note: nil), .closed]
        let ended = try #require(IncidentEngine.project(ending, onto: child.state, context: context))
        _ = try f.store.append(ending.map { $0.pending(actor: "lee", recordedAt: f.clock.now()) }, to: childID,
                               expectedSequence: child.state.lastSequence, projection: ended.projection(in: child.runbook))
        #expect(try f.service.snapshot(parentID).state.unsettledCalls.map(\.child) == [childID], "nothing reached the parent")

        // A view shows it settled without recording it.
        #expect(try f.service.snapshotAsOfNow(parentID).state.stateID == "follow-up")
        #expect(try f.service.snapshot(parentID).state.stateID == "recover")

        // The next action records it, before the action itself; later actions do not record it again.
        let noted = try f.service.perform(.note("checking"), on: parentID, actor: "kim")
        #expect(noted.map(\.event) == [.noteAdded(text: "checking")])
        try f.service.perform(.note("still here"), on: parentID, actor: "kim")
        try f.service.bringUpToDate(parentID)
        let parent = try f.service.snapshot(parentID)
        let finishes = parent.events.filter { if case .callFinished = $0.event { true } else { false } }
        #expect(finishes.map(\.event) == [.callFinished(state: "recover", step: "restore-database", child: childID,
                                                         childSequence: try #require(ended.resolved?.sequence), resolved: true)])
        #expect(finishes.first?.actor == Scheduler.systemActor)
        #expect(parent.state.stateID == "follow-up")
        #expect(parent.events.filter { if case .stepDone(_, "restore-database", _) = $0.event { true } else { false } }.count == 1)
    }
}
