#if canImport(Glibc)
import Glibc
#endif
import RunbookCore

/// The terminal of an interactive guided session: raw mode with bracketed paste on the alternate screen,
/// keys read with a timeout (so the screen refreshes while nobody types), and whole-screen redraws.
/// The pure parts are `KeyDecoder`, `LineEditor` and `GuidedLayout`.
final class GuidedTerminal {
    private var original = termios()
    private let active: Bool
    private var decoder = KeyDecoder()
    /// How long to wait after a lone `ESC` for the rest of a sequence before taking it as the Esc key.
    static let escapeTimeoutMilliseconds: Int32 = 40

    init() {
        active = tcgetattr(STDIN_FILENO, &original) == 0
        write("\u{1B}[?1049h\u{1B}[?2004h")
        enableRaw()
    }

    /// No line buffering, no echo, no signals from keys (Ctrl-C is a key that cancels a prompt), no flow control.
    func enableRaw() {
        guard active else { return }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
    }

    /// The terminal as it was (while a command runs, so Ctrl-C reaches it as a signal).
    func suspend() {
        guard active else { return }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
    }

    /// Leaves the alternate screen and restores the terminal.
    func restore() {
        write("\u{1B}[?2004l\u{1B}[?25h\u{1B}[?1049l")
        suspend()
    }

    deinit {
        suspend()
    }

    /// Rows of the terminal (24 when unknown).
    static var rows: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return 24
    }

    /// The keys typed within `timeoutMilliseconds`, or nil when none came (time to refresh the screen).
    /// A swallowed escape sequence gives an empty list.
    func readKeys(timeoutMilliseconds: Int32) -> [Key]? {
        guard let bytes = readBytes(timeoutMilliseconds: timeoutMilliseconds) else {
            return decoder.isWaiting ? decoder.flush() : nil
        }
        if bytes.isEmpty { return [.endOfInput] }
        var keys = decoder.feed(bytes)
        // The rest of an escape sequence follows at once; nothing within the timeout means a lone Esc.
        while decoder.isWaiting {
            guard let more = readBytes(timeoutMilliseconds: Self.escapeTimeoutMilliseconds) else {
                keys += decoder.flush()
                break
            }
            if more.isEmpty { return keys + [.endOfInput] }
            keys += decoder.feed(more)
        }
        return keys
    }

    /// The bytes available within the timeout; nil on timeout, empty at end of input.
    private func readBytes(timeoutMilliseconds: Int32) -> [UInt8]? {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0 { return errno == EINTR ? nil : [] }
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count < 0 { return errno == EINTR || errno == EAGAIN ? nil : [] }
        return Array(buffer.prefix(count))
    }

    /// Draws `lines` from the top-left corner, each cut to `width`, clearing what was there; puts the cursor at
    /// `cursor` (row and column, 0-based) and shows it, or hides it.
    func draw(_ lines: [String], width: Int, cursor: (row: Int, column: Int)?) {
        var screen = "\u{1B}[?25l\u{1B}[H"
        for (index, line) in lines.enumerated() {
            let fitted = TTY.fit(line, width: width)
            // Erasing after a full line would erase its last character (the cursor waits on it to wrap).
            screen += fitted + (TextWidth.of(fitted.strippingANSI) < width ? "\u{1B}[K" : "") + (index == lines.count - 1 ? "" : "\r\n")
        }
        screen += "\u{1B}[J"
        if let cursor {
            screen += "\u{1B}[\(cursor.row + 1);\(cursor.column + 1)H\u{1B}[?25h"
        }
        write(screen)
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

extension String {
    /// The text without ANSI escape sequences (to measure painted text).
    var strippingANSI: String {
        var result = ""
        var inEscape = false
        for character in self {
            if inEscape {
                if character.isLetter { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
