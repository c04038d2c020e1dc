/// The post-mortem as Markdown, to paste into a wiki.
public enum PostmortemMarkdown {
    /// Renders the report; times are shown with `formatTime` (local time in the CLI). Headings, labels and the
    /// sentences built from the events are in the report's language.
    public static func render(_ report: PostmortemReport, formatTime: (Instant) -> String = { $0.iso8601 }) -> String {
        var lines: [String] = []
        let l = report.label
        let t = report.text
        func duration(_ ms: Int64?) -> String { ms.map { EventDescription.formatMilliseconds($0) } ?? "—" }
        func cell(_ text: String) -> String { escape(text) }
        func md(_ text: String) -> String { escape(text) }
        lines.append("# \(md(report.heading)): \(md(report.title))\(report.drill ? " (\(l(.drillBadge)))" : "")")
        lines.append("")
        lines.append("| | |")
        lines.append("|---|---|")
        lines.append("| \(l(.incident)) | \(report.id) |")
        lines.append("| \(l(.status)) | \(t(.statusValue(final: report.final, incident: Message.incidentStatus(report.status.rawValue).text(in: report.language)))) |")
        lines.append("| \(l(.date)) | \(formatTime(report.openedAt)) |")
        lines.append("| \(l(.severity)) | \(report.severityLabel)" + report.severityChanges.map { " (\($0.from) → \($0.to), \(formatTime($0.at)), \(md($0.by)))" }.joined() + " |")
        lines.append("| \(l(.runbook)) | \(report.runbookID): \(cell(report.runbookTitle)) |")
        lines.append("| \(l(.runbookSHA256)) | `\(report.runbookSHA256)` |")
        lines.append("| \(l(.participants)) | \(report.participants.map(md).joined(separator: ", ")) |")
        lines.append("| \(l(.kind)) | \(report.kindLabel) |")
        lines.append("")
        if let broken = report.integrity.finding {
            // Integrity sentences are the engine's own words (ids, numbers), not user text.
            lines.append("> **\(broken)**: \(t(.mayNotTell))")
            lines.append("")
        }
        if !report.findings.isEmpty {
            lines.append("## \(l(.findings))")
            lines.append("")
            for finding in report.findings {
                lines.append("- \(md(finding.text(in: report.language))) (#\(finding.sequence), \(formatTime(finding.at)))")
            }
            lines.append("")
        }
        if !report.linked.isEmpty {
            lines.append("## \(Message.linkedIncidents.text(in: report.language))")
            lines.append("")
            for link in report.linked { lines.append("- \(md(link.text(in: report.language)))") }
            lines.append("")
        }
        lines.append("## \(l(.summary))")
        lines.append("")
        for item in report.tagged["summary"] ?? [] {
            lines.append(md(item.text))
            lines.append("")
        }
        lines.append(report.summarySentences(formatTime).map(md).joined(separator: " "))
        lines.append("")
        // Sections filled from the record first; the empty ones come last, each saying how to fill it.
        let sections = report.sections
        for (section, items) in sections where !items.isEmpty {
            lines.append("## \(report.heading(section))")
            lines.append("")
            for item in items { lines.append("- \(md(item.text)) (\(md(item.by)), \(formatTime(item.at)))") }
            lines.append("")
        }

        lines.append("## \(l(.keyTimes))")
        lines.append("")
        lines.append("| \(l(.interval)) | \(l(.time)) |")
        lines.append("|---|---|")
        for (name, value) in keyTimeRows(report, formatTime) { lines.append("| \(name) | \(md(value)) |") }
        lines.append("")
        lines.append("## \(l(.stages))")
        lines.append("")
        lines.append("| \(l(.stage)) | \(l(.entered)) | \(l(.target)) | \(l(.actual)) | \(l(.result)) |")
        lines.append("|---|---|---|---|---|")
        for row in report.stages {
            let actual = duration(row.actualMilliseconds) + (row.leftAt == nil ? " \(l(.running))" : "")
            lines.append("| \(cell(row.title)) | \(formatTime(row.enteredAt)) | \(row.target?.description ?? "—") | \(actual) | \(t(.verdict(row.verdict))) |")
        }
        lines.append("")
        lines.append("## \(l(.escalations))")
        lines.append("")
        if report.pages.isEmpty { lines.append("_\(l(.nobodyPaged))_") }
        for page in report.pages {
            lines.append("- " + md(t(.paged(at: formatTime(page.at), tier: page.tier, round: page.round, by: page.manual ? page.by : nil,
                                            roles: page.roles.joined(separator: ", "), why: page.why))))
            for delivery in page.deliveryLines(formatTime) { lines.append("  - \(md(delivery))") }
        }
        lines.append("")
        lines.append("## \(l(.commandsRun))")
        lines.append("")
        if report.commands.isEmpty { lines.append("_\(l(.none))_") }
        for command in report.commands {
            let outcome = command.outcome
            let bytes = outcome.stdout.totalBytes + outcome.stderr.totalBytes
            // A digest identifies output worth keeping; the digest of nothing is noise.
            let digest = outcome.stdout.totalBytes > 0 ? ", stdout SHA-256 `\(outcome.stdout.sha256.prefix(16))…`" : ""
            lines.append("- \(md(t(.commandRan(step: command.step, by: command.by, at: formatTime(command.at))))): \(codeSpan(command.command)) → "
                         + md(t(.commandResult(summary: command.verdict.summary(in: report.language), duration: duration(outcome.durationMilliseconds),
                                               bytes: bytes))) + digest)
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
        lines.append("## \(l(.inputsAndApprovals))")
        lines.append("")
        if report.inputs.isEmpty && report.approvals.isEmpty { lines.append("_\(l(.none))_") }
        // The facts are escaped, not the sentence: ids are plain (the decoder holds them to letters, digits, `-`, `_`),
        // and a long log's approvals stay cheap to write.
        for input in report.inputs { lines.append("- " + t(.input(step: input.step, value: md(input.value), by: md(input.by), at: formatTime(input.at)))) }
        for approval in report.approvals {
            if let refused = approval.refused {
                lines.append("- " + t(.approvalRefused(step: approval.step, by: md(approval.by), at: formatTime(approval.at), reason: md(refused))))
            } else {
                lines.append("- " + t(.approved(step: approval.step, by: md(approval.by), role: md(approval.role), at: formatTime(approval.at))))
            }
        }
        lines.append("")
        lines.append("## \(l(.actionItems))")
        lines.append("")
        let actions = report.tagged["action"] ?? []
        if actions.isEmpty { lines.append("_\(l(.noActions))_") }
        for item in actions { lines.append("- [ ] \(md(item.text))" + (item.text.contains("owner") ? "" : item.owner.map { " — \(l(.owner)): \(md($0))" } ?? "")) }
        lines.append("")
        lines.append("## \(l(.lessonsLearned))")
        lines.append("")
        for (title, tag) in lessons(report) {
            lines.append("### \(title)")
            lines.append("")
            let items = report.tagged[tag] ?? []
            if items.isEmpty { lines.append("_\(t(.lessonEmpty(tag: tag, incident: report.id)))_") }
            for item in items { lines.append("- \(md(item.text)) (\(md(item.by)))") }
            lines.append("")
        }
        lines.append("## \(l(.notes))")
        lines.append("")
        if report.notes.isEmpty { lines.append("_\(l(.none))_") }
        for note in report.notes { lines.append("- \(formatTime(note.at)) \(md(note.by)): \(md(note.text))") }
        lines.append("")
        lines.append("## \(l(.timeline))")
        lines.append("")
        lines.append("| \(l(.time)) | # | \(l(.who)) | \(l(.what)) |")
        lines.append("|---|---|---|---|")
        for (entry, time) in zip(report.timeline, report.timelineTimes(formatTime)) {
            lines.append("| \(time) | \(entry.sequence) | \(cell(entry.actor)) | \(cell(entry.text)) |")
        }
        lines.append("")
        lines.append("## \(l(.integrity))")
        lines.append("")
        if report.integrity.intact {
            lines.append(t(.logVerified(events: report.integrity.events)))
        } else {
            lines.append("**\(report.integrity.finding ?? "log altered").** \(t(.mayNotTell))")
            lines.append("")
            for problem in report.integrity.problems { lines.append("- \(problem.sentence)") }
        }
        if let checkpoint = report.integrity.checkpoint {
            lines.append("")
            lines.append(t(.checkpoint(checkpoint.text, incident: report.id)))
        }
        lines.append("")
        let empty = sections.filter(\.items.isEmpty)
        if !empty.isEmpty {
            lines.append("## \(l(.stillToFill))")
            lines.append("")
            for (section, _) in empty {
                lines.append("### \(report.heading(section))")
                lines.append("")
                lines.append("_\(t(.sectionEmpty(section, incident: report.id)))_")
                lines.append("")
            }
        }
        lines.append("_\(t(.generated(at: formatTime(report.generatedAt))))_")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lessons-learned headings with their tags.
    static func lessons(_ report: PostmortemReport) -> [(title: String, tag: String)] {
        [(report.label(.wentWell), "went-well"), (report.label(.wentWrong), "went-wrong"), (report.label(.lucky), "lucky")]
    }

    /// The key times (SPEC §8): impact start and end when known, detection, opening, acknowledgement, containment,
    /// the intervals, and the RTO against the actual time with its caveats. Shared by the Markdown and HTML renderings.
    static func keyTimeRows(_ report: PostmortemReport, _ formatTime: (Instant) -> String) -> [(String, String)] {
        let l = report.label
        func duration(_ ms: Int64?) -> String { ms.map { EventDescription.formatMilliseconds($0) } ?? "—" }
        var rows: [(String, String)] = []
        if let started = report.impactStartedAt { rows.append((l(.impactStarted), formatTime(started))) }
        rows.append((l(.detected), formatTime(report.detectedAt)))
        rows.append((l(.opened), formatTime(report.openedAt)))
        if let acknowledged = report.acknowledgedAt { rows.append((l(.acknowledged), formatTime(acknowledged))) }
        if let contained = report.containedAt { rows.append((l(.contained), formatTime(contained))) }
        if let resolved = report.resolvedAt { rows.append((l(.impactEnded), formatTime(resolved))) }
        rows.append((l(.timeToDetect), duration(report.timeToDetect)))
        rows.append((l(.timeToAcknowledge), duration(report.since(report.acknowledgedAt))))
        rows.append((l(.timeToContain), duration(report.since(report.containedAt))))
        rows.append((l(.timeToResolve), duration(report.since(report.resolvedAt))))
        if let rto = report.rtoSentence { rows.append((l(.rtoTargetActual), rto)) }
        return rows
    }

    /// User text as inline Markdown that renders as the text itself (SPEC §4, text hygiene): no raw HTML
    /// (`<`, `>`, `&` become entities), no emphasis, links, tables, headings or lists (`\`, `` ` ``, `*`,
    /// `_`, `[`, `]`, `|`, `#`, `~` are backslash-escaped, and so is a leading `-`, `+`, `=` or the dot of a
    /// leading `1.`), line breaks as `<br>` so a note cannot start a block of its own, control characters as
    /// `\e`, `\x07`, … (`TextHygiene.visible`). A code span around a plain id (`` `isolate` ``, as event
    /// descriptions write step and stage ids) is kept: nothing inside it can be markup.
    public static func escape(_ text: String) -> String {
        // UTF-8 bytes, not Characters or scalars: every character that matters is ASCII (or a control character, decoded
        // where its lead byte says it is one), and a timeline of 100 000 events is escaped line by line (grapheme
        // breaking made the report three times slower; appending scalar by scalar cost a sixth of it).
        var text = text
        return text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            var leadingDigits = start
            while leadingDigits < bytes.count, isDigit(bytes[leadingDigits]) { leadingDigits += 1 }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 16)
            func append(_ ascii: StaticString) {
                ascii.withUTF8Buffer { result.append(contentsOf: $0) }
            }
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 {
                    // A multi-byte scalar: kept as it is unless it is a control character (C1, bidi, zero-width, BOM).
                    let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                    let end = min(index + length, bytes.count)
                    if byte == 0xC2 || byte == 0xD8 || byte == 0xE2 || byte == 0xEF,
                       let scalar = decode(bytes[index..<end]), TextHygiene.isControl(scalar) {
                        result.append(contentsOf: TextHygiene.visible(scalar).utf8)
                    } else {
                        result.append(contentsOf: bytes[index..<end])
                    }
                    index = end
                    continue
                }
                if byte == UInt8(ascii: "`"), let end = identifierSpanEnd(bytes, from: index) {
                    result.append(contentsOf: bytes[index...end])
                    index = end + 1
                    continue
                }
                let leading = index == start
                let afterLeadingNumber = index == leadingDigits && leadingDigits > start
                index += 1
                switch byte {
                case UInt8(ascii: "\n"):
                    append("<br>")
                case UInt8(ascii: "\r") where index < bytes.count && bytes[index] == UInt8(ascii: "\n"):
                    index += 1
                    append("<br>")
                case UInt8(ascii: "&"): append("&amp;")
                case UInt8(ascii: "<"): append("&lt;")
                case UInt8(ascii: ">"): append("&gt;")
                case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"),
                     UInt8(ascii: "|"), UInt8(ascii: "#"), UInt8(ascii: "~"):
                    result.append(UInt8(ascii: "\\"))
                    result.append(byte)
                case UInt8(ascii: "-") where leading, UInt8(ascii: "+") where leading, UInt8(ascii: "=") where leading,
                     UInt8(ascii: ".") where afterLeadingNumber, UInt8(ascii: ")") where afterLeadingNumber:
                    result.append(UInt8(ascii: "\\"))
                    result.append(byte)
                case 0x00...0x1F, 0x7F:
                    result.append(contentsOf: TextHygiene.visible(Unicode.Scalar(byte)).utf8)
                default:
                    result.append(byte)
                }
            }
            return String(decoding: result, as: UTF8.self)
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// The scalar whose UTF-8 bytes are `bytes` (one whole scalar of a valid string).
    private static func decode(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Unicode.Scalar? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
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
    private static func identifierSpanEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "`") { return index > start + 1 ? index : nil }
            guard isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") else {
                return nil
            }
            index += 1
        }
        return nil
    }
}
