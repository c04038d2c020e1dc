#if canImport(Glibc)
import Glibc
#endif
@testable import RunbookRuntime
import Synchronization
import Testing

@Suite struct NotificationFileChannelTests {
    @Test func appendsOneLinePerNotificationToAPrivateFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notifications.log")
        let notifier = Notifier()
        var second = NotificationFixtures.message
        second.tier = 3
        second.role = "cto"
        second.drill = true

        let first = await notifier.deliver(NotificationFixtures.message, via: .file(path: path))
        let next = await notifier.deliver(second, via: .file(path: path))

        #expect(first == DeliveryResult(succeeded: true, detail: "appended to \(path)", error: nil))
        #expect(next.succeeded)
        #expect(directory.text("notifications.log") == """
            [SEV1] INC-20261126-0001 tier 2: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m \
            | stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m | Acknowledge: runbook ack INC-20261126-0001
            [DRILL] [SEV1] INC-20261126-0001 tier 3: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m \
            | stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m | Acknowledge: runbook ack INC-20261126-0001

            """)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func anUnwritablePathIsAFailedResult() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("missing/notifications.log")

        let result = await Notifier().deliver(NotificationFixtures.message, via: .file(path: path))

        #expect(result == DeliveryResult(succeeded: false, detail: "not appended to \(path)",
                                         error: "cannot open \(path): no such file or directory"))
    }

    @Test func stdoutPrintsTheText() async {
        let printed = PrintedText()
        let notifier = Notifier(runner: CommandRunner(), curl: "curl") { text in
            printed.lines.withLock { $0.append(text) }
            return true
        }

        let result = await notifier.deliver(NotificationFixtures.message, via: .stdout)

        #expect(result == DeliveryResult(succeeded: true, detail: "printed to standard output", error: nil))
        #expect(printed.lines.withLock { $0 } == [NotificationFixtures.message.text + "\n"])
    }
}

/// What a test's standard output received.
private final class PrintedText: Sendable {
    let lines = Mutex<[String]>([])
}
