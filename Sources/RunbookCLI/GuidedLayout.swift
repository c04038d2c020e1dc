import RunbookCore

/// How guided mode lays text out on a terminal of a given width (pure).
enum GuidedLayout {
    /// The key legend in at most two lines of `width` columns, `? help · q quit` always at the end of the
    /// last; keys that do not fit are left to `?`.
    static func legend(width: Int) -> [String] {
        let separator = GuidedText.legendSeparator
        let tail = GuidedText.helpAndQuit
        let tailWidth = TextWidth.of(tail)
        guard width > tailWidth else { return [TextWidth.truncate(tail, to: max(1, width))] }
        var items = (GuidedText.keys + [GuidedText.selectKeys]).map(\.legend)
        var lines: [String] = []
        for last in [false, true] {
            // The last line keeps room for the tail.
            let room = last ? width - tailWidth - TextWidth.of(separator) : width
            var line = ""
            var rest: [String] = []
            for item in items {
                let candidate = line.isEmpty ? item : line + separator + item
                if TextWidth.of(candidate) <= room { line = candidate } else { rest.append(item) }
            }
            items = rest
            if last {
                lines.append(line.isEmpty ? tail : line + separator + tail)
            } else if !line.isEmpty {
                lines.append(line)
            }
            if items.isEmpty, !last {
                lines.append(tail)
                break
            }
        }
        // Two lines at most; a width where all fits on one line still shows the tail on the second.
        return Array(lines.prefix(2))
    }

    /// `text` wrapped at spaces to `width` display columns (a word longer than a line is cut between
    /// characters); following lines start with `indent` spaces. Line breaks in `text` are kept.
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> [String] {
        let width = max(2, width)
        let indent = min(indent, width / 2)
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            var limit = width
            func newLine() {
                lines.append(line)
                line = pad
                used = indent
                limit = width
            }
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = TextWidth.of(word)
                let space = line.isEmpty || line == pad ? 0 : 1
                if used + space + wordWidth <= limit {
                    line += (space == 1 ? " " : "") + word
                    used += space + wordWidth
                    continue
                }
                if used > indent || (used > 0 && indent == 0) { newLine() }
                for character in word {
                    let w = TextWidth.of(String(character))
                    if used + w > limit { newLine() }
                    line.append(character)
                    used += w
                }
            }
            lines.append(line)
        }
        return lines
    }
}
