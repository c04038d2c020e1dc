import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RunbookTestSupport
import Testing

/// A runbook with a command that says where it ran, a value to record and a manager's approval.
private let remoteRunbook = """
    runbook: remote-test
    title: "원격 점검 (Remote check)"
    roles:
      oncall: { title: "on-call" }
      manager: { title: "manager" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
    initial: work
    states:
      work:
        title: "작업 (Work)"
        deadline: 30m
        steps:
          - { id: look, title: "살펴보기 (Look)" }
          - { id: where, title: "Where it runs", run: "pwd; echo ran-as-$RUNBOOK_ACTOR" }
          - { id: sev, title: "Severity", input: { choices: [SEV1, SEV2] } }
          - { id: sign-off, title: "Sign-off", approve: { role: manager } }
        resolves: true
        end: true

    """

/// The command line working through `runbook serve` (SPEC §10): real processes, a real socket, and a client folder with
/// no database and no runbooks of its own, so that everything it shows or records can only have come from the server.
@Suite(.serialized) struct ServerClientTests {
    /// A server over a workspace with `remote-test`, tokens for kim (on-call) and choi (manager), and a client runner in
    /// an empty folder pointed at it with kim's token.
    func withServer(_ body: (_ client: CLIRunner, _ host: CLIRunner, _ server: ServerProcess, _ tokens: [String: String]) throws -> Void) throws {
        try withWorkspace { host, directory in
            try removeScheduledRunbooks(directory)
            try remoteRunbook.write(toFile: "\(directory)/runbooks/remote-test.yaml", atomically: true, encoding: .utf8)
            try slowStepRunbook("remote-slow", seconds: 30).write(toFile: "\(directory)/runbooks/remote-slow.yaml", atomically: true, encoding: .utf8)
            var tokens: [String: String] = [:]
            for person in ["kim", "choi"] {
                let created = try host.run(["token", "create", person])
                let secret: String = try #require(secretIn(created.stdout), "\(created.stderr)")
                tokens[person] = secret
            }
            let server = try ServerProcess(host, directory, ["serve", "--listen", "127.0.0.1:0", "--no-watcher"])
            defer { server.stop() }
            let laptop = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: laptop) }
            let client = CLIRunner(directory: laptop, environment: ["RUNBOOK_SERVER": server.url(""), "RUNBOOK_TOKEN": tokens["kim"] ?? ""])
            try body(client, host, server, tokens)
            #expect(!FileManager.default.fileExists(atPath: "\(laptop)/incidents.db"), "the client made a local database")
        }
    }

    @Test func everydayCommandsWorkThroughTheServerAsTheTokensPerson() throws {
        try withServer { client, host, server, _ in
            let started = try client.run(["start", "remote-test", "--title", "로그인 장애", "--no-guide"])
            #expect(started.status == 0, "\(started.stderr)")
            let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.hasPrefix("INC-"), "\(started.stdout)")

            // The server's runbooks, though the laptop has no runbooks folder.
            let runbooks = try client.run(["list"])
            #expect(runbooks.status == 0, "\(runbooks.stderr)")
            #expect(runbooks.stdout.contains("remote-test") && runbooks.stdout.contains("security-incident"), "\(runbooks.stdout)")
            let shown = try client.run(["show", "remote-test"])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("원격 점검"), "\(shown.stdout)")
            let unknown = try client.run(["show", "remote-tset"])
            #expect(unknown.status == 64)
            #expect(unknown.stderr.contains("remote-test"), "\(unknown.stderr)")

            let list = try client.run(["status"])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains(id) && list.stdout.contains("로그인 장애"), "\(list.stdout)")

            let ack = try client.run(["ack", "1"])
            #expect(ack.status == 0, "\(ack.stderr)")
            #expect(ack.stdout.contains("#") && ack.stdout.contains("acknowledged"), "\(ack.stdout)")
            #expect(try client.run(["note", id, "impact: 로그인 실패 (logins failed)"]).status == 0)
            #expect(try client.run(["step", id, "look", "done"]).status == 0)
            // An action entered after the fact keeps when it really happened.
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let earlier = formatter.string(from: Date())
            let late = try client.run(["note", id, "paged the DBA by phone", "--at", earlier])
            #expect(late.status == 0, "\(late.stderr)")

            // The command runs on the server's host, in the database's folder, and its output comes back.
            let run = try client.run(["run", id, "where"])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains(server.directory), "\(run.stdout)")
            #expect(run.stdout.contains("ran-as-kim"), "\(run.stdout)")
            #expect(!run.stdout.contains(client.directory), "\(run.stdout)")

            let input = try client.run(["input", id, "sev", "SEV1"])
            #expect(input.status == 0, "\(input.stderr)")

            // The server's own view of its database says the same, and who acted: kim, with the token's login.
            let timeline = try host.run(["timeline", id, "--json"])
            #expect(timeline.stdout.contains(#""actor": "kim""#), "\(timeline.stdout)")
            #expect(timeline.stdout.contains(#""login": "token:"#), "\(timeline.stdout)")
            #expect(timeline.stdout.contains("로그인 실패"), "\(timeline.stdout)")
            #expect(timeline.stdout.contains(#""occurred_at": "\#(earlier)""#), "\(timeline.stdout)")
            let view = try client.run(["status", id])
            #expect(view.stdout.contains("SEV1") && view.stdout.contains("[x]"), "\(view.stdout)")

            // The client checks the chain itself, and the report is the server's log.
            let verify = try client.run(["verify", id])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("hash chain intact"), "\(verify.stdout)")
            let report = try client.run(["report", id])
            #expect(report.stdout.contains("로그인 실패"), "\(report.stdout)")
            #expect(try client.run(["timeline", id]).stdout == (try host.run(["timeline", id])).stdout)
            // The monthly review of the server's incidents, reviewed on the laptop by the same code.
            let stats = try client.run(["stats", "--format", "json"])
            #expect(stats.status == 0, "\(stats.stderr)")
            // The same review but for the instant each was taken at.
            func timeless(_ text: String) -> [Substring] {
                text.split(separator: "\n").filter { line in !["\"as_of\"", "\"since\"", "\"start\"", "\"end\""].contains { line.contains($0) } }
            }
            #expect(timeless(stats.stdout) == timeless(try host.run(["stats", "--format", "json"]).stdout))
            #expect(stats.stdout.contains("remote-test"), "\(stats.stdout)")
            #expect(try client.run(["stats", "--runbook", "remote-tset"]).status == 64)
        }
    }

    @Test func theTokenDecidesWhoActsAndTheGatesHold() throws {
        try withServer { client, host, _, tokens in
            let id = try client.run(["start", "remote-test", "--no-guide"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for step in ["look"] { _ = try client.run(["step", id, step, "done"]) }
            _ = try client.run(["step", id, "where", "skip", "--note", "checked by hand"])
            _ = try client.run(["input", id, "sev", "SEV2"])

            // --as is refused: one line, usage, nothing recorded.
            let before = try host.run(["timeline", id]).stdout
            let impersonate = try client.run(["approve", id, "sign-off", "--as", "choi"])
            #expect(impersonate.status == 64)
            #expect(impersonate.stderr == "runbook: error: --as does not apply against a server: the token decides who acts (unset RUNBOOK_SERVER to act locally)\n",
                    "\(impersonate.stderr)")
            // kim's token is not a manager: the engine's refusal, with the exit code of a refusal.
            let refused = try client.run(["approve", id, "sign-off"])
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("manager"), "\(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")

            // choi's token approves, as choi.
            var manager = client
            manager.environment["RUNBOOK_TOKEN"] = tokens["choi"]
            let approved = try manager.run(["approve", id, "sign-off"])
            #expect(approved.status == 0, "\(approved.stderr)")
            let json = try host.run(["timeline", id, "--json"]).stdout
            #expect(json.contains(#""actor": "choi""#), "\(json)")
            #expect(!before.isEmpty)
        }
    }

    @Test func wrongSetupsAreOneLineEachAndChangeNothing() throws {
        try withServer { client, host, server, _ in
            func expectOneLine(_ result: CLIResult, _ status: Int32, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(result.status == status, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
                #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
                #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
            }
            var noToken = client
            noToken.environment["RUNBOOK_TOKEN"] = nil
            expectOneLine(try noToken.run(["status"]), 64, "needs a token: set RUNBOOK_TOKEN")
            var wrongToken = client
            wrongToken.environment["RUNBOOK_TOKEN"] = "rbk_00000000_nope"
            expectOneLine(try wrongToken.run(["status"]), 64, "refused the token")
            var badAddress = client
            badAddress.environment["RUNBOOK_SERVER"] = "ops.example"
            expectOneLine(try badAddress.run(["status"]), 64, "expected http://HOST:PORT or https://HOST")
            var nobody = client
            nobody.environment["RUNBOOK_SERVER"] = "http://127.0.0.1:1"
            expectOneLine(try nobody.run(["status"]), 1, "cannot reach http://127.0.0.1:1")
            expectOneLine(try client.run(["status", "INC-19990101-0001"]), 64, "INC-19990101-0001")
            // What would silently not apply through a server is refused: a local database, a fixed time, every incident.
            expectOneLine(try client.run(["status", "--db", "other.db"]), 64, "--db works on the server's host")
            var fixedNow = client
            fixedNow.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            expectOneLine(try fixedNow.run(["status"]), 64, "RUNBOOK_NOW works on the server's host")
            expectOneLine(try client.run(["verify"]), 64, "runbook verify of every incident works on the server's host")
            for command in [["watch"], ["token", "list"], ["drill", "remote-test"]] {
                expectOneLine(try client.run(command), 64, "works on the server's host, not through RUNBOOK_SERVER")
            }
            // --server names the server without the environment variable.
            var flagged = client
            flagged.environment["RUNBOOK_SERVER"] = nil
            let listed = try flagged.run(["status", "--server", server.url("")])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(try host.run(["status", "--json"]).stdout == "[]\n")
        }
    }

    /// Ctrl-C on the laptop while a command runs on the server interrupts it there: the command is never left running
    /// behind the responder, and the run is recorded as ended by the signal.
    @Test func ctrlCInterruptsTheRunOnTheServer() throws {
        try withServer { client, host, server, _ in
            let id = try client.run(["start", "remote-slow", "--no-guide"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let run = try client.launch(["run", id, "slow"], stdout: "\(client.directory)/run.out", stderr: "\(client.directory)/run.err")
            try waitFor("the command to start on the server") { FileManager.default.fileExists(atPath: "\(server.directory)/slow-started") }
            let started = Date()
            kill(run.processIdentifier, SIGINT)
            run.waitUntilExit()
            #expect(Date().timeIntervalSince(started) < 10, "the run was not interrupted")
            #expect(run.terminationStatus == 1)
            let output = (try? String(contentsOfFile: "\(client.directory)/run.out", encoding: .utf8)) ?? ""
            #expect(output.contains("SIGINT"), "\(output)")
            let timeline = try host.run(["timeline", id]).stdout
            #expect(timeline.contains("interrupted the run of step `slow`"), "\(timeline)")
            #expect(timeline.contains("finished: killed by SIGINT") || timeline.contains("SIGINT"), "\(timeline)")
            let status = try host.run(["status", id]).stdout
            #expect(!status.contains("running since"), "\(status)")
        }
    }

    /// `runbook serve` on a host whose shell points the command line at a server still serves its own database, and
    /// its watcher (which inherits the environment) still pages for it.
    @Test func aServerStartedWhereRunbookServerIsSetStillWatchesItsDatabase() throws {
        try withWorkspace { base, directory in
            try removeScheduledRunbooks(directory)
            var host = base
            host.environment["RUNBOOK_SERVER"] = "http://127.0.0.1:1"
            host.environment["RUNBOOK_TOKEN"] = "rbk_elsewhere"
            let server = try ServerProcess(host, directory, ["serve", "--listen", "127.0.0.1:0"])
            defer { server.stop() }
            let watcher = try server.watcherPID()
            #expect(kill(watcher, 0) == 0)
            var ready = (status: 0, body: "")
            try waitFor("the watcher to be reported running") {
                ready = try curl("GET", server.url("/readyz"))
                return ready.body.contains(#""running": true"#)
            }
            #expect(!server.errors.contains("not through RUNBOOK_SERVER"), "\(server.errors)")
        }
    }

    /// Guided mode through the server on a real pseudo-terminal: the screen is the served incident, a key press is
    /// recorded on the server.
    @Test func guidedModeWorksThroughTheServer() throws {
        try withServer { client, host, _, _ in
            let id = try client.run(["start", "remote-test", "--no-guide"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let term = try PseudoTerminal(["guide", id], directory: client.directory, environment: client.environment, columns: 100, rows: 40)
            #expect(term.wait(for: "q quit"), "\(term.screen.text)")
            #expect(term.screen.text.contains("원격 점검"), "\(term.screen.text)")
            term.send("d")
            #expect(term.wait { $0.text.contains("[x]") }, "\(term.screen.text)")
            term.send("q")
            _ = term.waitForExit()

            // Ctrl-C while guided mode runs a command on the server stops the command there, not the session.
            let slow = try client.run(["start", "remote-slow", "--no-guide"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let guide = try PseudoTerminal(["guide", slow], directory: client.directory, environment: client.environment, columns: 100, rows: 40)
            #expect(guide.wait(for: "q quit"), "\(guide.screen.text)")
            guide.send("r")
            #expect(guide.wait(for: "[y/N]"), "\(guide.screen.text)")
            guide.send("y")
            try waitFor("the command to start on the server") { FileManager.default.fileExists(atPath: "\(host.directory)/slow-started") }
            guide.signal(SIGINT)
            #expect(guide.wait(for: "SIGINT", seconds: 10), "\(guide.screen.text)")
            guide.send("q")
            #expect(guide.waitForExit() != nil)
            #expect(try host.run(["timeline", slow]).stdout.contains("interrupted the run of step `slow`"))

            let timeline = try host.run(["timeline", id, "--json"]).stdout
            #expect(timeline.contains(#""type": "step.done""#), "\(timeline)")
            #expect(timeline.contains(#""login": "token:"#), "\(timeline)")
        }
    }
}
