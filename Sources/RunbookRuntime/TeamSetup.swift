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

    /// The largest runbook file copied.
    static let fileLimit = 4 << 20

    /// Makes the team directory `directory` from the runbooks in `source`, shared with `group` (nil: private files).
    /// `skipped` names the entries of `source` that were not copied (links, folders, FIFOs: only regular files are,
    /// read through one checked descriptor, so that a link swapped in cannot copy a secret).
    public static func make(directory: String, group: String?, source: String) throws(UserError) -> (made: Made, skipped: [String]) {
        // Everything is checked and read before anything is made.
        var sharing = FileSharing.privateFiles
        if let group {
            guard !group.isEmpty, let entry = getgrnam(group) ?? Int(group).flatMap({ UInt32(exactly: $0) }).flatMap({ getgrgid($0) }) else {
                throw UserError(.usage, Message.team(.noSuchGroup(group: group)))
            }
            let gid = entry.pointee.gr_gid
            var groups = [gid_t](repeating: 0, count: 256)
            let count = getgroups(Int32(groups.count), &groups)
            guard getuid() == 0 || getgid() == gid || (count > 0 && groups[0..<Int(count)].contains(gid)) else {
                throw UserError(.usage, Message.team(.notInGroup(group: group)))
            }
            // By name in the settings, even when given by number: the walk-up compares names.
            sharing = FileSharing(group: entry.pointee.gr_name.map { String(cString: $0) } ?? group, gid: gid)
        }
        var info = stat()
        // The folder as named must not be a link: init would write into, and judge, whatever it points at.
        var named = directory
        while named.count > 1, named.hasSuffix("/") { named.removeLast() }
        if lstat(named, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            throw UserError(.usage, Message.team(.notADirectory(path: named)))
        }
        let root = FileIO.absolutePath(directory)
        let existed = lstat(root, &info) == 0
        if existed, (info.st_mode & S_IFMT) != S_IFDIR { throw UserError(.usage, Message.team(.notADirectory(path: root))) }
        // A folder someone else owns could be emptied and refilled by them after init: it must be the caller's.
        if existed, info.st_uid != getuid() { throw UserError(.usage, Message.team(.notYours(path: root, uid: info.st_uid))) }
        // A folder that exists keeps its mode and group: with a group it must already let the group in.
        if existed, let gid = sharing.gid, let name = sharing.group, info.st_gid != gid || info.st_mode & 0o070 != 0o070 {
            throw UserError(.usage, Message.team(.folderNotShared(path: root, group: name)))
        }
        // lstat: a link (even one pointing nowhere) in the way is refused, never followed.
        for name in [TeamHome.settingsFile, "incidents.db", "incidents.db-wal", "incidents.db-shm", "incidents.db-journal"] where lstat(TeamHome.join(root, name), &info) == 0 {
            throw UserError(.usage, Message.team(.alreadyTeam(directory: root, file: name)))
        }
        let runbooks = TeamHome.join(root, "runbooks")
        var files: [(name: String, text: String)] = []
        var skipped: [String] = []
        // A runbooks folder already there is kept; a link there is refused, never followed.
        let keep = lstat(runbooks, &info) == 0
        if keep, (info.st_mode & S_IFMT) != S_IFDIR { throw UserError(.usage, Message.team(.notADirectory(path: runbooks))) }
        if !keep {
            for name in FileIO.list(source) ?? [] {
                let path = "\(source)/\(name)"
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"), lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                    skipped.append(name)
                    continue
                }
                files.append((name, try FileIO.readRegular(path, limit: fileLimit, followLinks: false).text))
            }
            let configuration = RunbookLibrary.configurationFiles
            guard files.contains(where: { !configuration.contains(FileIO.baseName($0.name)) }) else {
                throw UserError(.usage, Message.team(.sourceHasNoRunbooks(directory: source)))
            }
        }

        var made = Rollback()
        do throws(UserError) {
            // The missing folders up to it are made, and removed again on failure.
            var missing: [String] = []
            var folder = root
            while lstat(folder, &info) != 0, folder != "/" {
                missing.append(folder)
                folder = FileIO.directory(of: folder)
            }
            for path in missing.reversed() {
                try made.directory(path, mode: path == root ? 0o700 : 0o755)
            }
            // The settings are claimed first, exclusively: of two `init`s at once, the second is refused here, before
            // it makes or removes anything.
            let settings = TeamHome.join(root, TeamHome.settingsFile)
            let claim = open(settings, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard claim >= 0 else {
                if errno == EEXIST { throw UserError(.usage, Message.team(.alreadyTeam(directory: root, file: TeamHome.settingsFile))) }
                throw UserError(.failed, .cannotWrite(path: settings, reason: FileIO.lastError()))
            }
            close(claim)
            made.file(settings)
            // The team's folder gets the team's mode when it was made here; one that existed keeps its mode and group
            // (checked above when there is a group), so a failed init leaves it as it was.
            if missing.contains(root) { try share(root, sharing: sharing) }
            if !keep {
                try made.directory(runbooks, mode: 0o700)
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
            try FileIO.write(TeamHome.settingsText(group: sharing.group), to: settings, sharing: sharing)
            return (Made(directory: root, sharing: sharing, copied: keep ? nil : files.count,
                         kept: keep ? (FileIO.list(runbooks) ?? []).count : 0), skipped)
        } catch {
            made.undo()
            if case .usage = error.kind { throw error }
            throw UserError(error.kind, Message.team(.initFailed(path: root, reason: error.message)))
        }
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

        mutating func directory(_ path: String, mode: mode_t) throws(UserError) {
            if mkdir(path, mode) != 0 {
                // Made meanwhile by another `init` of this login: the claim of the settings decides which one goes on.
                var info = stat()
                if errno == EEXIST, lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid() { return }
                throw UserError(.failed, "cannot create the folder \(path): \(FileIO.lastError())")
            }
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
