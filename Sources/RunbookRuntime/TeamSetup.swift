#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RunbookCore
import RunbookStore

/// `runbook init DIR [--group G]` (SPEC §7): makes a team directory, the settings file (`TeamHome`), the runbooks folder
/// with the shipped runbooks, roster, contacts and calendar, and an empty database, each with the mode and group of
/// `FileSharing`. It never overwrites: a directory that already holds settings or a database is refused, and a runbooks
/// folder already there (a git checkout of the team's runbooks) is kept as it is. A failure part way removes what
/// it made.
public enum TeamSetup {
    /// What was made.
    public struct Made: Sendable, Equatable {
        public var directory: String
        public var sharing: FileSharing
        /// The number of files copied into the runbooks folder; nil when a runbooks folder was there and kept.
        public var copied: Int?
        /// The number of files in the runbooks folder that was kept.
        public var kept: Int
    }

    /// The folder of runbooks installed with the executable at `executable`: `PREFIX/share/runbook/runbooks` beside
    /// `PREFIX/bin/runbook`, else, for a binary in a build tree (`.build/…/runbook`), the package's own `runbooks`.
    /// Nil with the places looked in when there is none.
    public static func shippedRunbooks(executable: String) -> (directory: String?, searched: [String]) {
        let bin = FileIO.directory(of: executable)
        let installed = FileIO.sibling("share/runbook/runbooks", of: bin)
        if FileIO.isDirectory(installed) { return (installed, [installed]) }
        var folder = bin
        for _ in 0..<4 {
            folder = FileIO.directory(of: folder)
            if FileIO.exists(FileIO.sibling("Package.swift", of: folder + "/x")), FileIO.isDirectory(folder + "/runbooks") {
                return (folder + "/runbooks", [installed])
            }
            if folder == "/" { break }
        }
        return (nil, [installed])
    }

    /// Makes the team directory `directory` from the runbooks in `source`, shared with `group` (nil: private files).
    public static func make(directory: String, group: String?, source: String) throws(UserError) -> Made {
        // Everything is checked and read before anything is made.
        var sharing = FileSharing.privateFiles
        if let group {
            guard let gid = FileSharing.groupID(group) else { throw UserError(.usage, Message.team(.noSuchGroup(group: group))) }
            sharing = FileSharing(group: group, gid: gid)
        }
        let root = FileIO.absolutePath(directory)
        let existed = FileIO.exists(root)
        if existed, !FileIO.isDirectory(root) { throw UserError(.usage, Message.team(.notADirectory(path: root))) }
        for name in [TeamHome.settingsFile, "incidents.db", "incidents.db-wal", "incidents.db-shm"] where FileIO.exists(TeamHome.join(root, name)) {
            throw UserError(.usage, Message.team(.alreadyTeam(directory: root, file: name)))
        }
        let runbooks = TeamHome.join(root, "runbooks")
        let keep = FileIO.exists(runbooks)
        if keep, !FileIO.isDirectory(runbooks) { throw UserError(.usage, Message.team(.notADirectory(path: runbooks))) }
        var files: [(name: String, text: String)] = []
        if !keep {
            for name in FileIO.list(source) ?? [] where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                let path = "\(source)/\(name)"
                guard let info = TeamDoctor.status(path), (info.st_mode & S_IFMT) == S_IFREG else { continue }
                files.append((name, try FileIO.read(path)))
            }
            let configuration = RunbookLibrary.configurationFiles
            guard files.contains(where: { !configuration.contains(FileIO.baseName($0.name)) }) else {
                throw UserError(.usage, Message.team(.sourceHasNoRunbooks(directory: source)))
            }
        }
        let emptyBefore = !existed || (FileIO.list(root) ?? []).isEmpty

        var made = Rollback()
        do throws(UserError) {
            if !existed {
                try FileIO.makeDirectory(FileIO.directory(of: root), mode: 0o755)
                try made.directory(root)
            }
            // A folder made here, or found empty, gets the team's mode; anything else (a home folder) is left alone.
            if emptyBefore { try share(root, sharing: sharing) }
            if !keep {
                try made.directory(runbooks)
                try share(runbooks, sharing: sharing)
                for file in files {
                    let path = "\(runbooks)/\(file.name)"
                    made.file(path)
                    try FileIO.write(file.text, to: path, sharing: sharing)
                }
            }
            let database = TeamHome.join(root, "incidents.db")
            made.file(database)
            made.file(database + "-wal")
            made.file(database + "-shm")
            do throws(StoreError) {
                _ = try SQLiteEventStore(path: database)
            } catch {
                throw IncidentService.userError(error, database: database)
            }
            for path in [database, database + "-wal", database + "-shm"] { try sharing.secure(path) }
            let settings = TeamHome.join(root, TeamHome.settingsFile)
            made.file(settings)
            try FileIO.write(TeamHome.settingsText(group: group), to: settings, sharing: sharing)
        } catch {
            made.undo()
            throw UserError(error.kind, Message.team(.initFailed(path: root, reason: error.message)))
        }
        return Made(directory: root, sharing: sharing, copied: keep ? nil : files.count,
                    kept: keep ? (FileIO.list(runbooks) ?? []).count : 0)
    }

    /// Gives the folder `path` the sharing's folder mode (0700, or 2770 and the group).
    static func share(_ path: String, sharing: FileSharing) throws(UserError) {
        if let gid = sharing.gid, chown(path, uid_t.max, gid) != 0 {
            throw UserError(.failed, "cannot give \(path) to the group \(sharing.group ?? "\(gid)"): \(FileIO.lastError()); check that you belong to it")
        }
        guard chmod(path, mode_t(sharing.directoryMode)) == 0 else {
            throw UserError(.failed, "cannot make \(path) mode \(FileSharing.octal(sharing.directoryMode)): \(FileIO.lastError())")
        }
    }

    /// What `make` created, undone in reverse order when a later step fails.
    struct Rollback {
        private var made: [(path: String, isDirectory: Bool)] = []

        mutating func directory(_ path: String) throws(UserError) {
            guard mkdir(path, 0o700) == 0 else { throw UserError(.failed, "cannot create the folder \(path): \(FileIO.lastError())") }
            made.append((path, true))
        }

        mutating func file(_ path: String) {
            made.append((path, false))
        }

        func undo() {
            for item in made.reversed() {
                if item.isDirectory { rmdir(item.path) } else { unlink(item.path) }
            }
        }
    }
}
