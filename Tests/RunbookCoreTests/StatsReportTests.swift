import RunbookCore
import Testing

/// The monthly review on hand-computed fixtures: nearest-rank median and p90 (the ⌈q·n⌉-th smallest) on even and
/// odd counts, drills apart, no incidents, only drills; the facts an incident's fold gives; the three renderings.
@Suite struct StatsReportTests {
    static let t0 = Instant(milliseconds: 1_795_000_000_000)
    static let minute: Int64 = 60_000

    static func at(_ minutes: Int64, from base: Instant = t0) -> Instant {
        Instant(milliseconds: base.milliseconds + minutes * minute)
    }

    /// An incident opened `day` days after t0, acknowledged and resolved the given minutes after its opening.
    static func row(_ id: String, runbook: String = "db-recovery", day: Int64, ack: Int64?, resolve: Int64?, rto: Int64? = 120,
                    drill: Bool = false, missed: [String: Int] = [:], pages: [Int: Int] = [:], breakGlass: Int = 0) -> IncidentReviewRow {
        let opened = at(day * 1440)
        return IncidentReviewRow(
            id: id, runbookID: runbook, openedAt: opened, drill: drill, status: resolve == nil ? "open" : "resolved",
            facts: IncidentFacts(acknowledgedAt: ack.map { at($0, from: opened) }, resolvedAt: resolve.map { at($0, from: opened) },
                                 rtoMilliseconds: rto.map { $0 * minute }, missedByStage: missed, pagesByTier: pages,
                                 breakGlass: breakGlass))
    }

    /// Three db-recovery incidents (odd), a drill of it, and one rollback incident still open past its RTO (even overall).
    static let rows = [
        row("INC-1", day: 0, ack: 4, resolve: 30, missed: ["triage": 1], pages: [1: 2]),
        row("INC-2", day: 1, ack: 10, resolve: 180, missed: ["triage": 1, "restore": 2], pages: [1: 1, 2: 1], breakGlass: 1),
        row("INC-3", day: 2, ack: 2, resolve: 60),
        row("INC-4", day: 3, ack: 1, resolve: 5, drill: true, missed: ["triage": 5], pages: [1: 9], breakGlass: 3),
        row("INC-5", runbook: "rollback", day: 4, ack: 6, resolve: nil, rto: 30, pages: [1: 1]),
    ]
    static let asOf = at(5 * 1440)

    @Test(arguments: [
        // (values, percent, expected): the ⌈q·n⌉-th smallest.
        ([7], 50, 7), ([7], 90, 7),
        ([1, 2, 3, 4], 50, 2), ([1, 2, 3, 4], 90, 4),
        ([1, 2, 3, 4, 5], 50, 3), ([1, 2, 3, 4, 5], 90, 5),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),
        (Array(1...11), 90, 10), (Array(1...20), 90, 18),
    ] as [([Int64], Int, Int64)])
    func nearestRank(values: [Int64], percent: Int, expected: Int64) {
        #expect(StatsReport.nearestRank(values, percent: percent) == expected)
    }

    @Test func nearestRankOfNothingIsNothing() {
        #expect(StatsReport.nearestRank([], percent: 50) == nil)
        #expect(TimeFigure([]) == nil)
    }

    @Test func perRunbookOddCounts() throws {
        let report = StatsReport(rows: Self.rows, asOf: Self.asOf, since: Self.t0, span: "30d")
        #expect(report.runbooks.map(\.runbookID) == ["db-recovery", "rollback"])
        let db = report.runbooks[0]
        #expect(db.incidents == 3)
        #expect(db.drills == 1)
        #expect(db.unresolved == 0)
        // Acknowledged after 2, 4, 10 minutes: median the 2nd (⌈1.5⌉), p90 the 3rd (⌈2.7⌉). The drill's 1m is left out.
        #expect(db.timeToAcknowledge == TimeFigure(count: 3, median: 4 * Self.minute, p90: 10 * Self.minute))
        // Resolved after 30m, 1h, 3h.
        #expect(db.timeToResolve == TimeFigure(count: 3, median: 60 * Self.minute, p90: 180 * Self.minute))
        // RTO 2h: 30m and 1h within, 3h not.
        #expect(db.rtoMet == 2 && db.rtoJudged == 3)
        #expect(db.missedByStage == [StageCount(stage: "restore", count: 2), StageCount(stage: "triage", count: 2)])
        #expect(db.pagesByTier == [TierCount(tier: 1, count: 3), TierCount(tier: 2, count: 1)])
        #expect(db.breakGlass == 1)
    }

    @Test func overallEvenCounts() {
        let overall = StatsReport(rows: Self.rows, asOf: Self.asOf, since: Self.t0).overall
        #expect(overall.runbookID == nil)
        #expect(overall.incidents == 4 && overall.drills == 1 && overall.unresolved == 1)
        // 2, 4, 6, 10 minutes: median the 2nd (⌈2⌉), p90 the 4th (⌈3.6⌉).
        #expect(overall.timeToAcknowledge == TimeFigure(count: 4, median: 4 * Self.minute, p90: 10 * Self.minute))
        #expect(overall.timeToResolve == TimeFigure(count: 3, median: 60 * Self.minute, p90: 180 * Self.minute))
        // The open rollback incident is a day past its 30m RTO: missed already.
        #expect(overall.rtoMet == 2 && overall.rtoJudged == 4)
        #expect(overall.pagesByTier == [TierCount(tier: 1, count: 4), TierCount(tier: 2, count: 1)])
        #expect(overall.breakGlass == 1)
    }

    @Test func anOpenIncidentWithinItsRTOIsNotJudgedYet() {
        let open = Self.row("INC-9", day: 0, ack: nil, resolve: nil, rto: 120)
        let stats = StatsReport(rows: [open], asOf: Self.at(60), since: nil).overall
        #expect(stats.rtoJudged == 0 && stats.unresolved == 1 && stats.timeToAcknowledge == nil)
        #expect(StatsReport(rows: [open], asOf: Self.at(121), since: nil).overall.rtoJudged == 1)
    }

    @Test func noIncidents() {
        let report = StatsReport(rows: [], asOf: Self.asOf, since: Self.t0, span: "5d")
        #expect(report.runbooks.isEmpty)
        #expect(report.overall == RunbookStats(runbookID: nil, rows: [], asOf: Self.asOf))
        #expect(report.overall.incidents == 0 && report.overall.timeToResolve == nil && report.overall.rtoJudged == 0)
        #expect(report.buckets.count == 1 && report.buckets[0].incidents == 0)
        let markdown = StatsMarkdown.render(report, language: .english) { $0.iso8601 }
        #expect(markdown.contains("No incidents in this period."))
        #expect(!markdown.contains("Time to acknowledge"))
        #expect(StatsJSON.render(report)["overall"]?["time_to_acknowledge"] == .null)
    }

    @Test func onlyDrills() {
        let drills = [Self.row("INC-1", day: 0, ack: 3, resolve: 20, drill: true, missed: ["triage": 1], pages: [1: 1], breakGlass: 1),
                      Self.row("INC-2", day: 1, ack: 5, resolve: 40, drill: true)]
        let report = StatsReport(rows: drills, asOf: Self.asOf, since: Self.t0)
        let overall = report.overall
        #expect(overall.incidents == 0 && overall.drills == 2 && overall.unresolved == 0)
        #expect(overall.timeToAcknowledge == nil && overall.timeToResolve == nil)
        #expect(overall.rtoJudged == 0 && overall.missedByStage.isEmpty && overall.pagesByTier.isEmpty && overall.breakGlass == 0)
        #expect(report.buckets.map(\.drills).reduce(0, +) == 2)
        #expect(report.buckets.map(\.incidents).reduce(0, +) == 0)
    }

    @Test func weeksOfTheChart() {
        // Five days in one week; a year (53 weeks begun) in buckets of 3 weeks, so no more than 26 bars.
        let report = StatsReport(rows: Self.rows, asOf: Self.asOf, since: Self.t0)
        #expect(report.bucketDays == 7)
        #expect(report.buckets == [StatsBucket(start: Self.t0, incidents: 4, drills: 1)])
        let year = StatsReport(rows: Self.rows, asOf: Self.at(365 * 1440), since: Self.t0)
        #expect(year.bucketDays == 21 && year.buckets.count == 18)
    }

    @Test func markdownSaysTheFigures() {
        let report = StatsReport(rows: Self.rows, asOf: Self.asOf, since: Self.t0, span: "30d")
        let markdown = StatsMarkdown.render(report, language: .english) { $0.iso8601 }
        #expect(markdown.hasPrefix("# Incident review\n"))
        #expect(markdown.contains("## Overall\n"))
        #expect(markdown.contains("## Runbook db-recovery\n"))
        #expect(markdown.contains("| Time to acknowledge (median / p90) | 4m00s / 10m00s (n=3) |"))
        #expect(markdown.contains("| Time to resolve (median / p90) | 1h00m / 3h00m (n=3) |"))
        #expect(markdown.contains("| RTO met | 2 of 3 (67%) |"))
        #expect(markdown.contains("| RTO met | 2 of 4 (50%) |"))
        #expect(markdown.contains("| Deadlines missed | restore: 2, triage: 2 |"))
        #expect(markdown.contains("| Pages | tier 1: 3, tier 2: 1 |"))
        #expect(markdown.contains("| Drills | 1 |"))
        let korean = StatsMarkdown.render(report, language: .korean) { $0.iso8601 }
        #expect(korean.hasPrefix("# 장애 검토\n"))
        #expect(korean.contains("## 전체\n"))
        #expect(korean.contains("| 확인까지 걸린 시간 (중앙값 / p90) | 4m00s / 10m00s (n=3) |"))
    }

    @Test func idsAreEscapedInEveryFormat() {
        let hostile = [Self.row("INC-1", runbook: "x|<script>alert(1)</script>", day: 0, ack: 1, resolve: 2,
                                missed: ["<b>stage</b>|": 1])]
        let report = StatsReport(rows: hostile, asOf: Self.asOf, since: Self.t0)
        let markdown = StatsMarkdown.render(report, language: .english) { $0.iso8601 }
        #expect(!markdown.contains("<script>") && !markdown.contains("<b>"))
        #expect(markdown.contains("\\<b\\>stage\\</b\\>\\|: 1"))
        let html = StatsHTML.render(report, language: .english) { $0.iso8601 }
        #expect(!html.contains("<script>") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(StatsJSON.render(report)["runbooks"]?.array?.first?["runbook"] == .string("x|<script>alert(1)</script>"))
    }

    @Test func htmlIsOnePageWithAChart() {
        let report = StatsReport(rows: Self.rows, asOf: Self.asOf, since: Self.t0)
        let html = StatsHTML.render(report, language: .english) { $0.iso8601 }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // One bar pair per bucket, each with a hover title; no script, no external resource.
        #expect(html.components(separatedBy: "<title>").count - 1 == 1 + report.buckets.count)
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(html.contains("<th scope=\"row\">Time to resolve (median / p90)</th><td>1h00m / 3h00m (n=3)</td>"))
        #expect(StatsHTML.render(report, language: .korean) { $0.iso8601 }.contains("<h1>장애 검토</h1>"))
    }

    @Test func jsonCarriesItsSchemaVersionAndMilliseconds() {
        let json = StatsJSON.render(StatsReport(rows: Self.rows, asOf: Self.asOf, since: Self.t0, span: "30d"))
        #expect(json["schema_version"] == .int(1))
        #expect(json["span"] == .string("30d"))
        let overall = json["overall"]
        #expect(overall?["incidents"] == .int(4))
        #expect(overall?["drills"] == .int(1))
        #expect(overall?["time_to_acknowledge"]?["median_ms"] == .int(4 * Self.minute))
        #expect(overall?["time_to_acknowledge"]?["p90_ms"] == .int(10 * Self.minute))
        #expect(overall?["rto"] == .object([("met", .int(2)), ("judged", .int(4))]))
        #expect(overall?["pages"] == .object([("1", .int(4)), ("2", .int(1))]))
        // Parses back.
        #expect(throws: Never.self) { try JSONValue(parsing: json.text) }
    }

    /// The facts come from the fold: the first ack, the resolution in force after a reopening, break-glass over
    /// every visit, misses per stage (stage deadline and step timeouts), pages per tier.
    @Test func factsFromTheFold() throws {
        // The shipped db-recovery runbook: RTO 2h (the fold itself does not look at the runbook's states).
        let runbook = try shippedRunbook("db-recovery").runbook
        let events: [IncidentEvent] = [
            .opened(runbookID: "db-recovery", runbookSHA256: "x", title: "DB", severity: "SEV2", drill: false),
            .stateEntered(state: "triage", reason: .initial, from: nil),
            .deadlineMissed(DeadlineMiss(kind: .stage, state: "triage", step: nil, deadline: .minutes(15), dueAt: Self.at(15))),
            .deadlineMissed(DeadlineMiss(kind: .step, state: "triage", step: "look", deadline: .minutes(5), dueAt: Self.at(5))),
            .escalationStarted(episode: 1, cause: .unacknowledged, scope: .unacknowledged, baseAt: Self.t0),
            .escalated(episode: 1, index: 0, tier: 1, round: 1, roles: ["oncall"], dueAt: Self.t0, manual: false, reason: nil),
            .escalated(episode: 1, index: 1, tier: 2, round: 1, roles: ["manager"], dueAt: Self.at(10), manual: false, reason: nil),
            .acknowledged,
            .approvalOverridden(state: "triage", step: "look", role: "manager", reason: "unreachable"),
            .stateEntered(state: "restore", reason: .next, from: "triage"),
            .approvalOverridden(state: "restore", step: "fix", role: "manager", reason: "unreachable"),
            .acknowledged,
            .resolved(note: nil),
            .reopened(reason: "back"),
            .resolved(note: nil),
        ]
        var previous = EventChain.genesis
        var recorded: [RecordedEvent] = []
        for (offset, event) in events.enumerated() {
            let record = EventRecord(chaining: event.pending(actor: "kim", recordedAt: Self.at(Int64(offset) * 10)), incidentID: "INC-1",
                                     sequence: Int64(offset + 1), previousHash: previous)
            previous = record.hash
            recorded.append(try IncidentEvent.decode(record))
        }
        let state = try #require(IncidentState.replay(recorded))
        let facts = state.facts(in: runbook)
        #expect(facts == IncidentFacts(acknowledgedAt: Self.at(70), resolvedAt: Self.at(140), closedAt: nil,
                                       rtoMilliseconds: 120 * Self.minute, missedByStage: ["triage": 2], pagesByTier: [1: 1, 2: 1],
                                       breakGlass: 2))
        #expect(state.facts(in: nil).rtoMilliseconds == nil)
        // The store's text of the counts reads back to the same counts.
        let json = try #require(facts.countsJSON)
        #expect(json == #"{"missed":{"triage":2},"pages":{"1":1,"2":1}}"#)
        let counts = try #require(IncidentFacts.counts(json: json))
        #expect(counts.missedByStage == facts.missedByStage && counts.pagesByTier == facts.pagesByTier)
        #expect(IncidentFacts().countsJSON == nil)
        #expect(IncidentFacts.counts(json: "[1]") == nil)
    }
}
