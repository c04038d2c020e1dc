import Foundation
import RunbookTestSupport
import Testing

func mode(_ path: String) throws -> Int {
    try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
}

/// Runs a command of the system and returns its exit status (for groupadd, mount).
@discardableResult
func system(_ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// Never destroy or leak data (issue 9, item 5): the report cannot overwrite the database, files are private.
@Suite struct FileSafetyTests {
    @Test func reportOutputNeverOverwritesTheDatabaseNorAnExistingFile() throws {
        try withWorkspace { cli, directory in
            let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for target in ["incidents.db", "\(directory)/incidents.db", "./incidents.db-wal", "incidents.db-shm"] {
                let refused = try cli.run(["report", id, "-o", target])
                #expect(refused.status == 64)
                #expect(refused.stderr.contains("is the incident database"))
            }
            // Through a link too.
            try FileManager.default.createSymbolicLink(atPath: "\(directory)/innocent.md", withDestinationPath: "\(directory)/incidents.db")
            #expect(try cli.run(["report", id, "-o", "innocent.md", "--force"]).status == 64)
            #expect(try cli.run(["verify", id]).status == 0, "the database is intact")

            #expect(try cli.run(["report", id, "-o", "pm.md"]).status == 0)
            #expect(try mode("\(directory)/pm.md") == 0o600)
            let again = try cli.run(["report", id, "-o", "pm.md"])
            #expect(again.status == 64)
            #expect(again.stderr == "runbook: error: pm.md exists; add --force to replace it, or choose another file\n")
            try "keep me".write(toFile: "\(directory)/pm.md", atomically: true, encoding: .utf8)
            #expect(try String(contentsOfFile: "\(directory)/pm.md", encoding: .utf8) == "keep me")
            #expect(try cli.run(["report", id, "-o", "pm.md", "--force"]).status == 0)
            #expect(try String(contentsOfFile: "\(directory)/pm.md", encoding: .utf8).hasPrefix("# Post-mortem"))
            #expect(!(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.contains(".tmp-") }))
        }
    }

    @Test func filesThatExistedBeforeAreMadePrivateWithANotice() throws {
        try withWorkspace { cli, directory in
            _ = FileManager.default.createFile(atPath: "\(directory)/incidents.db", contents: nil)
            _ = FileManager.default.createFile(atPath: "\(directory)/notifications.log", contents: nil)
            for file in ["incidents.db", "notifications.log"] {
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(directory)/\(file)")
            }
            let start = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status == 0)
            #expect(start.stderr.contains("runbook: notice: incidents.db: mode 0644 → 0600"))
            #expect(try mode("\(directory)/incidents.db") == 0o600)
            #expect(try mode("\(directory)/notifications.log") == 0o600)
        }
    }

    @Test func readOnlyCommandsNeverCreateADatabase() throws {
        try withWorkspace { cli, directory in
            for arguments in [["status"], ["verify"], ["timeline", "INC-1"], ["report", "INC-1"], ["note", "INC-1", "x"]] {
                let result = try cli.run(arguments + ["--db", "typo.db"])
                #expect(result.status == 64)
                #expect(result.stderr.hasPrefix("runbook: error: no database at typo.db"))
            }
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/typo.db"))
        }
    }

    @Test func viewsShowWhatFellDueButNeverAppend() throws {
        try withWorkspace { base, directory in
            var opened = base
            opened.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let id = try opened.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try opened.run(["ack", id, "--as", "kim"]).status == 0)
            let count = { try sqlite("\(directory)/incidents.db", "SELECT count(*) FROM events") }
            let before = try count()
            var later = base
            later.environment["RUNBOOK_NOW"] = "2026-11-26T01:20:00Z"
            for arguments in [["status", id], ["status", id, "--json"], ["status"], ["timeline", id], ["report", id], ["verify", id]] {
                #expect(try later.run(arguments).status == 0)
            }
            #expect(try count() == before, "read-only commands never append")
            // What fell due is shown all the same: detect's 5m deadline was missed and its escalation pages.
            let status = try later.run(["status", id]).stdout
            #expect(status.contains("overdue"))
            #expect(status.contains("stage `detect` 탐지 (Detect) missed its 5m deadline"))
        }
    }

    /// A FIFO (or socket, or device) in the runbooks folder is named, never read: reading it would wait for a writer
    /// that never comes, and hang every command that reads the folder. A pipe named on the command line is the
    /// caller's choice and is read.
    @Test func aFIFOInTheRunbooksFolderIsRefusedNotWaitedOn() throws {
        try withWorkspace { cli, directory in
            #expect(mkfifo("\(directory)/runbooks/stuck.yaml", 0o600) == 0)
            let contacts = try String(contentsOfFile: "\(directory)/runbooks/contacts.yaml", encoding: .utf8)
            try FileManager.default.removeItem(atPath: "\(directory)/runbooks/contacts.yaml")
            #expect(mkfifo("\(directory)/runbooks/contacts.yaml", 0o600) == 0)
            let list = try cli.run(["list"])
            #expect(list.stdout.contains("security-incident"), "\(list.stdout)\(list.stderr)")
            #expect(list.stderr.contains("cannot read runbooks/stuck.yaml: it is not a regular file"), "\(list.stderr)")
            // Lint names it as one bad file and still checks the others (exit 65, not a usage error); so doctor counts it.
            let lint = try cli.run(["lint"])
            #expect(lint.status == 65, "\(lint.stdout)\(lint.stderr)")
            #expect((lint.stdout + lint.stderr).contains("cannot read runbooks/stuck.yaml: it is not a regular file"), "\(lint.stdout)\(lint.stderr)")
            try "runbook: broken\n".write(toFile: "\(directory)/runbooks/broken.yaml", atomically: true, encoding: .utf8)
            #expect(try cli.run(["lint"]).stderr.contains("runbooks/broken.yaml:1:1: error: missing required key `title`"), "the runbooks after it are still checked")
            try FileManager.default.removeItem(atPath: "\(directory)/runbooks/broken.yaml")
            let start = try cli.run(["start", "security-incident", "--as", "kim"])
            #expect(start.status != 0)
            #expect(start.stderr.contains("cannot read runbooks/contacts.yaml: it is not a regular file"), "\(start.stderr)")
            try FileManager.default.removeItem(atPath: "\(directory)/runbooks/contacts.yaml")
            try contacts.write(toFile: "\(directory)/runbooks/contacts.yaml", atomically: true, encoding: .utf8)
            #expect(try cli.run(["start", "security-incident", "--as", "kim"]).status == 0)

            // Named on the command line, a FIFO is refused too (lint checks a runbook file, whose name is its id).
            let pipe = "\(directory)/piped.yaml"
            #expect(mkfifo(pipe, 0o600) == 0)
            let piped = try cli.run(["lint", pipe])
            #expect(piped.status == 64)
            #expect(piped.stderr == "runbook: error: cannot read \(pipe): it is not a regular file\n", "\(piped.stderr)")
        }
    }

    @Test func aSharedGroupMakesTheFilesGroupReadable() throws {
        guard getuid() == 0 else {
            print("skipped: creating a group needs root")
            return
        }
        let group = "rbtest\(getpid() % 10000)"
        try system(["groupadd", group])
        defer { _ = try? system(["groupdel", group]) }
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_GROUP"] = group
            let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try mode("\(directory)/incidents.db") == 0o660)
            let owner = try FileManager.default.attributesOfItem(atPath: "\(directory)/incidents.db")[.groupOwnerAccountName] as? String
            #expect(owner == group)
            #expect(try cli.run(["report", id, "-o", "pm.md"]).status == 0)
            #expect(try mode("\(directory)/pm.md") == 0o660)
            var unknown = base
            unknown.environment["RUNBOOK_GROUP"] = "no-such-group-xyz"
            let refused = try unknown.run(["status"])
            #expect(refused.status == 64)
            #expect(refused.stderr.contains("RUNBOOK_GROUP=no-such-group-xyz: no such group on this host"))
        }
    }

    @Test func aFullDiskStillReadsAndSaysSo() throws {
        let mountPoint = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        guard getuid() == 0, try system(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]) == 0 else {
            print("skipped: a small full file system needs root and mount")
            return
        }
        defer { _ = try? system(["umount", mountPoint]) }
        try FileManager.default.copyItem(atPath: "\(repositoryRoot)/runbooks", toPath: "\(mountPoint)/runbooks")
        let cli = CLIRunner(directory: mountPoint)
        let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Fill the disk.
        _ = try system(["sh", "-c", "dd if=/dev/zero of=\(mountPoint)/filler bs=4k 2>/dev/null; true"])
        let status = try cli.run(["status", id])
        #expect(status.status == 0)
        #expect(status.stdout.contains(id))
        #expect(try cli.run(["timeline", id]).status == 0)
        #expect(try cli.run(["verify", id]).status == 0)
        let note = try cli.run(["note", id, "x", "--as", "kim"])
        #expect(note.status == 1)
        #expect(note.stderr.contains("the disk is full"))
        #expect(!note.stderr.contains("disk I/O error;"))
    }
}
