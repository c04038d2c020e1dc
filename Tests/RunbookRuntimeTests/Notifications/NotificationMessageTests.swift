import RunbookRuntime
import Testing

@Suite struct NotificationMessageTests {
    @Test func subjectAndText() {
        let message = NotificationFixtures.message

        #expect(message.subject
            == "[SEV1] INC-20261126-0001 tier 2: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m")
        #expect(message.text == """
            [SEV1] INC-20261126-0001 tier 2: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m

            Incident:  INC-20261126-0001 고객 데이터 유출 의심 (suspected customer data leak)
            Runbook:   security-incident
            Severity:  SEV1
            Stage:     격리 (Isolate)
            Reason:    stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m
            Paged:     manager (tier 2, round 1)

            Acknowledge: runbook ack INC-20261126-0001
            """)
    }

    @Test func drillIsMarkedInSubjectAndText() {
        var message = NotificationFixtures.message
        message.drill = true
        message.tier = 1
        message.role = "oncall"
        message.stage = "탐지 (Detect)"
        message.reason = "incident opened, not yet acknowledged"

        #expect(message.subject == "[DRILL] [SEV1] INC-20261126-0001 tier 1: incident opened, not yet acknowledged")
        #expect(message.text == """
            [DRILL] [SEV1] INC-20261126-0001 tier 1: incident opened, not yet acknowledged

            This is a drill, not a real incident: respond as you would for real.

            Incident:  INC-20261126-0001 고객 데이터 유출 의심 (suspected customer data leak)
            Runbook:   security-incident
            Severity:  SEV1
            Stage:     탐지 (Detect)
            Reason:    incident opened, not yet acknowledged
            Paged:     oncall (tier 1, round 1)

            Acknowledge: runbook ack INC-20261126-0001
            """)
    }

    @Test func laterRoundsShowInTheSubject() {
        var message = NotificationFixtures.message
        message.round = 3
        #expect(message.subject
            == "[SEV1] INC-20261126-0001 tier 2, round 3: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m")
    }

    @Test func lineBreaksInFieldsDoNotBreakTheSubjectOrTheFieldLines() {
        var message = NotificationFixtures.message
        message.reason = "missed\nits deadline\r\n\tby 3m"
        message.title = "two\nlines"
        #expect(message.subject == "[SEV1] INC-20261126-0001 tier 2: missed its deadline  by 3m")
        #expect(message.text.contains("\nIncident:  INC-20261126-0001 two lines\n"))
        #expect(message.text.contains("\nReason:    missed its deadline  by 3m\n"))
    }
}
