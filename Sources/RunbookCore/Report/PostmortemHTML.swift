/// The post-mortem as one self-contained HTML page with an inline SVG timeline; all user text is escaped.
public enum PostmortemHTML {
    /// Escapes text for HTML element content and attribute values; control characters other than line
    /// breaks and tabs are shown as text (`\e`, `\x07`, `\u{202E}`: `TextHygiene.visible`), so a report
    /// printed on a terminal cannot drive it either.
    public static func escape(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }),
           !text.unicodeScalars.contains(where: { TextHygiene.isControl($0) && $0 != "\n" && $0 != "\t" }) {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t", "\r\n": out.append(character == "\r\n" ? "\n" : character)
            default:
                if character.unicodeScalars.contains(where: TextHygiene.isControl) {
                    for scalar in character.unicodeScalars { out += TextHygiene.visible(scalar) }
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }

    public static func render(_ report: PostmortemReport, formatTime: (Instant) -> String = { $0.iso8601 }) -> String {
        // The Markdown sections rendered as HTML keep the two formats telling the same story.
        let e = escape
        func duration(_ ms: Int64?) -> String { ms.map { EventDescription.formatMilliseconds($0) } ?? "—" }
        var html = """
            <!DOCTYPE html>
            <html lang="ko"><head><meta charset="utf-8"><title>Post-mortem \(e(report.id))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Noto Sans KR","Malgun Gothic",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.45}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
            table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
            th{background:#f5f5f7}.met{color:#1a7f37}.missed{color:#c62828;font-weight:600}.draft{background:#fff3cd;padding:.1rem .4rem;border-radius:.3rem}
            .final{background:#d1f0d9;padding:.1rem .4rem;border-radius:.3rem}.drill{background:#d8ecff;padding:.1rem .4rem;border-radius:.3rem}
            .muted{color:#666}pre{background:#f5f5f7;padding:.5rem;overflow-x:auto;font-size:.85rem}code{font-size:.88em}
            .broken{color:#c62828;font-weight:700}svg text{font-family:inherit;font-size:11px}
            @media print{body{margin:0;max-width:none}details{display:block}details>summary{display:none}}
            </style></head><body>

            """
        let status = report.final ? "<span class=\"final\">final</span>" : "<span class=\"draft\">draft</span>"
        html += "<h1>Post-mortem: \(e(report.title))</h1>\n<p>\(status)\(report.drill ? " <span class=\"drill\">DRILL</span>" : "") "
            + "<span class=\"muted\">\(e(report.id)) · \(e(formatTime(report.openedAt)))</span></p>\n"
        html += "<table>\n"
        let severity = report.severity + report.severityChanges.map { " (\($0.from) → \($0.to) at \(formatTime($0.at)) by \($0.by))" }.joined()
        for (name, value) in [("Incident", report.id), ("Severity", severity), ("Runbook", "\(report.runbookID): \(report.runbookTitle)"),
                              ("Runbook SHA-256", report.runbookSHA256), ("Participants", report.participants.joined(separator: ", ")),
                              ("Incident status", report.status.rawValue)] {
            html += "<tr><th>\(e(name))</th><td>\(e(value))</td></tr>\n"
        }
        html += "</table>\n"
        func section(_ title: String, _ tag: String, _ placeholder: String) {
            html += "<h2>\(e(title))</h2>\n"
            let items = report.tagged[tag] ?? []
            if items.isEmpty {
                html += "<p class=\"muted\"><em>\(e(placeholder))</em></p>\n"
            } else {
                html += "<ul>" + items.map { "<li>\(e($0.text)) <span class=\"muted\">(\(e($0.by)), \(e(formatTime($0.at))))</span></li>" }.joined() + "</ul>\n"
            }
        }
        if !report.findings.isEmpty {
            html += "<h2>Findings</h2>\n<ul>" + report.findings.map {
                "<li class=\"missed\">\(e($0.message)) <span class=\"muted\">(#\($0.sequence), \(e(formatTime($0.at))))</span></li>"
            }.joined() + "</ul>\n"
        }
        html += "<h2>Summary</h2>\n"
        if let summary = report.tagged["summary"], !summary.isEmpty {
            html += summary.map { "<p>\(e($0.text))</p>" }.joined() + "\n"
        } else {
            html += "<p>\(e(report.generatedSummary(formatTime)))</p>\n"
        }
        section("Impact", "impact", "To fill in: who and what was affected, for how long.")
        section("Root cause", "root-cause", "To fill in.")
        section("Trigger", "trigger", "To fill in.")
        section("Resolution", "resolution", "To fill in.")
        section("Detection", "detection", "To fill in.")
        html += "<h2>Timeline of stages</h2>\n" + PostmortemTimelineSVG.render(report, formatTime: formatTime) + "\n"
        html += "<h2>Key times</h2>\n<table><tr><th>Interval</th><th>Time</th></tr>\n"
        html += "<tr><td>Time to acknowledge</td><td>\(duration(report.since(report.acknowledgedAt)))</td></tr>\n"
        html += "<tr><td>Time to contain</td><td>\(duration(report.since(report.containedAt)))</td></tr>\n"
        html += "<tr><td>Time to resolve</td><td>\(duration(report.since(report.resolvedAt)))</td></tr>\n"
        if let rto = report.rto, let verdict = report.rtoVerdict {
            html += "<tr><td>RTO target / actual</td><td>\(rto) / \(duration(report.since(report.resolvedAt))): \(verdict == .running ? "not resolved" : verdictHTML(verdict))</td></tr>\n"
        }
        html += "</table>\n<h2>Stages</h2>\n<table><tr><th>Stage</th><th>Entered</th><th>Target</th><th>Actual</th><th>Result</th></tr>\n"
        for row in report.stages {
            let result = verdictHTML(row.verdict)
            html += "<tr><td>\(e(row.title))</td><td>\(e(formatTime(row.enteredAt)))</td><td>\(row.target?.description ?? "—")</td>"
                + "<td>\(duration(row.actualMilliseconds))\(row.leftAt == nil ? " (running)" : "")</td><td>\(result)</td></tr>\n"
        }
        html += "</table>\n<h2>Escalations</h2>\n"
        html += report.pages.isEmpty ? "<p class=\"muted\">No one was paged.</p>\n" : "<ul>\n"
        for page in report.pages {
            html += "<li>\(e(formatTime(page.at))): tier \(page.tier)\(page.round > 1 ? " (round \(page.round))" : "") paged"
                + (page.manual ? " by \(e(page.by))" : "") + ": \(e(page.roles.joined(separator: ", "))); \(e(page.why))"
                + "<ul>" + page.deliveryLines(formatTime).map { "<li>\(e($0))</li>" }.joined() + "</ul></li>\n"
        }
        if !report.pages.isEmpty { html += "</ul>\n" }
        html += "<h2>Commands run</h2>\n"
        if report.commands.isEmpty { html += "<p class=\"muted\">None.</p>\n" }
        for command in report.commands {
            let outcome = command.outcome
            let result = outcome.shortResult
            html += "<p><code>\(e(command.step))</code> by \(e(command.by)) at \(e(formatTime(command.at))): <code>\(e(command.command))</code> → "
                + "\(e(result)) in \(duration(outcome.durationMilliseconds)), stdout SHA-256 <code>\(e(String(outcome.stdout.sha256.prefix(16))))…</code></p>\n"
            for (name, output) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] where output.totalBytes > 0 {
                html += "<details><summary>\(name) (\(output.totalBytes) bytes\(output.truncated ? ", middle cut" : ""))</summary><pre>"
                    + e(output.head + (output.tail.isEmpty ? "" : "\n[…]\n" + output.tail)) + "</pre></details>\n"
            }
        }
        html += "<h2>Inputs and approvals</h2>\n<ul>\n"
        for input in report.inputs { html += "<li>input <code>\(e(input.step))</code> = \(e(input.value)) (\(e(input.by)), \(e(formatTime(input.at))))</li>\n" }
        for approval in report.approvals {
            html += approval.refused.map { "<li>approval of <code>\(e(approval.step))</code> refused for \(e(approval.by)): \(e($0))</li>\n" }
                ?? "<li><code>\(e(approval.step))</code> approved by \(e(approval.by)) as \(e(approval.role)) (\(e(formatTime(approval.at))))</li>\n"
        }
        html += "</ul>\n<h2>Action items</h2>\n"
        let actions = report.tagged["action"] ?? []
        html += actions.isEmpty ? "<p class=\"muted\">None recorded.</p>\n"
            : "<ul>" + actions.map { "<li>☐ \(e($0.text))\($0.text.contains("owner") ? "" : $0.owner.map { " — owner: \(e($0))" } ?? "")</li>" }.joined() + "</ul>\n"
        html += "<h2>Lessons learned</h2>\n"
        for (title, tag) in [("What went well", "went-well"), ("What went wrong", "went-wrong"), ("Where we got lucky", "lucky")] {
            let items = report.tagged[tag] ?? []
            html += "<h3>\(title)</h3>" + (items.isEmpty ? "<p class=\"muted\"><em>To fill in.</em></p>"
                                           : "<ul>" + items.map { "<li>\(e($0.text)) <span class=\"muted\">(\(e($0.by)))</span></li>" }.joined() + "</ul>") + "\n"
        }
        html += "<h2>Notes</h2>\n" + (report.notes.isEmpty ? "<p class=\"muted\">None.</p>"
                                      : "<ul>" + report.notes.map { "<li>\(e(formatTime($0.at))) \(e($0.by)): \(e($0.text))</li>" }.joined() + "</ul>") + "\n"
        html += "<h2>Timeline</h2>\n<table><tr><th>Time</th><th>#</th><th>Who</th><th>What</th></tr>\n"
        for entry in report.timeline {
            let time = formatTime(entry.at) + (entry.recordedAt.map { " (recorded \(formatTime($0)))" } ?? "")
            html += "<tr><td>\(e(time))</td><td>\(entry.sequence)</td><td>\(e(entry.actor))</td><td>\(e(entry.text))</td></tr>\n"
        }
        html += "</table>\n<h2>Integrity</h2>\n"
        if report.integrity.intact {
            html += "<p class=\"met\">Log verified: \(report.integrity.events) events, none edited, deleted or reordered.</p>\n"
        } else {
            html += "<p class=\"broken\">\(e(report.integrity.finding ?? "log altered")). This report may not tell what happened.</p>\n<ul>"
            for problem in report.integrity.problems { html += "<li>\(e(problem.sentence))</li>" }
            html += "</ul>\n"
        }
        if let checkpoint = report.integrity.checkpoint {
            html += "<p>Checkpoint <code>\(e(checkpoint.text))</code>: <code>runbook verify \(e(report.id)) --checkpoint \(e(checkpoint.text))</code> proves the log still holds it.</p>\n"
        }
        html += "<p class=\"muted\"><em>Generated \(e(formatTime(report.generatedAt))) by runbook from the event log.</em></p>\n</body></html>\n"
        return html
    }

    static func verdictHTML(_ verdict: PostmortemReport.Verdict) -> String {
        switch verdict {
        case .met: "<span class=\"met\">met</span>"
        case .missed: "<span class=\"missed\">\(verdict.text)</span>"
        case .running: "running"
        case .noTarget: "—"
        }
    }
}
