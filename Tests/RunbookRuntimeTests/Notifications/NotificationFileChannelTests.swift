#if canImport(Glibc)
import Glibc
#endif
import RunbookCore
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
            [SEV1] INC-20261126-0001 tier 2 → manager: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m \
            | Acknowledge: runbook ack INC-20261126-0001
            [DRILL] [SEV1] INC-20261126-0001 tier 3 → cto: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m \
            | Acknowledge: runbook ack INC-20261126-0001

            """)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func aHostileTitleOrReasonCannotSplitTheLineOrReachATerminal() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notifications.log")
        var message = NotificationFixtures.message
        message.title = "down\n[SEV1] INC-20261126-0002 tier 1: forged \u{1B}[2J"
        message.reason = "ack now\r\nINC-20261126-0003\u{07}\u{202E}"
        message.stage = "격리\u{9B}"

        #expect(await Notifier().deliver(message, via: .file(path: path)).succeeded)
        let written = directory.text("notifications.log") ?? ""
        #expect(written.split(separator: "\n").count == 1, "one page, one line")
        #expect(written.hasSuffix("\n"))
        #expect(written == """
            [SEV1] INC-20261126-0001 tier 2 → manager: ack now INC-20261126-0003\\x07\\u{202E} \
            | Acknowledge: runbook ack INC-20261126-0001

            """)
        // Every text a channel sends is free of control characters: the body (stdin, webhook, stdout), the
        // environment of a command channel and the webhook's fields.
        func clean(_ text: String) -> Bool { !text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x202E } }
        #expect(clean(message.text))
        #expect(message.text.contains("Incident:  INC-20261126-0001 down [SEV1] INC-20261126-0002 tier 1: forged \\e[2J"))
        #expect(message.environment.values.allSatisfy { !$0.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x1B } })
        #expect(message.environment["RUNBOOK_TITLE"] == "down [SEV1] INC-20261126-0002 tier 1: forged \\e[2J")
        #expect(message.environment["RUNBOOK_STAGE"] == "격리\\u{009B}")
        #expect(message.webhookPayload["title"] == .string("down [SEV1] INC-20261126-0002 tier 1: forged \\e[2J"))
        guard case .string(let body)? = message.webhookPayload["text"] else {
            Issue.record("the webhook payload has no text")
            return
        }
        #expect(clean(body))
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
