@testable import RunbookCLI
import RunbookCore
import Testing

/// The prompt line editor's pure core: key bytes in, buffer, cursor and outcome out.
@Suite struct LineEditorTests {
    /// Feeds `bytes` through the decoder (flushing a lone Esc, as the terminal does after its timeout) into an editor.
    func edit(_ chunks: [String], start: String = "") -> (editor: LineEditor, outcome: LineEditor.Outcome) {
        var decoder = KeyDecoder()
        var editor = LineEditor(start)
        for chunk in chunks {
            let keys = decoder.feed(Array(chunk.utf8)) + decoder.flush()
            let outcome = editor.apply(keys)
            if outcome != .editing { return (editor, outcome) }
        }
        return (editor, .editing)
    }

    @Test func arrowKeysMoveAndTypingInserts() {
        let (editor, outcome) = edit(["abd", "\u{1B}[D", "c", "\u{1B}[H", ">", "\u{1B}[F", "!", "\r"])
        #expect(outcome == .submitted(">abcd!"))
        #expect(!editor.text.unicodeScalars.contains("\u{1B}"))
    }

    @Test func ctrlAAndCtrlEMoveToTheEnds() {
        let (_, outcome) = edit(["bc", "\u{01}", "a", "\u{05}", "d", "\n"])
        #expect(outcome == .submitted("abcd"))
    }

    @Test func backspaceAndDeleteTakeAWholeKoreanSyllable() {
        // 복구 완료: each syllable is one grapheme and two columns.
        var (editor, _) = edit(["복구 완료"])
        #expect(editor.cursor == 5)
        #expect(editor.display(prompt: "Note: ", width: 80).cursorColumn == 6 + 9)
        (editor, _) = edit(["\u{1B}[D", "\u{1B}[D", "\u{7F}"], start: "복구 완료")
        #expect(editor.text == "복구완료")
        #expect(editor.cursor == 2)
        #expect(editor.display(prompt: "Note: ", width: 80).cursorColumn == 6 + 4)
        (editor, _) = edit(["\u{1B}[H", "\u{1B}[3~"], start: "복구 완료")
        #expect(editor.text == "구 완료")
        #expect(editor.cursor == 0)
    }

    @Test func aDecomposedHangulSyllableIsOneGrapheme() {
        // ᄒ + ᅡ + ᆫ (conjoining jamo) is one grapheme "한", two columns wide.
        var (editor, _) = edit(["\u{1112}\u{1161}\u{11AB}x"])
        #expect(editor.characters.count == 2)
        #expect(editor.display(prompt: "", width: 80).cursorColumn == 3)
        (editor, _) = edit(["\u{1B}[D", "\u{7F}"], start: "\u{1112}\u{1161}\u{11AB}x")
        #expect(editor.text == "x")
    }

    @Test(arguments: ["\u{1B}", "\u{03}"])
    func escOrCtrlCCancels(_ key: String) {
        let (editor, outcome) = edit(["a note", key])
        #expect(outcome == .cancelled)
        #expect(editor.text == "a note")
    }

    @Test(arguments: [
        "\u{1B}[D", "\u{1B}[1;5C", "\u{1B}[15~", "\u{1B}[?25h", "\u{1B}OP", "\u{1B}x", "\u{1B}[6n", "\u{1B}]", "\u{1B}[200~",
    ])
    func anEscapeSequenceNeverLandsInTheBuffer(_ sequence: String) {
        // Whole, split byte by byte, and at the end of a chunk.
        let whole = edit(["ab", sequence, "c"]).editor.text
        let split = edit(["ab"] + sequence.unicodeScalars.map { String($0) } + ["c"]).editor.text
        for text in [whole, split] {
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(text.debugDescription)")
        }
        #expect(whole.hasPrefix("a"))
    }

    @Test func unknownSequencesAreSwallowedWhole() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("\u{1B}[15~x\u{1B}[1;5Dy".utf8)) == [.ignored, .text("x"), .left, .text("y")])
        #expect(decoder.feed(Array("\u{1B}".utf8)) == [])
        #expect(decoder.isWaiting)
        #expect(decoder.feed(Array("[A".utf8)) == [.up])
        #expect(decoder.feed(Array("\u{1B}".utf8)) + decoder.flush() == [.escape])
        #expect(decoder.feed(Array("\t\u{1B}[Z".utf8)) == [.tab, .backTab])
    }

    @Test func aBracketedPasteWithLineBreaksIsOneLineOfText() {
        let (editor, outcome) = edit(["note: ", "\u{1B}[200~first line\r\nsecond\u{1B}[31m line\u{1B}[201~", "!", "\r"])
        #expect(outcome == .submitted("note: first line second[31m line!"))
        #expect(!editor.text.unicodeScalars.contains("\u{1B}"))
        // The paste's end marker may arrive in pieces.
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("\u{1B}[200~a\nb\u{1B}[2".utf8)) == [])
        #expect(decoder.feed(Array("01~c".utf8)) == [.paste("a\nb"), .text("c")])
    }

    @Test func utf8SplitAcrossReadsIsAssembled() {
        var decoder = KeyDecoder()
        let bytes = Array("복".utf8)
        #expect(decoder.feed(bytes.prefix(2)) == [])
        #expect(decoder.feed(bytes.suffix(1)) == [.text("복")])
    }

    @Test func aLongLineScrollsAroundTheCursor() {
        let editor = LineEditor(String(repeating: "가", count: 40))
        let shown = editor.display(prompt: "Note: ", width: 30)
        #expect(shown.line.hasPrefix("Note: …"))
        #expect(shown.cursorColumn <= 29)
        #expect(TextWidth.of(shown.line) <= 30)
    }
}

