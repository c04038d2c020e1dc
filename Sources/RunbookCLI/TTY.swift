#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import RunbookCore

/// An option's fixed set of values, each written as its raw value. ArgumentParser's default `allValueDescriptions` compares
/// each case's `defaultValueDescription` with its raw value, and that default is `String(describing:)`, which reflects on
/// the enum every time a command's options are built (several times per run): 0.45 M instructions of a `note`.
protocol ArgumentChoice: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension ArgumentChoice {
    static var allValueStrings: [String] { allCases.map(\.rawValue) }
    static var allValueDescriptions: [String: String] { [:] }
    var defaultValueDescription: String { rawValue }
}

/// When to colour output.
enum ColorMode: String, ArgumentChoice, Sendable {
    case auto, always, never
}

/// Terminal output in one place: colour decisions, ANSI codes and writing to stdout/stderr.
struct TTY {
    var color: Bool

    /// Colour only when asked, or in auto mode when stdout is a terminal, `TERM` is not dumb and `NO_COLOR` is unset.
    init(mode: ColorMode) {
        switch mode {
        case .always: color = true
        case .never: color = false
        case .auto:
            let term = getenv("TERM").map { String(cString: $0) } ?? ""
            color = isatty(STDOUT_FILENO) == 1 && term != "dumb" && getenv("NO_COLOR") == nil
        }
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", cyan = "36", inverse = "7"
    }

    /// `text` in `style` when colour is on.
    func paint(_ text: String, _ styles: Style...) -> String {
        paint(text, styles: styles)
    }

    /// `text` in `styles` when colour is on.
    func paint(_ text: String, styles: [Style]) -> String {
        guard color, !styles.isEmpty else { return text }
        return "\u{1B}[" + styles.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Terminal width in columns (80 when unknown).
    static var columns: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = getenv("COLUMNS").map({ String(cString: $0) }), let value = Int(text), value > 0 { return value }
        return 80
    }
}

extension TTY {
    /// User text (a title, a name, a value, a message quoting input) for one line of a terminal view:
    /// control characters shown as `\e`, `\x07`, `\r`, `\t`, `\u{202E}` and line breaks as `\n`
    /// (`TextHygiene.escape`). Paint goes on after this, never before.
    static func inline(_ text: some StringProtocol) -> String {
        TextHygiene.escape(text, lineBreaks: .visible)
    }

    /// User text that may span lines (notes, free-text inputs, command output, event descriptions that
    /// carry them): control characters shown as text, line breaks kept, each following line indented by
    /// `indent` columns (at least one), so no line of it starts where a line of the view starts.
    static func block(_ text: some StringProtocol, indent: Int) -> String {
        TextHygiene.escape(text, lineBreaks: .indented(String(repeating: " ", count: max(1, indent))))
    }

    /// The lines of `text` escaped with `block`, each painted on its own (a style never spans a line break).
    func blockLines(_ text: some StringProtocol, indent: Int, _ styles: Style...) -> [String] {
        TTY.block(text, indent: indent).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            paint(String(line), styles: styles)
        }
    }
}

/// Writes a line to standard output.
func out(_ text: String = "") {
    print(text)
}

/// Flushes standard output (a log read by another program while it is written).
func flushOutput() {
    fflush(nil)
}

/// Writes a line to standard error.
func err(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { buffer in
        _ = write(STDERR_FILENO, buffer.baseAddress, buffer.count)
    }
}

extension TTY {
    /// `line` cut to `width` display columns, ending in `…` when cut; ANSI escape sequences are copied
    /// through without counting, and a cut line is reset to plain style.
    static func fit(_ line: String, width: Int) -> String {
        var visible = 0
        var inEscape = false
        for character in line {
            if inEscape {
                if character.isLetter { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                continue
            }
            visible += TextWidth.of(String(character))
        }
        guard visible > width else { return line }
        var result = ""
        var used = 0
        inEscape = false
        for character in line {
            if inEscape || character == "\u{1B}" {
                result.append(character)
                inEscape = character == "\u{1B}" || !character.isLetter
                continue
            }
            let w = TextWidth.of(String(character))
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…" + (line.contains("\u{1B}") ? "\u{1B}[0m" : "")
    }
}
