import Foundation
import RunbookTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The mode bits (with setgid) and group id of `path`, from lstat.
func modeAndGroup(_ path: String) throws -> (mode: UInt32, gid: UInt32) {
    var info = stat()
    try #require(lstat(path, &info) == 0, "\(path) does not exist")
    return (UInt32(info.st_mode) & 0o7777, info.st_gid)
}

/// A group made for one test and removed after it (root only).
func withTemporaryGroup(_ body: (String, UInt32) throws -> Void) throws {
    let group = "rbteam\(getpid() % 10000)"
    _ = try? system(["groupdel", group])
    try #require(try system(["groupadd", group]) == 0, "groupadd \(group)")
    defer { _ = try? system(["groupdel", group]) }
    let entry = try #require(getgrnam(group))
    try body(group, entry.pointee.gr_gid)
}

/// The files of a folder, sorted.
func files(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

/// `runbook init` and `runbook doctor` (issue 15, item 1; SPEC §7): a team directory that every command run in it, or
/// with RUNBOOK_HOME, uses without flags.
@Suite struct TeamDirectoryTests {
    @Test func initMakesAPrivateTeamDirectoryThatCommandsInsideUse() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let made = try CLIRunner(directory: base).run(["init", "team"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("Made the team directory \(base)/team (files 0600, private to you):"))
        #expect(made.stdout.contains("runbook doctor"))
        let team = "\(base)/team"
        #expect(try files(in: team) == ["incidents.db", "runbook-team.yaml", "runbooks"])
        #expect(try files(in: "\(team)/runbooks") == files(in: "\(repositoryRoot)/runbooks"))
        #expect(try modeAndGroup(team).mode == 0o700)
        #expect(try modeAndGroup("\(team)/runbooks").mode == 0o700)
        for file in ["incidents.db", "runbook-team.yaml", "runbooks/roster.yaml", "runbooks/security-incident.yaml"] {
            #expect(try modeAndGroup("\(team)/\(file)").mode == 0o600, "\(file)")
        }
        for file in try files(in: "\(repositoryRoot)/runbooks") {
            #expect(try String(contentsOfFile: "\(team)/runbooks/\(file)", encoding: .utf8)
                == String(contentsOfFile: "\(repositoryRoot)/runbooks/\(file)", encoding: .utf8), "\(file) copied as shipped")
        }
        let settings = try String(contentsOfFile: "\(team)/runbook-team.yaml", encoding: .utf8)
        #expect(settings.contains("runbooks: runbooks\ndatabase: incidents.db\n"))
        #expect(!settings.contains("group:"))

        // Inside the directory, and below it, every command finds its runbooks and database without flags.
        let inside = CLIRunner(directory: team)
        #expect(try inside.run(["lint"]).status == 0)
        #expect(try inside.run(["list"]).stdout.contains("security-incident"))
        let started = try CLIRunner(directory: "\(team)/runbooks").run(["start", "security-incident", "--as", "kim", "--title", "from below"])
        #expect(started.status == 0, "\(started.stderr)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!FileManager.default.fileExists(atPath: "\(team)/runbooks/incidents.db"), "the team's database, not one in the working folder")
        #expect(try inside.run(["status", id]).stdout.contains("from below"))
        #expect(try inside.run(["step", id, "confirm-alert", "done"]).status == 0)
        // Anywhere else, RUNBOOK_HOME names it; without it, the working folder has no database.
        var elsewhere = CLIRunner(directory: base)
        #expect(try elsewhere.run(["status", id]).status == 64)
        elsewhere.environment["RUNBOOK_HOME"] = team
        #expect(try elsewhere.run(["status", id]).stdout.contains("from below"))
        #expect(try elsewhere.run(["verify", id]).status == 0)
        // Flags and RUNBOOK_DB still win over the settings.
        elsewhere.environment["RUNBOOK_DB"] = "\(base)/other.db"
        #expect(try elsewhere.run(["status", id]).status == 64)
        #expect(try inside.run(["status", id, "--db", "\(base)/other.db"]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: "\(base)/other.db"))

        // No DIR: the current directory.
        try FileManager.default.createDirectory(atPath: "\(base)/here", withIntermediateDirectories: false)
        #expect(try CLIRunner(directory: "\(base)/here").run(["init"]).status == 0)
        #expect(try files(in: "\(base)/here") == ["incidents.db", "runbook-team.yaml", "runbooks"])
    }

    @Test func initRefusesToOverwriteAndChangesNothing() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let cli = CLIRunner(directory: base)
        #expect(try cli.run(["init", "team"]).status == 0)
        let id = try CLIRunner(directory: "\(base)/team").run(["start", "security-incident", "--as", "kim"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try "# edited by the team\n".write(toFile: "\(base)/team/runbooks/roster.yaml", atomically: true, encoding: .utf8)
        let database = try Data(contentsOf: URL(fileURLWithPath: "\(base)/team/incidents.db"))

        let again = try cli.run(["init", "team"])
        #expect(again.status == 64)
        #expect(again.stderr == "runbook: error: \(base)/team is already a team directory (it has runbook-team.yaml); nothing was changed. "
            + "Check it with `runbook doctor`, or choose another directory\n")
        #expect(try String(contentsOfFile: "\(base)/team/runbooks/roster.yaml", encoding: .utf8) == "# edited by the team\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(base)/team/incidents.db")) == database)
        #expect(try CLIRunner(directory: "\(base)/team").run(["status", id]).status == 0)

        // A folder with a database but no settings is refused too, and nothing is added to it.
        try FileManager.default.createDirectory(atPath: "\(base)/old", withIntermediateDirectories: false)
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(base)/old/incidents.db"))
        let old = try cli.run(["init", "old"])
        #expect(old.status == 64)
        #expect(old.stderr.contains("(it has incidents.db)"))
        #expect(try files(in: "\(base)/old") == ["incidents.db"])

        // A file is not a directory.
        try Data().write(to: URL(fileURLWithPath: "\(base)/plain"))
        let plain = try cli.run(["init", "plain"])
        #expect(plain.status == 64)
        #expect(plain.stderr == "runbook: error: \(base)/plain exists and is not a directory; choose another path\n")

        // A runbooks folder already there (the team's git checkout) is kept as it is.
        try FileManager.default.createDirectory(atPath: "\(base)/git/runbooks", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(repositoryRoot)/runbooks/security-incident.yaml", toPath: "\(base)/git/runbooks/security-incident.yaml")
        let kept = try cli.run(["init", "git"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("kept as it was (1 file)"))
        #expect(try files(in: "\(base)/git/runbooks") == ["security-incident.yaml"])
        #expect(try CLIRunner(directory: "\(base)/git").run(["list"]).stdout.contains("security-incident"))

        // --from a folder without runbooks: refused before anything is made.
        try FileManager.default.createDirectory(atPath: "\(base)/empty", withIntermediateDirectories: false)
        let none = try cli.run(["init", "fresh", "--from", "empty"])
        #expect(none.status == 64)
        #expect(none.stderr.contains("holds no runbook"))
        #expect(!FileManager.default.fileExists(atPath: "\(base)/fresh"))
        #expect(try cli.run(["init", "fresh", "--from", "git/runbooks"]).stdout.contains("1 file copied from \(base)/git/runbooks"))

        // An unknown group: refused before anything is made.
        let group = try cli.run(["init", "grouped", "--group", "no-such-group-xyz"])
        #expect(group.status == 64)
        #expect(group.stderr.contains("no group no-such-group-xyz on this host; create it (groupadd no-such-group-xyz)"))
        #expect(!FileManager.default.fileExists(atPath: "\(base)/grouped"))
    }

    @Test func initWithAGroupSharesEveryFileAndWhatIsWrittenLater() throws {
        try #require(getuid() == 0, "creating a group needs root (CI runs as root)")
        try withTemporaryGroup { group, gid in
            let base = try makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: base) }
            let made = try CLIRunner(directory: base).run(["init", "\(base)/ops", "--group", group])
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout.contains("(files 0660, group \(group)):"))
            #expect(made.stdout.contains("usermod -aG \(group) LOGIN"))
            let team = "\(base)/ops"
            for folder in [team, "\(team)/runbooks"] {
                #expect(try modeAndGroup(folder) == (0o2770, gid), "\(folder)")
            }
            for file in ["incidents.db", "runbook-team.yaml", "runbooks/contacts.yaml", "runbooks/db-recovery.yaml"] {
                #expect(try modeAndGroup("\(team)/\(file)") == (0o660, gid), "\(file)")
            }
            #expect(try String(contentsOfFile: "\(team)/runbook-team.yaml", encoding: .utf8).contains("\ngroup: \(group)\n"))
            // The settings' group applies to what commands write later, without RUNBOOK_GROUP.
            let inside = CLIRunner(directory: team)
            let id = try inside.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try inside.run(["report", id, "-o", "pm.md"]).status == 0)
            #expect(try modeAndGroup("\(team)/pm.md") == (0o660, gid))
            #expect(try modeAndGroup("\(team)/incidents.db") == (0o660, gid))
            let doctor = try inside.run(["doctor"])
            #expect(doctor.stdout.contains("files runbook writes are mode 0660, group \(group)") || doctor.stdout.contains("file runbook writes is mode 0660, group \(group)"),
                    "\(doctor.stdout)")
            #expect(doctor.stdout.contains("warn  no login belongs to the group \(group)"))
            // A folder that already holds files (a checkout, a home folder) is not handed to the group: refused, unchanged,
            // until its owner shares it; then it is used as it is.
            try FileManager.default.createDirectory(atPath: "\(base)/checkout/runbooks", withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(base)/checkout")
            try FileManager.default.copyItem(atPath: "\(repositoryRoot)/runbooks/security-incident.yaml", toPath: "\(base)/checkout/runbooks/security-incident.yaml")
            let unshared = try CLIRunner(directory: base).run(["init", "checkout", "--group", group])
            #expect(unshared.status == 64)
            #expect(unshared.stderr.contains("exists and is not shared with the group \(group) (init changes no existing folder)"))
            #expect(try modeAndGroup("\(base)/checkout").mode == 0o755)
            #expect(chown("\(base)/checkout", UInt32.max, gid) == 0 && chmod("\(base)/checkout", 0o2770) == 0)
            #expect(try CLIRunner(directory: base).run(["init", "checkout", "--group", group]).status == 0)
            #expect(try modeAndGroup("\(base)/checkout") == (0o2770, gid))
            #expect(try modeAndGroup("\(base)/checkout/incidents.db") == (0o660, gid))
            // A runbooks link is refused, not followed (and its target not handed to the group).
            try FileManager.default.createDirectory(atPath: "\(base)/linkteam", withIntermediateDirectories: false)
            try FileManager.default.createSymbolicLink(atPath: "\(base)/linkteam/runbooks", withDestinationPath: "\(base)/checkout/runbooks")
            #expect(try CLIRunner(directory: base).run(["init", "linkteam"]).status == 64)
            // A link named as the team directory is refused (init would re-mode whatever it points at).
            try FileManager.default.createSymbolicLink(atPath: "\(base)/alias", withDestinationPath: "\(base)/checkout")
            #expect(try CLIRunner(directory: base).run(["init", "alias/", "--group", group]).status == 64)
            // An existing empty folder keeps its mode and group: with a group it must already be shared.
            try FileManager.default.createDirectory(atPath: "\(base)/empty", withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(base)/empty")
            #expect(try CLIRunner(directory: base).run(["init", "empty", "--group", group]).status == 64)
            #expect(try modeAndGroup("\(base)/empty") == (0o755, 0))
            #expect(try files(in: "\(base)/empty") == [])
            // A folder another login owns is refused.
            try FileManager.default.createDirectory(atPath: "\(base)/theirs", withIntermediateDirectories: false)
            #expect(chown("\(base)/theirs", 65534, 65534) == 0)
            let theirs = try CLIRunner(directory: base).run(["init", "theirs"])
            #expect(theirs.status == 64)
            #expect(theirs.stderr.contains("belongs to uid 65534, not to you"))
            // A numeric group that does not exist is refused.
            #expect(try CLIRunner(directory: base).run(["init", "numeric", "--group", "99999"]).status == 64)
            #expect(try CLIRunner(directory: base).run(["init", "bynumber", "--group", "\(gid)"]).status == 0)
            #expect(try String(contentsOfFile: "\(base)/bynumber/runbook-team.yaml", encoding: .utf8).contains("\ngroup: \(group)\n"))
        }
    }

    @Test func settingsAreCheckedLikeAnyInput() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        var cli = CLIRunner(directory: base)
        cli.environment["RUNBOOK_HOME"] = "\(base)/nowhere"
        let missing = try cli.run(["list"])
        #expect(missing.status == 64)
        #expect(missing.stderr == "runbook: error: RUNBOOK_HOME=\(base)/nowhere is not a team directory (no runbook-team.yaml there); "
            + "make it one with `runbook init \(base)/nowhere`, or unset RUNBOOK_HOME\n")
        // init makes the directory RUNBOOK_HOME names.
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["list"]).status == 0)

        try "runbooks: runbooks\ndatabse: x.db\n".write(toFile: "\(base)/nowhere/runbook-team.yaml", atomically: true, encoding: .utf8)
        let typo = try CLIRunner(directory: "\(base)/nowhere").run(["list"])
        #expect(typo.status == 65)
        #expect(typo.stderr.contains("runbook-team.yaml:2:1: error: databse: unknown key `databse`; did you mean `database`?"), "\(typo.stderr)")
        try "runbooks: \"\\e[31mred\"\n".write(toFile: "\(base)/nowhere/runbook-team.yaml", atomically: true, encoding: .utf8)
        let hostile = try CLIRunner(directory: "\(base)/nowhere").run(["list"])
        #expect(hostile.status == 65)
        #expect(!hostile.stderr.contains("\u{1B}"))
        // Absolute paths and a shared folder elsewhere.
        try "runbooks: \(repositoryRoot)/runbooks\ndatabase: ../elsewhere.db\n".write(toFile: "\(base)/nowhere/runbook-team.yaml", atomically: true, encoding: .utf8)
        let started = try CLIRunner(directory: "\(base)/nowhere").run(["start", "security-incident", "--as", "kim"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(base)/elsewhere.db"))
    }

    /// A settings file found above the working directory that another login could have written (one planted in /tmp)
    /// is ignored with a notice: its runbooks would run commands as the caller.
    @Test func aSettingsFileAnotherLoginCouldHavePlantedIsIgnored() throws {
        try withWorkspace { base, directory in
            try FileManager.default.createDirectory(atPath: "\(directory)/planted/work", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(directory)/runbooks", toPath: "\(directory)/planted/work/runbooks")
            let settings = "\(directory)/planted/runbook-team.yaml"
            try "runbooks: /nonexistent/evil\n".write(toFile: settings, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: settings)
            var cli = base
            cli.directory = "\(directory)/planted/work"
            let writable = try cli.run(["list"])
            #expect(writable.status == 0, "\(writable.stderr)")
            #expect(writable.stderr == "runbook: notice: ignoring \(settings): any login may write it, so its runbooks could run commands as you; "
                + "fix its owner or mode, or name the team directory with RUNBOOK_HOME\n")
            #expect(writable.stdout.contains("security-incident"), "the working folder's runbooks")
            guard getuid() == 0 else { return }
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: settings)
            #expect(chown(settings, 65534, 65534) == 0)
            let foreign = try cli.run(["list"])
            #expect(foreign.stderr.contains("ignoring \(settings): it belongs to uid 65534 and a group you are not in"))
            #expect(foreign.status == 0)
            // Named with RUNBOOK_HOME, it is the caller's choice.
            cli.environment["RUNBOOK_HOME"] = "\(directory)/planted"
            #expect(try cli.run(["list"]).stderr.contains("/nonexistent/evil"))
        }
    }

    /// What an attacker can put where a settings file is looked for: a link to a root-owned file, a FIFO, /dev/zero, a
    /// huge file, a file shared through a group the settings do not name. Each is ignored with a notice or refused in
    /// one line; nothing hangs or crashes.
    @Test func settingsThatAreNotAPlainFileOfTheCallerAreNotRead() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        func folder(_ name: String) throws -> String {
            try FileManager.default.createDirectory(atPath: "\(base)/\(name)/work", withIntermediateDirectories: true)
            return "\(base)/\(name)"
        }
        // A link to a file root owns (all comments: the defaults, in the attacker's folder).
        let linked = try folder("linked")
        try FileManager.default.createSymbolicLink(atPath: "\(linked)/runbook-team.yaml", withDestinationPath: "/etc/hostname")
        let link = try CLIRunner(directory: "\(linked)/work").run(["list"])
        #expect(link.stderr.hasPrefix("runbook: notice: ignoring \(linked)/runbook-team.yaml: it is not a regular file (a link, a FIFO or a device)"), "\(link.stderr)")
        // A FIFO: no command may wait on it, --version included.
        let fifo = try folder("fifo")
        #expect(mkfifo("\(fifo)/runbook-team.yaml", 0o644) == 0)
        let version = try CLIRunner(directory: "\(fifo)/work").run(["--version"])
        #expect(version.status == 0)
        #expect(version.stderr.contains("it is not a regular file"))
        // Named with RUNBOOK_HOME: the caller's choice, but still only a regular file of bounded size.
        var named = CLIRunner(directory: base)
        named.environment["RUNBOOK_HOME"] = fifo
        let fifoHome = try named.run(["list"])
        #expect(fifoHome.status == 64)
        #expect(fifoHome.stderr == "runbook: error: cannot read \(fifo)/runbook-team.yaml: it is not a regular file\n")
        let zero = try folder("zero")
        try FileManager.default.createSymbolicLink(atPath: "\(zero)/runbook-team.yaml", withDestinationPath: "/dev/zero")
        named.environment["RUNBOOK_HOME"] = zero
        #expect(try named.run(["list"]).status == 64)
        let huge = try folder("huge")
        try Data(repeating: 0x23, count: 100_000).write(to: URL(fileURLWithPath: "\(huge)/runbook-team.yaml"))
        named.environment["RUNBOOK_HOME"] = huge
        let big = try named.run(["list"])
        #expect(big.status == 65)
        #expect(big.stderr == "runbook: error: cannot read \(huge)/runbook-team.yaml: it is larger than 64 KiB\n")
        let nul = try folder("nul")
        try Data("runbooks: x\0y\n".utf8).write(to: URL(fileURLWithPath: "\(nul)/runbook-team.yaml"))
        named.environment["RUNBOOK_HOME"] = nul
        #expect(try named.run(["list"]).status == 65)
        // A second name for a file (a hard link planted beside it) is not trusted.
        let hard = try folder("hard")
        try "# mine\n".write(toFile: "\(base)/mine.yaml", atomically: true, encoding: .utf8)
        #expect(Glibc.link("\(base)/mine.yaml", "\(hard)/runbook-team.yaml") == 0)
        #expect(try CLIRunner(directory: "\(hard)/work").run(["lint"]).stderr.contains("it has a second name (a hard link)"))
        guard getuid() == 0 else { return }
        // Another login's file shared through a group the caller is in (root's), which the settings do not name.
        let shared = try folder("shared")
        try "runbooks: /nonexistent/evil\n".write(toFile: "\(shared)/runbook-team.yaml", atomically: true, encoding: .utf8)
        #expect(chown("\(shared)/runbook-team.yaml", 65534, 0) == 0)
        let foreign = try CLIRunner(directory: "\(shared)/work").run(["lint"])
        #expect(foreign.stderr.contains("ignoring \(shared)/runbook-team.yaml: it belongs to uid 65534 or its group may write it, and it does not name the group root"),
                "\(foreign.stderr)")
        // Naming the group is not enough when the owner is not in it (a file given to the group through a setgid folder).
        try "runbooks: /nonexistent/evil\ngroup: root\n".write(toFile: "\(shared)/runbook-team.yaml", atomically: true, encoding: .utf8)
        #expect(chown("\(shared)/runbook-team.yaml", 65534, 0) == 0)
        let outsider = try CLIRunner(directory: "\(shared)/work").run(["lint"])
        #expect(outsider.stderr.contains("ignoring \(shared)/runbook-team.yaml: it belongs to uid 65534"), "\(outsider.stderr)")
    }

    @Test func initIsSafeAgainstRacesLinksAndHostileNames() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let cli = CLIRunner(directory: base)
        // Two at once into one folder: exactly one makes it, the other is refused and removes nothing of it.
        for round in 0..<5 {
            let target = "\(base)/race\(round)"
            let first = try cli.launch(["init", target])
            let second = try cli.launch(["init", target])
            first.waitUntilExit()
            second.waitUntilExit()
            #expect([first.terminationStatus, second.terminationStatus].sorted() == [0, 64], "round \(round)")
            #expect(try files(in: target) == ["incidents.db", "runbook-team.yaml", "runbooks"])
            #expect(try files(in: "\(target)/runbooks") == files(in: "\(repositoryRoot)/runbooks"))
            #expect(try CLIRunner(directory: target).run(["doctor"]).status == 0)
        }
        // A link where the database would go (even one pointing nowhere) is refused, not followed.
        try FileManager.default.createDirectory(atPath: "\(base)/linked", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: "\(base)/linked/incidents.db", withDestinationPath: "\(base)/outside.db")
        #expect(try cli.run(["init", "linked"]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: "\(base)/outside.db"))
        // --from copies regular files only: a link to a secret named x.yaml is named as skipped, not copied.
        try FileManager.default.createDirectory(atPath: "\(base)/source", withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: "\(repositoryRoot)/runbooks/security-incident.yaml", toPath: "\(base)/source/security-incident.yaml")
        try FileManager.default.createSymbolicLink(atPath: "\(base)/source/x.yaml", withDestinationPath: "/etc/hostname")
        let from = try cli.run(["init", "copied", "--from", "source"])
        #expect(from.status == 0, "\(from.stderr)")
        #expect(from.stdout.contains("not copied (only regular .yaml files are): x.yaml"))
        #expect(try files(in: "\(base)/copied/runbooks") == ["security-incident.yaml"])
        // Missing parents are made, and a hostile name is shown escaped.
        let hostile = try cli.run(["init", "a/b/\u{1B}]2;PWNED\u{07}"])
        #expect(hostile.status == 0, "\(hostile.stderr)")
        #expect(!hostile.stdout.contains("\u{1B}"))
        // Inside a team directory, init makes a new one from what it is given, not from the settings around it.
        try FileManager.default.createDirectory(atPath: "\(base)/copied/nested", withIntermediateDirectories: false)
        let nested = try CLIRunner(directory: "\(base)/copied/nested").run(["init"])
        #expect(nested.status == 0, "\(nested.stderr)")
        #expect(nested.stdout.contains("Made the team directory \(base)/copied/nested "))
    }

    @Test func doctorFlagsFilesAnyoneCouldChangeAndChangesNothing() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: "\(base)/open", withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: "\(base)/open")
        #expect(try CLIRunner(directory: base).run(["init", "open/team"]).status == 0)
        let team = "\(base)/open/team"
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: "\(team)/runbook-team.yaml")
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: "\(team)/runbooks/db-recovery.yaml")
        var cli = CLIRunner(directory: base)
        cli.environment["RUNBOOK_HOME"] = team
        let doctor = try cli.run(["doctor"])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  \(base)/open, above the team directory, is mode 0777 without the sticky bit"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("FAIL  \(team)/runbook-team.yaml is mode 0666: any login may change it"))
        #expect(doctor.stdout.contains("FAIL  \(team)/runbooks/db-recovery.yaml is mode 0666"))
        // A damaged database is named without being opened: no -wal or -shm appear. A FIFO lock does not hang it.
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: "\(team)/incidents.db"))
        #expect(mkfifo("\(team)/incidents.db.watch-lock", 0o600) == 0)
        let damaged = try cli.run(["doctor"])
        #expect(damaged.stdout.contains("FAIL  database \(team)/incidents.db does not open: not a SQLite database"))
        #expect(try files(in: team) == ["incidents.db", "incidents.db.watch-lock", "runbook-team.yaml", "runbooks"])
    }

    @Test func doctorJudgesALinkByWhereItLeads() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let fm = FileManager.default
        #expect(try CLIRunner(directory: base).run(["init", "team"]).status == 0)
        let team = "\(base)/team"
        var cli = CLIRunner(directory: base)
        cli.environment["RUNBOOK_HOME"] = team
        let before = try cli.run(["doctor"])
        #expect(!before.stdout.contains("FAIL"), "\(before.stdout)")

        // Folders under base with their modes; a file of the team directory moved to base and a link left in its place.
        func makeFolders(_ folders: KeyValuePairs<String, Int>) throws {
            for (folder, mode) in folders {
                try fm.createDirectory(atPath: "\(base)/\(folder)", withIntermediateDirectories: false)
                try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: "\(base)/\(folder)")
            }
        }
        func move(_ file: String, to place: String, mode: Int? = nil, linkText: String? = nil) throws {
            try fm.moveItem(atPath: "\(team)/\(file)", toPath: "\(base)/\(place)")
            if let mode { try fm.setAttributes([.posixPermissions: mode], ofItemAtPath: "\(base)/\(place)") }
            try fm.createSymbolicLink(atPath: "\(team)/\(file)", withDestinationPath: linkText ?? "\(base)/\(place)")
        }

        // A runbook linked from a folder any login may write to (they could put another file under its name), one linked
        // from a sticky folder to a file anyone may change, and the database kept elsewhere with a mode too open.
        try makeFolders(["open": 0o777, "sticky": 0o1777, "data": 0o700])
        try move("runbooks/db-backup.yaml", to: "open/db-backup.yaml")
        try move("runbooks/rollback.yaml", to: "open/rollback.yaml", linkText: "../../open/rollback.yaml")
        try move("runbooks/daily-check.yaml", to: "sticky/daily-check.yaml", mode: 0o666)
        try move("incidents.db", to: "data/incidents.db", mode: 0o644)
        let linked = try cli.run(["doctor"])
        #expect(linked.status == 1)
        let fails = linked.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.map(String.init)
        #expect(fails == [
            "FAIL  \(base)/sticky is mode 01777: any login may replace a runbook or the database in it; run `chmod o-w \(base)/sticky`",
            "FAIL  \(base)/sticky/daily-check.yaml is mode 0666: any login may change it, and with it the commands runbook runs; "
                + "run `chmod o-w \(base)/sticky/daily-check.yaml`",
            "FAIL  \(base)/open is mode 0777: any login may replace a runbook or the database in it; run `chmod o-w \(base)/open`",
            // The database is named where it is, as every command names it.
            "FAIL  \(base)/data/incidents.db is mode 0644, expected 0600 (incidents name people and systems): run `chmod 0600 \(base)/data/incidents.db`",
        ], "\(linked.stdout)")

        // Every link on the way counts: a link to a link kept in a folder under one any login may rename; a link to a
        // name still free in a sticky folder (lint fails it, and doctor names the folder where anyone may take the name);
        // a file runbook never reads (notes.md) is not judged.
        try makeFolders(["chain": 0o755, "wide": 0o777, "wide/final": 0o755, "free": 0o1777, "notes": 0o1777])
        try move("runbooks/evening-check.yaml", to: "wide/final/evening-check.yaml", linkText: "\(base)/chain/evening-check.yaml")
        try fm.createSymbolicLink(atPath: "\(base)/chain/evening-check.yaml", withDestinationPath: "../wide/final/evening-check.yaml")
        try fm.createSymbolicLink(atPath: "\(team)/runbooks/spare.yaml", withDestinationPath: "\(base)/free/spare.yaml")
        try "notes".write(toFile: "\(base)/notes/notes.md", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: "\(team)/runbooks/notes.md", withDestinationPath: "\(base)/notes/notes.md")
        let chained = try cli.run(["doctor"])
        #expect(chained.stdout.contains("FAIL  \(base)/wide, above \(base)/wide/final, is mode 0777 without the sticky bit: any login may rename "
                                        + "\(base)/wide/final and put another in its place"), "\(chained.stdout)")
        #expect(!chained.stdout.contains("FAIL  \(base)/chain"))
        #expect(chained.stdout.contains("FAIL  \(base)/free is mode 01777: any login may replace a runbook"))
        #expect(!chained.stdout.contains("\(base)/notes"))

        // A runbooks folder kept elsewhere (settings `runbooks:`) is walked up too: a folder above it that any login may
        // write to lets them put another folder in its place.
        try fm.removeItem(atPath: "\(team)/runbooks/spare.yaml")
        try fm.moveItem(atPath: "\(team)/runbooks", toPath: "\(base)/open/runbooks")
        try "runbooks: ../open/runbooks\n".write(toFile: "\(team)/runbook-team.yaml", atomically: false, encoding: .utf8)
        let elsewhere = try cli.run(["doctor"])
        let above = "FAIL  \(base)/open, above \(base)/open/runbooks, is mode 0777 without the sticky bit: any login may rename \(base)/open/runbooks"
        #expect(elsewhere.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("FAIL  \(base)/open") }.count == 1, "\(elsewhere.stdout)")
        #expect(elsewhere.stdout.contains(above))
    }

    @Test func doctorPassesAGoodTeamDirectoryAndFailsABrokenOne() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(try CLIRunner(directory: base).run(["init", "team"]).status == 0)
        let team = "\(base)/team"
        // Bind every approver, so the only warnings left are about the watcher.
        try """
            roster:
              kim: { roles: [oncall], logins: [kim] }
              lee: { roles: [oncall, dba], logins: [lee] }
              choi: { roles: [manager], logins: [choi] }
              cto: { roles: [cto], logins: [cto] }
            """.write(toFile: "\(team)/runbooks/roster.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(team)/runbooks/roster.yaml")
        let inside = CLIRunner(directory: team)
        let good = try inside.run(["doctor"])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let lines = good.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "ok    team directory \(team) (runbook-team.yaml)")
        #expect(lines.contains { $0.hasPrefix("ok    15 runbooks in \(team)/runbooks load and lint clean") })
        #expect(lines.contains("ok    database \(team)/incidents.db opens: 0 incidents, 0 open (`runbook verify` checks every hash)"))
        #expect(lines.contains("ok    every approver (4) is bound to a login"))
        #expect(lines.contains { $0.hasPrefix("warn  no watcher runs on \(team)/incidents.db") })
        #expect(lines.contains { $0.hasPrefix("warn  5 runbooks have schedules, but no `runbook watch` runs as a service") })
        #expect(lines.last == "0 problems, 2 warnings.")
        #expect(!lines.contains { $0.hasPrefix("FAIL") })

        // Broken: a world-readable database, a folder anyone may write to, a runbook that does not load.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(team)/incidents.db")
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: "\(team)/runbooks")
        try "id: security-incident\nstates: [\n".write(toFile: "\(team)/runbooks/security-incident.yaml", atomically: true, encoding: .utf8)
        let broken = try inside.run(["doctor"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("FAIL  \(team)/incidents.db is mode 0644, expected 0600 (incidents name people and systems): run `chmod 0600 \(team)/incidents.db`"))
        #expect(broken.stdout.contains("FAIL  \(team)/runbooks is mode 0777: any login may replace a runbook or the database in it"))
        #expect(broken.stdout.contains("FAIL  1 error in 1 file of the runbooks folder: see `runbook lint`"))
        #expect(broken.stdout.contains("3 problems, 2 warnings."))
        // It changed nothing.
        #expect(try modeAndGroup("\(team)/incidents.db").mode == 0o644)
        #expect(try modeAndGroup("\(team)/runbooks").mode == 0o777)

        // A damaged database.
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: "\(team)/incidents.db"))
        let damaged = try inside.run(["doctor"])
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("FAIL  database \(team)/incidents.db does not open: "), "\(damaged.stdout)")

        // Without a team directory it says so, and checks ./runbooks and ./incidents.db.
        let bare = try CLIRunner(directory: base).run(["doctor"])
        #expect(bare.stdout.hasPrefix("warn  no team directory here or above"))
        #expect(bare.stdout.contains("FAIL  runbooks holds no runbook") || bare.stdout.contains("FAIL  \(base)/runbooks holds no runbook"), "\(bare.stdout)")
        #expect(bare.status == 1)

        // In Korean under a Korean locale.
        var korean = inside
        korean.environment["LANG"] = "ko_KR.UTF-8"
        let 점검 = try korean.run(["doctor"])
        #expect(점검.stdout.contains("문제  데이터베이스 \(team)/incidents.db가 열리지 않습니다"), "\(점검.stdout)")
    }

    @Test func doctorSeesTheWatcherThatRunsAsAService() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(try CLIRunner(directory: base).run(["init", "team"]).status == 0)
        let team = "\(base)/team"
        // A watcher on the real clock would start a scheduled run whose slot has passed.
        try removeScheduledRunbooks(team)
        let inside = CLIRunner(directory: team)
        let watcher = try inside.launch(["watch"])
        defer {
            watcher.terminate()
            watcher.waitUntilExit()
        }
        // Waits for the watcher to take its lock (a start-up, not a deadline).
        var doctor = try inside.run(["doctor"])
        for _ in 0..<100 where doctor.stdout.contains("no watcher runs") {
            usleep(100_000)
            doctor = try inside.run(["doctor"])
        }
        #expect(doctor.stdout.contains("ok    a watcher runs as a service or in the foreground (pid \(watcher.processIdentifier), since "), "\(doctor.stdout)")
        #expect(!doctor.stdout.contains("have schedules"))
    }
}
