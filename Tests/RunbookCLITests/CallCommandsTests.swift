import Foundation
import RunbookTestSupport
import Testing

/// `call:` steps end to end (SPEC §3.2): two small runbooks in a temporary runbooks folder.
@Suite struct CallCommandsTests {
    static let parent = """
        runbook: parent
        title: "Parent"
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: recover
        states:
          recover:
            steps:
              - id: restore-database
                title: "DB 복구 (Restore the database: runbook child)"
                call: child
              - { id: verify-app, title: Verify the app }
            resolves: true
            end: true

        """

    static let child = """
        runbook: child
        title: "Child"
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: restore
        states:
          restore:
            steps:
              - { id: check, title: Check the restore }
            resolves: true
            next: wrap
          wrap:
            steps:
              - { id: wrap-up, title: Wrap up }
            end: true

        """

    /// A temporary folder with `runbooks/` holding `files`, removed afterwards; the clock fixed in the past.
    func withRunbooks(_ files: [String: String], _ body: (CLIRunner, String) throws -> Void) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/runbooks", withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: "\(directory)/runbooks/\(name).yaml", atomically: true, encoding: .utf8)
        }
        try body(CLIRunner(directory: directory, environment: ["RUNBOOK_NOW": "2026-11-26T01:00:00Z"]), directory)
    }

    /// Two people starting the same call step at once (a double click, two terminals): one child, one refusal, no
    /// orphan incident left open and paging.
    @Test func twoProcessesStartingOneCallStepOpenOneChild() throws {
        try withRunbooks(["parent": Self.parent, "child": Self.child]) { cli, directory in
            #expect(try cli.run(["start", "parent", "--as", "kim"]).status == 0)
            for _ in 0..<5 {
                let runs = try (0..<8).map { index in
                    try launch(["run", "INC-20261126-0001", "restore-database", "--as", "kim"], in: directory,
                               environment: ["RUNBOOK_NOW": "2026-11-26T01:00:00Z"], output: "\(directory)/run\(index).log")
                }
                for run in runs { run.waitUntilExit() }
                #expect(runs.filter { $0.terminationStatus == 0 }.count <= 1)
            }
            #expect(try count("\(directory)/incidents.db", "SELECT count(*) FROM incidents") == 2, "the parent and one child")
        }
    }

    @Test func aCallStepStartsAChildWhoseResolutionCompletesTheStep() throws {
        try withRunbooks(["parent": Self.parent, "child": Self.child]) { cli, _ in
            let parentID = "INC-20261126-0001", childID = "INC-20261126-0002"
            let start = try cli.run(["start", "parent", "--as", "kim"])
            #expect(start.status == 0, "\(start.stderr)")
            #expect(start.stdout == "\(parentID)\n")

            let run = try cli.run(["run", parentID, "restore-database", "--as", "kim"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.hasPrefix("started \(childID) (child) for step restore-database\n"))
            #expect(run.stdout.contains("\(parentID) #6 step `restore-database` started \(childID) (child)"))

            let again = try cli.run(["run", parentID, "restore-database", "--as", "kim"])
            #expect(again.status == 1)
            #expect(again.stderr == "runbook: error: \(childID) is still open for step restore-database; "
                    + "see it with `runbook status \(childID)`, or skip the step with a note\n")

            let handDone = try cli.run(["step", parentID, "restore-database", "done", "--as", "kim"])
            #expect(handDone.status == 64)
            #expect(handDone.stderr.contains("step `restore-database` calls runbook child and is done when that incident resolves"))

            let parentOpen = try cli.run(["status", parentID])
            #expect(parentOpen.stdout.contains(
                " 1. [~]  restore-database  DB 복구 (Restore the database: runbook child)  calls child: \(childID) (open, stage restore)"))
            let json = try cli.run(["status", parentID, "--json"])
            let state = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let calls = try #require(state["calls"] as? [[String: Any]])
            #expect(calls.first?["incident"] as? String == childID)
            #expect(calls.first?["status"] as? String == "open")
            #expect(calls.first?["stage"] as? String == "restore")
            let childJSON = try #require(try JSONSerialization.jsonObject(with: Data(try cli.run(["status", childID, "--json"]).stdout.utf8))
                                         as? [String: Any])
            #expect((childJSON["called_by"] as? [String: Any])?["incident"] as? String == parentID)
            let childStatus = try cli.run(["status", childID])
            #expect(childStatus.stdout.contains(
                "runbook child · opened 2026-11-26 01:00:00 UTC by kim · not acknowledged · called by \(parentID) step restore-database"))

            // Driving the child to resolved completes the parent's step; the parent stays in its stage for its other step.
            let done = try cli.run(["step", childID, "check", "done", "--as", "lee"])
            #expect(done.status == 0, "\(done.stderr)")
            #expect(done.stdout.contains("\(childID) #8 incident resolved (service restored)"))
            let parentDone = try cli.run(["status", parentID])
            #expect(parentDone.stdout.contains(" 1. [x]  restore-database  DB 복구 (Restore the database: runbook child)  calls child: "
                                               + "\(childID) (resolved) · done by runbook 01:00:00: \(childID) resolved"))
            let timeline = try cli.run(["timeline", parentID])
            #expect(timeline.stdout.contains("runbook  \(childID) of step `restore-database` resolved"))

            // Both reports link each other, in every format.
            let parentReport = try cli.run(["report", parentID])
            #expect(parentReport.stdout.contains("## Linked incidents\n\n- Step `restore-database` called \(childID) (child): resolved\n"))
            let childReport = try cli.run(["report", childID])
            #expect(childReport.stdout.contains("## Linked incidents\n\n- Called by \(parentID), step `restore-database`\n"))
            let html = try cli.run(["report", childID, "--format", "html"])
            #expect(html.stdout.contains("<h2>Linked incidents</h2>\n<ul><li>Called by \(parentID), step <code>restore-database</code></li></ul>"))
            let reportJSON = try cli.run(["report", parentID, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reportJSON.stdout.utf8)) as? [String: Any])
            let linked = try #require(object["linked_incidents"] as? [[String: Any]])
            #expect(linked.count == 1)
            #expect(linked.first?["incident"] as? String == childID)
            #expect(linked.first?["relation"] as? String == "child")
            #expect(linked.first?["status"] as? String == "resolved")
        }
    }

    /// An attacker sets the child's incident row to resolved behind runbook's back: the parent neither settles nor
    /// shows the child resolved (its log says open), and `verify` names the edited row.
    @Test func anEditedChildRowDoesNotSpeakForTheChild() throws {
        try withRunbooks(["parent": Self.parent, "child": Self.child]) { cli, directory in
            let parentID = "INC-20261126-0001", childID = "INC-20261126-0002"
            try cli.run(["start", "parent", "--as", "kim"])
            #expect(try cli.run(["run", parentID, "restore-database", "--as", "kim"]).status == 0)
            _ = try sqlite("\(directory)/incidents.db", "UPDATE incidents SET status = 'resolved' WHERE id = '\(childID)'")

            try cli.run(["note", parentID, "checking", "--as", "kim"])
            let status = try cli.run(["status", parentID])
            #expect(status.stdout.contains("calls child: \(childID) (open, stage restore)"), "\(status.stdout)")
            #expect(!status.stdout.contains("(resolved)"))
            let json = try cli.run(["status", parentID, "--json"])
            #expect(!json.stdout.contains("\"resolved\""), "\(json.stdout)")
            let verify = try cli.run(["verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("\(parentID): ") && verify.stderr.contains("\(childID): the incident row says status resolved, its events say open"))
        }
    }

    @Test func guidedModeAsksBeforeStartingTheChild() throws {
        try withRunbooks(["parent": Self.parent, "child": Self.child]) { cli, _ in
            #expect(try cli.run(["start", "parent", "--as", "kim"]).status == 0)
            let guide = try cli.run(["guide", "INC-20261126-0001", "--as", "kim"], input: "run\nno\nrun\ny\nquit\n")
            #expect(guide.status == 0, "\(guide.stderr)")
            #expect(guide.stdout.contains("Start an incident of runbook child? [y/N] "))
            #expect(guide.stdout.contains("Not run."))
            #expect(guide.stdout.contains("started INC-20261126-0002 (child) for step restore-database"))
            #expect(try cli.run(["status", "INC-20261126-0002"]).stdout.contains("called by INC-20261126-0001 step restore-database"))
        }
    }

    /// A drill's call step starts a drill child; guiding that child (the only way to work it) must not run its
    /// commands for real, as `runbook drill` does not: `supabase db reset` in a practice is a real reset.
    @Test func guidingADrillsChildSkipsItsCommandsUnlessAsked() throws {
        let child = Self.child.replacingOccurrences(of: "      - { id: check, title: Check the restore }",
                                                    with: "      - { id: check, title: Check the restore, run: \"touch reset-ran\" }")
        try withRunbooks(["parent": Self.parent, "child": child]) { cli, directory in
            let parentID = "INC-20261126-0001", childID = "INC-20261126-0002"
            let drill = try cli.run(["drill", "parent", "--as", "kim"], input: "run\ny\nquit\n")
            #expect(drill.status == 0, "\(drill.stderr)")
            #expect(drill.stdout.contains("started \(childID) (child) for step restore-database"))
            #expect(try cli.run(["status", childID]).stdout.hasPrefix("\(childID) DRILL "))

            let guide = try cli.run(["guide", childID, "--as", "kim"], input: "run\nquit\n")
            #expect(guide.status == 0, "\(guide.stderr)")
            #expect(guide.stdout.contains("skipped: drill: `touch reset-ran` not run"), "\(guide.stdout)")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/reset-ran"))
            #expect(try cli.run(["status", parentID]).status == 0)
        }
        // Asked for, it runs.
        try withRunbooks(["parent": Self.parent, "child": child]) { cli, directory in
            #expect(try cli.run(["drill", "parent", "--as", "kim"], input: "run\ny\nquit\n").status == 0)
            let guide = try cli.run(["guide", "INC-20261126-0002", "--as", "kim", "--run-commands"], input: "run\ny\nquit\n")
            #expect(guide.status == 0, "\(guide.stderr)")
            #expect(FileManager.default.fileExists(atPath: "\(directory)/reset-ran"))
        }
    }

    @Test func showMarksCallSteps() throws {
        try withRunbooks(["parent": Self.parent, "child": Self.child]) { cli, _ in
            let show = try cli.run(["show", "parent"])
            #expect(show.stdout.contains("calls runbook child"))
            let mermaid = try cli.run(["show", "parent", "--format", "mermaid"])
            #expect(mermaid.stdout.contains("restore-database — calls child"))
        }
    }

    @Test func lintChecksCallsAcrossTheFolder() throws {
        let callsB = Self.child.replacingOccurrences(of: "runbook: child", with: "runbook: a")
            .replacingOccurrences(of: "      - { id: check, title: Check the restore }", with: "      - { id: check, title: Check, call: b }")
        let callsA = Self.child.replacingOccurrences(of: "runbook: child", with: "runbook: b")
            .replacingOccurrences(of: "      - { id: check, title: Check the restore }", with: "      - { id: check, title: Check, call: a }")
        let missing = Self.parent.replacingOccurrences(of: "call: child", with: "call: chld")
        try withRunbooks(["a": callsB, "b": callsA, "parent": missing, "child": Self.child]) { cli, _ in
            let lint = try cli.run(["lint"])
            #expect(lint.status == 65)
            let headlines = lint.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
            #expect(headlines == [
                "runbooks/a.yaml:12:42: error: states.restore.steps[0].call: calls form a cycle: `a` → `b` → `a`; each incident would start another forever",
                "runbooks/b.yaml:12:42: error: states.restore.steps[0].call: calls form a cycle: `b` → `a` → `b`; each incident would start another forever",
                "runbooks/parent.yaml:14:15: error: states.recover.steps[0].call: step `restore-database` calls runbook `chld`, but there is no "
                    + "runbooks/chld.yaml; did you mean `child`?",
            ])
            #expect(lint.stderr.hasSuffix("4 runbooks checked: 3 errors in 3 files\n"))
            // Linting one file looks in its own folder.
            let one = try cli.run(["lint", "runbooks/child.yaml"])
            #expect(one.status == 0, "\(one.stderr)")
        }
    }
}
