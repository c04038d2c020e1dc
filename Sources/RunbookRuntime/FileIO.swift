#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RunbookCore

/// Small file-system helpers over the C library (fast start-up, no Foundation).
public enum FileIO {
    /// The regular file's bytes as UTF-8 text. A FIFO, socket or device is refused, not opened for reading: one left
    /// in a runbooks folder would otherwise hang every command that reads the folder.
    public static func read(_ path: String) throws(UserError) -> String {
        try read(path, streams: false)
    }

    /// The bytes of a file the user named, which may also be a pipe or a device (`runbook import <(…)`, `/dev/stdin`): for
    /// input read once by the command itself, never for a path that a background watcher reads again.
    public static func readStream(_ path: String) throws(UserError) -> String {
        try read(path, streams: true)
    }

    private static func read(_ path: String, streams: Bool) throws(UserError) -> String {
        // O_NONBLOCK: opening a FIFO without a writer returns at once, so that fstat can refuse it.
        let fd = open(path, O_RDONLY | O_CLOEXEC | (streams ? 0 : O_NONBLOCK))
        guard fd >= 0 else { throw UserError(.usage, .cannotRead(path: path, reason: lastError())) }
        defer { close(fd) }
        if !streams {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw UserError(.usage, .cannotRead(path: path, reason: lastError())) }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw UserError(.usage, .cannotRead(path: path, reason: "it is not a regular file"))
            }
            // Reads block again: a file system that honours O_NONBLOCK on regular files must not fail them with EAGAIN.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        }
        let bytes = try readAll(fd, path: path, limit: Int.max)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UserError(.data, .notUTF8(path))
        }
        return text
    }

    /// Everything `fd` holds, stopping once more than `limit` bytes were read.
    private static func readAll(_ fd: Int32, path: String, limit: Int) throws(UserError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw UserError(.usage, .cannotRead(path: path, reason: lastError()))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// The file's bytes, or nil when it cannot be read (small files only: at most 1 MiB).
    public static func readBytes(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return nil
    }

    /// Writes `text` to `path` atomically: a new temporary file beside it (never an existing one, never a
    /// link), given the sharing's mode and group, synced, then renamed over `path`. A failure leaves `path`
    /// as it was.
    public static func write(_ text: String, to path: String, sharing: FileSharing = .privateFiles) throws(UserError) {
        let temporary = "\(path).tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw UserError(.failed, .cannotWrite(path: path, reason: lastError())) }
        var ok = fchmod(fd, mode_t(sharing.fileMode)) == 0
        if ok, let gid = sharing.gid { ok = fchown(fd, uid_t.max, gid) == 0 }
        var text = text
        if ok {
            text.withUTF8 { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        ok = false
                        return
                    }
                    offset += written
                }
            }
        }
        ok = ok && fsync(fd) == 0
        let failure = errno
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let message = ok ? lastError() : String(cString: strerror(failure)).lowercased()
            unlink(temporary)
            let full = failure == ENOSPC || errno == ENOSPC
            throw UserError(.failed, full ? Message.diskFull(path: path) : .cannotWrite(path: path, reason: message))
        }
    }

    /// Whether two paths name the same file (same device and inode), following links; false if either is missing.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var first = stat()
        var second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    /// The names in a directory, sorted; nil when it cannot be read.
    public static func list(_ directory: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The path of this process's executable (`/proc/self/exe`); empty when it cannot be read.
    public static func ownExecutable() -> String {
        linkTarget("/proc/self/exe") ?? ""
    }

    /// What the link at `path` holds, as written (relative to the link's folder unless it starts with `/`); nil when
    /// `path` is not a link or cannot be read.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The folder that holds `path` as written, its last part not followed (`.` for a bare name, `/` for a top-level
    /// one); `directory(of:)` resolves links instead.
    public static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// The text of the last C library error.
    public static func lastError() -> String {
        String(cString: strerror(errno)).lowercased()
    }

    /// The last path component without its extension.
    public static func baseName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { return String(name[..<dot]) }
        return name
    }
}

extension FileIO {
    /// Creates a directory (and its parents) with `mode` (private by default: reports name people and systems).
    public static func makeDirectory(_ path: String, mode: UInt32 = 0o700) throws(UserError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/\(component)"
            if !isDirectory(current), mkdir(current, mode_t(mode)) != 0, errno != EEXIST {
                throw UserError(.failed, "cannot create the folder \(path): \(lastError())")
            }
        }
    }
}

extension FileIO {
    /// `name` in the directory that holds `path`: beside the database is where a team's relative files are (SPEC §6,
    /// never the working directory), and beside `runbook` is where `runbook-server` is installed.
    public static func sibling(_ name: String, of path: String) -> String {
        let folder = directory(of: path)
        return (folder == "/" ? "" : folder) + "/" + name
    }

    /// The absolute directory that holds `path`.
    public static func directory(of path: String) -> String {
        let absolute = absolutePath(path)
        let directory = absolute.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory.isEmpty ? "/" : directory
    }

    /// `path` as an absolute path with symbolic links resolved (`realpath`); a path that does not exist is
    /// joined to the working directory as written.
    public static func absolutePath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        let base = String(cString: cwd)
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return base == "/" ? "/\(relative)" : "\(base)/\(relative)"
    }
}

extension FileIO {
    /// The text of the regular file at `path`, read through one descriptor that is checked as it is read: never a FIFO,
    /// a device or a folder (which could hang or fill memory), never more than `limit` bytes, and, without
    /// `followLinks`, never through a symbolic link. Also its `stat`, taken on the open file (what was read, not what the
    /// path names a moment later).
    static func readRegular(_ path: String, limit: Int, followLinks: Bool) throws(UserError) -> (text: String, info: stat) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link" : lastError()
            throw UserError(.usage, .cannotRead(path: path, reason: reason))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw UserError(.usage, .cannotRead(path: path, reason: lastError())) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw UserError(.usage, .cannotRead(path: path, reason: "it is not a regular file")) }
        guard Int(info.st_size) <= limit else {
            throw UserError(.data, .cannotRead(path: path, reason: "it is larger than \(limit / 1024) KiB"))
        }
        let bytes = try readAll(fd, path: path, limit: limit)
        guard bytes.count <= limit else { throw UserError(.data, .cannotRead(path: path, reason: "it is larger than \(limit / 1024) KiB")) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw UserError(.data, .notUTF8(path)) }
        return (text, info)
    }
}
