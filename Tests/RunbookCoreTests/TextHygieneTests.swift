import RunbookCore
import Testing

/// The one predicate and the one escaping function of text hygiene (SPEC §4).
@Suite struct TextHygieneTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("로그인 실패 급증 (login failures)", "로그인 실패 급증 (login failures)"),
        ("\u{1B}]0;x\u{07}\u{1B}[2J", #"\e]0;x\x07\e[2J"#),
        ("a\tb", #"a\tb"#),
        ("a\rb", #"a\rb"#),
        ("a\nb", #"a\nb"#),
        ("a\r\nb", #"a\r\nb"#),
        ("nul\u{0} del\u{7F}", #"nul\x00 del\x7F"#),
        ("csi\u{9B}2J nel\u{85}", #"csi\u{009B}2J nel\u{0085}"#),
        ("evil\u{202E}txt.exe", #"evil\u{202E}txt.exe"#),
        ("\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}", #"\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}"#),
        ("zero width joiner \u{200D} and é stay", "zero width joiner \u{200D} and é stay"),
        (#"a literal \e stays"#, #"a literal \e stays"#),
    ])
    func escapesEveryControlCharacterOnOneLine(_ input: String, _ expected: String) {
        #expect(TextHygiene.escape(input) == expected)
        #expect(TextHygiene.escape(input).unicodeScalars.allSatisfy { !TextHygiene.isControl($0) })
    }

    @Test(arguments: [
        ("one line", "one line"),
        ("first\nsecond", "first\n    second"),
        ("first\r\nsecond\nthird", "first\n    second\n    third"),
        ("ring\u{07}\n\u{1B}[2J", "ring\\x07\n    \\e[2J"),
        ("lone\rreturn", "lone\\rreturn"),
        ("끝\n다음 줄", "끝\n    다음 줄"),
    ])
    func keepsLineBreaksIndented(_ input: String, _ expected: String) {
        #expect(TextHygiene.escape(input, lineBreaks: .indented("    ")) == expected)
    }

    @Test func anEmptyIndentStillIndents() {
        #expect(TextHygiene.escape("a\nb", lineBreaks: .indented("")) == "a\n b")
        #expect(TextHygiene.escape("a\nb\r\nc\td", lineBreaks: .spaces) == #"a b c\td"#)
    }

    @Test func koreanTextKeepsItsWidth() {
        let text = "보안 사고 대응 (Security incident response)"
        #expect(TextHygiene.escape(text) == text)
        #expect(TextWidth.of(TextHygiene.escape(text)) == TextWidth.of(text))
        #expect(TextWidth.of(TextHygiene.escape("탐지\u{1B}")) == 4 + 2)
    }

    @Test(arguments: [
        (0x00, true), (0x09, true), (0x0A, true), (0x1B, true), (0x1F, true), (0x20, false), (0x7E, false), (0x7F, true),
        (0x80, true), (0x9F, true), (0xA0, false), (0x200D, false), (0x2029, false), (0x202A, true), (0x202E, true),
        (0x202F, false), (0x2065, false), (0x2066, true), (0x2069, true), (0x206A, false), (0xAC00, false),
    ] as [(UInt32, Bool)])
    func theControlPredicate(_ value: UInt32, _ control: Bool) throws {
        let scalar = try #require(Unicode.Scalar(value))
        #expect(TextHygiene.isControl(scalar) == control)
    }

    @Test func refusalsNameTheCharacter() {
        #expect(TextHygiene.refusal("kim", as: "a name") == nil)
        #expect(TextHygiene.refusal("\u{1B}[31mevil", as: "a name") == #"a name may not contain control characters; found \e (U+001B)"#)
        #expect(TextHygiene.refusal("line\nbreak", as: "a note", allowingLineBreaks: true) == nil)
        #expect(TextHygiene.refusal("line\r\nbreak", as: "a note", allowingLineBreaks: true) == nil)
        #expect(TextHygiene.refusal("tab\there", as: "a note", allowingLineBreaks: true) == #"a note may not contain control characters; found \t (U+0009)"#)
        #expect(TextHygiene.refusal("lone\rreturn", as: "a note", allowingLineBreaks: true) != nil)
    }
}
