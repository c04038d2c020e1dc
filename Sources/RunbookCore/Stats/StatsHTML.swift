/// The monthly review as one self-contained HTML page: inline style, an inline SVG bar chart of incidents and
/// drills over time (a hover title on each bar), no script, no external resource; every text escaped.
public enum StatsHTML {
    public static func render(_ report: StatsReport, language: Language = .current,
                              formatTime: (Instant) -> String) -> String {
        let text = StatsText(language: language)
        let title = text.label(.title)
        var body = ["<h1>\(escape(title))</h1>", "<p class=\"window\">\(escape(text.window(report, formatTime: formatTime)))</p>"]
        if report.checklistRuns > 0 {
            body.append("<p>\(escape(Message.schedule(.checklistRunsExcluded(report.checklistRuns)).text(in: language)))</p>")
        }
        if report.overall.incidents + report.overall.drills == 0 {
            body.append("<p>\(escape(Message.statsNoIncidents.text(in: language)))</p>")
        } else {
            body.append("<h2>\(escape(text.label(.overall)))</h2>")
            body.append(table(report.overall, text))
            for runbook in report.runbooks where report.runbookFilter == nil {
                body.append("<h2>\(escape(text.label(.runbook))) <code>\(escape(runbook.runbookID ?? ""))</code></h2>")
                body.append(table(runbook, text))
            }
            body.append("<h2>\(escape(text.label(.chart)))</h2>")
            body.append(chart(report, text: text, formatTime: formatTime))
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language == .korean ? "ko" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; font-weight: 600; }
            .window { color: #555; }
            svg { display: block; margin: 0.5em 0; }
            figcaption { color: #555; font-size: 0.9em; }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    static func table(_ stats: RunbookStats, _ text: StatsText) -> String {
        let rows = text.rows(stats).dropFirst().map { "<tr><th scope=\"row\">\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }
        return "<table>\n\(rows.joined(separator: "\n"))\n</table>"
    }

    /// A bar per bucket: incidents (dark) with drills (light) stacked on top; the bucket's start date under every
    /// third bar, the largest count on the axis, a hover title on each bar.
    static func chart(_ report: StatsReport, text: StatsText, formatTime: (Instant) -> String) -> String {
        let buckets = report.buckets
        let maximum = max(buckets.map { $0.incidents + $0.drills }.max() ?? 0, 1)
        let barWidth = 24, gap = 8, left = 40, top = 12, plotHeight = 120, bottom = 40
        let width = left + buckets.count * (barWidth + gap) + gap + 120
        let height = top + plotHeight + bottom
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
                   + "role=\"img\" aria-label=\"\(escape(text.label(.chart)))\" font-size=\"11\">"]
        let axisY = top + plotHeight
        svg.append("<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(width - 120)\" y2=\"\(axisY)\" stroke=\"#888\"/>")
        svg.append("<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(axisY)\" stroke=\"#888\"/>")
        svg.append("<text x=\"\(left - 4)\" y=\"\(top + 4)\" text-anchor=\"end\">\(maximum)</text>")
        svg.append("<text x=\"\(left - 4)\" y=\"\(axisY)\" text-anchor=\"end\">0</text>")
        // A date is about 65 px wide at this size: label every third bar (96 px apart), so labels never overlap.
        let labelEvery = 3
        for (index, bucket) in buckets.enumerated() {
            let x = left + gap + index * (barWidth + gap)
            let incidentHeight = bucket.incidents * plotHeight / maximum
            let drillHeight = bucket.drills * plotHeight / maximum
            let hover = escape("\(formatTime(bucket.start)): \(text.label(.incidents)) \(bucket.incidents), \(text.label(.drills)) \(bucket.drills)")
            svg.append("<g><title>\(hover)</title>")
            svg.append("<rect x=\"\(x)\" y=\"\(axisY - incidentHeight)\" width=\"\(barWidth)\" height=\"\(incidentHeight)\" fill=\"#3b5b92\"/>")
            svg.append("<rect x=\"\(x)\" y=\"\(axisY - incidentHeight - drillHeight)\" width=\"\(barWidth)\" height=\"\(drillHeight)\" fill=\"#a9bde0\"/>")
            svg.append("</g>")
            if index % labelEvery == 0 {
                let date = formatTime(bucket.start).split(separator: " ").first.map(String.init) ?? ""
                svg.append("<text x=\"\(x)\" y=\"\(axisY + 16)\">\(escape(date))</text>")
            }
        }
        // The legend, right of the bars.
        let legendX = width - 110
        svg.append("<rect x=\"\(legendX)\" y=\"\(top)\" width=\"10\" height=\"10\" fill=\"#3b5b92\"/>")
        svg.append("<text x=\"\(legendX + 14)\" y=\"\(top + 9)\">\(escape(text.label(.incidents)))</text>")
        svg.append("<rect x=\"\(legendX)\" y=\"\(top + 16)\" width=\"10\" height=\"10\" fill=\"#a9bde0\"/>")
        svg.append("<text x=\"\(legendX + 14)\" y=\"\(top + 25)\">\(escape(text.label(.drills)))</text>")
        svg.append("</svg>")
        let caption = Message.statsChartCaption(days: report.bucketDays).text(in: text.language)
        return "<figure>\n\(svg.joined(separator: "\n"))\n<figcaption>\(escape(caption))</figcaption>\n</figure>"
    }

    /// The post-mortem's escaping: markup characters, and control characters shown as text.
    static func escape(_ text: String) -> String { PostmortemHTML.escape(text) }
}
