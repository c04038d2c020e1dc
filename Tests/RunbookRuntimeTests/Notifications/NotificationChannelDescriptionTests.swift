import RunbookCore
import RunbookRuntime
import Testing

@Suite struct NotificationChannelDescriptionTests {
    static let cases: [(NotificationChannel, String)] = [
        (.file(path: "notifications.log"), "file notifications.log"),
        (.command(#"mail -s "$RUNBOOK_SUBJECT" ops@example.com"#, timeout: .seconds(30)),
         #"command `mail -s "$RUNBOOK_SUBJECT" ops@example.com`"#),
        (.command("sms-send \\\n  --to ops", timeout: .seconds(30)), "command `sms-send \\   --to ops`"),
        (.webhook(url: "https://hooks.example.com/services/T0/B0?token=s3cret#frag", timeout: .seconds(10)),
         "webhook https://hooks.example.com/… #a14243"),
        (.webhook(url: "https://user:pa55@hooks.example.com:8443/x?sig=abc", timeout: .seconds(10)),
         "webhook https://hooks.example.com:8443/… #332a24"),
        (.webhook(url: "http://127.0.0.1:8080", timeout: .seconds(10)), "webhook http://127.0.0.1:8080/… #d30a57"),
        // The path of a Slack hook is its secret: two hooks on one host differ only by the digest.
        (.webhook(url: "https://hooks.slack.com/services/T00/B00/XXXX", timeout: .seconds(10)),
         "webhook https://hooks.slack.com/… #\(String(EventChain.sha256("https://hooks.slack.com/services/T00/B00/XXXX").prefix(6)))"),
        (.stdout, "stdout"),
    ]

    @Test(arguments: cases)
    func descriptionIsOneLineWithoutSecrets(_ channel: NotificationChannel, _ expected: String) {
        #expect(channel.description == expected)
    }
}
