#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Delivers messages through channels. Never throws: every failure is a `DeliveryResult`.
///
/// Each channel is one attempt with its own timeout; retrying with backoff, and recording each attempt, is
/// the caller's job. Commands and webhooks run through `CommandRunner`, so a hung program or server is
/// killed at the channel's timeout, with its whole process group.
///
/// A text field of the message longer than `fieldLimit` bytes of UTF-8 is cut, ending in `…`, before any
/// channel sees it: commands and webhooks receive the message through environment variables, which Linux
/// limits to 128 KiB each.
public struct Notifier: Sendable {
    /// The most UTF-8 bytes of one text field of a message that a channel receives.
    static let fieldLimit = 4_096

    let runner: CommandRunner
    /// The curl program webhooks are sent with: a name looked up in `PATH`, or a path.
    let curl: String
    /// Writes the text of a `stdout` channel; returns false when the write failed.
    let standardOutput: @Sendable (String) -> Bool

    public init(runner: CommandRunner = CommandRunner()) {
        self.init(runner: runner, curl: "curl", standardOutput: Self.writeToStandardOutput)
    }

    /// A notifier with another curl program or another standard output, for tests.
    init(runner: CommandRunner, curl: String, standardOutput: @escaping @Sendable (String) -> Bool) {
        self.runner = runner
        self.curl = curl
        self.standardOutput = standardOutput
    }

    /// Sends `message` through `channel` once and says how it went.
    public func deliver(_ message: NotificationMessage, via channel: NotificationChannel) async -> DeliveryResult {
        let message = message.bounded(toBytes: Self.fieldLimit)
        switch channel {
        case .file(let path):
            return append(message, to: path)
        case .command(let command, let timeout):
            return await run(command, with: message, timeout: timeout)
        case .webhook(let url, let timeout):
            return await post(message, to: url, timeout: timeout)
        case .stdout:
            return standardOutput(message.text + "\n")
                ? .success("printed to standard output")
                : .failure("not printed", error: "cannot write to standard output: \(FileIO.lastError())")
        }
    }

    /// Writes `text` to file descriptor 1, after whatever `print` still holds in its buffer.
    @Sendable static func writeToStandardOutput(_ text: String) -> Bool {
        fflush(nil)
        return writeAll(text, to: STDOUT_FILENO)
    }

    /// Writes all of `text` to `descriptor`, retrying after interruptions and short writes.
    static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// The first non-empty line of `output`, trimmed and cut to 200 characters; nil when there is none.
    static func firstLine(of output: String) -> String? {
        let line = output.split(whereSeparator: \.isNewline)
            .map { $0.trimmingWhitespace() }
            .first { !$0.isEmpty }
        guard let line else { return nil }
        return line.count > 200 ? String(line.prefix(200)) + "…" : String(line)
    }
}

extension Substring {
    /// The text without leading and trailing whitespace.
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
