#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system login of this process, recorded on every event beside the declared actor (SPEC §3.1).
///
/// Read from the real user id (`getuid`, `getpwuid_r`), never from `USER` or `LOGNAME`, which anyone can set.
public enum OSLogin {
    /// The login name of the real user id, or `uid:N` when the password database has no entry for it.
    public static func current() -> String {
        name(of: getuid())
    }

    /// The login name of `uid`, or `uid:N` when the password database has no entry for it.
    public static func name(of uid: UInt32) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var size = max(Int(sysconf(Int32(_SC_GETPW_R_SIZE_MAX))), 1024)
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            // The strings of `entry` point into `buffer`: read the name while it is alive.
            let (status, login) = buffer.withUnsafeMutableBufferPointer { bytes -> (Int32, String?) in
                guard let base = bytes.baseAddress else { return (ENOMEM, nil) }
                let status = getpwuid_r(uid, &entry, base, bytes.count, &result)
                guard status == 0, result != nil, let name = entry.pw_name else { return (status, nil) }
                return (status, String(cString: name))
            }
            if status == ERANGE {
                size *= 2
                continue
            }
            if let login, !login.isEmpty { return login }
            break
        }
        return "uid:\(uid)"
    }
}
