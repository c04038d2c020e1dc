import RunbookCore
import RunbookTestSupport
import Testing

/// An element of a parsed XML document: its name, attributes, children and the text directly inside it.
struct XMLNode: Equatable {
    var name: String
    var attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    /// This element and every element below it, in document order.
    var descendants: [XMLNode] { [self] + children.flatMap(\.descendants) }

    /// The text inside this element and all below it.
    var allText: String { text + children.map(\.allText).joined() }

    /// The text of the first child element named `name`; empty without one.
    func childText(_ name: String) -> String { children.first(where: { $0.name == name })?.allText ?? "" }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
    func hasClass(_ name: String) -> Bool { (attributes["class"] ?? "").split(separator: " ").contains { $0 == name } }
}

/// A tiny XML reader for the SVG the report draws: elements, double- or single-quoted attributes, text,
/// `<!-- -->` comments and the five predefined entities plus numeric ones. It refuses what is not
/// well-formed (an unclosed or mismatched tag, a stray `<` or `&`), so unescaped text fails the test.
enum TinyXML {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws -> XMLNode {
        var scalars = Substring(text).unicodeScalars[...]
        var stack: [XMLNode] = [XMLNode(name: "#document", attributes: [:])]
        func fail(_ message: String) -> Failure { Failure(description: "\(message) near: \(String(String.UnicodeScalarView(scalars.prefix(60)))))") }
        func decode(_ raw: Substring.UnicodeScalarView.SubSequence) throws -> String {
            var out = ""
            var rest = raw
            while let amp = rest.firstIndex(of: "&") {
                out.unicodeScalars.append(contentsOf: rest[..<amp])
                guard let semicolon = rest[amp...].firstIndex(of: ";") else { throw fail("a bare &") }
                let name = String(String.UnicodeScalarView(rest[rest.index(after: amp)..<semicolon]))
                switch name {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let value = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
                    guard let value, let scalar = Unicode.Scalar(value) else { throw fail("unknown entity &\(name);") }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semicolon)...]
            }
            out.unicodeScalars.append(contentsOf: rest)
            return out
        }
        while !scalars.isEmpty {
            guard let open = scalars.firstIndex(of: "<") else {
                stack[stack.count - 1].text += try decode(scalars)
                break
            }
            stack[stack.count - 1].text += try decode(scalars[..<open])
            scalars = scalars[scalars.index(after: open)...]
            if scalars.starts(with: "!--".unicodeScalars) {
                guard let end = String(String.UnicodeScalarView(scalars)).range(of: "-->") else { throw fail("an unclosed comment") }
                scalars = scalars.dropFirst(String(String.UnicodeScalarView(scalars))[..<end.upperBound].unicodeScalars.count)
                continue
            }
            guard let close = scalars.firstIndex(of: ">") else { throw fail("an unclosed tag") }
            var tag = String(String.UnicodeScalarView(scalars[..<close]))
            scalars = scalars[scalars.index(after: close)...]
            if tag.hasPrefix("/") {
                let name = String(String(tag.dropFirst()).trimmingWhitespace)
                guard stack.count > 1, let last = stack.popLast(), last.name == name else { throw fail("a mismatched </\(name)>") }
                stack[stack.count - 1].children.append(last)
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            if selfClosing { tag.removeLast() }
            guard !tag.contains("<") else { throw fail("a < inside a tag") }
            let name = String(tag.prefix { !$0.isWhitespace })
            guard !name.isEmpty else { throw fail("an element without a name") }
            var attributes: [String: String] = [:]
            var rest = Substring(tag.dropFirst(name.count))
            while true {
                rest = rest.drop { $0.isWhitespace }
                if rest.isEmpty { break }
                guard let equals = rest.firstIndex(of: "="), let quote = rest[rest.index(after: equals)...].first, quote == "\"" || quote == "'" else {
                    throw fail("a malformed attribute in <\(tag)>")
                }
                let key = String(String(rest[..<equals]).trimmingWhitespace)
                let valueStart = rest.index(equals, offsetBy: 2)
                guard let valueEnd = rest[valueStart...].firstIndex(of: quote) else { throw fail("an unclosed attribute value") }
                guard attributes[key] == nil else { throw fail("a repeated attribute \(key)") }
                attributes[key] = try decode(Substring(rest[valueStart..<valueEnd]).unicodeScalars[...])
                rest = rest[rest.index(after: valueEnd)...]
            }
            let node = XMLNode(name: name, attributes: attributes)
            if selfClosing {
                stack[stack.count - 1].children.append(node)
            } else {
                stack.append(node)
            }
        }
        guard stack.count == 1, let document = stack.first else { throw Failure(description: "unclosed <\(stack.last?.name ?? "")>") }
        guard document.children.count == 1, let root = document.children.first else { throw Failure(description: "not one root element") }
        return root
    }
}

/// The report's timeline picture, parsed (SPEC §8): clock-time ticks, a legend, whole deadline boxes, labels
/// that fit, pages by tier, hover titles, commands by their own `expect_exit`.
@Suite struct TimelineSVGTests {
    /// Times as a runbook user in Seoul reads them: `2026-11-26 10:00:00 KST`.
    static let seoul: @Sendable (Instant) -> String = { CivilTime(utcMilliseconds: $0.milliseconds, offsetSeconds: 9 * 3600).formatted() + " KST" }

    func report(_ h: EngineHarness) -> PostmortemReport {
        PostmortemReport(runbook: h.runbook, events: h.events, integrity: Integrity.chain(incidentID: "INC-TEST-0001", records: h.events.map(\.record)), now: h.now)
    }

    func svg(_ report: PostmortemReport, language: Language = .english) throws -> XMLNode {
        try TinyXML.parse(PostmortemTimelineSVG.render(report, formatTime: Self.seoul, language: language))
    }

    /// The viewBox width and the axis's ends.
    func geometry(_ svg: XMLNode) throws -> (width: Double, axisFrom: Double, axisTo: Double) {
        let box = try #require(svg.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        let axis = try #require(svg.descendants.first(where: { $0.hasClass("axis") }))
        return (try #require(box.count == 4 ? box[2] : nil), try #require(axis.number("x1")), try #require(axis.number("x2")))
    }

    /// Every text's estimated extent, `[left, right]`, with the translation of legend entries applied.
    func textExtents(_ node: XMLNode, dx: Double = 0) -> [(text: String, left: Double, right: Double)] {
        var dx = dx
        if let transform = node.attributes["transform"], transform.hasPrefix("translate(") {
            dx += Double(transform.dropFirst("translate(".count).prefix { $0 != " " && $0 != ")" }) ?? 0
        }
        var extents: [(String, Double, Double)] = []
        if node.name == "text", let x = node.number("x") {
            let width = PostmortemTimelineSVG.estimatedWidth(node.allText)
            let left = switch node.attributes["text-anchor"] {
            case "middle": x - width / 2
            case "end": x - width
            default: x
            }
            extents.append((node.allText, left + dx, left + dx + width))
        }
        return extents + node.children.flatMap { textExtents($0, dx: dx) }
    }

    @Test func ticksFallOnRoundLocalTimesInIncreasingOrder() throws {
        // The golden incident: opened 10:00 KST, over by 11:12; its 24 h follow-up deadline is drawn whole behind a
        // break in the axis, so the incident keeps most of the width.
        let svg = try svg(report(try goldenIncident()))
        let ticks = svg.descendants.filter { $0.hasClass("tick") }
        let times = ticks.compactMap { $0.attributes["data-at"].flatMap(Int64.init) }
        #expect(times.count == ticks.count && ticks.count >= 3, "ticks: \(ticks.count)")
        #expect(times == times.sorted() && Set(times).count == times.count, "ticks in increasing time order")
        let xs = ticks.compactMap { $0.children.first(where: { $0.name == "line" })?.number("x1") }
        #expect(xs == xs.sorted() && xs.count == ticks.count)
        // Every tick but the axis's end is a round step of local time, labelled with the formatter's clock time; the
        // date shows once per day, where it changes.
        let labels = ticks.map { $0.children.first(where: { $0.name == "text" })?.allText ?? "" }
        #expect(labels == ["10:00", "10:10", "10:20", "10:30", "10:40", "10:50", "11:00", "11:10", "11:20", "11-27 11:20"], "\(labels)")
        for (label, at) in zip(labels, times) {
            #expect(Self.seoul(Instant(milliseconds: at)).contains(String(label.suffix(5)) + ":00"))
        }
        // The break sits after the incident, before the last tick, and says what it is.
        let breaks = svg.descendants.filter { $0.hasClass("axis-break") }
        #expect(breaks.count == 1)
        #expect(breaks.first?.childText("title").isEmpty == false)
        let breakX = breaks.first?.children.first(where: { $0.name == "line" })?.number("x1") ?? 0
        #expect(breakX > (xs.dropLast().last ?? 0) && breakX < (xs.last ?? 0))
    }

    @Test func aShortIncidentDrawsNoBreak() throws {
        var h = try EngineHarness(yaml: validRunbook)
        h.advance(by: .minutes(7))
        try h.send(.mark(step: "s1", .done, note: nil))
        #expect(try svg(report(h)).descendants.filter { $0.hasClass("axis-break") }.isEmpty)
    }

    @Test func aShortIncidentHasMinuteTicks() throws {
        var h = try EngineHarness(yaml: validRunbook)
        h.advance(by: .minutes(7))
        try h.send(.mark(step: "s1", .done, note: nil))
        h.advance(by: .minutes(30))
        try h.send(.mark(step: "s2", .done, note: nil))
        let ticks = try svg(report(h)).descendants.filter { $0.hasClass("tick") }
        let times = ticks.compactMap { $0.attributes["data-at"].flatMap(Int64.init) }
        // 37 minutes against b's 10m deadline from 10:07: every 5 minutes, from 10:00 KST.
        #expect(ticks.map { $0.children.first(where: { $0.name == "text" })?.allText ?? "" }
                == ["10:00", "10:05", "10:10", "10:15", "10:20", "10:25", "10:30", "10:35"])
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 300_000 })
    }

    @Test func theLegendNamesEveryKindOfMark() throws {
        let svg = try svg(report(try goldenIncident()))
        let legend = try #require(svg.descendants.first(where: { $0.hasClass("legend") }))
        let entries = legend.descendants.filter { $0.hasClass("legend-entry") }
        #expect(entries.compactMap { $0.attributes["data-entry"] }
                == ["stage", "stage-missed", "deadline", "missed-deadline", "page", "command-ok", "command-failed"])
        for entry in entries {
            #expect(entry.children.count == 2, "a symbol and its words")
            #expect(entry.childText("text") != "")
        }
        // In Korean, the legend and lanes speak Korean.
        let korean = try self.svg(report(try goldenIncident()), language: .korean)
        let words = korean.descendants.filter { $0.hasClass("legend-entry") }.map(\.allText)
        #expect(words.contains("놓친 기한") && words.contains("명령 실패"), "\(words)")
    }

    @Test func deadlineBoxesAreDrawnWholeWithinTheAxis() throws {
        let r = report(try goldenIncident())
        let svg = try svg(r)
        let (_, from, to) = try geometry(svg)
        let boxes = svg.descendants.filter { $0.hasClass("deadline") }
        #expect(boxes.count == r.stages.filter { $0.target != nil }.count)
        var rightmost = 0.0
        for box in boxes {
            let x = try #require(box.number("x")), width = try #require(box.number("width"))
            #expect(x >= from - 0.5 && x + width <= to + 0.5, "box [\(x), \(x + width)] outside the axis [\(from), \(to)]")
            rightmost = max(rightmost, x + width)
        }
        // The 24 h follow-up deadline is the latest thing: the axis ends there, so its box is not cut short.
        #expect(abs(rightmost - to) <= 1)
        // Each box is as long as its target: 5m for detect against 15m for isolate.
        let detect = try #require(boxes.first?.number("width")), isolate = try #require(boxes.dropFirst().first?.number("width"))
        #expect(abs(isolate / detect - 3) < 0.6, "\(detect) \(isolate)")
        // detect missed its 5m deadline: one missed-deadline mark, with a hover title.
        let missed = svg.descendants.filter { $0.hasClass("missed-deadline") }
        #expect(missed.count == 1)
        #expect(missed.first?.children.first(where: { $0.name == "title" })?.allText == "deadline 2026-11-26 10:05:00 KST missed by 2m00s")
    }

    @Test func noTextReachesBeyondThePicture() throws {
        // Long Korean and English titles (a Hangul syllable is two columns), escaped characters included.
        let long = "데이터베이스 복구 및 서비스 재개 (Restore the database & resume service <after> the failover check)"
        let yaml = validRunbook.replacingOccurrences(of: "  b:\n", with: "  b:\n    title: \"\(long)\"\n")
        var h = try EngineHarness(yaml: yaml)
        h.advance(by: .minutes(2))
        try h.send(.mark(step: "s1", .done, note: nil))
        try h.send(.note("<b>note</b> & more"))
        let r = report(h)
        for picture in [try svg(r), try svg(r, language: .korean), try svg(report(try goldenIncident())), try svg(report(try goldenIncident()), language: .korean)] {
            let (width, _, _) = try geometry(picture)
            let extents = textExtents(picture)
            #expect(extents.count > 10)
            for extent in extents {
                #expect(extent.left >= 0 && extent.right <= width, "\(extent.text): [\(extent.left), \(extent.right)] beyond 0…\(width)")
            }
        }
        // The long title is wrapped onto lines, not cut: its words all come back, in order.
        let lines = try svg(r).descendants.filter { $0.hasClass("stage-label") }.map(\.allText)
        #expect(lines.count > 2)
        #expect(lines.joined(separator: " ").contains(long))
        // Every mark has a hover title.
        for mark in try svg(r).descendants where mark.hasClass("stage-bar") || mark.hasClass("deadline") || mark.hasClass("page") || mark.hasClass("command") {
            #expect(mark.childText("title") != "", "\(mark.name) without a title")
        }
    }

    @Test func pagesAreLabelledByTier() throws {
        let r = report(try goldenIncident())
        let pages = try svg(r).descendants.filter { $0.hasClass("page") }
        #expect(pages.count == r.pages.count)
        #expect(pages.map { $0.children.first(where: { $0.name == "text" })?.allText ?? "" } == r.pages.map { $0.tier == 0 ? "notice" : "T\($0.tier)" })
        let title = pages.first?.children.first(where: { $0.name == "title" })?.allText ?? ""
        #expect(title.hasPrefix("tier \(r.pages.first?.tier ?? 0) paged at 2026-11-26"), "\(title)")
        let korean = try svg(r, language: .korean).descendants.filter { $0.hasClass("page") }
        #expect(korean.map { $0.children.first(where: { $0.name == "text" })?.allText ?? "" } == r.pages.map { $0.tier == 0 ? "공지" : "\($0.tier)차" })
    }

    @Test func commandsAreColouredByTheirStepsOwnExpectedExit() throws {
        let yaml = validRunbook.replacingOccurrences(of: "      - { id: s1, title: S1 }\n", with:
            "      - { id: grep-none, title: \"No match expected\", run: \"grep -q x /dev/null\", expect_exit: 1 }\n"
            + "      - { id: check, title: Check, run: \"true\" }\n"
            + "      - { id: s1, title: S1 }\n")
        #expect(yaml != validRunbook)
        var h = try EngineHarness(yaml: yaml)
        func outcome(_ code: Int32) -> CommandOutcome {
            CommandOutcome(exitCode: code, durationMilliseconds: 12, stdout: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: EventChain.sha256("")),
                           stderr: CapturedOutput(head: "", tail: "", totalBytes: 0, sha256: EventChain.sha256("")))
        }
        try h.send(.startCommand(step: "grep-none", pid: 10))
        try h.send(.finishCommand(step: "grep-none", outcome: outcome(1)))
        h.advance(by: .minutes(1))
        try h.send(.startCommand(step: "check", pid: 11))
        try h.send(.finishCommand(step: "check", outcome: outcome(1)))
        let circles = try svg(report(h)).descendants.filter { $0.hasClass("command") }
        // Exit 1 is what grep-none expects (succeeded), and a failure for check, which expects 0.
        #expect(circles.map { $0.hasClass("ok") } == [true, false])
        #expect(circles.map { $0.children.first(where: { $0.name == "title" })?.allText ?? "" }
                == ["grep-none at 2026-11-26 10:00:00 KST: succeeded in 12ms", "check at 2026-11-26 10:01:00 KST: exit code 1, expected 0 in 12ms"])
    }

    @Test func theReaderRefusesWhatIsNotWellFormed() {
        #expect(throws: TinyXML.Failure.self) { try TinyXML.parse("<svg><text>a</svg>") }
        #expect(throws: TinyXML.Failure.self) { try TinyXML.parse("<svg><text>a & b</text></svg>") }
        #expect(throws: TinyXML.Failure.self) { try TinyXML.parse("<svg><text>a</text>") }
        #expect((try? TinyXML.parse("<svg a=\"1 &amp; 2\"><text x='3'>&lt;b&gt; &#54620;</text></svg>"))
                == XMLNode(name: "svg", attributes: ["a": "1 & 2"], children: [XMLNode(name: "text", attributes: ["x": "3"], text: "<b> 한")]))
    }
}
