#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary file only this user can read (mode 0600), holding the input of one delivery.
///
/// Commands and curl read it by a path passed in an environment variable, so no message text is ever
/// spliced into shell text. The owner removes it with `remove()` once the program has exited.
struct PrivateTemporaryFile {
    let path: String

    /// Creates the file in `$TMPDIR` (else `/tmp`) and writes `text` to it.
    init(containing text: String) throws(UserError) {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/runbook-notify-XXXXXX".utf8CString)
        // mkstemp creates the file with mode 0600 and a name nobody else can have taken.
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        // Close-on-exec, so a program started by another task does not inherit it (mkostemp is not imported).
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        guard descriptor >= 0 else {
            throw UserError(.failed, "cannot create a temporary file in \(directory): \(FileIO.lastError())")
        }
        let path = template.withUnsafeBufferPointer { buffer in
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let written = Notifier.writeAll(text, to: descriptor)
        let reason = FileIO.lastError()
        close(descriptor)
        guard written else {
            unlink(path)
            throw UserError(.failed, "cannot write a temporary file in \(directory): \(reason)")
        }
        self.path = path
    }

    /// Deletes the file.
    func remove() {
        unlink(path)
    }
}
