import RunbookCore
@testable import RunbookRuntime
import Testing

/// A page in Korean (SPEC §7): labels and sentences from the catalog; ids, severity and the acknowledge command literal.
@Suite struct NotificationKoreanTests {
    @Test func subjectAndTextInKorean() {
        let message = NotificationFixtures.message
        #expect(message.subject(in: .korean)
            == "[SEV1] INC-20261126-0001 2차: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m")
        #expect(message.text(in: .korean) == """
            [SEV1] INC-20261126-0001 2차: stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m

            장애:      INC-20261126-0001 고객 데이터 유출 의심 (suspected customer data leak)
            런북:      security-incident
            심각도:    SEV1
            단계:      격리 (Isolate)
            사유:      stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m
            호출 대상: manager (2차, 1회차)

            확인: runbook ack INC-20261126-0001
            """)
    }

    @Test func aDrillInKorean() {
        var message = NotificationFixtures.message
        message.drill = true
        message.round = 2
        message.checkpoint = "INC-20261126-0001#5:0123456789abcdef"
        let text = message.text(in: .korean)
        #expect(text.hasPrefix("[DRILL] [SEV1] INC-20261126-0001 2차, 2회차: "))
        #expect(text.contains("\n훈련입니다. 실제 장애가 아닙니다: 실제 상황처럼 대응하십시오.\n"))
        #expect(text.hasSuffix("\n확인: runbook ack INC-20261126-0001\n체크포인트: INC-20261126-0001#5:0123456789abcdef"))
        #expect(message.logLine(in: .korean) == "[DRILL] [SEV1] INC-20261126-0001 2차, 2회차 → manager: "
                + "stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m | 확인: runbook ack INC-20261126-0001 "
                + "| 체크포인트 INC-20261126-0001#5:0123456789abcdef")
    }

    /// The test process is English: the unlabelled properties keep the English page.
    @Test func theDefaultIsEnglish() {
        let message = NotificationFixtures.message
        #expect(message.text == message.text(in: .english))
        #expect(message.text.contains("Acknowledge: runbook ack INC-20261126-0001"))
    }
}
