import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RunbookCore

/// Runs the built `runbook` binary on a pseudo-terminal of a given size (openpty), sends it real key bytes
/// and reads its screen through `TerminalScreen`, as a person in a terminal (or tmux's `capture-pane`)
/// would see it.
public final class PseudoTerminal {
    public let screen: TerminalScreen
    private let master: Int32
    private let process: Process

    /// Sends `signal` to the program, as the terminal's line discipline would for Ctrl-C (SIGINT): the program is not
    /// a session leader on this terminal, so the ^C byte itself reaches it as a key, not as a signal.
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }
    /// Everything the program wrote, for a failure message.
    public private(set) var transcript: [UInt8] = []

    /// Starts `runbook ARGUMENTS` in `directory` on a `columns`×`rows` terminal. The environment is the
    /// test's without `RUNBOOK_*` and `NO_COLOR`, with TZ=UTC, USER=tester, LANG=C.UTF-8, TERM=xterm-256color,
    /// RUNBOOK_WATCHER=off, then `environment`.
    public init(_ arguments: [String], directory: String, environment: [String: String] = [:], columns: Int, rows: Int) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else { throw POSIXError(.ENOTTY) }
        self.master = master
        screen = TerminalScreen(columns: columns, rows: rows)
        process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") && $0.key != "NO_COLOR" }
        env["TZ"] = "UTC"
        env["USER"] = "tester"
        env["LANG"] = "C.UTF-8"
        env["TERM"] = "xterm-256color"
        env["COLUMNS"] = nil
        env["RUNBOOK_WATCHER"] = "off"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        do {
            try process.run()
        } catch {
            close(slave)
            close(master)
            throw error
        }
        close(slave)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        close(master)
    }

    /// Sends bytes as typed keys.
    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads what the program wrote for up to `milliseconds`, into the screen.
    public func pump(milliseconds: Int32 = 50) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        guard count > 0 else {
            // The program exited (EIO on a pty without a slave): wait out the rest of the time.
            usleep(UInt32(milliseconds) * 1000)
            return
        }
        transcript += buffer.prefix(count)
        screen.feed(buffer.prefix(count))
    }

    /// Reads until `condition` holds for the screen, for at most `seconds`; whether it held.
    @discardableResult
    public func wait(seconds: Double = 10, until condition: (TerminalScreen) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(screen) { return true }
            pump()
        }
        return condition(screen)
    }

    /// Reads until `text` shows on the screen (for at most `seconds`).
    @discardableResult
    public func wait(for text: String, seconds: Double = 10) -> Bool {
        wait(seconds: seconds) { $0.text.contains(text) }
    }

    /// Waits for the program to exit; its status, or nil if it still runs after `seconds`.
    public func waitForExit(seconds: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { pump() }
        guard !process.isRunning else { return nil }
        pump(milliseconds: 0)
        return process.terminationStatus
    }
}

/// A small VT100/xterm screen: enough of it for what `runbook` draws (cursor moves, erases, colours ignored,
/// wide characters taking two cells, deferred wrap at the right margin).
public final class TerminalScreen {
    public let columns: Int
    public let rows: Int
    /// Each cell holds a character, or "" for the second cell of a wide character.
    private var cells: [[String]]
    public private(set) var cursorRow = 0
    public private(set) var cursorColumn = 0
    private var pendingWrap = false
    /// The main screen while the alternate one shows.
    private var saved: (cells: [[String]], row: Int, column: Int)?
    private var pending: [UInt8] = []

    init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
        cells = Array(repeating: Array(repeating: " ", count: columns), count: rows)
    }

    /// The screen's lines, trailing spaces removed.
    public var lines: [String] {
        cells.map { row in
            var line = row.joined()
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole screen as text, one line per row.
    public var text: String { lines.joined(separator: "\n") }

    /// The display column (0-based) where `needle` starts on the first line holding it.
    public func column(of needle: String, inLineContaining marker: String) -> Int? {
        guard let line = lines.first(where: { $0.contains(marker) }), let range = line.range(of: needle) else { return nil }
        return TextWidth.of(line[..<range.lowerBound])
    }

    func feed(_ bytes: some Sequence<UInt8>) {
        pending += bytes
        var index = 0
        parse: while index < pending.count {
            let byte = pending[index]
            switch byte {
            case 0x1B:
                guard index + 1 < pending.count else { break parse }
                let next = pending[index + 1]
                if next == 0x5B {
                    var end = index + 2
                    while end < pending.count, (0x20...0x3F).contains(pending[end]) { end += 1 }
                    guard end < pending.count else { break parse }
                    csi(String(decoding: pending[(index + 2)..<end], as: UTF8.self), final: pending[end])
                    index = end + 1
                } else if next == 0x5D {  // OSC … BEL or ST
                    var end = index + 2
                    while end < pending.count, pending[end] != 0x07, pending[end] != 0x1B { end += 1 }
                    guard end < pending.count else { break parse }
                    index = end + (pending[end] == 0x07 ? 1 : 2)
                } else {
                    index += 2
                }
            case 0x0D:
                cursorColumn = 0
                pendingWrap = false
                index += 1
            case 0x0A:
                lineFeed()
                index += 1
            case 0x08:
                cursorColumn = max(0, cursorColumn - 1)
                pendingWrap = false
                index += 1
            case 0x09:
                cursorColumn = min(columns - 1, (cursorColumn / 8 + 1) * 8)
                index += 1
            case 0x00..<0x20, 0x7F:
                index += 1
            default:
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                guard index + length <= pending.count else { break parse }
                let character = String(decoding: pending[index..<(index + length)], as: UTF8.self)
                put(character)
                index += length
            }
        }
        pending.removeFirst(index)
    }

    private func put(_ character: String) {
        let width = TextWidth.of(character)
        if width == 0 {
            // A combining mark joins the character before it.
            let column = max(0, cursorColumn - 1)
            cells[cursorRow][column] += character
            return
        }
        if pendingWrap || cursorColumn + width > columns {
            cursorColumn = 0
            lineFeed()
        }
        pendingWrap = false
        cells[cursorRow][cursorColumn] = character
        if width == 2, cursorColumn + 1 < columns { cells[cursorRow][cursorColumn + 1] = "" }
        cursorColumn += width
        if cursorColumn >= columns {
            cursorColumn = columns - 1
            pendingWrap = true
        }
    }

    private func lineFeed() {
        pendingWrap = false
        if cursorRow == rows - 1 {
            cells.removeFirst()
            cells.append(Array(repeating: " ", count: columns))
        } else {
            cursorRow += 1
        }
    }

    private func csi(_ parameters: String, final: UInt8) {
        if parameters == "?1049", final == 0x68 || final == 0x6C {
            // The alternate screen: entered with the main one saved, left with it restored (h, l).
            if final == 0x68 {
                saved = (cells, cursorRow, cursorColumn)
                for row in 0..<rows { clear(row: row, from: 0) }
            } else if let saved {
                (cells, cursorRow, cursorColumn) = saved
                self.saved = nil
            }
            return
        }
        guard !parameters.hasPrefix("?") else { return }  // other modes: the cursor, bracketed paste
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        func number(_ index: Int, _ fallback: Int) -> Int {
            index < numbers.count ? (numbers[index] ?? fallback) : fallback
        }
        pendingWrap = false
        switch final {
        case 0x48, 0x66:  // H, f
            cursorRow = min(rows - 1, max(0, number(0, 1) - 1))
            cursorColumn = min(columns - 1, max(0, number(1, 1) - 1))
        case 0x41: cursorRow = max(0, cursorRow - number(0, 1))
        case 0x42: cursorRow = min(rows - 1, cursorRow + number(0, 1))
        case 0x43: cursorColumn = min(columns - 1, cursorColumn + number(0, 1))
        case 0x44: cursorColumn = max(0, cursorColumn - number(0, 1))
        case 0x4A:  // J
            switch number(0, 0) {
            case 0:
                clear(row: cursorRow, from: cursorColumn)
                for row in (cursorRow + 1)..<rows { clear(row: row, from: 0) }
            case 1:
                for row in 0..<cursorRow { clear(row: row, from: 0) }
                for column in 0...cursorColumn { cells[cursorRow][column] = " " }
            default:
                for row in 0..<rows { clear(row: row, from: 0) }
            }
        case 0x4B:  // K
            switch number(0, 0) {
            case 0: clear(row: cursorRow, from: cursorColumn)
            case 1: for column in 0...cursorColumn { cells[cursorRow][column] = " " }
            default: clear(row: cursorRow, from: 0)
            }
        default:
            break  // colours (m) and anything else draw nothing
        }
    }

    private func clear(row: Int, from column: Int) {
        guard row >= 0, row < rows else { return }
        for index in column..<columns { cells[row][index] = " " }
    }
}
