import RunbookCore
import RunbookTestSupport
import Testing

/// The content of the post-mortem (SPEC §8): findings first, sections filled from the record, key times, the RTO
/// with its caveats, no noise, headings in the reader's language.
@Suite struct PostmortemContentTests {
    func report(_ h: EngineHarness, language: Language = .english) -> PostmortemReport {
        PostmortemReport(runbook: h.runbook, events: h.events, integrity: Integrity.chain(incidentID: "INC-TEST-0001", records: h.events.map(\.record)),
                         now: h.now, language: language)
    }

    /// A runbook with English titles: `triage` (a `report: impact` input), `isolate` (not marked `contains`),
    /// `block` (marked `contains: true`), `restore` (resolves, with a command check), `review` (the follow-up).
    static let englishRunbook = """
        runbook: web-outage
        title: "Web outage"
        rto: 1h
        roles:
          oncall: { title: On-call }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: triage
        states:
          triage:
            title: Triage
            deadline: 5m
            steps:
              - { id: look, title: Look at the dashboards }
              - id: who
                title: Who is affected
                input: { prompt: "affected users" }
                report: impact
              - id: cause
                title: Suspected cause
                input: { prompt: "cause" }
                report: root-cause
            next: isolate
          isolate:
            title: Isolate
            deadline: 10m
            steps:
              - { id: fence, title: Fence the traffic }
            next: block
          block:
            title: Block
            deadline: 10m
            contains: true
            steps:
              - { id: firewall, title: Firewall rule }
            next: restore
          restore:
            title: Restore
            deadline: 30m
            steps:
              - { id: health, title: Health check, run: "curl -fsS http://localhost/health" }
            resolves: true
            next: review
          review:
            title: Review
            deadline: 24h
            steps:
              - { id: write, title: Write it up }
            end: true

        """

    /// The first element of a JSON array.
    static func first(_ value: JSONValue) -> JSONValue? {
        if case .array(let items) = value { return items.first }
        return nil
    }

    static let start = Instant(iso8601: "2026-11-26T01:00:00Z") ?? Instant(milliseconds: 0)

    static func output(_ text: String) -> CapturedOutput {
        CapturedOutput(head: text, tail: "", totalBytes: Int64(text.utf8.count), sha256: EventChain.sha256(text))
    }

    /// Walks the English runbook to resolution in 40 minutes; `healthExit` is the health check's exit code, and a
    /// failed check is skipped with a note.
    static func walk(healthExit: Int32 = 0, impact: ImpactTimes? = nil) throws -> EngineHarness {
        var h = try EngineHarness(yaml: englishRunbook, roster: ["kim": ["oncall"]], now: start, impact: impact)
        h.now = start + .minutes(1)
        try h.send(.acknowledge)
        try h.send(.mark(step: "look", .done, note: nil))
        try h.send(.input(step: "who", value: "all EU customers"))
        try h.send(.input(step: "cause", value: "expired TLS certificate"))
        h.now = start + .minutes(4)
        try h.send(.mark(step: "fence", .done, note: nil))
        h.now = start + .minutes(9)
        try h.send(.mark(step: "firewall", .done, note: nil))
        h.now = start + .minutes(40)
        try h.send(.startCommand(step: "health", pid: 7))
        try h.send(.finishCommand(step: "health", outcome: CommandOutcome(exitCode: healthExit, durationMilliseconds: 12,
                                                                          stdout: output(""), stderr: output(""))))
        if healthExit != 0 { try h.send(.mark(step: "health", .skip, note: "checked by hand in the browser")) }
        return h
    }

    // MARK: Findings

    @Test func theGoldenIncidentHasEveryFindingKind() throws {
        let findings = report(try goldenIncident()).findings
        func name(_ kind: Finding.Kind) -> String {
            switch kind {
            case .otherRunbooksDirectory: "other directory"
            case .approvalIdentityNotBound: "identity"
            case .approvalFromOtherLogin: "other login"
            case .approvalOverridden: "break-glass"
            case .failedCheckPassedOver: "failed check passed over"
            case .correction: "correction"
            case .reopened: "reopened"
            case .approvalSkipped: "approval skipped"
            case .deadlineMissed: "deadline missed"
            case .pageUnacknowledged: "page unacknowledged"
            case .commandCouldNotRun: "could not run"
            }
        }
        let kinds = Set(findings.map { name($0.kind) })
        // An approval from another login is refused before it could be recorded in this harness (IdentityTests covers it).
        #expect(kinds == ["other directory", "identity", "break-glass", "failed check passed over", "correction", "reopened",
                          "approval skipped", "deadline missed", "page unacknowledged", "could not run"])
        #expect(findings.map(\.sequence) == findings.map(\.sequence).sorted(), "findings in the order of their events")
    }

    @Test func aPageNobodyAcknowledgedIsAFindingAndAnAcknowledgedOneIsNot() throws {
        var h = try EngineHarness(yaml: Self.englishRunbook, roster: ["kim": ["oncall"]], now: Self.start)
        try h.tick()
        #expect(report(h).findings.map(\.message) == ["tier 1 page to oncall was not acknowledged"])
        // `status` shows pages as they happen: a page still waiting is not its finding.
        #expect(Findings.of(h.events, runbook: h.runbook).isEmpty)
        h.now = Self.start + .minutes(1)
        try h.send(.acknowledge)
        #expect(report(h).findings.isEmpty)
    }

    @Test func aCommandThatCouldNotRunIsAFinding() throws {
        let h = try Self.walk(healthExit: 127)
        let messages = report(h).findings.map(\.message)
        #expect(messages.contains("command `health` run by kim could not run: command not found (exit 127)"))
        #expect(messages.contains { $0.hasPrefix("failed check `health` in resolving stage `restore` skipped by kim") })
        #expect(!report(try Self.walk(healthExit: 1)).findings.contains { if case .commandCouldNotRun = $0.kind { true } else { false } })
    }

    @Test func aMissedDeadlineIsAFinding() throws {
        var h = try EngineHarness(yaml: Self.englishRunbook, roster: ["kim": ["oncall"]], now: Self.start)
        try h.send(.acknowledge)
        h.now = Self.start + .minutes(6)
        try h.tick()
        #expect(report(h).findings.map(\.message).contains("stage `triage` missed its 5m deadline"))
    }

    // MARK: Sections, one test per source

    @Test func aTaggedNoteFillsItsSection() throws {
        var h = try Self.walk()
        try h.send(.note("Trigger: a certificate renewal job failed silently"))
        let r = report(h)
        #expect(r.tagged["trigger"]?.map(\.text) == ["a certificate renewal job failed silently"])
        #expect(r.tagged["trigger"]?.first?.source == .note)
        let markdown = PostmortemMarkdown.render(r)
        #expect(markdown.contains("## Trigger\n\n- a certificate renewal job failed silently (kim, "))
    }

    @Test func theResolveNoteFillsTheResolution() throws {
        var h = try EngineHarness(yaml: Self.englishRunbook, roster: ["kim": ["oncall"]], now: Self.start)
        h.now = Self.start + .minutes(3)
        try h.send(.resolve(note: "수동 확인 결과 정상"))
        let r = report(h)
        #expect(r.tagged["resolution"] == [PostmortemReport.NoteItem(text: "수동 확인 결과 정상", by: "kim", at: Self.start + .minutes(3),
                                                                      source: .resolveNote)])
        #expect(PostmortemMarkdown.render(r).contains("## Resolution\n\n- 수동 확인 결과 정상 (kim, "))
        #expect(PostmortemJSON.render(r)["sections"]?["resolution"].flatMap(Self.first)?["source"] == .string("resolve_note"))
    }

    @Test func anInputWithReportFillsItsSection() throws {
        let r = report(try Self.walk())
        #expect(r.tagged["impact"]?.map(\.text) == ["all EU customers"])
        #expect(r.tagged["impact"]?.first?.source == .input(step: "who"))
        #expect(r.tagged["root-cause"]?.map(\.text) == ["expired TLS certificate"])
        let json = PostmortemJSON.render(r)
        #expect(json["sections"]?["impact"].flatMap(Self.first)?["source"] == .string("input"))
        #expect(json["sections"]?["impact"].flatMap(Self.first)?["step"] == .string("who"))
    }

    @Test func emptySectionsComeLastSayingHowToFillThem() throws {
        let markdown = PostmortemMarkdown.render(report(try Self.walk()))
        let filled = try #require(markdown.range(of: "## Impact"))
        let stillToFill = try #require(markdown.range(of: "## Still to fill in"))
        let timeline = try #require(markdown.range(of: "## Timeline"))
        #expect(filled.lowerBound < timeline.lowerBound && timeline.lowerBound < stillToFill.lowerBound)
        let tail = markdown[stillToFill.lowerBound...]
        #expect(tail.contains("### Trigger\n\n_To fill in: what set it off. Fill it with `runbook note INC-TEST-0001 \"trigger: …\"`"))
        #expect(tail.contains("`runbook resolve INC-TEST-0001 --note …`"))
        #expect(!tail.contains("### Impact"))
        #expect(!markdown.contains("\n## Trigger"))
    }

    // MARK: The RTO and its caveats

    @Test func rtoMetWithoutCaveats() throws {
        let r = report(try Self.walk())
        #expect(r.rtoSentence == "RTO 1h met (40m00s)")
        #expect(PostmortemMarkdown.render(r).contains("| RTO target / actual | RTO 1h met (40m00s) |"))
    }

    @Test func rtoMetIsNeverSaidWithoutItsCaveats() throws {
        let r = report(try Self.walk(healthExit: 22))
        #expect(r.rtoSentence == "RTO 1h met (40m00s), but the check `health` failed and was skipped")
        for text in [PostmortemMarkdown.render(r), PostmortemHTML.render(r), PostmortemJSON.render(r).prettyText] {
            #expect(!text.contains("RTO 1h met (40m00s)\n") && !text.contains("RTO 1h met (40m00s) |") && !text.contains("RTO 1h met (40m00s)<"))
        }
        #expect(r.summarySentences { $0.iso8601 }.last == "RTO 1h met (40m00s), but the check `health` failed and was skipped.")
        // A command that could not run and was then skipped is said once, as the check passed over.
        let notFound = report(try Self.walk(healthExit: 127))
        #expect(notFound.rtoSentence == "RTO 1h met (40m00s), but the check `health` failed and was skipped")
    }

    @Test func rtoMissedSaysByHowMuch() throws {
        var h = try Self.walk()
        h = try EngineHarness(yaml: Self.englishRunbook, roster: ["kim": ["oncall"]], now: Self.start)
        h.now = Self.start + .minutes(75)
        try h.send(.resolve(note: nil))
        #expect(report(h).rtoSentence == "RTO 1h missed by 15m00s (1h15m)")
    }

    // MARK: Key times

    @Test func keyTimesIncludeDetectionAndContainment() throws {
        let impact = ImpactTimes(startedAt: Instant(milliseconds: Self.start.milliseconds - 30 * 60_000),
                                 detectedAt: Instant(milliseconds: Self.start.milliseconds - 10 * 60_000))
        let r = report(try Self.walk(impact: impact))
        #expect(r.impactStartedAt == impact.startedAt)
        #expect(r.detectedAt == impact.detectedAt)
        #expect(r.timeToDetect == Int64(20 * 60_000))
        #expect(r.since(r.acknowledgedAt) == Int64(60_000))
        // Contained when `block` (contains: true) was left at 01:09, not when `isolate` was.
        #expect(r.since(r.containedAt) == Int64(9 * 60_000))
        #expect(r.since(r.resolvedAt) == Int64(40 * 60_000))
        let markdown = PostmortemMarkdown.render(r)
        for row in ["| Impact started | 2026-11-26T00:30:00.000Z |", "| Detected | 2026-11-26T00:50:00.000Z |",
                    "| Contained | 2026-11-26T01:09:00.000Z |", "| Impact ended (service restored) | 2026-11-26T01:40:00.000Z |",
                    "| Time to detect | 20m00s |", "| Time to acknowledge | 1m00s |", "| Time to contain | 9m00s |", "| Time to resolve | 40m00s |"] {
            #expect(markdown.contains(row), "\(row)")
        }
        let json = PostmortemJSON.render(r)
        #expect(json["intervals_ms"]?["detect"] == .int(20 * 60_000))
        #expect(json["intervals_ms"]?["contain"] == .int(9 * 60_000))
        #expect(json["detected_at"] == .string("2026-11-26T00:50:00.000Z"))
    }

    @Test func withoutImpactTimesDetectionIsTheOpeningAndTimeToDetectIsUnknown() throws {
        let r = report(try Self.walk())
        #expect(r.detectedAt == r.openedAt)
        #expect(r.timeToDetect == nil)
        #expect(!PostmortemMarkdown.render(r).contains("| Impact started |"))
        #expect(PostmortemMarkdown.render(r).contains("| Time to detect | — |"))
    }

    @Test func containmentIsNeverGuessedFromAStateID() throws {
        // `isolate` is the id the report once guessed from; without `contains: true` anywhere, nothing is contained.
        let text = Self.englishRunbook.replacingAll("    contains: true\n", with: "")
        var h = try EngineHarness(yaml: text, roster: ["kim": ["oncall"]], now: Self.start)
        try h.send(.mark(step: "look", .done, note: nil))
        try h.send(.input(step: "who", value: "x"))
        try h.send(.input(step: "cause", value: "y"))
        h.now = Self.start + .minutes(4)
        try h.send(.mark(step: "fence", .done, note: nil))
        try h.send(.mark(step: "firewall", .done, note: nil))
        #expect(report(h).containedAt == nil)
    }

    @Test func theOpeningRefusesDetectionOutOfOrder() throws {
        let runbook = try RunbookLoader.load(Self.englishRunbook, file: "t.yaml").get().runbook
        let context = DecisionContext(runbook: runbook, actor: "kim", now: Self.start, formatTime: EngineHarness.formatTime)
        func opening(_ started: Int?, _ detected: Int?) -> String? {
            let impact = ImpactTimes(startedAt: started.map { Instant(milliseconds: Self.start.milliseconds + Int64($0) * 60_000) },
                                     detectedAt: detected.map { Instant(milliseconds: Self.start.milliseconds + Int64($0) * 60_000) })
            let result = Result { () throws(Refusal) -> [IncidentEvent] in
                try IncidentEngine.open(runbook: runbook, snapshotSHA256: "s", title: nil, severity: nil, drill: false, impact: impact, context: context)
            }
            guard case .failure(let refusal) = result else { return nil }
            return refusal.message
        }
        #expect(opening(-30, -10) == nil)
        #expect(opening(-30, nil) == nil)
        #expect(opening(nil, -10) == nil)
        #expect(opening(nil, 5) == "--detected-at 01:05:00 is after the incident's opening (01:00:00); a problem is noticed at the latest when "
                + "its incident is opened: give the time it was noticed, or leave --detected-at out")
        #expect(opening(-5, -10) == "--impact-started-at 00:55:00 is after --detected-at 00:50:00; a problem begins before it is noticed")
        #expect(opening(5, nil) == "--impact-started-at 01:05:00 is after the opening (01:00:00); a problem begins before it is noticed")
    }

    // MARK: No noise

    @Test func noDigestOfEmptyOutput() throws {
        let r = report(try Self.walk())
        #expect(!PostmortemMarkdown.render(r).contains("SHA-256 `\(EventChain.sha256("").prefix(16))"))
        #expect(!PostmortemHTML.render(r).contains(String(EventChain.sha256("").prefix(16))))
        #expect(PostmortemMarkdown.render(r).contains("→ succeeded in 12ms; no output\n"))
    }

    @Test func noMarkdownBackticksInHTML() throws {
        let html = PostmortemHTML.render(report(try goldenIncident()))
        let body = try #require(html.range(of: "<body>")).upperBound
        // Outside <pre> (command output kept as printed), no backtick is left: code spans are <code>.
        var text = String(html[body...])
        while let open = text.range(of: "<pre>"), let close = text.range(of: "</pre>", range: open.upperBound..<text.endIndex) {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        #expect(!text.contains("`"))
        #expect(text.contains("<td>step <code>sentry-events</code> 증거 보존: Sentry 에러 (Preserve evidence: Sentry errors) done</td>"))
        #expect(PostmortemHTML.rich("a `b` and `c <d>` and `e") == "a <code>b</code> and <code>c &lt;d&gt;</code> and `e")
    }

    @Test func oneDatePerDayInTheTimeline() throws {
        var h = try Self.walk()
        h.now = Instant(iso8601: "2026-11-27T09:00:00Z") ?? h.now
        try h.send(.note("next morning"))
        let times = report(h).timelineTimes { $0.iso8601 }
        #expect(times.first == "2026-11-26T01:00:00.000Z")
        #expect(times.dropFirst().first == "01:00:00.000Z")
        #expect(times.filter { $0.hasPrefix("2026-") } == ["2026-11-26T01:00:00.000Z", "2026-11-27T09:00:00.000Z"])
        let local = report(h).timelineTimes { _ in "2026-11-26 10:00:00 KST" }
        #expect(local.prefix(2) == ["2026-11-26 10:00:00 KST", "10:00:00 KST"])
    }

    // MARK: Language

    @Test func koreanHeadingsUnderAKoreanLanguageForARunbookWithEnglishTitles() throws {
        let h = try Self.walk(healthExit: 22)
        let korean = report(h, language: .korean)
        let markdown = PostmortemMarkdown.render(korean)
        for heading in ["# 사후 보고서: Web outage", "## 발견 사항", "## 요약", "## 영향", "## 주요 시간", "## 단계", "## 에스컬레이션",
                        "## 타임라인", "## 무결성", "## 아직 채울 내용", "| 탐지까지 걸린 시간 |", "| 상태 | 초안 (장애 해결됨) |"] {
            #expect(markdown.contains(heading), "\(heading)")
        }
        #expect(!markdown.contains("## Summary") && !markdown.contains("## Findings") && !markdown.contains("Key times"))
        #expect(korean.rtoSentence == "RTO 1h 충족 (40m00s). 단, `health` 점검이 실패했고 건너뛰었습니다")
        let html = PostmortemHTML.render(korean)
        #expect(html.contains("<html lang=\"ko\">") && html.contains("<h2>요약</h2>") && !html.contains("<h2>Summary</h2>"))
        // Titles stay as written.
        #expect(markdown.contains("| Triage |"))
        let english = PostmortemMarkdown.render(report(h, language: .english))
        #expect(english.contains("## Summary") && english.contains("## Key times") && !english.contains("## 요약"))
        #expect(PostmortemHTML.render(report(h, language: .english)).contains("<html lang=\"en\">"))
    }
}
