import RunbookCore
import Testing

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("0", JSONValue.int(0)),
        ("-0", .int(0)),
        ("7", .int(7)),
        ("-12", .int(-12)),
        ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("0.5", .double(0.5)),
        ("-0.25", .double(-0.25)),
        ("1e3", .double(1000)),
        ("1E+3", .double(1000)),
        ("25e-1", .double(2.5)),
        ("1.5e-2", .double(0.015)),
        (" \t\r\n 1 \n", .int(1)),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        ("\"\"", .string("")),
        ("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", .string("a\"b\\c/d\u{8}\u{c}\n\r\t")),
        ("\"\\u00e9\\u0041\"", .string("éA")),
        ("\"\\ud83d\\ude00\"", .string("😀")),
        ("\"한국어 😀\"", .string("한국어 😀")),
        ("\"\\u0000\"", .string("\u{0}")),
        ("[]", .array([])),
        ("[1,[2,[]],{}]", .array([.int(1), .array([.int(2), .array([])]), .object([])])),
        ("{\"a\":1,\"b\":[true,null]}", .object([("a", .int(1)), ("b", .array([.bool(true), .null]))])),
        ("{ \"a\" : 1 , \"a\" : 2 }", .object([("a", .int(1)), ("a", .int(2))])),
    ] as [(String, JSONValue)])
    func accepted(_ text: String, _ value: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == value)
    }

    @Test(arguments: [
        ("", "unexpected end"),
        ("   ", "unexpected end"),
        ("+1", "unexpected character"),
        ("01", "invalid number: no leading zeros"),
        ("-01", "invalid number: no leading zeros"),
        ("00", "invalid number: no leading zeros"),
        (".5", "unexpected character"),
        ("1.", "invalid number: expected a digit after `.`"),
        ("1.e3", "invalid number: expected a digit after `.`"),
        ("1e", "invalid number: expected a digit in the exponent"),
        ("1e+", "invalid number: expected a digit in the exponent"),
        ("-", "invalid number"),
        ("-a", "invalid number"),
        ("--1", "invalid number"),
        ("1-2", "unexpected text after the value"),
        ("1e400", "number out of range"),
        ("-1e400", "number out of range"),
        ("NaN", "unexpected character"),
        ("Infinity", "unexpected character"),
        ("0x10", "unexpected text after the value"),
        ("1 2", "unexpected text after the value"),
        ("{} x", "unexpected text after the value"),
        ("x {}", "unexpected character"),
        ("\u{FEFF}{}", "unexpected character"),
        ("[1,]", "unexpected character"),
        ("[,1]", "unexpected character"),
        ("{\"a\":1,}", "expected a key"),
        ("{a:1}", "expected a key"),
        ("{\"a\" 1}", "expected `:`"),
        ("[1 2]", "expected `,` or `]`"),
        ("{\"a\":1 \"b\":2}", "expected `,` or `}`"),
        ("[", "unexpected end"),
        ("tru", "unexpected end"),
        ("trux", "invalid literal"),
        ("nul", "unexpected end"),
        ("\"abc", "unterminated string"),
        ("\"a\nb\"", "control character in a string"),
        ("\"a\tb\"", "control character in a string"),
        ("\"\u{1F}\"", "control character in a string"),
        ("\"\\x\"", "invalid escape"),
        ("\"\\u12\"", "invalid escape"),
        ("\"\\u12G4\"", "invalid escape"),
        ("\"\\ud83d\"", "unpaired surrogate escape: a high surrogate must be followed by a low one"),
        ("\"\\ud83dx\"", "unpaired surrogate escape: a high surrogate must be followed by a low one"),
        ("\"\\ud83d\\u0041\"", "unpaired surrogate escape: a high surrogate must be followed by a low one"),
        ("\"\\ude00\"", "unpaired surrogate escape: a low surrogate without a high one before it"),
        ("\"\\ude00\\ud83d\"", "unpaired surrogate escape: a low surrogate without a high one before it"),
    ])
    func refused(_ text: String, _ message: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.message == message, "\(text)")
        }
    }

    @Test func invalidUTF8InAStringBecomesTheReplacementCharacter() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) == .string("a\u{FFFD}b"))
    }

    @Test func nestingIsLimited() throws {
        let limit = JSONValue.maximumDepth
        #expect(limit == 512)
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONValue(parsing: deepest) }
        let objects = String(repeating: "{\"a\":", count: limit) + "1" + String(repeating: "}", count: limit)
        #expect(throws: Never.self) { try JSONValue(parsing: objects) }
        for depth in [limit + 1, 100_000] {
            let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect(throws: JSONParseError(offset: limit, message: "arrays and objects nested more than 512 levels deep")) {
                try JSONValue(parsing: text)
            }
        }
        let mixed = String(repeating: "{\"a\":[", count: 300)
        #expect(throws: JSONParseError(offset: 5 * 256 + 256, message: "arrays and objects nested more than 512 levels deep")) {
            try JSONValue(parsing: mixed)
        }
    }

    @Test func writtenTextReadsBack() throws {
        let value = JSONValue.object([("a", .array([.int(-3), .double(0.1), .string("\"\\\n\u{1}😀"), .null, .bool(false)]))])
        #expect(try JSONValue(parsing: value.text) == value)
    }
}
