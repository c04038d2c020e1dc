/// The monthly review as Markdown (pastes into a wiki). Ids are escaped like any user text: no raw HTML, no
/// injected table cell or heading.
public enum StatsMarkdown {
    /// Renders `report`; `formatTime` writes an instant in the reader's time zone.
    public static func render(_ report: StatsReport, language: Language = .current,
                              formatTime: (Instant) -> String) -> String {
        let text = StatsText(language: language)
        var lines = ["# \(text.label(.title))", "", text.window(report, formatTime: formatTime), ""]
        if report.checklistRuns > 0 {
            lines += [Message.schedule(.checklistRunsExcluded(report.checklistRuns)).text(in: language), ""]
        }
        guard report.overall.incidents + report.overall.drills > 0 else {
            lines += [Message.statsNoIncidents.text(in: language), ""]
            return lines.joined(separator: "\n")
        }
        lines += ["## \(text.label(.overall))", ""] + table(report.overall, text) + [""]
        // With --runbook the overall table is that runbook's (the window line names it).
        for runbook in report.runbooks where report.runbookFilter == nil {
            lines += ["## \(text.label(.runbook)) \(escape(runbook.runbookID ?? ""))", ""] + table(runbook, text) + [""]
        }
        lines += ["## \(text.label(.chart))", ""]
        lines += ["| \(text.label(.week)) | \(text.label(.incidents)) | \(text.label(.drills)) |", "|---|---:|---:|"]
        for bucket in report.buckets {
            lines.append("| \(escape(formatTime(bucket.start))) | \(bucket.incidents) | \(bucket.drills) |")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    static func table(_ stats: RunbookStats, _ text: StatsText) -> [String] {
        text.rows(stats).enumerated().flatMap { index, row in
            (index == 0 ? ["| \(escape(row.0)) | \(escape(row.1)) |", "|---|---|"] : ["| \(escape(row.0)) | \(escape(row.1)) |"])
        }
    }

    /// Escapes Markdown's punctuation (and `|`, which would end a table cell) with backslashes; a line break becomes a space.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "~", "&": out += "\\\(character)"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

/// The words of the review in one language, shared by the renderers so they say the same thing.
struct StatsText {
    var language: Language

    func label(_ label: Message.StatsLabel) -> String { Message.statsLabel(label).text(in: language) }

    func window(_ report: StatsReport, formatTime: (Instant) -> String) -> String {
        let since = report.since.map(formatTime) ?? "-"
        let runbook = report.runbookFilter.map { " \(label(.runbook)): \($0)." } ?? ""
        return Message.statsWindow(since: since, span: report.span ?? "-", asOf: formatTime(report.asOf)).text(in: language) + runbook
    }

    func time(_ figure: TimeFigure?) -> String {
        guard let figure else { return "-" }
        return "\(EventDescription.formatMilliseconds(figure.median)) / \(EventDescription.formatMilliseconds(figure.p90)) (n=\(figure.count))"
    }

    /// The rows of one runbook's table: label and value, the first being the header.
    func rows(_ stats: RunbookStats) -> [(String, String)] {
        let none = label(.none)
        let missed = stats.missedByStage.map { "\($0.stage): \($0.count)" }.joined(separator: ", ")
        let pages = stats.pagesByTier.map { "\(Message.statsTier($0.tier).text(in: language)): \($0.count)" }.joined(separator: ", ")
        let timeHeading = "(\(label(.median)) / \(label(.p90)))"
        return [
            (label(stats.runbookID == nil ? .overall : .runbook), stats.runbookID ?? ""),
            (label(.incidents), "\(stats.incidents)"),
            (label(.drills), "\(stats.drills)"),
            (label(.open), "\(stats.unresolved)"),
            ("\(label(.timeToAcknowledge)) \(timeHeading)", time(stats.timeToAcknowledge)),
            ("\(label(.timeToResolve)) \(timeHeading)", time(stats.timeToResolve)),
            (label(.rtoMet), stats.rtoJudged == 0 ? "-" : Message.statsRate(met: stats.rtoMet, of: stats.rtoJudged).text(in: language)),
            (label(.deadlinesMissed), missed.isEmpty ? none : missed),
            (label(.pages), pages.isEmpty ? none : pages),
            (label(.breakGlass), "\(stats.breakGlass)"),
        ]
    }
}
