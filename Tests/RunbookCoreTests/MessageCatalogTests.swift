import RunbookCore
import Testing

/// The message catalog (SPEC §7): every key in English and in Korean, chosen by the locale.
@Suite struct MessageCatalogTests {
    /// Every key renders non-empty in both languages; where the English has words, the Korean is not a copy of it
    /// but Korean text (Hangul), so a key cannot be left untranslated.
    @Test(arguments: Message.Key.allCases)
    func everyKeyHasBothLanguages(_ key: Message.Key) {
        let samples = Message.samples(key)
        #expect(!samples.isEmpty, "no sample for \(key)")
        for sample in samples {
            #expect(sample.key == key, "the sample \(sample) is not of key \(key)")
            let english = sample.text(in: .english)
            let korean = sample.text(in: .korean)
            #expect(!english.trimmingWhitespace.isEmpty, "\(key): empty English")
            #expect(!korean.trimmingWhitespace.isEmpty, "\(key): empty Korean")
            // "ID" and "RTO" are the same in both; anything with a lower-case word is a sentence to translate.
            let hasWords = english.split(whereSeparator: { !$0.isLetter }).contains { word in
                word.count > 1 && word.allSatisfy { $0.isLowercase && $0.isASCII }
            }
            if hasWords {
                #expect(korean != english, "\(key): the Korean is the English text: \(english)")
                #expect(korean.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) }, "\(key): no Korean in \(korean)")
            }
        }
    }

    /// Every key has samples, and no two keys share a sample (each case maps to its own key).
    @Test func everyKeyIsSampled() {
        let keys = Message.Key.allCases.flatMap { Message.samples($0).map(\.key) }
        #expect(Set(keys.map { "\($0)" }).count == Message.Key.allCases.count)
    }

    /// POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG; the first set, non-empty one decides.
    @Test(arguments: [
        ([:], Language.english),
        (["LANG": "ko_KR.UTF-8"], .korean),
        (["LANG": "ko"], .korean),
        (["LANG": "C.UTF-8"], .english),
        (["LANG": "POSIX"], .english),
        (["LANG": "en_US.UTF-8"], .english),
        (["LANG": "ko_KR.UTF-8", "LC_ALL": "C"], .english),
        (["LANG": "C", "LC_ALL": "ko_KR.UTF-8"], .korean),
        (["LANG": "C", "LC_MESSAGES": "ko_KR.UTF-8"], .korean),
        (["LANG": "ko_KR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"], .english),
        (["LANG": "ko_KR.UTF-8", "LC_ALL": ""], .korean),
        (["LC_ALL": "ko_KR.UTF-8", "LC_MESSAGES": "C"], .korean),
    ] as [([String: String], Language)])
    func detection(_ environment: [String: String], _ expected: Language) {
        #expect(Language.detect { environment[$0] } == expected)
    }

    /// The test process never sets the language: renderers default to English here whatever the developer's locale.
    @Test func theTestProcessIsEnglish() {
        #expect(Language.current == .english)
    }

    /// A typed refusal renders in each language from the same facts.
    @Test func aRefusalInBothLanguages() {
        let refusal = Refusal(.notRoleHolder(actor: "kim", action: .approve, step: "approve-reset",
                                             role: RoleRef(id: "manager", title: "운영 매니저 (Ops manager)"), holders: ["choi"]))
        #expect(refusal.text(in: .english) == "kim does not hold the role 운영 매니저 (manager); only 운영 매니저 (manager): choi may "
                + "approve approval `approve-reset` (anyone on the roster may break the glass with --break-glass --reason TEXT)")
        #expect(refusal.text(in: .korean) == "kim 님은 운영 매니저 (manager) 역할이 아닙니다. `approve-reset` 승인을 내줄 수 있는 사람은 "
                + "운영 매니저 (manager): choi뿐입니다 (당직 명단에 있는 사람은 누구나 --break-glass --reason TEXT로 긴급 우회할 수 있습니다)")
        #expect(refusal.message == refusal.text(in: .english))
    }

    /// Event descriptions and countdowns follow the language; titles and ids stay as written.
    @Test func eventsInKorean() {
        #expect(EventDescription.describe(.stepDone(state: "detect", step: "look", note: "ok"), runbook: nil, language: .korean)
                == "작업 완료: `look`: ok")
        #expect(EventDescription.describe(.stepDone(state: "detect", step: "look", note: "ok"), runbook: nil, language: .english)
                == "step `look` done: ok")
        #expect(EventDescription.countdown(from: Instant(milliseconds: 0), to: Instant(milliseconds: 60_000), language: .korean) == "1:00 남음")
    }
}
