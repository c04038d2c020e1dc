import FoundationEssentials
import Glibc
import RunbookCore
import RunbookRuntime
import RunbookStore
import RunbookTestSupport
import Testing

/// One service function per action (`act`): what it recorded, and what became of the pages it left owed.
@Suite struct ActionOutcomeTests {
    @Test func anActionDeliversWhatItOwesUnlessAWatcherDoes() async throws {
        let directory = try TemporaryDirectory()
        let folder = try IncidentIdentityTests.folder(directory, "team", manager: "choi")
        // Two tiers, so that escalating by hand has someone to page.
        try IncidentIdentityTests.runbook.replacingOccurrences(of: "    - { notify: [oncall], after: 0m }",
                                                               with: "    - { notify: [oncall], after: 0m }\n    - { notify: [manager], after: 10m }")
            .write(toFile: "\(folder)/approval.yaml", atomically: true, encoding: .utf8)
        try "contacts:\n  oncall: { title: On-call, channels: [ { file: team-pages.log } ] }\n  manager: { title: Manager, channels: [ { file: team-pages.log } ] }\n"
            .write(toFile: "\(folder)/contacts.yaml", atomically: true, encoding: .utf8)
        let database = directory.path("incidents.db")
        let store = try SQLiteEventStore(path: database)
        let service = IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: ManualClock(),
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "root")
        let id = try service.start(runbookID: "approval", title: nil, severity: nil, drill: false, actor: "kim").state.id

        // Tier 1 of the unacknowledged incident is owed at once: the next action delivers it.
        let first = try await service.act(.note("looking"), on: id, actor: "kim")
        #expect(first.pages == .delivered)
        #expect(first.events.map(\.event) == [.noteAdded(text: "looking")])
        #expect(first.deliveries.count == 1)
        #expect(directory.text("team-pages.log")?.contains("tier 1 → oncall") == true)

        // Nothing owed: nothing delivered, nothing claimed.
        let quiet = try await service.act(.note("still looking"), on: id, actor: "kim")
        #expect(quiet.pages == .noneOwed)
        #expect(quiet.deliveries.isEmpty)

        // A watcher holds the database: the page is left to it, never sent twice.
        let watcher = open(database + ".watch-lock", O_RDWR | O_CREAT, 0o600)
        #expect(flock(watcher, LOCK_EX | LOCK_NB) == 0, "this test holds the watch lock, as a running watcher does")
        let escalated = try await service.act(.escalate(reason: "no answer"), on: id, actor: "kim")
        #expect(escalated.pages == .leftToWatcher)
        #expect(escalated.deliveries.isEmpty)
        close(watcher)
        let later = try await service.act(.note("watcher gone"), on: id, actor: "kim")
        #expect(later.pages == .delivered)
        #expect(later.deliveries.count == 1)

        // A refusal is data: the engine's typed reason, nothing recorded, nothing delivered.
        let before = try service.snapshot(id).state.lastSequence
        do throws(UserError) {
            _ = try await service.act(.approve(step: "sign"), on: id, actor: "kim")
            Issue.record("kim does not hold the manager role")
        } catch {
            guard case .notRoleHolder(actor: "kim", action: .approve, step: "sign", _, _)? = error.refusal?.reason else {
                Issue.record("not the typed refusal: \(error.message)")
                return
            }
        }
        // The refused approval itself is kept in the log (SPEC §3.1), nothing else.
        #expect(try service.snapshot(id).state.lastSequence == before + 1)
    }

    @Test func anAppendBetweenReadingTheLogAndItsRowIsNotACutTail() async throws {
        let directory = try TemporaryDirectory()
        let folder = try IncidentIdentityTests.folder(directory, "team", manager: "choi")
        let store = try SQLiteEventStore(path: directory.path("incidents.db"))
        let service = IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: ManualClock(),
                                      team: try TeamFiles.load(directory: folder, configuredDirectory: folder), login: "root")
        let id = try service.start(runbookID: "approval", title: nil, severity: nil, drill: false, actor: "kim").state.id
        let read = try service.snapshot(id)
        // A watcher or a colleague appends after the screen read the log.
        try service.perform(.note("meanwhile"), on: id, actor: "lee")
        let verdict = try service.integrity(of: read)
        #expect(verdict.intact, "\(verdict.problems.map(\.sentence))")
    }
}
