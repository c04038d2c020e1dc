#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import RunbookCore
import RunbookStore

/// `runbook doctor` (SPEC §7): checks a team directory and says, line by line, what is right, what will bite (a
/// warning) and what is broken now (a problem, exit 1): the runbooks, the database, the modes and group of the files
/// runbook writes, the watcher, and approvers whose identity is not bound to a login. It reads; it changes nothing.
public struct TeamDoctor {
    public struct Finding: Sendable, Equatable {
        public var level: Message.DoctorLevel
        public var text: Message.TeamText

        public init(_ level: Message.DoctorLevel, _ text: Message.TeamText) {
            self.level = level
            self.text = text
        }
    }

    /// What `runbook lint` found in the runbooks folder (with the roster, contacts, calendar and alerts).
    public struct LintSummary: Sendable, Equatable {
        public var runbooks: Int
        public var errors: Int
        public var badFiles: Int

        public init(runbooks: Int, errors: Int, badFiles: Int) {
            self.runbooks = runbooks
            self.errors = errors
            self.badFiles = badFiles
        }
    }

    public var home: TeamHome?
    public var runbooksPath: String
    public var databasePath: String
    public var sharing: FileSharing
    /// The login running the check (real user id), and whether it is root (who needs no group to write).
    public var login: String
    public var isRoot: Bool
    /// Whether RUNBOOK_SERVER names a team server (the incident commands then work through it).
    public var serverNamed = false

    public init(home: TeamHome?, runbooksPath: String, databasePath: String, sharing: FileSharing, login: String, isRoot: Bool) {
        self.home = home
        self.runbooksPath = runbooksPath
        self.databasePath = databasePath
        self.sharing = sharing
        self.login = login
        self.isRoot = isRoot
    }

    /// Every finding, in the order they print.
    public func check(lint: LintSummary?) -> [Finding] {
        var findings: [Finding] = []
        if let home {
            findings.append(Finding(.ok, .doctorHome(directory: home.directory)))
        } else {
            findings.append(Finding(.warning, .doctorNoHome(runbooks: runbooksPath, database: databasePath)))
        }
        findings += runbooks(lint)
        let onPostgres = PostgresLocation.isPostgres(databasePath)
        if onPostgres {
            // Fine for a team server; the incident commands on this host refuse it (unless through RUNBOOK_SERVER).
            findings.append(Finding(serverNamed ? .ok : .warning, .doctorDatabasePostgres(database: PostgresLocation.display(databasePath))))
        } else {
            findings += database()
            findings += sharedGroup()
            findings += files()
            findings += watcher()
        }
        findings += approvers()
        return findings
    }

    // MARK: - The checks

    func runbooks(_ lint: LintSummary?) -> [Finding] {
        guard let lint else { return [Finding(.problem, .doctorNoRunbooks(directory: runbooksPath))] }
        if lint.runbooks == 0 { return [Finding(.problem, .doctorNoRunbooks(directory: runbooksPath))] }
        if lint.errors > 0 { return [Finding(.problem, .doctorLintErrors(errors: lint.errors, files: lint.badFiles))] }
        return [Finding(.ok, .doctorRunbooks(count: lint.runbooks, directory: runbooksPath))]
    }

    func database() -> [Finding] {
        guard FileIO.exists(databasePath) else { return [Finding(.warning, .doctorNoDatabase(path: databasePath))] }
        // Not a SQLite file: said without opening it (an open would leave -wal and -shm beside it).
        guard Self.prefix(databasePath) == Array("SQLite format 3\0".utf8) else {
            return [Finding(.problem, .doctorDatabaseBroken(path: databasePath, reason: "not a SQLite database (its first bytes are not \"SQLite format 3\")"))]
        }
        do throws(StoreError) {
            let store = try SQLiteEventStore(path: databasePath, readOnly: true)
            let incidents = try store.incidents(statuses: nil)
            let open = incidents.filter { $0.projection.status != "closed" }.count
            return [Finding(.ok, .doctorDatabase(path: databasePath, incidents: incidents.count, open: open))]
        } catch {
            return [Finding(.problem, .doctorDatabaseBroken(path: databasePath, reason: IncidentService.userError(error, database: nil).message))]
        }
    }

    /// The group that shares the files: it exists, has members, holds the caller and every login the roster binds.
    func sharedGroup() -> [Finding] {
        guard let name = sharing.group else { return [Finding(.ok, .doctorPrivate(login: login))] }
        guard let members = Self.members(of: name) else { return [Finding(.problem, .doctorGroupMissing(group: name))] }
        var findings: [Finding] = []
        if members.isEmpty {
            findings.append(Finding(.warning, .doctorGroupEmpty(group: name)))
        } else {
            findings.append(Finding(.ok, .doctorGroup(group: name, members: members)))
        }
        if !isRoot, !members.contains(login) {
            findings.append(Finding(.problem, .doctorNotInGroup(login: login, group: name)))
        }
        if let roster = try? Roster.load(directory: runbooksPath) {
            for person in roster.bindings.keys.sorted() {
                for login in roster.bindings[person] ?? [] where !members.contains(login) {
                    findings.append(Finding(.warning, .doctorLoginNotInGroup(person: person, login: login, group: name)))
                }
            }
        }
        return findings
    }

    /// The folders (the database's and the runbooks') and the files runbook writes beside the database.
    func files() -> [Finding] {
        var findings: [Finding] = []
        let databaseDirectory = FileIO.directory(of: databasePath)
        let folders = Self.unique([home?.directory, databaseDirectory, FileIO.absolutePath(runbooksPath)].compactMap { $0 })
        for directory in folders {
            guard let info = Self.status(directory) else { continue }
            let mode = UInt32(info.st_mode) & 0o7777
            // Even with the sticky bit: anyone could add a runbook or a file the watcher reads.
            if mode & 0o002 != 0 {
                findings.append(Finding(.problem, .doctorDirectoryOpen(path: directory, mode: FileSharing.octal(mode))))
            }
            guard directory == databaseDirectory, let gid = sharing.gid, let group = sharing.group else { continue }
            if info.st_gid != gid || mode & 0o070 != 0o070 {
                findings.append(Finding(.problem, .doctorDirectoryNotShared(path: directory, group: group)))
            } else if mode & 0o2000 == 0 {
                findings.append(Finding(.warning, .doctorNoSetgid(path: directory, group: group)))
            }
        }
        // Above the team directory: a folder any login may write to (without the sticky bit of /tmp) lets them swap it.
        // The same holds above a runbooks folder kept elsewhere, and above where a runbook's link leads.
        var walked = Set(folders), reported: Set<String> = []
        func walkUp(from start: String, team: Bool) {
            var above = start
            while above != "/" {
                above = FileIO.directory(of: above)
                guard walked.insert(above).inserted else { continue }
                guard let info = Self.status(above), (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                let mode = UInt32(info.st_mode) & 0o7777
                guard mode & 0o002 != 0, mode & 0o1000 == 0 else { continue }
                reported.insert(above)
                findings.append(Finding(.problem, team ? .doctorParentOpen(path: above, mode: FileSharing.octal(mode))
                                                       : .doctorFolderAboveOpen(path: above, mode: FileSharing.octal(mode), below: start)))
            }
        }
        walkUp(from: home?.directory ?? databaseDirectory, team: true)
        walkUp(from: FileIO.absolutePath(runbooksPath), team: false)
        // The files that decide what runbook runs: the settings, the runbooks and the folder's configuration files. A link
        // among them is judged by the file it leads to, and by the folder of every link on the way: whoever may write
        // there may put another file under the name read (even with the sticky bit, when the name is free).
        let runbookFiles = (FileIO.list(runbooksPath) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { "\(runbooksPath)/\($0)" }
        var judgedFolders = Set(folders)
        for path in [home?.settingsPath].compactMap({ $0 }) + runbookFiles {
            let chain = Self.linkChain(path)
            for hop in chain.dropFirst() {
                let folder = FileIO.parent(of: hop)
                guard judgedFolders.insert(folder).inserted, !reported.contains(folder) else { continue }
                if let info = Self.followedStatus(folder), (info.st_mode & S_IFMT) == S_IFDIR, info.st_mode & 0o002 != 0 {
                    findings.append(Finding(.problem, .doctorDirectoryOpen(path: folder, mode: FileSharing.octal(UInt32(info.st_mode) & 0o7777))))
                }
                walkUp(from: folder, team: false)
            }
            let file = chain.last ?? path
            guard let info = Self.status(file), (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o002 != 0 else { continue }
            findings.append(Finding(.problem, .doctorFileOpen(path: file, mode: FileSharing.octal(UInt32(info.st_mode) & 0o7777))))
        }
        // A group that does not exist is the problem said above; the modes cannot be judged without it.
        if sharing.group != nil, sharing.gid == nil { return findings }
        var right = 0
        let written = [databasePath, "\(databasePath)-wal", "\(databasePath)-shm", "\(databasePath).watch-lock", "\(databasePath).watch-status", "\(databasePath).deliver-lock",
                       FileIO.sibling("watch.log", of: databasePath), FileIO.sibling("drill-notifications.log", of: databasePath)]
        for path in written {
            // A link (the database kept on another volume) is judged by the file it leads to, which is what SQLite opens.
            guard let info = Self.followedStatus(path), (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let mode = UInt32(info.st_mode) & 0o7777
            var fine = true
            if mode != sharing.fileMode {
                findings.append(Finding(.problem, .doctorFileMode(path: path, mode: FileSharing.octal(mode), expected: FileSharing.octal(sharing.fileMode))))
                fine = false
            }
            if let gid = sharing.gid, let group = sharing.group, info.st_gid != gid {
                findings.append(Finding(.problem, .doctorFileGroup(path: path, group: Self.groupName(info.st_gid), expected: group)))
                fine = false
            }
            if fine { right += 1 }
        }
        if right > 0 {
            findings.append(Finding(.ok, .doctorFilesRight(count: right, mode: FileSharing.octal(sharing.fileMode), group: sharing.group)))
        }
        return findings
    }

    /// Which watcher pages for the database, and whether scheduled runbooks have one that stays up.
    func watcher() -> [Finding] {
        var findings: [Finding] = []
        let running = WatchLock.isHeld(databasePath: databasePath) ? WatchStatus.current(databasePath: databasePath) : nil
        if let running {
            findings.append(Finding(.ok, .doctorWatcher(pid: running.pid, background: running.background, since: LocalTime.full(running.since))))
        } else {
            findings.append(Finding(.warning, .doctorNoWatcher(database: databasePath)))
        }
        let scheduled = ScheduledRuns.load(RunbookLibrary(directory: runbooksPath)).runbooks.count
        if scheduled > 0, running.map({ $0.background }) ?? true {
            findings.append(Finding(.warning, .doctorSchedulesNeedService(count: scheduled)))
        }
        return findings
    }

    /// Roster people who hold a role that approves a step in some runbook but bind no login (SPEC §3.1).
    func approvers() -> [Finding] {
        guard let roster = try? Roster.load(directory: runbooksPath) else { return [] }
        var approving: Set<String> = []
        let library = RunbookLibrary(directory: runbooksPath)
        for file in (try? library.files()) ?? [] {
            guard let text = try? FileIO.read(file), let loaded = try? RunbookLibrary.load(text: text, file: file) else { continue }
            for state in loaded.runbook.states {
                for step in state.steps {
                    if let approval = step.approval { approving.insert(approval.role) }
                }
            }
        }
        var findings: [Finding] = []
        var bound = 0
        for person in roster.roles.keys.sorted() {
            let roles = roster.roles(of: person).filter(approving.contains)
            guard !roles.isEmpty else { continue }
            if (roster.logins(of: person) ?? []).isEmpty {
                findings.append(Finding(.warning, .doctorUnboundApprover(person: person, roles: roles)))
            } else {
                bound += 1
            }
        }
        if findings.isEmpty, bound > 0 { findings.append(Finding(.ok, .doctorApproversBound(count: bound))) }
        return findings
    }

    // MARK: - The host

    /// The file at `path` itself (a link as a link).
    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// `path` and, while it is a link, each path it leads to in turn, every one with its folder's links resolved: the last
    /// is the file read, which may not exist (a link that leads nowhere yet). At most 40 links, as the kernel follows.
    static func linkChain(_ path: String) -> [String] {
        var chain = [path]
        var current = path
        while chain.count <= 40, let info = status(current), (info.st_mode & S_IFMT) == S_IFLNK {
            guard let target = FileIO.linkTarget(current) else { break }
            let joined = target.hasPrefix("/") ? target : "\(FileIO.absolutePath(FileIO.parent(of: current)))/\(target)"
            let name = joined.split(separator: "/").last.map(String.init) ?? ""
            let folder = FileIO.absolutePath(FileIO.parent(of: joined))
            current = folder == "/" ? "/\(name)" : "\(folder)/\(name)"
            chain.append(current)
        }
        return chain
    }

    /// The file `path` leads to (nil for a link that leads nowhere).
    static func followedStatus(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// The first 16 bytes of a file (nil when it has fewer or cannot be read; a FIFO is not waited for).
    static func prefix(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 16) }
        return count == 16 ? bytes : nil
    }

    static func unique(_ paths: [String]) -> [String] {
        var seen: Set<String> = []
        return paths.filter { seen.insert($0).inserted }
    }

    /// The logins in group `name`: its listed members and the logins whose primary group it is; nil when there is no
    /// such group.
    static func members(of name: String) -> [String]? {
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 1 << 16)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        var members: [String] = []
        if var pointer = entry.gr_mem {
            while let member = pointer.pointee {
                members.append(String(cString: member))
                pointer += 1
            }
        }
        let gid = entry.gr_gid
        setpwent()
        while let user = getpwent() {
            if user.pointee.pw_gid == gid, let login = user.pointee.pw_name.map({ String(cString: $0) }), !members.contains(login) {
                members.append(login)
            }
        }
        endpwent()
        return members
    }

    static func groupName(_ gid: gid_t) -> String {
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 1 << 16)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name else { return "\(gid)" }
        return String(cString: name)
    }
}
