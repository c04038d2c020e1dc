import Foundation
import RunbookTestSupport
import Testing

/// `runbook stats` end to end: back-dated incidents (RUNBOOK_NOW in the past) and a drill, the figures in every
/// format, the window and the runbook filter, Korean headings, and a read-only command that never creates a database.
@Suite struct StatsCommandTests {
    /// Runs `arguments` at `now`; fails the test on a non-zero exit.
    @discardableResult
    func run(_ base: CLIRunner, _ arguments: [String], at now: String, input: String = "") throws -> String {
        var cli = base
        cli.environment["RUNBOOK_NOW"] = now
        cli.environment["RUNBOOK_USER"] = "kim"
        let result = try cli.run(arguments, input: input)
        #expect(result.status == 0, "runbook \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    /// Opens an incident at `day` 01:00 (November 2026 unless `month` says otherwise), acknowledges it `ack` minutes
    /// later and resolves it `resolve` minutes after the opening (if given).
    func incident(_ cli: CLIRunner, _ runbook: String, month: Int = 11, day: Int, ack: Int, resolve: Int?) throws {
        func at(_ minutes: Int) -> String {
            String(format: "2026-%02d-%02dT%02d:%02d:00Z", month, day, 1 + minutes / 60, minutes % 60)
        }
        let id = try run(cli, ["start", runbook, "--no-guide"], at: at(0)).split(separator: "\n").last.map(String.init) ?? ""
        #expect(id.hasPrefix("INC-"), "start printed \(id)")
        try run(cli, ["ack", id], at: at(ack))
        if let resolve { try run(cli, ["resolve", id, "--note", "service back"], at: at(resolve)) }
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func figure(_ object: [String: Any]?, _ key: String, _ field: String) -> Int? {
        (object?[key] as? [String: Any])?[field] as? Int
    }

    @Test func theMonthlyReviewOfBackDatedIncidentsAndADrill() throws {
        try withWorkspace { cli, _ in
            try incident(cli, "security-incident", day: 20, ack: 4, resolve: 30)
            try incident(cli, "security-incident", day: 21, ack: 10, resolve: 180)
            try incident(cli, "security-incident", day: 22, ack: 2, resolve: 60)
            try incident(cli, "db-recovery", day: 23, ack: 6, resolve: nil)
            // Outside the default 30 days before 2026-11-25.
            try incident(cli, "db-recovery", month: 10, day: 1, ack: 1, resolve: 20)
            try run(cli, ["drill", "security-incident", "--as", "kim"], at: "2026-11-24T01:00:00Z", input: "ack\nquit\n")
            let now = "2026-11-25T00:00:00Z"

            let all = try json(try run(cli, ["stats", "--format", "json"], at: now))
            #expect(all["schema_version"] as? Int == 1)
            let overall = all["overall"] as? [String: Any]
            #expect(overall?["incidents"] as? Int == 4)
            #expect(overall?["drills"] as? Int == 1)
            #expect(overall?["unresolved"] as? Int == 1)
            // Acknowledged after 2, 4, 6, 10 minutes (the drill left out): the 2nd and the 4th.
            #expect(figure(overall, "time_to_acknowledge", "median_ms") == 240_000)
            #expect(figure(overall, "time_to_acknowledge", "p90_ms") == 600_000)
            // Resolved after 30m, 1h, 3h: the 2nd and the 3rd.
            #expect(figure(overall, "time_to_resolve", "median_ms") == 3_600_000)
            #expect(figure(overall, "time_to_resolve", "p90_ms") == 10_800_000)
            // RTO 2h: 30m and 1h met; 3h missed; the open db-recovery incident is a day past its 2h.
            #expect(figure(overall, "rto", "met") == 2)
            #expect(figure(overall, "rto", "judged") == 4)
            // Nobody acknowledged within detect's deadline of the 3h incident: it was paged.
            #expect(((overall?["pages"] as? [String: Any])?["1"] as? Int ?? 0) > 0)
            #expect((all["runbooks"] as? [[String: Any]])?.compactMap { $0["runbook"] as? String } == ["db-recovery", "security-incident"])

            // One runbook: 2, 4, 10 minutes to acknowledge.
            let security = try json(try run(cli, ["stats", "--runbook", "security-incident", "--format", "json"], at: now))
            let figures = security["overall"] as? [String: Any]
            #expect(security["runbook"] as? String == "security-incident")
            #expect(figures?["incidents"] as? Int == 3)
            #expect(figures?["drills"] as? Int == 1)
            #expect(figure(figures, "time_to_acknowledge", "median_ms") == 240_000)
            #expect(figure(figures, "rto", "met") == 2)
            #expect(figure(figures, "rto", "judged") == 3)

            // A wider window takes in October's incident: 1, 2, 4, 6, 10 minutes; 20m, 30m, 1h, 3h.
            let wide = try json(try run(cli, ["stats", "--since", "60d", "--format", "json"], at: now))["overall"] as? [String: Any]
            #expect(wide?["incidents"] as? Int == 5)
            #expect(figure(wide, "time_to_acknowledge", "median_ms") == 240_000)
            #expect(figure(wide, "time_to_resolve", "median_ms") == 1_800_000)
            #expect(figure(wide, "time_to_resolve", "p90_ms") == 10_800_000)

            let markdown = try run(cli, ["stats"], at: now)
            #expect(markdown.hasPrefix("# Incident review\n"))
            #expect(markdown.contains("| Time to acknowledge (median / p90) | 4m00s / 10m00s (n=4) |"))
            #expect(markdown.contains("| Time to resolve (median / p90) | 1h00m / 3h00m (n=3) |"))
            #expect(markdown.contains("| RTO met | 2 of 4 (50%) |"))
            #expect(markdown.contains("## Runbook db-recovery\n"))

            let html = try run(cli, ["stats", "--format", "html"], at: now)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(html.contains("<th scope=\"row\">Drills</th><td>1</td>"))

            var korean = cli
            korean.environment["LANG"] = "ko_KR.UTF-8"
            let koreanMarkdown = try run(korean, ["stats"], at: now)
            #expect(koreanMarkdown.hasPrefix("# 장애 검토\n"))
            #expect(koreanMarkdown.contains("## 전체\n"))
            #expect(koreanMarkdown.contains("| 확인까지 걸린 시간 (중앙값 / p90) | 4m00s / 10m00s (n=4) |"))
            #expect(try run(korean, ["stats", "--format", "html"], at: now).contains("<h1>장애 검토</h1>"))

            // Read-only: the review appends nothing (the open incident's due pages are left to the next action).
            let before = try run(cli, ["verify"], at: now)
            try run(cli, ["stats"], at: now)
            #expect(try run(cli, ["verify"], at: now) == before)
        }
    }

    @Test func aMistypedDatabaseIsAnErrorNotANewFile() throws {
        try withWorkspace { cli, directory in
            let result = try cli.run(["stats", "--db", "typo.db"])
            #expect(result.status == 64)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/typo.db"))
            let bad = try cli.run(["stats", "--since", "soon"])
            #expect(bad.status == 64)
            #expect(bad.stderr.contains("--since expects a duration like 30d"))
        }
    }

    @Test func aMistypedRunbookIsAnErrorNotAnEmptyReview() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            #expect(try cli.run(["start", "security-incident", "--no-guide", "--as", "kim"]).status == 0)
            let typo = try cli.run(["stats", "--runbook", "security-incidnt"])
            #expect(typo.status == 64)
            #expect(typo.stderr == "runbook: error: no runbook `security-incidnt` in runbooks; did you mean `security-incident`? "
                    + "run `runbook list` to see them\n")
            // A shipped runbook nobody ran in the window is a review with nothing in it, not an error.
            let quiet = try cli.run(["stats", "--runbook", "rollback"])
            #expect(quiet.status == 0)
        }
    }
}
