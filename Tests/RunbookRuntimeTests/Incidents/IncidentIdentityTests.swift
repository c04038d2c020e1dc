import FoundationEssentials
import Glibc
import RunbookCore
import RunbookRuntime
import RunbookTestSupport
import Testing

/// Who acted, through the service: the login on every event, the roster and contacts frozen at start.
@Suite struct IncidentIdentityTests {
    static let runbook = """
        runbook: approval
        title: Approval
        severity: SEV2
        roles:
          oncall: { title: On-call }
          manager: { title: Manager }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: decide
        states:
          decide:
            title: Decide
            steps:
              - { id: look, title: Look }
              - { id: sign, title: Sign, approve: { role: manager } }
            resolves: true
            end: true

        """

    /// A team folder with the runbook, and a roster making `manager` the manager.
    static func folder(_ directory: TemporaryDirectory, _ name: String, manager: String, bound: Bool = true) throws -> String {
        let folder = directory.path(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try runbook.write(toFile: "\(folder)/approval.yaml", atomically: true, encoding: .utf8)
        let roles = manager == "kim" ? "[oncall, manager]" : "[manager]"
        let entry = bound ? "{ roles: \(roles), logins: [\(manager)] }" : roles
        let roster = manager == "kim" ? "roster:\n  kim: \(entry)\n" : "roster:\n  kim: [oncall]\n  \(manager): \(entry)\n"
        try roster.write(toFile: "\(folder)/roster.yaml", atomically: true, encoding: .utf8)
        try "contacts:\n  oncall: { title: On-call, channels: [ { file: \(name)-pages.log } ] }\n"
            .write(toFile: "\(folder)/contacts.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    static func service(_ store: InMemoryEventStore, _ folder: String, configured: String? = nil, login: String,
                        clock: ManualClock) throws -> IncidentService {
        IncidentService(store: store, library: RunbookLibrary(directory: folder), clock: clock,
                        team: try TeamFiles.load(directory: folder, configuredDirectory: configured ?? folder), login: login)
    }

    @Test func theLoginIsReadFromTheRealUserID() throws {
        #expect(OSLogin.name(of: 0) == "root")
        #expect(OSLogin.name(of: 3_999_999_999) == "uid:3999999999")
        #expect(OSLogin.current() == OSLogin.name(of: getuid()))
    }

    @Test func everyEventCarriesTheLoginOfTheServiceThatRecordedIt() throws {
        let directory = try TemporaryDirectory()
        let folder = try Self.folder(directory, "runbooks", manager: "choi")
        let store = InMemoryEventStore()
        let clock = ManualClock()
        let opener = try Self.service(store, folder, login: "operator", clock: clock)
        let id = try opener.start(runbookID: "approval", title: nil, severity: nil, drill: false, actor: "kim").state.id
        clock.advance(by: .minutes(1))
        let other = try Self.service(store, folder, login: "choi", clock: clock)
        try other.perform(.approve(step: "sign"), on: id, actor: "choi")

        let events = try opener.snapshot(id).events
        #expect(events.count > 5)
        // Opened by operator (with the engine's own first page), approved and closed from choi's login.
        let firstApproval = try #require(events.firstIndex { if case .approvalGiven = $0.event { true } else { false } })
        #expect(events[..<firstApproval].allSatisfy { $0.login == "operator" })
        #expect(events[firstApproval...].allSatisfy { $0.login == "choi" })
        #expect(events.map(\.login) == (try store.storedLogins(of: id)))
    }

    @Test func theContextCarriesTheLoginAndTheBindingOfTheFrozenRoster() throws {
        let directory = try TemporaryDirectory()
        let folder = try Self.folder(directory, "runbooks", manager: "choi")
        let store = InMemoryEventStore()
        let service = try Self.service(store, folder, login: "root", clock: ManualClock())
        let snapshot = try service.start(runbookID: "approval", title: nil, severity: nil, drill: false, actor: "kim")

        let choi = service.context(snapshot, actor: "choi", now: snapshot.state.lastRecordedAt, occurredAt: nil)
        #expect(choi.login == "root")
        #expect(choi.actorLogins == ["choi"])
        #expect(choi.actorRoles == ["manager"])
        #expect(!choi.identityBound)
        let kim = service.context(snapshot, actor: "kim", now: snapshot.state.lastRecordedAt, occurredAt: nil)
        #expect(kim.actorLogins == nil)
        #expect(kim.actorRoles == ["oncall"])
    }

    @Test func aRunningIncidentKeepsItsRosterWhenAnotherFolderMakesSomeoneElseTheManager() throws {
        let directory = try TemporaryDirectory()
        let team = try Self.folder(directory, "team", manager: "choi", bound: false)
        let elsewhere = try Self.folder(directory, "elsewhere", manager: "kim", bound: false)
        let store = InMemoryEventStore()
        let clock = ManualClock()
        let id = try Self.service(store, team, login: "root", clock: clock)
            .start(runbookID: "approval", title: nil, severity: nil, drill: false, actor: "kim").state.id

        // Another process pointed at the other folder: its roster makes kim the manager, and pages elsewhere.
        let pointedElsewhere = try Self.service(store, elsewhere, configured: team, login: "root", clock: clock)
        let snapshot = try pointedElsewhere.snapshot(id)
        #expect(snapshot.team.roster.roles(of: "kim") == ["oncall"])
        #expect(snapshot.team.directory == FileIO.absolutePath(team))
        #expect(pointedElsewhere.channels(for: "oncall", contacts: snapshot.team.contacts, state: snapshot.state)
                == [.file(path: "\(directory.path)/team-pages.log")])
        let refused = #expect(throws: UserError.self) { try pointedElsewhere.perform(.approve(step: "sign"), on: id, actor: "kim") }
        #expect(refused?.refusal?.reason == .notRoleHolder(actor: "kim", action: .approve, step: "sign",
                                                           role: RoleRef(id: "manager", title: "Manager"), holders: ["choi"]))
        try pointedElsewhere.perform(.approve(step: "sign"), on: id, actor: "choi")
        #expect(try pointedElsewhere.snapshot(id).state.steps["sign"]?.status == .done)
    }

    @Test func aReloadRecordsTheFolderOfNowAndDecidesByItFromThen() throws {
        let directory = try TemporaryDirectory()
        let team = try Self.folder(directory, "team", manager: "choi", bound: false)
        let store = InMemoryEventStore()
        let clock = ManualClock()
        let service = try Self.service(store, team, login: "root", clock: clock)
        let opened = try service.start(runbookID: "approval", title: nil, severity: nil, drill: false, actor: "kim")
        let id = opened.state.id
        let first = try #require(opened.state.roster)
        #expect(first.reload == false)
        #expect(first.rosterSHA256 == EventChain.sha256(try String(contentsOfFile: "\(team)/roster.yaml", encoding: .utf8)))
        #expect(try store.frozenText(sha256: first.rosterSHA256) == (try String(contentsOfFile: "\(team)/roster.yaml", encoding: .utf8)))

        let unchanged = #expect(throws: UserError.self) { try service.reloadRoster(id, actor: "kim") }
        #expect(unchanged?.kind == .failed)
        #expect(unchanged?.message == "incident \(id) already uses this roster and these contacts from \(FileIO.absolutePath(team)); "
                + "edit roster.yaml or contacts.yaml first, then reload")

        // The handover: lee takes over as manager, bound to the login lee.
        try "roster:\n  kim: [oncall]\n  lee: { roles: [manager], logins: [lee] }\n".write(toFile: "\(team)/roster.yaml", atomically: true, encoding: .utf8)
        clock.advance(by: .minutes(5))
        let handover = try Self.service(store, team, login: "root", clock: clock)
        let reloaded = try handover.reloadRoster(id, actor: "kim")
        let freeze = try #require(reloaded.first.flatMap { if case .rosterFrozen(let freeze) = $0.event { freeze } else { nil } })
        #expect(freeze.reload)
        #expect(freeze.logins == ["lee": ["lee"]])
        #expect(try store.frozenText(sha256: freeze.rosterSHA256) != nil)

        // choi no longer holds the role; lee does, but only from the login lee.
        let choi = #expect(throws: UserError.self) { try handover.perform(.approve(step: "sign"), on: id, actor: "choi") }
        #expect(choi?.refusal?.reason == .notRoleHolder(actor: "choi", action: .approve, step: "sign",
                                                        role: RoleRef(id: "manager", title: "Manager"), holders: ["lee"]))
        let asLee = #expect(throws: UserError.self) { try handover.perform(.approve(step: "sign"), on: id, actor: "lee") }
        #expect(asLee?.refusal?.reason == .identityNotProven(actor: "lee", login: "root", logins: ["lee"], action: .approve, step: "sign"))
        let lee = try Self.service(store, team, login: "lee", clock: clock)
        try lee.perform(.approve(step: "sign"), on: id, actor: "lee")
        #expect(try lee.snapshot(id).state.steps["sign"]?.status == .done)
    }

    @Test func anIncidentRecordedBeforeRostersWereFrozenUsesTheFoldersRoster() throws {
        let directory = try TemporaryDirectory()
        let team = try Self.folder(directory, "team", manager: "choi", bound: false)
        let store = InMemoryEventStore()
        let clock = ManualClock()
        let loaded = try RunbookLibrary(directory: team).load("approval")
        let context = DecisionContext(runbook: loaded.runbook, actor: "kim", now: clock.now())
        let snapshot = RunbookSnapshot(runbookID: "approval", text: loaded.text)
        let events = try IncidentEngine.open(runbook: loaded.runbook, snapshotSHA256: snapshot.sha256, title: nil, severity: nil, drill: false,
                                             context: context)
        let state = try #require(IncidentEngine.project(events, onto: nil, context: context))
        let id = try store.createIncident(idPrefix: "INC-OLD", runbook: snapshot, events: events.map { $0.pending(actor: "kim", recordedAt: clock.now()) },
                                          projection: state.projection(in: loaded.runbook)).id

        let service = try Self.service(store, team, login: "root", clock: clock)
        #expect(try service.snapshot(id).state.roster == nil)
        #expect(try service.snapshot(id).team.roster == service.team.roster)
        #expect(try service.snapshot(id).team.contacts == service.team.unfrozenContacts)
        try service.perform(.approve(step: "sign"), on: id, actor: "choi")
        #expect(try service.snapshot(id).state.steps["sign"]?.status == .done)
    }
}

@Suite struct TeamFilesTests {
    @Test func frozenContactsResolveFileChannelsAgainstTheAbsoluteFolderAndOlderIncidentsKeepTheirNames() throws {
        let contacts = "contacts:\n  oncall: { title: On-call, channels: [ { file: pages.log } ] }\n"
        let team = try TeamFiles(directory: "/srv/ops/runbooks", configuredDirectory: "/srv/ops/runbooks", contactsText: contacts,
                                 source: "runbooks", givenDirectory: "runbooks")
        #expect(team.contacts.channels(for: "oncall") == [.file(path: "/srv/ops/pages.log")])
        // As runbook named them before rosters were frozen: their deliveries were recorded under this name.
        #expect(team.unfrozenContacts.channels(for: "oncall") == [.file(path: "pages.log")])
        #expect(team.freeze(reload: false) == RosterFreeze(rosterSHA256: EventChain.sha256(""), contactsSHA256: EventChain.sha256(contacts),
                                                           directory: "/srv/ops/runbooks", configuredDirectory: "/srv/ops/runbooks",
                                                           logins: [:], reload: false))
    }

    @Test func loadMakesBothFoldersAbsoluteAndNamesErrorsByThePathGiven() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("runbooks")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let team = try TeamFiles.load(directory: folder, configuredDirectory: directory.path("elsewhere"))
        #expect(team.rosterText == "" && team.contactsText == "")
        #expect(team.directory == FileIO.absolutePath(folder))
        #expect(team.configuredDirectory.hasSuffix("/elsewhere"))
        #expect(team.freeze(reload: true).fromOtherDirectory)

        try "roster:\n  kim: { roles: [oncall], login: [kim] }\n".write(toFile: "\(folder)/roster.yaml", atomically: true, encoding: .utf8)
        #expect(throws: UserError(.data, "\(folder)/roster.yaml:2:27: error: roster.kim.login: unknown key `login`; did you mean `logins`?")) {
            try TeamFiles.load(directory: folder, configuredDirectory: folder)
        }
    }
}

extension InMemoryEventStore {
    /// The `login` member of each stored event's data, read straight from the JSON.
    func storedLogins(of id: String) throws -> [String?] {
        try events(of: id, after: 0).map { record in try JSONValue(parsing: record.data)["login"]?.string }
    }
}
