#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Notifier {
    /// Appends `<subject> | <reason> | Acknowledge: <command>` and a line break to the file at `path`.
    ///
    /// The file is mode 0600 (0660 for `RUNBOOK_GROUP`), also when it existed before: notifications name
    /// people and systems. The line goes out in one `write` on a descriptor opened with `O_APPEND`, so lines
    /// from several processes do not interleave.
    func append(_ message: NotificationMessage, to path: String) -> DeliveryResult {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else {
            return .failure("not appended to \(path)", error: "cannot open \(path): \(FileIO.lastError())")
        }
        if let sharing = try? FileSharing.fromEnvironment() { _ = try? sharing.secure(path) }
        let written = Self.writeAll(message.logLine + "\n", to: descriptor)
        let reason = FileIO.lastError()
        let closed = close(descriptor) == 0
        guard written, closed else {
            return .failure("not appended to \(path)",
                            error: "cannot append to \(path): \(written ? FileIO.lastError() : reason)")
        }
        return .success("appended to \(path)")
    }
}
