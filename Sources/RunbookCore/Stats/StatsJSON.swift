/// The monthly review as JSON, for dashboards: times in milliseconds, counts as numbers, instants in ISO-8601 UTC.
///
/// `schema_version` changes whenever a field changes meaning or goes away (adding one does not change it).
public enum StatsJSON {
    public static let schemaVersion: Int64 = 1

    public static func render(_ report: StatsReport) -> JSONValue {
        .object([
            ("schema_version", .int(schemaVersion)),
            ("as_of", .string(report.asOf.iso8601)),
            ("since", .optional(report.since?.iso8601)),
            ("span", .optional(report.span)),
            ("runbook", .optional(report.runbookFilter)),
            ("checklist_runs", .int(Int64(report.checklistRuns))),
            ("overall", figures(report.overall)),
            ("runbooks", .array(report.runbooks.map(figures))),
            ("chart", .object([
                ("bucket_days", .int(Int64(report.bucketDays))),
                ("buckets", .array(report.buckets.map { bucket in
                    .object([("start", .string(bucket.start.iso8601)), ("incidents", .int(Int64(bucket.incidents))),
                             ("drills", .int(Int64(bucket.drills)))])
                })),
            ])),
        ])
    }

    static func figures(_ stats: RunbookStats) -> JSONValue {
        func time(_ figure: TimeFigure?) -> JSONValue {
            guard let figure else { return .null }
            return .object([("count", .int(Int64(figure.count))), ("median_ms", .int(figure.median)), ("p90_ms", .int(figure.p90))])
        }
        var members: [(String, JSONValue)] = []
        if let id = stats.runbookID { members.append(("runbook", .string(id))) }
        members += [
            ("incidents", .int(Int64(stats.incidents))),
            ("drills", .int(Int64(stats.drills))),
            ("unresolved", .int(Int64(stats.unresolved))),
            ("time_to_acknowledge", time(stats.timeToAcknowledge)),
            ("time_to_resolve", time(stats.timeToResolve)),
            ("rto", .object([("met", .int(Int64(stats.rtoMet))), ("judged", .int(Int64(stats.rtoJudged)))])),
            ("deadlines_missed", .object(stats.missedByStage.map { ($0.stage, .int(Int64($0.count))) })),
            ("pages", .object(stats.pagesByTier.map { (String($0.tier), .int(Int64($0.count))) })),
            ("break_glass", .int(Int64(stats.breakGlass))),
        ]
        return .object(members)
    }
}
