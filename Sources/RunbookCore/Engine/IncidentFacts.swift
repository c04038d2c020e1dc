/// What the monthly review (`runbook stats`, SPEC §8) needs of an incident, kept in the store's incident row at
/// every append so the review reads one row per incident instead of replaying its events.
///
/// A projection like the rest of the row: `IncidentState.facts(in:)` computes it from the fold, so it can be
/// rebuilt from the events at any time (the store's migration does so for incidents recorded before it).
public struct IncidentFacts: Sendable, Equatable {
    /// The first acknowledgement after the opening.
    public var acknowledgedAt: Instant?
    /// The resolution in force (a reopened incident's earlier resolution no longer counts).
    public var resolvedAt: Instant?
    public var closedAt: Instant?
    /// The RTO in force, in milliseconds (the runbook's, or the last one set by a stage the incident went through).
    public var rtoMilliseconds: Int64?
    /// Deadlines recorded as missed (a stage's deadline and its steps' timeouts), by stage id.
    public var missedByStage: [String: Int]
    /// Pages sent, by tier (0: a notice outside the tiers, after resolution).
    public var pagesByTier: [Int: Int]
    /// Approvals completed by breaking the glass.
    public var breakGlass: Int

    /// A short description for a verification problem: "ack 1700000000000, resolved -, closed -, rto 7200000,
    /// missed 2, pages 5, break-glass 0".
    public var summary: String {
        func at(_ instant: Instant?) -> String { instant.map { $0.iso8601 } ?? "-" }
        return "acknowledged \(at(acknowledgedAt)), resolved \(at(resolvedAt)), closed \(at(closedAt)), "
            + "rto \(rtoMilliseconds.map(String.init) ?? "-") ms, missed \(missedByStage.values.reduce(0, +)), "
            + "pages \(pagesByTier.values.reduce(0, +)), break-glass \(breakGlass)"
    }

    public init(acknowledgedAt: Instant? = nil, resolvedAt: Instant? = nil, closedAt: Instant? = nil, rtoMilliseconds: Int64? = nil,
                missedByStage: [String: Int] = [:], pagesByTier: [Int: Int] = [:], breakGlass: Int = 0) {
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.closedAt = closedAt
        self.rtoMilliseconds = rtoMilliseconds
        self.missedByStage = missedByStage
        self.pagesByTier = pagesByTier
        self.breakGlass = breakGlass
    }
}

extension IncidentFacts {
    /// The two counts as the store keeps them: a compact JSON object (`{"missed":{"detect":1},"pages":{"1":2}}`),
    /// nil when both are empty. Keys are sorted, so the same facts always give the same text.
    public var countsJSON: String? {
        guard !missedByStage.isEmpty || !pagesByTier.isEmpty else { return nil }
        var members: [(String, JSONValue)] = []
        if !missedByStage.isEmpty {
            members.append(("missed", .object(missedByStage.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })))
        }
        if !pagesByTier.isEmpty {
            members.append(("pages", .object(pagesByTier.sorted { $0.key < $1.key }.map { (String($0.key), .int(Int64($0.value))) })))
        }
        return JSONValue.object(members).text
    }

    /// Reads the counts `countsJSON` wrote; nil when the text is not such an object (a damaged row).
    public static func counts(json text: String) -> (missedByStage: [String: Int], pagesByTier: [Int: Int])? {
        guard let value = try? JSONValue(parsing: text), let members = value.members else { return nil }
        var missed: [String: Int] = [:], pages: [Int: Int] = [:]
        for (key, value) in members {
            guard let counts = value.members else { return nil }
            for (name, count) in counts {
                guard let count = count.int else { return nil }
                switch key {
                case "missed": missed[name] = Int(count)
                case "pages":
                    guard let tier = Int(name) else { return nil }
                    pages[tier] = Int(count)
                default: return nil
                }
            }
        }
        return (missed, pages)
    }
}

extension IncidentState {
    /// The incident's facts for the review, from the fold and the runbook it runs (for the RTO in force; without
    /// it, the RTO is unknown).
    public func facts(in runbook: Runbook?) -> IncidentFacts {
        var missed: [String: Int] = [:]
        for visit in visits {
            let count = (visit.stageMissed ? 1 : 0) + visit.stepsMissed.count
            if count > 0 { missed[visit.state, default: 0] += count }
        }
        var pages: [Int: Int] = [:]
        for episode in episodes {
            for page in episode.pages { pages[page.tier, default: 0] += 1 }
        }
        return IncidentFacts(acknowledgedAt: acknowledged?.at, resolvedAt: resolved?.at, closedAt: closed?.at,
                             rtoMilliseconds: runbook.flatMap { rtoInForce(in: $0) }.map { Int64($0.seconds) * 1000 },
                             missedByStage: missed, pagesByTier: pages, breakGlass: breakGlass)
    }
}
