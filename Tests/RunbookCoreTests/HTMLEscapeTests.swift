import RunbookCore
import Testing

/// HTML escaping works on scalars: a quote with a combining mark after it (one Character) is still escaped, so user
/// text cannot end an attribute of the web page or the report.
@Suite struct HTMLEscapeTests {
    @Test(arguments: [
        ("yes\"\u{301} formaction=\"/x", "yes&quot;\u{301} formaction=&quot;/x"),
        ("<\u{301}script>", "&lt;\u{301}script&gt;"),
        ("it'\u{308}s & more", "it&#39;\u{308}s &amp; more"),
        ("a\r\nb\rc", "a\nb\\rc"),
        ("plain 한국어", "plain 한국어"),
    ])
    func escapesEveryScalar(_ input: String, _ expected: String) {
        #expect(PostmortemHTML.escape(input) == expected)
        #expect(!PostmortemHTML.escape(input).unicodeScalars.contains { $0 == "\"" || $0 == "<" || $0 == "'" })
    }
}
