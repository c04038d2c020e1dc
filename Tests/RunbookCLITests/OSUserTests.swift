import Foundation
import Glibc
import RunbookTestSupport
import Testing

/// A real second operating-system user, created for one test and removed after it.
final class OSUser {
    let name: String
    let uid: String
    let gid: String

    /// Creates a user without a home directory or a login shell.
    init(prefix: String) throws {
        name = "\(prefix)\(UInt32.random(in: 10_000...99_999))"
        try OSUser.run("/usr/sbin/useradd", ["--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                                             "--user-group", name])
        uid = try OSUser.run("/usr/bin/id", ["-u", name]).trimmingCharacters(in: .whitespacesAndNewlines)
        gid = try OSUser.run("/usr/bin/id", ["-g", name]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        _ = try? OSUser.run("/usr/sbin/userdel", [name])
    }

    /// Runs a program as root and returns its standard output; a failure throws with its standard error.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OSUserError(message: "\(program) \(arguments.joined(separator: " ")): " + String(decoding: error, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Runs the built `runbook` as this user (real and effective ids, the user's own groups), in `directory`,
    /// with `environment` and nothing inherited but `PATH`.
    func runbook(_ arguments: [String], in directory: String, environment: [String: String]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--", CLIRunner.executable] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ["PATH": "/usr/bin:/bin", "TZ": "UTC", "HOME": directory]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(stdout: String(decoding: output, as: UTF8.self), stderr: String(decoding: error, as: UTF8.self),
                         status: process.terminationStatus)
    }
}

struct OSUserError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Identity against the operating system itself: a second real user (CI runs as root, which may create one).
@Suite struct OSUserTests {
    @Test(.enabled(if: getuid() == 0, "creating a second operating-system user with useradd needs root; skipped when not root"))
    func anotherLoginCannotApproveAsABoundManagerWhateverItDeclares() throws {
        let impostor = try OSUser(prefix: "rbimp")
        let manager = try OSUser(prefix: "rbchoi")
        // A shared host: one login per responder, the database shared through a group (SPEC §7).
        let team = "rbteam\(UInt32.random(in: 10_000...99_999))"
        try OSUser.run("/usr/sbin/groupadd", [team])
        defer { _ = try? OSUser.run("/usr/sbin/groupdel", [team]) }
        for user in [impostor, manager] { try OSUser.run("/usr/sbin/usermod", ["-aG", team, user.name]) }
        try withApprovalWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_GROUP"] = team
            // choi is bound to the login choi; kim (unbound) opens the incident as root.
            try "roster:\n  kim: [oncall]\n  choi: { roles: [manager], logins: [choi] }\n"
                .write(toFile: "\(directory)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
            let id = try cli.run(["start", "approval", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.hasPrefix("INC-"))
            // The folder is the team's; the database is shared through the group (0660), not with everyone.
            try OSUser.run("/usr/bin/chgrp", ["-R", team, directory])
            try OSUser.run("/usr/bin/chmod", ["g+rwXs", directory])
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/incidents.db")
            #expect(attributes[.posixPermissions] as? Int == 0o660)
            let asChoi = ["USER": "choi", "LOGNAME": "choi", "RUNBOOK_USER": "choi", "RUNBOOK_NOW": "2026-11-26T01:00:00Z",
                          "RUNBOOK_WATCHER": "off", "RUNBOOK_GROUP": team]

            let refused = try impostor.runbook(["approve", id, "sign", "--as", "choi"], in: directory, environment: asChoi)
            #expect(refused.status == 1)
            #expect(refused.stderr == "runbook: error: cannot approve step `sign` as choi: the roster binds choi to the login choi, "
                    + "and this runs as \(impostor.name); choi must do it from their own login\n")
            // A note as choi goes through, marked as recorded by the impostor's login.
            let note = try impostor.runbook(["note", id, "I am choi", "--as", "choi"], in: directory, environment: asChoi)
            #expect(note.status == 0, "\(note.stderr)")

            let timeline = try cli.run(["timeline", id])
            #expect(timeline.stdout.contains("choi  note: I am choi (recorded by \(impostor.name) on behalf of choi)"))
            #expect(timeline.stdout.contains("choi  approval of `sign` Sign refused: choi is bound to other logins than \(impostor.name)"))
            let events = try #require(try json(cli.run(["timeline", id, "--json"]).stdout) as? [[String: Any]])
            let byImpostor = events.filter { ($0["actor"] as? String) == "choi" }
            #expect(byImpostor.count == 2)
            #expect(byImpostor.allSatisfy { $0["login"] as? String == impostor.name }, "the real user id, not USER or LOGNAME")

            // The manager's real login, once the roster binds choi to it (a handover), may approve.
            try "roster:\n  kim: [oncall]\n  choi: { roles: [manager], logins: [\(manager.name)] }\n"
                .write(toFile: "\(directory)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
            #expect(try cli.run(["roster", "reload", id, "--as", "kim"]).status == 0)
            let stillRefused = try impostor.runbook(["approve", id, "sign", "--as", "choi"], in: directory, environment: asChoi)
            #expect(stillRefused.status == 1)
            let approved = try manager.runbook(["approve", id, "sign"], in: directory, environment: asChoi)
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(approved.stdout.contains("approved `sign` Sign as manager"))

            let status = try #require(try json(cli.run(["status", id, "--json"]).stdout) as? [String: Any])
            let steps = try #require(status["steps"] as? [[String: Any]])
            let sign = try #require(steps.first { $0["id"] as? String == "sign" })
            #expect(sign["status"] as? String == "done")
            #expect(sign["by"] as? String == "choi")
            #expect((status["findings"] as? [Any])?.isEmpty == true, "a bound approval is no finding")
            #expect(try cli.run(["verify", id]).status == 0)
        }
    }
}
