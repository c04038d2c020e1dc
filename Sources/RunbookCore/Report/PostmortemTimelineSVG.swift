/// The post-mortem's timeline picture: an inline SVG of stages against their deadlines, pages and commands.
enum PostmortemTimelineSVG {
    /// Stages as bars against their deadlines on one time axis; pages and commands as marks.
    static func render(_ report: PostmortemReport) -> String {
        let rows = report.stages
        guard let first = rows.first else { return "<p class=\"muted\">No stages.</p>" }
        let start = first.enteredAt.milliseconds
        // The axis ends when the incident closed, or now while it runs.
        let finish = report.closedAt ?? report.generatedAt
        var end = finish.milliseconds
        for row in rows {
            end = max(end, (row.leftAt ?? finish).milliseconds)
        }
        // Deadlines far beyond the incident (a 24 h follow-up) are drawn to the axis' end, not stretched to.
        let span = Double(max(end - start, 60_000))
        let width = 760.0, left = 170.0, rowHeight = 26.0
        let height = Double(rows.count) * rowHeight + 50
        func x(_ ms: Int64) -> Double { left + min(1, max(0, Double(ms - start) / span)) * (width - left - 10) }
        func f(_ value: Double) -> String { String(Int(value.rounded())) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\" aria-label=\"stages against their deadlines\">\n"
        for (index, row) in rows.enumerated() {
            let y = 10 + Double(index) * rowHeight
            let barEnd = (row.leftAt ?? finish).milliseconds
            let color = row.met == false ? "#e57373" : "#66bb6a"
            svg += "<text x=\"4\" y=\"\(f(y + 15))\">\(PostmortemHTML.escape(TextWidth.truncate(row.title, to: 26)))</text>\n"
            if let target = row.target {
                let deadline = row.enteredAt.milliseconds + Int64(target.seconds) * 1000
                svg += "<rect x=\"\(f(x(row.enteredAt.milliseconds)))\" y=\"\(f(y + 2))\" width=\"\(f(max(1, x(deadline) - x(row.enteredAt.milliseconds))))\" height=\"18\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"3 2\"/>\n"
            }
            svg += "<rect x=\"\(f(x(row.enteredAt.milliseconds)))\" y=\"\(f(y + 5))\" width=\"\(f(max(2, x(barEnd) - x(row.enteredAt.milliseconds))))\" height=\"12\" fill=\"\(color)\"><title>\(PostmortemHTML.escape(row.title))</title></rect>\n"
        }
        let axis = 10 + Double(rows.count) * rowHeight
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(axis))\" x2=\"\(f(width - 10))\" y2=\"\(f(axis))\" stroke=\"#333\"/>\n"
        for page in report.pages {
            let px = x(page.at.milliseconds)
            svg += "<path d=\"M\(f(px)) \(f(axis)) l-5 10 h10 z\" fill=\"#c62828\"><title>tier \(page.tier) paged: \(PostmortemHTML.escape(page.roles.joined(separator: ", ")))</title></path>\n"
        }
        for command in report.commands {
            let cx = x(command.at.milliseconds)
            let color = command.outcome.succeeded(expecting: 0) ? "#1565c0" : "#ef6c00"
            svg += "<circle cx=\"\(f(cx))\" cy=\"\(f(axis + 20))\" r=\"4\" fill=\"\(color)\"><title>\(PostmortemHTML.escape(command.step))</title></circle>\n"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(axis + 40))\">0</text><text x=\"\(f(width - 60))\" y=\"\(f(axis + 40))\">\(EventDescription.formatMilliseconds(Int64(span)))</text>\n"
        svg += "</svg>"
        return svg
    }
}
