import Foundation
import RunbookTestSupport
import Testing

/// A runbook with one manual step and one approval, for identity tests.
let approvalOnly = """
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

/// The login of this test process, as the system names its real user id.
func currentLogin() throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/id")
    process.arguments = ["-un"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Parses a JSON object or array printed by the binary.
func json(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// A workspace whose runbooks hold `approval.yaml`, at a fixed time.
func withApprovalWorkspace(_ body: (CLIRunner, String) throws -> Void) throws {
    try withWorkspace { base, directory in
        try approvalOnly.write(toFile: "\(directory)/runbooks/approval.yaml", atomically: true, encoding: .utf8)
        var cli = base
        cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
        cli.environment["RUNBOOK_WATCHER"] = "off"
        try body(cli, directory)
    }
}

/// A second runbooks folder beside the team's, with the same runbooks and its own roster.
func makeFolder(_ name: String, in directory: String, roster: String) throws -> String {
    let folder = "\(directory)/\(name)"
    try FileManager.default.copyItem(atPath: "\(directory)/runbooks", toPath: folder)
    try roster.write(toFile: "\(folder)/roster.yaml", atomically: true, encoding: .utf8)
    return folder
}

@Suite struct IdentityCommandsTests {
    @Test func everyEventCarriesTheLoginOfTheRealUserNotUSERorLOGNAME() throws {
        try withApprovalWorkspace { base, _ in
            var cli = base
            cli.environment["USER"] = "impostor"
            cli.environment["LOGNAME"] = "impostor"
            let start = try cli.run(["start", "approval", "--as", "kim"])
            #expect(start.status == 0)
            let id = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try cli.run(["note", id, "looking", "--as", "choi"]).status == 0)
            #expect(try cli.run(["ack", id]).status == 0)

            let timeline = try cli.run(["timeline", id, "--json"])
            #expect(timeline.status == 0)
            let events = try #require(try json(timeline.stdout) as? [[String: Any]])
            let me = try currentLogin()
            #expect(!me.isEmpty)
            #expect(events.count >= 6)
            #expect(events.allSatisfy { $0["login"] as? String == me }, "every event, the engine's own included")
            #expect(events.allSatisfy { ($0["data"] as? [String: Any])?["login"] as? String == me }, "stored in the hashed data")
            #expect(events.compactMap { $0["actor"] as? String }.contains("impostor"), "USER names the actor, not the login")
            #expect(try cli.run(["verify", id]).status == 0)
        }
    }

    /// Root on a fresh ops host acts as "root", whom no roster names: `start` says so and how to act as oneself. Nothing
    /// is said when the actor was chosen (`--as`, `RUNBOOK_USER`), even a name off the roster.
    @Test func startingAsSomeoneOffTheRosterByDefaultSaysHowToActAsOneself() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["USER"] = "root"
            let start = try cli.run(["start", "security-incident"])
            #expect(start.status == 0)
            #expect(start.stderr == "runbook: notice: you act as root (from USER), who is not in \(directory)/runbooks/roster.yaml: pages name the people "
                + "on it, and only they may approve; set RUNBOOK_USER=NAME (or pass --as NAME) to act as one of them\n", "\(start.stderr)")
            #expect(try cli.run(["start", "security-incident", "--as", "kim"]).stderr == "")
            #expect(try cli.run(["start", "security-incident", "--as", "visitor"]).stderr == "")
            cli.environment["RUNBOOK_USER"] = "lee"
            #expect(try cli.run(["start", "security-incident"]).stderr == "")
            cli.environment["RUNBOOK_USER"] = nil
            cli.environment["USER"] = "kim"
            #expect(try cli.run(["start", "security-incident"]).stderr == "")
            var korean = cli
            korean.environment["USER"] = "root"
            korean.environment["LANG"] = "ko_KR.UTF-8"
            #expect(try korean.run(["start", "security-incident"]).stderr.contains("root는 \(directory)/runbooks/roster.yaml에 없습니다"))
        }
    }

    @Test func aRunningIncidentKeepsItsRosterWhenRunbooksPointsElsewhere() throws {
        try withApprovalWorkspace { cli, directory in
            let id = try cli.run(["start", "approval", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            // Another folder whose roster makes kim the manager.
            let elsewhere = try makeFolder("elsewhere", in: directory, roster: "roster:\n  kim: [oncall, manager]\n")

            let kim = try cli.run(["approve", id, "sign", "--as", "kim", "--runbooks", elsewhere])
            #expect(kim.status == 1)
            #expect(kim.stderr.hasPrefix("runbook: error: kim does not hold the role Manager (manager); only Manager (manager): choi"))
            let choi = try cli.run(["approve", id, "sign", "--as", "choi", "--runbooks", elsewhere])
            #expect(choi.status == 0)
            #expect(choi.stdout.contains("approved `sign` Sign as manager"))

            let status = try cli.run(["status", id, "--json", "--runbooks", elsewhere])
            let object = try #require(try json(status.stdout) as? [String: Any])
            let roster = try #require(object["roster"] as? [String: Any])
            #expect((roster["runbooks"] as? String)?.hasSuffix("/runbooks") == true)
            let findings = try #require(object["findings"] as? [[String: Any]])
            #expect(findings.map { $0["kind"] as? String } == ["approval_identity_not_bound"])
            #expect(findings.first?["message"] as? String == "approved by choi, identity not bound (step `sign`, login \(try currentLogin()))")

            let text = try cli.run(["status", id])
            #expect(text.stdout.contains("Findings:"))
            #expect(text.stdout.contains("approved by choi, identity not bound (step `sign`, login \(try currentLogin()))"))
        }
    }

    @Test func startingFromAnotherFolderIsAFindingUnlessItIsTheConfiguredOne() throws {
        try withApprovalWorkspace { cli, directory in
            let elsewhere = try makeFolder("elsewhere", in: directory, roster: "roster:\n  kim: [oncall, manager]\n")
            let id = try cli.run(["start", "approval", "--as", "kim", "--runbooks", elsewhere]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)

            let status = try cli.run(["status", id, "--json"])
            let object = try #require(try json(status.stdout) as? [String: Any])
            let findings = try #require(object["findings"] as? [[String: Any]])
            #expect(findings.count == 1)
            #expect(findings.first?["kind"] as? String == "other_runbooks_directory")
            let used = try #require(findings.first?["runbooks"] as? String)
            let configured = try #require(findings.first?["configured_runbooks"] as? String)
            #expect(used.hasPrefix("/") && used.hasSuffix("/elsewhere"))
            #expect(configured.hasPrefix("/") && configured.hasSuffix("/runbooks"))
            #expect(findings.first?["message"] as? String
                    == "incident started from \(used), not the team's configured runbooks directory \(configured)")
            #expect(try cli.run(["status", id]).stdout.contains("incident started from \(used), not the team's configured runbooks directory"))

            // The same folder named by RUNBOOK_PATH is the team's configured one: no finding.
            var configuredCLI = cli
            configuredCLI.environment["RUNBOOK_PATH"] = elsewhere
            let second = try configuredCLI.run(["start", "approval", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let clean = try #require(try json(configuredCLI.run(["status", second, "--json"]).stdout) as? [String: Any])
            #expect((clean["findings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func rosterReloadRecordsANewVersionAtAShiftHandover() throws {
        try withApprovalWorkspace { cli, directory in
            let help = try cli.run(["roster", "reload", "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("shift handover"))
            #expect(help.stdout.contains("runbook roster reload INC-20261126-0001 --as kim"))

            let id = try cli.run(["start", "approval", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let unchanged = try cli.run(["roster", "reload", id, "--as", "kim"])
            #expect(unchanged.status == 1)
            #expect(unchanged.stderr.hasPrefix("runbook: error: incident \(id) already uses this roster and these contacts from /"))
            #expect(unchanged.stderr.hasSuffix("/runbooks; edit roster.yaml or contacts.yaml first, then reload\n"))

            // The handover: lee takes over as manager, bound to the login this test runs as.
            let me = try currentLogin()
            try "roster:\n  kim: [oncall]\n  lee: { roles: [manager], logins: [\(me)] }\n"
                .write(toFile: "\(directory)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
            // Until the reload, the incident still decides by the roster it started with.
            let early = try cli.run(["approve", id, "sign", "--as", "lee"])
            #expect(early.status == 1)
            #expect(early.stderr.contains("lee does not hold the role Manager (manager)"))

            let reload = try cli.run(["roster", "reload", id, "--as", "kim"])
            #expect(reload.status == 0)
            #expect(reload.stdout.hasPrefix("\(id) #"))
            #expect(reload.stdout.contains(" roster and contacts reloaded from /"))
            #expect(reload.stdout.hasSuffix("; bound to logins: lee\n"))

            #expect(try cli.run(["approve", id, "sign", "--as", "choi"]).status == 1)
            #expect(try cli.run(["approve", id, "sign", "--as", "lee"]).status == 0)
            let object = try #require(try json(cli.run(["status", id, "--json"]).stdout) as? [String: Any])
            #expect((object["findings"] as? [Any])?.isEmpty == true, "lee's approval came from a login the roster binds")
            #expect((object["roster"] as? [String: Any])?["logins"] as? [String: [String]] == ["lee": [me]])

            #expect(try cli.run(["roster", "reload", "INC-20261126-0099", "--as", "kim"]).status == 64)
            #expect(try cli.run(["roster", "reload"]).status == 64)
        }
    }

    @Test func anActionAsABoundPersonFromAnotherLoginIsRecordedOnTheirBehalf() throws {
        try withApprovalWorkspace { cli, directory in
            try "roster:\n  kim: [oncall]\n  choi: { roles: [manager], logins: [choi-nonexistent] }\n"
                .write(toFile: "\(directory)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
            let id = try cli.run(["start", "approval", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try cli.run(["note", id, "the manager is on the phone", "--as", "choi"]).status == 0)
            let refused = try cli.run(["approve", id, "sign", "--as", "choi"])
            #expect(refused.status == 1)
            let me = try currentLogin()
            #expect(refused.stderr == "runbook: error: cannot approve step `sign` as choi: the roster binds choi to the login choi-nonexistent, "
                    + "and this runs as \(me); choi must do it from their own login\n")

            let lines = try cli.run(["timeline", id]).stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasSuffix("choi  note: the manager is on the phone (recorded by \(me) on behalf of choi)") })
            #expect(lines.filter { $0.contains("on behalf of") }.allSatisfy { $0.contains("  choi  ") }, "kim is not bound: no mark")
            let events = try #require(try json(cli.run(["timeline", id, "--json"]).stdout) as? [[String: Any]])
            let note = try #require(events.first { $0["type"] as? String == "note.added" })
            #expect(note["login"] as? String == me)
            #expect(note["on_behalf"] as? Bool == true)
            #expect(events.first?["on_behalf"] as? Bool == false)
        }
    }

    @Test func withoutUSERTheActorIsTheLoginNotUnknown() throws {
        try withApprovalWorkspace { base, _ in
            var cli = base
            cli.environment["USER"] = ""
            let id = try cli.run(["start", "approval"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let events = try #require(try json(cli.run(["timeline", id, "--json"]).stdout) as? [[String: Any]])
            #expect(events.first?["actor"] as? String == (try currentLogin()))
        }
    }
}

