import Foundation
import RunbookCore
@testable import RunbookRuntime
import RunbookTestSupport
import Testing

/// The verdicts of `runbook doctor` that depend on who runs it (SPEC §7), and the settings file read alone.
@Suite struct TeamDoctorTests {
    /// A team directory whose roster binds kim's login but not choi's, with a runbook that choi (manager) approves in.
    func withTeam(_ body: (String) throws -> Void) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/runbooks", withIntermediateDirectories: true)
        try """
            roster:
              kim: { roles: [oncall], logins: [kim] }
              choi: { roles: [manager] }
            """.write(toFile: "\(directory)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
        // Its approval steps ask the manager (and the dba, whom this roster does not name).
        try FileManager.default.copyItem(atPath: "\(NotificationFixtures.repositoryRoot)/runbooks/db-recovery.yaml",
                                         toPath: "\(directory)/runbooks/db-recovery.yaml")
        try body(directory)
    }

    func doctor(_ directory: String, group: String?, login: String, isRoot: Bool) -> TeamDoctor {
        TeamDoctor(home: nil, runbooksPath: "\(directory)/runbooks", databasePath: "\(directory)/incidents.db",
                   sharing: FileSharing(group: group, gid: group == nil ? nil : 0), login: login, isRoot: isRoot)
    }

    @Test func aResponderOutsideTheGroupCannotWriteAndIsToldHowToJoin() throws {
        try withTeam { directory in
            // "root" is a group on every host; its members are root (primary) and nobody else here.
            let outside = doctor(directory, group: "root", login: "kim", isRoot: false).sharedGroup()
            #expect(outside.contains(TeamDoctor.Finding(.problem, .doctorNotInGroup(login: "kim", group: "root"))))
            #expect(outside.contains(TeamDoctor.Finding(.warning, .doctorLoginNotInGroup(person: "kim", login: "kim", group: "root"))))
            let asRoot = doctor(directory, group: "root", login: "root", isRoot: true).sharedGroup()
            #expect(!asRoot.contains { $0.level == .problem }, "\(asRoot)")
            let missing = doctor(directory, group: "no-such-group-xyz", login: "kim", isRoot: false).sharedGroup()
            #expect(missing == [TeamDoctor.Finding(.problem, .doctorGroupMissing(group: "no-such-group-xyz"))])
            let alone = doctor(directory, group: nil, login: "kim", isRoot: false).sharedGroup()
            #expect(alone == [TeamDoctor.Finding(.ok, .doctorPrivate(login: "kim"))])
        }
    }

    @Test func anApproverWithoutALoginIsAWarning() throws {
        try withTeam { directory in
            let findings = doctor(directory, group: nil, login: "kim", isRoot: false).approvers()
            #expect(findings == [TeamDoctor.Finding(.warning, .doctorUnboundApprover(person: "choi", roles: ["manager"]))])
        }
    }

    @Test func theSettingsFileResolvesItsPathsAgainstItsDirectory() throws {
        let home = try TeamHome.parse("runbooks: ./rb\ndatabase: /var/lib/ops/incidents.db\ngroup: ops\n", directory: "/srv/ops", file: "s.yaml")
        #expect(home == TeamHome(directory: "/srv/ops", runbooks: "/srv/ops/rb", database: "/var/lib/ops/incidents.db", group: "ops"))
        let empty = try TeamHome.parse("# nothing set\n", directory: "/", file: "s.yaml")
        #expect(empty == TeamHome(directory: "/", runbooks: "/runbooks", database: "/incidents.db", group: nil))
        let postgres = try TeamHome.parse("database: postgres://runbook@db/ops\n", directory: "/srv/ops", file: "s.yaml")
        #expect(postgres.database == "postgres://runbook@db/ops")
        for bad in ["- runbooks\n", "runbooks: [a, b]\n", "group: \"\"\n", "runbook: x\n"] {
            #expect(throws: UserError.self, "\(bad)") { try TeamHome.parse(bad, directory: "/srv/ops", file: "s.yaml") }
        }
        // The nearest settings file at or above the working directory.
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/a/b/c", withIntermediateDirectories: true)
        try "group: ops\n".write(toFile: "\(directory)/a/\(TeamHome.settingsFile)", atomically: true, encoding: .utf8)
        let found = try TeamHome.locate(home: nil, workingDirectory: "\(directory)/a/b/c")
        #expect(found?.runbooks == "\(FileIO.absolutePath(directory))/a/runbooks")
        #expect(try TeamHome.locate(home: nil, workingDirectory: directory) == nil)
    }
}
