import Foundation
import RunbookCore

/// The review's facts of generated incident `incident`, varied so that the figures are not all alike: acknowledged
/// after 1 to 17 minutes, nine in ten resolved after 5 minutes to 4 hours, RTO 2h, a few missed deadlines and
/// pages, a break-glass now and then. Only the facts columns are set (status, stage and drill stay what the
/// generator's notes fold to, so `verify` still finds the database whole): the row measures reading and
/// aggregating 10 000 rows, which does not depend on the facts agreeing with the events.
func benchFacts(_ incident: Int, openedAt: Instant) -> IncidentFacts {
    func after(_ minutes: Int) -> Instant { Instant(milliseconds: openedAt.milliseconds + Int64(minutes) * 60_000) }
    var missed: [String: Int] = [:], pages: [Int: Int] = [1: 1 + incident % 2]
    if incident % 3 != 0 { missed["detect"] = incident % 3 }
    if incident % 7 == 0 { missed["contain"] = 1 }
    if incident % 5 == 0 { pages[2] = 1 }
    return IncidentFacts(acknowledgedAt: after(incident % 17 + 1), resolvedAt: incident % 10 == 9 ? nil : after(incident % 236 + 5),
                         rtoMilliseconds: 7_200_000, missedByStage: missed, pagesByTier: pages, breakGlass: incident % 50 == 0 ? 1 : 0)
}

/// The `stats` group alone: builds the 10k / 1M database as `store` does, then only the review's row.
func statsRowsOnly() -> [Row] {
    do {
        let (_, database) = try bulkAppendRows(incidents: 10_000, eventsPerIncident: 100)
        defer { try? FileManager.default.removeItem(atPath: database.directory) }
        try FileManager.default.copyItem(atPath: "runbooks", toPath: "\(database.directory)/runbooks")
        return try statsRows(database, runbook: runbookBinary())
    } catch {
        print("runbook-bench: stats rows failed: \(error)")
        return []
    }
}

/// `runbook stats` over every incident of the big database (10 000 rows of facts; it reads no events), against the
/// sqlite3 shell aggregating the same rows and columns: counts and sums per runbook and drill, and the missed
/// deadlines and pages out of the JSON counts.
func statsRows(_ database: BenchDatabase, runbook: String) throws -> [Row] {
    let runs = 21
    let window = ["--since", "3650d"]
    let since = "(CAST(strftime('%s', 'now') AS INTEGER) - 3650 * 86400) * 1000"
    let query = """
        SELECT runbook_id, drill, count(*), count(acked_at), sum(acked_at - opened_at), count(resolved_at),
               sum(resolved_at - opened_at), sum(resolved_at - opened_at <= rto_ms), sum(break_glass)
        FROM incidents WHERE opened_at >= \(since) GROUP BY runbook_id, drill;
        SELECT j.key, sum(j.value) FROM incidents, json_each(incidents.counts, '$.missed') AS j
        WHERE opened_at >= \(since) GROUP BY j.key;
        SELECT j.key, sum(j.value) FROM incidents, json_each(incidents.counts, '$.pages') AS j
        WHERE opened_at >= \(since) GROUP BY j.key;
        """
    let shell = median(try measure(runs: runs) { try spawn("/usr/bin/sqlite3", [database.path, query], directory: database.directory) })
    let env = ["RUNBOOK_USER": "bench", "RUNBOOK_PATH": "\(database.directory)/runbooks"]
    let stats = median(try measure(runs: runs) {
        let status = try spawn(runbook, ["stats", "--db", database.path, "--format", "json"] + window, directory: database.directory,
                               environment: env)
        if status != 0 { print("runbook-bench: stats exited with status \(status)") }
    })
    let ratio = stats / shell
    return [Row(name: "CLI `stats`, 10k incidents / 1M events (median of \(runs))", measured: "\(format(stats * 1000)) ms",
                reference: "sqlite3 shell same aggregates \(format(shell * 1000)) ms", ratio: format(ratio, 2), target: "<= 5x",
                pass: ratio <= 5)]
}
