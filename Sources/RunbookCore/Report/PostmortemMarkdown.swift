/// The post-mortem as Markdown, to paste into a wiki.
public enum PostmortemMarkdown {
    /// Renders the report; times are shown with `formatTime` (local time in the CLI).
    public static func render(_ report: PostmortemReport, formatTime: (Instant) -> String = { $0.iso8601 }) -> String {
        var lines: [String] = []
        func duration(_ ms: Int64?) -> String { ms.map { EventDescription.formatMilliseconds($0) } ?? "—" }
        func cell(_ text: String) -> String { escape(text) }
        func md(_ text: String) -> String { escape(text) }
        let status = report.final ? "final" : "draft"
        lines.append("# Post-mortem: \(md(report.title))\(report.drill ? " (DRILL)" : "")")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| Incident | \(report.id) |")
        lines.append("| Status | \(status) (incident \(report.status.rawValue)) |")
        lines.append("| Date | \(formatTime(report.openedAt)) |")
        lines.append("| Severity | \(report.severity)" + report.severityChanges.map { " (\($0.from) → \($0.to) at \(formatTime($0.at)) by \(md($0.by)))" }.joined() + " |")
        lines.append("| Runbook | \(report.runbookID): \(cell(report.runbookTitle)) |")
        lines.append("| Runbook SHA-256 | `\(report.runbookSHA256)` |")
        lines.append("| Participants | \(report.participants.map(md).joined(separator: ", ")) |")
        lines.append("| Kind | \(report.drill ? "drill (practice)" : "real incident") |")
        lines.append("")
        if let broken = report.integrity.finding {
            // Integrity sentences are the engine's own words (ids, numbers), not user text.
            lines.append("> **\(broken)**: this report may not tell what happened.")
            lines.append("")
        }
        func section(_ title: String, _ tag: String, placeholder: String) {
            lines.append("## \(title)")
            lines.append("")
            let items = report.tagged[tag] ?? []
            if items.isEmpty {
                lines.append("_\(placeholder)_")
            } else {
                for item in items { lines.append("- \(md(item.text)) (\(md(item.by)), \(formatTime(item.at)))") }
            }
            lines.append("")
        }
        if !report.findings.isEmpty {
            lines.append("## Findings")
            lines.append("")
            for finding in report.findings {
                lines.append("- \(md(finding.message)) (#\(finding.sequence), \(formatTime(finding.at)))")
            }
            lines.append("")
        }
        lines.append("## Summary")
        lines.append("")
        if let summary = report.tagged["summary"], !summary.isEmpty {
            for item in summary { lines.append(md(item.text)) }
        } else {
            lines.append(md(report.generatedSummary(formatTime)))
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
            let who = page.manual ? " by \(md(page.by))" : ""
            lines.append("- \(formatTime(page.at)): tier \(page.tier)\(page.round > 1 ? " (round \(page.round))" : "") paged\(who): "
                         + "\(md(page.roles.joined(separator: ", "))); \(md(page.why))")
            for delivery in page.deliveryLines(formatTime) { lines.append("  - \(md(delivery))") }
        }
        lines.append("")
        lines.append("## Commands run")
        lines.append("")
        if report.commands.isEmpty { lines.append("_None._") }
        for command in report.commands {
            let outcome = command.outcome
            let result = outcome.shortResult
            lines.append("- `\(command.step)` by \(md(command.by)) at \(formatTime(command.at)): \(codeSpan(command.command)) → \(result) in "
                         + "\(duration(outcome.durationMilliseconds)); output \(outcome.stdout.totalBytes + outcome.stderr.totalBytes) bytes, "
                         + "stdout SHA-256 `\(outcome.stdout.sha256.prefix(16))…`")
            for (name, output) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] where output.totalBytes > 0 {
                lines.append("  <details><summary>\(name) (\(output.totalBytes) bytes\(output.truncated ? ", middle cut" : ""))</summary>")
                lines.append("")
                lines.append("  ```")
                for line in (output.head + (output.tail.isEmpty ? "" : "\n[…]\n" + output.tail)).split(separator: "\n", omittingEmptySubsequences: false) {
                    lines.append("  " + TextHygiene.escape(line).replacingAll("```", with: "'''"))
                }
                lines.append("  ```")
                lines.append("  </details>")
            }
        }
        lines.append("")
        lines.append("## Inputs and approvals")
        lines.append("")
        if report.inputs.isEmpty && report.approvals.isEmpty { lines.append("_None._") }
        for input in report.inputs { lines.append("- input `\(input.step)` = \(md(input.value)) (\(md(input.by)), \(formatTime(input.at)))") }
        for approval in report.approvals {
            if let refused = approval.refused {
                lines.append("- approval of `\(approval.step)` refused for \(md(approval.by)) (\(formatTime(approval.at))): \(md(refused))")
            } else {
                lines.append("- `\(approval.step)` approved by \(md(approval.by)) as \(md(approval.role)) (\(formatTime(approval.at)))")
            }
        }
        lines.append("")
        lines.append("## Action items")
        lines.append("")
        let actions = report.tagged["action"] ?? []
        if actions.isEmpty { lines.append("_None recorded (note `action: … (owner: NAME)`)._") }
        for item in actions { lines.append("- [ ] \(md(item.text))" + (item.text.contains("owner") ? "" : item.owner.map { " — owner: \(md($0))" } ?? "")) }
        lines.append("")
        lines.append("## Lessons learned")
        lines.append("")
        for (title, tag) in [("What went well", "went-well"), ("What went wrong", "went-wrong"), ("Where we got lucky", "lucky")] {
            lines.append("### \(title)")
            lines.append("")
            let items = report.tagged[tag] ?? []
            if items.isEmpty { lines.append("_To fill in (note `\(tag): …`)._") }
            for item in items { lines.append("- \(md(item.text)) (\(md(item.by)))") }
            lines.append("")
        }
        lines.append("## Notes")
        lines.append("")
        if report.notes.isEmpty { lines.append("_None._") }
        for note in report.notes { lines.append("- \(formatTime(note.at)) \(md(note.by)): \(md(note.text))") }
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
        if report.integrity.intact {
            lines.append("Log verified: \(report.integrity.events) events, none edited, deleted or reordered.")
        } else {
            lines.append("**\(report.integrity.finding ?? "log altered").** This report may not tell what happened.")
            lines.append("")
            for problem in report.integrity.problems { lines.append("- \(problem.sentence)") }
        }
        if let checkpoint = report.integrity.checkpoint {
            lines.append("")
            lines.append("Checkpoint `\(checkpoint.text)`: keep it; `runbook verify \(report.id) --checkpoint \(checkpoint.text)` proves the log still holds it.")
        }
        lines.append("")
        lines.append("_Generated \(formatTime(report.generatedAt)) by runbook from the event log._")
        return lines.joined(separator: "\n") + "\n"
    }

    /// User text as inline Markdown that renders as the text itself (SPEC §4, text hygiene): no raw HTML
    /// (`<`, `>`, `&` become entities), no emphasis, links, tables, headings or lists (`\`, `` ` ``, `*`,
    /// `_`, `[`, `]`, `|`, `#`, `~` are backslash-escaped, and so is a leading `-`, `+`, `=` or the dot of a
    /// leading `1.`), line breaks as `<br>` so a note cannot start a block of its own, control characters as
    /// `\e`, `\x07`, … (`TextHygiene.visible`). A code span around a plain id (`` `isolate` ``, as event
    /// descriptions write step and stage ids) is kept: nothing inside it can be markup.
    public static func escape(_ text: String) -> String {
        // Scalars, not Characters: every character that matters is one ASCII scalar, and a timeline of 100 000
        // events is escaped line by line (grapheme breaking made the report three times slower).
        let scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count, scalars[start] == " " || scalars[start] == "\t" { start += 1 }
        var leadingDigits = start
        while leadingDigits < scalars.count, scalars[leadingDigits].isASCII, scalars[leadingDigits].properties.numericType != nil {
            leadingDigits += 1
        }
        var result = String.UnicodeScalarView()
        result.reserveCapacity(scalars.count + 16)
        func append(_ text: String) { result.append(contentsOf: text.unicodeScalars) }
        func escaped(_ scalar: Unicode.Scalar) {
            result.append("\\")
            result.append(scalar)
        }
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "`", let end = identifierSpanEnd(scalars, from: index) {
                result.append(contentsOf: scalars[index...end])
                index = end + 1
                continue
            }
            let leading = index == start
            let afterLeadingNumber = index == leadingDigits && leadingDigits > start
            index += 1
            switch scalar {
            case "\n":
                append("<br>")
            case "\r" where index < scalars.count && scalars[index] == "\n":
                index += 1
                append("<br>")
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~":
                escaped(scalar)
            case "-" where leading, "+" where leading, "=" where leading:
                escaped(scalar)
            case "." where afterLeadingNumber, ")" where afterLeadingNumber:
                escaped(scalar)
            default:
                if TextHygiene.isControl(scalar) {
                    append(TextHygiene.visible(scalar))
                } else {
                    result.append(scalar)
                }
            }
        }
        return String(result)
    }

    /// `text` as a code span: control characters escaped, line breaks as spaces, fenced with more backticks
    /// than it holds in a row.
    static func codeSpan(_ text: String) -> String {
        let flat = TextHygiene.escape(text, lineBreaks: .spaces)
        var longest = 0
        var run = 0
        for character in flat {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        return longest > 0 ? fence + " " + flat + " " + fence : fence + flat + fence
    }

    /// The index of the backtick closing a code span that starts at `start` and holds only an id (ASCII
    /// letters, digits, `-`, `_`, `.`), or nil.
    private static func identifierSpanEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "`" { return index > start + 1 ? index : nil }
            guard scalar.isASCII, scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                    || scalar == "-" || scalar == "_" || scalar == "." else {
                return nil
            }
            index += 1
        }
        return nil
    }
}
