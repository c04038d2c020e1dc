@testable import RunbookCLI
@testable import RunbookCore
import Testing

/// Guided mode's and the incident screen's texts (GuidedText), in both languages (SPEC §7).
@Suite struct GuidedTextTests {
    /// Every entry of GuidedText, as a closure rendering it with sample facts (more than one where the text has variants).
    /// A new entry must be added here: the test below renders each in English and in Korean.
    static func entries() -> [(String, () -> String)] {
        let duration = RunbookDuration(seconds: 300)
        var entries: [(String, () -> String)] = []
        func add(_ name: String, _ render: @escaping () -> String) { entries.append((name, render)) }
        for index in 0..<12 {
            add("keys[\(index)].label") { GuidedText.keys[index].label }
            add("keys[\(index)].help") { GuidedText.keys[index].help }
        }
        add("selectKeys.label") { GuidedText.selectKeys.label }
        add("selectKeys.help") { GuidedText.selectKeys.help }
        add("helpAndQuit") { GuidedText.helpAndQuit }
        add("fullHelp") { GuidedText.fullHelp.joined(separator: "\n") }
        add("scriptedActions") { GuidedText.scriptedActions }
        add("promptKeys") { GuidedText.promptKeys }
        add("confirmKeys") { GuidedText.confirmKeys }
        add("notePrompt") { GuidedText.notePrompt }
        add("breakGlassExplanation") { GuidedText.breakGlassExplanation(step: "approve-reset") }
        add("breakGlassPrompt") { GuidedText.breakGlassPrompt }
        add("destructivePrompt") { GuidedText.destructivePrompt(command: "rm -rf /srv/cache", timeout: duration, step: "wipe") }
        add("runPrompt") { GuidedText.runPrompt(command: "systemctl restart db", timeout: duration) }
        add("closingPrompt(closes)") { GuidedText.closingPrompt(incident: "INC-1", closes: true) }
        add("closingPrompt(resolves)") { GuidedText.closingPrompt(incident: "INC-1", closes: false) }
        add("notRun") { GuidedText.notRun }
        add("notClosed") { GuidedText.notClosed }
        add("noNoteGiven") { GuidedText.noNoteGiven(step: "check") }
        add("noValueGiven") { GuidedText.noValueGiven }
        add("noReasonGiven") { GuidedText.noReasonGiven }
        add("emptyNote") { GuidedText.emptyNote }
        add("promptCancelled") { GuidedText.promptCancelled }
        add("actingAs") { GuidedText.actingAs("choi") }
        add("drillClockMoved") { GuidedText.drillClockMoved(by: duration, now: "10:42") }
        add("waitOnlyInDrills") { GuidedText.waitOnlyInDrills }
        add("badWait") { GuidedText.badWait("soon") }
        add("notACommandStep") { GuidedText.notACommandStep("check") }
        add("noSuchStep") { GuidedText.noSuchStep("9", ids: ["check", "probe"]) }
        add("nothingToActOn") { GuidedText.nothingToActOn }
        add("running") { GuidedText.running("probe") }
        add("runFailed") { GuidedText.runFailed(step: "probe", summary: "exit code 3, expected 0", hint: nil) }
        add("leftGuidedMode") { GuidedText.leftGuidedMode("INC-1") }
        add("incidentClosed") { GuidedText.incidentClosed("INC-1") }
        add("leftOnSignal") { GuidedText.leftOnSignal("SIGTERM", incident: "INC-1") }
        add("failures(1)") { GuidedText.failures(1) }
        add("failures(2)") { GuidedText.failures(2) }
        add("unknownAction") { GuidedText.unknownAction("dance") }
        add("unknownKey") { GuidedText.unknownKey("z") }
        add("undoPrompt") { GuidedText.undoPrompt(step: "check") }
        add("undoNeedsNoteInline") { GuidedText.undoNeedsNoteInline }
        add("noteNeedsTextInline") { GuidedText.noteNeedsTextInline }
        add("noOutput") { GuidedText.noOutput("probe") }
        add("outputHeader") { GuidedText.outputHeader(step: "probe", attempt: 2, summary: "exit 3") }
        add("outputEmpty") { GuidedText.outputEmpty }
        add("stagePosition") { GuidedText.stagePosition(1, of: 2) }
        add("rto(running)") { GuidedText.rto(RTOClock(target: duration, elapsedMilliseconds: 60_000, remainingMilliseconds: 240_000, stopped: false)) }
        add("rto(overdue)") { GuidedText.rto(RTOClock(target: duration, elapsedMilliseconds: 400_000, remainingMilliseconds: -100_000, stopped: false)) }
        add("rto(met)") { GuidedText.rto(RTOClock(target: duration, elapsedMilliseconds: 60_000, remainingMilliseconds: 240_000, stopped: true)) }
        add("rto(missed)") { GuidedText.rto(RTOClock(target: duration, elapsedMilliseconds: 400_000, remainingMilliseconds: -100_000, stopped: true)) }
        add("outputTail") { GuidedText.outputTail("exit 3") }
        add("drillMark") { GuidedText.drillMark }
        add("runbookFact") { GuidedText.runbookFact("db-recovery") }
        add("openedFact") { GuidedText.openedFact(at: "2026-11-26 10:42", by: "kim") }
        add("acknowledgedFact") { GuidedText.acknowledgedFact(by: "kim", at: "10:43") }
        add("notAcknowledged") { GuidedText.notAcknowledged }
        add("resolvedFact") { GuidedText.resolvedFact(at: "11:00") }
        add("closedAt") { GuidedText.closedAt("11:30") }
        add("deadline") { GuidedText.deadline(duration) }
        add("logBroken") { GuidedText.logBroken("log broken since #12", incident: "INC-1") }
        add("pagedBanner(tier)") { GuidedText.pagedBanner(tier: 2, roles: "manager", at: "10:50", cause: "not yet acknowledged") }
        add("pagedBanner(notice)") { GuidedText.pagedBanner(tier: 0, roles: "manager", at: "10:50", cause: "not yet acknowledged") }
        add("lastPage") { GuidedText.lastPage(tier: 2, at: "10:50") }
        add("findingsHeading") { GuidedText.findingsHeading }
        add("attemptFailed(1)") { GuidedText.attemptFailed(attempts: 1, note: nil) }
        add("attemptFailed(2)") { GuidedText.attemptFailed(attempts: 2, note: "exit 3") }
        for status in [StepProgress.Status.done, .skipped, .failed] {
            add("settled(\(status))") { GuidedText.settled(status, value: "SEV1", by: "kim", at: "10:42", note: "ok") }
        }
        add("waiting") { GuidedText.waiting("4:59") }
        add("runningSince") { GuidedText.runningSince("10:42") }
        add("waitsFor") { GuidedText.waitsFor(["check", "probe"]) }
        add("destructive") { GuidedText.destructive }
        add("commandToRun") { GuidedText.commandToRun }
        add("choose") { GuidedText.choose(["SEV1", "SEV2"]) }
        add("input(prompt)") { GuidedText.input(prompt: nil) }
        add("approval") { GuidedText.approval(by: "manager") }
        add("wait") { GuidedText.wait(duration) }
        return entries
    }

    static func render(_ entry: () -> String, in language: Language) -> String {
        GuidedText.$languageOverride.withValue(language) { entry() }
    }

    /// Every entry renders in both languages; where the English has a lower-case word, the Korean differs and has Hangul.
    @Test func everyEntryHasBothLanguages() {
        #expect(Self.entries().count > 90)
        for (name, entry) in Self.entries() {
            let english = Self.render(entry, in: .english)
            let korean = Self.render(entry, in: .korean)
            #expect(!english.trimmingWhitespace.isEmpty, "\(name): empty English")
            #expect(!korean.trimmingWhitespace.isEmpty, "\(name): empty Korean")
            let hasWords = english.split(whereSeparator: { !$0.isLetter }).contains { word in
                word.count > 1 && word.allSatisfy { $0.isLowercase && $0.isASCII }
            }
            if hasWords {
                #expect(korean != english, "\(name): the Korean is the English text: \(english)")
                #expect(korean.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) }, "\(name): no Korean in \(korean)")
            }
        }
    }

    /// The English texts callers and tests rely on are unchanged.
    @Test func englishIsAsBefore() {
        GuidedText.$languageOverride.withValue(.english) {
            #expect(GuidedText.helpAndQuit == "? help · q quit")
            #expect(GuidedText.keys.map(\.legend).prefix(3) == ["d done", "s skip", "f fail"])
            #expect(GuidedText.stagePosition(1, of: 2) == "Stage 1 of 2: ")
            #expect(GuidedText.choose(["A", "B"]) == "choose A|B")
            #expect(GuidedText.settled(.done, value: nil, by: "kim", at: "10:42", note: "ok") == "done by kim 10:42: ok")
        }
    }

    /// The Korean legend fits every width from 20 to 120 columns in two lines, `? 도움말 · q 종료` always whole at the end.
    @Test func theKoreanLegendFitsWithItsHelpAndQuit() {
        GuidedText.$languageOverride.withValue(.korean) {
            for width in 20...120 {
                let legend = GuidedLayout.legend(width: width)
                #expect((1...2).contains(legend.count), "\(width): \(legend)")
                #expect(legend.allSatisfy { TextWidth.of($0) <= width }, "\(width): \(legend)")
                #expect(legend.last?.hasSuffix("? 도움말 · q 종료") == true, "\(width): \(legend)")
            }
            let at60 = GuidedLayout.legend(width: 60)
            #expect(at60.first?.hasPrefix("d 완료 · s 건너뛰기 · f 실패") == true, "\(at60)")
        }
    }
}
