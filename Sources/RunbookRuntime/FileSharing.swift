#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who may read the files runbook writes (SPEC §7): the database, its -wal and -shm, reports, page logs.
///
/// By default only their owner (0600): incidents name people and systems. On a shared host where each
/// responder has a login, `RUNBOOK_GROUP=ops` makes them 0660 and owned by that group, so the team shares
/// one database without sharing a login.
public struct FileSharing: Sendable, Equatable {
    /// The group that shares the files, if any.
    public var group: String?
    public var gid: UInt32?

    public static let privateFiles = FileSharing(group: nil, gid: nil)

    /// Files shared with `group` (`gid`: its id; nil when there is no such group on this host).
    public init(group: String?, gid: UInt32?) {
        self.group = group
        self.gid = gid
    }

    /// The mode of every file written.
    public var fileMode: UInt32 { gid == nil ? 0o600 : 0o660 }
    /// The mode of a folder created for files (reports): setgid for a group, so new files inherit it.
    public var directoryMode: UInt32 { gid == nil ? 0o700 : 0o2770 }

    /// The sharing the environment asks for: `RUNBOOK_GROUP`, else private.
    public static func fromEnvironment() throws(UserError) -> FileSharing {
        guard let value = getenv("RUNBOOK_GROUP").map({ String(cString: $0) }), !value.isEmpty else { return .privateFiles }
        guard let gid = groupID(value) else {
            throw UserError(.usage, "RUNBOOK_GROUP=\(value): no such group on this host; create it (groupadd \(value)) "
                            + "and add each responder's login to it, or unset RUNBOOK_GROUP")
        }
        return FileSharing(group: value, gid: gid)
    }

    /// Gives an existing `path` this sharing's mode (and group). Returns a one-line notice when it had to change
    /// something, nil when it was right or does not exist.
    @discardableResult
    public func secure(_ path: String) throws(UserError) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var changed: [String] = []
        if let gid, info.st_gid != gid {
            guard chown(path, uid_t.max, gid) == 0 else {
                throw UserError(.failed, "cannot give \(path) to the group \(group ?? "\(gid)"): \(FileIO.lastError()); "
                                + "check that you belong to it")
            }
            changed.append("group \(group ?? "\(gid)")")
        }
        let mode = info.st_mode & 0o7777
        if UInt32(mode) != fileMode {
            guard chmod(path, mode_t(fileMode)) == 0 else {
                throw UserError(.failed, "cannot make \(path) mode \(Self.octal(fileMode)): \(FileIO.lastError())")
            }
            changed.append("mode \(Self.octal(UInt32(mode))) → \(Self.octal(fileMode))")
        }
        guard !changed.isEmpty else { return nil }
        return "\(path): \(changed.joined(separator: ", ")) (incidents name people and systems; see RUNBOOK_GROUP to share with a team)"
    }

    /// Secures `path`, printing the notice on standard error.
    public func secureAndTell(_ path: String) throws(UserError) {
        if let notice = try secure(path) { FileIO.notice(notice) }
    }

    /// "0660".
    public static func octal(_ mode: UInt32) -> String {
        "0" + String(mode, radix: 8)
    }

    static func groupID(_ name: String) -> UInt32? {
        var entry = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getgrnam_r(name, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil else { return Int(name).flatMap { UInt32(exactly: $0) } }
        return entry.gr_gid
    }
}

extension FileIO {
    /// Prints `runbook: notice: TEXT` on standard error.
    public static func notice(_ text: String) {
        let line = "runbook: notice: \(text)\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
