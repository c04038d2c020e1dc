/// The monthly review (`runbook stats`, SPEC §8): per runbook and overall, built from each incident's stored facts.
///
/// Pure: the rows, the window and "now" come in; nothing is read or replayed. Drills are counted apart and left out
/// of every other figure. Times are the median and p90 by nearest rank (the ⌈q·n⌉-th smallest), never means.
public struct StatsReport: Sendable, Equatable {
    /// When the review was made.
    public var asOf: Instant
    /// The start of the window (incidents opened at or after it); nil for every incident.
    public var since: Instant?
    /// The window as the user wrote it (`30d`).
    public var span: String?
    /// The runbook asked for (`--runbook`), if any.
    public var runbookFilter: String?
    public var overall: RunbookStats
    /// One per runbook that has an incident or a drill in the window, by runbook id.
    public var runbooks: [RunbookStats]
    /// The chart: incidents and drills opened per bucket of `bucketDays` days, oldest first.
    public var buckets: [StatsBucket]
    public var bucketDays: Int

    /// Buckets are weeks, widened to whole multiples of a week so that the chart has at most this many bars.
    public static let maximumBuckets = 26

    /// Runs of routine checks (`kind: checklist`) in the window: left out of every incident figure, counted here.
    public var checklistRuns = 0

    /// `checklists` names the runbooks whose runs are routine checks, not incidents.
    public init(rows allRows: [IncidentReviewRow], asOf: Instant, since: Instant?, span: String? = nil, runbookFilter: String? = nil,
                checklists: Set<String> = []) {
        let rows = allRows.filter { !checklists.contains($0.runbookID) }
        checklistRuns = allRows.count - rows.count
        self.asOf = asOf
        self.since = since
        self.span = span
        self.runbookFilter = runbookFilter
        overall = RunbookStats(runbookID: nil, rows: rows, asOf: asOf)
        runbooks = Dictionary(grouping: rows, by: \.runbookID).sorted { $0.key < $1.key }
            .map { RunbookStats(runbookID: $0.key, rows: $0.value, asOf: asOf) }
        (buckets, bucketDays) = Self.buckets(rows, from: since ?? rows.map(\.openedAt).min() ?? asOf, to: asOf)
    }

    /// The value of rank ⌈percent/100 · n⌉ (1-based) in `sorted`, ascending; nil when empty.
    public static func nearestRank(_ sorted: [Int64], percent: Int) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = (percent * sorted.count + 99) / 100
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func buckets(_ rows: [IncidentReviewRow], from start: Instant, to end: Instant) -> ([StatsBucket], Int) {
        let week: Int64 = 7 * 86_400_000
        let span = max(end.milliseconds - start.milliseconds, 1)
        let weeks = (span + week - 1) / week
        let weeksPerBucket = max((weeks + Int64(maximumBuckets) - 1) / Int64(maximumBuckets), 1)
        let width = weeksPerBucket * week
        let count = Int((span + width - 1) / width)
        var buckets = (0..<count).map { StatsBucket(start: Instant(milliseconds: start.milliseconds + Int64($0) * width)) }
        for row in rows {
            let offset = row.openedAt.milliseconds - start.milliseconds
            guard offset >= 0 else { continue }
            let index = min(Int(offset / width), count - 1)
            if row.drill { buckets[index].drills += 1 } else { buckets[index].incidents += 1 }
        }
        return (buckets, Int(weeksPerBucket) * 7)
    }
}

/// The figures of one runbook, or of all (`runbookID` nil).
public struct RunbookStats: Sendable, Equatable {
    public var runbookID: String?
    /// Real incidents (drills apart).
    public var incidents: Int
    public var drills: Int
    /// Real incidents not resolved yet.
    public var unresolved: Int
    /// Opening to the first acknowledgement, over the real incidents acknowledged.
    public var timeToAcknowledge: TimeFigure?
    /// Opening to the resolution, over the real incidents resolved.
    public var timeToResolve: TimeFigure?
    /// Real incidents with an RTO resolved within it, over those with an RTO that are resolved or already past it.
    public var rtoMet: Int
    public var rtoJudged: Int
    /// Deadlines missed (stage deadlines and step timeouts), by stage id, most first.
    public var missedByStage: [StageCount]
    /// Pages, by tier, lowest first.
    public var pagesByTier: [TierCount]
    public var breakGlass: Int

    public init(runbookID: String?, rows: [IncidentReviewRow], asOf: Instant) {
        self.runbookID = runbookID
        let real = rows.filter { !$0.drill }
        incidents = real.count
        drills = rows.count - real.count
        unresolved = real.filter { $0.facts.resolvedAt == nil }.count
        timeToAcknowledge = TimeFigure(real.compactMap { row in row.facts.acknowledgedAt.map { $0.milliseconds(since: row.openedAt) } })
        timeToResolve = TimeFigure(real.compactMap { row in row.facts.resolvedAt.map { $0.milliseconds(since: row.openedAt) } })
        var met = 0, judged = 0, breakGlass = 0
        var missed: [String: Int] = [:], pages: [Int: Int] = [:]
        for row in real {
            breakGlass += row.facts.breakGlass
            for (stage, count) in row.facts.missedByStage { missed[stage, default: 0] += count }
            for (tier, count) in row.facts.pagesByTier { pages[tier, default: 0] += count }
            guard let rto = row.facts.rtoMilliseconds else { continue }
            if let resolved = row.facts.resolvedAt {
                judged += 1
                if resolved.milliseconds(since: row.openedAt) <= rto { met += 1 }
            } else if asOf.milliseconds(since: row.openedAt) > rto {
                // Still unresolved and already past its RTO: missed, whatever happens next.
                judged += 1
            }
        }
        rtoMet = met
        rtoJudged = judged
        self.breakGlass = breakGlass
        missedByStage = missed.map { StageCount(stage: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.stage) < ($0.count, $1.stage) }
        pagesByTier = pages.map { TierCount(tier: $0.key, count: $0.value) }.sorted { $0.tier < $1.tier }
    }
}

/// A time figure over some incidents: how many, the median and the p90 (nearest rank), in milliseconds.
public struct TimeFigure: Sendable, Equatable {
    public var count: Int
    public var median: Int64
    public var p90: Int64

    public init(count: Int, median: Int64, p90: Int64) {
        self.count = count
        self.median = median
        self.p90 = p90
    }

    /// The figure of `values`; nil when there are none.
    public init?(_ values: [Int64]) {
        let sorted = values.sorted()
        guard let median = StatsReport.nearestRank(sorted, percent: 50),
              let p90 = StatsReport.nearestRank(sorted, percent: 90) else { return nil }
        self.init(count: sorted.count, median: median, p90: p90)
    }
}

public struct StageCount: Sendable, Equatable {
    public var stage: String
    public var count: Int

    public init(stage: String, count: Int) {
        self.stage = stage
        self.count = count
    }
}

public struct TierCount: Sendable, Equatable {
    public var tier: Int
    public var count: Int

    public init(tier: Int, count: Int) {
        self.tier = tier
        self.count = count
    }
}

/// Incidents and drills opened in one bucket of the chart.
public struct StatsBucket: Sendable, Equatable {
    public var start: Instant
    public var incidents = 0
    public var drills = 0

    public init(start: Instant, incidents: Int = 0, drills: Int = 0) {
        self.start = start
        self.incidents = incidents
        self.drills = drills
    }
}
