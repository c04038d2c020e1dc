#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RunbookCore

/// A team directory (SPEC §7): what `runbook init DIR` makes, found through `RUNBOOK_HOME=DIR` or, without it, as the
/// nearest directory at or above the working directory that holds the settings file (`runbook-team.yaml`).
///
/// The settings name the runbooks folder, the database and the group that shares the files; relative paths are
/// relative to the team directory. They are defaults only: `--runbooks`, `--db`, `RUNBOOK_PATH`, `RUNBOOK_DB` and
/// `RUNBOOK_GROUP` still win.
public struct TeamHome: Sendable, Equatable {
    /// The settings file's name.
    public static let settingsFile = "runbook-team.yaml"
    /// The environment variables `apply` sets.
    public static let variables = ["RUNBOOK_HOME", "RUNBOOK_PATH", "RUNBOOK_DB", "RUNBOOK_GROUP"]
    /// The keys a settings file may hold.
    static let keys = ["runbooks", "database", "group"]

    /// The team directory, absolute.
    public var directory: String
    /// The runbooks folder, absolute.
    public var runbooks: String
    /// The database: an absolute file path, or a PostgreSQL URL as written.
    public var database: String
    /// The group that shares the files (0660), if any.
    public var group: String?

    public init(directory: String, runbooks: String, database: String, group: String?) {
        self.directory = directory
        self.runbooks = runbooks
        self.database = database
        self.group = group
    }

    /// The settings file of this team directory.
    public var settingsPath: String { Self.join(directory, Self.settingsFile) }

    /// Reads the settings `text` of the team directory `directory` (absolute); `file` names it in errors.
    public static func parse(_ text: String, directory: String, file: String) throws(UserError) -> TeamHome {
        func problem(_ mark: SourceMark, _ path: String, _ message: String) -> UserError {
            UserError(.data, Diagnostic(file: file, mark: mark, path: path, message: message).headline)
        }
        if text.contains("\0") { throw UserError(.data, Diagnostic(file: file, mark: SourceMark(line: 1, column: 1), path: "", message: "holds a NUL byte; write the settings as plain text").headline) }
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            throw problem(error.mark, "", error.message)
        }
        var values: [String: String] = [:]
        if let root, !root.isNull {
            guard case .mapping(let pairs) = root.content else {
                throw problem(root.mark, "", "expected a mapping: `runbooks: runbooks`, `database: incidents.db`, `group: ops`")
            }
            for pair in pairs {
                let key = pair.key.scalar ?? ""
                guard keys.contains(key) else {
                    let hint = Suggestion.nearest(to: key, in: keys).map { "; did you mean `\($0)`?" } ?? "; expected `runbooks`, `database` and `group`"
                    throw problem(pair.key.mark, key, "unknown key `\(TextHygiene.escape(key))`\(hint)")
                }
                guard let value = pair.value.scalar, !value.trimmingWhitespace.isEmpty else {
                    throw problem(pair.value.mark, key, "expected a path or name as plain text")
                }
                if let refusal = TextHygiene.refusal(value, as: "a \(key) setting") {
                    throw problem(pair.value.mark, key, refusal)
                }
                values[key] = value
            }
        }
        let database = values["database"] ?? "incidents.db"
        return TeamHome(directory: directory, runbooks: resolve(values["runbooks"] ?? "runbooks", in: directory),
                        database: PostgresLocation.isPostgres(database) ? database : resolve(database, in: directory),
                        group: values["group"])
    }

    /// The settings text `runbook init` writes.
    public static func settingsText(group: String?) -> String {
        """
        # The settings of a runbook team directory (made by `runbook init`). Every runbook command run in this
        # directory or below it, or anywhere with RUNBOOK_HOME set to it, uses them. Paths are relative to this
        # directory; --runbooks, --db, RUNBOOK_PATH, RUNBOOK_DB and RUNBOOK_GROUP still override them.
        runbooks: runbooks
        database: incidents.db

        """ + (group.map { "# Files are mode 0660 and owned by this group, so each responder uses their own login.\ngroup: \($0)\n" } ?? "")
    }

    /// The largest settings file read (a few lines are expected).
    static let settingsLimit = 64 * 1024

    /// The team directory in force: `RUNBOOK_HOME` (`home`), which must hold the settings file, else the nearest
    /// directory at or above `workingDirectory` that holds one; nil when there is none.
    ///
    /// A settings file found, not named, is trusted only when another login cannot have put it there (one planted in
    /// /tmp must not choose the runbooks whose commands run as this login): a regular file with one name, not a link,
    /// not writable by every login, in a folder not writable by every login, owned by this login or root; one that
    /// another owner or the group may write is trusted only when the settings name that group (`group:`) and this
    /// login is in it (or is root). Otherwise it is ignored with a notice.
    public static func locate(home: String?, workingDirectory: String) throws(UserError) -> TeamHome? {
        if let home {
            let directory = FileIO.absolutePath(home)
            let path = join(directory, settingsFile)
            var info = stat()
            // A file there that this login may not read (a team directory of a group it is not in) is read to say so.
            guard stat(path, &info) == 0 || errno == EACCES else { throw UserError(.usage, Message.team(.homeWithoutSettings(home: home))) }
            return try parse(FileIO.readRegular(path, limit: settingsLimit, followLinks: true).text, directory: directory, file: path)
        }
        var directory = workingDirectory
        while true {
            let path = join(directory, settingsFile)
            var info = stat()
            if lstat(path, &info) == 0 {
                if let reason = distrust(info) { return ignoring(path, reason) }
                var folder = stat()
                if stat(directory, &folder) != 0 || folder.st_mode & 0o002 != 0 { return ignoring(path, .openFolder) }
                // Written by someone else (another owner, or the group): trusted only when the group is named.
                let shared = (info.st_uid != 0 && info.st_uid != getuid()) || info.st_mode & 0o020 != 0
                let found: TeamHome
                do throws(UserError) {
                    let (read, opened) = try FileIO.readRegular(path, limit: settingsLimit, followLinks: false)
                    // The file read must be the file checked.
                    guard opened.st_ino == info.st_ino, opened.st_dev == info.st_dev else { return ignoring(path, .notRegular) }
                    if let reason = distrust(opened) { return ignoring(path, reason) }
                    found = try parse(read, directory: FileIO.absolutePath(directory), file: path)
                } catch {
                    // Another login's unreadable or broken file is theirs, not this command's error.
                    if shared { return ignoring(path, .unreadableShared(uid: info.st_uid)) }
                    throw error
                }
                if shared {
                    let group = TeamDoctor.groupName(info.st_gid)
                    // The owner must belong to the group too: a file given to a group of the caller by someone outside
                    // it (through a setgid folder) is not the group's.
                    let ownerInGroup = info.st_uid == 0 || info.st_uid == getuid()
                        || (ownerLogin(info.st_uid).map { (TeamDoctor.members(of: group) ?? []).contains($0) } ?? false)
                    guard found.group == group, ownerInGroup else { return ignoring(path, .foreignGroup(uid: info.st_uid, group: group)) }
                }
                return found
            }
            guard directory != "/", let slash = directory.lastIndex(of: "/") else { return nil }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        }
    }

    /// The login name of `uid`, nil when it has none.
    static func ownerLogin(_ uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 1 << 14)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }

    static func ignoring(_ path: String, _ reason: Message.SettingsDistrust) -> TeamHome? {
        FileIO.notice(Message.team(.settingsIgnored(path: TextHygiene.escape(path), reason: reason)).text())
        return nil
    }

    /// Locates the team directory (`locate`) and makes its settings this process's defaults, for what it starts too
    /// (a background watcher, the server binary, command steps): `RUNBOOK_PATH`, `RUNBOOK_DB` and `RUNBOOK_GROUP`
    /// where they are unset, and `RUNBOOK_HOME`. Nil, and nothing set, when there is no team directory.
    @discardableResult
    public static func apply() throws(UserError) -> TeamHome? {
        guard let cwd = getcwd(nil, 0) else { return try locate(home: environmentValue("RUNBOOK_HOME"), workingDirectory: "/") }
        let workingDirectory = String(cString: cwd)
        free(cwd)
        guard let home = try locate(home: environmentValue("RUNBOOK_HOME"), workingDirectory: workingDirectory) else { return nil }
        setenv("RUNBOOK_HOME", home.directory, 1)
        if environmentValue("RUNBOOK_PATH") == nil { setenv("RUNBOOK_PATH", home.runbooks, 1) }
        if environmentValue("RUNBOOK_DB") == nil { setenv("RUNBOOK_DB", home.database, 1) }
        if environmentValue("RUNBOOK_GROUP") == nil, let group = home.group { setenv("RUNBOOK_GROUP", group, 1) }
        return home
    }

    /// Why a settings file found by walking up (`info`, from lstat or the open file) cannot be trusted before it is
    /// read, nil when it may be: not a regular file (a link, a FIFO), writable by every login, or owned by another login
    /// through a group this login is not in.
    static func distrust(_ info: stat) -> Message.SettingsDistrust? {
        if (info.st_mode & S_IFMT) != S_IFREG { return .notRegular }
        // A second name (a hard link in /tmp to a team's group-writable file) would let its writers plant it.
        if info.st_nlink != 1 { return .linked }
        if info.st_mode & 0o002 != 0 { return .writableByAnyone }
        if info.st_uid == 0 || info.st_uid == getuid() { return nil }
        var groups = [gid_t](repeating: 0, count: 256)
        let count = getgroups(Int32(groups.count), &groups)
        if info.st_gid == getgid() || (count > 0 && groups[0..<Int(count)].contains(info.st_gid)) { return nil }
        return .foreignOwner(uid: info.st_uid)
    }

    static func resolve(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : join(directory, path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/\(name)" : "\(directory)/\(name)"
    }
}
