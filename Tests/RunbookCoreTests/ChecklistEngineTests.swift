import RunbookCore
import RunbookTestSupport
import Testing

/// Routine checks (SPEC §3.2): no page at opening, a missed deadline pages tier 1 once and never higher, no
/// resolution, no severity; the run closes when its end state completes.
@Suite struct ChecklistEngineTests {
    let start = Instant(iso8601: "2026-11-27T00:00:00Z") ?? Instant(milliseconds: 0)

    /// Tiers that would page the manager at 10m and the CTO at 30m, with a repeat, for an incident.
    static let yaml = validChecklist.replacingAll("    - { notify: [manager], after: 10m }",
                                                  with: "    - { notify: [manager], after: 10m }\n    - { notify: [oncall, manager], after: 30m }")
        .replacingAll("  tiers:", with: "  repeat: 2\n  tiers:")
        .replacingAll("      - { id: backups, title: \"백업 확인 (Backups)\" }",
                      with: "      - { id: backups, title: \"백업 확인 (Backups)\", timeout: 20m }")

    @Test func aMissedDeadlinePagesTierOneOnceAndNeverHigher() throws {
        #expect(Self.yaml.contains("repeat: 2") && Self.yaml.contains("timeout: 20m"))
        var h = try EngineHarness(yaml: Self.yaml, now: start)
        #expect(!h.events.contains { if case .escalationStarted = $0.event { true } else { false } }, "no page at opening")
        #expect(try h.tick().isEmpty)
        var seen: [String] = []
        for minute in 1...300 {
            h.now = start + .minutes(minute)
            seen += pages(try h.tick()).map { "\(minute)m \($0)" }
        }
        // The backups step's 20m timeout and the stage's 30m deadline each page the on-call once; nothing else, ever.
        #expect(seen == ["20m e1 t1 r1 oncall", "30m e2 t1 r1 oncall"])
        let misses = h.events.compactMap { event -> String? in
            guard case .deadlineMissed(let miss) = event.event else { return nil }
            return "\(miss.kind.rawValue) \(miss.step ?? miss.state)"
        }
        #expect(misses == ["step backups", "stage checks"])
    }

    @Test func aRunIsNeverResolvedAndClosesWhenItsChecksAreDone() throws {
        var h = try EngineHarness(yaml: validChecklist, now: start)
        #expect(throws: Refusal.self) { try h.send(.resolve(note: nil)) }
        do {
            try h.send(.resolve(note: nil))
        } catch {
            #expect(error.message == "\(h.state.id) is a checklist run: it is not resolved; it closes when its last check is done "
                    + "(mark the remaining steps done or skipped)")
        }
        #expect(throws: Refusal.self) { try h.send(.changeSeverity("SEV1")) }
        h.now = start + .minutes(3)
        try h.send(.mark(step: "disk", .done, note: nil))
        try h.send(.mark(step: "backups", .skip, note: "backup host down for maintenance"))
        #expect(h.state.isClosed)
        #expect(h.state.resolved == nil)
        #expect(!h.events.contains { if case .escalated = $0.event { true } else { false } })
    }

    @Test func aFailedCheckWithOnFailEscalatePagesTierOneOnceButNotWhoFailedIt() throws {
        #expect(validChecklist.contains("    end: true"))
        let yaml = validChecklist.replacingAll("    end: true", with: "    on_fail: escalate\n    end: true")
        var h = try EngineHarness(yaml: yaml, roster: ["kim": ["manager"], "lee": ["oncall"]], now: start)
        h.now = start + .minutes(1)
        let failed = try h.send(.mark(step: "disk", .fail, note: "92% full"), as: "kim")
        #expect(pages(failed) == ["e1 t1 r1 oncall"])
        var h2 = try EngineHarness(yaml: yaml, roster: ["kim": ["manager"], "lee": ["oncall"]], now: start)
        h2.now = start + .minutes(1)
        #expect(pages(try h2.send(.mark(step: "disk", .fail, note: "92% full"), as: "lee")).isEmpty, "the on-call is not paged about their own action")
        for minute in 2...200 {
            h.now = start + .minutes(minute)
            #expect(pages(try h.tick()).allSatisfy { $0.hasPrefix("e2 t1") }, "only the deadline's tier-1 notice follows")
        }
    }

    @Test func aRunRecordHasNoSeverityAndIsNeverRestored() throws {
        var h = try EngineHarness(yaml: validChecklist, now: start)
        h.now = start + .minutes(3)
        try h.send(.mark(step: "disk", .done, note: nil))
        try h.send(.mark(step: "backups", .done, note: nil))
        let report = PostmortemReport(runbook: h.runbook, events: h.events,
                                      integrity: Integrity.chain(incidentID: "INC-TEST-0001", records: h.events.map(\.record)), now: h.now,
                                      language: .english)
        let format = { (instant: Instant) in instant.iso8601 }
        let summary = report.summarySentences(format)
        #expect(summary.first == "A run of the routine check \"일일 점검 (Daily check)\" was started at 2026-11-27T00:00:00.000Z by kim "
                + "from runbook daily-check.")
        #expect(summary.last == "The run closed at 2026-11-27T00:03:00.000Z.")
        #expect(!summary.joined().contains("SEV"), "\(summary)")
        #expect(!summary.joined().contains("restored"), "\(summary)")
        let markdown = PostmortemMarkdown.render(report, formatTime: format)
        #expect(markdown.contains("| Severity | checklist |"), "\(markdown.prefix(600))")
        #expect(markdown.contains("| Kind | routine check |"), "\(markdown.prefix(600))")
        #expect(!markdown.contains("real incident"))
        #expect(!markdown.contains("SEV"))
        #expect(PostmortemHTML.render(report, formatTime: format).contains("<tr><th>Severity</th><td>checklist</td></tr>"))
        #expect(PostmortemJSON.render(report)["severity"] == .null)
    }
}
