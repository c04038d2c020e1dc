/// The post-mortem as Markdown, to paste into a wiki.
public enum PostmortemMarkdown {
    /// Renders the report; times are shown with `formatTime` (local time in the CLI).
    public static func render(_ report: PostmortemReport, formatTime: (Instant) -> String = { $0.iso8601 }) -> String {
        var lines: [String] = []
        func duration(_ ms: Int64?) -> String { ms.map { EventDescription.formatMilliseconds($0) } ?? "—" }
        func cell(_ text: String) -> String { text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ") }
        let status = report.final ? "final" : "draft"
        lines.append("# Post-mortem: \(report.title)\(report.drill ? " (DRILL)" : "")")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| Incident | \(report.id) |")
        lines.append("| Status | \(status) (incident \(report.status.rawValue)) |")
        lines.append("| Date | \(formatTime(report.openedAt)) |")
        lines.append("| Severity | \(report.severity)" + report.severityChanges.map { " (\($0.from) → \($0.to) at \(formatTime($0.at)) by \($0.by))" }.joined() + " |")
        lines.append("| Runbook | \(report.runbookID): \(cell(report.runbookTitle)) |")
        lines.append("| Runbook SHA-256 | `\(report.runbookSHA256)` |")
        lines.append("| Participants | \(report.participants.joined(separator: ", ")) |")
        lines.append("| Kind | \(report.drill ? "drill (practice)" : "real incident") |")
        lines.append("")
        func section(_ title: String, _ tag: String, placeholder: String) {
            lines.append("## \(title)")
            lines.append("")
            let items = report.tagged[tag] ?? []
            if items.isEmpty {
                lines.append("_\(placeholder)_")
            } else {
                for item in items { lines.append("- \(item.text) (\(item.by), \(formatTime(item.at)))") }
            }
            lines.append("")
        }
        lines.append("## Summary")
        lines.append("")
        if let summary = report.tagged["summary"], !summary.isEmpty {
            for item in summary { lines.append(item.text) }
        } else {
            lines.append(report.generatedSummary(formatTime))
        }
        lines.append("")
        section("Impact", "impact", placeholder: "To fill in: who and what was affected, for how long (note `impact: …`).")
        section("Root cause", "root-cause", placeholder: "To fill in (note `root-cause: …`).")
        section("Trigger", "trigger", placeholder: "To fill in (note `trigger: …`).")
        section("Resolution", "resolution", placeholder: "To fill in (note `resolution: …`).")
        section("Detection", "detection", placeholder: "To fill in (note `detection: …`).")

        lines.append("## Key times")
        lines.append("")
        lines.append("| Interval | Time |")
        lines.append("|---|---|")
        lines.append("| Time to acknowledge | \(duration(report.since(report.acknowledgedAt))) |")
        lines.append("| Time to contain | \(duration(report.since(report.containedAt))) |")
        lines.append("| Time to resolve | \(duration(report.since(report.resolvedAt))) |")
        if let rto = report.rto, let verdict = report.rtoVerdict {
            lines.append("| RTO target / actual | \(rto) / \(duration(report.since(report.resolvedAt))): "
                         + (verdict == .running ? "not resolved" : verdict.text) + " |")
        }
        lines.append("")
        lines.append("## Stages")
        lines.append("")
        lines.append("| Stage | Entered | Target | Actual | Result |")
        lines.append("|---|---|---|---|---|")
        for row in report.stages {
            let actual = duration(row.actualMilliseconds) + (row.leftAt == nil ? " (running)" : "")
            lines.append("| \(cell(row.title)) | \(formatTime(row.enteredAt)) | \(row.target?.description ?? "—") | \(actual) | \(row.verdict.text) |")
        }
        lines.append("")
        lines.append("## Escalations")
        lines.append("")
        if report.pages.isEmpty { lines.append("_No one was paged._") }
        for page in report.pages {
            let who = page.manual ? " by \(page.by)" : ""
            lines.append("- \(formatTime(page.at)): tier \(page.tier)\(page.round > 1 ? " (round \(page.round))" : "") paged\(who): "
                         + "\(page.roles.joined(separator: ", ")); \(page.why)")
            for delivery in page.deliveryLines(formatTime) { lines.append("  - \(delivery)") }
        }
        lines.append("")
        lines.append("## Commands run")
        lines.append("")
        if report.commands.isEmpty { lines.append("_None._") }
        for command in report.commands {
            let outcome = command.outcome
            let result = outcome.shortResult
            lines.append("- `\(command.step)` by \(command.by) at \(formatTime(command.at)): `\(command.command)` → \(result) in "
                         + "\(duration(outcome.durationMilliseconds)); output \(outcome.stdout.totalBytes + outcome.stderr.totalBytes) bytes, "
                         + "stdout SHA-256 `\(outcome.stdout.sha256.prefix(16))…`")
            for (name, output) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] where output.totalBytes > 0 {
                lines.append("  <details><summary>\(name) (\(output.totalBytes) bytes\(output.truncated ? ", middle cut" : ""))</summary>")
                lines.append("")
                lines.append("  ```")
                for line in (output.head + (output.tail.isEmpty ? "" : "\n[…]\n" + output.tail)).split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append("  " + String(line).replacingAll("```", with: "'''"))
                }
                lines.append("  ```")
                lines.append("  </details>")
            }
        }
        lines.append("")
        lines.append("## Inputs and approvals")
        lines.append("")
        if report.inputs.isEmpty && report.approvals.isEmpty { lines.append("_None._") }
        for input in report.inputs { lines.append("- input `\(input.step)` = \(input.value) (\(input.by), \(formatTime(input.at)))") }
        for approval in report.approvals {
            if let refused = approval.refused {
                lines.append("- approval of `\(approval.step)` refused for \(approval.by) (\(formatTime(approval.at))): \(refused)")
            } else {
                lines.append("- `\(approval.step)` approved by \(approval.by) as \(approval.role) (\(formatTime(approval.at)))")
            }
        }
        lines.append("")
        lines.append("## Action items")
        lines.append("")
        let actions = report.tagged["action"] ?? []
        if actions.isEmpty { lines.append("_None recorded (note `action: … (owner: NAME)`)._") }
        for item in actions { lines.append("- [ ] \(item.text)" + (item.text.contains("owner") ? "" : item.owner.map { " — owner: \($0)" } ?? "")) }
        lines.append("")
        lines.append("## Lessons learned")
        lines.append("")
        for (title, tag) in [("What went well", "went-well"), ("What went wrong", "went-wrong"), ("Where we got lucky", "lucky")] {
            lines.append("### \(title)")
            lines.append("")
            let items = report.tagged[tag] ?? []
            if items.isEmpty { lines.append("_To fill in (note `\(tag): …`)._") }
            for item in items { lines.append("- \(item.text) (\(item.by))") }
            lines.append("")
        }
        lines.append("## Notes")
        lines.append("")
        if report.notes.isEmpty { lines.append("_None._") }
        for note in report.notes { lines.append("- \(formatTime(note.at)) \(note.by): \(note.text)") }
        lines.append("")
        lines.append("## Timeline")
        lines.append("")
        lines.append("| Time | # | Who | What |")
        lines.append("|---|---|---|---|")
        for entry in report.timeline {
            let time = formatTime(entry.at) + (entry.recordedAt.map { " (recorded \(formatTime($0)))" } ?? "")
            lines.append("| \(time) | \(entry.sequence) | \(cell(entry.actor)) | \(cell(entry.text)) |")
        }
        lines.append("")
        lines.append("## Integrity")
        lines.append("")
        switch report.integrity {
        case .intact(let count):
            lines.append("Hash chain verified: \(count) events, none edited, deleted or reordered.")
        case .broken(let sequence, let reason):
            lines.append("**Hash chain broken at event \(sequence): \(reason).** This report may not tell what happened.")
        }
        lines.append("")
        lines.append("_Generated \(formatTime(report.generatedAt)) by runbook from the event log._")
        return lines.joined(separator: "\n") + "\n"
    }
}
