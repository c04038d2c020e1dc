import RunbookCore
import Testing

@Suite struct YAMLParserTests {
    @Test func nodesCarryOneBasedMarks() throws {
        let root = try #require(try YAMLParser.parse("a: 1\nlist:\n  - x\n  - { k: v }\n"))
        guard case .mapping(let pairs) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs.map { $0.key.scalar } == ["a", "list"])
        #expect(pairs[0].value.mark == SourceMark(line: 1, column: 4))
        guard case .sequence(let items) = pairs[1].value.content else {
            Issue.record("expected a list")
            return
        }
        #expect(items[0].mark == SourceMark(line: 3, column: 5))
        #expect(items[1].mark == SourceMark(line: 4, column: 5))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try #require(try YAMLParser.parse("제목: 값\n"))
        guard case .mapping(let pairs) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs[0].value.mark == SourceMark(line: 1, column: 5))
        #expect(pairs[0].value.scalar == "값")
    }

    @Test func aliasesResolveToTheAnchoredNode() throws {
        let root = try #require(try YAMLParser.parse("a: &x [1, 2]\nb: *x\n"))
        guard case .mapping(let pairs) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs[0].value.content == pairs[1].value.content)
    }

    @Test func mergeKeysDoNotOverrideWrittenKeys() throws {
        let root = try #require(try YAMLParser.parse("base: &b { x: 1, y: 2 }\nm:\n  <<: *b\n  y: 3\n"))
        guard case .mapping(let pairs) = root.content, case .mapping(let merged) = pairs[1].value.content else {
            Issue.record("expected mappings")
            return
        }
        #expect(merged.map { $0.key.scalar ?? "" } == ["y", "x"])
        #expect(merged[0].value.scalar == "3")
    }

    @Test func plainAndQuotedScalarsDiffer() throws {
        let root = try #require(try YAMLParser.parse("a: yes\nb: \"yes\"\n"))
        guard case .mapping(let pairs) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs[0].value.content == .scalar("yes", plain: true))
        #expect(pairs[1].value.content == .scalar("yes", plain: false))
    }

    @Test(arguments: [
        ("a: 1\na: 2\n", SourceMark(line: 2, column: 1), "duplicate key `a` (first at line 1)"),
        ("a: *nope\n", SourceMark(line: 1, column: 4), "unknown alias *nope: no anchor &nope before it"),
        ("a: 1\n---\nb: 2\n", SourceMark(line: 2, column: 1), "expected one YAML document, found a second one (remove the `---`)"),
        ("a: [1, 2\n", SourceMark(line: 2, column: 1), "did not find expected ',' or ']' (while parsing a flow sequence started at line 1, column 4)"),
        ("? [1]\n: x\n", SourceMark(line: 1, column: 3), "a mapping key must be a plain string, found a list"),
        ("a:\n\tb: 1\n", SourceMark(line: 2, column: 1), "found character that cannot start any token (while scanning for the next token started at line 2, column 1)"),
    ])
    func reportsErrorsWithPositions(_ text: String, _ mark: SourceMark, _ message: String) {
        #expect(throws: YAMLError(mark: mark, message: message)) {
            _ = try YAMLParser.parse(text)
        }
    }

    @Test func emptyDocumentIsNil() throws {
        #expect(try YAMLParser.parse("") == nil)
        #expect(try YAMLParser.parse("# only a comment\n") == nil)
    }

    @Test func invalidUTF8IsAnError() {
        var bytes: [UInt8] = [0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]
        #expect(throws: YAMLError.self) {
            _ = try YAMLParser.parse(bytes: &bytes)
        }
    }
}

@Suite struct DurationTests {
    @Test(arguments: [("30s", 30), ("5m", 300), ("1h30m", 5400), ("24h", 86_400), ("0m", 0), ("2d", 172_800), ("1h0m5s", 3605)])
    func parses(_ text: String, _ seconds: Int) {
        #expect(RunbookDuration(parsing: text)?.seconds == seconds)
    }

    @Test(arguments: ["", "5", "m", "5 m", "soon", "30m1h", "5mm", "-5m", "1.5h", "５m"])
    func rejects(_ text: String) {
        #expect(RunbookDuration(parsing: text) == nil)
    }

    @Test func printsCanonically() {
        #expect(RunbookDuration.seconds(5400).description == "1h30m")
        #expect(RunbookDuration.hours(26).description == "26h")
        #expect(RunbookDuration.zero.description == "0m")
        #expect(RunbookDuration.seconds(45).description == "45s")
    }
}

@Suite struct TextWidthTests {
    @Test func koreanIsTwoColumnsWide() {
        #expect(TextWidth.of("탐지 (Detect)") == 13)
        #expect(TextWidth.pad("탐지", to: 6) == "탐지  ")
        #expect(TextWidth.truncate("보안 사고 대응", to: 7) == "보안 …")
    }

    @Test func decomposedHangulCountsOnce() {
        // 한 written as three conjoining jamo is still two columns.
        #expect(TextWidth.of("\u{1112}\u{1161}\u{11AB}") == 2)
    }
}

@Suite struct YAMLDepthTests {
    static let message = "collections nested more than 1000 levels deep; this file needs far fewer (is it generated, or damaged?)"

    @Test func nestingUpToTheLimitParses() throws {
        let limit = YAMLParser.maximumDepth
        #expect(limit == 1000)
        let text = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try YAMLParser.parse(text) != nil)
    }

    @Test(arguments: [1001, 100_000])
    func deeperFlowNestingIsRefusedAtTheFirstLevelTooMany(_ depth: Int) {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: YAMLError(mark: SourceMark(line: 1, column: 1001), message: Self.message)) {
            try YAMLParser.parse(text)
        }
    }

    @Test func deepBlockNestingIsRefused() {
        var text = ""
        for level in 0..<1500 { text += String(repeating: " ", count: level) + "k:\n" }
        #expect(throws: YAMLError(mark: SourceMark(line: 1001, column: 1001), message: Self.message)) {
            try YAMLParser.parse(text)
        }
    }

    @Test func anAliasCountsTheDepthOfWhatItNames() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(try YAMLParser.parse("a: &x \(deep)\nb: *x\n") != nil)
        #expect(throws: YAMLError(mark: SourceMark(line: 2, column: 404), message: Self.message)) {
            try YAMLParser.parse("a: &x \(deep)\nb: \(String(repeating: "[", count: 400))*x\(String(repeating: "]", count: 400))\n")
        }
    }
}
