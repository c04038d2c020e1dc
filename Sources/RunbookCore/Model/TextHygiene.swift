/// Text hygiene (SPEC §4): which characters user text may not carry, and how to show them harmlessly.
///
/// One predicate, `isControl`, decides what a control character is for every check: actor names, runbook,
/// role, stage and step titles, step notes, choices, the summary and source, roster names. One function,
/// `escape`, turns text into what a terminal, a page or a log line may show.
public enum TextHygiene {
    /// Whether `scalar` is a control character: C0 (U+0000–U+001F, line breaks and tabs included), DEL,
    /// C1 (U+0080–U+009F), a bidi embedding, override, isolate or mark (U+202A–U+202E, U+2066–U+2069,
    /// U+200E, U+200F, U+061C), which can reorder a line visually, or an invisible character that makes two
    /// names look alike (U+200B, U+200C, U+2060–U+2064, U+FEFF; the joiner U+200D stays, for emoji).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200B, 0x200C, 0x200E, 0x200F, 0x2060...0x2064,
             0xFEFF, 0x061C: true
        default: false
        }
    }

    /// The first control character of `text` (see `isControl`), or nil when it has none.
    ///
    /// With `allowingLineBreaks`, a line feed (and a carriage return before it) is allowed: prose such as
    /// a step's `note:` may span lines.
    public static func firstControl(in text: some StringProtocol, allowingLineBreaks: Bool = false) -> Unicode.Scalar? {
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where isControl(scalar) {
            if allowingLineBreaks {
                if scalar == "\n" { continue }
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { continue }
            }
            return scalar
        }
        return nil
    }

    /// Why `text` is refused as `what` (e.g. "a title"), or nil when it has no control character.
    ///
    /// "a title may not contain control characters; found \e (U+001B)".
    public static func refusal(_ text: some StringProtocol, as what: String, allowingLineBreaks: Bool = false) -> String? {
        guard let scalar = firstControl(in: text, allowingLineBreaks: allowingLineBreaks) else { return nil }
        return "\(what) may not contain control characters; found \(visible(scalar)) (\(codePoint(scalar)))"
    }

    /// How a control character is shown: `\e`, `\t`, `\n`, `\r`, `\x07` for the rest of C0 and DEL,
    /// `\u{009B}` for C1, `\u{202E}` for bidi controls. Any other scalar is itself.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        guard isControl(scalar) else { return String(scalar) }
        switch scalar {
        case "\u{1B}": return "\\e"
        case "\t": return "\\t"
        case "\n": return "\\n"
        case "\r": return "\\r"
        default:
            if scalar.value <= 0x7F { return "\\x" + hex(scalar.value, digits: 2) }
            return "\\u{" + hex(scalar.value, digits: 4) + "}"
        }
    }

    /// What to do with the line breaks of text being escaped.
    public enum LineBreaks: Sendable, Equatable {
        /// Shown as `\n`, so the text stays on one line (titles, table cells, one-line messages).
        case visible
        /// Kept, each following line starting with `indent` (at least one space, so no continuation line
        /// starts at the left margin where a timeline line starts). `\r\n` counts as one line break.
        case indented(String)
        /// Each replaced by one space (a page's subject).
        case spaces
    }

    /// `text` with every control character shown as text (`\e`, `\x07`, `\r`, `\t`, `\u{202E}`), and its
    /// line breaks handled as `lineBreaks` says. Any other character, Korean included, is unchanged, so the
    /// display width of clean text is unchanged too.
    public static func escape(_ text: some StringProtocol, lineBreaks: LineBreaks = .visible) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return String(text) }
        var result = ""
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard isControl(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            let lineBreak = scalar == "\n" || (scalar == "\r" && index < scalars.count && scalars[index] == "\n")
            guard lineBreak else {
                result += visible(scalar)
                continue
            }
            switch lineBreaks {
            case .visible:
                result += visible(scalar)
            case .indented(let indent):
                if scalar == "\r" { index += 1 }
                result += "\n" + (indent.isEmpty ? " " : indent)
            case .spaces:
                if scalar == "\r" { index += 1 }
                result += " "
            }
        }
        return result
    }

    /// `U+001B`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + hex(scalar.value, digits: 4)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
