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
        // Scalar by scalar: a quote followed by a combining mark is one Character, and matching Characters would let
        // that quote through raw and end an attribute.
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r" where pending == "\n":
                out += "\n"
                pending = scalars.next()
            default:
                if TextHygiene.isControl(scalar) { out += TextHygiene.visible(scalar) } else { out.unicodeScalars.append(scalar) }
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
            <html lang="\(report.language == .korean ? "ko" : "en")"><head><meta charset="utf-8"><title>\(e(report.label(.postmortem))) \(e(report.id))</title>
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
        let l = report.label
        let t = report.text
        let status = "<span class=\"\(report.final ? "final" : "draft")\">\(e(l(report.final ? .final : .draft)))</span>"
        html += "<h1>\(e(report.heading)): \(e(report.title))</h1>\n<p>\(status)\(report.drill ? " <span class=\"drill\">\(e(l(.drillBadge)))</span>" : "") "
            + "<span class=\"muted\">\(e(report.id)) · \(e(formatTime(report.openedAt)))</span></p>\n"
        html += "<table>\n"
        let severity = report.severityLabel + report.severityChanges.map { " (\($0.from) → \($0.to), \(formatTime($0.at)), \($0.by))" }.joined()
        for (name, value) in [(l(.incident), report.id), (l(.severity), severity), (l(.runbook), "\(report.runbookID): \(report.runbookTitle)"),
                              (l(.runbookSHA256), report.runbookSHA256), (l(.participants), report.participants.joined(separator: ", ")),
                              (l(.incidentStatus), Message.incidentStatus(report.status.rawValue).text(in: report.language)),
                              (l(.kind), report.kindLabel)] {
            html += "<tr><th>\(e(name))</th><td>\(e(value))</td></tr>\n"
        }
        html += "</table>\n"
        if let broken = report.integrity.finding {
            html += "<p class=\"broken\">\(e(broken)): \(e(t(.mayNotTell)))</p>\n"
        }
        if !report.findings.isEmpty {
            html += "<h2>\(e(l(.findings)))</h2>\n<ul>" + report.findings.map {
                "<li class=\"missed\">\(rich($0.text(in: report.language))) <span class=\"muted\">(#\($0.sequence), \(e(formatTime($0.at))))</span></li>"
            }.joined() + "</ul>\n"
        }
        if !report.linked.isEmpty {
            html += "<h2>\(e(Message.linkedIncidents.text(in: report.language)))</h2>\n<ul>" + report.linked.map { "<li>\(rich($0.text(in: report.language)))</li>" }.joined() + "</ul>\n"
        }
        html += "<h2>\(e(l(.summary)))</h2>\n"
        html += (report.tagged["summary"] ?? []).map { "<p>\(rich($0.text))</p>" }.joined()
        html += "<p>\(rich(report.summarySentences(formatTime).joined(separator: " ")))</p>\n"
        // Sections filled from the record first; the empty ones come last, each saying how to fill it.
        let sections = report.sections
        for (section, items) in sections where !items.isEmpty {
            html += "<h2>\(e(report.heading(section)))</h2>\n"
            html += "<ul>" + items.map { "<li>\(rich($0.text)) <span class=\"muted\">(\(e($0.by)), \(e(formatTime($0.at))))</span></li>" }.joined() + "</ul>\n"
        }
        html += "<h2>\(e(l(.timelineOfStages)))</h2>\n" + PostmortemTimelineSVG.render(report, formatTime: formatTime, language: report.language) + "\n"
        html += "<h2>\(e(l(.keyTimes)))</h2>\n<table><tr><th>\(e(l(.interval)))</th><th>\(e(l(.time)))</th></tr>\n"
        for (name, value) in PostmortemMarkdown.keyTimeRows(report, formatTime) {
            html += "<tr><td>\(e(name))</td><td>\(rich(value))</td></tr>\n"
        }
        html += "</table>\n<h2>\(e(l(.stages)))</h2>\n<table><tr><th>\(e(l(.stage)))</th><th>\(e(l(.entered)))</th><th>\(e(l(.target)))</th>"
            + "<th>\(e(l(.actual)))</th><th>\(e(l(.result)))</th></tr>\n"
        for row in report.stages {
            html += "<tr><td>\(e(row.title))</td><td>\(e(formatTime(row.enteredAt)))</td><td>\(row.target?.description ?? "—")</td>"
                + "<td>\(duration(row.actualMilliseconds))\(row.leftAt == nil ? " " + e(l(.running)) : "")</td><td>\(verdictHTML(row.verdict, report))</td></tr>\n"
        }
        html += "</table>\n<h2>\(e(l(.escalations)))</h2>\n"
        html += report.pages.isEmpty ? "<p class=\"muted\">\(e(l(.nobodyPaged)))</p>\n" : "<ul>\n"
        for page in report.pages {
            html += "<li>" + rich(t(.paged(at: formatTime(page.at), tier: page.tier, round: page.round, by: page.manual ? page.by : nil,
                                          roles: page.roles.joined(separator: ", "), why: page.why)))
                + "<ul>" + page.deliveryLines(formatTime).map { "<li>\(e($0))</li>" }.joined() + "</ul></li>\n"
        }
        if !report.pages.isEmpty { html += "</ul>\n" }
        html += "<h2>\(e(l(.commandsRun)))</h2>\n"
        if report.commands.isEmpty { html += "<p class=\"muted\">\(e(l(.none)))</p>\n" }
        for command in report.commands {
            let outcome = command.outcome
            // A digest identifies output worth keeping; the digest of nothing is noise.
            let digest = outcome.stdout.totalBytes > 0 ? ", stdout SHA-256 <code>\(e(String(outcome.stdout.sha256.prefix(16))))…</code>" : ""
            html += "<p>\(rich(t(.commandRan(step: command.step, by: command.by, at: formatTime(command.at))))): <code>\(e(command.command))</code> → "
                + rich(t(.commandResult(summary: command.verdict.summary(in: report.language), duration: duration(outcome.durationMilliseconds),
                                        bytes: outcome.stdout.totalBytes + outcome.stderr.totalBytes))) + "\(digest)</p>\n"
            for (name, output) in [("stdout", outcome.stdout), ("stderr", outcome.stderr)] where output.totalBytes > 0 {
                html += "<details><summary>\(name) (\(output.totalBytes) bytes\(output.truncated ? ", middle cut" : ""))</summary><pre>"
                    + e(output.head + (output.tail.isEmpty ? "" : "\n[…]\n" + output.tail)) + "</pre></details>\n"
            }
        }
        html += "<h2>\(e(l(.inputsAndApprovals)))</h2>\n"
        if report.inputs.isEmpty && report.approvals.isEmpty { html += "<p class=\"muted\">\(e(l(.none)))</p>\n" }
        html += "<ul>\n"
        for input in report.inputs { html += "<li>\(rich(t(.input(step: input.step, value: input.value, by: input.by, at: formatTime(input.at)))))</li>\n" }
        for approval in report.approvals {
            html += "<li>" + rich(approval.refused.map { t(.approvalRefused(step: approval.step, by: approval.by, at: formatTime(approval.at), reason: $0)) }
                                  ?? t(.approved(step: approval.step, by: approval.by, role: approval.role, at: formatTime(approval.at)))) + "</li>\n"
        }
        html += "</ul>\n<h2>\(e(l(.actionItems)))</h2>\n"
        let actions = report.tagged["action"] ?? []
        html += actions.isEmpty ? "<p class=\"muted\">\(rich(l(.noActions)))</p>\n"
            : "<ul>" + actions.map { "<li>☐ \(rich($0.text))\($0.text.contains("owner") ? "" : $0.owner.map { " — \(e(l(.owner))): \(e($0))" } ?? "")</li>" }.joined() + "</ul>\n"
        html += "<h2>\(e(l(.lessonsLearned)))</h2>\n"
        for (title, tag) in PostmortemMarkdown.lessons(report) {
            let items = report.tagged[tag] ?? []
            html += "<h3>\(e(title))</h3>" + (items.isEmpty ? "<p class=\"muted\"><em>\(rich(t(.lessonEmpty(tag: tag, incident: report.id))))</em></p>"
                                              : "<ul>" + items.map { "<li>\(rich($0.text)) <span class=\"muted\">(\(e($0.by)))</span></li>" }.joined() + "</ul>") + "\n"
        }
        html += "<h2>\(e(l(.notes)))</h2>\n" + (report.notes.isEmpty ? "<p class=\"muted\">\(e(l(.none)))</p>"
                                                : "<ul>" + report.notes.map { "<li>\(e(formatTime($0.at))) \(e($0.by)): \(rich($0.text))</li>" }.joined() + "</ul>") + "\n"
        html += "<h2>\(e(l(.timeline)))</h2>\n<table><tr><th>\(e(l(.time)))</th><th>#</th><th>\(e(l(.who)))</th><th>\(e(l(.what)))</th></tr>\n"
        for (entry, time) in zip(report.timeline, report.timelineTimes(formatTime)) {
            html += "<tr><td>\(e(time))</td><td>\(entry.sequence)</td><td>\(e(entry.actor))</td><td>\(rich(entry.text))</td></tr>\n"
        }
        html += "</table>\n<h2>\(e(l(.integrity)))</h2>\n"
        if report.integrity.intact {
            html += "<p class=\"met\">\(e(t(.logVerified(events: report.integrity.events))))</p>\n"
        } else {
            html += "<p class=\"broken\">\(e(report.integrity.finding ?? "log altered")). \(e(t(.mayNotTell)))</p>\n<ul>"
            for problem in report.integrity.problems { html += "<li>\(e(problem.sentence))</li>" }
            html += "</ul>\n"
        }
        if let checkpoint = report.integrity.checkpoint {
            html += "<p>\(rich(t(.checkpoint(checkpoint.text, incident: report.id))))</p>\n"
        }
        let empty = sections.filter(\.items.isEmpty)
        if !empty.isEmpty {
            html += "<h2>\(e(l(.stillToFill)))</h2>\n"
            for (section, _) in empty {
                html += "<h3>\(e(report.heading(section)))</h3>\n<p class=\"muted\"><em>\(rich(t(.sectionEmpty(section, incident: report.id))))</em></p>\n"
            }
        }
        html += "<p class=\"muted\"><em>\(e(t(.generated(at: formatTime(report.generatedAt)))))</em></p>\n</body></html>\n"
        return html
    }

    /// Text escaped for HTML with its `code` spans as `<code>` elements, so no Markdown backtick shows in the
    /// page; an unpaired backtick stays as it is.
    public static func rich(_ text: String) -> String {
        // Bytes, not Characters: every row of a 100 000-event timeline goes through here, and a backtick is one
        // ASCII byte, so its UTF-8 index is a character boundary.
        let utf8 = text.utf8
        var ticks: [String.Index] = []
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index] == 0x60 { ticks.append(index) }
            utf8.formIndex(after: &index)
        }
        guard ticks.count >= 2 else { return escape(text) }
        var out = ""
        out.reserveCapacity(utf8.count + 16 * ticks.count)
        var start = text.startIndex
        var pair = 0
        while pair + 1 < ticks.count {
            out += escape(String(text[start..<ticks[pair]]))
            let inner = text[utf8.index(after: ticks[pair])..<ticks[pair + 1]]
            out += inner.isEmpty ? "``" : "<code>" + escape(String(inner)) + "</code>"
            start = utf8.index(after: ticks[pair + 1])
            pair += 2
        }
        // The rest, with an unpaired backtick as it is.
        out += escape(String(text[start...]))
        return out
    }

    static func verdictHTML(_ verdict: PostmortemReport.Verdict, _ report: PostmortemReport) -> String {
        let text = escape(report.text(.verdict(verdict)))
        return switch verdict {
        case .met: "<span class=\"met\">\(text)</span>"
        case .missed: "<span class=\"missed\">\(text)</span>"
        case .running, .noTarget: text
        }
    }
}
