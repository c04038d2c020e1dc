import ArgumentParser
import RunbookCore
import RunbookRuntime
#if canImport(Glibc)
import Glibc
#endif

extension RunbookCommand {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Make a team directory: the runbooks, roster, contacts and calendar, an empty database, and the settings that point every command at them.",
            discussion: """
                Makes DIR (default: $RUNBOOK_HOME, else the current directory) with runbook-team.yaml (the settings), \
                runbooks/ (copied from the runbooks installed with runbook, or --from DIR) and incidents.db (empty). Every \
                command run in DIR or below it, or anywhere with RUNBOOK_HOME=DIR, then uses that runbooks folder and \
                database without --runbooks or --db. A runbooks/ folder already in DIR (a git checkout of the team's \
                runbooks) is kept as it is.

                Files are private to you (0600, folders 0700). With --group G (or RUNBOOK_GROUP) they are mode 0660 and \
                owned by G, folders 2770, and the settings name G, so each responder acts under their own login and \
                every file runbook writes later is shared the same way.

                Refuses, changing nothing, a DIR that already holds runbook-team.yaml or incidents.db, a DIR another \
                login owns or that is a link, and, with a group, an existing DIR not already shared with that group (no \
                existing folder's mode is changed). Check the result with `runbook doctor`.

                Example: runbook init /srv/ops --group ops
                """)

        @Argument(help: ArgumentHelp("The team directory to make (default: $RUNBOOK_HOME, else the current directory).", valueName: "dir"),
                  completion: .directory)
        var directory: String?

        @Option(help: ArgumentHelp("The group that shares the files (default: $RUNBOOK_GROUP; none: files private to you).", valueName: "group"))
        var group: String?

        @Option(help: ArgumentHelp("Copy the runbooks from this folder instead of the ones installed with runbook.", valueName: "dir"),
                completion: .directory)
        var from: String?

        @Option(help: ArgumentHelp("Colour output: auto, always or never.", valueName: "when"))
        var color: ColorMode = .auto

        func run() async throws {
            let target = directory ?? environment("RUNBOOK_HOME") ?? "."
            let source: String
            if let from {
                source = FileIO.absolutePath(from)
            } else {
                let shipped = TeamSetup.shippedRunbooks(executable: FileIO.ownExecutable())
                guard let found = shipped.directory else { throw UserError(.usage, Message.team(.noShippedRunbooks(searched: shipped.searched))) }
                source = found
            }
            let (made, skipped) = try TeamSetup.make(directory: target, group: group ?? environment("RUNBOOK_GROUP"), source: source)
            let tty = TTY(mode: color)
            // Paths are the user's text: shown escaped (TTY.inline), like every other.
            let text = { (text: Message.TeamText) in TTY.inline(Message.team(text).text()) }
            out(tty.paint(text(.initMade(directory: made.directory, mode: FileSharing.octal(made.sharing.fileMode), group: made.sharing.group)), .bold))
            out("  " + text(.initSettings(directory: made.directory)))
            out("  " + (made.copied.map { text(.initRunbooksCopied(count: $0, source: source)) } ?? text(.initRunbooksKept(count: made.kept))))
            out("  " + text(.initDatabase))
            if !skipped.isEmpty { out("  " + text(.initSkipped(names: skipped))) }
            out("")
            out(Message.team(.initNext(directory: made.directory, group: made.sharing.group)).text().split(separator: "\n").map { TTY.inline($0) }.joined(separator: "\n"))
        }
    }

    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check a team directory: runbooks, database, file modes and group, the watcher, unbound approvers.",
            discussion: """
                Checks the team directory in force (RUNBOOK_HOME, else the nearest runbook-team.yaml at or above the \
                current directory; without one, ./runbooks and ./incidents.db, or --runbooks and --db): that the \
                runbooks, roster, contacts and calendar lint clean; that the database opens; that the files runbook \
                writes (the database, its -wal and -shm, the watcher's lock, status and log) are mode 0600, or 0660 and \
                owned by the team's group, and that the group exists and holds the logins of the roster; that no folder \
                is writable by every login; which watcher pages, and whether scheduled runbooks have one that stays up; \
                and that every approver binds a login (otherwise anyone can approve in their name). It changes nothing.

                Each line is ok, warn (will bite: fix it before an incident) or FAIL (broken now). \
                Exit status 0 with no FAIL line, 1 with one.
                """)

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            // A PostgreSQL database is named, not opened: its files and watcher are the database server's.
            // The team directory in force: start-up set RUNBOOK_HOME to the one it found (TeamHome.apply).
            var home: TeamHome?
            if let named = environment("RUNBOOK_HOME") { home = try TeamHome.locate(home: named, workingDirectory: "/") }
            let lint = try? Lint.check(RunbookLibrary(directory: global.runbooksPath), files: []).summary
            var sharing = FileSharing.privateFiles
            if let group = environment("RUNBOOK_GROUP") {
                sharing = (try? FileSharing.fromEnvironment()) ?? FileSharing(group: group, gid: nil)
            }
            let doctor = TeamDoctor(home: home, runbooksPath: FileIO.absolutePath(global.runbooksPath),
                                    databasePath: PostgresLocation.isPostgres(global.databasePath) ? global.databasePath : FileIO.absolutePath(global.databasePath),
                                    sharing: sharing, login: OSLogin.current(), isRoot: getuid() == 0)
            var checked = doctor
            checked.serverNamed = environment("RUNBOOK_SERVER") != nil
            let findings = checked.check(lint: lint)
            let tty = global.tty
            for finding in findings {
                let label = Message.team(.level(finding.level)).text()
                let padded = TextWidth.pad(label, to: 5) + " "
                let style: TTY.Style = switch finding.level {
                case .ok: .green
                case .warning: .yellow
                case .problem: .red
                }
                out(tty.paint(padded, style) + TTY.inline(Message.team(finding.text).text()))
            }
            let problems = findings.filter { $0.level == .problem }.count
            out(Message.team(.doctorSummary(problems: problems, warnings: findings.filter { $0.level == .warning }.count)).text())
            if problems > 0 { throw ExitCode(UserError.Kind.failed.rawValue) }
        }
    }
}
