/// The post-mortem's timeline picture (SPEC §8): an inline SVG of the stages against their deadlines, with
/// pages and commands as marks, clock-time ticks and a legend.
///
/// Left to right: a label column as wide as the longest label (measured in columns by `TextWidth`, so a
/// Hangul syllable counts two; a title longer than the column's cap wraps onto more lines, never cut), then
/// the plot. The axis runs from the opening to the later of the last event and the last deadline, so every
/// deadline box is drawn whole. Every mark has a `<title>` shown on hover; all text is escaped. Linear in the
/// number of stages, pages, commands and timeline entries.
public enum PostmortemTimelineSVG {
    /// Font size of every text, in SVG units.
    static let fontSize = 11.0
    /// Estimated width of one `TextWidth` column at `fontSize`: generous (an average Latin letter is about 6,
    /// a Hangul syllable 11 for two columns), so text measured with it is not wider on screen.
    static let columnWidth = 7.0
    static let plotWidth = 600.0
    /// Labels wider than this many columns wrap.
    static let maxLabelColumns = 40
    static let lineHeight = 13.0
    static let rightMargin = 12.0
    /// At most this many lanes of page or command marks; beyond it, marks share the emptiest lane.
    static let maxLanes = 4
    /// Tick steps in minutes, the smallest giving at most `maxTicks` ticks is taken.
    static let tickSteps: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10_080]
    static let maxTicks: Int64 = 8

    /// The estimated width of `text` in SVG units.
    public static func estimatedWidth(_ text: String) -> Double {
        Double(TextWidth.of(text)) * columnWidth
    }

    /// The picture for `report`, times written by `formatTime` (ticks read their local clock time from it),
    /// labels in `language`.
    public static func render(_ report: PostmortemReport, formatTime: (Instant) -> String = { $0.iso8601 },
                              language: Language = .english) -> String {
        let e = PostmortemHTML.escape
        // A hover title is plain text: the backticks that mark ids in the log's sentences are left out.
        func plain(_ text: String) -> String { text.replacingAll("`", with: "") }
        func label(_ label: Message.TimelineLabel) -> String { Message.timelinePicture(label).text(in: language) }
        let rows = report.stages
        guard let first = rows.first else { return "<p class=\"muted\">\(e(label(.noStages)))</p>" }
        let start = first.enteredAt.milliseconds
        let now = (report.closedAt ?? report.generatedAt).milliseconds
        // The axis runs to the later of the last event and the last deadline; a running stage runs to now.
        var end = start
        for entry in report.timeline { end = max(end, entry.at.milliseconds) }
        for row in rows {
            end = max(end, row.leftAt?.milliseconds ?? now)
            if let deadline = deadline(of: row) { end = max(end, deadline) }
        }
        end = max(end, start + 60_000)
        // What happened runs to `busyEnd`; a deadline far beyond it (a 24 h follow-up after a 40-minute incident) would
        // squeeze the incident into a sliver, so the tail after it is drawn compressed, behind a break in the axis: the
        // boxes stay whole and the incident keeps most of the width.
        var busyEnd = start + 60_000
        for entry in report.timeline { busyEnd = max(busyEnd, entry.at.milliseconds) }
        for row in rows { busyEnd = max(busyEnd, row.leftAt?.milliseconds ?? now) }
        let compressed = end - start > 3 * (busyEnd - start)
        let mainEnd = compressed ? busyEnd + (busyEnd - start) / 10 : end

        // The label column: as wide as the longest label, up to the cap; longer titles wrap.
        let laneNames = [label(.pagesLane), label(.commandsLane)]
        let widest = (rows.map(\.title) + laneNames).map { TextWidth.of($0) }.max() ?? 0
        let labelColumns = min(maxLabelColumns, max(widest, 4))
        let left = Double(labelColumns) * columnWidth + 16
        let width = left + plotWidth + rightMargin
        let mainWidth = compressed ? plotWidth * 0.82 : plotWidth
        func x(_ ms: Int64) -> Double {
            if ms <= mainEnd { return left + min(1, max(0, Double(ms - start) / Double(max(1, mainEnd - start)))) * mainWidth }
            return left + mainWidth + min(1, Double(ms - mainEnd) / Double(max(1, end - mainEnd))) * (plotWidth - mainWidth)
        }
        func f(_ value: Double) -> String { String(Int(value.rounded())) }

        var body = ""
        var y = 8.0
        // Stages: a dashed deadline box, the bar, and a red mark where a deadline was missed.
        for row in rows {
            let lines = wrap(row.title, columns: labelColumns)
            let rowHeight = max(26, Double(lines.count) * lineHeight + 12)
            for (index, line) in lines.enumerated() {
                body += "<text class=\"stage-label\" x=\"4\" y=\"\(f(y + 16 + Double(index) * lineHeight))\">\(e(line))</text>\n"
            }
            let from = x(row.enteredAt.milliseconds)
            if let target = row.target, let due = deadline(of: row) {
                let title = label(.deadlineTitle(target: target.description, due: formatTime(Instant(milliseconds: due))))
                body += "<rect class=\"deadline\" x=\"\(f(from))\" y=\"\(f(y + 4))\" width=\"\(f(max(1, x(due) - from)))\" height=\"18\" "
                    + "fill=\"none\" stroke=\"#888\" stroke-dasharray=\"3 2\"><title>\(e(plain(title)))</title></rect>\n"
            }
            let barEnd = row.leftAt?.milliseconds ?? now
            let missed: Int64? = if case .missed(let by) = row.verdict { by } else { nil }
            let stageTitle = label(.stageTitle(title: row.title, from: formatTime(row.enteredAt),
                                               to: row.leftAt.map(formatTime), duration: EventDescription.formatMilliseconds(row.actualMilliseconds)))
            body += "<rect class=\"stage-bar\(missed == nil ? "" : " missed")\" x=\"\(f(from))\" y=\"\(f(y + 7))\" "
                + "width=\"\(f(max(2, x(barEnd) - from)))\" height=\"12\" fill=\"\(missed == nil ? "#66bb6a" : "#e57373")\"><title>\(e(plain(stageTitle)))</title></rect>\n"
            if let missed, let due = deadline(of: row) {
                let title = label(.missedDeadlineTitle(due: formatTime(Instant(milliseconds: due)), by: EventDescription.formatMilliseconds(missed)))
                body += "<line class=\"missed-deadline\" x1=\"\(f(x(due)))\" y1=\"\(f(y + 1))\" x2=\"\(f(x(due)))\" y2=\"\(f(y + 25))\" "
                    + "stroke=\"#b71c1c\" stroke-width=\"3\"><title>\(e(plain(title)))</title></line>\n"
            }
            y += rowHeight
        }

        // Pages, each labelled by its tier, then commands coloured by their step's own verdict; marks that
        // would overlap go to another lane.
        let laneHeight = 18.0
        if !report.pages.isEmpty {
            let marks = report.pages.map { page in
                (x: x(page.at.milliseconds), width: 12 + estimatedWidth(label(.pageMark(tier: page.tier))))
            }
            let lanes = assignLanes(marks.map { ($0.x - 6, $0.x - 6 + $0.width) })
            let laneCount = Double((lanes.max() ?? 0) + 1)
            body += "<text class=\"lane-label\" x=\"4\" y=\"\(f(y + 13))\">\(e(laneNames[0]))</text>\n"
            for (index, page) in report.pages.enumerated() {
                let px = marks[index].x, top = y + Double(lanes[index]) * laneHeight
                let roles = page.roles.joined(separator: ", ")
                let title = label(.pageTitle(tier: page.tier, round: page.round, at: formatTime(page.at), roles: roles, why: page.why))
                body += "<g class=\"page\"><title>\(e(plain(title)))</title><path d=\"M\(f(px)) \(f(top + 3)) l-5 10 h10 z\" fill=\"#6a1b9a\"/>"
                    + "<text x=\"\(f(px + 7))\" y=\"\(f(top + 13))\" fill=\"#6a1b9a\">\(e(label(.pageMark(tier: page.tier))))</text></g>\n"
            }
            y += laneCount * laneHeight + 4
        }
        if !report.commands.isEmpty {
            let lanes = assignLanes(report.commands.map { (x($0.at.milliseconds) - 5, x($0.at.milliseconds) + 5) })
            let laneCount = Double((lanes.max() ?? 0) + 1)
            body += "<text class=\"lane-label\" x=\"4\" y=\"\(f(y + 13))\">\(e(laneNames[1]))</text>\n"
            for (index, command) in report.commands.enumerated() {
                let ok = command.verdict.succeeded
                let title = label(.commandTitle(step: command.step, at: formatTime(command.at), result: command.verdict.summary(in: language),
                                                duration: EventDescription.formatMilliseconds(command.outcome.durationMilliseconds)))
                body += "<circle class=\"command \(ok ? "ok" : "failed")\" cx=\"\(f(x(command.at.milliseconds)))\" "
                    + "cy=\"\(f(y + 9 + Double(lanes[index]) * laneHeight))\" r=\"4.5\" fill=\"\(ok ? "#1565c0" : "#ef6c00")\"><title>\(e(plain(title)))</title></circle>\n"
            }
            y += laneCount * laneHeight + 4
        }

        // The axis with clock-time ticks; grid lines run up through the rows.
        let axis = y + 2
        var grid = ""
        body += "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(axis))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(axis))\" stroke=\"#333\"/>\n"
        var previousDate: String?
        var axisTicks = ticks(from: start, to: mainEnd, formatTime: formatTime)
        if compressed {
            // The break, and one tick at the axis's end (the last deadline).
            let bx = x(mainEnd)
            body += "<g class=\"axis-break\"><title>\(e(label(.axisBreak)))</title>"
                + "<line x1=\"\(f(bx - 5))\" y1=\"\(f(axis + 5))\" x2=\"\(f(bx - 1))\" y2=\"\(f(axis - 5))\" stroke=\"#333\"/>"
                + "<line x1=\"\(f(bx + 1))\" y1=\"\(f(axis + 5))\" x2=\"\(f(bx + 5))\" y2=\"\(f(axis - 5))\" stroke=\"#333\"/></g>\n"
            let lastMinute = end.floorDivided(by: 60_000).0 * 60_000
            if let last = ticks(from: lastMinute, to: end, formatTime: formatTime, step: 1).first { axisTicks.append(last) }
        }
        for tick in axisTicks {
            let tx = x(tick.at)
            let text = previousDate == nil || previousDate == tick.date ? tick.time : "\(tick.date.suffix(5)) \(tick.time)"
            previousDate = tick.date
            let half = estimatedWidth(text) / 2
            let lx = min(max(tx, half + 2), width - half - 2)
            grid += "<line x1=\"\(f(tx))\" y1=\"4\" x2=\"\(f(tx))\" y2=\"\(f(axis))\" stroke=\"#eee\"/>\n"
            body += "<g class=\"tick\" data-at=\"\(tick.at)\"><line x1=\"\(f(tx))\" y1=\"\(f(axis))\" x2=\"\(f(tx))\" y2=\"\(f(axis + 4))\" stroke=\"#333\"/>"
                + "<text x=\"\(f(lx))\" y=\"\(f(axis + 16))\" text-anchor=\"middle\">\(e(text))</text></g>\n"
        }

        // The legend, entries flowing onto more lines when they do not fit.
        var legend = "<g class=\"legend\">\n"
        var lx = 4.0, ly = axis + 34
        let entries: [(String, String, String)] = [
            ("stage", "<rect x=\"0\" y=\"-9\" width=\"18\" height=\"10\" fill=\"#66bb6a\"/>", label(.legendStage)),
            ("stage-missed", "<rect x=\"0\" y=\"-9\" width=\"18\" height=\"10\" fill=\"#e57373\"/>", label(.legendStageMissed)),
            ("deadline", "<rect x=\"0\" y=\"-11\" width=\"18\" height=\"14\" fill=\"none\" stroke=\"#888\" stroke-dasharray=\"3 2\"/>", label(.legendDeadline)),
            ("missed-deadline", "<line x1=\"9\" y1=\"-12\" x2=\"9\" y2=\"4\" stroke=\"#b71c1c\" stroke-width=\"3\"/>", label(.legendMissedDeadline)),
            ("page", "<path d=\"M9 -10 l-5 10 h10 z\" fill=\"#6a1b9a\"/>", label(.legendPage)),
            ("command-ok", "<circle cx=\"9\" cy=\"-4\" r=\"4.5\" fill=\"#1565c0\"/>", label(.legendCommandSucceeded)),
            ("command-failed", "<circle cx=\"9\" cy=\"-4\" r=\"4.5\" fill=\"#ef6c00\"/>", label(.legendCommandFailed)),
        ]
        for (name, symbol, text) in entries {
            let entryWidth = 24 + estimatedWidth(text)
            if lx > 4, lx + entryWidth > width - 4 {
                lx = 4
                ly += 20
            }
            legend += "<g class=\"legend-entry\" data-entry=\"\(name)\" transform=\"translate(\(f(lx)) \(f(ly)))\">\(symbol)"
                + "<text x=\"24\" y=\"0\">\(e(text))</text></g>\n"
            lx += entryWidth + 18
        }
        legend += "</g>\n"
        let height = ly + 12
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" "
            + "font-size=\"\(f(fontSize))\" role=\"img\" aria-label=\"\(e(label(.ariaLabel)))\">\n" + grid + body + legend + "</svg>"
    }

    /// The instant a stage was due, in milliseconds; nil without a deadline.
    static func deadline(of row: PostmortemReport.StageRow) -> Int64? {
        row.target.map { row.enteredAt.milliseconds + Int64($0.seconds) * 1000 }
    }

    /// A lane for each span (`from`, `to`) in order: the first whose last span ends before this one begins.
    static func assignLanes(_ spans: [(Double, Double)]) -> [Int] {
        var ends: [Double] = []
        var lanes: [Int] = []
        lanes.reserveCapacity(spans.count)
        for (from, to) in spans {
            if let free = ends.firstIndex(where: { $0 <= from }) {
                ends[free] = to
                lanes.append(free)
            } else if ends.count < maxLanes {
                ends.append(to)
                lanes.append(ends.count - 1)
            } else {
                let emptiest = ends.indices.min { ends[$0] < ends[$1] } ?? 0
                ends[emptiest] = max(ends[emptiest], to)
                lanes.append(emptiest)
            }
        }
        return lanes
    }

    /// `text` in lines of at most `columns` columns, broken between words where it can be.
    static func wrap(_ text: String, columns: Int) -> [String] {
        guard TextWidth.of(text) > columns else { return [text] }
        var lines: [String] = []
        var line = "", used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let w = TextWidth.of(word)
            if used > 0, used + 1 + w <= columns {
                line += " " + word
                used += 1 + w
                continue
            }
            if used > 0 {
                lines.append(line)
                line = ""
                used = 0
            }
            for character in word {
                let cw = TextWidth.of(String(character))
                if used + cw > columns, used > 0 {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                line.append(character)
                used += cw
            }
        }
        if used > 0 { lines.append(line) }
        return lines
    }

    /// A tick: its instant, and the local date and `HH:MM` the formatter writes for it.
    struct Tick: Equatable {
        var at: Int64
        var date: String
        var time: String
    }

    /// Ticks on round local clock times (every 5m, 10m, 30m, 1h, …: the smallest step giving at most
    /// `maxTicks`) from `start` to `end`. The local time is read from `formatTime`'s `YYYY-MM-DD HH:MM…`
    /// (or ISO-8601); a formatter writing something else is taken as UTC.
    static func ticks(from start: Int64, to end: Int64, formatTime: (Instant) -> String, step given: Int64? = nil) -> [Tick] {
        func reading(_ ms: Int64) -> (date: String, time: String, minutes: Int64) {
            clockReading(formatTime(Instant(milliseconds: ms))) ?? clockReading(Instant(milliseconds: ms).iso8601)
                ?? ("", "", ms.floorDivided(by: 60_000).0)
        }
        let spanMinutes = max(1, (end - start) / 60_000)
        let step = given ?? tickSteps.first { spanMinutes / $0 <= maxTicks } ?? ((spanMinutes / maxTicks / 1440) + 1) * 1440
        // The local clock's offset from UTC at the start, in minutes; ticks fall on multiples of the step there.
        let startMinute = start.floorDivided(by: 60_000).0
        let offset = reading(start).minutes - startMinute
        let localStart = startMinute + offset
        var minute = (localStart + step - 1).floorDivided(by: step).0 * step - offset
        var ticks: [Tick] = []
        while minute * 60_000 <= end {
            let at = minute * 60_000
            if at >= start {
                let read = reading(at)
                ticks.append(Tick(at: at, date: read.date, time: read.time))
            }
            minute += step
        }
        return ticks
    }

    /// `2026-11-26 10:05:00 KST` or `2026-11-26T01:05:00Z` → ("2026-11-26", "10:05", minutes since the epoch
    /// on that clock); nil when the text does not start so.
    static func clockReading(_ text: String) -> (date: String, time: String, minutes: Int64)? {
        let bytes = Array(text.utf8.prefix(16))
        guard bytes.count == 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60 else { return nil }
        let days = Int64(CivilTime.daysFromCivil(year: year, month: month, day: day))
        return (String(decoding: bytes[0..<10], as: UTF8.self), String(decoding: bytes[11..<16], as: UTF8.self),
                days * 1440 + Int64(hour * 60 + minute))
    }
}
