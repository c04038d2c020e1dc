import RunbookCore

/// The line editor of guided-mode prompts (a note, an input value, a step id, a reason), as a pure value:
/// keys in, buffer, cursor and outcome out. The terminal I/O around it is `GuidedTerminal`.
///
/// The buffer is a list of grapheme clusters, so left, right, backspace and delete move over a Korean
/// syllable or an emoji with its modifiers as one; the cursor's screen column comes from `TextWidth`
/// (a Korean syllable takes two columns). Nothing but printable text enters the buffer: control
/// characters, escape sequences and bidirectional controls are dropped, and a paste's line breaks and tabs
/// become spaces (a prompt takes one line).
struct LineEditor: Equatable {
    private(set) var characters: [Character] = []
    /// The cursor, as an index into `characters` (0 is before the first).
    private(set) var cursor = 0

    enum Outcome: Equatable {
        case editing
        case submitted(String)
        case cancelled
    }

    init(_ text: String = "") {
        characters = Array(Self.sanitized(text))
        cursor = characters.count
    }

    var text: String { String(characters) }

    /// Applies one key.
    mutating func apply(_ key: Key) -> Outcome {
        switch key {
        case .text(let typed), .paste(let typed): insert(typed)
        case .enter: return .submitted(text)
        case .escape, .control(0x03): return .cancelled
        case .endOfInput: return .cancelled
        case .control(0x04):  // Ctrl-D: delete, or cancel on an empty line (end of input)
            if characters.isEmpty { return .cancelled }
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control(0x01): cursor = 0
        case .end, .control(0x05): cursor = characters.count
        case .backspace:
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .control(0x15):  // Ctrl-U: delete to the start
            characters.removeFirst(cursor)
            cursor = 0
        case .control(0x0B):  // Ctrl-K: delete to the end
            characters.removeLast(characters.count - cursor)
        case .tab, .backTab, .up, .down, .control, .ignored:
            break
        }
        return .editing
    }

    /// Applies keys in order, stopping at the first that ends the prompt.
    mutating func apply(_ keys: [Key]) -> Outcome {
        for key in keys {
            let outcome = apply(key)
            if outcome != .editing { return outcome }
        }
        return .editing
    }

    mutating func insert(_ typed: String) {
        let clean = Self.sanitized(typed)
        guard !clean.isEmpty else { return }
        let before = String(characters[..<cursor]) + clean
        let joined = before + String(characters[cursor...])
        characters = Array(joined)
        // A combining mark typed after a letter joins it: the cursor stays after what was typed.
        cursor = min(characters.count, before.count)
    }

    /// Text fit for a one-line prompt: line breaks and tabs as spaces (a CR LF pair as one), control and
    /// bidirectional formatting characters dropped.
    static func sanitized(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar.value {
            case 0x0A where previousCR: continue
            case 0x09, 0x0A, 0x0D: result.append(" ")
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: continue
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// The prompt line for a terminal `width` columns wide: the prompt, then as much of the buffer as fits
    /// around the cursor (`…` where it is cut), and the cursor's column (0-based).
    func display(prompt: String, width: Int) -> (line: String, cursorColumn: Int) {
        let shownPrompt = TextWidth.truncate(prompt, to: max(0, width / 2))
        let promptWidth = TextWidth.of(shownPrompt)
        // One column stays free for the cursor at the end.
        let room = max(1, width - promptWidth - 1)
        var start = 0
        func columns(_ range: Range<Int>) -> Int { characters[range].reduce(0) { $0 + TextWidth.of(String($1)) } }
        while start < cursor, columns(start..<cursor) + (start > 0 ? 1 : 0) > room { start += 1 }
        var line = shownPrompt + (start > 0 ? "…" : "")
        var used = start > 0 ? 1 : 0
        var end = start
        while end < characters.count {
            let w = TextWidth.of(String(characters[end]))
            // Past the cursor, a column stays free for the `…` of a cut.
            let reserve = end >= cursor && end < characters.count - 1 ? 1 : 0
            if used + w > room - reserve { break }
            line.append(characters[end])
            used += w
            end += 1
        }
        if end < characters.count { line += "…" }
        let cursorColumn = promptWidth + (start > 0 ? 1 : 0) + columns(start..<cursor)
        return (line, cursorColumn)
    }
}
