import RunbookRuntime
import Testing

@Suite struct NotificationCommandChannelTests {
    /// A runner that kills a timed-out command quickly, so timeout tests stay short.
    let notifier = Notifier(runner: CommandRunner(killGrace: .milliseconds(100)))

    @Test func commandReceivesTheMessageOnStandardInputAndInTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let out = directory.path
        let command = """
            cat > '\(out)/stdin'
            printf '%s' "$RUNBOOK_MESSAGE" > '\(out)/message'
            printf '%s\\n' "$RUNBOOK_INCIDENT" "$RUNBOOK_RUNBOOK" "$RUNBOOK_TITLE" "$RUNBOOK_SEVERITY" \
              "$RUNBOOK_STAGE" "$RUNBOOK_ROLE" "$RUNBOOK_TIER" "$RUNBOOK_ROUND" "$RUNBOOK_REASON" \
              "$RUNBOOK_SUBJECT" "$RUNBOOK_ACK_COMMAND" "$RUNBOOK_DRILL" > '\(out)/env'
            """
        let message = NotificationFixtures.message

        let result = await notifier.deliver(message, via: .command(command, timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: true, detail: "exit 0", error: nil))
        #expect(directory.text("stdin") == message.text + "\n")
        #expect(directory.text("message") == message.text)
        let lines = try #require(directory.text("env")).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == [
            "INC-20261126-0001", "security-incident", "고객 데이터 유출 의심 (suspected customer data leak)", "SEV1",
            "격리 (Isolate)", "manager", "2", "1", "stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m",
            "[SEV1] INC-20261126-0001 tier 2: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m",
            "runbook ack INC-20261126-0001", "0", "",
        ])
    }

    @Test(arguments: ["true", "head -c 1 > /dev/null", "exec 0<&-; sleep 0"])
    func commandsThatDoNotReadAllTheirInputStillSucceed(_ command: String) async {
        var message = NotificationFixtures.message
        message.title = String(repeating: "긴 제목 (a long title) ", count: 3_000)

        let result = await notifier.deliver(message, via: .command(command, timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: true, detail: "exit 0", error: nil))
    }

    @Test func hugeFieldsAreCutToFitTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        var message = NotificationFixtures.message
        message.reason = String(repeating: "긴 사유 (a long reason) ", count: 20_000)

        let result = await notifier.deliver(
            message, via: .command("printf '%s' \"$RUNBOOK_REASON\" > '\(directory.path)/reason'", timeout: .seconds(10)))

        #expect(result.succeeded)
        let reason = try #require(directory.text("reason"))
        #expect(reason.utf8.count <= 4_096 && reason.utf8.count > 4_000)
        #expect(reason.hasPrefix("긴 사유 (a long reason) 긴 사유"))
        #expect(reason.hasSuffix("…"))
    }

    @Test func drillIsOneInTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        var message = NotificationFixtures.message
        message.drill = true

        let result = await notifier.deliver(
            message, via: .command("printf '%s' \"$RUNBOOK_DRILL\" > '\(directory.path)/drill'", timeout: .seconds(10)))

        #expect(result.succeeded)
        #expect(directory.text("drill") == "1")
    }

    @Test func messageTextIsNeverRunAsShellCode() async throws {
        let directory = try TemporaryDirectory()
        let marker = directory.path("MARKER")
        var message = NotificationFixtures.message
        message.title = "$(touch '\(marker)') `touch '\(marker)'`"
        message.reason = "'; touch '\(marker)'; echo '\"; touch \"\(marker)\"; \""
        message.stage = "$(touch \(marker))"
        let command = """
            cat > /dev/null
            printf '%s\\n' "$RUNBOOK_TITLE" "$RUNBOOK_REASON" "$RUNBOOK_STAGE" > '\(directory.path)/seen'
            echo "$RUNBOOK_SUBJECT" > /dev/null
            """

        let result = await notifier.deliver(message, via: .command(command, timeout: .seconds(10)))

        #expect(result.succeeded)
        #expect(!directory.exists("MARKER"))
        #expect(directory.text("seen") == "\(message.title)\n\(message.reason)\n\(message.stage)\n")
    }

    @Test func failingCommandReportsItsStatusAndFirstLineOfStandardError() async {
        let result = await notifier.deliver(
            NotificationFixtures.message,
            via: .command("echo; echo '  mail: cannot reach relay  ' >&2; echo 'second line' >&2; exit 3",
                          timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: false, detail: "exit 3", error: "exit 3: mail: cannot reach relay"))
    }

    @Test func failingCommandWithoutStandardErrorReportsItsStatus() async {
        let result = await notifier.deliver(NotificationFixtures.message, via: .command("false", timeout: .seconds(10)))

        #expect(result == DeliveryResult(succeeded: false, detail: "exit 1", error: "exit 1"))
    }

    @Test func slowCommandTimesOut() async {
        let clock = ContinuousClock()
        let start = clock.now

        let result = await notifier.deliver(NotificationFixtures.message, via: .command("sleep 30", timeout: .seconds(1)))

        #expect(result == DeliveryResult(succeeded: false, detail: "timed out", error: "timed out after 1s"))
        #expect(start.duration(to: clock.now) < .seconds(10), "the 1 s timeout, not the 30 s sleep")
    }
}
